import { describe, it } from 'vitest';
import {
  eulerProperty,
  extendedPrecisionProperty,
  finiteDifferenceProperty,
  gradientScalingProperty,
  layerEulerProperty,
  NON_HOMOGENEOUS_VARIANTS,
  nonHomogeneousMustFind,
  scalingProperty,
} from '../../properties/homogeneity.js';
import { runProperty, type PropertySpec } from '../../properties/outcome.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('homogeneity identities of the float64 engine (THEORY §6)', () => {
  const properties: PropertySpec<any>[] = [
    scalingProperty,
    gradientScalingProperty,
    eulerProperty,
    layerEulerProperty,
    finiteDifferenceProperty,
    extendedPrecisionProperty,
  ];
  for (const p of properties) {
    it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
  }
});

describe('must-find: every non-homogeneous variant breaks Euler on a generated, shrunk case', () => {
  for (const variant of NON_HOMOGENEOUS_VARIANTS) {
    const p = nonHomogeneousMustFind(variant);
    it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
  }
});
