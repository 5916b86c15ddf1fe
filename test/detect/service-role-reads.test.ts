import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, scanText } from './detect-config.ts';
import { type AwsIdentity, cloudTrailEvent, cloudTrailFile, sessionArn } from './platform/emit-aws.ts';
import { platformConfig } from './platform/harness.ts';
import { SHARDS, WEIGHTS_BUCKET } from './platform/workloads.ts';

const T0 = Date.parse('2026-11-25T01:00:00Z');
const ROLE = 'AWSBackupDefaultServiceRole';
const SESSION = `AWSBackup-${ROLE}`;
const BACKUP: AwsIdentity = { type: 'role', role: ROLE, session: SESSION, invokedBy: 'backup.amazonaws.com' };

/** 30 shards of 4.7 GB in 512 MiB ranged GETs (270 CloudTrail GetObject events), from `ip`. */
function backupReads(ip: string, who: AwsIdentity = BACKUP): string {
  const events = [];
  let n = 0;
  for (const key of SHARDS)
    for (let off = 0; off < 4_700_000_000; off += 512 * 1024 ** 2)
      events.push(
        cloudTrailEvent({
          at: T0 + n * 200,
          who,
          op: 'GetObject',
          bucket: WEIGHTS_BUCKET,
          keys: [key],
          bytes: Math.min(512 * 1024 ** 2, 4_700_000_000 - off),
          ip,
          n: ++n,
        }),
      );
  return cloudTrailFile(events);
}

const scan = scanText;

/** The operator lists the backup role as a known reader (no networks of its own). */
const config = () =>
  platformConfig({
    knownReaders: [...platformConfig().detect.knownReaders, `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/*`],
  });

describe('unexpected-network on reads an AWS service makes with a customer role', () => {
  it('a backup job (sourceIPAddress backup.amazonaws.com, invokedBy) raises no unexpected-network signal and is not contained', async () => {
    // Prepare: AWS Backup reading every shard with its service role, as CloudTrail logs it.
    const text = backupReads('backup.amazonaws.com');
    expect(text).toContain('"invokedBy":"backup.amazonaws.com"');
    // Act
    const alerts = await scan(config(), text);
    // Assess: no signal claims a network; what is left (bulk-read, outside per its own check) only escalates.
    const mine = alerts.filter((a) => a.actor?.id === sessionArn(ROLE, SESSION));
    expect(mine.flatMap((a) => (a.context.signalKinds as string[]) ?? [])).not.toContain(
      'unexpected-network',
    );
    for (const a of mine) {
      expect(a.confidence).not.toBe('high');
      const d = decide(a, config(), { now: new Date(a.observedAt), packs: PACKS });
      expect(d.actions.filter((x) => x.category === 'revoke' || x.category === 'quarantine')).toEqual([]);
    }
  });

  it('a known-reader backup role copying every shard through the service is the trusted low signal, not an escalation', async () => {
    const alerts = await scan(config(), backupReads('backup.amazonaws.com'));
    const mine = alerts.filter((a) => a.actor?.id === sessionArn(ROLE, SESSION));
    // Low, below minConfidence (medium): a signal only, no alert line, nothing handed to decide.
    expect(mine.map((a) => [a.confidence, a.context.combination])).toEqual([
      ['low', 'known reader, bulk volume within its networks'],
    ]);
    // The same reads by a role nobody listed are judged against the absolute limits: medium.
    const unlisted = (await scan(platformConfig(), backupReads('backup.amazonaws.com'))).filter(
      (a) => a.actor?.id === sessionArn(ROLE, SESSION),
    );
    expect(unlisted.map((a) => a.confidence)).toEqual(['medium']);
  });

  it('the same role reading from a public address is still from an unexpected network, and high', async () => {
    const alerts = await scan(
      config(),
      backupReads('198.51.100.23', { type: 'role', role: ROLE, session: SESSION }),
    );
    const mine = alerts.filter((a) => a.actor?.id === sessionArn(ROLE, SESSION));
    expect(mine.flatMap((a) => a.context.signalKinds as string[])).toContain('unexpected-network');
    expect(mine.map((a) => a.confidence)).toContain('high');
  });
});
