/**
 * Issue 8, fix 3: a wildcard in the role part of a guarded pattern would make every role a
 * responder (revocation is role-wide) and put `role/*` into every quarantine's exemption.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { guardedBy } from '../../core/principal-match.ts';
import { exemptPrincipalArns } from '../../packs/aws/policies.ts';
import { role } from '../support/alerts.ts';
import { ACCOUNT } from '../support/config.ts';

const withGuards = (responders: string[], protectedPrincipals: string[] = []) => ({
  aws: { accounts: [ACCOUNT], responders, protectedPrincipals, evidenceBucket: 'ir-evidence' },
});

describe('guarded patterns with a wildcard role', () => {
  it.each([
    ['responders', `arn:aws:sts::${ACCOUNT}:assumed-role/*/alice@corp.example`],
    ['responders', `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_*/alice@corp.example`],
    ['protectedPrincipals', `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin*/bob`],
    ['responders', `arn:aws:iam::${ACCOUNT}:role/*`],
    ['protectedPrincipals', `arn:aws:iam::${ACCOUNT}:role/ops/*`],
  ])('are refused in %s with why and what to write instead: %s', (list, pattern) => {
    const config =
      list === 'responders'
        ? withGuards([pattern])
        : withGuards([`arn:aws:iam::${ACCOUNT}:role/ir`], [pattern]);
    expect(() => parseConfig(config)).toThrow(
      new RegExp(`aws\\.${list}\\.0: .*every role.*name the role`, 's'),
    );
  });

  it('a named role with a session wildcard, and a name prefix, are still accepted', () => {
    const config = parseConfig(
      withGuards(
        [
          `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_IR_0123456789abcdef/*`,
          `arn:aws:iam::${ACCOUNT}:role/ir-*`,
        ],
        [`arn:aws:sts::${ACCOUNT}:assumed-role/break-glass/alice@corp.example`],
      ),
    );
    expect(config.aws?.responders).toHaveLength(2);
  });

  it('never widens a session pattern with a wildcard role to the whole role (guard or exemption)', () => {
    // Defence in depth for patterns that reach the matcher without the schema (tests, old builds).
    const pattern = `arn:aws:sts::${ACCOUNT}:assumed-role/*/alice@corp.example`;
    expect(guardedBy([pattern], role('llm-finetune-role'))).toBe(false);
    expect(exemptPrincipalArns([pattern])).toEqual([]);
    // A named role is still guarded whole by a pattern naming one of its sessions.
    const named = `arn:aws:sts::${ACCOUNT}:assumed-role/ir-responder/alice@corp.example`;
    expect(guardedBy([named], role('ir-responder'))).toBe(true);
  });
});
