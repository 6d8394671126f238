/**
 * Round-off bounds for network evaluations by an engine of unit round-off u (DESIGN.md "Verdicts and
 * tolerances"). u comes from the engine (EngineInfo.unitRoundoff): 2^−53 for the float64 reference,
 * 2^−24 for tfjs (float32).
 *
 * Standard dot-product analysis: fl(Σ_{i≤k} a_i b_i) = Σ a_i b_i + δ with |δ| ≤ γ_k Σ|a_i b_i|,
 * γ_k = k·u/(1 − k·u). Through a network, errors of a layer are carried by |W| like the
 * magnitudes themselves (ReLU-type φ are 1-Lipschitz; z^p multiplies relative errors by p, which
 * compounds to at most the degree L over the depth), so to first order
 *     |fl(f) − f| ≤ L·K·u·F_abs,   K = Σ_layers (fan-in + 1),
 * where F_abs is the same net evaluated on |θ| and |x| (all pre-activations ≥ 0 there, so it is the
 * magnitude majorant of every term).
 *
 * Input rounding. An engine below float64 precision first rounds the float64 θ and x, and an
 * activation constant such as leaky ReLU's α, to its own precision: each becomes v(1 + δ), |δ| ≤ u.
 * f is a sum of path products, each holding L factors of θ (the degree counts relu^p powers), x
 * with degree ≤ L, and α at most once per layer (≤ L times). Each product is perturbed by a relative
 * (1 + u)^{3L} − 1 ≈ 3L·u to first order, and the products' magnitudes sum to F_abs, so
 *     |fl(f) − f| ≤ L·(K + 3ρ)·u·F_abs,   ρ = 1 for such an engine, ρ = 0 for float64 (nothing rounded).
 *
 * Gradients g = Σ_n c_n ∇q_n (vjp), per coordinate. ∂q_n/∂θ_i is a sum of path products without θ_i;
 * its magnitude majorant summed against |c| is G_abs, the vjp of the magnitude net with weights |c|.
 * The forward quantities it reads (activations, φ') carry the forward error L·K·u; back-propagation
 * is a second chain of dot products of lengths out_l plus one product by φ' per layer,
 * Σ (out_l + 1) ≤ K; the weight gradient sums over the N samples (γ_N); input rounding (c's too):
 *     |fl(g) − g| ≤ (L·K + K + N + (3L + 1)·ρ)·u·G_abs.
 * Tangents jvp_n = ⟨∇q_n, v⟩ (forward mode), per sample: majorant J_abs, the jvp of the magnitude net
 * along |v|. Forward quantities L·K·u; the tangent chain dZ_l = A_{l−1}·dW_lᵀ + dA_{l−1}·W_lᵀ + db_l,
 * dA_l = φ'(Z_l) ⊙ dZ_l is two dot products of length in_l, two additions and one product per layer
 * (≤ 3K in all); input rounding (v's too):
 *     |fl(jvp) − jvp| ≤ (L·K + 3K + (3L + 1)·ρ)·u·J_abs.
 *
 * We use ε = 2u in place of u: the factor 2 covers the second-order terms (L·K·u < 1e-3 for float32 at
 * the sizes the properties generate) and the k·u < 1 denominators. The bounds are relative to
 * magnitudes, so they assume no underflow or overflow: `inNormalRange` says when that holds.
 *
 * The magnitude net is a majorant only for nets built from operations with non-negative
 * coefficients (matrix products, sums, ReLU-type φ): a LayerNorm subtracts its mean, so at |θ|, |x|
 * it cancels the magnitudes instead of adding them. LayerNorm nets have their own bounds
 * (roundoff-layernorm.ts); `roundoffOf` (roundoff-kinds.ts) picks the bounds of a spec's kind.
 */
import type { Dataset, EngineInfo, Net } from '../src/core/types.js';
import { withEvaluation } from '../src/engines/index.js';

/** ε of the float64 reference (= epsilon(F64_INFO)); properties about float64 arithmetic use it directly. */
export const EPS = Number.EPSILON;

/** ε = 2u for the engine's arithmetic (see header). */
export function epsilon(engine: EngineInfo): number {
  return 2 * engine.unitRoundoff;
}

/** ρ of the header: 1 when the engine rounds the float64 θ, x (and α, c, v) on the way in. */
export function roundsInputs(engine: EngineInfo): 0 | 1 {
  return engine.unitRoundoff > 2 ** -53 ? 1 : 0;
}

/** K = Σ over parameter blocks of (fan-in + 1): the summed dot-product length along a path. */
export function pathDotLength(net: Net): number {
  return net.layout.layers.reduce((k, l) => k + l.cols + 1, 0);
}

export function absData(data: Dataset): Dataset {
  return { n: data.n, d: data.d, x: data.x.map(Math.abs), y: new Float64Array(data.n).fill(1) };
}

export function absTheta(theta: Float64Array): Float64Array {
  return theta.map(Math.abs);
}

export function depthOf(net: Net): number {
  return net.layout.layers.filter((l) => l.kind === 'matrix').length || net.layout.layers.length;
}

/** The degree L used by the bounds (L ≥ 1 also stands in for depth when the net is not homogeneous). */
const degreeOf = (net: Net): number => net.degree ?? depthOf(net);

/** F_abs per sample: the magnitude majorant of f (see header). */
export function forwardMagnitude(net: Net, theta: Float64Array, data: Dataset): Float64Array {
  return net.forward(absTheta(theta), absData(data));
}

