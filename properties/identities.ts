/**
 * The homogeneity identities of THEORY §6 as (residual, tolerance) pairs per sample, with the
 * tolerances of properties/roundoff.ts. Shared by the homogeneity suite and the `toBeHomogeneous`
 * matcher of margincheck/vitest (this module loads no extended-precision code).
 */
import type { Dataset, Net } from '../src/core/types.js';
import { dot } from '../src/core/vec.js';
import { EPS, forwardMagnitude, pathDotLength } from './roundoff.js';

/** The worst residual/tolerance ratio and where it is (a zero residual is exact agreement, ratio 0). NaN counts as worst. */
export function maxRatio(num: ArrayLike<number>, den: ArrayLike<number>): { ratio: number; at: number } {
  let ratio = 0;
  let at = -1;
  for (let i = 0; i < num.length; i++) {
    const r = num[i] === 0 ? 0 : num[i] / den[i];
    if (!(r <= ratio)) {
      ratio = r;
      at = i;
    }
  }
  return { ratio, at };
}

export interface Residuals {
  readonly residual: Float64Array;
  readonly tolerance: Float64Array;
}

/** f(cθ) = c^L f(θ). Tolerance: both evaluations (L·K·ε·c^L·F_abs each) + rounding of cθ and c^L. */
export function scalingResiduals(net: Net, theta: Float64Array, data: Dataset, c: number, degree: number): Residuals {
  const f = net.forward(theta, data);
  const fc = net.forward(theta.map((t) => c * t), data);
  const cl = c ** degree;
  const k = pathDotLength(net);
  return {
    residual: f.map((v, i) => Math.abs(fc[i] - cl * v)),
    tolerance: forwardMagnitude(net, theta, data).map((m) => (2 * degree * k + degree + 1) * EPS * cl * m),
  };
}

/** Euler ⟨θ, ∇f_n⟩ = L f_n per sample (relu'(0) = 0): |y_n⟨θ, ∇q_n⟩ − L f_n|. */
export function eulerResiduals(net: Net, theta: Float64Array, data: Dataset, degree = net.degree ?? 1): Float64Array {
  const grads = net.perSampleGrads(theta, data);
  const f = net.forward(theta, data);
  const p = theta.length;
  return f.map((fn, n) => Math.abs(data.y[n] * dot(theta, grads.subarray(n * p, (n + 1) * p)) - degree * fn));
}

/**
 * Euler tolerance (roundoff.ts): the gradient error 2LKε·G_abs summed against |θ| gives
 * 2LKε⟨|θ|, G_abs⟩ = 2L²Kε·F_abs (Euler on the magnitude net), the P-term inner product adds
 * Pε·L·F_abs, and L·e_f for the right side: (3LK + P)·L·ε·F_abs.
 */
export function eulerTolerance(net: Net, theta: Float64Array, data: Dataset, degree = net.degree ?? 1): Float64Array {
  const k = pathDotLength(net);
  return forwardMagnitude(net, theta, data).map((m) => (3 * degree * k + theta.length) * degree * EPS * m);
}
