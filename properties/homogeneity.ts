/**
 * Homogeneity identities of THEORY §6 as properties of the float64 engine, each with a tolerance
 * derived in properties/roundoff.ts and reported in units of it.
 */
import fc from 'fast-check';
import { makeRng } from '../src/core/rng.js';
import { dot } from '../src/core/vec.js';
import { activationFns, type Activation } from '../src/nets/activations.js';
import type { NetSpec } from '../src/nets/index.js';
import {
  describeCase,
  homogeneousMlpSpec,
  homogeneousNetSpec,
  netCase,
  nonHomogeneousVariants,
  type NetCase,
} from './arbitraries.js';
import { bigLayerNorm, bigMlp } from './bignum.js';
import type { Check, PropertySpec } from './outcome.js';
import { eulerResiduals, eulerTolerance, maxRatio, scalingResiduals } from './identities.js';
import { absData, absTheta, centralDifferenceError, EPS, forwardErrorBound, pathDotLength } from './roundoff.js';
import { roundoffOf } from './roundoff-kinds.js';
import { buildNet, jvpAt, patternAt, vjpAt } from '../src/engines/index.js';
import { LAYERNORM_EPS } from '../src/nets/layernorm.js';
import { layerNormForwardError, layerNormGradientPairingError, layerNormJvpError } from './roundoff-layernorm.js';

/** Scale factors: powers of two (exact) and awkward decimals (rounded cθ). */
const scaleFactor = fc.constantFrom(0.5, 2, 0.37, 3.1, 1e-3, 1e3);

function tags(c: NetCase): string[] {
  const t: string[] = [];
  if (c.zeros > 0) t.push('planted zeros');
  if ((c.net.degree ?? 0) >= 3) t.push('degree ≥ 3');
  return t;
}

/** f(cθ) = c^L f(θ) (tolerance in identities.ts). */
export const scalingProperty: PropertySpec<[NetCase, number]> = {
  name: 'homogeneity: f(cθ) = c^L f(θ)',
  label: 'f(cθ) = c^L f(θ)',
  arbitrary: fc.tuple(netCase(homogeneousNetSpec), scaleFactor),
  describe: ([c, s]) => `${describeCase(c)} c=${s}`,
  runs: 200,
  required: { 'planted zeros': 10, 'degree ≥ 3': 10 },
  check([c, s]) {
    const { residual: res, tolerance: tol } = scalingResiduals(c.net, c.theta, c.data, s, c.net.degree!);
    const { ratio, at } = maxRatio(res, tol);
    return { ratio, tags: tags(c), note: `sample ${at}: |Δ| = ${res[at]}, tol = ${tol[at]}` };
  },
};

/**
 * ∇f(cθ) = c^{L−1} ∇f(θ), checked on Σ_n c_n ∇q_n with random weights. Per coordinate, the
 * backward pass is a second chain of the same depth: tolerance 2× the forward one, carried by the
 * gradient of the magnitude net G_abs = Σ|c_n| ∇F_abs,n.
 */
export const gradientScalingProperty: PropertySpec<[NetCase, number]> = {
  name: 'homogeneity: ∇f(cθ) = c^(L−1) ∇f(θ)',
  label: '∇f(cθ) = c^(L−1) ∇f(θ)',
  arbitrary: fc.tuple(netCase(homogeneousNetSpec), scaleFactor),
  describe: ([c, s]) => `${describeCase(c)} c=${s}`,
  runs: 150,
  required: { 'planted zeros': 8 },
  check([c, s]) {
    const { net, theta, data } = c;
    const L = net.degree!;
    const w = makeRng(c.seed).child('weights').fillGaussian(new Float64Array(data.n));
    const g = vjpAt(net, theta, data, w, new Float64Array(theta.length));
    const gs = vjpAt(net, theta.map((t) => s * t), data, w, new Float64Array(theta.length));
    const gAbs = vjpAt(net, absTheta(theta), absData(data), w.map(Math.abs), new Float64Array(theta.length));
    const cl = s ** (L - 1);
    const k = pathDotLength(net);
    const res = g.map((v, i) => Math.abs(gs[i] - cl * v));
    const tol = gAbs.map((m) => (4 * L * k + L + 1) * EPS * cl * m);
    const { ratio, at } = maxRatio(res, tol);
    return { ratio, tags: tags(c), note: `coordinate ${at}` };
  },
};

