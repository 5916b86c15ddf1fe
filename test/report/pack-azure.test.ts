/**
 * The evidence pack of a real Azure incident: a Defender exfiltration alert contained by the real
 * Azure runtime (data plane and the Blob journal on Azurite, ARM on a recording fake), read back
 * from the evidence container and built into a pack.
 */
import { describe, expect, it } from 'vitest';
import { handleParsedEvent } from '../../core/handle.ts';
import { incidentJournal } from '../../core/journal.ts';
import { verifyChain } from '../../core/journal-chain.ts';
import { checkEvidence } from '../../core/report/evidence-check.ts';
import { buildPack } from '../../core/report/pack.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { blobEvidenceReader } from '../../functions-azure/evidence-reader.ts';
import { blobJournalStore } from '../../functions-azure/journal-store.ts';
import { azuriteService } from '../azure/support/azurite.ts';
import { WEIGHTS } from '../azure/support/config.ts';
import { azureStack, blobsIn, exfiltrationEvent } from '../azure/support/stack.ts';

const COMPLIANCE = {
  compliance: {
    regimes: ['gdpr', 'nis2'],
    entity: { name: 'Acme AI GmbH', memberStates: ['DE'] },
    contacts: {},
  },
};

async function contained() {
  const s = await azureStack('enforce', {}, COMPLIANCE);
  const container = s.weights.containerName;
  // The stack's asset with what the data is: personal data with a stated size.
  const assets = [
    {
      storageAccount: WEIGHTS,
      containers: [container],
      kind: 'model-weights' as const,
      prefixes: ['checkpoints/'],
      dataCategories: ['model-weights:support-assistant-eu'],
      personalData: true,
      approxRecords: 40_000,
      approxDataSubjects: 3_000,
    },
  ];
  const config = {
    ...s.config,
    azure: { ...(s.config.azure as NonNullable<typeof s.config.azure>), assets },
  };
  const event = exfiltrationEvent(s.weights);
  const {
    outcomes: [outcome],
  } = await handleParsedEvent(parseAzureEvent(event), { ...s.runtime.deps(), config }, { event });
  const incidentId = outcome?.decision.incidentId as string;
  const journal = incidentJournal(blobJournalStore(s.evidence));
  const state = await journal.load(incidentId);
  if (!state) throw new Error('no journal');
  return { s, config, incidentId, state, event, outcome };
}

describe('the evidence pack of an Azure incident', () => {
  it('lists each snapshot with its time, MD5 and evidence copy, which verify finds unchanged', async () => {
    const { s, config, state, event } = await contained();
    const pack = buildPack({ state, config, now: new Date(), chain: verifyChain(state.entries), event });

    expect(pack.cloud).toBe('azure');
    expect(pack.chain).toMatchObject({ verified: true, status: 'verified' });
    expect(pack.evidence).toEqual([
      expect.objectContaining({
        cloud: 'azure',
        store: `stweights/${s.weights.containerName}`,
        key: 'checkpoints/model.safetensors',
        version: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        size: 11,
        checksums: { MD5: expect.any(String) },
        copy: expect.objectContaining({ location: expect.stringMatching(/^stevidence\//) }),
      }),
    ]);
    // Azurite serves every account name from one endpoint, as the stack's clients do.
    const reader = blobEvidenceReader({ blob: () => azuriteService() });
    expect((await checkEvidence(pack.evidence, reader)).map((c) => c.status)).toEqual(['match']);
    expect(pack.iocs.sourceIps).toEqual(['203.0.113.77']);
  });

  it('fills GDPR from the asset, leaves consequences and cross-border to a person', async () => {
    const { config, state, event } = await contained();
    const pack = buildPack({ state, config, now: new Date(), chain: verifyChain(state.entries), event });

    expect(Object.keys(pack.regimes)).toEqual(['gdpr', 'nis2']);
    expect(pack.regimes.gdpr?.fields['33(3)(a) data subjects']).toMatchObject({
      value: 3000,
      source: 'config',
    });
    expect(pack.regimes.gdpr?.fields['33(3)(b) contact']).toMatchObject({ value: null, source: 'human' });
    expect(pack.regimes.gdpr?.fields['33(3)(c) consequences']?.value).toBeNull();
    // Defender alerts carry no region: the cross-border question stays open, never guessed.
    expect(pack.places).toEqual([]);
    expect(pack.regimes.nis2?.fields['23(4)(a) cross-border']).toMatchObject({
      value: null,
      source: 'human',
    });
  });

  it('writes the pack into the evidence container when containment finishes', async () => {
    const { s, incidentId, outcome } = await contained();
    const names = (await blobsIn(s.evidence)).filter((n) => n.includes('/pack/'));
    expect(names).toEqual([
      `incidents/${incidentId}/pack/001-contain.html`,
      `incidents/${incidentId}/pack/001-contain.json`,
    ]);
    expect(outcome?.report?.pack).toEqual({
      written: [
        `incidents/${incidentId}/pack/001-contain.json`,
        `incidents/${incidentId}/pack/001-contain.html`,
      ],
      location: `${s.evidence.url}/incidents/${incidentId}/pack/`,
    });
    const escalation = s.logged.find((l) => l.msg === 'tourniquet.escalation');
    expect(escalation?.evidencePack).toBe(`${s.evidence.url}/incidents/${incidentId}/pack/`);
  });
});
