/**
 * Trajectory properties in the CI profile, and the mutants each one must catch (test-only variants
 * injected through the properties' TrajectoryVariant; no code is copied):
 *  - mean loss instead of the sum (THEORY §1)      → the sandwich γ̃ ≤ γ fails;
 *  - ‖θ‖ instead of ‖θ‖^L in γ (THEORY §4)          → scale invariance fails;
 *  - the step scaled by the wrong dual norm, e.g. sign descent with ‖g‖_∞ instead of ‖g‖₁ (THEORY §3)
 *                                                   → the step identity ‖Δθ‖ = η‖g‖_* fails.
 */
import { describe, expect, it } from 'vitest';
import type { Layout } from '../../src/core/types.js';
import { normInf } from '../../src/core/vec.js';
import { makeOptimizer, type Optimizer } from '../../src/optimizers/index.js';
import { runProperty } from '../../properties/outcome.js';
import {
  sandwichProperty,
  scaleInvarianceProperty,
  stepIdentityProperty,
  TRAJECTORY_PROPERTIES,
} from '../../properties/trajectory.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('trajectory properties (THEORY §3–§5, CI profile)', () => {
  for (const p of TRAJECTORY_PROPERTIES) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
});

/** The optimizer with its step rescaled from ‖G‖_* (its own dual norm) to ‖G‖_∞ (the ℓ1 dual). */
function wrongDualStep(name: string, layout: Layout): Optimizer<any> {
  const opt = makeOptimizer(name, layout);
  return {
    ...opt,
    direction(frame, state, ctx, out) {
      const dir = opt.direction(frame, state, ctx, out);
      const logMagnitude = dir.logMagnitude + Math.log(normInf(frame.negGrad)) - Math.log(opt.norm!.dual(frame.negGrad));
      return { ...dir, logMagnitude };
    },
  };
}

describe('mutants are caught', () => {
  const mutants = [
    { label: 'mutant: mean loss', property: sandwichProperty({ label: 'mutant: mean loss', convention: { reduction: 'mean', power: 'degree' } }) },
    {
      label: 'mutant: ‖θ‖ instead of ‖θ‖^L',
      property: scaleInvarianceProperty({ label: 'mutant: ‖θ‖ instead of ‖θ‖^L', convention: { reduction: 'sum', power: 'one' } }),
    },
    { label: 'mutant: wrong dual in the step', property: stepIdentityProperty({ label: 'mutant: wrong dual in the step', optimizer: wrongDualStep }) },
  ];
  for (const m of mutants) {
    it(`${m.property.name} fails`, () => {
      const o = runProperty(m.property, { seed: CI_SEED });
      console.log(`${m.label}: ${o.verdict} — ${o.detail}\n  replay: ${o.replay}`);
      expect(o.verdict).toBe('violated');
    });
  }
});
