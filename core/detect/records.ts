import type { Cloud, PrincipalRef } from '../alert.ts';

/**
 * What the log parsers (core/detect/formats) make of one log line, whatever the source. Detectors
 * read only these: a new log format is a new parser, never a change to a rule.
 */
export type DetectRecord = ObjectAccess | FlowRecord | InferenceRecord;

/** Where an object lives, in the alert model's canonical ids. */
export interface StoreRef {
  /** `arn:aws:s3:::<bucket>` or the container's ARM id (`<storage account id>/blobServices/default/containers/<name>`). */
  id: string;
  kind: 'bucket' | 'container';
  /** Bucket name, or `<storage account name>/<container>`. */
  name: string;
  /** Azure only: the storage account's ARM id. */
  storageAccountId?: string;
}

/** One storage data-plane operation: CloudTrail S3 data event, S3 access log line, StorageBlobLogs. */
export interface ObjectAccess {
  kind: 'object-access';
  op: 'read' | 'write' | 'copy' | 'delete';
  cloud: Cloud;
  account: string;
  region?: string;
  /** Epoch milliseconds. */
  at: number;
  principal: PrincipalRef;
  store: StoreRef;
  key: string;
  /** `s3://bucket/key` or the blob URL. */
  objectId: string;
  /** Bytes moved by this operation (sent for reads, received for writes). */
  bytes: number;
  network: NetworkOrigin;
  /** Digests of the object as written, when the log shows them (Azure Content-MD5, ETag). */
  checksums?: Checksums;
  /** For copies: the source object (`s3://…` or blob URL). */
  copySource?: string;
  /** The log's own id for this operation (eventID, request id). */
  sourceId: string;
  /**
   * One request that deleted several objects the log does not name (CloudTrail `DeleteObjects`:
   * up to 1,000 keys, none logged); `key` is then empty and `objectId` the store's `s3://bucket/`.
   */
  batch?: true;
  /**
   * Set when the request carried no credentials at all: S3 server access log requester `-`, Azure
   * Storage log `identity.type` `Anonymous` (StorageBlobLogs AuthenticationType). Absent otherwise.
   */
  anonymous?: true;
}

export interface NetworkOrigin {
  ip?: string;
  /** AWS VPC endpoint id the request came through (`vpce-…`). */
  vpce?: string;
}

export interface Checksums {
  sha256?: string;
  md5?: string;
  etag?: string;
}

/** One flow record from the endpoint's point of view is derived by the egress rules from this. */
export interface FlowRecord {
  kind: 'flow';
  cloud: Cloud;
  account: string;
  at: number;
  /** AWS ENI id, or the Azure flow log's target resource id (VNet, subnet, NIC). */
  interfaceId?: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  /** Bytes from src to dst. */
  bytes: number;
  /** Bytes from dst to src, when the format counts both ways (Azure). */
  reverseBytes?: number;
  /** AWS `flow-direction` (custom format) or Azure `I`/`O`, from the interface's point of view. */
  direction?: 'ingress' | 'egress';
}

/** One model invocation: Bedrock invocation log, Azure OpenAI / gateway log, generic gateway log. */
export interface InferenceRecord {
  kind: 'inference';
  cloud: Cloud;
  account: string;
  region?: string;
  at: number;
  caller: PrincipalRef;
  /** Model id, deployment or endpoint resource the request went to. */
  endpoint: string;
  /** The caller's last user message, when the log holds content. */
  prompt?: string;
  /** The model's answer text, when the log holds content. */
  response?: string;
  inputTokens?: number;
  outputTokens?: number;
  sourceId: string;
}
