import { NoSuchEntityException, ServiceFailureException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../../core/errors.ts';
import { awsCall, translateAwsError } from '../../../functions-aws/errors.ts';
import { s3Error } from '../../support/aws-fakes.ts';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('translateAwsError', () => {
  it.each([
    [
      'ThrottlingException',
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', ...meta(400) }),
    ],
    ['IAM Throttling', Object.assign(new Error('Rate exceeded'), { name: 'Throttling', ...meta(400) })],
    ['S3 503 SlowDown', s3Error('SlowDown', 503, 'Please reduce your request rate.')],
    ['an unknown 500', s3Error('WeirdServerThing', 500)],
    ['IAM ServiceFailure', new ServiceFailureException({ message: 'failure', ...meta(500) })],
    [
      '$retryable',
      Object.assign(new Error('x'), { name: 'Anything', $retryable: { throttling: false }, ...meta(400) }),
    ],
    ['a reset socket', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['409 ConditionalRequestConflict', s3Error('ConditionalRequestConflict', 409)],
  ])('turns %s into a TransientError carrying the SDK error as cause', (_name, error) => {
    const translated = translateAwsError(error);
    expect(translated).toBeInstanceOf(TransientError);
    expect((translated as Error).cause).toBe(error);
  });

  it.each([
    ['NoSuchEntity', new NoSuchEntityException({ message: 'no role', ...meta(404) })],
    ['AccessDenied', s3Error('AccessDenied', 403)],
    [
      'IAM LimitExceeded (a quota, not a rate)',
      Object.assign(new Error('quota'), { name: 'LimitExceededException', ...meta(409) }),
    ],
    ['412 PreconditionFailed', s3Error('PreconditionFailed', 412)],
    ['a plain bug', new TypeError('x is undefined')],
  ])('returns %s untouched', (_name, error) => {
    expect(translateAwsError(error)).toBe(error);
  });
});

describe('awsCall', () => {
  it('maps an expected code to a value, with or without the SDK Exception suffix', async () => {
    const missing = new NoSuchEntityException({ message: 'no', ...meta(404) });
    await expect(awsCall(() => Promise.reject(missing), { NoSuchEntity: () => 'absent' })).resolves.toBe(
      'absent',
    );
    await expect(
      awsCall(() => Promise.reject(missing), { NoSuchEntityException: () => 'absent' }),
    ).resolves.toBe('absent');
  });

  it('rethrows an unexpected error unchanged and a throttle as TransientError', async () => {
    const denied = s3Error('AccessDenied', 403);
    await expect(awsCall(() => Promise.reject(denied), { NoSuchKey: () => undefined })).rejects.toBe(denied);
    await expect(awsCall(() => Promise.reject(s3Error('SlowDown', 503)))).rejects.toBeInstanceOf(
      TransientError,
    );
  });
});
