import * as z from 'zod/mini';

/** A zod schema narrowed by a predicate, with the message a user reads when it fails. */
export const refine = <T extends z.ZodMiniType>(schema: T, ok: (v: z.infer<T>) => boolean, message: string) =>
  schema.check(z.refine(ok, { message }));

/** A webhook or subscription endpoint: both clouds' `notify` sections take these. */
export const httpsUrl = refine(
  z.string().check(z.maxLength(2048)),
  (v) => /^https:\/\/[^\s/]+(\/\S*)?$/.test(v),
  'must be an https:// URL',
);
