import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOSS_PROPERTIES } from '../../properties/losses.js';
import { runProperty } from '../../properties/outcome.js';
import { getLoss } from '../../src/losses/index.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('losses (THEORY §1, §4, §9)', () => {
  for (const p of LOSS_PROPERTIES) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));

  it('is a sum, not a mean: N equal margins give log 𝓛 = log N − q', () => {
    const q = new Float64Array(8).fill(3);
    // Exact up to two roundings of log and one of the subtraction.
    expect(getLoss('exp').logLoss(q)).toBeCloseTo(Math.log(8) - 3, 14);
  });

  it('stays finite at 𝓛 ≈ e^{-1e6} where 𝓛 itself underflows to 0', () => {
    const q = new Float64Array([1e6, 1e6 + 1, 2e6]);
    const logL = getLoss('exp').logLoss(q);
    expect(Number.isFinite(logL)).toBe(true);
    expect(Math.exp(logL)).toBe(0);
    // log(e^{-1e6}(1 + e^{-1})) = −1e6 + log1p(e^{-1}); the spacing of doubles near 1e6 is 1.2e-10.
    expect(Math.abs(logL - (-1e6 + Math.log1p(Math.exp(-1))))).toBeLessThan(3e-10);
  });

  it('logistic soft-margin inverse: ℓ⁻¹(ℓ(q)) = q, also in the tiny-loss branch', () => {
    const l = getLoss('logistic');
    for (const q of [0.5, 3, 19, 25, 60, 700, 5000]) {
      const logL = l.logLoss(new Float64Array([q]));
      // ℓ⁻¹ is well conditioned in log 𝓛 (derivative ≈ −1): a few ε·|q| absolute.
      expect(Math.abs(l.inverse(logL) - q)).toBeLessThan(8 * Number.EPSILON * Math.max(1, q));
    }
  });

  it('late-phase thresholds: 𝓛 < 1 (exp), 𝓛 < log 2 (logistic)', () => {
    expect(getLoss('exp').logLatePhaseThreshold).toBe(0);
    expect(getLoss('logistic').logLatePhaseThreshold).toBe(Math.log(Math.LN2));
  });

  it('rejects unknown loss names with the valid list', () => {
    expect(() => getLoss('mse')).toThrow(/unknown loss \(valid: exp, logistic\)/);
  });
});

describe('margins at +∞ (a sample infinitely far on the right side) contribute nothing', () => {
  // Written after mutation testing: the streaming log-sum-exp of the logistic loss skipped +∞
  // margins only by a branch no test reached (a leading +∞ would otherwise give ∞ − ∞ = NaN).
  const finite = fc.array(fc.double({ min: -50, max: 800, noNaN: true }), { minLength: 1, maxLength: 12 });
  for (const name of ['exp', 'logistic']) {
    it(`${name}: log 𝓛 and the weights with +∞ margins inserted anywhere equal those without them`, () => {
      const loss = getLoss(name);
      fc.assert(
        fc.property(finite, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (qs, at) => {
          const withInf = [...qs];
          for (const a of at) withInf.splice(a % (withInf.length + 1), 0, Infinity);
          const q = Float64Array.from(qs);
          const qi = Float64Array.from(withInf);
          // Same finite terms summed in the same order: the results agree exactly.
          expect(loss.logLoss(qi)).toBe(loss.logLoss(q));
          const p = new Float64Array(q.length);
          const pi = new Float64Array(qi.length);
          expect(loss.weights(qi, pi)).toBe(loss.weights(q, p));
          expect([...pi].filter((_, i) => withInf[i] !== Infinity)).toEqual([...p]);
          expect([...pi].filter((_, i) => withInf[i] === Infinity).every((v) => v === 0)).toBe(true);
        }),
        { seed: CI_SEED, numRuns: 200 },
      );
    });
  }
});
