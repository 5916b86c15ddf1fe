import type { IncidentState } from '../journal.ts';
import { summary } from './measures.ts';

/** One preserved object: where it was, which version, its checksums, and where the copy lives. */
export interface EvidenceItem {
  cloud: 'aws' | 'azure';
  /** `bucket` or `account/container`. */
  store: string;
  key: string;
  /** S3 version id, or the blob snapshot time. */
  version: string;
  size: number;
  etag: string | null;
  /** Provider checksums as the store reported them (S3 CRC/SHA, Azure Content-MD5, base64). */
  checksums: Record<string, string>;
  /** Hex SHA-256 of the object where the store holds a full-object one; null where none was computed. */
  sha256: string | null;
  legalHold: 'ON' | 'OFF' | 'n/a';
  /** The evidence copy (`s3://…` or `https://<account>.blob…` style `account/container/name`), when made. */
  copy: { location: string; etag: string | null; size: number | null } | null;
  retention: string;
  /** The action that preserved it. */
  actionId: string;
}

interface PinnedObject {
  key: string;
  versionId: string;
  etag: string;
  size: number;
  checksums?: Record<string, string>;
  checksumType?: string;
  legalHold?: 'ON' | 'OFF';
}
interface CopiedObject {
  key: string;
  destinationKey: string;
  sourceVersion: string;
  copyEtag?: string;
  size: number;
}
interface SnapshotRecord {
  name: string;
  snapshot: string;
  etag: string;
  contentLength: number;
  contentMD5?: string;
}
interface BlobCopy {
  source: string;
  snapshot: string;
  target: string;
  contentLength: number;
}

/** The evidence manifest of an incident, from what pin/snapshot and copy actions recorded. */
export function evidenceOf(state: IncidentState): EvidenceItem[] {
  const actions = state.record.decision.actions;
  const details = (id: string) => summary(state.phases.contain.get(id)).details;
  const items: EvidenceItem[] = [];
  for (const action of actions) {
    if (action.kind === 'pin-objects') {
      const pinned = (details(action.id)?.objects as PinnedObject[] | undefined) ?? [];
      const copy = actions.find((a) => a.kind === 'copy-evidence' && a.params.pinAction === action.id);
      const copies = copy ? ((details(copy.id)?.objects as CopiedObject[] | undefined) ?? []) : [];
      const evidenceBucket = copy?.kind === 'copy-evidence' ? copy.params.evidenceBucket : undefined;
      for (const o of pinned) {
        const c = copies.find((x) => x.key === o.key && x.sourceVersion === o.versionId);
        const sha = o.checksumType === 'FULL_OBJECT' || !o.checksumType ? o.checksums?.SHA256 : undefined;
        items.push({
          cloud: 'aws',
          store: action.params.bucket,
          key: o.key,
          version: o.versionId,
          size: o.size,
          etag: o.etag,
          checksums: o.checksums ?? {},
          sha256: sha ? Buffer.from(sha, 'base64').toString('hex') : null,
          legalHold: o.legalHold ?? 'OFF',
          copy: c
            ? {
                location: `s3://${evidenceBucket}/${c.destinationKey}`,
                etag: c.copyEtag ?? null,
                size: c.size,
              }
            : null,
          retention: c
            ? 'evidence bucket under S3 Object Lock (deploy/evidence-bucket.yml); source version kept by versioning'
            : 'source version kept by versioning' +
              (o.legalHold === 'ON' ? ' and an Object Lock legal hold' : ''),
          actionId: action.id,
        });
      }
    }
    if (action.kind === 'snapshot-blobs') {
      const snaps = (details(action.id)?.snapshots as SnapshotRecord[] | undefined) ?? [];
      const copy = actions.find(
        (a) => a.kind === 'copy-blob-evidence' && a.params.snapshotAction === action.id,
      );
      const copyDetails = copy ? details(copy.id) : undefined;
      const copies = (copyDetails?.copies as BlobCopy[] | undefined) ?? [];
      const where = copyDetails?.evidenceContainer as string | undefined;
      for (const s of snaps) {
        const c = copies.find((x) => x.source === s.name && x.snapshot === s.snapshot);
        items.push({
          cloud: 'azure',
          store: `${action.params.accountName}/${action.params.container}`,
          key: s.name,
          version: s.snapshot,
          size: s.contentLength,
          etag: s.etag,
          checksums: s.contentMD5 ? { MD5: s.contentMD5 } : {},
          sha256: null,
          legalHold: 'n/a',
          copy: c ? { location: `${where}/${c.target}`, etag: null, size: c.contentLength } : null,
          retention: c
            ? 'evidence container under an immutability policy (checked by the evidence preflight); snapshot kept'
            : 'blob snapshot kept (snapshots are never deleted by Tourniquet)',
          actionId: action.id,
        });
      }
    }
  }
  return items;
}
