import { type Config, parseConfig } from '../../core/config.ts';

export const ACCOUNT = '111122223333';
export const MEMBER = '444455556666';

/** The README's example configuration, in enforce mode, plus a member account. */
export function awsConfig(overrides: Record<string, unknown> = {}): Config {
  return parseConfig({
    mode: 'enforce',
    minSeverity: 7,
    aws: {
      accounts: [ACCOUNT, MEMBER],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      protectedPrincipals: [`arn:aws:iam::${ACCOUNT}:user/breakglass`],
      assets: [
        { bucket: 'models-prod', kind: 'model-weights', prefixes: ['weights/'] },
        { bucket: 'training-data', kind: 'training-data', prefixes: [] },
      ],
      evidenceBucket: `ir-evidence-${ACCOUNT}`,
      memberRoleName: 'tourniquet-member',
    },
    detect: { knownReaders: [`arn:aws:iam::${ACCOUNT}:role/llm-inference-role`] },
    ...overrides,
  });
}
