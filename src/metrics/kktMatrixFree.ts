/**
 * Matrix-free max-margin for any norm: γ* = max_{‖u‖ ≤ 1} min_n ⟨z_n, u⟩ = min_{ν ∈ Δ} ‖Σ ν_n z_n‖_*,
 * with the rows z_n ∈ ℝ^P reached only through Σ ν_n z_n (one vjp) and ⟨z_n, u⟩ for all n
 * (one jvp), and the norm only through `value`, `dual` and `steepest` (the maximizer of a linear
 * function over its unit ball). Used by the KKT residual (kkt.ts) on z_n = ∇q_n(θ̃)/c_n.
 *
 * Method: column generation (Kelley's cutting planes on ν ↦ ‖Σ ν_n z_n‖_*). Directions u_k
 * (‖u_k‖ = 1) are kept with their margin columns m_k = (⟨z_n, u_k⟩)_n; the master LP
 *     max t  s.t.  Σ_k λ_k m_{k,n} ≥ t ∀n,  λ ∈ Δ_K
 * is the max-margin problem restricted to conv{u_k}; its row duals ν ∈ Δ_N price the next
 * direction u = steepest(Σ ν_n z_n). Certified bounds, recomputed every iteration:
 *   lower: ū = Σ λ_k u_k, γ* ≥ min_n ⟨z_n, ū⟩/‖ū‖ (margins by linearity from the stored columns);
 *   upper: any ν ∈ Δ gives γ* ≤ ‖Σ ν_n z_n‖_* (Hölder, as in src/oracles/maxMargin.ts).
 * Two cheap devices (no extra vjp or jvp): the best dual point moves to the minimizer of the
 * dual bound on the segment towards ν_master (Σ ν z is linear in ν), and pricing is stabilized
 * (Wentges) at ν_s = α ν_best + (1 − α) ν_master; when that direction does not cut off the
 * master's solution, the iteration also prices at ν_master, which always cuts unless the bracket
 * is closed. Measured (linear rows, N = 40, d = 20, gap ≤ 1e-6 relative): ℓ2 459 → 65
 * iterations; ℓ1, ℓ∞ (polyhedral: finite termination) 26 → 25 and 40 → 34.
 * Convergence: finite for ℓ1/ℓ∞; for smooth norms (ℓ2, ℓp) the upper bound has Kelley's slow
 * tail, so tight tolerances need hundreds of iterations. Memory: K directions of length P.
 * Stopping: the caller's `done(lo, hi)` or the iteration cap, reported as `converged`.
 */
import type { Norm } from '../core/types.js';
import { argmin, dot } from '../core/vec.js';
import { highs, LP_OPTIONS, LP_TOL, runOptimal } from '../oracles/highs.js';

export interface RowOperator {
  readonly n: number;
  readonly p: number;
  /** out = Σ_n ν_n z_n. */
  combine(nu: Float64Array, out: Float64Array): Float64Array;
  /** out_n = ⟨z_n, u⟩ for every n. */
  apply(u: Float64Array, out: Float64Array): Float64Array;
}

export interface MatrixFreeOptions {
  /** A first direction with positive margins on every row. */
  readonly start: Float64Array;
  readonly maxIter: number;
  /** Stabilization weight α ∈ [0, 1) of the best dual point (0: plain Kelley). */
  readonly stabilization?: number;
  /** Called with the certified bracket after every iteration; true stops. */
  readonly done: (gammaLo: number, gammaHi: number) => boolean;
}

export interface MatrixFreeResult {
  /** Certified: gammaLo ≤ γ* ≤ gammaHi. */
  readonly gammaLo: number;
  readonly gammaHi: number;
  /** ν ∈ Δ attaining gammaHi. */
  readonly nu: Float64Array;
  /** A direction with ‖u‖ = 1 attaining gammaLo: min_n ⟨z_n, u⟩ = gammaLo (the primal certificate). */
  readonly u: Float64Array;
  /** Number of master solves (= vjps); jvps = directions = iterations + 1 at most. */
  readonly iterations: number;
  readonly converged: boolean;
}

