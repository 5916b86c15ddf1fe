import * as z from 'zod/mini';
import { assetDataFields, complianceSchema } from './compliance-config.ts';
import { unknownKeysMessage } from './config-keys.ts';
import { CONFIDENCES } from './detect/combinations.ts';
import { DETECTOR_IDS, DETECTOR_MODES } from './detect/modes.ts';
import { manifestEntrySchema, thresholdsSchema } from './detect/thresholds.ts';
import { ConfigError } from './errors.ts';
import { withOwnIdentities } from './own-identities.ts';
import './zod-messages.ts';
import {
  isAccountId,
  isBucketName,
  isCognitiveAccountId,
  isGuid,
  isStorageIpRule,
  isSubnetId,
  parseIamArn,
} from './names.ts';

const refine = <T extends z.ZodMiniType>(schema: T, ok: (v: z.infer<T>) => boolean, message: string) =>
  schema.check(z.refine(ok, { message }));

/** IAM user/role/root ARN, optionally with `*` in the name (break-glass-*). */
const iamArnPattern = refine(
  z.string(),
  (v) =>
    !!parseIamArn(v.replace(/\*/g, 'x')) ||
    /^arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@*-]+\/[\w+=,.@*-]+$/.test(v),
  'must be an IAM ARN in the aws partition (arn:aws:iam::<12 digits>:role/<name> or user/<name>)',
);
/**
 * A responder or break-glass pattern: guarding is role-wide (revoking a role cuts off all its
 * sessions) and every guarded pattern is exempted from quarantine, so a wildcard role would guard
 * and exempt every role it matches.
 */
const guardedPattern = refine(
  iamArnPattern,
  (v) => !wildcardRole(v),
  'a wildcard in the role part (assumed-role/*/alice@…, assumed-role/AWSReservedSSO_*/alice@…, role/*) ' +
    'would make every role it matches a guarded principal (guarding is role-wide) and exempt every role ' +
    'from quarantine; name the role: arn:aws:sts::<account>:assumed-role/<role name as CloudTrail shows it, ' +
    'e.g. AWSReservedSSO_IR_0123456789abcdef>/alice@…, or a role name prefix such as role/ir-*',
);

/** Does a guarded pattern put a wildcard where a role (or user) name belongs? */
function wildcardRole(pattern: string): boolean {
  const session = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(pattern);
  if (session) {
    const [, roleGlob = '', sessionGlob = ''] = session;
    // `…/ir-*/*` is `role/ir-*`; a wildcard role with one session would widen to every role.
    return sessionGlob === '*' ? /^\*+$/.test(roleGlob) : roleGlob.includes('*');
  }
  const name = /^arn:aws:iam::\d{12}:(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(pattern)?.[1];
  return name !== undefined && /^\*+$/.test(name);
}
const guid = refine(z.string(), isGuid, 'must be an Entra object id (GUID)');
const storageAccountId = refine(
  z.string(),
  (v) =>
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w().-]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{3,24}$/i.test(
      v,
    ),
  'must be a storage account resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>)',
);
const privateEndpointId = refine(
  z.string(),
  (v) =>
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/[^/]+$/i.test(
      v,
    ),
  'must be a private endpoint resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateEndpoints/<name>)',
);
const containerName = refine(
  z.string(),
  (v) => /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(v) || v === '$root',
  'must be a blob container name',
);

export const ASSET_KINDS = [
  'model-weights',
  'training-data',
  'inference-data',
  'evaluation',
  'other',
] as const;

const limits = z.strictObject({
  /** Principals one incident may revoke; more and the incident escalates to humans instead. */
  maxPrincipals: z._default(z.int().check(z.minimum(1), z.maximum(50)), 2),
  /** Buckets or containers one incident may quarantine. */
  maxStores: z._default(z.int().check(z.minimum(1), z.maximum(50)), 3),
  /** Objects or blobs one incident may pin and copy as evidence. */
  maxObjects: z._default(z.int().check(z.minimum(1), z.maximum(100_000)), 1000),
  /**
   * Above this many objects in one bucket, the per-object evidence work (legal holds, copies) goes
   * to the platform's engine: S3 Batch Operations jobs over a manifest in the evidence bucket
   * (docs/evidence-jobs.md). Takes effect only with `maxObjects` above it.
   */
  evidenceJobAbove: z._default(z.int().check(z.minimum(1), z.maximum(100_000)), 1000),
});

