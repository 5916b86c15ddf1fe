import type { FlowRecord } from './records.ts';

/** What an egress alert reads of a flow after the file: a peer window keeps this, not the whole record. */
export type FlowOrigin = Pick<FlowRecord, 'cloud' | 'account' | 'at'>;
