/**
 * The matrix-free max-margin solver (src/metrics/kktMatrixFree.ts) on explicit rows, stated
 * directly rather than only through the KKT residual built on it: its bracket is certified
 * (γ_lo ≤ γ* ≤ γ_hi against the exact LP/QP oracle), it returns a dual point of the simplex that
 * attains γ_hi and a unit direction that attains γ_lo, and it closes a tight bracket within its
 * cap for every norm and stabilization.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import { buildNet } from '../../src/engines/index.js';
import { maxMarginMatrixFree, type RowOperator } from '../../src/metrics/kktMatrixFree.js';
import { makeNorm } from '../../src/norms/index.js';
import { maxMarginRows, ORACLE_NORMS, type OracleNorm } from '../../src/oracles/maxMargin.js';
import { runProperty, type PropertySpec } from '../../properties/outcome.js';
import { EPS } from '../../properties/roundoff.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

interface Rows {
  readonly n: number;
  readonly p: number;
  /** Row-major n × p, every row with ⟨z_n, start⟩ > 0. */
  readonly z: Float64Array;
  readonly start: Float64Array;
  readonly label: string;
}

/**
 * Gaussian rows turned to the side of a random start direction and pushed 0.1·‖z‖ along it (so the
 * start has positive margins and γ* is not below the oracle's tolerance), times a scale that
 * exercises the master LP's 1/σ scaling.
 */
const rowsArb: fc.Arbitrary<Rows> = fc
  .record({
    n: fc.integer({ min: 1, max: 24 }),
    p: fc.integer({ min: 1, max: 10 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
    scale: fc.constantFrom(1e-3, 1, 1e3),
  })
  .map(({ n, p, seed, scale }) => {
    const rng = makeRng(`matrix-free/${seed}`);
    const start = rng.fillGaussian(new Float64Array(p));
    const startL2 = Math.hypot(...start);
    const z = rng.fillGaussian(new Float64Array(n * p));
    for (let i = 0; i < n; i++) {
      const row = z.subarray(i * p, (i + 1) * p);
      let m = 0;
      for (let j = 0; j < p; j++) m += row[j] * start[j];
      const side = m < 0 ? -1 : 1;
      const push = 0.1 * Math.hypot(...row);
      for (let j = 0; j < p; j++) row[j] = scale * (side * row[j] + (push * start[j]) / startL2);
    }
    return { n, p, z, start, label: `rows n=${n} p=${p} seed=${seed} scale=${scale}` };
  });

function operator({ n, p, z }: Rows): RowOperator {
  return {
    n,
    p,
    combine(nu, out) {
      out.fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[j] += nu[i] * z[i * p + j];
      return out;
    },
    apply(u, out) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += z[i * p + j] * u[j];
        out[i] = s;
      }
      return out;
    },
  };
}

const GAP = 1e-6;
const MAX_ITER = 1000;

function solve(rows: Rows, norm: string, stabilization: number) {
  const nrm = makeNorm(norm, buildNet({ kind: 'linear', inputDim: rows.p }).layout);
  const res = maxMarginMatrixFree(operator(rows), nrm, {
    start: rows.start,
    maxIter: MAX_ITER,
    stabilization,
    done: (lo, hi) => hi - lo <= GAP * hi,
  });
  return { res, nrm };
}

const stabilizationArb = fc.constantFrom(0, 0.5, 0.9);

/**
 * γ_lo ≤ γ* ≤ γ_hi with γ* bracketed by the exact oracle ([γ_o, γ_o^up], acceptance tolerance τ_o
 * of src/oracles/maxMargin.ts): the two brackets must overlap up to τ_o plus the round-off of the
 * matrix-free certificates themselves (sums of n + p terms of size max|z|: (n + p)·ε·max|z|, ×8
 * for the norm evaluation and the normalizations). And the method stops by its rule (gap ≤ 1e-6
 * relative) inside the cap: Kelley's method with the exact polar oracle converges for every norm.
 */
const bracketProperty: PropertySpec<{ rows: Rows; norm: OracleNorm; stabilization: number }> = {
  name: 'matrix-free: certified bracket contains the exact γ* and closes within the cap',
  arbitrary: fc.record({ rows: rowsArb, norm: fc.constantFrom(...ORACLE_NORMS), stabilization: stabilizationArb }),
  describe: (v) => `${v.rows.label} norm=${v.norm} α=${v.stabilization}`,
  runs: 90,
  check({ rows, norm, stabilization }) {
    const { res } = solve(rows, norm, stabilization);
    const exact = maxMarginRows(rows.z, rows.n, rows.p, norm);
    const zMax = rows.z.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const tol = exact.tolerance + 8 * (rows.n + rows.p) * EPS * zMax;
    const excess = Math.max(res.gammaLo - exact.gammaUpper, exact.gamma - res.gammaHi) / tol;
    const tags = [norm, stabilization === 0 ? 'plain Kelley' : 'stabilized', res.iterations > 1 ? 'several iterations' : 'one iteration'];
    return {
      ratio: res.converged ? Math.max(excess, 0) : Infinity,
      tags,
      note: `matrix-free [${res.gammaLo}, ${res.gammaHi}] ${res.converged ? 'converged' : 'capped'} after ${res.iterations}; exact [${exact.gamma}, ${exact.gammaUpper}]`,
    };
  },
  required: { l1: 10, l2: 10, linf: 10, 'plain Kelley': 10, stabilized: 20, 'several iterations': 30 },
};