const awsAsset = z.strictObject({
  bucket: refine(z.string(), isBucketName, 'must be a valid S3 bucket name'),
  kind: z.enum(ASSET_KINDS),
  /** Key prefixes whose objects are pinned as evidence; `""` is the whole bucket. */
  prefixes: z._default(z.array(z.string().check(z.maxLength(1024))), []),
  ...assetDataFields,
});

const email = refine(z.string(), (v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), 'must be an e-mail address');
const httpsUrl = refine(
  z.string().check(z.maxLength(2048)),
  (v) => /^https:\/\/[^\s/]+(\/\S*)?$/.test(v),
  'must be an https:// URL',
);

/** Subscriptions of the stack's escalation topic and its alarm topic (serverless.yml). */
const awsNotify = z.strictObject({
  /** E-mail subscriptions (each confirms by e-mail once). */
  emails: z._default(z.array(email), []),
  /** HTTPS subscriptions: paging services that speak SNS (they confirm the subscription). */
  https: z._default(z.array(httpsUrl), []),
  /** Existing SNS topics (chat through AWS Chatbot, a SOC's topic): the rule and the alarm publish there too. */
  topicArns: z._default(
    z.array(
      refine(
        z.string(),
        (v) => /^arn:aws:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(v),
        'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
      ),
    ),
    [],
  ),
});

/** Where the Azure functions' escalations go besides the log line an alert rule watches. */
const azureNotify = z.strictObject({
  /** Chat or paging webhooks: each escalation is posted as JSON with a `text` a phone reads. */
  webhooks: z._default(z.array(httpsUrl), []),
  /** The action group the escalation log alert fires (deploy/azure-escalation-alert.json). */
  actionGroupId: z.optional(
    refine(
      z.string(),
      (v) =>
        /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w().-]{1,90}\/providers\/microsoft\.insights\/actionGroups\/[\w-]{1,260}$/i.test(
          v,
        ),
      'must be an action group resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/actionGroups/<name>)',
    ),
  ),
});

const aws = z.strictObject({
  accounts: z
    .array(refine(z.string(), isAccountId, 'must be a 12-digit AWS account id'))
    .check(z.minLength(1)),
  responders: z.array(guardedPattern).check(z.minLength(1)),
  protectedPrincipals: z._default(z.array(guardedPattern), []),
  /** The deployment's own roles (the function roles): guarded like responders on every path (core/own-identities.ts). */
  ownRoles: z._default(
    z.array(
      refine(
        z.string(),
        (v) => /^arn:aws:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(v),
        'must be an exact role ARN (arn:aws:iam::<12 digits>:role/<name>, no wildcard): the role a Tourniquet function runs as',
      ),
    ),
    [],
  ),
  /**
   * Role ARN (exact, no path) → its unique id (`AROA…`, `aws iam get-role` RoleId). S3 server access
   * logs and Bedrock invocation logs name a session only by its ARN; with the role's id known, a
   * finding from them pins the session (`aws:userid` = `<id>:<session>`) like a CloudTrail one.
   * Listing a role here also declares it shared (many sessions, e.g. one per end user): its
   * revocation cuts off the pinned session only, as for the detect.knownReaders/knownCallers roles.
   */
  roleUniqueIds: z._default(
    z.record(
      refine(
        z.string(),
        (v) => /^arn:aws:iam::\d{12}:role\/[\w+=,.@-]{1,64}$/.test(v),
        'must be an exact role ARN without path (arn:aws:iam::<12 digits>:role/<name>)',
      ),
      z.string().check(z.regex(/^AROA[A-Z0-9]{12,124}$/, 'must be a role unique id (AROA…)')),
    ),
    {},
  ),
  assets: z._default(z.array(awsAsset), []),
  evidenceBucket: refine(z.string(), isBucketName, 'must be a valid S3 bucket name'),
  /** Role assumed in member accounts to act there; without it, only the home account is contained. */
  memberRoleName: z.optional(z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/))),
  /**
   * A managed policy set as the permissions boundary of the function role (serverless.yml): an
   * outer limit you own, e.g. denying iam:DeleteRolePolicy on role paths Tourniquet must never touch
   * (docs/aws-executors.md, "What the role may delete").
   */
  permissionsBoundary: z.optional(
    refine(
      z.string(),
      (v) => /^arn:aws:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/.test(v),
      'must be a managed policy ARN (arn:aws:iam::<account>:policy/<name>)',
    ),
  ),
  /**
   * Deactivate every access key of a revoked user, not just the long-term key the alert names. Every
   * key is deactivated anyway when the alert shows a temporary (ASIA…) key or none: the key that
   * minted the session is unknown.
   */
  deactivateAllKeys: z._default(z.boolean(), false),
  /**
   * Buckets where CloudTrail, S3 access, VPC flow and Bedrock logs land: the `scan` function reads
   * each new object there (EventBridge "Object Created") and runs the detectors on it.
   */
  logBuckets: z._default(z.array(refine(z.string(), isBucketName, 'must be a valid S3 bucket name')), []),
  /** EventBridge bus that receives `Tourniquet Escalation` events. */
  escalationBus: z._default(z.string().check(z.regex(/^[\w.\-/:]{1,256}$/)), 'default'),
  /** Who hears of escalations and of the dead-letter alarm (docs/notifications.md). */
  notify: z._default(awsNotify, { emails: [], https: [], topicArns: [] }),
  /**
   * Principals expected to change guardrails, model invocation logging, knowledge-base sources,
   * trust policies and console passwords (deployment pipelines): such changes by them are routine.
   * With the list empty, those changes are escalated and nobody is revoked for them.
   */
  knownIdentities: z._default(z.array(iamArnPattern), []),
  /**
   * Security Hub products not operated by AWS (ProductArn) whose findings may act: any other
   * imported finding (securityhub:BatchImportFindings) escalates only (core/low-trust.ts).
   */
  trustedProducts: z._default(
    z.array(
      refine(
        z.string(),
        (v) => /^arn:aws:securityhub:[a-z0-9-]+:\d{0,12}:product(v2)?\/[\w-]+\/[\w-]+$/.test(v),
        'must be a Security Hub product ARN (arn:aws:securityhub:<region>:<account>:product/<company>/<product>)',
      ),
    ),
    [],
  ),
  inference: z._default(
    z.strictObject({
      /**
       * Custom or imported Bedrock models (ARNs, `*` allowed) that, when a finding says they leak,
       * are closed to everyone but responders and break-glass by a Bedrock resource policy.
       */
      isolateModels: z._default(
        z.array(z.string().check(z.regex(/^arn:aws:bedrock:[*\w-]+:[\d*]+:[\w*/.:-]+$/))),
        [],
      ),
    }),
    { isolateModels: [] },
  ),
});

