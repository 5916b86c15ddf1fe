import type { FakeS3 } from '../../support/aws-fakes.ts';

/**
 * Multipart copy state of the S3 simulator (sim/aws/s3-multipart.ts, always served): parts in
 * flight, aborted uploads, and `failPart` to make one UploadPartCopy fail with a 500.
 */
export function installMultipart(s3: FakeS3) {
  return s3.multipart;
}