export function maxMarginMatrixFree(op: RowOperator, norm: Norm, opts: MatrixFreeOptions): MatrixFreeResult {
  const { n, p } = op;
  const alpha = opts.stabilization ?? 0.5;
  const dirs: Float64Array[] = [];
  const cols: Float64Array[] = [];
  const addDirection = (u: Float64Array): Float64Array => {
    const m = op.apply(u, new Float64Array(n));
    dirs.push(u);
    cols.push(m);
    return m;
  };
  const startNorm = norm.value(opts.start);
  const u0 = opts.start.map((v) => v / startNorm);
  const m0 = addDirection(u0);
  // Master entries are scaled by 1/σ to be O(1): LP tolerances are absolute.
  let sigma = 0;
  for (let i = 0; i < n; i++) sigma = Math.max(sigma, Math.abs(m0[i]));
  let gammaLo = argmin(m0).value;
  let uBest: Float64Array = u0;
  let gammaHi = Infinity;
  const nuBest = new Float64Array(n);
  const gBest = new Float64Array(p);
  const g = new Float64Array(p);
  const gSep = new Float64Array(p);
  const master = createMaster(n, m0, sigma);
  try {
    for (let it = 1; it <= opts.maxIter; it++) {
      const sol = runOptimal(master, 'matrix-free KKT master LP');
      const t = sol.x[0] * sigma;
      const lambda = normalized(sol.x.subarray(1));
      const nu = normalized(sol.rowDual.subarray(0, n).map((v) => -v));
      const lower = lowerBound(lambda, dirs, cols, norm, n, p);
      if (lower.gamma > gammaLo) ({ gamma: gammaLo, u: uBest } = lower);
      op.combine(nu, g);
      // Best dual point: minimize the bound on the segment [ν_best, ν_master].
      const tau = gammaHi === Infinity ? 1 : segmentSearch(gBest, g, norm, gSep);
      for (let j = 0; j < p; j++) gSep[j] = (1 - tau) * gBest[j] + tau * g[j];
      const hi = norm.dual(gSep);
      if (hi < gammaHi) {
        gammaHi = hi;
        for (let i = 0; i < n; i++) nuBest[i] = (1 - tau) * nuBest[i] + tau * nu[i];
        gBest.set(gSep);
      }
      if (opts.done(gammaLo, gammaHi)) return { gammaLo, gammaHi, nu: nuBest, u: uBest, iterations: it, converged: true };
      for (let j = 0; j < p; j++) gSep[j] = alpha * gBest[j] + (1 - alpha) * g[j];
      let u = new Float64Array(p);
      norm.steepest(gSep, u);
      let m = addDirection(u);
      // ν·m = ⟨Σ ν_n z_n, u⟩: the direction cuts off the master's solution iff this beats t by
      // more than the LP's feasibility tolerance (in σ units).
      if (alpha > 0 && dot(nu, m) <= t + 10 * LP_TOL * sigma) {
        master.addCol(0, 0, highs.infinity, column(m, sigma));
        u = new Float64Array(p);
        norm.steepest(g, u);
        m = addDirection(u);
      }
      master.addCol(0, 0, highs.infinity, column(m, sigma));
    }
    return { gammaLo, gammaHi, nu: nuBest, u: uBest, iterations: opts.maxIter, converged: false };
  } finally {
    master.dispose();
  }
}

/** max t s.t. m_{k,n}/σ·λ_k summed − t ≥ 0 (rows 0…N−1), Σ λ = 1 (row N); columns t, λ_0. */
function createMaster(n: number, m0: Float64Array, sigma: number) {
  const inf = highs.infinity;
  const starts = [0, n];
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    indices.push(i);
    values.push(-1);
  }
  const first = column(m0, sigma);
  starts.push(n + first.indices.length);
  indices.push(...first.indices);
  values.push(...first.values);
  const rowLower = new Float64Array(n + 1);
  const rowUpper = new Float64Array(n + 1).fill(inf);
  rowLower[n] = 1;
  rowUpper[n] = 1;
  const model = highs.createModel({
    numCols: 2,
    numRows: n + 1,
    sense: highs.constants.objectiveSense.maximize,
    colCost: [1, 0],
    colLower: [-inf, 0],
    colUpper: [inf, inf],
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows: n + 1, numCols: 2, starts, indices, values },
  });
  model.options.set(LP_OPTIONS);
  return model;
}

function column(m: Float64Array, sigma: number): { indices: Int32Array; values: Float64Array } {
  const n = m.length;
  const indices = Int32Array.from({ length: n + 1 }, (_, i) => i);
  const values = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) values[i] = m[i] / sigma;
  values[n] = 1;
  return { indices, values };
}

/** min_n ⟨z_n, ū⟩ / ‖ū‖ and ū/‖ū‖ for ū = Σ λ_k u_k (margins by linearity from the stored columns). */
function lowerBound(lambda: Float64Array, dirs: Float64Array[], cols: Float64Array[], norm: Norm, n: number, p: number): { gamma: number; u: Float64Array } {
  const ubar = new Float64Array(p);
  const margins = new Float64Array(n);
  lambda.forEach((l, k) => {
    if (l === 0) return;
    for (let j = 0; j < p; j++) ubar[j] += l * dirs[k][j];
    for (let i = 0; i < n; i++) margins[i] += l * cols[k][i];
  });
  const size = norm.value(ubar);
  return { gamma: argmin(margins).value / size, u: ubar.map((v) => v / size) };
}

/**
 * argmin over τ ∈ [0, 1] of ‖(1 − τ) a + τ b‖_* (convex in τ): golden-section search to width
 * 0.618⁴⁰ ≈ 4e-9; the caller keeps the result only if it improves the bound.
 */
function segmentSearch(a: Float64Array, b: Float64Array, norm: Norm, work: Float64Array): number {
  const f = (tau: number): number => {
    for (let j = 0; j < a.length; j++) work[j] = (1 - tau) * a[j] + tau * b[j];
    return norm.dual(work);
  };
  const r = (Math.sqrt(5) - 1) / 2;
  let lo = 0;
  let hi = 1;
  let x1 = hi - r * (hi - lo);
  let x2 = lo + r * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let k = 0; k < 40; k++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - r * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + r * (hi - lo);
      f2 = f(x2);
    }
  }
  return (lo + hi) / 2;
}

function normalized(v: Float64Array): Float64Array {
  const out = v.map((x) => Math.max(0, x));
  const s = out.reduce((a, b) => a + b, 0);
  return out.map((x) => x / s);
}
