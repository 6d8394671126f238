import { describe, it } from 'vitest';
import { NORM_PROPERTIES } from '../../properties/norms.js';
import { runProperty } from '../../properties/outcome.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('duality contract of every registered norm (THEORY §2, §3)', () => {
  for (const p of NORM_PROPERTIES) {
    it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
  }
});
