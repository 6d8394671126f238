/** Assertions on property outcomes: a failure message carries the detail, seed and replay command. */
import { expect } from 'vitest';
import type { Outcome } from '../../properties/outcome.js';

export function expectHolds(o: Outcome): void {
  const msg = `${o.property}: ${o.verdict} — ${o.detail}\n  seed ${o.seed}; replay: ${o.replay}`;
  if (o.verdict !== 'holds') console.error(msg);
  expect(o.verdict, msg).toBe('holds');
}

/** The fixed root seed of the CI profile (see README: change only with a note). */
export const CI_SEED = 20241029;
