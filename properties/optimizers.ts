/**
 * Per-step properties of the optimizers (THEORY §3) and of their log-domain step sizes
 * (THEORY §9), applied to every registered optimizer or to every norm's steepest descent.
 * Generators reuse properties/norms.ts: a 2–3 block layout and gradients with planted exact
 * zeros, ties and extreme scales; the gradient frame's logScale ranges over [−3000, 3000].
 */
import fc from 'fast-check';
import type { Layout, Norm } from '../src/core/types.js';
import { makeRng } from '../src/core/rng.js';
import { dot } from '../src/core/vec.js';
import { getLoss } from '../src/losses/index.js';
import { l2Norm, TIE_RTOL } from '../src/norms/index.js';
import {
  adam,
  lossBased,
  makeOptimizer,
  momentum,
  muon,
  OPTIMIZER_NAMES,
  relativeArclength,
  signum,
  steepest,
  takeStep,
  type AdamState,
  type GradFrame,
  type Optimizer,
  type ScaledMoment,
  type StepContext,
} from '../src/optimizers/index.js';
import { buildVector, describeLayout, layoutArb, NORM_SPECS, vecRecipe, vectorTags, type NormSpec, type VecRecipe } from './norms.js';
import { dotErrorBound, gamma, normRelTol, SUBNORMAL, U, Worst } from './norms-tolerance.js';
import type { Check, PropertySpec } from './outcome.js';

const EPS = Number.EPSILON;

/**
 * Relative error of exp(Σ_k a_k) when each a_k is a rounded logarithm (absolute error ≤ ε|a_k|)
 * and the k-term sum rounds at every partial sum (≤ ε·Σ|a_k| each): ε·(k + 1)·Σ|a_k| + ε for exp.
 */
export function expRelErr(...logs: number[]): number {
  const s = logs.reduce((t, a) => t + (Number.isFinite(a) ? Math.abs(a) : 0), 0);
  return EPS * (logs.length + 1) * s + EPS;
}

export interface OptimizerSpec {
  readonly id: string;
  readonly make: (layout: Layout) => Optimizer;
}

/** Every registered optimizer name, with two ℓp instances. */
export const OPTIMIZER_SPECS: readonly OptimizerSpec[] = [...OPTIMIZER_NAMES, 'lp:1.5', 'lp:3'].map((id) => ({
  id,
  make: (layout: Layout) => makeOptimizer(id, layout),
}));

export interface FrameCase {
  readonly layout: Layout;
  readonly recipe: VecRecipe;
  readonly negGrad: Float64Array;
  readonly logScale: number;
  /** θ for the step context (and the arclength schedule). */
  readonly theta: Float64Array;
}

const logScaleArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: -3000, max: 3000 }) });

export const frameCaseArb: fc.Arbitrary<FrameCase> = fc
  .record({ layout: layoutArb, recipe: vecRecipe, thetaSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), logScale: logScaleArb })
  .map(({ layout, recipe, thetaSeed, logScale }) => ({
    layout,
    recipe,
    negGrad: buildVector(layout, recipe),
    logScale,
    theta: makeRng(thetaSeed).fillGaussian(new Float64Array(layout.size)),
  }));

const describeFrame = (c: FrameCase) => `${describeLayout(c.layout)} g=${JSON.stringify(c.recipe)} logScale=${c.logScale}`;

const tagsOf = (c: FrameCase) => vectorTags(c.layout, c.negGrad, c.recipe).concat(Math.abs(c.logScale) >= 1000 ? ['|logScale| ≥ 1000'] : []);
const frameOf = (c: FrameCase): GradFrame => ({ negGrad: c.negGrad, logScale: c.logScale });
const ctxOf = (c: FrameCase, logLoss = c.logScale): StepContext => ({ step: 0, theta: c.theta, logLoss });

const REQUIRED = { zeros: 3, ties: 3, '|logScale| ≥ 1000': 3 };

// ---------------------------------------------------------------- steepest descent identities

/**
 * Unnormalized steepest descent (THEORY §3): ‖Δθ‖ = η‖g‖_*, ⟨g, Δθ⟩ = −η‖g‖_*² and
 * |‖θ + Δθ‖ − ‖θ‖| ≤ η‖g‖_*, with g = −e^{s}·negGrad. η is chosen as e^{−s + k}, k ∈ [−5, 5], the
 * regime of a loss-based step, so that Δθ itself is representable; everything is compared in the
 * frame: ‖Δθ‖ = e^{k}‖n‖_* and ⟨n, Δθ⟩ = e^{k}‖n‖_*².
 */
