/**
 * Exact max-margin oracle for linear models (THEORY §8): the hard bound γ_p(θ) ≤ γ*_p, the nesting
 * γ*_1 ≤ γ*_2 ≤ γ*_∞ of the unit balls, the returned certificate, and the rejection of
 * non-separable or non-finite data. Datasets are separable by construction (below).
 */
import fc from 'fast-check';
import type { Dataset } from '../src/core/types.js';
import { InputError } from '../src/core/errors.js';
import { makeRng } from '../src/core/rng.js';
import { norm2 } from '../src/core/vec.js';
import { makeDataset } from '../src/data/dataset.js';
import { maxMarginLinear, type MaxMargin, type OracleNorm } from '../src/oracles/linear.js';
import { ORACLE_NORMS, PRIMAL_NORM } from '../src/oracles/maxMargin.js';
import type { PropertySpec } from './outcome.js';
import { EPS } from './roundoff.js';
import { buildNet } from '../src/engines/index.js';

export interface SeparableCase {
  readonly data: Dataset;
  /** The teacher direction (‖·‖₂ = 1): a separator with ℓ2 margin ≥ gap. */
  readonly teacher: Float64Array;
  readonly seed: number;
  readonly gap: number;
}

/**
 * Gaussian inputs labelled by a random unit teacher ŵ, then pushed away from its hyperplane:
 * x_n ← x_n + y_n·gap·ŵ, so y_n⟨ŵ, x_n⟩ ≥ gap. Degenerate features on purpose: a duplicated sample
 * and an all-zero input coordinate (both keep the set separable).
 */
export function separableDataset(seed: number, n: number, d: number, gap: number, degenerate = false): SeparableCase {
  const rng = makeRng(seed);
  const x = rng.child('x').fillGaussian(new Float64Array(n * d));
  const teacher = rng.child('teacher').fillGaussian(new Float64Array(d));
  const tn = norm2(teacher);
  for (let j = 0; j < d; j++) teacher[j] = tn > 0 ? teacher[j] / tn : j === 0 ? 1 : 0;
  if (degenerate && d > 1) {
    for (let i = 0; i < n; i++) x[i * d + d - 1] = 0;
    teacher[d - 1] = 0;
    const t2 = norm2(teacher);
    for (let j = 0; j < d; j++) teacher[j] = t2 > 0 ? teacher[j] / t2 : j === 0 ? 1 : 0;
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * teacher[j];
    y[i] = s >= 0 ? 1 : -1;
    for (let j = 0; j < d; j++) x[i * d + j] += y[i] * gap * teacher[j];
  }
  if (degenerate && n > 1) {
    x.copyWithin((n - 1) * d, 0, d);
    y[n - 1] = y[0];
  }
  return { data: makeDataset(x, y, n, d), teacher, seed, gap };
}

export const GAPS = [0.05, 0.3, 1] as const;

export function separableCase(maxN = 40, maxD = 20): fc.Arbitrary<SeparableCase> {
  return fc
    .record({
      n: fc.integer({ min: 2, max: maxN }),
      d: fc.integer({ min: 1, max: maxD }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      gap: fc.constantFrom(...GAPS),
      degenerate: fc.boolean(),
    })
    .map(({ n, d, seed, gap, degenerate }) => separableDataset(seed, n, d, gap, degenerate));
}

export function describeSeparable(c: SeparableCase): string {
  return `N=${c.data.n} d=${c.data.d} seed=${c.seed} gap=${c.gap}`;
}

/** γ_p(θ) = q_min(θ)/‖θ‖_p for the linear model (THEORY §4, L = 1). */
export function linearMargin(data: Dataset, theta: Float64Array, norm: OracleNorm): number {
  const q = buildNet({ kind: 'linear', inputDim: data.d }).margins(theta, data);
  return Math.min(...q) / PRIMAL_NORM[norm](theta);
}

/**
 * Round-off of γ_p(θ): each q_n is a d-term dot product, error ≤ d·ε·Σ_j |x_nj θ_j|; dividing by
 * ‖θ‖_p adds one more ε relative.
 */
export function marginRoundoff(data: Dataset, theta: Float64Array, norm: OracleNorm): number {
  let m = 0;
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += Math.abs(data.x[i * data.d + j] * theta[j]);
    m = Math.max(m, s);
  }
  return ((data.d + 2) * EPS * m) / PRIMAL_NORM[norm](theta);
}

/** θ = w*_p + σ·noise: near-optimal (σ small) to far (σ = 1) directions, separators or not. */
const perturbation = fc.record({
  sigma: fc.constantFrom(0, 1e-3, 0.1, 1),
  noiseSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  norm: fc.constantFrom<OracleNorm>(...ORACLE_NORMS),
});

export function perturbed(w: Float64Array, sigma: number, noiseSeed: number): Float64Array {
  const noise = makeRng(noiseSeed).fillGaussian(new Float64Array(w.length));
  const scale = sigma * (norm2(w) / Math.sqrt(w.length));
  return w.map((v, j) => v + scale * noise[j]);
}

