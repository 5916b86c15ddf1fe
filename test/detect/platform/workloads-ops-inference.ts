/**
 * The ops day's heavy inference users (workloads-ops.ts): a load test sweeping temperature/top_p over
 * one prompt, a regression eval repeating its items with incrementing ids, the safety team's
 * red-team suite, a support engineer pasting debug logs, an employee proofreading a paragraph that
 * quotes the canary. Bedrock invocation logs, one session per person or run of the shared roles.
 */
import { CANARY } from '../detect-config.ts';
import type { Prng } from '../traffic/prng.ts';
import { type DayLog, diurnalTimes, inHour } from './day.ts';
import { roleArn, sessionArn } from './emit-aws.ts';
import { answer, evalPrompt, INJECTION_PROMPTS, PORTAL_SYSTEM_PROMPT } from './texts.ts';

/** Inference-side heavy users: a load test sweeping sampling parameters, eval harnesses, a support engineer. */
export function inferenceHeavy(log: DayLog): void {
  const rng = log.rng;
  // Load test: one prompt, temperature and top_p swept, ~2 requests a second for 40 minutes.
  const lt = 'locust-run-20261125';
  log.actor({
    actor: sessionArn('loadtest-role', lt),
    principal: roleArn('loadtest-role'),
    cloud: 'aws',
    what: 'load test sweeping temperature/top_p over one prompt',
  });
  const prompt = 'Summarise the attached release notes for a customer newsletter in three bullet points.';
  let t = inHour(rng, 10);
  for (let i = 0; i < 4800; i++) {
    log.bedrock({
      at: t,
      arn: sessionArn('loadtest-role', lt),
      modelId: 'meta.llama3-70b-instruct-v1:0',
      prompt,
      response: answer(rng, 40),
      converse: true,
      temperature: [0, 0.2, 0.5, 0.8, 1][i % 5],
      topP: [0.5, 0.9, 1][Math.floor(i / 5) % 3],
    });
    t += rng.int(300, 700);
  }
  // Regression eval: the same 300 items, each sent 5 times with an incrementing run id.
  const ev = 'eval-regression-20261125';
  log.actor({
    actor: sessionArn('eval-runner-role', ev),
    principal: roleArn('eval-runner-role'),
    cloud: 'aws',
    what: 'regression eval: same prompts with incrementing ids',
  });
  t = inHour(rng, 20);
  for (let run = 0; run < 5; run++)
    for (let item = 0; item < 300; item++) {
      log.bedrock({
        at: t,
        arn: sessionArn('eval-runner-role', ev),
        modelId: 'meta.llama3-70b-instruct-v1:0',
        prompt: `[run ${run + 1} id ${String(run * 300 + item).padStart(5, '0')}] ${evalPrompt(rng, item)}`,
        response: rng.pick(['A', 'B', 'C', 'D']),
        converse: false,
      });
      t += rng.int(200, 900);
    }
  // The AI safety team's red-team suite against its own model (garak/promptfoo-like): injection probes.
  const rt = 'redteam-suite-20261125';
  log.actor({
    actor: sessionArn('eval-runner-role', rt),
    principal: roleArn('eval-runner-role'),
    cloud: 'aws',
    what: 'AI safety red-team eval suite (injection probes against our own model)',
  });
  t = inHour(rng, 21);
  for (let i = 0; i < 60; i++) {
    log.bedrock({
      at: t,
      arn: sessionArn('eval-runner-role', rt),
      modelId: 'meta.llama3-70b-instruct-v1:0',
      prompt: `[probe ${i}] ${INJECTION_PROMPTS[i % INJECTION_PROMPTS.length]}`,
      response: 'I cannot help with that request.',
      converse: false,
    });
    t += rng.int(1000, 4000);
  }
  supportEngineer(log, rng);
}

/** A support engineer pastes a customer's debug log (with the customer's leaked key in it) and asks about it. */
function supportEngineer(log: DayLog, rng: Prng): void {
  const session = 'user-e4242';
  log.actor({
    actor: sessionArn('portal-app-role', session),
    principal: roleArn('portal-app-role'),
    cloud: 'aws',
    what: 'support engineer pasting long customer logs into the portal',
  });
  for (const at of diurnalTimes(rng, 14)) {
    const lines = Array.from(
      { length: rng.int(60, 160) },
      (_, i) =>
        `2026-11-24T${String(i % 24).padStart(2, '0')}:14:0${i % 10}Z DEBUG botocore.endpoint Sending http request: <AWSPreparedRequest stream_output=False, method=POST, url=https://sts.amazonaws.com/, headers={'X-Amz-Date': b'20261124T101400Z', 'Authorization': b'AWS4-HMAC-SHA256 Credential=AKIAQ3EGRCJ6XZ4EXMPL/20261124/us-east-1/sts/aws4_request'}>`,
    );
    const ask = rng.pick([
      'Show me the failing request in the text above and explain the error.',
      'What is wrong with this customer setup? Point to the line.',
      'Summarise this log for the ticket.',
    ]);
    log.bedrock({
      at,
      arn: sessionArn('portal-app-role', session),
      modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      system: PORTAL_SYSTEM_PROMPT,
      prompt: `${lines.join('\n')}\n\n${ask}`,
      response: `The request signed with Credential=AKIAQ3EGRCJ6XZ4EXMPL fails: the clock skew is 15 minutes. ${answer(rng, 30)}`,
      converse: true,
    });
  }
}

/**
 * An employee asks the portal to proofread a data-governance wiki paragraph that quotes the
 * quarter's export watermark, which is the canary token: the answer repeats the user's own text.
 */
export function watermarkProofread(log: DayLog): void {
  const session = 'user-e3131';
  log.actor({
    actor: sessionArn('portal-app-role', session),
    principal: roleArn('portal-app-role'),
    cloud: 'aws',
    what: 'employee proofreading a wiki paragraph that quotes the canary (echoed back)',
  });
  const paragraph = `Every export is watermarked; the watermark for Q4 is ${CANARY}. Report any copy found outside.`;
  log.bedrock({
    at: inHour(log.rng, 11),
    arn: sessionArn('portal-app-role', session),
    modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    system: PORTAL_SYSTEM_PROMPT,
    prompt: `Please proofread this paragraph and keep the wording: "${paragraph}"`,
    response: `Every export is watermarked; the watermark for Q4 is ${CANARY}. Please report any copy found outside.`,
    converse: true,
  });
}
