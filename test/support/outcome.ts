/** Assertions on property outcomes: a failure message carries the detail, seed and replay command. */
import { expect } from 'vitest';
import { PASSING, type Outcome } from '../../properties/outcome.js';

/**
 * The row passes with the verdict of its kind: `holds` for a claim, `found` for a must-find row,
 * `reported` for a report row.
 */
export function expectHolds(o: Outcome): void {
  const msg = `${o.property}: ${o.verdict} — ${o.detail}\n  seed ${o.seed}; replay: ${o.replay}`;
  if (o.verdict !== PASSING[o.kind]) console.error(msg);
  expect(o.verdict, msg).toBe(PASSING[o.kind]);
}

/** The fixed root seed of the CI profile (see README: change only with a note). */
export const CI_SEED = 20241029;
