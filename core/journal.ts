/**
 * The incident journal: entry types (core/journal/entries.ts), the store port
 * (core/journal/write-once-store.ts), the journal over it (core/journal/incident-journal.ts),
 * the state read back from it (core/journal/incident-state.ts) and where one action stands
 * (core/journal/action-status.ts). core/journal-chain.ts verifies the chain.
 */
export { type ActionStatus, actionStatus, beforePrev, isSuccess } from './journal/action-status.ts';
export {
  type ActionHistory,
  type AfterEntry,
  type BeforeEntry,
  CHAIN_VERSION,
  type Chained,
  type ClaimedBefore,
  entryHash,
  type IncidentRecord,
  type IncidentState,
  type JobEntry,
  type Phase,
  type ReleaseRequestEntry,
  type SealEntry,
  type StoredEntry,
  type Trigger,
} from './journal/entries.ts';
export { type IncidentJournal, incidentJournal, type Written } from './journal/incident-journal.ts';
export { journalRoot } from './journal/layout.ts';
export type { WriteOnceStore } from './journal/write-once-store.ts';