/**
 * Both certificates are returned and attain their bounds, recomputed here from the explicit rows:
 * ν is a point of the simplex (ν ≥ 0, Σν = 1 up to the n-term sum's n·ε) with ‖Σ ν_n z_n‖_* = γ_hi,
 * and u has ‖u‖ = 1 with min_n ⟨z_n, u⟩ = γ_lo. Round-off: an n-term combination or a p-term dot
 * product and a norm, (n + p)·ε relative, ×8 for the normalizations; the solver's margins of u are
 * combined by linearity over its K ≤ 2·iterations + 1 stored columns, adding K·ε·max|z|·‖u‖₁.
 * Norms without an exact oracle (ℓ3, ℓ1.5) are included: the certificates do not need one.
 */
const certificateProperty: PropertySpec<{ rows: Rows; norm: string; stabilization: number }> = {
  name: 'matrix-free: ν ∈ Δ attains γ_hi and ‖u‖ = 1 attains γ_lo',
  arbitrary: fc.record({ rows: rowsArb, norm: fc.constantFrom('l1', 'l2', 'linf', 'lp:3', 'lp:1.5'), stabilization: stabilizationArb }),
  describe: (v) => `${v.rows.label} norm=${v.norm} α=${v.stabilization}`,
  runs: 90,
  check({ rows, norm, stabilization }) {
    const { res, nrm } = solve(rows, norm, stabilization);
    const op = operator(rows);
    const combo = op.combine(res.nu, new Float64Array(rows.p));
    const sum = res.nu.reduce((s, v) => s + v, 0);
    const negative = res.nu.some((v) => v < 0);
    const rel = 8 * (rows.n + rows.p) * EPS;
    const attainHi = Math.abs(nrm.dual(combo) - res.gammaHi) / (rel * res.gammaHi);
    const simplex = Math.abs(sum - 1) / (rows.n * EPS + EPS);
    const margins = op.apply(res.u, new Float64Array(rows.n));
    const zMax = rows.z.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const uL1 = res.u.reduce((s, v) => s + Math.abs(v), 0);
    const columns = 2 * res.iterations + 1;
    const attainLo = Math.abs(Math.min(...margins) - res.gammaLo) / (rel * res.gammaLo + (rel + columns * EPS) * zMax * uL1);
    const unit = Math.abs(nrm.value(res.u) - 1) / rel;
    const lpNorm = norm.startsWith('lp') ? 'lp (no oracle)' : 'oracle norm';
    return {
      ratio: negative || !res.converged ? Infinity : Math.max(attainHi, simplex, attainLo, unit),
      tags: [lpNorm, res.iterations > 1 ? 'several iterations' : 'one iteration'],
      note:
        `‖Σνz‖_* = ${nrm.dual(combo)} vs γ_hi = ${res.gammaHi}, Σν = ${sum}${negative ? ', a negative weight' : ''}; ` +
        `min⟨z, u⟩ = ${Math.min(...margins)} vs γ_lo = ${res.gammaLo}, ‖u‖ = ${nrm.value(res.u)}`,
    };
  },
  required: { 'lp (no oracle)': 20, 'oracle norm': 30, 'several iterations': 30 },
};

describe('matrix-free max-margin on explicit rows (src/metrics/kktMatrixFree.ts)', () => {
  for (const p of [bracketProperty, certificateProperty] as PropertySpec<any>[]) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));

  it('a cap of one iteration is reported as not converged, with a valid (wider) bracket', () => {
    const rows = fc.sample(rowsArb, { numRuns: 1, seed: CI_SEED })[0];
    const nrm = makeNorm('l2', buildNet({ kind: 'linear', inputDim: rows.p }).layout);
    const res = maxMarginMatrixFree(operator(rows), nrm, { start: rows.start, maxIter: 1, done: () => false });
    expect(res.converged).toBe(false);
    expect(res.iterations).toBe(1);
    const exact = maxMarginRows(rows.z, rows.n, rows.p, 'l2');
    expect(res.gammaLo).toBeLessThanOrEqual(exact.gammaUpper + exact.tolerance);
    expect(res.gammaHi).toBeGreaterThanOrEqual(exact.gamma - exact.tolerance);
  });
});
