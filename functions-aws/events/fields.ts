import { isAccountId } from '../../core/names.ts';
import { reject, show } from './shape.ts';

/** Partitions other than `aws` (aws-cn, aws-us-gov, aws-iso…): this deployment acts only in `aws`. */
const FOREIGN_ARN = /^arn:(aws-[a-z-]+):/;
const FOREIGN_REGION = /^(cn|us-gov|us-iso[a-z]?|eu-isoe)-/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** Finding and event ids end up in dedupe keys and log lines: printable, no spaces, bounded. */
const SOURCE_ID = /^[\x21-\x7e]{1,512}$/;

/** Rejects an ARN from another partition; anything else passes (other checks judge its shape). */
export function assertPartition(value: string, where: string): void {
  const foreign = FOREIGN_ARN.exec(value)?.[1];
  if (foreign) {
    reject(
      `${where} is in the ${foreign} partition (${show(value)}): Tourniquet acts only in the aws partition`,
    );
  }
}

export function accountId(value: string, where: string): string {
  if (!isAccountId(value)) reject(`${where} ${show(value)} is not a 12-digit AWS account id`);
  return value;
}

export function region(value: string, where: string): string {
  if (FOREIGN_REGION.test(value)) {
    reject(`${where} ${show(value)} is in another partition: Tourniquet acts only in the aws partition`);
  }
  if (!REGION.test(value)) reject(`${where} ${show(value)} is not an AWS region`);
  return value;
}

/** A timestamp as ISO 8601 in UTC with milliseconds, so equal instants compare equal. */
export function isoTime(value: string, where: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) reject(`${where} ${show(value)} is not an ISO 8601 time`);
  return new Date(ms).toISOString();
}

export function sourceId(value: string, where: string): string {
  if (!SOURCE_ID.test(value)) reject(`${where} ${show(value)} is not a usable id (printable, no spaces)`);
  return value;
}

/** A partition field (`"partition": "aws"` in GuardDuty and Macie findings, `Partition` in ASFF). */
export function partition(value: string | undefined, where: string): void {
  if (value !== undefined && value !== 'aws') {
    reject(`${where} is ${show(value)}: Tourniquet acts only in the aws partition`);
  }
}

/** Text without control characters (they could forge log lines or break a terminal). */
export function printable(value: string): string {
  return [...value].filter((c) => (c.codePointAt(0) ?? 0) >= 0x20 && c !== '\u007f').join('');
}

/** A finding's title for humans: control characters removed, at most 512 characters. */
export function title(value: string | undefined): { title?: string } {
  const clean = value === undefined ? '' : printable(value);
  return clean ? { title: clean.slice(0, 512) } : {};
}
