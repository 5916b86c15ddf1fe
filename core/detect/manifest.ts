import type { Checksums } from './records.ts';
import type { ManifestEntry } from './thresholds.ts';

/**
 * The approved-artifact manifest (detect.manifest) indexed by location and by digest. Digests are
 * compared as the logs print them: hex SHA-256 and ETags case-insensitively, ETag quotes stripped.
 */
export function manifestIndex(entries: readonly ManifestEntry[]) {
  const byLocation = new Map(entries.map((e) => [e.location, e]));
  const byDigest = new Map<string, ManifestEntry>();
  for (const e of entries) for (const d of digests(e)) byDigest.set(d, e);
  return {
    empty: entries.length === 0,
    at: (location: string) => byLocation.get(location),
    /** The approved artifact whose digest the checksums show, if any. */
    withDigest(checksums: Checksums | undefined): ManifestEntry | undefined {
      for (const d of digests(checksums ?? {})) {
        const hit = byDigest.get(d);
        if (hit) return hit;
      }
      return undefined;
    },
    /** `match` when a digest both sides show is equal, `differ` when they show one and it differs, else `unknown`. */
    compare(entry: ManifestEntry, checksums: Checksums | undefined): 'match' | 'differ' | 'unknown' {
      const shown = new Map(digests(checksums ?? {}).map((d) => [algorithm(d), d]));
      const both = digests(entry).filter((d) => shown.has(algorithm(d)));
      if (both.some((d) => shown.get(algorithm(d)) === d)) return 'match';
      return both.length ? 'differ' : 'unknown';
    },
  };
}

function digests(c: Checksums): string[] {
  const out: string[] = [];
  if (c.sha256) out.push(`sha256:${c.sha256.toLowerCase()}`);
  if (c.md5) out.push(`md5:${c.md5}`);
  if (c.etag) out.push(`etag:${c.etag.replace(/"/g, '').toLowerCase()}`);
  return out;
}

const algorithm = (digest: string) => digest.slice(0, digest.indexOf(':'));
