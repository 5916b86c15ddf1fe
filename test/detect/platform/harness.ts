/**
 * Scores a platform day: every file goes through the real scan session (sniffed, streamed, the
 * packs' parsers, every detector, an in-memory window store), every alert through decide(), and
 * the findings are held against the ground truth. Per detector and overall: precision, recall and
 * false containments (benign actors whose finding would reach `contain` with an action that
 * changes something).
 */
import type { Decision } from '../../../core/actions.ts';
import type { Alert } from '../../../core/alert.ts';
import { type Config, parseConfig } from '../../../core/config.ts';
import { decide } from '../../../core/decide.ts';
import { atLeastConfidence } from '../../../core/detect/combinations.ts';
import { memoryWindowStore } from '../../../core/detect/memory-window-store.ts';
import { createScanSession } from '../../../core/detect/scan.ts';
import { PACKS } from '../../../packs/index.ts';
import { ACCOUNT, CANARY, STORAGE_ACCOUNT, SUBSCRIPTION } from '../detect-config.ts';
import type { Actor, AttackKind, AttackTruth, PlatformDay } from './day.ts';
import { TENANT } from './emit-azure.ts';
import {
  AKS_IDENTITY,
  AML_IDENTITY,
  AWS_ENI,
  AWS_ENI_2,
  approvedMd5,
  approvedSha256,
  BLOBS,
  SHARD_BYTES,
  SHARDS,
  V2_SHARDS,
  VPCE,
} from './workloads.ts';

/**
 * The configuration a careful operator would write for this platform (examples/tourniquet.config.json
 * with the platform's names): every weight reader it runs is a known reader, its networks are
 * expected, the batch consumer is a known caller, the approved shards are in the manifest.
 */
