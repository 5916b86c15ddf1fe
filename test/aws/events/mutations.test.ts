/**
 * Seeded random mutations of every documented fixture (drop a field, change its type, put hostile text
 * in it) must never crash the parser, never reach its catch-all for unexpected errors (that would be
 * a parser bug hidden as a rejection), and never produce an alert with an invalid name. The validity
 * rules here are written out independently of core/names.ts, from the S3 and IAM naming rules.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../core/alert.ts';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { fixture, fixtureNames, type Mutable } from './fixtures.ts';

const RUNS_PER_FIXTURE = 300;

/** mulberry32: a small deterministic PRNG, so a failure names a seed that reproduces it. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_VALUES: unknown[] = [
  null,
  0,
  -1,
  Number.POSITIVE_INFINITY,
  7.5,
  true,
  '',
  ' ',
  [],
  {},
  [{}],
  'x'.repeat(5000),
  'models-prod"*',
  'a\nb',
  'Models_Prod',
  '..',
  'arn:aws-cn:s3:::models-prod',
  'arn:aws:iam::111122223333:role/a/../b',
  'arn:aws:iam::111122223333:user/x*',
  'AKIA',
  '111122223333',
  '1111',
  '2026-13-45T99:00:00Z',
  '\u0000',
  '%00',
  { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
  ['*'],
  'AWSServiceRoleForX',
];

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function mutate(event: Mutable, random: () => number): void {
  const all = paths(event);
  const path = all[Math.floor(random() * all.length)] ?? [];
  const parent = path.slice(0, -1).reduce<Mutable>((o, k) => o?.[k], event);
  const key = path.at(-1);
  if (parent === null || typeof parent !== 'object' || key === undefined) return;
  if (random() < 0.3) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else {
    parent[key] = structuredClone(HOSTILE_VALUES[Math.floor(random() * HOSTILE_VALUES.length)]);
  }
}

// The oracle: what every alert must satisfy, whatever the input.
const ACCOUNT = /^\d{12}$/;
const BUCKET = /^arn:aws:s3:::(?!xn--|sthree-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const OBJECT = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.{1,1024})$/su;
const hasControl = (text: string) => [...text].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f');
const IAM_PRINCIPAL = /^arn:aws:iam::\d{12}:(user|role)\/([\w+=,.@-]{1,64})$/;
const ROOT = /^arn:aws:iam::\d{12}:root$/;
const KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16,}$/;
const SESSION = /^arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{2,64}$/;

function violations(alert: Alert): string[] {
  const bad: string[] = [];
  const check = (ok: boolean, what: string) => ok || bad.push(what);
  check(ACCOUNT.test(alert.account), `account ${alert.account}`);
  check(/^[\x21-\x7e]+$/.test(alert.dedupeKey), `dedupeKey ${alert.dedupeKey}`);
  check(alert.severity >= 0 && alert.severity <= 10, `severity ${alert.severity}`);
  check(!Number.isNaN(Date.parse(alert.observedAt)), `observedAt ${alert.observedAt}`);
  for (const r of alert.resources) {
    if (r.kind === 'bucket') check(BUCKET.test(r.id) && !r.id.includes('..'), `bucket ${r.id}`);
    if (r.kind === 'object') check(OBJECT.test(r.id) && !hasControl(r.id), `object ${JSON.stringify(r.id)}`);
    if (r.kind === 'access-key')
      check(KEY_ID.test(r.id) && IAM_PRINCIPAL.test(r.parent ?? ''), `key ${r.id} of ${r.parent}`);
  }
  const p = alert.principal;
  if (p) {
    if (p.kind === 'user' || p.kind === 'role' || p.kind === 'service-linked-role') {
      const m = IAM_PRINCIPAL.exec(p.id);
      check(!!m && m[2] === p.name && ACCOUNT.test(p.account), `principal ${p.id}`);
    }
    if (p.kind === 'root') check(ROOT.test(p.id), `root ${p.id}`);
    if (p.accessKeyId !== undefined) check(KEY_ID.test(p.accessKeyId), `accessKeyId ${p.accessKeyId}`);
    for (const a of p.aliases)
      if (a.type === 'session-arn') check(SESSION.test(a.value), `session ${a.value}`);
    check(!hasControl(p.id), `principal id with control characters ${JSON.stringify(p.id)}`);
  }
  // Object keys may be any text (even ARN-like), so only principals, buckets, keys and parents count.
  const named = JSON.stringify([alert.principal, alert.resources.filter((r) => r.kind !== 'object')]);
  check(!/arn:aws-[a-z]/.test(named), 'a foreign-partition ARN');
  check(
    new Set(p?.aliases.map((a) => `${a.type}=${a.value}`)).size === (p?.aliases.length ?? 0),
    'duplicate aliases',
  );
  return bad;
}

describe('parseAwsEvent under random mutations of every fixture', () => {
  it.each(fixtureNames('events'))('%s', (name) => {
    const seed = [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);
    const random = prng(seed);
    const kinds = { alerts: 0, ignored: 0, rejected: 0 };
    for (let run = 0; run < RUNS_PER_FIXTURE; run++) {
      const event = fixture('events', name);
      const rounds = 1 + Math.floor(random() * 3);
      for (let i = 0; i < rounds; i++) mutate(event, random);
      const parsed = parseAwsEvent(event);
      kinds[parsed.kind]++;
      if (parsed.kind === 'rejected') {
        expect(parsed.reason, `seed ${seed} run ${run}`).not.toMatch(/could not be parsed/);
        continue;
      }
      if (parsed.kind !== 'alerts') continue;
      for (const alert of parsed.alerts) {
        expect(violations(alert), `seed ${seed} run ${run}: ${JSON.stringify(alert).slice(0, 400)}`).toEqual(
          [],
        );
      }
    }
    // The mutations must exercise both outcomes, or the test proves nothing.
    expect(kinds.rejected).toBeGreaterThan(0);
    expect(kinds.alerts + kinds.ignored).toBeGreaterThan(0);
  });
});