/** Euler ⟨θ, ∇f_n⟩ = L f_n per sample (relu'(0) = 0; tolerance in identities.ts). */
export const eulerProperty: PropertySpec<NetCase> = {
  name: 'homogeneity: Euler ⟨θ, ∇f⟩ = L f',
  label: 'Euler ⟨θ, ∇f⟩ = L f',
  arbitrary: netCase(homogeneousNetSpec),
  describe: describeCase,
  runs: 200,
  required: { 'planted zeros': 10, 'degree ≥ 3': 10 },
  check(c) {
    const { net, theta, data } = c;
    const res = eulerResiduals(net, theta, data);
    const tol = eulerTolerance(net, theta, data);
    const { ratio, at } = maxRatio(res, tol);
    return { ratio, tags: tags(c), note: `sample ${at}: residual ${res[at]}` };
  },
};

/**
 * Layer-wise Euler for bias-free (or first-layer-bias) ReLU-type MLPs: ⟨W_l, ∇_{W_l} f⟩ = f for every
 * layer l (b_1 counts with W_1). Same tolerance as Euler with L = 1 per layer but the full path K.
 */
export const layerEulerProperty: PropertySpec<NetCase> = {
  name: 'homogeneity: layer-wise Euler ⟨W_l, ∇_{W_l} f⟩ = f',
  label: 'layer-wise Euler ⟨W_l, ∇_l f⟩ = f',
  arbitrary: netCase((d) =>
    homogeneousMlpSpec(d).filter((s) => s.kind === 'mlp' && activationFns(s.activation).power === 1),
  ),
  describe: describeCase,
  runs: 100,
  required: { 'planted zeros': 5 },
  check(c) {
    const { net, theta, data } = c;
    const grads = net.perSampleGrads(theta, data);
    const f = net.forward(theta, data);
    const p = theta.length;
    const L = net.degree!;
    const tol = eulerTolerance(net, theta, data);
    let ratio = 0;
    let where = '';
    for (let n = 0; n < data.n; n++) {
      const g = grads.subarray(n * p, (n + 1) * p);
      for (let l = 1; l <= L; l++) {
        let inner = 0;
        for (const view of net.layout.layers) {
          if (view.name.slice(1) !== String(l)) continue;
          const len = view.rows * view.cols;
          inner += dot(theta.subarray(view.offset, view.offset + len), g.subarray(view.offset, view.offset + len));
        }
        const res = Math.abs(data.y[n] * inner - f[n]);
        const r = res === 0 ? 0 : res / tol[n];
        if (r > ratio) {
          ratio = r;
          where = `sample ${n}, layer ${l}`;
        }
      }
    }
    return { ratio, tags: tags(c), note: where };
  },
};

/**
 * Where a stencil's kinks are seen: the activation pattern of ReLU-type nets, and for relu^p MLPs
 * (φ' continuous, so their evaluations carry no pattern, yet q^(p) jumps at a kink: roundoff.ts
 * centralDifferenceError) the signs of the hidden pre-activations, read off prefix nets: unit k of
 * hidden layer l is the output of the same MLP cut after layer l with row k of W_l (entry k of b_1)
 * as its output layer. undefined for nets without kinks.
 */
export function kinkPattern(c: NetCase): ((theta: Float64Array) => string) | undefined {
  const { net, spec, data } = c;
  if (net.kinked) return (theta) => patternAt(net, theta, data)!.join('');
  if (!isRelupowMlp(spec)) return undefined;
  if (spec.bias?.hidden || spec.bias?.output) throw new Error(`kinkPattern: ${net.name} has biases after the first layer`);
  const view = (name: string) => net.layout.layers.find((l) => l.name === name)!;
  const first = spec.bias?.first ? view('b1') : undefined;
  const cuts = spec.widths.map((_, l) => ({
    cut: buildNet({ kind: 'mlp', inputDim: spec.inputDim, widths: spec.widths.slice(0, l), activation: spec.activation, bias: { first: !!first } }),
    out: view(`W${l + 1}`),
  }));
  return (theta) =>
    cuts
      .map(({ cut, out }, l) => {
        let bits = '';
        for (let k = 0; k < out.rows; k++) {
          const t = new Float64Array(cut.layout.size);
          t.set(theta.subarray(0, out.offset));
          t.set(theta.subarray(out.offset + k * out.cols, out.offset + (k + 1) * out.cols), out.offset);
          if (l === 0 && first) t[out.cols] = theta[first.offset + k];
          for (const z of cut.forward(t, data)) bits += z > 0 ? '1' : '0';
        }
        return bits;
      })
      .join('');
}

