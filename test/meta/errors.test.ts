import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Errors that stand for a vendor's own (the SDK's `RestError` shape): not Tourniquet's, on purpose. */
const VENDOR_SHAPED = new Set(['RestApiError']);

const declared = ['core', 'packs', 'functions-aws', 'functions-azure', 'cli'].flatMap((dir) =>
  files(dir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/class (\w+Error) extends (\w+)/g)].map((m) => ({
      file,
      name: m[1] ?? '',
      base: m[2] ?? '',
    })),
  ),
);

describe('error classes', () => {
  it('are declared somewhere (the scan finds them)', () => {
    expect(declared.map((d) => d.name)).toEqual(expect.arrayContaining(['TourniquetError', 'ConfigError']));
  });

  it.each(declared.filter((d) => d.name !== 'TourniquetError' && !VENDOR_SHAPED.has(d.name)))(
    '$name ($file) sits under TourniquetError',
    ({ base }) => {
      const parents = new Map(declared.map((d) => [d.name, d.base]));
      let at = base;
      for (let depth = 0; at !== 'TourniquetError' && parents.has(at) && depth < 10; depth++)
        at = parents.get(at) ?? '';
      expect(at).toBe('TourniquetError');
    },
  );
});

describe('ConfigError', () => {
  it('keeps the JSON parser’s error as its cause', () => {
    const error = (() => {
      try {
        return parseConfigText('{"mode":', 'TOURNIQUET_CONFIG');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).cause).toBeInstanceOf(SyntaxError);
  });
});