const azureAsset = z.strictObject({
  storageAccount: storageAccountId,
  containers: z.array(containerName).check(z.minLength(1)),
  kind: z.enum(ASSET_KINDS),
  prefixes: z._default(z.array(z.string().check(z.maxLength(1024))), []),
  ...assetDataFields,
});

const networkRules = z.strictObject({
  virtualNetworkSubnetIds: z._default(
    z.array(refine(z.string(), isSubnetId, 'must be a subnet resource id')),
    [],
  ),
  ipRanges: z._default(
    z.array(refine(z.string(), isStorageIpRule, 'must be a public IPv4 address or CIDR range /8–/30')),
    [],
  ),
});

const aiAccount = z.strictObject({
  account: refine(
    z.string(),
    isCognitiveAccountId,
    'must be a Cognitive Services account resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>)',
  ),
  /**
   * `disable`: API keys stop (`disableLocalAuth: true`, restored on release). `rotate`: for
   * accounts whose applications must keep using keys, both keys are regenerated instead — the old
   * keys are gone for good, and the applications need the new ones.
   */
  localAuth: z._default(z.enum(['disable', 'rotate']), 'disable'),
  /**
   * The networks the applications call from. When an alert's actor is an IP address, the account's
   * network default action becomes Deny with only these (and `responderNetwork`) allowed; without
   * them, an IP actor is escalated.
   */
  allowedNetworks: z.optional(networkRules),
});

