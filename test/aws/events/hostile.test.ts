/**
 * Hostile inputs (test/fixtures/aws/hostile/, built from the documented shapes of ../events): each is
 * rejected with a reason, or, where the input is well-formed but about someone Tourniquet must not
 * touch (the responder's own role, break-glass) or a sample, parsed and then held by the decision.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../core/decide.ts';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { PACKS } from '../../../packs/index.ts';
import { awsConfig } from '../../support/config.ts';
import { alertsOf, fixture, fixtureNames, fixtureText } from './fixtures.ts';

const now = new Date('2026-11-25T12:00:00.000Z');

const REJECTED: Record<string, RegExp> = {
  'truncated.json': /not valid JSON \(truncated\?\)/,
  'wrong-types.json': /detail.severity: .*expected number.*detail.resource: .*expected object/,
  'bucket-name-injection.json': /s3BucketDetails.0.name ".*" is not a valid S3 bucket name/,
  'role-name-injection.json': /accessKeyDetails.userName ".*" is not a valid IAM role name/,
  'cloudtrail-role-arn-injection.json':
    /session issuer ".*llm-eval-role\*" is not an IAM user, role or root ARN/,
  'spoofed-source.json': /source "custom.guardduty" does not match detail-type "GuardDuty Finding"/,
  'foreign-partition.json': /another partition/,
  'foreign-partition-cloudtrail.json': /aws-cn partition/,
  'short-account.json': /event.account "11112222333" is not a 12-digit AWS account id/,
};

describe('hostile AWS events', () => {
  it('has an expectation for every hostile fixture', () => {
    const covered = [...Object.keys(REJECTED), 'oversized-field.json', 'sample-placeholder-bucket.json'];
    const held = [
      'responder-actor.json',
      'responder-actor-cloudtrail.json',
      'breakglass-actor.json',
      'odd-object-key.json',
    ];
    expect(fixtureNames('hostile').sort()).toEqual([...covered, ...held].sort());
  });

  it.each(Object.entries(REJECTED))('rejects %s', (name, reason) => {
    expect(parseAwsEvent(fixtureText('hostile', name))).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(reason),
    });
  });

  it.each([
    ['text', (e: object) => JSON.stringify(e)],
    ['an object', (e: object) => e],
  ])('rejects a 5 MB field, given as %s', (_name, as) => {
    const e = fixture('hostile', 'oversized-field.json');
    e.detail.description = 'A'.repeat(5 * 1024 * 1024);
    expect(parseAwsEvent(as(e))).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(/is 52\d{5} bytes/),
    });
  });

  it('keeps rejection reasons short and on one line, whatever the input held', () => {
    for (const name of Object.keys(REJECTED)) {
      const parsed = parseAwsEvent(fixtureText('hostile', name));
      const reason = parsed.kind === 'rejected' ? parsed.reason : '';
      expect(reason).not.toMatch(/[\n\r]/);
      expect(reason.length).toBeLessThan(600);
    }
  });

  it('ignores a sample finding whose placeholder bucket name is not a real one', () => {
    expect(parseAwsEvent(fixtureText('hostile', 'sample-placeholder-bucket.json'))).toEqual({
      kind: 'ignored',
      reason: expect.stringMatching(
        /^sample finding with placeholder values \(.*"bucketName" is not a valid S3 bucket name\)$/,
      ),
    });
  });

  it("escalates the responder's own role without revoking it or quarantining around it", () => {
    const [alert] = alertsOf(parseAwsEvent(fixtureText('hostile', 'responder-actor.json')));
    const d = decide(alert as NonNullable<typeof alert>, awsConfig(), { packs: PACKS, now });
    expect(d.decision).toBe('contain');
    expect(d.actions.map((a) => a.kind)).toEqual(['pin-objects', 'copy-evidence', 'escalate']);
    expect(d.actions.at(-1)?.params).toMatchObject({ reason: expect.stringMatching(/responder identity/) });
  });

  it("ignores the responder's own change to a bucket (Tourniquet's release at work)", () => {
    const [alert] = alertsOf(parseAwsEvent(fixtureText('hostile', 'responder-actor-cloudtrail.json')));
    const d = decide(alert as NonNullable<typeof alert>, awsConfig(), { packs: PACKS, now });
    expect(d).toMatchObject({
      decision: 'ignore',
      reason: expect.stringMatching(/is a responder/),
      actions: [],
    });
  });

  it('escalates break-glass without revoking it', () => {
    const [alert] = alertsOf(parseAwsEvent(fixtureText('hostile', 'breakglass-actor.json')));
    const d = decide(alert as NonNullable<typeof alert>, awsConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['pin-objects', 'copy-evidence', 'escalate']);
    expect(d.actions.at(-1)?.params).toMatchObject({
      reason: expect.stringMatching(/protected \(break-glass\)/),
    });
  });

  it('contains a read with an odd object key: the bucket stays named, the key is noted, not pinned', () => {
    const [alert] = alertsOf(parseAwsEvent(fixtureText('hostile', 'odd-object-key.json')));
    expect(alert?.context.droppedKeys).toEqual(['"weights/\\u0007model\\n00001.safetensors"']);
    const d = decide(alert as NonNullable<typeof alert>, awsConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['revoke-role-sessions', 'pin-objects', 'escalate']);
    expect(d.actions[1]?.params).toMatchObject({ bucket: 'models-prod', keys: [] });
  });
});
