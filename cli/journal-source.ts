import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import { type IncidentJournal, incidentJournal, type WriteOnceStore } from '../core/journal.ts';
import type { EvidenceReader } from '../core/report/evidence-check.ts';
import { UsageError } from './args.ts';
import { fileStore } from './file-store.ts';

/** Where `incidents`, `report` and `verify` read a journal from. */
export interface JournalSource {
  /** What a person recognises: `s3://ir-evidence-…`, `stevidence/evidence`, a folder. */
  name: string;
  store: WriteOnceStore;
  journal: IncidentJournal;
  /** Builds the reader of evidence copies (verify only); absent when this source cannot reach the evidence store. */
  evidenceReader?: () => Promise<EvidenceReader>;
}

/** The file a simulated cloud keeps its state in, inside an `exercise --out DIR`. */
export const SIMULATION_FILE = 'simulation.json';

export const JOURNAL_FLAGS = {
  journal: { type: 'string' },
  cloud: { type: 'string' },
  config: { type: 'string' },
} as const;

export const JOURNAL_HELP = `  --journal DIR        a local journal (the folder "tourniquet exercise --out DIR" wrote, or a copy
                       of the evidence store's incidents/ folder); default: the evidence store
  --cloud aws|azure    read only this cloud's evidence store (default: every configured cloud)
  --config FILE        configuration (default: ./tourniquet.config.json, else the example)`;

/**
 * The journals to read: the folder given with `--journal`, or the evidence store of each configured
 * cloud (S3 with the default credential chain; Blob with DefaultAzureCredential). Cloud SDKs load
 * only when a cloud store is used.
 */
export async function journalSources(
  values: { journal?: string | undefined; cloud?: string | undefined },
  config: Config,
): Promise<JournalSource[]> {
  if (values.cloud !== undefined && values.cloud !== 'aws' && values.cloud !== 'azure')
    throw new UsageError(`--cloud must be aws or azure, not "${values.cloud}"`);
  if (values.journal !== undefined) return [await localSource(values.journal)];
  const sources: JournalSource[] = [];
  if (config.aws && values.cloud !== 'azure') sources.push(await s3Source(config.aws.evidenceBucket));
  if (config.azure && values.cloud !== 'aws') sources.push(await blobSource(config.azure.evidence));
  if (!sources.length) throw new ConfigError(`the configuration has no ${values.cloud} section`);
  return sources;
}

async function localSource(dir: string): Promise<JournalSource> {
  if (!existsSync(dir)) throw new UsageError(`--journal ${dir}: no such folder`);
  const store = fileStore(resolve(dir));
  const source: JournalSource = { name: dir, store, journal: incidentJournal(store) };
  if (existsSync(join(dir, SIMULATION_FILE))) {
    source.evidenceReader = async () => {
      const { simulatedEvidenceReader } = await import('../sim/world.ts');
      return simulatedEvidenceReader(join(dir, SIMULATION_FILE));
    };
  }
  return source;
}

async function s3Source(bucket: string): Promise<JournalSource> {
  const [{ S3Client }, { s3WriteOnceStore }, { s3EvidenceReader }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../functions-aws/journal-store.ts'),
    import('../functions-aws/evidence-reader.ts'),
  ]);
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const s3 = new S3Client({ region, followRegionRedirects: true });
  const store = s3WriteOnceStore(s3, bucket);
  return {
    name: `s3://${bucket}`,
    store,
    journal: incidentJournal(store),
    evidenceReader: async () => s3EvidenceReader(s3),
  };
}

async function blobSource(evidence: { storageAccount: string; container: string }): Promise<JournalSource> {
  const [
    { BlobServiceClient },
    { DefaultAzureCredential },
    { blobJournalStore },
    { blobEvidenceReader },
    { blobEndpoint },
  ] = await Promise.all([
    import('@azure/storage-blob'),
    import('@azure/identity'),
    import('../functions-azure/journal-store.ts'),
    import('../functions-azure/evidence-reader.ts'),
    import('../packs/azure/names.ts'),
  ]);
  const credential = new DefaultAzureCredential();
  const account = (evidence.storageAccount.split('/').at(-1) ?? '').toLowerCase();
  const blob = (name: string) => new BlobServiceClient(blobEndpoint(name), credential);
  const store = blobJournalStore(blob(account).getContainerClient(evidence.container));
  return {
    name: `${account}/${evidence.container}`,
    store,
    journal: incidentJournal(store),
    evidenceReader: async () => blobEvidenceReader({ blob }),
  };
}
