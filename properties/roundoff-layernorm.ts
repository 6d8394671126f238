/**
 * Round-off bounds for the LayerNorm net (src/nets/layernorm.ts), THEORY §9. The magnitude net of
 * roundoff.ts (the net at |θ|, |x|) bounds nothing here: LayerNorm subtracts the mean and divides by
 * √(var + ε_LN), so at |θ|, |x| it centres the magnitudes away (ẑ = 0 when the rows of |W||x| agree)
 * instead of adding them up. Instead, absolute values are propagated through the actual computation:
 * every subtraction becomes an addition of absolute values, every factor its absolute value, and
 * the forward values ẑ, r, a are those of the float64 forward pass (recomputed here in the kernel's
 * order, so they are the kernel's values). u stands for ε = 2u as in roundoff.ts (first order; the
 * factor 2 covers second-order terms). Per sample (h hidden units, d inputs, A = {j : a_j > 0}):
 *
 * Forward error (δ· = bound on |computed − exact|):
 *   z_j = Σ_k W_jk x_k, d-term dot product:          δz_j = d·u·Z_j,  Z_j = Σ_k |W_jk||x_k|
 *   μ = (Σ_j z_j)/h, h − 1 additions and a division:   δμ = mean δz + h·u·mean Z
 *   c_j = z_j − μ (one subtraction):                   δc_j = δz_j + δμ + u|c_j|
 *   V = Σc²/h + ε_LN (h products, h − 1 additions, /h, +ε_LN: (h + 2)·u relative on V ≥ mean c²):
 *                                                       δV = 2·mean(|c| δc) + (h + 2)·u·V
 *   r = 1/√V (√ and division):                          δr/r = δV/(2V) + 2u
 *   ẑ_j = c_j·r (one product):                          δẑ_j = r·δc_j + |ẑ_j|(δr/r + u)
 *   a_j = g_j ẑ_j + b_j (product, addition):            δa_j = |g_j| δẑ_j + 2u|g_j ẑ_j| + u|b_j|
 *   f = Σ_A v_j a_j (|A| products and additions; relu is 1-Lipschitz, so a unit whose sign is in
 *   doubt, |a_j| < δa_j, adds |v_j| δa_j too):       δf = Σ_{A ∪ doubt} |v_j| δa_j + |A|·u·Σ_A |v_j a_j|
 *
 * Tangent magnitude J along a tangent V = (V_W, v_g, v_b, v_v) (every factor of the jvp in absolute value):
 *   |dz_j| ≤ Σ_k |V_W,jk||x_k|,  |dc_j| ≤ |dz_j| + mean|dz|,  |dot| ≤ mean(|ẑ||dc|),
 *   |dẑ_j| ≤ r(|dc_j| + |ẑ_j||dot|),  |da_j| ≤ |v_g,j||ẑ_j| + |g_j||dẑ_j| + |v_b,j|,
 *   J = Σ_A |v_v,j||a_j| + |v_j||da_j|: the sum of the magnitudes of all the terms the jvp adds up.
 * Rounding steps along the longest chain of the jvp kernel: dz (d), mean (h), dc (1), dot (h + 1),
 * dẑ (3), da (3), df (h + 1) — d + 3h + 9 — so the jvp's own rounding is (d + 3h + 9)·u·J. The jvp
 * also reads the forward values: their errors δẑ, δr, δa move it by
 *   S = Σ_A |v_v,j| δa_j + |v_j|(|v_g,j| δẑ_j + |g_j| δdẑ_j),
 *   δdẑ_j = δr(|dc_j| + |ẑ_j||dot|) + r(δẑ_j |dot| + |ẑ_j|·mean(δẑ |dc|)),
 * and a unit in doubt may take the other relu branch: + |v_v,j||a_j| + |v_j||da_j|.
 *
 * Gradients. A per-sample gradient (one-sample vjp) paired with V: the vjp kernel's chain (da 1, dẑ 1,
 * dot h + 1, dz 3, dz·x 1) is h + 7, then P terms; the vjp reads the same forward values through
 * r(P − ẑẑᵀ/h), whose first-order sensitivity to δẑ, δr, δa is dominated, term by term, by the
 * jvp's S above (|dc| ≥ |dz|), so |computed − exact| ≤ (h + 7 + P)·u·J + S + branch (J, S along V).
 *
 * Adjoint identity Σ_n w_n jvp_n(V) = ⟨vjp(w), V⟩. Both sides share the computed ẑ, r, a (the same
 * forward pass), so their forward errors cancel but for one: the jvp applies r(I − ẑẑᵀ/h)P (P the
 * centring), whose transpose is r(P − Pẑẑᵀ/h), while the vjp applies r(P − ẑẑᵀ/h); they agree only
 * when Σ_j ẑ_j = 0, which the computed ẑ satisfies up to |Σ ẑ| ≤ u(h·r·Σ Z + 2Σ|ẑ|) (mean: h·u·ΣZ;
 * subtraction and product by r: 2u|ẑ_j|). The gap is r·(Σ_A |v_j g_j ẑ_j|/h)·|Σ ẑ|·mean|dz| per
 * unit |w_n|. Rounding: the jvp chain d + 3h + 9 plus the N-term Σ w_n jvp_n; the vjp kernel's chain
 * (da 1, dẑ 1, dot h + 1, dz 3, out_W += dz·x over the N samples N) is h + N + 6, then ⟨·, V⟩ has P
 * terms; the terms of both sides are dominated by those of J (the vjp expands r(P − ẑẑᵀ/h), a
 * sub-sum of the jvp's r(I − ẑẑᵀ/h)P in absolute value), so
 *   |lhs − rhs| ≤ (d + 4h + 2N + P + 15)·u·Σ_n |w_n| J_n + Σ_n |w_n|·gap_n.
 *
 * LayerNorm nets exist on the float64 engine only (nothing of θ, x or ε_LN is rounded on the way in).
 */
