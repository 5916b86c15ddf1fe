import { didYouMean } from './did-you-mean.ts';

/** The parts of a zod (mini) schema definition this file walks. */
interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
}

/**
 * The keys an object schema allows at `path` (array indexes step into elements; optional, default
 * and prefault wrappers are looked through), or none when the path leads elsewhere.
 */
export function keysAt(schema: { _zod: { def: unknown } }, path: readonly PropertyKey[]): string[] {
  let def: SchemaDef | undefined = schema._zod.def as SchemaDef;
  const unwrap = () => {
    while (def && !def.shape && (def.innerType || def.in)) def = (def.innerType ?? def.in)?._zod.def;
  };
  for (const step of path) {
    unwrap();
    if (!def) return [];
    def = typeof step === 'number' ? def.element?._zod.def : def.shape?.[String(step)]?._zod.def;
  }
  unwrap();
  return def?.shape ? Object.keys(def.shape) : [];
}

/**
 * `Unrecognized key "minSeverty": did you mean "minSeverity"?` for each unknown key of a strict
 * object, so a typo in a configuration is fixed in one round.
 */
export function unknownKeysMessage(
  schema: { _zod: { def: unknown } },
  path: readonly PropertyKey[],
  keys: readonly string[],
): string {
  const known = keysAt(schema, path);
  return keys
    .map((key) => {
      const guess = didYouMean(key, known);
      return `unknown key "${key}"${guess ? `: did you mean "${guess}"?` : known.length ? ` (known: ${known.join(', ')})` : ''}`;
    })
    .join('; ');
}