const azure = z.strictObject({
  tenantId: guid,
  subscriptions: z.array(guid).check(z.minLength(1)),
  responders: z.array(guid).check(z.minLength(1)),
  protectedPrincipals: z._default(z.array(guid), []),
  /** The deployment's own managed identities (object ids): guarded like responders on every path. */
  ownIdentities: z._default(z.array(guid), []),
  assets: z._default(z.array(azureAsset), []),
  evidence: z.strictObject({ storageAccount: storageAccountId, container: containerName }),
  /** Also set `accountEnabled=false` on the service principal (needs a Microsoft Graph permission). */
  disableServicePrincipals: z._default(z.boolean(), false),
  /** Rotate both storage account keys during quarantine (kills key-signed SAS; breaks key users). */
  rotateKeys: z._default(z.boolean(), false),
  quarantine: z._default(
    z.strictObject({
      /**
       * Also remove the direct data-plane role assignments (blob data roles) at a quarantined
       * account and its containers, guarded principals skipped; recreated on release.
       */
      removeDataRoleAssignments: z._default(z.boolean(), false),
      /**
       * Also set `publicNetworkAccess: Disabled` on a quarantined account (restored on release).
       * That shuts out every IP and virtual network rule, `responderNetwork` included: only private
       * endpoints still reach the data plane, so it needs `responderPrivateEndpoints`.
       */
      disablePublicNetworkAccess: z._default(z.boolean(), false),
      /** Private endpoints (resource ids) responders reach the storage data plane through. */
      responderPrivateEndpoints: z._default(z.array(privateEndpointId), []),
    }),
    { removeDataRoleAssignments: false, disablePublicNetworkAccess: false, responderPrivateEndpoints: [] },
  ),
  /** Object ids expected to list keys, write role assignments or delete blobs on protected storage. */
  knownIdentities: z._default(z.array(guid), []),
  /**
   * Event Grid custom topics (resource ids) whose alerts may act; an alert published to any other
   * custom topic (whoever may publish there could forge it) escalates only (core/low-trust.ts).
   */
  trustedTopics: z._default(
    z.array(
      refine(
        z.string(),
        (v) =>
          /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.EventGrid\/(topics|domains)\/[^/]+$/i.test(
            v,
          ),
        'must be an Event Grid topic resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.EventGrid/topics/<name>)',
      ),
    ),
    [],
  ),
  /** Who hears of escalations besides the log alert rule (docs/notifications.md). */
  notify: z._default(azureNotify, { webhooks: [] }),
  inference: z._default(
    z.strictObject({
      /** Azure OpenAI / AI Foundry accounts Tourniquet may close when an alert names them. */
      accounts: z._default(z.array(aiAccount), []),
    }),
    { accounts: [] },
  ),
  /** Where responders keep data-plane access once a quarantine sets the network default action to Deny. */
  responderNetwork: z.optional(networkRules),
});

/** A known reader: who (a principal pattern) and, optionally, the only networks it reads from. */
const knownReader = z.union([
  z.string(),
  z.strictObject({
    principal: z.string().check(z.minLength(1)),
    /** CIDRs or VPC endpoint ids; empty: `detect.expectedNetworks`. */
    networks: z._default(z.array(z.string()), []),
  }),
]);

const detect = z.strictObject({
  /** Profiles that seed the baselines: a string is a profile with no networks of its own. */
  knownReaders: z._default(z.array(knownReader), []),
  /**
   * Per detector: `off` (not run), `audit` (records what it would do, acts on nothing), `alert`
   * (escalates, never contains), `contain`. A detector with no mode here is in `audit`.
   */
  modes: z._default(z.partialRecord(z.enum(DETECTOR_IDS), z.enum(DETECTOR_MODES)), {}),
  /** Findings below this confidence are signals only: no alert line, nothing handed to decide. */
  minConfidence: z._default(z.enum(CONFIDENCES), 'medium'),
  expectedNetworks: z._default(z.array(z.string()), []),
  inferenceEndpoints: z._default(z.array(z.string()), []),
  canaryTokens: z._default(z.array(z.string().check(z.minLength(8))), []),
  /** Per-detector thresholds and severities, each with a documented default (docs/detection.md). */
  thresholds: z.prefault(thresholdsSchema, {}),
  /** Callers whose high inference request rate is normal (the serving fleet); other rules still apply. */
  knownCallers: z._default(z.array(z.string()), []),
  /** Approved model artifacts and their checksums (artifact integrity and copies). */
  manifest: z._default(z.array(manifestEntrySchema), []),
  /**
   * Per-actor windows one rule holds open while scanning a file; beyond it the oldest spill to the
   * window store early (no count lost). Bounds the scan's memory whatever the number of actors.
   */
  maxStateEntries: z._default(z.int().check(z.minimum(16), z.maximum(10_000_000)), 5000),
});

const posture = z.strictObject({
  /** A principal that has not used its access to an asset for this many days is stale. */
  staleAfterDays: z._default(z.int().check(z.minimum(1), z.maximum(3650)), 30),
  /** AWS regions of the region-scoped checks (Bedrock, GuardDuty, flow logs); default: the run's own. */
  regions: z._default(z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/))), []),
  /** Longest just-in-time grant `tourniquet grant --for` may give. */
  maxGrantHours: z._default(z.int().check(z.minimum(1), z.maximum(168)), 12),
});