const isRelupowMlp = (spec: NetSpec): spec is Extract<NetSpec, { kind: 'mlp' }> =>
  spec.kind === 'mlp' && spec.activation.kind === 'relupow' && spec.widths.length > 0;

/**
 * jvp against central finite differences along a random direction v (‖v‖ = ‖θ‖), skipping cases
 * where the kink pattern (kinkPattern: ReLU activations, relu^p pre-activation signs) differs at
 * θ ± hv — a kink inside the stencil, where no finite-difference estimate is a bound (roundoff.ts
 * centralDifferenceError); counted, not hidden. Truncation is estimated by Richardson:
 * D(h) − D(h/2) ≈ 3·(D(h/2) − f'); round-off of each quotient is e_f/h.
 * Tolerance = 2·(|D(h) − D(h/2)|/3 + 2e_f/h) + the jvp's own e_f-scale error.
 * Also the adjoint identity Σ_n w_n jvp_n(v) = ⟨vjp(w), v⟩ (dot-product round-off, P + N terms).
 */
export const finiteDifferenceProperty: PropertySpec<NetCase> = {
  name: 'gradients: jvp = central differences = vjp adjoint',
  label: 'jvp = central diff. = vjp adjoint',
  // The variants as they stood when the stored replays of this row were recorded; later variants
  // (layernorm) get their own row below, so adding a family never re-deals this row's cases.
  arbitrary: netCase((d) => fc.oneof(homogeneousNetSpec(d), ...Object.values(nonHomogeneousVariants(d)).slice(0, 7)), { maxN: 12, maxD: 6 }),
  describe: describeCase,
  runs: 150,
  required: { 'smooth stencil': 50 },
  check: finiteDifferenceCheck,
};

/**
 * The same check on relu^p MLPs alone (≈ 2 % of the draws above): the kinks of relu^p carry no
 * activation pattern, so this row is where kinkPattern's pre-activation signs are exercised —
 * planted zeros put kinks inside the stencil, which must be seen and skipped.
 */
export const finiteDifferenceRelupowProperty: PropertySpec<NetCase> = {
  name: 'gradients on relu^p MLPs: jvp = central differences = vjp adjoint, kinks seen by pre-activation signs',
  label: 'jvp = central diff. = vjp (relu^p)',
  arbitrary: netCase((d) => homogeneousMlpSpec(d).filter(isRelupowMlp), { maxN: 12, maxD: 6, zeroRate: 0.3 }),
  describe: describeCase,
  runs: 100,
  required: { 'smooth stencil': 50, 'kink in stencil': 6 },
  check: finiteDifferenceCheck,
};

/** The same check on the LayerNorm net (a smooth normalization layer between ReLU layers, THEORY §10). */
export const finiteDifferenceLayerNormProperty: PropertySpec<NetCase> = {
  name: 'gradients on LayerNorm nets: jvp = central differences = vjp adjoint',
  label: 'jvp = central diff. = vjp (LN)',
  arbitrary: netCase((d) => nonHomogeneousVariants(d).layernorm, { maxN: 12, maxD: 6 }),
  describe: describeCase,
  runs: 40,
  required: { 'smooth stencil': 20 },
  check: finiteDifferenceCheck,
};