import type { Dataset, EngineInfo, Net } from '../src/core/types.js';
import { LAYERNORM_EPS } from '../src/nets/layernorm.js';

/** Parameter offsets of layerNormNet: W (h × d), g, b, v (h each). */
interface Shape {
  readonly d: number;
  readonly h: number;
  readonly oG: number;
  readonly oB: number;
  readonly oV: number;
}

function shapeOf(net: Net): Shape {
  const [w, g, b, v] = net.layout.layers;
  if (net.layout.layers.length !== 4 || w.name !== 'W1' || g.name !== 'g' || b.name !== 'b1' || v.name !== 'v') {
    throw new Error(`layerNormRoundoff: ${net.name} is not a LayerNorm net`);
  }
  return { d: w.cols, h: w.rows, oG: g.offset, oB: b.offset, oV: v.offset };
}

/** ε = 2u of roundoff.ts, for the float64 engine (the only one that builds LayerNorm nets). */
function unitRoundoffOf(engine: EngineInfo): number {
  if (engine.unitRoundoff > 2 ** -53) throw new Error(`layerNormRoundoff: LayerNorm nets run on the float64 engine only (got ${engine.name})`);
  return 2 * engine.unitRoundoff;
}

const mean = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length;

/** One sample's forward values (as the kernel computes them) and their error bounds. */
interface SampleForward {
  readonly Z: Float64Array;
  readonly zhat: Float64Array;
  readonly a: Float64Array;
  readonly r: number;
  /** Bounds on |computed − exact| of ẑ, r (relative) and a. */
  readonly dZhat: Float64Array;
  readonly relR: number;
  readonly dA: Float64Array;
}

function sampleForward(s: Shape, theta: Float64Array, x: Float64Array, u: number): SampleForward {
  const { d, h, oG, oB } = s;
  const Z = new Float64Array(h);
  const z = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    for (let k = 0; k < d; k++) {
      z[j] += theta[j * d + k] * x[k];
      Z[j] += Math.abs(theta[j * d + k] * x[k]);
    }
  }
  let mu = 0;
  for (let j = 0; j < h; j++) mu += z[j];
  mu /= h;
  const c = z.map((zj) => zj - mu);
  let sq = 0;
  for (let j = 0; j < h; j++) sq += c[j] * c[j];
  const V = sq / h + LAYERNORM_EPS;
  const r = 1 / Math.sqrt(V);
  const zhat = c.map((cj) => cj * r);
  const a = zhat.map((zj, j) => theta[oG + j] * zj + theta[oB + j]);

  const dz = Z.map((m) => d * u * m);
  const dMu = mean(dz) + h * u * mean(Z);
  const dc = c.map((cj, j) => dz[j] + dMu + u * Math.abs(cj));
  const dV = 2 * mean(c.map((cj, j) => Math.abs(cj) * dc[j])) + (h + 2) * u * V;
  const relR = dV / (2 * V) + 2 * u;
  const dZhat = zhat.map((zj, j) => r * dc[j] + Math.abs(zj) * (relR + u));
  const dA = zhat.map((zj, j) => Math.abs(theta[oG + j]) * dZhat[j] + 2 * u * Math.abs(theta[oG + j] * zj) + u * Math.abs(theta[oB + j]));
  return { Z, zhat, a, r, dZhat, relR, dA };
}

