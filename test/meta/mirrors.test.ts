/**
 * Mirrors are mirrors: what one cloud has, the other has under the same name and shape, or this
 * file says why not. A new file on one side fails here until it has its twin or its reason.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../core/memory-store.ts';
import { awsExecutors } from '../../functions-aws/executors/index.ts';
import { azureExecutors } from '../../functions-azure/executors/index.ts';
import { PACKS } from '../../packs/index.ts';
import { homeClients } from '../aws/executors/harness.ts';
import { fakeAzure } from '../azure/support/fake-http.ts';

/** The same file on both sides, as `[aws, azure]` paths. */
const TWINS: readonly (readonly [string, string])[] = [
  ...[
    'actions',
    'assets',
    'names',
    'pack',
    'planner',
    'playbooks',
    'playbooks-ai',
    'inference',
    'plan-checks',
    'formats/index',
  ].map((f) => [`packs/aws/${f}.ts`, `packs/azure/${f}.ts`] as const),
  // Log formats, by what they record.
  ['packs/aws/formats/aws-identity.ts', 'packs/azure/formats/azure-ids.ts'],
  ['packs/aws/formats/s3-access-log.ts', 'packs/azure/formats/azure-storage-log.ts'],
  ['packs/aws/formats/vpc-flow-log.ts', 'packs/azure/formats/azure-flow-log.ts'],
  ['packs/aws/formats/bedrock-invocation.ts', 'packs/azure/formats/azure-openai-log.ts'],
  ...[
    'wiring',
    'clients',
    'errors',
    'journal-store',
    'log-outcome',
    'events/index',
    'events/envelope',
    'events/fields',
    'events/manual-target',
    'executors/index',
    'executors/escalate',
    'detect/scan-deps',
    'evidence-reader',
  ].map((f) => [`functions-aws/${f}.ts`, `functions-azure/${f}.ts`] as const),
  ['functions-aws/logger.ts', 'functions-azure/log.ts'],
  // Incident findings out: Security Hub (ASFF) and an Event Grid topic (OCSF).
  ['functions-aws/incident-findings.ts', 'functions-azure/incident-findings.ts'],
  ['functions-aws/detect/dynamodb-window-store.ts', 'functions-azure/detect/table-window-store.ts'],
  ['functions-aws/detect/s3-log-object.ts', 'functions-azure/detect/log-blob.ts'],
  // Handlers: Lambda handlers and Azure functions, by trigger.
  ['functions-aws/handlers/contain.ts', 'functions-azure/functions/event-grid.ts'],
  ['functions-aws/handlers/manual.ts', 'functions-azure/functions/manual-http.ts'],
  ['functions-aws/handlers/scan.ts', 'functions-azure/functions/scan.ts'],
  // Posture (docs/posture.md): the same parts on both clouds.
  ...[
    'posture/index',
    'posture/operations',
    'posture/subjects',
    'posture/posture-changes',
    'posture/identities/analysis',
  ].map((f) => [`packs/aws/${f}.ts`, `packs/azure/${f}.ts`] as const),
  ['packs/aws/posture/identities/policy-access.ts', 'packs/azure/posture/identities/role-access.ts'],
  ...['posture/reader', 'posture/run'].map(
    (f) => [`functions-aws/${f}.ts`, `functions-azure/${f}.ts`] as const,
  ),
  ['functions-aws/posture/security-hub-publisher.ts', 'functions-azure/posture/event-grid-publisher.ts'],
  ['functions-aws/handlers/posture.ts', 'functions-azure/functions/posture.ts'],
  // Evidence for large incidents (docs/evidence-jobs.md): how a job's end is recorded, and its trigger.
  ['functions-aws/evidence-job-end.ts', 'functions-azure/evidence-worker.ts'],
  ['functions-aws/handlers/evidence-job.ts', 'functions-azure/functions/evidence-worker.ts'],
];

