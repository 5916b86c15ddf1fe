import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  learnTemplate,
  type Template,
  takeVariablePart,
  variablePart,
} from '../../core/detect/rules/varied-prompts.ts';

/** Prompts that share a caller's template, break it at either end, or are cut short. */
const prompts = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'ab ', 'é', '😀'), maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(...'ab.'), maxLength: 6 }),
    fc.array(
      fc.tuple(
        fc.string({ unit: fc.constantFrom(...'ab01', '😀'), maxLength: 6 }),
        fc.nat(20),
        fc.nat(20),
        fc.constantFrom('keep', 'keep', 'cut-prefix', 'cut-suffix', 'other'),
      ),
      { maxLength: 12 },
    ),
  )
  .map(([prefix, suffix, rows]) =>
    rows.map(([middle, a, b, how]) =>
      how === 'keep'
        ? prefix + middle + suffix
        : how === 'cut-prefix'
          ? prefix.slice(0, a) + middle + suffix
          : how === 'cut-suffix'
            ? prefix + middle + suffix.slice(b)
            : middle,
    ),
  );

describe('takeVariablePart is variablePart then learnTemplate', () => {
  it('the same variable part and template after every prompt of any sequence', () => {
    fc.assert(
      fc.property(prompts, (sequence) => {
        const fast: Template = { prefix: '', suffix: '', seen: 0 };
        const plain: Template = { prefix: '', suffix: '', seen: 0 };
        for (const prompt of sequence) {
          const want = variablePart(plain, prompt);
          learnTemplate(plain, prompt);
          expect(takeVariablePart(fast, prompt)).toBe(want);
          expect(fast).toEqual(plain);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('cuts what a templated caller always sends', () => {
    const t: Template = { prefix: '', suffix: '', seen: 0 };
    expect(takeVariablePart(t, 'System: be nice. Q: 1?')).toBe('System: be nice. Q: 1?');
    expect(takeVariablePart(t, 'System: be nice. Q: 2?')).toBe('System: be nice. Q: 2?');
    expect(takeVariablePart(t, 'System: be nice. Q: 37?')).toBe('37');
    expect(t).toEqual({ prefix: 'System: be nice. Q: ', suffix: '?', seen: 3 });
  });
});
