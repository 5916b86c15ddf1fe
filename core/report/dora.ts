import { addHours } from './clock.ts';
import { iocList } from './nis2.ts';
import {
  categoriesOf,
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

/**
 * DORA major ICT-related incident reports: time limits of Delegated Regulation (EU) 2025/301 Art. 5
 * (initial notification within 4 h of classification and at the latest 24 h after awareness;
 * intermediate report within 72 h of the initial notification; final report within one month of
 * the latest intermediate report) and the fields of Implementing Regulation (EU) 2025/302 Annex I
 * that the journal can fill; the others are empty slots.
 */
export function doraSection(ctx: RegimeContext, trigger: 'alert' | 'manual'): RegimeSection {
  const byClassification = addHours(ctx.classifiedAt, 4);
  const byAwareness = addHours(ctx.awareAt, 24);
  const initialFromClassification = byClassification <= byAwareness;
  const submitted = (stage: string) =>
    ctx.submissions.find((s) => s.regime === 'dora' && s.stage === stage)?.at;
  const initial = clock(
    ctx,
    'dora',
    'initial notification',
    initialFromClassification ? ctx.classifiedAt : ctx.awareAt,
    { hours: initialFromClassification ? 4 : 24 },
    initialFromClassification
      ? '4 h after classification as major (2025/301 Art. 5(1)(a)); earlier than 24 h after awareness'
      : '24 h after awareness (2025/301 Art. 5(1)(a)); earlier than 4 h after classification',
  );
  const initialAt = submitted('initial notification');
  const intermediate = clock(
    ctx,
    'dora',
    'intermediate report',
    initialAt ?? initial.deadline,
    { hours: 72 },
    `72 h after the initial notification (2025/301 Art. 5(1)(b))${initialAt ? '' : ', counted from its deadline until a submission is recorded'}`,
  );
  const intermediateAt = submitted('intermediate report');
  const final = clock(
    ctx,
    'dora',
    'final report',
    intermediateAt ?? intermediate.deadline,
    { months: 1 },
    `one month after the latest intermediate report (2025/301 Art. 5(1)(c))${intermediateAt ? '' : ', counted from its deadline until a submission is recorded'}`,
  );
  const entity = ctx.config.compliance?.entity;
  const security = ctx.config.compliance?.contacts.security;
  const countries = [...new Set(ctx.places.map((p) => p.country).filter((c): c is string => !!c))];
  const categories = categoriesOf(ctx.exposed);
  const a = ctx.alert;
  const fields = {
    '1.2': fromConfig('Name of the entity submitting the report', entity?.name ?? null),
    '1.3': fromConfig('Identification code of the entity submitting the report (LEI)', entity?.lei ?? null),
    '1.6': fromConfig('LEI of the financial entity affected', entity?.lei ?? null),
    '1.7': fromConfig('Primary contact person: name', security?.name ?? null),
    '1.8': fromConfig('Primary contact person: e-mail', security?.email ?? null),
    '1.9': human('Primary contact person: telephone'),
    '2.1': fromJournal('Incident reference code provided by the financial entity', ctx.incidentId),
    '2.2': fromJournal(
      'Date and time of detection of the incident',
      ctx.awareAt,
      'when Tourniquet received the alert',
    ),
    '2.3': fromJournal(
      'Date and time of classification of the incident as major',
      ctx.classifiedAt,
      'when Tourniquet decided to contain; confirm that this is when the incident was classified as major',
    ),
    '2.4': fromJournal('Description of the incident', natureText(ctx, trigger)),
    '2.5': human(
      'Classification criteria that triggered the incident report',
      'e.g. data losses (confidentiality), critical services affected',
    ),
    '2.6': countries.length
      ? fromJournal(
          "Materiality thresholds for 'geographical spread'",
          countries,
          'member states where the affected resources are hosted',
        )
      : human("Materiality thresholds for 'geographical spread'"),
    '2.7': fromJournal(
      'Discovery of the incident',
      `detected by ${a.source} (${a.type}); contained by Tourniquet`,
    ),
    '2.8': human('Originates from a third-party provider or another financial entity?'),
    '2.9': human('Activation of the business continuity plan'),
    '2.10': human('Other information'),
    '3.20': /exfiltrat|GetObject|copy|download|read/i.test(a.type)
      ? fromJournal("Materiality thresholds for 'data losses'", ['confidentiality'], `the alert is ${a.type}`)
      : human("Materiality thresholds for 'data losses'"),
    '3.21': fromJournal(
      'Description of the data losses',
      ctx.exposed.map(
        (e) => `${e.name} (${e.kind}, ${e.how})${e.dataCategories ? `: ${e.dataCategories.join(', ')}` : ''}`,
      ),
      categories ? undefined : 'the exposed assets state no dataCategories',
    ),
    '3.25': fromJournal(
      'Threats and techniques used by the threat actor',
      `${a.type} (as reported by ${a.source})`,
    ),
    '3.33': fromJournal('Temporary actions or measures taken or planned to recover', ctx.measures.length > 0),
    '3.34': fromJournal('Description of the temporary actions', measuresText(ctx.measures)),
    '3.35': fromJournal('Indicators of compromise', iocList(ctx)),
  };
  return section([initial, intermediate, final], fields, []);
}
