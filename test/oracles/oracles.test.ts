import { describe, expect, it } from 'vitest';
import { ORACLE_PROPERTIES, separableDataset } from '../../properties/oracles.js';
import { runProperty } from '../../properties/outcome.js';
import { makeDataset } from '../../src/data/dataset.js';
import { maxMarginLinear } from '../../src/oracles/linear.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('linear max-margin oracle (THEORY §8)', () => {
  for (const p of ORACLE_PROPERTIES) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));

  it('solves a 2-point example by hand: x = ±(1, 2) gives γ*_1 = 2, γ*_2 = √5, γ*_∞ = 3', () => {
    const data = makeDataset(new Float64Array([1, 2, -1, -2]), new Float64Array([1, -1]), 2, 2);
    const expected = { l1: 2, l2: Math.sqrt(5), linf: 3 };
    for (const [norm, gamma] of Object.entries(expected)) {
      const o = maxMarginLinear(data, norm);
      // The LP/QP certificate is exact to its tolerance (≈ 1e-8 here).
      expect(Math.abs(o.gamma - gamma), norm).toBeLessThanOrEqual(o.tolerance);
      expect(o.gammaUpper).toBeGreaterThanOrEqual(o.gamma);
    }
    // w*_1 puts all weight on the largest coordinate, w*_∞ is a sign vector.
    expect(Array.from(maxMarginLinear(data, 'l1').w)).toEqual([0, 1]);
    expect(Array.from(maxMarginLinear(data, 'linf').w)).toEqual([1, 1]);
  });

  it('uses the dual QP form when d > N and agrees with the primal form', () => {
    const wide = separableDataset(5, 6, 30, 0.3).data;
    // Six copies of every sample: same γ*, but now N = 36 ≥ d = 30 selects the primal form.
    const copies = 6;
    const x = new Float64Array(copies * wide.x.length);
    const y = new Float64Array(copies * wide.n);
    for (let k = 0; k < copies; k++) {
      x.set(wide.x, k * wide.x.length);
      y.set(wide.y, k * wide.n);
    }
    const dual = maxMarginLinear(wide, 'l2');
    const primal = maxMarginLinear(makeDataset(x, y, copies * wide.n, wide.d), 'l2');
    // Both brackets contain γ*, so they overlap up to the certificates' round-off d²·ε·max|x|.
    const roundoff = wide.d * wide.d * Number.EPSILON * Math.max(...wide.x.map(Math.abs));
    expect(dual.gamma).toBeLessThanOrEqual(primal.gammaUpper + roundoff);
    expect(primal.gamma).toBeLessThanOrEqual(dual.gammaUpper + roundoff);
    expect(dual.gamma).toBeGreaterThan(0.3);
  });

  it('names the failure: non-separable data, unknown norm, non-finite input', () => {
    const xor = makeDataset(new Float64Array([1, 1, -1, -1, 1, -1, -1, 1]), new Float64Array([1, 1, -1, -1]), 4, 2);
    for (const norm of ['l1', 'l2', 'linf']) expect(() => maxMarginLinear(xor, norm)).toThrow(/data is not linearly separable \(γ\*_/);
    const ok = separableDataset(1, 5, 3, 0.3).data;
    expect(() => maxMarginLinear(ok, 'spectral')).toThrow(/solves l1, l2, linf only/);
    expect(() => maxMarginLinear({ ...ok, x: ok.x.map((v, i) => (i === 4 ? Infinity : v)) }, 'l2')).toThrow(/must be finite/);
  });
});
