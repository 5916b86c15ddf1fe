/**
 * Writes schema/tourniquet.config.schema.json from the strict configuration schema in
 * core/config.ts, for editors (`"$schema"` in a config file). `npm run schema` regenerates it;
 * test/core/config-schema.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { configSchema } from '../core/config.ts';

export const SCHEMA_PATH = 'schema/tourniquet.config.schema.json';

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  const titled = {
    ...schema,
    $id: 'https://github.com/tourniquet/tourniquet/schema/tourniquet.config.schema.json',
    title: 'Tourniquet configuration',
    description:
      'Strict: unknown keys are errors. Without "mode": "enforce" nothing is changed (dry run). See README "Configuration".',
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

if (import.meta.main) {
  writeFileSync(SCHEMA_PATH, configJsonSchema());
  console.log(`wrote ${SCHEMA_PATH}`);
}
