/**
 * THEORY §5 known cases as self-tests (CI profile): the output-bias counterexample is found, GD's ℓ∞
 * soft margin falls at flow level (the theorem is norm-specific), the first-layer bias never violates;
 * and the segment's direction lies in U(G) of the algorithm norm — with the wrong-norm mutant caught.
 */
import { describe, expect, it } from 'vitest';
import { runProperty } from '../../properties/outcome.js';
import {
  firstBiasNeverViolated,
  mismatchedNormMustFind,
  outputBiasMustFind,
  segmentDirectionProperty,
} from '../../properties/theorem31.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

const report = (o: { property: string; coverage: object; detail: string }) =>
  console.log(`${o.property}: ${JSON.stringify(o.coverage)}; ${o.detail}`);

describe('Theorem 3.1 known cases (THEORY §5)', () => {
  const rows = {
    'must-find: output-bias net violates (≥ 8 of 10 seeds)': outputBiasMustFind,
    'must-find: GD lowers the ℓ∞ soft margin at flow level (≥ 1 of 10 seeds)': mismatchedNormMustFind,
    'never: first-layer-bias net violates': firstBiasNeverViolated,
  };
  for (const [title, row] of Object.entries(rows)) {
    it(title, () => {
      const o = row('ci', CI_SEED);
      report(o);
      expectHolds(o);
    });
  }
});

describe('segment direction u ∈ U(G) of the algorithm norm (THEORY §5.2)', () => {
  it('holds', () => expectHolds(runProperty(segmentDirectionProperty(), { seed: CI_SEED })));

  it('mutant: a steepest direction of the wrong norm (ℓ2 for every other norm, ℓ∞ for GD) is caught', () => {
    const o = runProperty(segmentDirectionProperty((norm) => (norm === 'l2' ? 'linf' : 'l2')), { seed: CI_SEED });
    console.log(`wrong-norm step: ${o.verdict} — ${o.detail}`);
    expect(o.verdict).toBe('violated');
  });
});
