import type { Alert } from './alert.ts';
import type { Config } from './config.ts';

/** How far ahead of this clock an observation may be (clock skew) before it is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why an alert came through a channel anyone with a little access can write to, so that it may
 * escalate only, or undefined when its channel is trusted. The parsers mark the channel:
 * `untrustedProduct` (a Security Hub product not operated by AWS: its ProductArn is what Security
 * Hub vouches for; ProductName and CompanyName are the importer's words) and `eventGridTopic` (an
 * alert published as the data of an Event Grid custom topic event, or a malware scanning result
 * from a topic that is not the scanned account's system topic; `eventGridSourceClaimed` when only
 * the publisher's CloudEvents `source` names it). The configuration trusts a
 * channel by naming it: `aws.trustedProducts`, `azure.trustedTopics`.
 */
export function lowTrustChannel(alert: Alert, config: Config): string | undefined {
  const { context } = alert;
  if (context.untrustedProduct === true) {
    const product = typeof context.productArn === 'string' ? context.productArn : '';
    if (!(config.aws?.trustedProducts ?? []).includes(product)) {
      return (
        `the finding comes from ${product || 'an unnamed product'}, a Security Hub product not operated by AWS ` +
        '(anyone with securityhub:BatchImportFindings can import one): escalated only; list the product in ' +
        'aws.trustedProducts to let its findings act'
      );
    }
  }
  const topic = context.eventGridTopic;
  if (typeof topic === 'string') {
    const listed = (config.azure?.trustedTopics ?? []).some((t) => t.toLowerCase() === topic.toLowerCase());
    if (!listed && context.eventGridSourceClaimed === true) {
      return (
        `the result names its own source ${topic} (in the CloudEvents schema a custom topic's publisher ` +
        'writes source, so it proves no system topic): escalated only; deliver it in the Event Grid schema, ' +
        'or list the source in azure.trustedTopics to let its results act'
      );
    }
    if (!listed) {
      return (
        `the alert arrived through the Event Grid custom topic ${topic || '(none named)'} (whoever may publish ` +
        'there could write it): escalated only; list the topic in azure.trustedTopics to let its alerts act'
      );
    }
  }
  return undefined;
}

/** Why an alert's observation time cannot be true (beyond clock skew in the future), or undefined. */
export function futureObservation(alert: Alert, now: Date): string | undefined {
  const at = Date.parse(alert.observedAt);
  if (!(at > now.getTime() + MAX_CLOCK_SKEW_MS)) return undefined;
  return `the alert says it was observed at ${alert.observedAt}, in the future (now ${now.toISOString()}, more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes of clock skew): refused, nothing done`;
}
