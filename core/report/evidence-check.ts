import type { EvidenceItem } from './evidence-manifest.ts';
import type { EvidenceCheck } from './pack.ts';

/** An evidence copy as its store reports it now. */
export interface ObservedCopy {
  exists: boolean;
  size?: number;
  etag?: string;
  /** Base64 Content-MD5 (Azure). */
  md5?: string;
}

/** Reads a copy by the location the manifest names; undefined when this store cannot be reached. */
export type EvidenceReader = (location: string) => Promise<ObservedCopy | undefined>;

/**
 * Checks every evidence copy against what was recorded when it was made: present, the same size,
 * and the same ETag (S3) or Content-MD5 (Azure) where the store provides one.
 */
export async function checkEvidence(
  items: readonly EvidenceItem[],
  read: EvidenceReader | undefined,
): Promise<EvidenceCheck[]> {
  const checks: EvidenceCheck[] = [];
  for (const item of items) {
    if (!item.copy) continue;
    const location = item.copy.location;
    const seen = read ? await read(location) : undefined;
    checks.push({ location, ...verdict(item, seen) });
  }
  return checks;
}

function verdict(item: EvidenceItem, seen: ObservedCopy | undefined): Omit<EvidenceCheck, 'location'> {
  if (!seen) return { status: 'unchecked', detail: 'the evidence store was not reachable from here' };
  if (!seen.exists) return { status: 'missing', detail: 'the evidence copy is not in the store' };
  const problems: string[] = [];
  const size = item.copy?.size ?? item.size;
  if (seen.size !== undefined && seen.size !== size) problems.push(`size ${seen.size}, recorded ${size}`);
  if (item.copy?.etag && seen.etag && seen.etag !== item.copy.etag)
    problems.push(`ETag ${seen.etag}, recorded ${item.copy.etag}`);
  const md5 = item.checksums.MD5;
  if (md5 && seen.md5 && seen.md5 !== md5) problems.push(`Content-MD5 ${seen.md5}, recorded ${md5}`);
  if (problems.length) return { status: 'mismatch', detail: problems.join('; ') };
  const what = [
    'size',
    ...(item.copy?.etag && seen.etag ? ['ETag'] : []),
    ...(md5 && seen.md5 ? ['Content-MD5'] : []),
  ];
  return { status: 'match', detail: `${what.join(', ')} as recorded` };
}