/** Files with no twin, and why. */
const ONE_SIDED: Readonly<Record<string, string>> = {
  'packs/aws/policies.ts':
    'IAM and bucket policy documents: Azure writes none (its quarantine sets account properties and ACLs)',
  'packs/aws/inference-policies.ts':
    'the inference Deny as an IAM document; Azure closes the channel with account properties (disableLocalAuth, keys, network rules)',
  'packs/aws/deny-scope.ts':
    'who an IAM Deny covers (one role session by aws:userid, a source identity, sessions before now); Azure revokes a SAS, a key or a principal, not a session',
  'packs/azure/plan-evidence.ts':
    'the evidence half of the Azure plan (blob snapshot, copy, sync-copy limit), split out for length; the AWS planner keeps its pin and copy actions in planner.ts',
  'packs/aws/formats/cloudtrail.ts':
    'CloudTrail S3 data events: on Azure the storage log records the same reads',
  'packs/aws/formats/s3-store.ts':
    'S3 store ids, memoized; Azure storage log keeps its own in azure-storage-log.ts',
  'packs/aws/formats/access-log-time.ts':
    'the S3 access log’s own time format ([06/Feb/2019:00:00:38 +0000])',
  'functions-aws/lambda-context.ts':
    'the Lambda context’s deadline; Azure functions set theirs (functions/http.ts)',
  'functions-aws/lambda-credentials.ts': 'an environment-only credential chain for the Lambda bundles',
  'functions-aws/lanes.ts':
    'one S3 client per socket pool (cut-off, journal, evidence); the Azure SDK clients are per account and per call (not done there: docs/evidence-jobs.md)',
  'functions-azure/evidence-queue.ts':
    'the fan-out queue client; on AWS, S3 Batch Operations reads the manifest itself (docs/evidence-jobs.md)',
  'functions-aws/detect/scan-log-objects.ts':
    'an S3 notification names many objects; an Event Grid BlobCreated event names one blob',
  'functions-azure/runtime.ts':
    'the runtime composed from built clients: wiring.ts loads the SDKs on the first invocation, then calls it',
  'functions-azure/notify-webhooks.ts':
    'escalations posted to the chat or paging webhooks of azure.notify; on AWS the escalation topic’s subscriptions (serverless.yml, from aws.notify) deliver',
  'functions-azure/graph-client.ts':
    'Entra service principals through the Graph REST API (AWS: IAM, in the SDK)',
  'functions-azure/ai-accounts-client.ts':
    'Azure OpenAI / AI Foundry accounts through the ARM REST API (no SDK in the bundle for them); AWS: IAM, in the SDK',
  'functions-azure/rest-error.ts':
    'a failed fetch response as an SDK-shaped RestError, for the two REST clients (Graph, AI accounts); AWS uses SDKs only',
  'functions-azure/evidence-preflight.ts':
    'checks the evidence container’s immutability at start; AWS’s Object Lock is set by deploy/evidence-bucket.yml',
  'functions-azure/events/redact.ts':
    'Event Grid data may carry SAS tokens and keys, redacted before the journal',
  'functions-azure/functions/http.ts':
    'HTTP triggers’ body limits and the 230 s answer (Lambda: no HTTP front)',
  'functions-azure/functions/alert-http.ts':
    'the Monitor / Logic App webhook; on AWS those sources come through EventBridge to contain.ts',
  'functions-azure/functions/register.ts': 'the v4 model registers functions in code; AWS: serverless.yml',
  'functions-azure/functions/index.ts': 'the app’s entry point (package.json main); AWS: serverless.yml',
  'packs/aws/posture/access-policies.ts':
    'the IAM documents of the standing-access fix and the grant; Azure removes an assignment and grants a role with a condition (posture-changes.ts)',
  'packs/aws/posture/s3-data-event-coverage.ts':
    'CloudTrail event selectors; Azure diagnostic settings name their categories, judged in checks/blob-diagnostics.ts',
  'packs/aws/posture/identities/authorization-details.ts':
    'IAM principals with their policies from GetAccountAuthorizationDetails; Azure lists role assignments directly (analysis.ts)',
  'functions-aws/posture/service-last-accessed.ts':
    'IAM last-accessed data is a job to start and poll; Graph sign-in activity is one GET',
  'functions-aws/posture/standing-deny.ts':
    'reads the standing-access Deny a grant opens; on Azure the fix removed the assignment, so a grant is a new one',
  'functions-azure/posture/posture-deps.ts':
    'the posture timer’s dependencies; the AWS posture Lambda builds them in handlers/posture.ts',
  'packs/aws/responder.ts':
    'the AWS pack without its log formats, for the Lambdas that read no logs (bundle size: docs/operations.md); the Azure app is one bundle with every function',
  'functions-aws/finding-handover.ts':
    'incident findings leave the AWS event path as an EventBridge pointer (the Security Hub SDK would double the bundles); Azure posts its OCSF findings to Event Grid from the function itself (incident-findings.ts)',
  'functions-aws/sealed-finding.ts':
    'the findings Lambda rebuilds each handed-over finding from the sealed journal, the event being a forgeable pointer; Azure publishes from the function that wrote the journal, with no handover to trust',
  'functions-aws/handlers/findings.ts':
    'the Lambda that imports handed-over incident findings into Security Hub; Azure needs no second function (see finding-handover.ts)',
  'functions-aws/handlers/grants.ts':
    'the grant timer has its own Lambda; on Azure it is registered beside the posture timer in functions/posture.ts',
};

/**
 * Folders of one file per event source, per action kind or per posture check: the sources and the
 * checks differ by cloud (docs/posture.md pairs the checks in its tables), the kinds are checked
 * against the packs below, and helper files beside them are the executors' own.
 */
const PER_SOURCE_OR_KIND =
  /^(functions-(aws|azure)\/(events|executors)\/|packs\/(aws|azure)\/posture\/checks\/)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const text = (path: string) => readFileSync(path, 'utf8');

