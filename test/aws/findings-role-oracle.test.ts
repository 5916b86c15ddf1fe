/**
 * The findings function's role (serverless.yml FindingsRole, values from deploy/config.cjs) evaluated
 * by the IAM simulator: it may read the incident journals it rebuilds findings from and write its
 * marks of published seals, and nothing else in the evidence bucket (not the journal itself, not the
 * evidence copies, not the packs).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const HOME = '111122223333';
const BUCKET = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')).aws.evidenceBucket;
const ROLE = `arn:aws:iam::${HOME}:role/tourniquet-prod-findings`;
const PSEUDO: Record<string, string> = { Partition: 'aws', Region: 'us-east-1', AccountId: HOME };

let policies: { name: string; policy: unknown }[] = [];
beforeAll(async () => {
  const config = await (
    createRequire(import.meta.url)('../../deploy/config.cjs') as () => Promise<Record<string, unknown>>
  )();
  const resolve = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const custom = /^\$\{self:custom\.config\.(\w+)\}$/.exec(node);
      return custom ? config[custom[1] as string] : node;
    }
    if (Array.isArray(node)) return node.map(resolve);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ('Fn::Sub' in o)
        return (o['Fn::Sub'] as string).replace(/\$\{AWS::(\w+)\}/g, (_, v) => PSEUDO[v] ?? v);
      if ('Fn::GetAtt' in o) return `arn:aws:sqs:us-east-1:${HOME}:tourniquet-prod-dead-letters`;
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v)]));
    }
    return node;
  };
  const template = parse(readFileSync('serverless.yml', 'utf8'));
  const role = template.resources.Resources.FindingsRole.Properties.Policies as {
    PolicyName: string;
    PolicyDocument: unknown;
  }[];
  policies = role.map((p) => ({ name: p.PolicyName, policy: resolve(p.PolicyDocument) }));
});

async function decision(action: string, resource: string) {
  const simulation = {
    request: {
      principal: `arn:aws:sts::${HOME}:assumed-role/tourniquet-prod-findings/findings`,
      action,
      resource: { resource, accountId: HOME },
      contextVariables: { 'aws:PrincipalArn': ROLE, 'aws:SecureTransport': 'true' },
    },
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

describe('the findings role (serverless.yml FindingsRole)', () => {
  const key = (k: string) => `arn:aws:s3:::${BUCKET}/incidents/aws-guardduty-2b3172ce4970bdd3e9af/${k}`;

  it.each([
    ['s3:GetObject', key('journal/incident.json')],
    ['s3:GetObject', key('journal/seals/001.json')],
    ['s3:GetObject', key('findings/001.json')],
    ['s3:PutObject', key('findings/001.json')],
    ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`],
  ])('allows %s on %s', async (action, resource) => {
    expect(await decision(action, resource)).toBe('Allowed');
  });

  it.each([
    ['s3:PutObject', key('journal/incident.json')],
    ['s3:PutObject', key('journal/seals/002.json')],
    ['s3:DeleteObject', key('findings/001.json')],
    ['s3:GetObject', key('objects/models-prod/weights/model.safetensors')],
    ['s3:GetObject', key('pack/001-contain.html')],
    ['s3:PutObject', `arn:aws:s3:::${BUCKET}/quarantines/models-prod/x/applied`],
    ['s3:GetObject', 'arn:aws:s3:::models-prod/weights/model.safetensors'],
  ])('does not allow %s on %s', async (action, resource) => {
    expect(await decision(action, resource)).not.toBe('Allowed');
  });
});
