import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import { CLOUDS } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { awsPack } from '../../packs/aws/pack.ts';
import { AWS_RESPONDER_PACKS, awsResponderPack } from '../../packs/aws/responder.ts';
import { AWS_PACKS } from '../../packs/aws-deployment.ts';
import { azurePack } from '../../packs/azure/pack.ts';
import { PACKS } from '../../packs/index.ts';
import { azureConfig, EVIDENCE, SUB } from '../azure/support/config.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';

const now = new Date('2026-11-25T10:10:00Z');

/** A planned action of `kind` from the AWS exfiltration plan, with its params changed by `patch`. */
function awsAction(
  kind: Action['kind'],
  patch: (params: Record<string, unknown>) => void = () => {},
): Action {
  const decision = decide(exfiltrationAlert(), awsConfig(), { now, packs: PACKS });
  const action = structuredClone(decision.actions.find((a) => a.kind === kind));
  if (!action) throw new Error(`the exfiltration plan has no ${kind}`);
  patch(action.params as Record<string, unknown>);
  return action;
}

const azureCopy = (evidenceStorageAccountId: string, evidenceContainer: string): Action => ({
  id: 'a4',
  kind: 'copy-blob-evidence',
  category: 'snapshot',
  target: `${EVIDENCE}/blobServices/default/containers/model-weights`,
  account: SUB,
  params: {
    storageAccountId: EVIDENCE,
    accountName: 'stweights',
    container: 'model-weights',
    evidenceStorageAccountId,
    evidenceAccountName: 'stevidence',
    evidenceContainer,
    evidencePrefix: 'incidents/x/blobs/stweights/model-weights/',
    snapshotAction: 'a3',
    syncCopyMaxBytes: 1,
  },
  inverse: 'none',
});

describe('PACKS', () => {
  it('has one pack per cloud, in the order of CLOUDS', () => {
    expect(PACKS.map((p) => p.cloud)).toEqual([...CLOUDS]);
  });

  it('gives every action kind to exactly one pack, and escalate to none (it is core’s)', () => {
    const kinds = PACKS.flatMap((p) => p.actionKinds);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).not.toContain('escalate');
  });
});

describe('decide without the alert’s pack', () => {
  it('ignores the alert and says which pack is missing', () => {
    // Prepare: an AWS alert, a deployment that only knows Azure.
    const alert = exfiltrationAlert();
    // Act
    const decision = decide(alert, awsConfig(), { now, packs: [azurePack] });
    // Assess
    expect([decision.decision, decision.reason, decision.actions]).toEqual([
      'ignore',
      'no cloud pack for "aws" in this deployment',
      [],
    ]);
  });
});

describe('checkPlanned', () => {
  it.each([
    ['an honest session revocation', awsAction('revoke-role-sessions'), []],
    [
      'a session "revocation" that allows',
      awsAction('revoke-role-sessions', (p) => {
        for (const s of (p.policyDocument as { Statement: { Effect: string }[] }).Statement)
          s.Effect = 'Allow';
      }),
      ['a1 revoke-role-sessions writes a policy that is not Deny-only'],
    ],
    ['an honest quarantine', awsAction('quarantine-bucket'), []],
    [
      'a quarantine statement that allows',
      awsAction('quarantine-bucket', (p) => {
        (p.statement as { Effect: string }).Effect = 'Allow';
      }),
      ['a2 quarantine-bucket writes a statement that is not a Deny'],
    ],
    ['a copy into the evidence bucket', awsAction('copy-evidence'), []],
    [
      'a copy into another bucket',
      awsAction('copy-evidence', (p) => {
        p.evidenceBucket = 'attacker-drop';
      }),
      ['a4 copy-evidence copies to attacker-drop, not the evidence bucket'],
    ],
  ])('AWS: %s → %j', (_name, action, problems) => {
    expect(awsPack.checkPlanned(action, awsConfig())).toEqual(problems);
  });

  it.each([
    ['a copy into the evidence container', azureCopy(EVIDENCE.toUpperCase(), 'evidence'), []],
    [
      'a copy into another container',
      azureCopy(EVIDENCE, 'public'),
      ['a4 copy-blob-evidence copies outside the evidence container'],
    ],
  ])('Azure: %s → %j', (_name, action, problems) => {
    expect(azurePack.checkPlanned(action, azureConfig())).toEqual(problems);
  });

  it('leaves the other pack’s kinds alone', () => {
    expect(
      azurePack.checkPlanned(
        awsAction('copy-evidence', (p) => (p.evidenceBucket = 'x')),
        azureConfig(),
      ),
    ).toEqual([]);
    expect(awsPack.checkPlanned(azureCopy(EVIDENCE, 'public'), awsConfig())).toEqual([]);
  });
});

describe('the AWS deployment’s packs', () => {
  it('are the AWS pack alone; the functions that read no logs take it without its formats', () => {
    expect(AWS_PACKS).toEqual([awsPack]);
    expect(AWS_RESPONDER_PACKS).toEqual([awsResponderPack]);
    const { formats, ...rest } = awsPack;
    expect(Object.keys(formats).length).toBeGreaterThan(0);
    expect(awsResponderPack).toEqual({ ...rest, formats: {} });
  });

  it('decide the same without the formats', () => {
    const alert = exfiltrationAlert();
    const withFormats = decide(alert, awsConfig(), { now, packs: AWS_PACKS });
    expect(decide(alert, awsConfig(), { now, packs: AWS_RESPONDER_PACKS })).toEqual(withFormats);
    expect(withFormats.decision).toBe('contain');
  });
});
