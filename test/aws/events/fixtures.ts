import { readdirSync, readFileSync } from 'node:fs';
import type { Alert, PrincipalRef } from '../../../core/alert.ts';
import type { ParsedEvent } from '../../../core/parsed-event.ts';
import { ACCOUNT } from '../../support/config.ts';

const root = new URL('../../fixtures/aws/', import.meta.url);

/** Names of the fixture files in `test/fixtures/aws/<dir>/`. */
export function fixtureNames(dir: 'events' | 'hostile'): string[] {
  return readdirSync(new URL(`${dir}/`, root)).filter((n) => n.endsWith('.json'));
}

export function fixtureText(dir: 'events' | 'hostile', name: string): string {
  return readFileSync(new URL(`${dir}/${name}`, root), 'utf8');
}

/** A fixture as tests change it: any field may be set, deleted or retyped on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: tests reshape fixtures freely, into invalid shapes too
export type Mutable = any;

/** A fresh, mutable copy of a fixture. */
export function fixture(dir: 'events' | 'hostile', name: string): Mutable {
  return JSON.parse(fixtureText(dir, name));
}

/** The alerts of a parse, failing with the parser's reason when there are none. */
export function alertsOf(parsed: ParsedEvent): Alert[] {
  if (parsed.kind !== 'alerts') throw new Error(`expected alerts, got ${parsed.kind}: ${parsed.reason}`);
  return parsed.alerts;
}

/** A role session principal as the parsers resolve it: the path-less role ARN plus what the source showed. */
export function roleSession(role: string, session: string, roleId: string, keyId: string): PrincipalRef {
  return {
    id: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    kind: 'role',
    account: ACCOUNT,
    name: role,
    aliases: [
      { type: 'session-arn', value: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}` },
      { type: 'principal-id', value: `${roleId}:${session}` },
      { type: 'access-key-id', value: keyId },
    ],
    accessKeyId: keyId,
    certain: true,
  };
}

/** An IAM user calling with a long-term access key. */
export function userWithKey(name: string, userId: string, keyId: string): PrincipalRef {
  return {
    id: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    kind: 'user',
    account: ACCOUNT,
    name,
    aliases: [
      { type: 'principal-id', value: userId },
      { type: 'access-key-id', value: keyId },
    ],
    accessKeyId: keyId,
    certain: true,
  };
}

export const bucket = (name: string) => ({ kind: 'bucket' as const, id: `arn:aws:s3:::${name}` });
export const object = (name: string, key: string) => ({
  kind: 'object' as const,
  id: `s3://${name}/${key}`,
  parent: `arn:aws:s3:::${name}`,
});
