import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import {
  assetAccounts,
  categoriesSent,
  type DiagnosticSetting,
  diagnosticSettingsOf,
  nameOf,
  resourceGroupOf,
} from '../subjects.ts';

const NEEDED = ['StorageRead', 'StorageWrite', 'StorageDelete'];
const AUDIT = ['StorageWrite', 'StorageDelete'];
const blobService = (account: string) => `${account}/blobServices/default`;

/** Blob resource logs (reads, writes, deletes) archived to a storage account, where the scan reads. */
export const blobDiagnostics: PostureCheck = {
  id: 'azure.blob-diagnostics',
  cloud: 'azure',
  title: 'Blob diagnostic logs (StorageRead, StorageWrite, StorageDelete) to a storage account',
  why: 'the scan function reads the insights-logs-storage* blobs for the bulk-read, first-reader, unexpected-network and artifact detectors; without StorageRead a download of the weights leaves no trace',
  severity: 8,
  operations: ['Microsoft.Insights/diagnosticSettings'],
  subjects: assetAccounts,
  reads: (s) => [diagnosticSettingsOf(blobService(s.id))],
  evaluate(s, { view }) {
    const settings = view.items<DiagnosticSetting>(
      'Microsoft.Insights/diagnosticSettings',
      blobService(s.id),
      'value',
    );
    const fix =
      `az monitor diagnostic-settings create --name tourniquet --resource ${blobService(s.id)} ` +
      `--storage-account <log storage account id> --logs '[{"category":"StorageRead","enabled":true},{"category":"StorageWrite","enabled":true},{"category":"StorageDelete","enabled":true}]'`;
    if (!settings.length) return fail(`no diagnostic setting on the blob service of ${nameOf(s.id)}`, fix);
    const notes: string[] = [];
    for (const setting of settings) {
      const sent = categoriesSent(setting, NEEDED, AUDIT);
      const missing = NEEDED.filter((c) => !sent.includes(c));
      const storage = setting.properties?.storageAccountId;
      if (!missing.length && storage)
        return pass(`${setting.name} sends ${NEEDED.join(', ')} to ${nameOf(storage)}`);
      notes.push(
        `${setting.name}: ${[
          ...(missing.length ? [`no ${missing.join(', ')}`] : []),
          ...(storage
            ? []
            : ['no storage account destination (the scan reads blobs; Log Analytics alone is not read)']),
        ].join(', ')}`,
      );
    }
    return fail(notes.join(' | '), `${fix} (resource group ${resourceGroupOf(s.id)})`);
  },
};
