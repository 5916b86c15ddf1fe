import type { Escalation, Notified } from './executors/escalate.ts';

/** What posting takes: `fetch`, or a fake in tests. */
export type Post = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number }>;

/**
 * Posts each escalation to the webhooks of `azure.notify` (Teams and Slack incoming webhooks read
 * `text`; the rest of the body is the escalation itself), all at once, 10 s each. Answers what each
 * said, by host (a webhook URL carries its secret in the path: it is never logged whole).
 */
export function webhookNotifier(urls: readonly string[], post: Post = fetch) {
  return async (escalation: Escalation): Promise<Notified> => {
    if (!urls.length) return undefined;
    const body = JSON.stringify({ text: escalation.summary, ...escalation });
    const webhooks = await Promise.all(
      urls.map(async (url) => {
        const host = new URL(url).host;
        try {
          const { status } = await post(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          return { host, status };
        } catch (error) {
          return { host, status: (error as Error).name };
        }
      }),
    );
    return { webhooks };
  };
}