export function platformConfig(detect: Record<string, unknown> = {}): Config {
  const hexOf = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
  return parseConfig({
    mode: 'enforce',
    minSeverity: 7,
    aws: {
      accounts: [ACCOUNT],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      protectedPrincipals: [`arn:aws:iam::${ACCOUNT}:user/breakglass`],
      assets: [
        { bucket: 'models-prod', kind: 'model-weights', prefixes: ['weights/'] },
        { bucket: 'models-archive', kind: 'model-weights', prefixes: ['archive/'] },
        { bucket: 'training-data', kind: 'training-data' },
      ],
      evidenceBucket: `ir-evidence-${ACCOUNT}`,
    },
    azure: {
      tenantId: TENANT,
      subscriptions: [SUBSCRIPTION],
      responders: ['0d3c2b1a-1111-4222-8333-944445555666'],
      assets: [{ storageAccount: STORAGE_ACCOUNT, containers: ['models'], kind: 'model-weights' }],
      evidence: { storageAccount: STORAGE_ACCOUNT, container: 'evidence' },
    },
    detect: {
      knownReaders: [
        `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
        `arn:aws:sts::${ACCOUNT}:assumed-role/llm-finetune-role/*`,
        `arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/*`,
        `arn:aws:sts::${ACCOUNT}:assumed-role/eval-runner-role/*`,
        `arn:aws:sts::${ACCOUNT}:assumed-role/cache-warmer-role/*`,
        AKS_IDENTITY,
        AML_IDENTITY,
      ],
      expectedNetworks: [VPCE, '10.20.0.0/16', '10.30.0.0/16'],
      inferenceEndpoints: [AWS_ENI, AWS_ENI_2, '10.20.1.15', '10.20.1.16', '10.30.1.15', '10.30.1.16'],
      canaryTokens: [CANARY],
      knownCallers: [`arn:aws:sts::${ACCOUNT}:assumed-role/batch-consumer-role/*`],
      manifest: [
        ...[...SHARDS, ...V2_SHARDS].map((k) => ({
          location: `s3://models-prod/${k}`,
          sha256: hexOf(approvedSha256(k)),
          size: SHARD_BYTES,
        })),
        ...BLOBS.map((b) => ({
          location: `https://llmweights.blob.core.windows.net/models/${b}`,
          md5: approvedMd5(b),
        })),
      ],
      ...detect,
    },
  });
}

export interface Finding {
  alert: Alert;
  decision: Decision;
  /** The finest actor the alert names (the STS session for roles), else its principal. */
  actor: string;
  /** Whether the decision would change something (not only escalate). */
  contains: boolean;
  attack?: AttackTruth;
  /** The attack matched at the actor's grain, not only through its principal. */
  pinned: boolean;
  benign?: Actor;
}

export interface DetectorRow {
  type: string;
  alerts: number;
  truePositives: number;
  precision: number;
  /** Attacks that expect this alert type, and how many of them it raised. */
  expected: number;
  detected: number;
  recall: number;
  contains: number;
  falseContainments: number;
}

export interface DayResult {
  seed: number;
  files: number;
  bytes: number;
  records: number;
  malformed: number;
  /** Files whose sniffed format is not the one they were written in. */
  misSniffed: string[];
  findings: Finding[];
  rows: DetectorRow[];
  overall: DetectorRow & { pinned: number; attacks: number };
  perKind: Record<AttackKind, { attacks: number; detected: number; pinned: number }>;
  /** Benign actors whose finding would reach `contain`, with the alert type and the workload. */
  falseContainments: { actor: string; what: string; type: string; principal: string }[];
  /**
   * Benign actors sharing a principal a true finding's plan revokes, whatever the revocation's
   * scope: the upper bound, what a whole-role revocation would cut off.
   */
  collateral: number;
  /**
   * Benign actors the true findings' revocations do cut off: every actor of a principal revoked
   * whole, only the pinned session's when the deny names one (`params.session`).
   */
  cutOff: string[];
  missed: AttackTruth[];
}

/** The actor an alert names: the session alias for roles, the principal otherwise (peers for egress). */
export function actorOfAlert(alert: Alert): string {
  if (alert.actor) return alert.actor.id;
  const p = alert.principal;
  if (!p) return '?';
  for (const a of p.aliases) if (a.type === 'session-arn') return a.value;
  return p.id;
}

export async function scanDay(day: PlatformDay, config = platformConfig()): Promise<DayResult> {
  const session = createScanSession(config, memoryWindowStore(), { packs: PACKS });
  const alerts: Alert[] = [];
  let records = 0;
  let malformed = 0;
  let bytes = 0;
  const misSniffed: string[] = [];
  for (const file of day.files) {
    const data = Buffer.from(file.text);
    bytes += data.length;
    const { stats, alerts: found } = await session.scan(once(data));
    if (stats.format !== file.format) misSniffed.push(`${file.name}: ${stats.format}`);
    records += stats.records;
    malformed += stats.malformed;
    // What the scan reports: findings at or above detect.minConfidence (the rest are signals).
    alerts.push(...found.filter((f) => atLeastConfidence(f.confidence, config.detect.minConfidence)));
  }
  const byActor = new Map(day.attacks.map((a) => [a.actor, a]));
  const byPrincipal = new Map<string, AttackTruth>();
  for (const a of day.attacks) if (!a.sharedPrincipal) byPrincipal.set(a.principal, a);
  const benign = new Map(day.benign.map((b) => [b.actor, b]));
  const findings: Finding[] = alerts.map((alert) => {
    const decision = decide(alert, config, { now: new Date(alert.observedAt), packs: PACKS });
    const actor = actorOfAlert(alert);
    const exact = byActor.get(actor);
    const viaPrincipal = exact ? undefined : byPrincipal.get(alert.principal?.id ?? '');
    const attack = exact ?? viaPrincipal;
    // Containment is what cuts someone off or closes a store; pinning evidence and escalating are not.
    const contains =
      decision.decision === 'contain' &&
      decision.actions.some((a) => a.category === 'revoke' || a.category === 'quarantine');
    return {
      alert,
      decision,
      actor,
      contains,
      attack,
      pinned: !!exact,
      benign: attack ? undefined : benign.get(actor),
    };
  });
  const types = [
    ...new Set([...findings.map((f) => f.alert.type), ...day.attacks.flatMap((a) => a.expect)]),
  ].sort();
  const row = (type: string | null): DetectorRow => {
    const fs = findings.filter((f) => type === null || f.alert.type === type);
    const tp = fs.filter((f) => f.attack).length;
    const expected = day.attacks.filter((a) => type === null || a.expect.includes(type));
    const detected = expected.filter((a) => fs.some((f) => f.attack === a)).length;
    const fc = new Set(fs.filter((f) => f.contains && !f.attack).map((f) => f.actor));
    return {
      type: type ?? 'overall',
      alerts: fs.length,
      truePositives: tp,
      precision: fs.length ? tp / fs.length : 1,
      expected: expected.length,
      detected,
      recall: expected.length ? detected / expected.length : 1,
      contains: fs.filter((f) => f.contains).length,
      falseContainments: fc.size,
    };
  };
  const perKind = {} as DayResult['perKind'];
  for (const a of day.attacks) {
    const k = perKind[a.kind] ?? { attacks: 0, detected: 0, pinned: 0 };
    perKind[a.kind] = k;
    k.attacks++;
    if (findings.some((f) => f.attack === a)) k.detected++;
    if (findings.some((f) => f.attack === a && f.pinned)) k.pinned++;
  }
  const fcs = new Map<string, DayResult['falseContainments'][number]>();
  for (const f of findings)
    if (f.contains && !f.attack && !fcs.has(f.actor))
      fcs.set(f.actor, {
        actor: f.actor,
        what: f.benign?.what ?? '(not in the ground truth)',
        type: f.alert.type,
        principal: f.alert.principal?.id ?? '?',
      });
  const revokedShared = new Set(
    findings.filter((f) => f.contains && f.attack?.sharedPrincipal).map((f) => f.attack?.principal),
  );
  const collateral = day.benign.filter((b) => revokedShared.has(b.principal)).length;
  const cutOff = new Set<string>();
  for (const f of findings)
    if (f.contains && f.attack)
      for (const a of f.decision.actions) {
        if (a.category !== 'revoke') continue;
        const session = (a.params as { session?: unknown }).session;
        for (const b of day.benign)
          if (b.principal === a.target && (typeof session !== 'string' || pinnedTo(b.actor, session)))
            cutOff.add(b.actor);
      }
  const overall = row(null);
  return {
    seed: day.seed,
    files: day.files.length,
    bytes,
    records,
    malformed,
    misSniffed,
    findings,
    rows: types.map(row),
    overall: {
      ...overall,
      attacks: day.attacks.length,
      pinned: day.attacks.filter((a) => findings.some((f) => f.attack === a && f.pinned)).length,
    },
    perKind,
    falseContainments: [...fcs.values()],
    collateral,
    cutOff: [...cutOff],
    missed: day.attacks.filter((a) => !findings.some((f) => f.attack === a)),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`.padStart(5);

/** The table the test and the benchmark print. */
export function formatResult(r: DayResult): string {
  const head = `${'detector (alert type)'.padEnd(46)} alerts    TP  prec  exp  det recall contain falseC`;
  const line = (x: DetectorRow) =>
    `${x.type.padEnd(46)} ${String(x.alerts).padStart(6)} ${String(x.truePositives).padStart(5)} ${pct(x.precision)} ${String(x.expected).padStart(4)} ${String(x.detected).padStart(4)} ${pct(x.recall)}  ${String(x.contains).padStart(6)} ${String(x.falseContainments).padStart(6)}`;
  const kinds = Object.entries(r.perKind)
    .map(([k, v]) => `  ${k.padEnd(22)} ${v.detected}/${v.attacks} found, ${v.pinned} naming the actor`)
    .join('\n');
  const fcs = r.falseContainments.map((f) => `  ${f.type}  ${f.actor}  (${f.what})`).join('\n');
  return [
    `[platform-day] seed ${r.seed}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB, ${r.records} records, ${r.malformed} malformed${r.misSniffed.length ? `, mis-sniffed: ${r.misSniffed.join('; ')}` : ''}`,
    head,
    ...r.rows.map(line),
    line(r.overall),
    `attacks: ${r.overall.attacks}, found ${r.overall.detected}, naming the actor ${r.overall.pinned}; false containments ${r.falseContainments.length}; collateral (benign actors sharing a revoked principal) ${r.collateral}, benign sessions cut off by the revocations ${r.cutOff.length}`,
    'per attack kind:',
    kinds,
    ...(fcs ? ['false containments:', fcs] : []),
    ...(r.missed.length ? ['missed:', ...r.missed.map((a) => `  ${a.id} ${a.actor} (${a.what})`)] : []),
  ].join('\n');
}

/**
 * The promise of issue 7: no benign actor's finding reaches `contain`. `types` limits it to some
 * detectors' alert types (the ones that keep it today); without it, every detector.
 */
export function assertNoFalseContainments(result: DayResult, types?: readonly string[]): void {
  const fcs = result.falseContainments.filter((f) => !types || types.includes(f.type));
  if (fcs.length)
    throw new Error(
      `seed ${result.seed}: ${fcs.length} false containment(s):\n${fcs.map((f) => `  ${f.type} ${f.actor} (${f.what})`).join('\n')}`,
    );
}

/**
 * Whether a session-scoped deny (`params.session`: `AROA…:<name>` or `SourceIdentity=<id>`) reaches
 * this benign actor: a role session ARN with that session name. The generated benign sessions set
 * no source identity, so such a deny reaches none of them.
 */
function pinnedTo(actor: string, session: string): boolean {
  if (session.startsWith('SourceIdentity=')) return false;
  return actor.endsWith(`/${session.slice(session.indexOf(':') + 1)}`);
}

async function* once(data: Buffer) {
  yield data;
}
