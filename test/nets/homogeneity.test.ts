import { describe, it } from 'vitest';
import { HOMOGENEITY_PROPERTIES } from '../../properties/homogeneity.js';
import { runProperty } from '../../properties/outcome.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

// Identities of the float64 engine (THEORY §6), and the must-finds: every non-homogeneous variant
// breaks Euler on a generated, shrunk case (a must-find "holds" when the case is found).
describe('homogeneity identities and must-finds (THEORY §6)', () => {
  for (const p of HOMOGENEITY_PROPERTIES) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
});
