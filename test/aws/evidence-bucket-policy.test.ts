/**
 * deploy/evidence-bucket.yml's bucket policy, read from the template and evaluated by the IAM
 * simulator: only the home function role may write the journal (Tourniquet resumes and releases from
 * it), member roles may only add evidence copies, and nothing else in the organization gets in.
 */
import { readFileSync } from 'node:fs';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const HOME = '111122223333';
const MEMBER = '444455556666';
const SANDBOX = '999988887777';
const BUCKET = 'ir-evidence-111122223333';
const ORG = 'o-abcdefghij';
const HOME_ROLE = `arn:aws:iam::${HOME}:role/tourniquet-prod-responder`;
const FINDINGS_ROLE = `arn:aws:iam::${HOME}:role/tourniquet-prod-findings`;

const template = parse(readFileSync('deploy/evidence-bucket.yml', 'utf8'));
const params: Record<string, string> = {
  BucketName: BUCKET,
  HomeRoleArn: HOME_ROLE,
  FindingsRoleArn: FINDINGS_ROLE,
  OrganizationId: ORG,
  MemberRoleArnPattern: template.Parameters.MemberRoleArnPattern.Default,
  'EvidenceBucket.Arn': `arn:aws:s3:::${BUCKET}`,
};

/** Resolves the intrinsic functions this template uses (Ref, Fn::Sub, Fn::GetAtt) with `params`. */
function resolve(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolve);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ('Ref' in o) return params[o.Ref as string];
    if ('Fn::Sub' in o)
      return (o['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_, k) => params[k] ?? `\${${k}}`);
    if ('Fn::GetAtt' in o) return params[(o['Fn::GetAtt'] as string[]).join('.')];
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v)]));
  }
  return node;
}

const bucketPolicy = resolve(template.Resources.EvidenceBucketPolicy.Properties.PolicyDocument);
const adminEverywhere = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

async function decision(roleArn: string, action: string, key: string) {
  const account = /::(\d{12}):/.exec(roleArn)?.[1] ?? '';
  const role = roleArn.split('/').at(-1);
  const simulation = {
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${role}/tourniquet-x`,
      action,
      resource: { resource: `arn:aws:s3:::${BUCKET}/${key}`, accountId: HOME },
      contextVariables: {
        'aws:PrincipalArn': roleArn,
        'aws:PrincipalOrgID': ORG,
        'aws:SecureTransport': 'true',
      },
    },
    identityPolicies: [{ name: 'admin', policy: adminEverywhere }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: bucketPolicy,
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

describe('evidence bucket policy (deploy/evidence-bucket.yml)', () => {
  const journal = 'incidents/ir-2026-002/journal/incident.json';
  const copy = 'incidents/ir-2026-002/objects/models-prod/weights/model.safetensors';

  const pack = 'incidents/ir-2026-002/pack/001-contain.html';
  const ledger = 'quarantines/models-prod/TourniquetQuarantine0123456789ab/applied';

  it.each([journal, pack, ledger])('lets the home function role write %s', async (key) => {
    expect(await decision(HOME_ROLE, 's3:PutObject', key)).toBe('Allowed');
  });

  it.each([
    ['a member role', `arn:aws:iam::${MEMBER}:role/tourniquet-member`],
    ['a look-alike role in a sandbox account', `arn:aws:iam::${SANDBOX}:role/tourniquet-member`],
    ['an administrator of the home account', `arn:aws:iam::${HOME}:role/Admin`],
  ])('refuses journal and pack writes to %s, whatever its own permissions', async (_name, role) => {
    expect(await decision(role, 's3:PutObject', journal)).toBe('ExplicitlyDenied');
    expect(await decision(role, 's3:PutObject', pack)).toBe('ExplicitlyDenied');
    // Nor may they record a planted bucket-policy statement as Tourniquet's quarantine.
    expect(await decision(role, 's3:PutObject', ledger)).toBe('ExplicitlyDenied');
  });

  it('lets member roles add evidence copies', async () => {
    expect(await decision(`arn:aws:iam::${MEMBER}:role/tourniquet-member`, 's3:PutObject', copy)).toBe(
      'Allowed',
    );
  });

  it('gives other roles of the organization no way in', async () => {
    expect(await decision(`arn:aws:iam::${SANDBOX}:role/DataScience`, 's3:PutObject', copy)).not.toBe(
      'Allowed',
    );
  });

  const mark = 'incidents/ir-2026-002/findings/5f1c2e.json';

  it('lets the findings function role mark a finding published', async () => {
    expect(await decision(FINDINGS_ROLE, 's3:PutObject', mark)).toBe('Allowed');
  });

  it.each([
    ['the home function role', HOME_ROLE],
    ['an administrator of the home account', `arn:aws:iam::${HOME}:role/Admin`],
    ['a member role', `arn:aws:iam::${MEMBER}:role/tourniquet-member`],
  ])('refuses %s a mark, so nobody can hold a finding back by writing it first', async (_name, role) => {
    expect(await decision(role, 's3:PutObject', mark)).toBe('ExplicitlyDenied');
    expect(await decision(role, 's3:DeleteObject', mark)).toBe('ExplicitlyDenied');
  });

  it('keeps the journal closed to the findings function role', async () => {
    expect(await decision(FINDINGS_ROLE, 's3:PutObject', journal)).toBe('ExplicitlyDenied');
  });
});
