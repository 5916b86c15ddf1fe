import type { FlowRecord } from './records.ts';

/** What an egress alert reads of a flow after the file: a window keeps this, not the whole record. */
export type FlowOrigin = Pick<FlowRecord, 'cloud' | 'account' | 'at'>;

export const flowOrigin = (f: FlowRecord): FlowOrigin => ({ cloud: f.cloud, account: f.account, at: f.at });