/**
 * Per-sample first-order bound on |fl(f) − f| for `engine`'s arithmetic: L·(K + 3ρ)·ε·F_abs. The
 * magnitudes are evaluated by `net` (pass the float64 net to bound another engine's error).
 */
export function forwardErrorBound(net: Net, theta: Float64Array, data: Dataset, engine: EngineInfo = net.engine, degree = degreeOf(net)): Float64Array {
  const factor = degree * (pathDotLength(net) + 3 * roundsInputs(engine)) * epsilon(engine);
  return forwardMagnitude(net, theta, data).map((m) => factor * m);
}

/** G_abs: the vjp of the magnitude net with weights |c| (see header). */
export function vjpMagnitude(net: Net, theta: Float64Array, data: Dataset, c: Float64Array): Float64Array {
  return withEvaluation(net, absTheta(theta), absData(data), (ev) => ev.vjp(c.map(Math.abs)));
}

/** Per-coordinate first-order bound on |fl(Σ c_n ∇q_n) − Σ c_n ∇q_n|: (L·K + K + N + (3L + 1)ρ)·ε·G_abs. */
export function vjpErrorBound(net: Net, theta: Float64Array, data: Dataset, c: Float64Array, engine: EngineInfo = net.engine): Float64Array {
  const L = degreeOf(net);
  const k = pathDotLength(net);
  const factor = (L * k + k + data.n + (3 * L + 1) * roundsInputs(engine)) * epsilon(engine);
  return vjpMagnitude(net, theta, data, c).map((m) => factor * m);
}

/** J_abs: the jvp of the magnitude net along |v| (see header). */
export function jvpMagnitude(net: Net, theta: Float64Array, data: Dataset, v: Float64Array): Float64Array {
  return withEvaluation(net, absTheta(theta), absData(data), (ev) => ev.jvp(v.map(Math.abs)));
}

/** Per-sample first-order bound on |fl(⟨∇q_n, v⟩) − ⟨∇q_n, v⟩|: (L·K + 3K + (3L + 1)ρ)·ε·J_abs. */
export function jvpErrorBound(net: Net, theta: Float64Array, data: Dataset, v: Float64Array, engine: EngineInfo = net.engine): Float64Array {
  const L = degreeOf(net);
  const k = pathDotLength(net);
  const factor = (L * k + 3 * k + (3 * L + 1) * roundsInputs(engine)) * epsilon(engine);
  return jvpMagnitude(net, theta, data, v).map((m) => factor * m);
}

/**
 * True when every nonzero magnitude lies inside the engine format's normal range with a 2^26 margin
 * on each side ([2^−100, 2^102] for float32), so the relative bounds above apply: a product that
 * underflows inside a dot product whose magnitude m ≥ 2^26·2^emin loses at most 2^(emin−p) ≤ 2^−26·u·m,
 * and sums of at most 2^26 terms ≤ 2^(emax−26) cannot overflow.
 */
export function inNormalRange(engine: EngineInfo, magnitudes: ArrayLike<number>): boolean {
  const [emin, emax] = engine.unitRoundoff > 2 ** -53 ? [-126, 128] : [-1022, 1024];
  const lo = 2 ** (emin + 26);
  const hi = 2 ** (emax - 26);
  for (let i = 0; i < magnitudes.length; i++) {
    const m = magnitudes[i];
    if (m !== 0 && !(m >= lo && m <= hi)) return false;
  }
  return true;
}

/**
 * Truncation error of a central difference D(h) = (q(h) − q(−h))/2h of q(t) = q_n(θ + t·v), estimated
 * from two step sizes (Richardson): on a smooth stencil (q ∈ C³ on [−h, h]) D(h) − q'(0) = C·h² + O(h⁴),
 * so |D(h/2) − q'(0)| ≈ |D(h) − D(h/2)|/3. The callers put a factor 2 on it.
 *
 * This holds only where no kink lies inside the stencil, and the kinks are not only ReLU's. relu^p
 * (p ≥ 2) has a continuous φ' but a jump J in q^(p) wherever a pre-activation crosses 0: a kink at
 * offset s adds (J/p!)(t − s)₊^p to q, so the error loses order (O(h^(p−1))). For p = 2:
 *     E(h) = J·(h − |s|)₊²/(4h),   E(h/2)/|D(h) − D(h/2)| = 2(h/2 − |s|)²/(h²/2 − s²)  (|s| < h/2),
 * which is 3/2 of the order-2 estimate at s = 0 — a planted zero row of W_1 puts the kink exactly
 * there, and the estimate /3 then reads 1.50 × the tolerance (the shrunk counterexample
 * mlp[1-1-1,relu^2], seed 20241029). Re-estimating at order 1 (denominator 2¹ − 1) covers a lone
 * kink exactly (ratio 1 at s = 0) but no two-step, nor three-step, estimate covers a kink beside a
 * smooth term of the opposite sign: with q = (J/2)(t − s)₊² + B·t³ the order-1 estimate vanishes at
 * B·h/J = −2/3 (scanned worst 1550 × the estimate at s = −0.67h; a fit of a·h + b·h² to D(2h), D(h),
 * D(h/2): 16 × at s = −0.54h), and a 16-15 relu^2 net with planted zeros reached 0.90 of its
 * tolerance at order 1 (seed 4, thorough). So a stencil with a kink of any order is skipped and
 * counted, never estimated: relu^p nets get their kinks from the signs of their pre-activations.
 */
export function centralDifferenceError(dH: number, dHalf: number): number {
  return Math.abs(dH - dHalf) / 3;
}
