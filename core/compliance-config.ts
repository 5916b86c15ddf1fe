import * as z from 'zod/mini';

/** The regimes an evidence pack can report for (README "Evidence pack", docs/evidence-pack.md). */
export const REGIMES = ['gdpr', 'nis2', 'dora'] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * EU member states (ISO 3166-1 alpha-2; Greece is `GR`, which EU texts write `EL`) and the EEA
 * states where the GDPR applies too.
 */
export const MEMBER_STATES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
] as const;

const contact = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  email: z.string().check(z.regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an e-mail address')),
});

/** `compliance`: what the evidence pack reports on, for whom, and who is to be contacted. */
export const complianceSchema = z.strictObject({
  regimes: z._default(z.array(z.enum(REGIMES)), []),
  entity: z.optional(
    z.strictObject({
      name: z.string().check(z.minLength(1), z.maxLength(300)),
      /** Legal Entity Identifier (ISO 17442: 20 characters); DORA reports name the entity by it. */
      lei: z.optional(z.string().check(z.regex(/^[A-Z0-9]{18}[0-9]{2}$/, 'must be a 20-character LEI'))),
      memberStates: z._default(z.array(z.enum(MEMBER_STATES)), []),
    }),
  ),
  contacts: z._default(z.strictObject({ dpo: z.optional(contact), security: z.optional(contact) }), {}),
});

/**
 * What an asset holds, for the pack's GDPR Art. 33(3)(a) and DORA 3.20–3.21 fields; all optional,
 * and what is absent is reported as unknown, never guessed. `trainedOn` (model weights only) names
 * the training-data assets the weights were trained on: leaked weights can reproduce them.
 */
export const assetDataFields = {
  dataCategories: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200)))),
  personalData: z.optional(z.boolean()),
  approxRecords: z.optional(z.int().check(z.minimum(0))),
  approxDataSubjects: z.optional(z.int().check(z.minimum(0))),
  /** AWS bucket names or Azure storage account names of configured assets. */
  trainedOn: z.optional(z.array(z.string().check(z.minLength(1)))),
};
