import { describe, it } from 'vitest';
import { OPTIMIZER_PROPERTIES } from '../../properties/optimizers.js';
import { runProperty } from '../../properties/outcome.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('per-step properties of every optimizer and schedule (THEORY §3, §5, §9)', () => {
  for (const p of OPTIMIZER_PROPERTIES) {
    it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
  }
});