const inDoubt = (f: SampleForward, j: number): boolean => Math.abs(f.a[j]) < f.dA[j];

const sampleOf = (data: Dataset, i: number): Float64Array => data.x.subarray(i * data.d, (i + 1) * data.d);

/** Per sample: bound on |computed f_n − f_n| (header, "Forward error"). */
export function layerNormForwardError(net: Net, theta: Float64Array, data: Dataset, engine: EngineInfo = net.engine): Float64Array {
  const s = shapeOf(net);
  const u = unitRoundoffOf(engine);
  return Float64Array.from({ length: data.n }, (_, i) => {
    const f = sampleForward(s, theta, sampleOf(data, i), u);
    let prop = 0;
    let active = 0;
    let terms = 0;
    for (let j = 0; j < s.h; j++) {
      const vj = Math.abs(theta[s.oV + j]);
      if (f.a[j] > 0 || inDoubt(f, j)) prop += vj * f.dA[j];
      if (f.a[j] > 0) {
        active++;
        terms += vj * f.a[j];
      }
    }
    return prop + active * u * terms;
  });
}

/**
 * Per sample: bound on the error of q_n at each point θ̂_t = fl(θ + t·V), t ∈ {±step, ±step/2}, of a
 * central-difference stencil, against q_n(θ + t·V): the forward error there plus the move of θ̂_t
 * (|θ̂_t − θ − tV| ≤ u(|θ̂_t| + |tV|) per coordinate) times the tangent magnitude along it.
 */
export function layerNormStencilError(net: Net, theta: Float64Array, data: Dataset, vec: Float64Array, step: number): Float64Array {
  const s = shapeOf(net);
  const u = unitRoundoffOf(net.engine);
  const worst = new Float64Array(data.n);
  for (const t of [step, -step, step / 2, -step / 2]) {
    const shifted = theta.map((x, i) => x + t * vec[i]);
    const move = shifted.map((x, i) => u * (Math.abs(x) + Math.abs(t * vec[i])));
    const fwd = layerNormForwardError(net, shifted, data);
    for (let i = 0; i < data.n; i++) {
      const x = sampleOf(data, i);
      const f = sampleForward(s, shifted, x, u);
      const e = fwd[i] + tangentSum(s, f, sampleTangent(s, f, shifted, x, move), shifted, move, (j) => f.a[j] > 0 || inDoubt(f, j));
      worst[i] = Math.max(worst[i], e);
    }
  }
  return worst;
}

/** The tangent magnitudes of one sample along V (header, "Tangent magnitude"). */
interface SampleTangent {
  readonly dc: Float64Array;
  readonly meanDz: number;
  readonly dot: number;
  readonly da: Float64Array;
}

function sampleTangent(s: Shape, f: SampleForward, theta: Float64Array, x: Float64Array, vec: Float64Array): SampleTangent {
  const { d, h, oG, oB } = s;
  const dz = new Float64Array(h);
  for (let j = 0; j < h; j++) for (let k = 0; k < d; k++) dz[j] += Math.abs(vec[j * d + k] * x[k]);
  const meanDz = mean(dz);
  const dc = dz.map((m) => m + meanDz);
  const dot = mean(dc.map((m, j) => Math.abs(f.zhat[j]) * m));
  const da = dc.map((m, j) => {
    const dzhat = f.r * (m + Math.abs(f.zhat[j]) * dot);
    return Math.abs(vec[oG + j] * f.zhat[j]) + Math.abs(theta[oG + j]) * dzhat + Math.abs(vec[oB + j]);
  });
  return { dc, meanDz, dot, da };
}

/** J of one sample: Σ over the units in `units` of |v_v,j||a_j| + |v_j||da_j|. */
function tangentSum(s: Shape, f: SampleForward, t: SampleTangent, theta: Float64Array, vec: Float64Array, units: (j: number) => boolean): number {
  let m = 0;
  for (let j = 0; j < s.h; j++) if (units(j)) m += Math.abs(vec[s.oV + j] * f.a[j]) + Math.abs(theta[s.oV + j]) * t.da[j];
  return m;
}

/**
 * One sample's tangent magnitude J along V and the parts of the error bound that do not depend on
 * the kernel's chain: the forward values' errors S and the relu branch of the units in doubt (header).
 */
