import type { ResourceRef } from '../../core/alert.ts';
import { isBucketName } from '../../core/names.ts';
import { bucketArn, isObjectKey, objectUri } from '../../packs/aws/names.ts';
import { assertPartition } from './fields.ts';
import { reject, show } from './shape.ts';

/**
 * Collects the buckets and objects an event names. Invalid bucket names reject the event: they would
 * otherwise reach a bucket policy. Invalid object keys are dropped and remembered instead, so an
 * attacker cannot dodge containment of the bucket with an odd key name.
 */
export class ResourceList {
  readonly refs: ResourceRef[] = [];
  readonly droppedKeys: string[] = [];

  bucket(name: string, where: string): string {
    if (!isBucketName(name)) reject(`${where} ${show(name)} is not a valid S3 bucket name`);
    this.add({ kind: 'bucket', id: bucketArn(name) });
    return name;
  }

  /** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key` (CloudTrail `resources[]`, ASFF `Resources[].Id`). */
  s3Arn(arn: string, where: string): void {
    assertPartition(arn, where);
    const m = /^arn:aws:s3:::([^/]*)(?:\/(.*))?$/s.exec(arn);
    if (!m) reject(`${where} ${show(arn)} is not an S3 bucket or object ARN`);
    const bucket = this.bucket(m[1] ?? '', `${where} bucket`);
    if (m[2] !== undefined) this.object(bucket, m[2]);
  }

  /** An object of a bucket already validated by `bucket()`. */
  object(bucket: string, key: string): void {
    if (!isObjectKey(key)) {
      if (!this.droppedKeys.includes(show(key))) this.droppedKeys.push(show(key));
      return;
    }
    this.add({ kind: 'bucket', id: bucketArn(bucket) });
    this.add({ kind: 'object', id: objectUri(bucket, key), parent: bucketArn(bucket) });
  }

  add(ref: ResourceRef): void {
    if (!this.refs.some((r) => r.kind === ref.kind && r.id === ref.id)) this.refs.push(ref);
  }

  /** `{ droppedKeys }` when keys were dropped, for the alert's context; otherwise nothing. */
  context(): { droppedKeys?: string[] } {
    return this.droppedKeys.length ? { droppedKeys: this.droppedKeys } : {};
  }
}
