import { expect } from 'vitest';

/**
 * Precision and recall of a rule's alerts against the ground truth (the subjects attacks were
 * injected for), printed in the test output and held to a floor.
 */
export function score(
  rule: string,
  flagged: Iterable<string>,
  attackers: Iterable<string>,
  floor = { precision: 0.9, recall: 0.9 },
) {
  const got = new Set(flagged);
  const truth = new Set(attackers);
  const tp = [...got].filter((s) => truth.has(s)).length;
  const precision = got.size ? tp / got.size : truth.size ? 0 : 1;
  const recall = truth.size ? tp / truth.size : 1;
  console.log(
    `[detect] ${rule}: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} (alerts ${got.size}, attacks ${truth.size}, true positives ${tp})`,
  );
  expect(truth.size, `${rule}: the scenario must inject attacks`).toBeGreaterThan(0);
  expect(
    precision,
    `${rule} precision; false positives: ${[...got].filter((s) => !truth.has(s)).join(', ')}`,
  ).toBeGreaterThanOrEqual(floor.precision);
  expect(
    recall,
    `${rule} recall; missed: ${[...truth].filter((s) => !got.has(s)).join(', ')}`,
  ).toBeGreaterThanOrEqual(floor.recall);
  return { precision, recall };
}
