import { describe, expect, it } from 'vitest';
import { evidencePreflight } from '../../functions-azure/evidence-preflight.ts';
import { blobJournalStore } from '../../functions-azure/journal-store.ts';
import { writeOnceStoreContract } from '../contract/write-once-store.ts';
import { azuriteService, freshContainer } from './support/azurite.ts';

describe('blobJournalStore on Azurite', () => {
  writeOnceStoreContract(async () => blobJournalStore(await freshContainer(azuriteService(), 'journal')));

  it('stores the body as JSON text, readable by anyone with the key', async () => {
    const container = await freshContainer(azuriteService(), 'journal');
    await blobJournalStore(container).create('incidents/i-9/journal/incident.json', '{"ok":true}\n');
    const props = await container.getBlobClient('incidents/i-9/journal/incident.json').getProperties();
    expect(props.contentType).toBe('application/json');
    expect(
      (await container.getBlobClient('incidents/i-9/journal/incident.json').downloadToBuffer()).toString(),
    ).toBe('{"ok":true}\n');
  });
});

describe('evidencePreflight', () => {
  it('warns when the evidence container has no immutability policy (Azurite has none to give)', async () => {
    const warnings = await evidencePreflight(await freshContainer(azuriteService(), 'evidence'));
    expect(warnings).toEqual([expect.stringMatching(/has no immutability policy or legal hold/)]);
  });

  it('warns when the evidence container does not exist', async () => {
    const warnings = await evidencePreflight(azuriteService().getContainerClient('never-created'));
    expect(warnings).toEqual([expect.stringMatching(/does not exist/)]);
  });
});