function finiteDifferenceCheck(c: NetCase): Check {
  const { net, theta, data } = c;
  const rng = makeRng(c.seed).child('fd');
  const v = rng.fillGaussian(new Float64Array(theta.length));
  const scale = Math.hypot(...theta) / Math.hypot(...v) || 1;
  for (let i = 0; i < v.length; i++) v[i] *= scale;
  const h = 1e-4;
  const shifted = (t: number) => theta.map((x, i) => x + t * v[i]);
  const at = (t: number) => net.margins(shifted(t), data);
  const jvp = jvpAt(net, theta, data, v);
  // Adjoint identity Σ w_n jvp_n(v) = ⟨vjp(w), v⟩: pure algebra (both use relu'(0) = 0), so it is
  // checked on every case, kinks in the stencil included.
  const w = rng.fillGaussian(new Float64Array(data.n));
  const g = vjpAt(net, theta, data, w, new Float64Array(theta.length));
  const lhs = dot(w, jvp);
  const rhs = dot(g, v);
  const roundoff = roundoffOf(c.spec);
  const adjTol = roundoff.adjointTolerance(net, theta, data, w, v);
  const adj = Math.abs(lhs - rhs) === 0 ? 0 : Math.abs(lhs - rhs) / adjTol;
  // Central differences need a smooth stencil: across a kink they lose an order (THEORY §6).
  const pattern = kinkPattern(c);
  if (pattern) {
    const p0 = pattern(shifted(0));
    if (p0 !== pattern(shifted(h)) || p0 !== pattern(shifted(-h))) return { ratio: adj, tags: ['kink in stencil'], note: `adjoint ${adj}` };
  }
  const d1 = at(h).map((q, n) => (q - at(-h)[n]) / (2 * h));
  const d2 = at(h / 2).map((q, n) => (q - at(-h / 2)[n]) / h);
  const ef = roundoff.stencilError(net, theta, data, v, h);
  const efJvp = roundoff.jvpError(net, theta, data, v, jvp);
  const res = jvp.map((j, n) => Math.abs(j - d2[n]));
  const tol = res.map((_, n) => 2 * (centralDifferenceError(d1[n], d2[n]) + (2 * ef[n]) / h) + efJvp[n] / Math.min(1, scale));
  const fd = maxRatio(res, tol);
  return { ratio: Math.max(fd.ratio, adj), tags: ['smooth stencil'], note: `fd ${fd.ratio}, adjoint ${adj}` };
}

/** Tiny bias-free MLPs re-evaluated in 64-digit BigNumber: forward and Euler residual agree. */
export const extendedPrecisionProperty: PropertySpec<NetCase> = {
  name: 'extended precision: float64 forward and Euler = BigNumber',
  label: 'float64 = BigNumber (f, Euler)',
  arbitrary: netCase(
    (d) =>
      fc.record({
        widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 2 }),
        activation: fc.constantFrom<Activation>({ kind: 'relu' }, { kind: 'leaky', alpha: 0.1 }, { kind: 'identity' }),
      }).map(({ widths, activation }): NetSpec => ({ kind: 'mlp', inputDim: d, widths, activation })),
    { maxN: 5, maxD: 3 },
  ),
  describe: describeCase,
  runs: 60,
  required: { 'planted zeros': 3 },
  check(c) {
    const { net, theta, data } = c;
    const spec = c.spec as Extract<NetSpec, { kind: 'mlp' }>;
    const big = bigMlp(theta, [spec.inputDim, ...spec.widths, 1], spec.activation, data);
    const f = net.forward(theta, data);
    const ef = forwardErrorBound(net, theta, data);
    // The float64 value of the BigNumber result is itself rounded once: add ε·|f|.
    const fwd = maxRatio(f.map((v, n) => Math.abs(v - big.f[n])), ef.map((e, n) => e + EPS * Math.abs(big.f[n])));
    const res = eulerResiduals(net, theta, data);
    const tol = eulerTolerance(net, theta, data);
    const eul = maxRatio(res.map((r, n) => Math.abs(r - Math.abs(big.euler[n]))), tol);
    return { ratio: Math.max(fwd.ratio, eul.ratio), tags: tags(c), note: `forward ${fwd.ratio}, Euler ${eul.ratio}` };
  },
};

/**
 * The LayerNorm round-off bounds (roundoff-layernorm.ts) against a 64-digit BigNumber re-evaluation:
 * the float64 forward, jvp and per-sample gradients (paired with a random tangent) lie within their
 * derived bounds of the exact values. Coverage counts the cases where the magnitude-net bounds of roundoff.ts (which do not hold
 * for LayerNorm) fall below the actual error, i.e. where the derivation through the normalization
 * is what keeps the bound valid.
 */
