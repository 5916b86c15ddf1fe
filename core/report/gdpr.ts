import {
  approx,
  categoriesOf,
  clock,
  fromConfig,
  fromJournal,
  human,
  IN_PHASES,
  measuresText,
  natureText,
  type RegimeContext,
  type RegimeSection,
  section,
} from './regime-context.ts';

/**
 * GDPR Art. 33: notify the supervisory authority within 72 hours of becoming aware of a personal
 * data breach, with the content of Art. 33(3)(a)–(d); what is not known yet may follow in phases
 * (33(4)); every breach is documented (33(5)) — this pack is that documentation.
 */
export function gdprSection(ctx: RegimeContext, trigger: 'alert' | 'manual'): RegimeSection {
  const clocks = [
    clock(
      ctx,
      'gdpr',
      'notification to the supervisory authority',
      ctx.awareAt,
      { hours: 72 },
      '72 h after awareness (Art. 33(1))',
    ),
  ];
  const categories = categoriesOf(ctx.exposed);
  const subjects = approx(ctx.exposed, 'approxDataSubjects');
  const records = approx(ctx.exposed, 'approxRecords');
  const personal = ctx.exposed.some((e) => e.personalData === true);
  const dpo = ctx.config.compliance?.contacts.dpo;
  const fields = {
    '33(3)(a) nature': fromJournal('Nature of the breach', natureText(ctx, trigger)),
    '33(3)(a) categories': categories
      ? fromConfig(
          'Categories of data concerned',
          categories,
          "from the assets' dataCategories, including training data the exposed weights were trained on",
        )
      : human('Categories of data concerned', IN_PHASES),
    '33(3)(a) data subjects':
      subjects !== null
        ? fromConfig(
            'Approximate number of data subjects',
            subjects,
            'sum over the exposed datasets: an upper bound when people appear in several',
          )
        : human('Approximate number of data subjects', IN_PHASES),
    '33(3)(a) records':
      records !== null
        ? fromConfig('Approximate number of personal data records', records)
        : human('Approximate number of personal data records', IN_PHASES),
    '33(3)(b) contact': fromConfig(
      'Name and contact details of the DPO or other contact point',
      dpo ? `${dpo.name} <${dpo.email}>` : null,
      dpo ? undefined : 'no compliance.contacts.dpo configured',
    ),
    '33(3)(c) consequences': human('Likely consequences of the breach'),
    '33(3)(d) measures': fromJournal('Measures taken or proposed', measuresText(ctx.measures)),
  };
  const notes = personal
    ? []
    : [
        'No exposed asset is marked personalData: true. Art. 33 applies to personal data breaches only: decide whether this is one, and record why.',
      ];
  return section(clocks, fields, notes);
}
