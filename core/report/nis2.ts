import { addHours } from './clock.ts';
import {
  clock,
  fromConfig,
  fromJournal,
  human,
  measuresText,
  natureText,
  type RegimeContext,
  type RegimeSection,
  section,
} from './regime-context.ts';

const THREAT_SOURCES = new Set([
  'guardduty',
  'securityhub',
  'macie',
  'defender',
  'graph',
  'malware-scanning',
  'detector',
]);

/**
 * NIS2 Art. 23(4): early warning within 24 h of awareness (suspected unlawful or malicious act?
 * cross-border impact?), incident notification within 72 h (initial assessment, severity and
 * impact, indicators of compromise), final report one month after the notification.
 */
export function nis2Section(ctx: RegimeContext, trigger: 'alert' | 'manual'): RegimeSection {
  const notifiedBy = ctx.submissions.find(
    (s) => s.regime === 'nis2' && s.stage === 'incident notification',
  )?.at;
  const clocks = [
    clock(ctx, 'nis2', 'early warning', ctx.awareAt, { hours: 24 }, '24 h after awareness (Art. 23(4)(a))'),
    clock(
      ctx,
      'nis2',
      'incident notification',
      ctx.awareAt,
      { hours: 72 },
      '72 h after awareness (Art. 23(4)(b))',
    ),
    clock(
      ctx,
      'nis2',
      'final report',
      notifiedBy ?? addHours(ctx.awareAt, 72),
      { months: 1 },
      notifiedBy
        ? 'one month after the incident notification (Art. 23(4)(d))'
        : 'one month after the incident notification (Art. 23(4)(d)), counted from its deadline until a submission is recorded',
    ),
  ];
  const a = ctx.alert;
  const countries = [...new Set(ctx.places.map((p) => p.country).filter((c): c is string => !!c))];
  const home: readonly string[] = ctx.config.compliance?.entity?.memberStates ?? [];
  const foreign = countries.filter((c) => !home.includes(c));
  const weights = ctx.exposed.filter((e) => e.kind === 'model-weights');
  const fields = {
    '23(4)(a) malicious': THREAT_SOURCES.has(a.source)
      ? fromJournal(
          'Suspected unlawful or malicious act',
          true,
          `${a.source} threat finding ${a.type}; confirm`,
        )
      : human(
          'Suspected unlawful or malicious act',
          `the alert came from ${a.source}, which does not judge intent`,
        ),
    '23(4)(a) cross-border': countries.length
      ? fromJournal(
          'Cross-border impact',
          foreign.length > 0 || countries.length > 1,
          `affected regions lie in ${countries.join(', ')}${home.length ? `; the entity is established in ${home.join(', ')}` : ''}; users in other member states are not known to Tourniquet`,
        )
      : human('Cross-border impact', 'the regions of the affected resources are not known'),
    '23(4)(b) assessment': fromJournal('Initial assessment', natureText(ctx, trigger)),
    '23(4)(b) severity': fromJournal('Severity', `${a.severity} of 10 (${a.source})`),
    '23(4)(b) impact': human('Impact (services, users, duration)'),
    '23(4)(b) iocs': fromJournal('Indicators of compromise', iocList(ctx)),
    '23(4)(d)(i) description': human('Detailed description, severity and impact'),
    '23(4)(d)(ii) root cause': human('Type of threat or root cause'),
    '23(4)(d)(iii) mitigation': fromJournal(
      'Applied and ongoing mitigation measures',
      measuresText(ctx.measures),
    ),
    '23(4)(d)(iv) cross-border': human('Cross-border impact (final)'),
    entity: fromConfig('Entity', ctx.config.compliance?.entity?.name ?? null),
    significance: human(
      'Significant incident (Art. 23(3); Implementing Regulation (EU) 2024/2690 Art. 3)',
      weights.length
        ? `model weights (${weights.map((w) => w.name).join(', ')}) are trade secrets: for entities bound by Implementing Regulation (EU) 2024/2690 (cloud, data centre, CDN, managed (security) service providers, …) their exfiltration makes the incident significant (Art. 3(1)(b)); say whether your entity is one`
        : undefined,
    ),
  };
  const notes = weights.length
    ? [
        'Exfiltration of trade secrets (model weights) makes an incident significant under Implementing Regulation (EU) 2024/2690 Art. 3(1)(b) for the entities it binds.',
      ]
    : [];
  return section(clocks, fields, notes);
}

export function iocList(ctx: RegimeContext): string[] {
  const i = ctx.iocs;
  return [
    ...i.principals.map((x) => `principal ${x}`),
    ...i.sessions.map((x) => `session ${x}`),
    ...i.accessKeyIds.map((x) => `access key ${x}`),
    ...i.sourceIps.map((x) => `source IP ${x}`),
    ...i.userAgents.map((x) => `user agent ${x}`),
    ...i.sasSignatureHashes.map((x) => `SAS signature SHA-256 ${x}`),
    ...i.accounts.map((x) => `account ${x}`),
  ];
}
