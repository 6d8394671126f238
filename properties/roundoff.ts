/**
 * Float64 round-off bounds for network evaluations (DESIGN.md "Verdicts and tolerances").
 *
 * Standard dot-product analysis: fl(Σ_{i≤k} a_i b_i) = Σ a_i b_i + δ with |δ| ≤ γ_k Σ|a_i b_i|,
 * γ_k = k·u/(1 − k·u), u = 2^−53. Through a network, errors of a layer are carried by |W| like the
 * magnitudes themselves (ReLU-type φ are 1-Lipschitz; z^p multiplies relative errors by p, which
 * compounds to at most the degree L over the depth), so to first order
 *     |fl(f) − f| ≤ L·K·u·F_abs,   K = Σ_layers (fan-in + 1),
 * where F_abs is the same net evaluated on |θ| and |x| (all pre-activations ≥ 0 there, so it is the
 * magnitude majorant of every term). We use ε = 2u (Number.EPSILON) in place of u: the factor 2
 * covers the second-order terms and the k·u < 1e-10 denominators.
 */
import type { Dataset, Net } from '../src/core/types.js';

export const EPS = Number.EPSILON;

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

/** F_abs per sample: the magnitude majorant of f (see header). */
export function forwardMagnitude(net: Net, theta: Float64Array, data: Dataset): Float64Array {
  return net.forward(absTheta(theta), absData(data));
}

/** Per-sample first-order bound on |fl(f) − f|: L·K·ε·F_abs (L ≥ 1 also stands in for depth). */
export function forwardErrorBound(net: Net, theta: Float64Array, data: Dataset, degree = net.degree ?? depthOf(net)): Float64Array {
  const k = pathDotLength(net);
  return forwardMagnitude(net, theta, data).map((m) => degree * k * EPS * m);
}

export function depthOf(net: Net): number {
  return net.layout.layers.filter((l) => l.kind === 'matrix').length || net.layout.layers.length;
}
