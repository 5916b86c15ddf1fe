/**
 * The EventBridge envelope (EventBridge User Guide "Amazon EventBridge events"; 256 KB event limit from
 * the EventBridge quotas). Only AWS services publish `aws.*` sources, so the source authenticates.
 */
import { describe, expect, it } from 'vitest';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { fixture, fixtureText, type Mutable } from './fixtures.ts';

const gd = () => fixture('events', 'guardduty-s3-exfiltration-assumed-role.json');

describe('parseAwsEvent: the EventBridge envelope', () => {
  it('reads JSON text exactly as it reads the object', () => {
    const name = 'securityhub-findings.json';
    expect(parseAwsEvent(fixtureText('events', name))).toEqual(parseAwsEvent(fixture('events', name)));
  });

  it.each([
    ['text', (e: object) => JSON.stringify(e)],
    ['an object', (e: object) => e],
  ])('rejects more than 256 KB given as %s, as EventBridge cannot deliver it', (_name, as) => {
    const e = gd();
    e.detail.description = 'x'.repeat(256 * 1024);
    expect(parseAwsEvent(as(e))).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(/bytes: EventBridge delivers at most 262144/),
    });
  });

  it.each([
    ['an array', [gd()]],
    ['a number', 42],
    ['null', null],
    ['a JSON string of a string', '"GuardDuty Finding"'],
  ])('rejects %s', (_name, input) => {
    expect(parseAwsEvent(input)).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(/not an EventBridge event/),
    });
  });

  it('rejects values JSON cannot represent instead of throwing', () => {
    const cyclic = gd();
    cyclic.detail.self = cyclic;
    expect(parseAwsEvent(cyclic)).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/cannot be serialized/),
    });
    expect(parseAwsEvent({ ...gd(), big: 1n })).toMatchObject({ kind: 'rejected' });
  });

  it.each([
    ['a missing detail', (e: Mutable) => delete e.detail, /event.detail/],
    ['a detail that is a string', (e: Mutable) => (e.detail = '{}'), /event.detail/],
    ['an account of 13 digits', (e: Mutable) => (e.account = '1111222233334'), /12-digit/],
    ['a region that is not one', (e: Mutable) => (e.region = 'us-east-1\n'), /not an AWS region/],
    ['a GovCloud region', (e: Mutable) => (e.region = 'us-gov-west-1'), /another partition/],
    ['a time that is not ISO 8601', (e: Mutable) => (e.time = 'yesterday'), /event.time/],
    [
      'a resources ARN in aws-cn',
      (e: Mutable) => (e.resources = ['arn:aws-cn:guardduty:cn-north-1:111122223333:detector/x']),
      /aws-cn/,
    ],
    [
      'GuardDuty Finding from a custom source',
      (e: Mutable) => (e.source = 'custom.guardduty'),
      /not from AWS/,
    ],
    [
      'GuardDuty Finding from another AWS service',
      (e: Mutable) => (e.source = 'aws.securityhub'),
      /"aws.securityhub" does not publish it/,
    ],
  ])('rejects %s', (_name, change, reason) => {
    const e = gd();
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });

  it.each([
    [
      'a detail-type Tourniquet does not handle',
      { 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2' },
    ],
    [
      'a CloudTrail call of another service',
      { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2' },
    ],
    ['a custom application event', { 'detail-type': 'OrderPlaced', source: 'com.example.shop' }],
  ])('ignores %s', (_name, header) => {
    expect(parseAwsEvent({ ...gd(), ...header })).toMatchObject({ kind: 'ignored' });
  });
});