export function steepestIdentities(spec: NormSpec): PropertySpec<[FrameCase, number]> {
  return {
    name: `optimizer steepest[${spec.id}]: ‖Δθ‖ = η‖g‖_*, ⟨g, Δθ⟩ = −η‖g‖_*²`,
    arbitrary: fc.tuple(frameCaseArb, fc.integer({ min: -5, max: 5 })),
    describe: ([c, k]) => `${describeFrame(c)} k=${k}`,
    runs: 100,
    required: REQUIRED,
    check([c, k]) {
      const norm = spec.make(c.layout);
      const rel = normRelTol(norm, c.layout);
      const P = c.layout.size;
      const w = new Worst();
      const delta = new Float64Array(P);
      const logLr = k - c.logScale;
      steepest(norm).update(frameOf(c), null, ctxOf(c), logLr, delta);
      const d = norm.dual(c.negGrad);
      if (d === 0) {
        w.exact('g = 0 ⇒ Δθ = 0', delta.every((v) => v === 0));
        return w.result(tagsOf(c));
      }
      const scale = Math.exp(k);
      const ex = expRelErr(logLr, c.logScale, Math.log(d));
      const len = norm.value(delta);
      // value(Δθ) = factor·‖u‖: rel on ‖u‖, rel on the computed value, ex on the factor.
      w.close('‖Δθ‖ = η‖g‖_*', len, scale * d, (2 * rel + ex) * scale * d);
      // ⟨u, n⟩ ≥ (1 − rel − TIE_RTOL)‖n‖_* (norm contract), times the factor.
      w.close('⟨n, Δθ⟩ = η e^s ‖n‖_*²', dot(c.negGrad, delta), scale * d * d, (rel + TIE_RTOL + ex) * scale * d * d + dotErrorBound(c.negGrad, delta));
      const next = c.theta.map((t, i) => t + delta[i]);
      const a = norm.value(c.theta);
      w.atMost('|‖θ + Δθ‖ − ‖θ‖| ≤ ‖Δθ‖', Math.abs(norm.value(next) - a), len, (3 * rel + Math.sqrt(P) * U) * (a + len));
      return w.result(tagsOf(c));
    },
  };
}

/** Normalized and unnormalized steps differ by the positive scalar e^{s}‖n‖_* (η equal). */
export function normalizedScalar(spec: NormSpec): PropertySpec<FrameCase> {
  return {
    name: `optimizer steepest[${spec.id}]: unnormalized = e^s‖n‖_* · normalized`,
    arbitrary: frameCaseArb,
    describe: describeFrame,
    runs: 100,
    required: REQUIRED,
    check(c) {
      const norm = spec.make(c.layout);
      const w = new Worst();
      const P = c.layout.size;
      const un = new Float64Array(P);
      const nz = new Float64Array(P);
      // Same η in both, shifted so that the unnormalized step is representable: Δ_un = e^{s}‖n‖_*·Δ_n.
      steepest(norm).update(frameOf(c), null, ctxOf(c), -c.logScale, un);
      steepest(norm, { normalized: true }).update(frameOf(c), null, ctxOf(c), 0, nz);
      const d = norm.dual(c.negGrad);
      const ex = expRelErr(c.logScale, -c.logScale, Math.log(d));
      for (let i = 0; i < P; i++) {
        w.exact(`same support and sign at ${i}`, Math.sign(un[i]) === Math.sign(nz[i]));
        w.close(`Δ_un = ‖n‖_*·Δ_n at ${i}`, un[i], d * nz[i], (ex + U) * Math.abs(d * nz[i]));
      }
      return w.result(tagsOf(c));
    },
  };
}

// ---------------------------------------------------------------- first-order decrease