export const configSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** Only `"enforce"` changes anything; the default is a dry run. */
  mode: z._default(z.enum(['enforce', 'dry-run']), 'dry-run'),
  minSeverity: z._default(z.number().check(z.minimum(0), z.maximum(10)), 7),
  /**
   * Thresholds by alert type (`*` allowed), before `minSeverity`: e.g.
   * `{ "Impact:IAMUser/AnomalousModelInvocation": 2 }`. The playbooks give GuardDuty's AI
   * Protection types their own default (they are rated Low); the deployed EventBridge rules let
   * every type named here through whatever `minSeverity` is.
   */
  minSeverityByType: z._default(
    z.record(
      z.string().check(z.regex(/^[\w.:/!&*-]{1,256}$/)),
      z.number().check(z.minimum(0), z.maximum(10)),
    ),
    {},
  ),
  limits: z._default(limits, { maxPrincipals: 2, maxStores: 3, maxObjects: 1000, evidenceJobAbove: 1000 }),
  aws: z.optional(aws),
  azure: z.optional(azure),
  detect: z.prefault(detect, {}),
  /** Posture checks, stale access and just-in-time grants (docs/posture.md). */
  posture: z.prefault(posture, {}),
  /** What the evidence pack reports: regimes, the entity, its contacts (docs/evidence-pack.md). */
  compliance: z.optional(complianceSchema),
});

export type Config = z.infer<typeof configSchema>;
export type AwsConfig = NonNullable<Config['aws']>;
export type AzureConfig = NonNullable<Config['azure']>;
export type AssetKind = (typeof ASSET_KINDS)[number];

/**
 * Parses and validates a configuration strictly (unknown keys are errors). Throws a ConfigError that
 * lists every problem with its path, so one fix round is enough.
 *
 * @example
 * const config = parseConfig(JSON.parse(readFileSync('tourniquet.config.json', 'utf8')));
 */
export function parseConfig(input: unknown): Config {
  if (input === undefined || input === null) throw new ConfigError('no configuration given');
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) =>
        `${i.path.length ? i.path.join('.') : '(top)'}: ${i.code === 'unrecognized_keys' ? unknownKeysMessage(configSchema, i.path, i.keys) : i.message}`,
    );
    throw new ConfigError('invalid configuration', problems);
  }
  const config = result.data;
  if (!config.aws && !config.azure)
    throw new ConfigError('invalid configuration', ['needs an "aws" or "azure" section']);
  const problems = [...lineageProblems(config), ...publicAccessProblems(config)];
  if (problems.length) throw new ConfigError('invalid configuration', problems);
  return withOwnIdentities(config);
}

/** Parses configuration text (a file or the TOURNIQUET_CONFIG variable); `where` names it in errors. */
export function parseConfigText(text: string | undefined, where: string): Config {
  if (text === undefined || text.trim() === '')
    throw new ConfigError(`no configuration: ${where} is empty or unset`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`configuration in ${where} is not valid JSON: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  return parseConfig(json);
}

/**
 * Disabling public network access cuts responders off unless they come through a private endpoint:
 * IP and virtual network rules (`responderNetwork`) stop applying once it is Disabled.
 */
function publicAccessProblems(config: Config): string[] {
  const q = config.azure?.quarantine;
  if (!q?.disablePublicNetworkAccess || q.responderPrivateEndpoints.length > 0) return [];
  return [
    'azure.quarantine.disablePublicNetworkAccess: needs azure.quarantine.responderPrivateEndpoints ' +
      '(the private endpoints responders reach the storage data plane through); with public network access ' +
      'Disabled no IP or virtual network rule applies, azure.responderNetwork included, so responders would be locked out',
  ];
}

/** Every `trainedOn` must name a configured asset (an AWS bucket or an Azure storage account name). */
function lineageProblems(config: Config): string[] {
  const names = new Set([
    ...(config.aws?.assets ?? []).map((a) => a.bucket),
    ...(config.azure?.assets ?? []).map((a) => a.storageAccount.split('/').at(-1)?.toLowerCase() ?? ''),
  ]);
  const problems: string[] = [];
  const check = (cloud: string, assets: readonly { trainedOn?: string[] | undefined }[]) => {
    for (const [i, a] of assets.entries()) {
      for (const [j, ref] of (a.trainedOn ?? []).entries()) {
        if (!names.has(ref) && !names.has(ref.toLowerCase()))
          problems.push(`${cloud}.assets.${i}.trainedOn.${j}: "${ref}" names no configured asset`);
      }
    }
  };
  check('aws', config.aws?.assets ?? []);
  check('azure', config.azure?.assets ?? []);
  return problems;
}