describe('mirrored files', () => {
  it.each(TWINS)('%s has its twin %s', (aws, azure) => {
    expect([existsSync(aws), existsSync(azure)]).toEqual([true, true]);
  });

  const paired = new Set(TWINS.flat());
  const sources = ['packs/aws', 'packs/azure', 'functions-aws', 'functions-azure'].flatMap(files);
  it.each(sources.filter((f) => !paired.has(f) && !PER_SOURCE_OR_KIND.test(f)))(
    '%s has a twin or a reason to have none',
    (file) => {
      expect(
        ONE_SIDED[file],
        `add ${file}'s twin to TWINS, or say in ONE_SIDED why it has none`,
      ).toBeTruthy();
    },
  );

  it('lists no one-sided file that is gone', () => {
    expect(Object.keys(ONE_SIDED).filter((f) => !existsSync(f))).toEqual([]);
  });
});

describe('executors, per pack', () => {
  const registries = {
    aws: awsExecutors(homeClients, { escalationBus: 'default', homeAccount: '111122223333' }),
    azure: azureExecutors(fakeAzure().clients(), { guarded: [], evidence: memoryStore(), notify: () => {} }),
  };

  it.each(PACKS.map((p) => [p.cloud, p] as const))(
    '%s: one executor per pack action kind, and escalate',
    (cloud, pack) => {
      expect(Object.keys(registries[cloud]).sort()).toEqual([...pack.actionKinds, 'escalate'].sort());
    },
  );

  it.each(PACKS.flatMap((p) => [...p.actionKinds, 'escalate'].map((k) => [p.cloud, k] as const)))(
    '%s: the %s executor is in executors/<kind>.ts',
    (cloud, kind) => {
      expect(existsSync(`functions-${cloud}/executors/${kind}.ts`)).toBe(true);
    },
  );
});

describe('the same names on both sides', () => {
  it.each([
    ['functions-aws/wiring.ts', /export function getAwsRuntime\(/, /export function resetAwsRuntime\(/],
    ['functions-azure/wiring.ts', /export function getAzureRuntime\(/, /export function resetAzureRuntime\(/],
    ['functions-aws/wiring.ts', /export async function buildAwsRuntime\(/, /export interface AwsRuntime /],
    ['functions-azure/runtime.ts', /export function buildAzureRuntime\(/, /export interface AzureRuntime /],
    ['functions-aws/log-outcome.ts', /export function logOutcomes\(/, /AlertOutcome/],
    ['functions-azure/log-outcome.ts', /export function logOutcomes\(/, /AlertOutcome/],
    [
      'functions-aws/executors/index.ts',
      /export type AwsExecutorKind = /,
      /ExecutorRegistry<AwsExecutorKind>/,
    ],
    [
      'functions-azure/executors/index.ts',
      /export type AzureExecutorKind = /,
      /ExecutorRegistry<AzureExecutorKind>/,
    ],
    ['functions-aws/events/index.ts', /const PARSERS\b/, /export function parseAwsEvent\(/],
    ['functions-azure/events/index.ts', /const PARSERS\b/, /export function parseAzureEvent\(/],
    ['functions-aws/handlers/scan.ts', /Promise<ScanResult>/, /core\/detect\/scan-result\.ts/],
    ['functions-azure/functions/scan.ts', /Promise<ScanResult>/, /core\/detect\/scan-result\.ts/],
    ['functions-aws/detect/scan-deps.ts', /export async function awsScanDeps\(/, /AwsScanDeps/],
    ['functions-azure/detect/scan-deps.ts', /export async function azureScanDeps\(/, /AzureScanDeps/],
  ])('%s has %s and %s', (file, first, second) => {
    expect(text(file)).toMatch(first);
    expect(text(file)).toMatch(second);
  });

  it('has one map-limit, in core', () => {
    const copies = ['functions-aws', 'functions-azure', 'packs']
      .flatMap(files)
      .filter((f) => f.endsWith('map-limit.ts'));
    expect([copies, existsSync('core/map-limit.ts')]).toEqual([[], true]);
  });

  it.each([
    ['functions-aws/wiring.ts', 'buildAwsRuntime'],
    ['functions-azure/runtime.ts', 'buildAzureRuntime'],
  ])(
    '%s builds its runtime in the shared order: journal, executors, deps with the packs, parsers',
    (file, fn) => {
      const body = text(file).slice(text(file).indexOf(`function ${fn}(`));
      // The packs are the deployment's own: every pack, or the one cloud's (packs/aws-deployment.ts).
      const at = ['incidentJournal(', 'Executors(', /packs: (AWS_RESPONDER_|AWS_)?PACKS/, 'parsers:'].map(
        (s) => (typeof s === 'string' ? body.indexOf(s) : body.search(s)),
      );
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    },
  );
});