function tangentError(s: Shape, theta: Float64Array, x: Float64Array, vec: Float64Array, u: number): { J: number; sens: number; branch: number; fwd: SampleForward } {
  const f = sampleForward(s, theta, x, u);
  const t = sampleTangent(s, f, theta, x, vec);
  const spread = mean(f.dZhat.map((e, j) => e * t.dc[j]));
  let sens = 0;
  for (let j = 0; j < s.h; j++) {
    if (!(f.a[j] > 0)) continue;
    const absZ = Math.abs(f.zhat[j]);
    const dDzhat = f.relR * f.r * (t.dc[j] + absZ * t.dot) + f.r * (f.dZhat[j] * t.dot + absZ * spread);
    sens += Math.abs(vec[s.oV + j]) * f.dA[j] + Math.abs(theta[s.oV + j]) * (Math.abs(vec[s.oG + j]) * f.dZhat[j] + Math.abs(theta[s.oG + j]) * dDzhat);
  }
  return {
    J: tangentSum(s, f, t, theta, vec, (j) => f.a[j] > 0),
    sens,
    branch: tangentSum(s, f, t, theta, vec, (j) => inDoubt(f, j)),
    fwd: f,
  };
}

/** Per sample: bound on |computed jvp_n − ⟨∇q_n, V⟩| (header: own rounding d + 3h + 9, forward values, relu branch). */
export function layerNormJvpError(net: Net, theta: Float64Array, data: Dataset, vec: Float64Array, engine: EngineInfo = net.engine): Float64Array {
  const s = shapeOf(net);
  const u = unitRoundoffOf(engine);
  return Float64Array.from({ length: data.n }, (_, i) => {
    const { J, sens, branch } = tangentError(s, theta, sampleOf(data, i), vec, u);
    return (s.d + 3 * s.h + 9) * u * J + sens + branch;
  });
}

/**
 * Per sample: bound on |computed y_n⟨V, ∇q_n⟩ − exact|, the per-sample gradient (a one-sample vjp)
 * paired with V in a P-term dot product (header, "Gradients").
 */
export function layerNormGradientPairingError(net: Net, theta: Float64Array, data: Dataset, vec: Float64Array): Float64Array {
  const s = shapeOf(net);
  const u = unitRoundoffOf(net.engine);
  return Float64Array.from({ length: data.n }, (_, i) => {
    const { J, sens, branch } = tangentError(s, theta, sampleOf(data, i), vec, u);
    return (s.h + 7 + theta.length) * u * J + sens + branch;
  });
}

/**
 * Per sample: tolerance of the Euler residual |y_n⟨θ, ∇q_n⟩ − L·f_n| (identities.ts) for a LayerNorm
 * net: the gradient pairing along θ, L times the forward error, and the rounding of L·f and of the
 * subtraction (u·L|f| + u(|⟨θ, ∇q_n⟩| + L|f|), |⟨θ, ∇q_n⟩| ≤ J along θ).
 */
export function layerNormEulerTolerance(net: Net, theta: Float64Array, data: Dataset, degree: number): Float64Array {
  const s = shapeOf(net);
  const u = unitRoundoffOf(net.engine);
  const fwd = layerNormForwardError(net, theta, data);
  return Float64Array.from({ length: data.n }, (_, i) => {
    const { J, sens, branch, fwd: f } = tangentError(s, theta, sampleOf(data, i), theta, u);
    let fn = 0;
    for (let j = 0; j < s.h; j++) if (f.a[j] > 0) fn += Math.abs(theta[s.oV + j] * f.a[j]);
    return (s.h + 8 + theta.length) * u * J + sens + branch + degree * fwd[i] + 2 * u * degree * fn;
  });
}

/** Bound on |Σ_n w_n jvp_n(V) − ⟨vjp(w), V⟩| as the kernels and two dot products compute it (header). */
export function layerNormAdjointTolerance(net: Net, theta: Float64Array, data: Dataset, w: Float64Array, vec: Float64Array): number {
  const s = shapeOf(net);
  const u = unitRoundoffOf(net.engine);
  let terms = 0;
  let gap = 0;
  for (let i = 0; i < data.n; i++) {
    const x = sampleOf(data, i);
    const f = sampleForward(s, theta, x, u);
    const t = sampleTangent(s, f, theta, x, vec);
    const J = tangentSum(s, f, t, theta, vec, (j) => f.a[j] > 0);
    let vgz = 0;
    for (let j = 0; j < s.h; j++) if (f.a[j] > 0) vgz += Math.abs(theta[s.oV + j] * theta[s.oG + j] * f.zhat[j]);
    const zhatSum = u * (s.h * f.r * f.Z.reduce((acc, m) => acc + m, 0) + 2 * f.zhat.reduce((acc, m) => acc + Math.abs(m), 0));
    terms += Math.abs(w[i]) * J;
    gap += Math.abs(w[i]) * f.r * (vgz / s.h) * zhatSum * t.meanDz;
  }
  return (s.d + 4 * s.h + 2 * data.n + theta.length + 15) * u * terms + gap;
}
