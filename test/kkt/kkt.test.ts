import { describe, expect, it } from 'vitest';
import { differingOptima, KKT_PROPERTIES, selfLabelled } from '../../properties/kkt.js';
import { runProperty } from '../../properties/outcome.js';
import { separableDataset } from '../../properties/oracles.js';
import type { Net } from '../../src/core/types.js';
import { InputError } from '../../src/core/errors.js';
import { makeRng } from '../../src/core/rng.js';
import { kktResidual } from '../../src/metrics/kkt.js';
import { makeNorm } from '../../src/norms/index.js';
import { maxMarginLinear } from '../../src/oracles/linear.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';
import { buildNet } from '../../src/engines/index.js';

describe('KKT residual (THEORY §7)', () => {
  for (const p of KKT_PROPERTIES) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));

  const c = differingOptima(11);
  const net = buildNet({ kind: 'linear', inputDim: c.data.d });
  const w2 = maxMarginLinear(c.data, 'l2').w;

  it('matrix-free runs with norms that have no exact solver (ℓ3, spectral) and agrees with ℓ2 for lp:2', () => {
    const mlp = buildNet({ kind: 'mlp', inputDim: 4, widths: [6], activation: { kind: 'relu' } });
    const theta = mlp.init(1, makeRng(8));
    const own = selfLabelled(mlp, theta, separableDataset(8, 20, 4, 0.3).data.x, 20, 4);
    for (const name of ['lp:3', 'spectral']) {
      const k = kktResidual(mlp, theta, own, makeNorm(name, mlp.layout));
      expect(k.method).toBe('matrix-free');
      expect(k.stop).toBe('converged');
      expect(k.rLower).toBeLessThanOrEqual(k.rUpper);
      expect(k.consistencyError).toBeLessThanOrEqual(k.consistencyTolerance);
    }
    // lp:2 is ℓ2 through a different code path: its bracket must contain the exact QP value at a
    // non-KKT point (R > 0), up to the certificates' round-off (see properties/kkt.ts).
    const teacherExact = kktResidual(net, c.teacher, c.data, makeNorm('l2', net.layout));
    const viaLp2 = kktResidual(net, c.teacher, c.data, makeNorm('lp:2', net.layout));
    const roundoff = 16 * (c.data.n + c.data.d) * Number.EPSILON;
    expect(viaLp2.rLower).toBeLessThanOrEqual(teacherExact.rUpper + roundoff);
    expect(viaLp2.rUpper).toBeGreaterThanOrEqual(teacherExact.rLower - roundoff);
  });

  it('reports multipliers that attain R: R_stat(λ) + R_cs(λ) = R, λ ≥ 0, and A ∈ [0, 1]', () => {
    const k = kktResidual(net, c.teacher, c.data, makeNorm('l2', net.layout));
    expect(k.consistencyError).toBeLessThanOrEqual(k.consistencyTolerance);
    expect(Math.min(...k.lambda)).toBeGreaterThanOrEqual(0);
    expect(k.rStat).toBeGreaterThanOrEqual(-k.consistencyTolerance);
    expect(k.rCs).toBeGreaterThanOrEqual(0);
    // A ≥ 0 by Hölder, up to the round-off of ⟨θ, G⟩ and ‖G‖_* (sums over N samples, d entries).
    expect(k.alignment).toBeGreaterThanOrEqual(-4 * (c.data.n + c.data.d) * Number.EPSILON);
    expect(k.alignment).toBeLessThanOrEqual(1);
  });

  it('is scale-invariant in θ (the normalization θ̃ = θ/q_min^{1/L})', () => {
    const norm = makeNorm('linf', net.layout);
    const a = kktResidual(net, c.teacher, c.data, norm);
    const b = kktResidual(net, c.teacher.map((v) => 1e3 * v), c.data, norm);
    expect(Math.abs(a.r - b.r)).toBeLessThanOrEqual(a.rTolerance + b.rTolerance);
  });

  it('catches a wrong declared degree through the Euler consistency check', () => {
    const mlp = buildNet({ kind: 'mlp', inputDim: 3, widths: [4], activation: { kind: 'relu' } });
    const theta = mlp.init(1, makeRng(4));
    const own = selfLabelled(mlp, theta, separableDataset(3, 12, 3, 0.3).data.x, 12, 3);
    const lying: Net = { ...mlp, degree: 1 };
    expect(() => kktResidual(lying, theta, own, makeNorm('l2', mlp.layout))).toThrow(/Euler identity/);
    expect(() => kktResidual(mlp, theta, own, makeNorm('l2', mlp.layout))).not.toThrow();
  });

  it('rejects bad input with a readable InputError', () => {
    const l2 = makeNorm('l2', net.layout);
    const biased = buildNet({ kind: 'mlp', inputDim: 20, widths: [3], activation: { kind: 'relu' }, bias: { output: true } });
    const cases: [() => unknown, RegExp][] = [
      [() => kktResidual(biased, new Float64Array(biased.layout.size).fill(1), c.data, makeNorm('l2', biased.layout)), /not homogeneous/],
      [() => kktResidual(net, w2.map((v) => -v), c.data, l2), /does not separate the data \(q_min = -/],
      [() => kktResidual(net, new Float64Array(20), c.data, l2), /does not separate the data \(q_min = 0\)/],
      [() => kktResidual(net, w2.map((v, i) => (i === 3 ? NaN : v)), c.data, l2), /non-finite/],
      [() => kktResidual(net, w2, c.data, makeNorm('spectral', net.layout), { method: 'exact' }), /no exact solver/],
      [() => kktResidual(net, w2, c.data, l2, { method: 'newton' as 'exact' }), /valid: auto, exact, matrix-free/],
    ];
    for (const [run, message] of cases) {
      expect(run).toThrow(InputError);
      expect(run).toThrow(message);
    }
  });
});