export const gammaBoundProperty: PropertySpec<{ c: SeparableCase; sigma: number; noiseSeed: number; norm: OracleNorm }> = {
  name: 'oracle: γ_p(θ) ≤ γ*_p for every θ',
  arbitrary: fc.record({ c: separableCase() }).chain(({ c }) => perturbation.map((p) => ({ c, ...p }))),
  describe: (v) => `${describeSeparable(v.c)} norm=${v.norm} σ=${v.sigma}`,
  runs: 120,
  check({ c, sigma, noiseSeed, norm }) {
    const o = maxMarginLinear(c.data, norm);
    const theta = perturbed(o.w, sigma, noiseSeed);
    const gamma = linearMargin(c.data, theta, norm);
    // gammaUpper is a certified upper bound on γ*: only γ_p(θ)'s round-off is tolerated.
    const ratio = Math.max(0, gamma - o.gammaUpper) / marginRoundoff(c.data, theta, norm);
    return { ratio, tags: gamma >= 0.99 * o.gamma ? ['near-optimal θ'] : gamma > 0 ? ['separator'] : ['non-separator'] };
  },
  required: { 'near-optimal θ': 20, separator: 10 },
};

/** Round-off of a certificate (the oracle's own dot products): d·ε·d·max|z| as in gapTolerance. */
function certificateRoundoff(data: Dataset): number {
  let s = 0;
  for (const v of data.x) s = Math.max(s, Math.abs(v));
  return data.d * data.d * EPS * s;
}

export const nestedBallsProperty: PropertySpec<SeparableCase> = {
  name: 'oracle: nested balls give γ*_1 ≤ γ*_2 ≤ γ*_∞',
  arbitrary: separableCase(),
  describe: describeSeparable,
  runs: 60,
  check(c) {
    const [g1, g2, gInf] = ORACLE_NORMS.map((p) => maxMarginLinear(c.data, p));
    // ‖w‖_∞ ≤ ‖w‖_2 ≤ ‖w‖_1, so B_1 ⊂ B_2 ⊂ B_∞ and the maxima over them grow. Compared as
    // certified lower vs upper bounds, so only the certificates' round-off is tolerated.
    const excess = Math.max(0, g1.gamma - g2.gammaUpper, g2.gamma - gInf.gammaUpper);
    return { ratio: excess / certificateRoundoff(c.data), tags: gInf.gamma > 1.01 * g1.gammaUpper ? ['optima differ'] : [] };
  },
  required: { 'optima differ': 10 },
};

/**
 * The returned certificate: ‖w‖_p = 1, μ ∈ Δ, gap ≤ tolerance, and complementary slackness
 * Σ μ_n (⟨z_n, w⟩ − γ) ≤ gap (each term ≥ 0; their sum is ⟨Σ μ z, w⟩ − γ ≤ ‖Σ μ z‖_* − γ).
 * Norm and simplex sums carry (d + 2)ε and (N + 2)ε of round-off.
 */
export const certificateProperty: PropertySpec<{ c: SeparableCase; norm: OracleNorm }> = {
  name: 'oracle: certificate (‖w‖ = 1, μ ∈ Δ, gap, complementary slackness)',
  arbitrary: fc.record({ c: separableCase(), norm: fc.constantFrom<OracleNorm>(...ORACLE_NORMS) }),
  describe: (v) => `${describeSeparable(v.c)} norm=${v.norm}`,
  runs: 90,
  check({ c, norm }) {
    const o: MaxMargin = maxMarginLinear(c.data, norm);
    const { n, d, x, y } = c.data;
    let slack = 0;
    let minMu = 0;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < d; j++) m += y[i] * x[i * d + j] * o.w[j];
      slack += o.mu[i] * (m - o.gamma);
      minMu = Math.min(minMu, o.mu[i]);
    }
    const muSum = o.mu.reduce((a, b) => a + b, 0);
    const ratio = Math.max(
      Math.abs(PRIMAL_NORM[norm](o.w) - 1) / ((d + 2) * EPS),
      Math.abs(muSum - 1) / ((n + 2) * EPS),
      minMu < 0 ? Infinity : 0,
      o.dualityGap / o.tolerance,
      slack / (o.tolerance + certificateRoundoff(c.data)),
    );
    return { ratio, tags: [norm] };
  },
  required: { l1: 10, l2: 10, linf: 10 },
};

/**
 * Bad input: adding the contradicting sample (x_0, −y_0) makes any set non-separable (γ* = 0);
 * a NaN input is rejected before solving. Both must be InputErrors with a readable line.
 */
export const badInputProperty: PropertySpec<{ c: SeparableCase; norm: OracleNorm; nanAt: number }> = {
  name: 'oracle: rejects non-separable data and NaN inputs',
  arbitrary: fc
    .record({ c: separableCase(20, 10), norm: fc.constantFrom<OracleNorm>(...ORACLE_NORMS), nanAt: fc.nat() })
    .map((v) => ({ ...v, nanAt: v.nanAt % (v.c.data.n * v.c.data.d) })),
  describe: (v) => `${describeSeparable(v.c)} norm=${v.norm} NaN at ${v.nanAt}`,
  runs: 60,
  check({ c, norm, nanAt }) {
    const { n, d, x, y } = c.data;
    const xs = new Float64Array((n + 1) * d);
    xs.set(x);
    xs.set(x.subarray(0, d), n * d);
    const ys = Float64Array.from([...y, -y[0]]);
    const contradicted = makeDataset(xs, ys, n + 1, d);
    const nan = { ...c.data, x: x.map((v, i) => (i === nanAt ? NaN : v)) };
    const rejected = (data: Dataset, pattern: RegExp): boolean => {
      try {
        maxMarginLinear(data, norm);
        return false;
      } catch (e) {
        return e instanceof InputError && pattern.test(e.message);
      }
    };
    const ok = rejected(contradicted, /not linearly separable/) && rejected(nan, /must be finite/);
    return { ratio: ok ? 0 : Infinity, tags: [norm] };
  },
};

export const ORACLE_PROPERTIES: readonly PropertySpec<any>[] = [gammaBoundProperty, nestedBallsProperty, certificateProperty, badInputProperty];
