import type { PrincipalRef } from '../../../core/alert.ts';
import { ACCOUNT } from '../detect-config.ts';

export function roleSession(role: string, session: string): PrincipalRef {
  return {
    id: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    kind: 'role',
    account: ACCOUNT,
    name: role,
    aliases: [{ type: 'session-arn', value: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}` }],
    certain: true,
  };
}

export function iamUser(name: string): PrincipalRef {
  return {
    id: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    kind: 'user',
    account: ACCOUNT,
    name,
    aliases: [],
    certain: true,
  };
}
