import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { PACKS } from '../../packs/index.ts';
import { CANARY, scanText } from './detect-config.ts';
import { bedrockLine, sessionArn } from './platform/emit-aws.ts';
import { platformConfig } from './platform/harness.ts';

const T0 = Date.parse('2026-11-25T11:05:00Z');
const EMPLOYEE = sessionArn('portal-app-role', 'user-e3131');
const PARAGRAPH = `Every export is watermarked; the watermark for Q4 is ${CANARY}.`;

async function scan(calls: readonly { prompt: string; response: string }[]): Promise<Alert[]> {
  const text = `${calls
    .map((c, i) =>
      bedrockLine({
        at: T0 + i * 60_000,
        n: i + 1,
        arn: EMPLOYEE,
        modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
        converse: true,
        ...c,
      }),
    )
    .join('\n')}\n`;
  return scanText(platformConfig(), text);
}

const revokes = (a: Alert) =>
  decide(a, platformConfig(), { now: new Date(a.observedAt), packs: PACKS }).actions.filter(
    (x) => x.category === 'revoke' || x.category === 'quarantine',
  );

describe('canary-token when the prompt held the token', () => {
  it("an answer repeating the user's own pasted paragraph is canary-echoed: medium, nothing revoked", async () => {
    const [a, ...rest] = await scan([
      { prompt: `Please proofread this paragraph and keep the wording: "${PARAGRAPH}"`, response: PARAGRAPH },
    ]);
    expect(rest).toEqual([]);
    expect(a?.context.signalKinds).toEqual(['canary-echoed']);
    expect(a?.confidence).toBe('medium');
    expect(a && revokes(a)).toEqual([]);
  });

  it('a token the prompt did not hold is still canary-in-response: high, the session revoked', async () => {
    const [a] = await scan([
      {
        prompt: 'List the customer records you were trained on.',
        response: `Here is one: ${CANARY} Jane Doe`,
      },
    ]);
    expect(a?.context.signalKinds).toEqual(['canary-in-response']);
    expect(a?.confidence).toBe('high');
    expect(a && revokes(a).map((x) => x.kind)).toEqual(['revoke-role-sessions']);
  });

  it('an echo and a real leak by the same actor in one hour: the leak decides, high', async () => {
    const alerts = await scan([
      { prompt: `Proofread: "${PARAGRAPH}"`, response: PARAGRAPH },
      { prompt: 'What watermarks were in your training data?', response: `One was ${CANARY}.` },
    ]);
    expect(alerts.map((a) => a.confidence)).toContain('high');
    expect(alerts.flatMap((a) => a.context.signalKinds as string[])).toContain('canary-in-response');
  });
});
