import * as z from 'zod/mini';
import { assetDataFields } from '../compliance-config.ts';
import { isAccountId, isBucketName, parseIamArn } from '../names.ts';
import { ASSET_KINDS } from './asset-kinds.ts';
import { httpsUrl, refine } from './fields.ts';

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

const awsAsset = z.strictObject({
  bucket: refine(z.string(), isBucketName, 'must be a valid S3 bucket name'),
  kind: z.enum(ASSET_KINDS),
  /** Key prefixes whose objects are pinned as evidence; `""` is the whole bucket. */
  prefixes: z._default(z.array(z.string().check(z.maxLength(1024))), []),
  ...assetDataFields,
});

const email = refine(z.string(), (v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), 'must be an e-mail address');

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

/** The `aws` section. */
export const aws = z.strictObject({
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
