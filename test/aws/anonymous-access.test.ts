/**
 * Anonymous access is a leak by itself (issue 7): an unauthenticated read of a protected asset, as
 * CloudTrail records it (`userIdentity` {type AWSAccount, principalId "", accountId anonymous}),
 * closes the bucket and pins evidence with no principal to revoke, and needs no reader baseline.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import { fixture } from './events/fixtures.ts';

const NOW = new Date('2026-11-26T09:15:00.000Z');
const anonymousRead = () => fixture('events', 'cloudtrail-getobject-anonymous.json');

function decideOn(event: unknown, config = awsConfig()) {
  const parsed = parseAwsEvent(event);
  if (parsed.kind !== 'alerts' || !parsed.alerts[0]) throw new Error(JSON.stringify(parsed));
  return { alert: parsed.alerts[0], decision: decide(parsed.alerts[0], config, { packs: PACKS, now: NOW }) };
}

describe('an anonymous read of a protected asset (CloudTrail data event)', () => {
  it('names the anonymous actor and quarantines the bucket, revoking nobody, with no knownReaders', () => {
    const { alert, decision } = decideOn(anonymousRead(), awsConfig({ detect: { knownReaders: [] } }));
    expect(alert.principal?.kind).toBe('anonymous');
    expect(alert.actor).toEqual({ id: 'anonymous', kind: 'anonymous' });
    expect(decision.decision).toBe('contain');
    expect(decision.playbook).toBe('aws-anonymous-read');
    expect(decision.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    const quarantine = decision.actions.find((a) => a.kind === 'quarantine-bucket');
    expect(quarantine?.params).toMatchObject({
      bucket: 'models-prod',
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    // The lockdown leaves the responders and break-glass able to act.
    const exempt = JSON.stringify(quarantine?.params);
    expect(exempt).toContain(`arn:aws:iam::${ACCOUNT}:role/ir-responder`);
    expect(exempt).toContain(`arn:aws:iam::${ACCOUNT}:user/breakglass`);
    expect(decision.actions.map((a) => a.kind)).toEqual([
      'quarantine-bucket',
      'pin-objects',
      'copy-evidence',
      'escalate',
    ]);
  });

  it('is dry-run unless the configuration says enforce', () => {
    const { decision } = decideOn(anonymousRead(), awsConfig({ mode: 'dry-run' }));
    expect(decision.mode).toBe('dry-run');
  });

  it('an anonymous read of a bucket that is no asset is ignored, with the reason', () => {
    const event = anonymousRead();
    event.detail.requestParameters.bucketName = 'public-website';
    event.detail.resources = event.detail.resources.map((r: { type: string; ARN: string }) =>
      r.type === 'AWS::S3::Bucket'
        ? { ...r, ARN: 'arn:aws:s3:::public-website' }
        : { ...r, ARN: `arn:aws:s3:::public-website/${event.detail.requestParameters.key}` },
    );
    const { decision } = decideOn(event);
    expect([decision.decision, decision.playbook, decision.reason]).toEqual([
      'ignore',
      'aws-anonymous-read',
      'not a threat by itself: names no protected asset bucket',
    ]);
  });

  it('a caller from another account (AWSAccount with an account id) is no anonymous read', () => {
    const event = anonymousRead();
    event.detail.userIdentity = {
      type: 'AWSAccount',
      principalId: 'AIDAEXAMPLEOTHER0001',
      accountId: '444455556666',
    };
    const { alert, decision } = decideOn(event);
    expect(alert.principal?.kind).toBe('unknown');
    expect(decision.playbook).toBe('aws-unknown-reader');
  });
});