export const layerNormExtendedPrecisionProperty: PropertySpec<NetCase> = {
  name: 'extended precision: LayerNorm float64 forward, jvp and gradients = BigNumber within the derived bounds',
  label: 'LN f, jvp, ∇ = BigNumber',
  arbitrary: netCase((d) => nonHomogeneousVariants(d).layernorm, { maxN: 6, maxD: 5, zeroRate: 0.3 }),
  describe: describeCase,
  runs: 60,
  required: { 'planted zeros': 10, 'magnitude net below the error': 5 },
  check(c) {
    const { net, theta, data } = c;
    const v = makeRng(c.seed).child('tangent').fillGaussian(new Float64Array(theta.length));
    const width = (c.spec as Extract<NetSpec, { kind: 'layernorm' }>).width;
    const big = bigLayerNorm(theta, width, LAYERNORM_EPS, data, v);
    const f = net.forward(theta, data);
    const jvp = jvpAt(net, theta, data, v);
    const errF = f.map((x, n) => Math.abs(x - big.f[n]));
    const errJ = jvp.map((x, n) => Math.abs(x - big.jvp[n]));
    // The float64 values of the BigNumber results are themselves rounded once: add ε·|exact|.
    const fwd = maxRatio(errF, layerNormForwardError(net, theta, data).map((e, n) => e + EPS * Math.abs(big.f[n])));
    const tan = maxRatio(errJ, layerNormJvpError(net, theta, data, v).map((e, n) => e + EPS * Math.abs(big.jvp[n])));
    // The vjp side: each per-sample gradient paired with v is the same exact derivative.
    const p = theta.length;
    const grads = net.perSampleGrads(theta, data);
    const errG = big.jvp.map((x, n) => Math.abs(dot(grads.subarray(n * p, (n + 1) * p), v) - x));
    const grad = maxRatio(errG, layerNormGradientPairingError(net, theta, data, v).map((e, n) => e + EPS * Math.abs(big.jvp[n])));
    const old = [forwardErrorBound(net, theta, data), forwardErrorBound(net, theta, data).map((e, n) => e + EPS * Math.abs(jvp[n]))];
    const t = c.zeros > 0 ? ['planted zeros'] : [];
    if (errF.some((e, n) => e > old[0][n]) || errJ.some((e, n) => e > old[1][n])) t.push('magnitude net below the error');
    return { ratio: Math.max(fwd.ratio, tan.ratio, grad.ratio), tags: t, note: `forward ${fwd.ratio}, jvp ${tan.ratio}, gradient ${grad.ratio}` };
  },
};

/**
 * Must-find: for each non-homogeneous variant, fast-check finds (and shrinks) a case whose Euler
 * residual |⟨θ, ∇f⟩ − L f| exceeds its round-off tolerance for every candidate L in 1..4 — i.e. no
 * degree makes the identity hold.
 */
export function nonHomogeneousMustFind(variant: string): PropertySpec<NetCase> {
  return {
    name: `must-find: Euler fails for ${variant}`,
    label: `Euler fails: ${variant}`,
    arbitrary: netCase((d) => nonHomogeneousVariants(d)[variant], { maxN: 10, maxD: 5 }),
    describe: describeCase,
    runs: 100,
    mustFind: true,
    check(c) {
      const { net, theta, data } = c;
      const tolerance = roundoffOf(c.spec).eulerTolerance;
      let best = Infinity;
      for (let L = 1; L <= 4; L++) {
        const { ratio } = maxRatio(eulerResiduals(net, theta, data, L), tolerance(net, theta, data, L));
        best = Math.min(best, ratio);
      }
      // Must-find semantics: ratio > 1 means "this case breaks the identity for every L".
      return { ratio: best, note: `Euler residual ≥ ${best.toExponential(2)} × tolerance for every L ∈ 1..4` };
    },
  };
}

/** The non-homogeneous families by CLI name (`margincheck list`). */
export const NON_HOMOGENEOUS_VARIANTS = Object.keys(nonHomogeneousVariants(1));

export const HOMOGENEITY_PROPERTIES: readonly PropertySpec<any>[] = [
  scalingProperty,
  gradientScalingProperty,
  eulerProperty,
  layerEulerProperty,
  finiteDifferenceProperty,
  finiteDifferenceRelupowProperty,
  finiteDifferenceLayerNormProperty,
  extendedPrecisionProperty,
  layerNormExtendedPrecisionProperty,
  ...NON_HOMOGENEOUS_VARIANTS.map(nonHomogeneousMustFind),
];
