import { incidentFinding } from '../core/findings/incident.ts';
import type { IncidentFindingSink } from '../core/findings/publish-incident.ts';
import { pad } from '../core/journal/layout.ts';
import type { IncidentJournal, WriteOnceStore } from '../core/journal.ts';
import { verifyChain } from '../core/journal-chain.ts';

/**
 * What the findings function reads and writes in the evidence bucket: the incident's journal (Get,
 * List under `incidents/`) and one write-once mark per published seal (`incidents/<id>/findings/`).
 */
export const SEALED_FINDING_PERMISSIONS = ['s3:GetObject', 's3:ListBucket', 's3:PutObject'] as const;

/** Where the mark of an incident's seal published to Security Hub lives: outside the sealed journal root. */
export const publishedKey = (incidentId: string, seal: number) =>
  `incidents/${incidentId}/findings/${pad(seal)}.json`;

export type SealedFindingResult =
  | { status: 'imported'; findingId: string; workflow: string; seal: number }
  | { status: 'duplicate'; findingId: string; seal: number }
  | { status: 'rejected'; reason: string };

/**
 * Publishes an incident's finding as this deployment's own journal has it, the handover event being
 * only a pointer: the finding is rebuilt (core/findings/incident.ts) from the latest seal, at the
 * seal's time, so the same seal always gives the same finding. An incident with no journal here, an
 * unsealed journal, one whose chain does not verify (core/journal-chain.ts), or another cloud's incident is rejected with nothing published.
 * Each seal is published once: after the import, a write-once mark (`If-None-Match: *`) records it,
 * and a delivery that finds the mark publishes nothing, so a replay cannot move a finding back (nor
 * reset a workflow a SOC analyst changed). Two deliveries racing before the mark import the same
 * finding twice, byte for byte: an update that changes nothing. A failed import leaves no mark, so
 * Lambda's retry publishes it.
 */
export function sealedFindingPublisher(deps: {
  journal: Pick<IncidentJournal, 'load'>;
  store: Pick<WriteOnceStore, 'create' | 'get'>;
  sink: IncidentFindingSink;
}) {
  return async (incidentId: string): Promise<SealedFindingResult> => {
    const state = await deps.journal.load(incidentId);
    if (!state)
      return { status: 'rejected', reason: `incident ${incidentId} has no journal in this deployment` };
    if (state.anomalies.length)
      return {
        status: 'rejected',
        reason: `the journal of ${incidentId} was altered (${state.anomalies.slice(0, 3).join('; ')})`,
      };
    const chain = verifyChain(state.entries);
    if (chain.status === 'broken')
      return {
        status: 'rejected',
        reason: `the journal of ${incidentId} does not verify (${chain.problems
          .slice(0, 3)
          .map((p) => `${p.key}: ${p.problem}`)
          .join('; ')})`,
      };
    const seal = state.seals.at(-1);
    if (!seal) return { status: 'rejected', reason: `incident ${incidentId} has no sealed phase to publish` };
    if (state.record.alert.cloud !== 'aws')
      return { status: 'rejected', reason: `incident ${incidentId} is not an AWS incident` };
    const finding = incidentFinding(state, seal.phase, new Date(seal.at));
    const key = publishedKey(incidentId, seal.seal);
    if ((await deps.store.get(key)) !== undefined)
      return { status: 'duplicate', findingId: finding.id, seal: seal.seal };
    await deps.sink(finding, seal.phase === 'contain' && state.seals.length <= 1);
    const mark = { incidentId, seal: seal.seal, sealSha256: seal.sha256, findingId: finding.id };
    await deps.store.create(key, `${JSON.stringify(mark, null, 2)}\n`);
    return {
      status: 'imported',
      findingId: finding.id,
      workflow: finding.workflow ?? 'new',
      seal: seal.seal,
    };
  };
}
