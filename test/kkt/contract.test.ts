/**
 * The KKT residual's reporting contract (src/metrics/kkt.ts), stated directly: the alignment slack
 * A it reports lies in [0, 2] and is 0 at the steepest direction, the stopping rule and the bracket
 * width it promises hold for any tolerances the caller picks, and `auto` switches to the
 * matrix-free method exactly above EXACT_MAX_ENTRIES, naming the method it used.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSeparable, separableCase, separableDataset, type SeparableCase } from '../../properties/oracles.js';
import { runProperty, type PropertySpec } from '../../properties/outcome.js';
import { EPS } from '../../properties/roundoff.js';
import { makeDataset } from '../../src/data/dataset.js';
import { buildNet } from '../../src/engines/index.js';
import { EXACT_MAX_ENTRIES, kktResidual } from '../../src/metrics/kkt.js';
import { makeNorm } from '../../src/norms/index.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

const NORMS = ['l1', 'l2', 'linf', 'lp:3'] as const;

/**
 * A = 1 − ⟨θ, G⟩/(‖θ‖·‖G‖_*) with G = Σ p_n ∇q_n (THEORY §5): in [0, 2] by Hölder for every
 * separator, and 0 when θ is a positive multiple of the steepest direction of G — for one sample of
 * a linear model G = y·x, so θ = c·steepest(y·x) is such a point. Tolerance: the d-term dot product
 * and the two norms each carry (d + 1)·ε relative error, ×4.
 */
const alignmentProperty: PropertySpec<{ c: SeparableCase; norm: string; one: boolean; scale: number }> = {
  name: 'kkt: alignment A ∈ [0, 2], = 0 at the steepest direction',
  arbitrary: fc.record({ c: separableCase(12, 8), norm: fc.constantFrom(...NORMS), one: fc.boolean(), scale: fc.constantFrom(1e-3, 1, 1e3) }),
  describe: (v) => `${describeSeparable(v.c)} norm=${v.norm} ${v.one ? 'one sample, θ = steepest' : 'teacher'} scale=${v.scale}`,
  runs: 60,
  check({ c, norm, one, scale }) {
    const d = c.data.d;
    const net = buildNet({ kind: 'linear', inputDim: d });
    const nrm = makeNorm(norm, net.layout);
    const tol = 4 * (d + 1) * EPS;
    if (one) {
      const yx = c.data.x.slice(0, d).map((v) => v * c.data.y[0]);
      const theta = new Float64Array(d);
      nrm.steepest(yx, theta);
      for (let j = 0; j < d; j++) theta[j] *= scale;
      const data = makeDataset(c.data.x.slice(0, d), c.data.y.slice(0, 1), 1, d);
      const k = kktResidual(net, theta, data, nrm);
      return { ratio: Math.abs(k.alignment) / tol, tags: ['steepest direction'], note: `A = ${k.alignment}` };
    }
    const k = kktResidual(net, c.teacher.map((v) => v * scale), c.data, nrm);
    const outside = Math.max(-k.alignment, k.alignment - 2, 0);
    return { ratio: outside / tol, tags: ['separator'], note: `A = ${k.alignment}` };
  },
  required: { 'steepest direction': 20, separator: 20 },
};

/**
 * For any caller tolerances (absTol, relTol) the matrix-free method stops by its rule —
 * R_hi − R_lo ≤ w = max(absTol, relTol·R_hi) — and reports w as its promised width; stopped at the
 * cap it reports the certified bracket width instead (never narrower than the bracket). The exact
 * methods' bracket also lies within the width they report. Comparisons are exact: every quantity
 * is the one the method computed.
 */
const stoppingProperty: PropertySpec<{ c: SeparableCase; norm: string; absTol: number; relTol: number; maxIter: number }> = {
  name: 'kkt: the bracket lies within the promised width at any tolerance',
  arbitrary: fc.record({
    c: separableCase(20, 10),
    norm: fc.constantFrom(...NORMS),
    absTol: fc.double({ min: 1e-8, max: 1e-2, noNaN: true }),
    relTol: fc.double({ min: 1e-6, max: 0.3, noNaN: true }),
    maxIter: fc.constantFrom(1, 2, 200),
  }),
  describe: (v) => `${describeSeparable(v.c)} norm=${v.norm} absTol=${v.absTol} relTol=${v.relTol} maxIter=${v.maxIter}`,
  runs: 80,
  check({ c, norm, absTol, relTol, maxIter }) {
    const net = buildNet({ kind: 'linear', inputDim: c.data.d });
    const nrm = makeNorm(norm, net.layout);
    const mf = kktResidual(net, c.teacher, c.data, nrm, { method: 'matrix-free', absTol, relTol, maxIter });
    const width = mf.rUpper - mf.rLower;
    const rule = Math.max(absTol, relTol * mf.rUpper);
    const tags: string[] = [mf.stop];
    let ok = mf.rLower <= mf.rUpper && width <= mf.rTolerance;
    if (mf.stop === 'converged') ok &&= width <= rule && mf.rTolerance === rule;
    else ok &&= mf.iterations === maxIter && mf.rTolerance === Math.max(rule, width);
    if (norm !== 'lp:3') {
      const exact = kktResidual(net, c.teacher, c.data, nrm, { method: 'exact' });
      ok &&= exact.stop === 'solved' && exact.rUpper - exact.rLower <= exact.rTolerance && exact.rTolerance > 0;
      tags.push('exact compared');
    }
    return { ratio: ok ? 0 : Infinity, tags, note: `matrix-free [${mf.rLower}, ${mf.rUpper}] width ${mf.rTolerance} ${mf.stop} after ${mf.iterations}` };
  },
  required: { converged: 20, 'iteration-cap': 10, 'exact compared': 30 },
};

describe('KKT residual reporting contract (src/metrics/kkt.ts)', () => {
  for (const p of [alignmentProperty, stoppingProperty] as PropertySpec<any>[]) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));

  it('auto is exact up to N·P = EXACT_MAX_ENTRIES and matrix-free one sample above, naming its method', () => {
    const d = 2000;
    const n = EXACT_MAX_ENTRIES / d;
    const net = buildNet({ kind: 'linear', inputDim: d });
    const at = separableDataset(1, n, d, 0.1);
    const above = separableDataset(1, n + 1, d, 0.1);
    for (const [norm, exact] of [['l1', 'lp'], ['linf', 'lp'], ['l2', 'qp']] as const) {
      const nrm = makeNorm(norm, net.layout);
      expect(kktResidual(net, at.teacher, at.data, nrm).method).toBe(exact);
      expect(kktResidual(net, above.teacher, above.data, nrm, { maxIter: 2 }).method).toBe('matrix-free');
    }
  });
});
