import * as z from 'zod/mini';
import { complianceSchema } from './compliance-config.ts';
import type { ASSET_KINDS } from './config/asset-kinds.ts';
import { aws } from './config/aws.ts';
import { azure } from './config/azure.ts';
import { detect } from './config/detect.ts';
import { limits } from './config/limits.ts';
import { posture } from './config/posture.ts';
import { unknownKeysMessage } from './config-keys.ts';
import { ConfigError } from './errors.ts';
import { withOwnIdentities } from './own-identities.ts';
import './zod-messages.ts';

export { ASSET_KINDS } from './config/asset-kinds.ts';

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
