import { describe, expect, it } from 'vitest';
import { NET_CONFIGS, netCases, runNetCase } from '../../properties/theorem38.js';
import { maxMarginRows } from '../../src/oracles/maxMargin.js';

// Regression: the ℓ2 dual form (d > N) on singular Gram matrices. quadprog on the ridged Gram
// rejected these certificates (gap 13 290× and 2.7× tolerance); Wolfe's min-norm point certifies.
describe('exact ℓ2 max-margin on rank-deficient rows (minNormPoint.ts)', () => {
  for (const id of ['3/theorem38/gd/23', '1/theorem38/gd-leaky/4']) {
    it(`certifies the ReLU KKT rows of ${id} (N = 20, P = 56) without falling back`, () => {
      const [seed, , config, index] = id.split('/');
      const c = netCases(NET_CONFIGS.find((k) => k.id === config)!, 'thorough', Number(seed))[Number(index)];
      expect(c.seed).toBe(id);
      const { result } = runNetCase(c);
      for (const rec of [result.start, result.end]) {
        expect(rec?.method).toBe('qp');
        expect(rec?.fallback).toBeUndefined();
      }
    });
  }

  it('certifies duplicated rows whose Householder sub-columns underflow', () => {
    const n = 36;
    const d = 42;
    const z = Float64Array.from({ length: n * d }, (_, i) => Math.sin(i * 1.7) + 0.3);
    for (let i = 1; i < n; i += 3) z.copyWithin(i * d, 0, d);
    const mm = maxMarginRows(z, n, d, 'l2');
    expect(mm.dualityGap).toBeLessThanOrEqual(mm.tolerance);
    expect(mm.dualityGap).toBeLessThan(1e-12);
  });
});
