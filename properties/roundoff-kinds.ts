/**
 * The round-off bounds of each architecture (THEORY §9), picked by the spec's kind: the magnitude-net
 * bounds of roundoff.ts hold for nets built from operations with non-negative coefficients (matrix
 * products, sums, ReLU-type φ); a LayerNorm subtracts its mean, so LayerNorm nets have bounds derived
 * through the normalization (roundoff-layernorm.ts).
 */
import type { Dataset, Net } from '../src/core/types.js';
import { dot } from '../src/core/vec.js';
import { vjpAt, type NetSpec } from '../src/engines/index.js';
import { eulerTolerance } from './identities.js';
import { absData, absTheta, EPS, forwardErrorBound, pathDotLength } from './roundoff.js';
import {
  layerNormAdjointTolerance,
  layerNormEulerTolerance,
  layerNormJvpError,
  layerNormStencilError,
} from './roundoff-layernorm.js';

/** The float64 round-off bounds the gradient properties (homogeneity.ts) need, per architecture. */
export interface NetRoundoff {
  /** Per sample: bound on the error of q_n at every point θ + t·v, |t| ≤ step, of a central-difference stencil. */
  stencilError(net: Net, theta: Float64Array, data: Dataset, v: Float64Array, step: number): Float64Array;
  /** Per sample: bound on |computed jvp_n − ⟨∇q_n, v⟩| (`jvp` = the computed values). */
  jvpError(net: Net, theta: Float64Array, data: Dataset, v: Float64Array, jvp: Float64Array): Float64Array;
  /** Bound on |Σ_n w_n jvp_n(v) − ⟨vjp(w), v⟩| as computed, the two dot products included. */
  adjointTolerance(net: Net, theta: Float64Array, data: Dataset, w: Float64Array, v: Float64Array): number;
  /** Per sample: tolerance of the Euler residual |y_n⟨θ, ∇q_n⟩ − L·f_n| (identities.ts). */
  eulerTolerance(net: Net, theta: Float64Array, data: Dataset, degree: number): Float64Array;
}

/**
 * Magnitude-net bounds (roundoff.ts header): F_abs is monotone in |θ|, so the stencil's errors are
 * bounded at |θ| + step·|v|; the jvp's error is taken at e_f scale plus its rounding ε|jvp|; the
 * adjoint identity has a gradient (4L·K: a forward and a backward chain on each side) and two dot
 * products (P + N) against ⟨G_abs, |v|⟩ (L = 2 stands in for nets without a degree).
 */
const MAGNITUDE_NET: NetRoundoff = {
  stencilError: (net, theta, data, v, step) => forwardErrorBound(net, theta.map((x, i) => Math.abs(x) + step * Math.abs(v[i])), data),
  jvpError: (net, theta, data, _v, jvp) => forwardErrorBound(net, theta, data).map((e, n) => e + EPS * Math.abs(jvp[n])),
  adjointTolerance(net, theta, data, w, v) {
    const gAbs = vjpAt(net, absTheta(theta), absData(data), w.map(Math.abs), new Float64Array(theta.length));
    return (4 * (net.degree ?? 2) * pathDotLength(net) + theta.length + data.n) * EPS * dot(gAbs, v.map(Math.abs));
  },
  eulerTolerance,
};

const LAYERNORM: NetRoundoff = {
  stencilError: layerNormStencilError,
  jvpError: (net, theta, data, v) => layerNormJvpError(net, theta, data, v),
  adjointTolerance: layerNormAdjointTolerance,
  eulerTolerance: layerNormEulerTolerance,
};

/** The bounds for nets of `spec`'s kind: LayerNorm's own, the magnitude net's for every other kind. */
export function roundoffOf(spec: NetSpec): NetRoundoff {
  return spec.kind === 'layernorm' ? LAYERNORM : MAGNITUDE_NET;
}
