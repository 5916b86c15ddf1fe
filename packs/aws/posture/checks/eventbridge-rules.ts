import {
  fail,
  type PostureCheck,
  type PostureContext,
  pass,
  type Subject,
} from '../../../../core/posture/check.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { awsRead } from '../operations.ts';
import { awsScope } from '../subjects.ts';

interface Rule {
  Name?: string;
  State?: string;
  EventPattern?: string;
}
interface Target {
  Id?: string;
  Arn?: string;
  DeadLetterConfig?: { Arn?: string };
}

/** The event sources the deployed stack must be subscribed to (serverless.yml). */
export const EXPECTED_SOURCES = [
  'aws.guardduty',
  'aws.securityhub',
  'aws.s3',
  'aws.iam',
  'aws.macie',
] as const;

function stack(ctx: PostureContext): Subject[] {
  const { account, regions, stack } = awsScope(ctx);
  return regions.map((region) => ({
    kind: 'deployment' as const,
    id: region,
    name: `${stack} in ${region}`,
    account,
    region,
    resources: [{ kind: 'event-rule' as const, id: `arn:aws:events:${region}:${account}:rule/${stack}-*` }],
  }));
}

const sourcesOf = (rule: Rule): string[] => {
  try {
    const source = (JSON.parse(rule.EventPattern ?? '{}') as { source?: unknown }).source;
    return Array.isArray(source) ? source.map(String) : [];
  } catch {
    return [];
  }
};

/** Every rule of the stack that feeds a function is enabled and dead-letters what it cannot deliver. */
export const eventBridgeRules: PostureCheck = {
  id: 'aws.eventbridge-rules',
  cloud: 'aws',
  title: 'EventBridge rules of the deployed stack, enabled, with a dead-letter queue',
  why: 'automatic containment starts from these rules; a disabled rule is silence, and an event EventBridge gives up on after 24 h is lost without a dead-letter queue',
  severity: 7,
  operations: ['events:ListRules', 'events:ListTargetsByRule'],
  subjects: stack,
  reads(s, ctx) {
    const prefix = `${awsScope(ctx).stack}-`;
    const reads: Read[] = [awsRead('events:ListRules', s.id, { NamePrefix: prefix }, s.id)];
    if (ctx.view.answer('events:ListRules', s.id).kind !== 'ok') return reads;
    for (const rule of ctx.view.items<Rule>('events:ListRules', s.id, 'Rules'))
      if (rule.Name)
        reads.push(awsRead('events:ListTargetsByRule', `${s.id}/${rule.Name}`, { Rule: rule.Name }, s.id));
    return reads;
  },
  evaluate(s, ctx) {
    const { stack: name } = awsScope(ctx);
    const rules = ctx.view.items<Rule>('events:ListRules', s.id, 'Rules').filter((r) => sourcesOf(r).length);
    const deploy = `npx serverless deploy --stage ${name.replace(/^tourniquet-/, '')} --region ${s.id}`;
    if (!rules.length)
      return fail(`no rule named ${name}-* in ${s.id}: the stack is not deployed here`, deploy);
    const problems: string[] = [];
    for (const rule of rules) {
      if (rule.State !== 'ENABLED') problems.push(`${rule.Name} is ${rule.State}`);
      const targets = ctx.view.items<Target>('events:ListTargetsByRule', `${s.id}/${rule.Name}`, 'Targets');
      const lambdas = targets.filter((t) => t.Arn?.startsWith('arn:aws:lambda:'));
      if (!lambdas.length) problems.push(`${rule.Name} invokes no function`);
      for (const t of lambdas.filter((t) => !t.DeadLetterConfig?.Arn))
        problems.push(`${rule.Name} target ${t.Id} has no dead-letter queue`);
    }
    const covered = new Set(rules.filter((r) => r.State === 'ENABLED').flatMap(sourcesOf));
    const missing = EXPECTED_SOURCES.filter((src) => !covered.has(src));
    if (missing.length) problems.push(`no enabled rule for ${missing.join(', ')}`);
    if (problems.length)
      return fail(
        problems.join('; '),
        `${deploy} (serverless.yml sets every rule, its retry policy and the dead-letter queue)`,
      );
    return pass(`${rules.length} rules enabled, each target with a dead-letter queue`);
  },
};