export interface LinearCase {
  readonly layout: Layout;
  readonly theta: Float64Array;
  readonly n: number;
  /** N×P row-major inputs and labels of q_n = y_n⟨θ, x_n⟩. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly seed: number;
}

const linearCaseArb: fc.Arbitrary<LinearCase> = fc
  .record({ layout: layoutArb, n: fc.integer({ min: 1, max: 8 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) })
  .map(({ layout, n, seed }) => {
    const rng = makeRng(seed);
    const theta = rng.fillGaussian(new Float64Array(layout.size));
    const x = rng.fillGaussian(new Float64Array(n * layout.size));
    const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1));
    return { layout, theta, n, x, y, seed };
  });

/**
 * First step, from a fresh state, of every registered optimizer on the exp loss of a linear
 * model q_n = y_n⟨θ, x_n⟩ (frame from src/losses: p = softmax(−q), s = log 𝓛, so that
 * −∇𝓛/𝓛 = negGrad). The change of log 𝓛, evaluated afresh at θ + Δθ, must match the first-order
 * prediction −⟨negGrad, Δθ⟩:
 *   log 𝓛(θ+Δθ) − log 𝓛(θ) = log Σ_n p_n e^{−δ_n},  δ_n = y_n⟨x_n, Δθ⟩,
 * whose Hessian in δ is a covariance, so the remainder is ≤ ½ max δ_n² (η is set so that
 * max|δ_n| = 1e-4). Round-off: log 𝓛 is 1-Lipschitz in max-norm of q, and each q_n errs by
 * ≤ γ_{P+1}Σ_i|θ_i x_ni| (one more rounding for θ + Δθ); each logLoss adds ≤ γ_{N+2}; the
 * prediction errs by the dot bound plus γ_{N+4} relative on each negGrad entry (weights and sum).
 * Also checked: the step is a descent direction, and 𝓛 really drops when the first-order term
 * dominates the remainder and the round-off.
 */
export function firstOrderDecrease(spec: OptimizerSpec): PropertySpec<LinearCase> {
  return {
    name: `optimizer ${spec.id}: first step decreases a linear exp-loss to first order`,
    arbitrary: linearCaseArb,
    describe: (c) => `${describeLayout(c.layout)} N=${c.n} seed=${c.seed}`,
    runs: 60,
    required: { 'strict decrease': 10 },
    check(c) {
      const { layout, theta } = c;
      const P = layout.size;
      const opt = spec.make(layout);
      const w = new Worst();
      const row = (n: number) => c.x.subarray(n * P, (n + 1) * P);
      const margins = (t: Float64Array) => Float64Array.from({ length: c.n }, (_, n) => c.y[n] * dot(t, row(n)));
      const loss = getLoss('exp');
      const q = margins(theta);
      const p = new Float64Array(c.n);
      const logScale = loss.weights(q, p);
      const negGrad = new Float64Array(P);
      for (let n = 0; n < c.n; n++) for (let i = 0; i < P; i++) negGrad[i] += p[n] * c.y[n] * c.x[n * P + i];
      const frame = { negGrad, logScale };
      const ctx = { step: 0, theta, logLoss: loss.logLoss(q) };
      const dir = new Float64Array(P);
      const { logMagnitude } = opt.direction(frame, opt.init(theta), ctx, dir);
      const maxProj = Array.from({ length: c.n }, (_, n) => Math.abs(dot(row(n), dir))).reduce((a, b) => Math.max(a, b), 0);
      if (maxProj === 0) return w.result(['no move']);
      const delta = new Float64Array(P);
      opt.update(frame, opt.init(theta), ctx, Math.log(1e-4 / maxProj) - logMagnitude, delta);
      const moved = theta.map((t, i) => t + delta[i]);
      const actual = loss.logLoss(margins(moved)) - ctx.logLoss;
      const predicted = -dot(negGrad, delta);
      const maxDelta = Math.max(...Array.from({ length: c.n }, (_, n) => Math.abs(dot(row(n), delta))));
      const remainder = 0.5 * maxDelta * maxDelta;
      let qErr = 0;
      for (let n = 0; n < c.n; n++) {
        const absRow = row(n).map(Math.abs);
        qErr = Math.max(qErr, gamma(P + 1) * (dot(theta.map(Math.abs), absRow) + dot(moved.map(Math.abs), absRow)));
      }
      const absGrad = new Float64Array(P);
      for (let n = 0; n < c.n; n++) for (let i = 0; i < P; i++) absGrad[i] += p[n] * Math.abs(c.x[n * P + i]);
      const predErr = dotErrorBound(negGrad, delta) + gamma(c.n + 4) * dot(absGrad, delta.map(Math.abs));
      const roundoff = qErr + 2 * gamma(c.n + 2) + predErr;
      w.close('Δ log 𝓛 = −⟨negGrad, Δθ⟩ + O(δ²)', actual, predicted, remainder + roundoff);
      w.atMost('the step is a descent direction', predicted, 0, predErr);
      const dominates = predicted + remainder + roundoff < 0;
      if (dominates) w.exact('𝓛 decreases', actual < 0);
      return w.result(dominates ? ['strict decrease'] : []);
    },
  };
}

// ---------------------------------------------------------------- Adam, schedules

/** A sequence of frames on one layout; logScales from `scales`. */
function frameSequence(scales: fc.Arbitrary<number>, maxLength: number): fc.Arbitrary<FrameCase[]> {
  return fc
    .tuple(frameCaseArb, scales, fc.array(fc.tuple(vecRecipe, scales), { maxLength: maxLength - 1 }))
    .map(([first, s0, rest]) => [
      { ...first, logScale: s0 },
      ...rest.map(([recipe, logScale]) => ({ ...first, recipe, logScale, negGrad: buildVector(first.layout, recipe) })),
    ]);
}

/** Adam with β1 = β2 = ε = 0 equals normalized sign descent bit for bit (THEORY §3). */
export const adamIsSignDescent: PropertySpec<FrameCase[]> = {
  name: 'optimizer adam(0, 0, 0) = normalized sign descent, exactly',
  arbitrary: frameSequence(logScaleArb, 4),
  describe: (fs) => fs.map(describeFrame).join(' | '),
  runs: 150,
  required: REQUIRED,
  check: adamSignCheck,
};

/** Orders of magnitude between the largest and the smallest nonzero |entry| of a vector. */
function spanDecades(x: Float64Array): number {
  const nz = Array.from(x, Math.abs).filter((v) => v > 0);
  return nz.length < 2 ? 0 : Math.log10(Math.max(...nz)) - Math.log10(Math.min(...nz));
}

/**
 * Regression (seed 20241029): the same identity when one gradient spans up to 10^320 (entry i scaled
 * by 10^−k_i, k_i ∈ [0, 320]). While Adam's frame held v as v/e^{2R}, an entry 10^154 below the
 * largest was subnormal there and one 10^162 below was 0: Adam stepped 0.0100000000817 and 0 where
 * sign descent steps 0.01 and −0.01. Now v is held as √v, with the range of m.
 */
export const adamIsSignDescentWideRange: PropertySpec<[FrameCase[], number]> = {
  name: 'optimizer adam(0, 0, 0) = normalized sign descent, exactly, on gradients spanning 10^320',
  arbitrary: fc.tuple(frameSequence(logScaleArb, 4), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
  describe: ([fs, seed]) => `spread seed ${seed}: ${fs.map(describeFrame).join(' | ')}`,
  runs: 60,
  required: { 'span > 10^162': 30 },
  check([frames, seed]) {
    const rng = makeRng(seed);
    const spread = frames.map((f) => ({ ...f, negGrad: f.negGrad.map((g) => g * 10 ** -rng.int(321)) }));
    const r = adamSignCheck(spread);
    return { ...r, tags: spread.some((f) => spanDecades(f.negGrad) > 162) ? ['span > 10^162'] : [] };
  },
};

function adamSignCheck(frames: readonly FrameCase[]): Check {
  const layout = frames[0].layout;
  const a = adam({ beta1: 0, beta2: 0, eps: 0 });
  const sign = makeOptimizer('sign', layout, { normalized: true });
  const w = new Worst();
  let state = a.init(frames[0].theta);
  const tags = new Set<string>();
  frames.forEach((f, t) => {
    const da = new Float64Array(layout.size);
    const ds = new Float64Array(layout.size);
    const logLr = Math.log(0.01);
    state = a.update(frameOf(f), state, { ...ctxOf(f), step: t }, logLr, da);
    sign.update(frameOf(f), null, { ...ctxOf(f), step: t }, logLr, ds);
    w.exact(`step ${t}: Δθ_adam = Δθ_sign`, da.every((v, i) => v === ds[i]));
    tagsOf(f).forEach((x) => tags.add(x));
  });
  return w.result([...tags]);
}

/** Optimizers whose step scales with the gradient: unnormalized steepest descent and heavy ball. */
const GRADIENT_SCALED = ['gd', 'sign', 'coord', 'lp:3', 'spectral', 'spectral-sign', 'momentum'];

/**
 * Loss-based η = η₀/𝓛 in the late phase: with logScale = log 𝓛 = −2000 … −5000 (e^{logScale} = 0
 * in float64), the step is still finite and nonzero: log η + logScale is formed before exp.
 * For unnormalized steepest descent it is exactly η₀‖n‖_*·u (tolerance: expRelErr + rel).
 */
export const lateLossBasedStep: PropertySpec<[FrameCase, number]> = {
  name: 'schedule loss-based: finite nonzero step at logScale ≤ −2000',
  arbitrary: fc.tuple(frameCaseArb, fc.integer({ min: -5000, max: -2000 })),
  describe: ([c, s]) => `${describeFrame(c)} logScale=${s}`,
  runs: 60,
  required: { zeros: 3, ties: 3 },
  check([c, logScale]) {
    const w = new Worst();
    for (const id of GRADIENT_SCALED) {
      const opt = makeOptimizer(id, c.layout);
      const delta = new Float64Array(c.layout.size);
      const frame = { negGrad: c.negGrad, logScale };
      const schedule = lossBased({ eta0: 0.5 });
      takeStep(opt, schedule, frame, opt.init(c.theta), ctxOf(c, logScale), delta);
      const zero = c.negGrad.every((v) => v === 0);
      w.exact(`${id}: finite`, delta.every(Number.isFinite));
      w.exact(`${id}: nonzero iff g ≠ 0`, delta.some((v) => v !== 0) === !zero);
      if (opt.norm && !zero) {
        const d = opt.norm.dual(c.negGrad);
        const rel = normRelTol(opt.norm, c.layout);
        w.close(`${id}: ‖Δθ‖ = η₀‖n‖_*`, opt.norm.value(delta), 0.5 * d, (2 * rel + expRelErr(Math.log(0.5), logScale, logScale, Math.log(d))) * 0.5 * d);
      }
    }
    return w.result(vectorTags(c.layout, c.negGrad, c.recipe));
  },
};

// ---------------------------------------------------------------- log-scaled moments

interface Recursion {
  readonly moment: ScaledMoment;
  readonly decay: number;
  readonly gain: number;
  readonly power: 1 | 2;
}

/** A stateful optimizer and the moment recursions (m ← decay·m + gain·x^power) its state holds. */
interface MomentfulSpec {
  readonly id: string;
  readonly make: (layout: Layout, beta: number, beta2: number, eps: number) => Optimizer<any>;
  readonly recursions: (state: any, beta: number, beta2: number) => Recursion[];
}

const MOMENTFUL: readonly MomentfulSpec[] = [
  {
    id: 'adam',
    make: (_l, beta1, beta2, eps) => adam({ beta1, beta2, eps }),
    recursions: (s: AdamState, b1, b2) => [
      { moment: s.m, decay: b1, gain: 1 - b1, power: 1 },
      { moment: s.v, decay: b2, gain: 1 - b2, power: 2 },
    ],
  },
  { id: 'signum', make: (_l, beta) => signum({ beta }), recursions: (s: ScaledMoment, b) => [{ moment: s, decay: b, gain: 1 - b, power: 1 }] },
  { id: 'muon', make: (l, beta) => muon(l, { beta }), recursions: (s: ScaledMoment, b) => [{ moment: s, decay: b, gain: 1 - b, power: 1 }] },
  { id: 'momentum', make: (_l, beta) => momentum({ beta }), recursions: (s: ScaledMoment, b) => [{ moment: s, decay: b, gain: 1, power: 1 }] },
];

const betaArb = fc.constantFrom(0, 0.5, 0.9, 0.999);

function runStates(spec: MomentfulSpec, frames: readonly FrameCase[], betas: [number, number], eps: number, shift = 0) {
  const opt = spec.make(frames[0].layout, betas[0], betas[1], eps);
  let state = opt.init(frames[0].theta);
  const steps = frames.map((f, t) => {
    const delta = new Float64Array(f.layout.size);
    state = opt.update({ negGrad: f.negGrad, logScale: f.logScale + shift }, state, { ...ctxOf(f), step: t }, Math.log(0.01), delta);
    return { state, delta };
  });
  return steps;
}

/**
 * Gradual underflow of a frame after t updates, in true units (see momentsMatchTextbook), in
 * Higham's model with σ = SUBNORMAL. Per update, in buf units (moments.ts accumulate): the
 * coefficient a = decay^{1/p}·exp(·) errs by ≤ σ + σ/2 and multiplies |buf_i| ≤ t (a ≤ 1,
 * b ≤ gain^{1/p} ≤ 1), b likewise multiplies |x/μ| ≤ 1, x/μ, b·x and a·buf_i round once each (σ/2),
 * and the sum or hypot once more (≤ σ): ≤ (1.5t + 4)σ, carried on by later a ≤ 1. Scaled by
 * e^{logRef}, plus σ/2 for that product.
 */
export function frameUnderflow(logRef: number, t: number): number {
  return (Math.exp(logRef) * t * (1.5 * t + 4) + 0.5) * SUBNORMAL;
}

/** |log| of the incoming term e^{logScale}·max|negGrad| (0 for a zero gradient). */
function incomingLog(f: FrameCase): number {
  const mu = f.negGrad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return mu > 0 ? Math.abs(f.logScale + Math.log(mu)) : 0;
}

/**
 * Moments kept in log-scaled frames equal the textbook float64 recursion m ← βm + gain·g^p at
 * moderate scales (logScale ∈ [−3, 3]); Adam's Δθ equals η·m̂/(√v̂ + ε). A frame holds a moment by
 * its p-th root (moments.ts), so p = 1 moments are compared as m and Adam's v as √v.
 * Error budget, M = the largest |logRef| or |log of an incoming term| so far, T = updates so far:
 *  - the two frame coefficients are exps of arguments of size ≤ 2M (expRelErr(M, M) per update),
 *    and the conversion e^{logRef}·buf adds expRelErr(M) + u;
 *  - p = 1: the update with its x/μ rounding adds 5u and the reference 4u per step, on the recursion
 *    of |terms| R_abs: |e^{R}buf − m| ≤ τ₁·R_abs, τ₁ = γ_{9T+2} + T·expRelErr(M, M) + expRelErr(M);
 *  - p = 2: the root's relative error grows by at most the larger branch of the hypot (√decay, the
 *    products, x/μ: 4u) plus the hypot itself (≤ 3u in V8: scaled, compensated sum, sqrt, rescale)
 *    per update; the reference v's positive terms carry ≤ 7u per step, halved by the root:
 *    |e^{R}buf − √v| ≤ τ₂·√v, τ₂ = γ_{12T+2} + T·expRelErr(M, M) + expRelErr(M);
 *  - gradual underflow, the case a relative budget misses: a frame shares one exponent across the
 *    vector, so an entry 10^308 below the largest is subnormal in buf and rounds absolutely
 *    (frameUnderflow); the textbook reference, in true units, adds ≤ 2σ per step (min(√e, e/√v) on
 *    √v for an error e on v).
 * Seed 20241029 met the underflow when v was still held as v/e^{2R}: a 10^−11 frame, then a 10^143
 * one with that entry 0, left the decayed entry at 5·10^−313 in buf with 12 significant bits
 * (4.999494447714701e-27 against 4.9994944476863504e-27) — 10^154 below the frame's top, where
 * √v-frames keep full precision down to 10^308.
 *
 * Adam's step: the m error over the denominator, plus |Δθ|·(ρ/(1 − ρ) + 6u + exp of the step size),
 * ρ = (√v's error bound)/(√c2·den) the relative error of the denominator √v̂ + ε. An entry with ρ ≥ 1
 * — √v at or below its frame's floor, 10^308 below the top — has no resolved step: counted
 * ('v below frame floor'), not checked.
 */
export const momentsMatchTextbook: PropertySpec<[string, FrameCase[], number, number, number]> = {
  name: 'optimizer moments (adam, signum, muon, momentum) = textbook recursion',
  arbitrary: fc.tuple(
    fc.constantFrom(...MOMENTFUL.map((m) => m.id)),
    frameSequence(fc.integer({ min: -3, max: 3 }), 6),
    betaArb,
    betaArb,
    fc.constantFrom(0, 1e-8, 1e-2),
  ),
  describe: ([id, fs, b1, b2, eps]) => `${id} β=${b1},${b2} ε=${eps} frames: ${fs.map(describeFrame).join(' | ')}`,
  runs: 150,
  required: { zeros: 5, ties: 5 },
  check([id, frames, b1, b2, eps]) {
    const spec = MOMENTFUL.find((m) => m.id === id)!;
    const w = new Worst();
    const P = frames[0].layout.size;
    const steps = runStates(spec, frames, [b1, b2], eps);
    const refs = spec.recursions(steps[0].state, b1, b2).map(() => ({ ref: new Float64Array(P), abs: new Float64Array(P), tol: new Float64Array(P) }));
    const tags = new Set<string>();
    let M = 0;
    frames.forEach((f, t) => {
      tagsOf(f).forEach((x) => tags.add(x));
      const T = t + 1;
      const recs = spec.recursions(steps[t].state, b1, b2);
      for (const r of recs) M = Math.max(M, Number.isFinite(r.moment.logRef) ? Math.abs(r.moment.logRef) : 0, incomingLog(f));
      recs.forEach((r, k) => {
        const { ref, abs, tol } = refs[k];
        const scale = Math.exp(r.moment.logRef); // 0 while every gradient so far was 0
        const tau = gamma((r.power === 1 ? 9 : 12) * T + 2) + T * expRelErr(M, M) + expRelErr(M);
        const frame = frameUnderflow(r.moment.logRef, T);
        const e = 2 * T * SUBNORMAL; // the reference's own underflow, on m or v
        for (let i = 0; i < P; i++) {
          const x = Math.exp(f.logScale) * f.negGrad[i];
          ref[i] = r.decay * ref[i] + r.gain * (r.power === 1 ? x : x * x);
          abs[i] = r.decay * abs[i] + r.gain * (r.power === 1 ? Math.abs(x) : x * x);
          const buf = r.moment.buf[i];
          if (buf !== 0 && Math.abs(buf) < 2 ** -1022) tags.add('subnormal moment');
          const root = Math.sqrt(ref[i]);
          const [want, size] = r.power === 1 ? [ref[i], abs[i]] : [root, root];
          const refErr = r.power === 1 ? e : Math.min(Math.sqrt(e), e / root);
          tol[i] = tau * size + frame + refErr;
          w.close(`step ${t} moment ${k} entry ${i}`, scale * buf, want, tol[i]);
        }
      });
      if (id !== 'adam') return;
      const c1 = 1 - b1 ** T;
      const c2 = 1 - b2 ** T;
      const [m, v] = refs;
      for (let i = 0; i < P; i++) {
        const den = Math.sqrt(v.ref[i] / c2) + eps;
        if (den === 0) {
          w.close(`step ${t} Adam Δθ_${i}`, steps[t].delta[i], 0, 0);
          continue;
        }
        const rho = v.tol[i] / Math.sqrt(c2) / den;
        if (!(rho < 1)) {
          tags.add('v below frame floor');
          continue;
        }
        const expected = (0.01 * m.ref[i]) / c1 / den;
        const tol = (0.01 * m.tol[i]) / c1 / den + Math.abs(expected) * (rho / (1 - rho) + 6 * U + expRelErr(Math.log(0.01), M, M));
        w.close(`step ${t} Adam Δθ_${i}`, steps[t].delta[i], expected, tol);
      }
    });
    return w.result([...tags]);
  },
};

/**
 * The log-scaled frames follow gradient scales anywhere: shifting every logScale by ±2000 (far
 * beyond float64's range for e^{logScale}) shifts each moment's logRef by exactly that and leaves
 * buf unchanged, up to the exp coefficients' argument rounding and both runs' roundings of the
 * update (≤ 5u each: two products and the sum, or for √v two products and the hypot's 3u): per step
 * ≤ c = expRelErr(pM, pM) + 10u with M = the largest |logRef| or |log of an incoming term|, plus
 * the 2000 (p·M over-covers the root frame's arguments of size ≤ 2M); |buf| and its |terms|
 * recursion are ≤ t (both coefficients are ≤ 1), so |Δbuf| ≤ t²·c. logRef itself takes
 * ≤ 2 roundings of size ε·M per step in each run: |Δ logRef − shift| ≤ 8εM·t (factor 2 spare).
 */
export const momentsShiftInvariant: PropertySpec<[string, FrameCase[], number, number, number]> = {
  name: 'optimizer moments follow any gradient scale (logScale shifted by ±2000)',
  arbitrary: fc.tuple(fc.constantFrom(...MOMENTFUL.map((m) => m.id)), frameSequence(logScaleArb, 6), betaArb, betaArb, fc.constantFrom(-2000, 2000)),
  describe: ([id, fs, b1, b2, c]) => `${id} β=${b1},${b2} shift=${c} frames: ${fs.map(describeFrame).join(' | ')}`,
  runs: 150,
  required: { zeros: 5, ties: 5, '|logScale| ≥ 1000': 5 },
  check([id, frames, b1, b2, c]) {
    const spec = MOMENTFUL.find((m) => m.id === id)!;
    const w = new Worst();
    const a = runStates(spec, frames, [b1, b2], 0);
    const b = runStates(spec, frames, [b1, b2], 0, c);
    const incoming = Math.max(...frames.map(incomingLog));
    const tags = new Set<string>();
    frames.forEach((f, t) => {
      tagsOf(f).forEach((x) => tags.add(x));
      const rb = spec.recursions(b[t].state, b1, b2);
      spec.recursions(a[t].state, b1, b2).forEach((r, k) => {
        const s = rb[k];
        if (r.moment.logRef === -Infinity) {
          w.exact(`step ${t} moment ${k}: zero in both`, s.moment.logRef === -Infinity);
          return;
        }
        const M = Math.max(Math.abs(r.moment.logRef), incoming) + Math.abs(c);
        const coef = expRelErr(r.power * M, r.power * M) + 10 * U;
        w.close(`step ${t} moment ${k}: logRef shift`, s.moment.logRef - r.moment.logRef, c, 8 * EPS * M * (t + 1));
        for (let i = 0; i < r.moment.buf.length; i++) {
          w.close(`step ${t} moment ${k} buf_${i}`, s.moment.buf[i], r.moment.buf[i], (t + 1) ** 2 * coef);
        }
      });
    });
    return w.result([...tags]);
  },
};

/** The pure steepest-descent names among OPTIMIZER_SPECS. */
const STEEPEST_IDS = new Set(['gd', 'sign', 'coord', 'spectral', 'spectral-sign', 'lp:1.5', 'lp:3']);

/**
 * Relative-arclength control (THEORY §5): ‖Δθ‖ = h‖θ‖ in the optimizer's norm (ℓ2 without one),
 * for every registered optimizer; for steepest descent Δθ = h‖θ‖·u(negGrad) entry by entry.
 */
export function arclengthProperty(spec: OptimizerSpec): PropertySpec<FrameCase> {
  return {
    name: `schedule arclength with ${spec.id}: ‖Δθ‖ = h‖θ‖`,
    arbitrary: frameCaseArb,
    describe: describeFrame,
    runs: 60,
    required: REQUIRED,
    check(c) {
      const opt = spec.make(c.layout);
      const w = new Worst();
      const h = 0.05;
      const delta = new Float64Array(c.layout.size);
      const { logLr } = takeStep(opt, relativeArclength({ h }), frameOf(c), opt.init(c.theta), ctxOf(c), delta);
      if (c.negGrad.every((v) => v === 0)) {
        w.exact('g = 0 ⇒ Δθ = 0', delta.every((v) => v === 0));
        return w.result(tagsOf(c));
      }
      const norm: Norm = opt.norm ?? l2Norm;
      const rel = normRelTol(norm, c.layout);
      const target = h * norm.value(c.theta);
      const dir = new Float64Array(c.layout.size);
      const m = opt.direction(frameOf(c), opt.init(c.theta), ctxOf(c), dir).logMagnitude;
      // Δθ = exp((log h + log‖θ‖ − (log m + log‖d‖)) + log m)·d; ‖θ‖, ‖d‖ and ‖Δθ‖ carry rel each.
      const ex = expRelErr(Math.log(h), Math.log(target / h), m, Math.log(norm.value(dir)), m);
      w.close('‖Δθ‖ = h‖θ‖', norm.value(delta), target, (3 * rel + ex) * target);
      w.exact('log η reported', Number.isFinite(logLr));
      if (STEEPEST_IDS.has(spec.id)) {
        const u = new Float64Array(c.layout.size);
        opt.norm!.steepest(c.negGrad, u);
        for (let i = 0; i < u.length; i++) w.close(`Δθ_${i} = h‖θ‖u_${i}`, delta[i], target * u[i], (2 * rel + ex) * target * Math.abs(u[i]));
      }
      return w.result(tagsOf(c));
    },
  };
}

export const OPTIMIZER_PROPERTIES: readonly PropertySpec<any>[] = [
  ...NORM_SPECS.flatMap((s) => [steepestIdentities(s), normalizedScalar(s)]),
  ...OPTIMIZER_SPECS.flatMap((s) => [firstOrderDecrease(s), arclengthProperty(s)]),
  adamIsSignDescent,
  adamIsSignDescentWideRange,
  lateLossBasedStep,
  momentsMatchTextbook,
  momentsShiftInvariant,
];
