/**
 * Diagonally weighted ℓ2: ‖x‖ = sqrt(Σ w_i x_i²), dual ‖g‖_* = sqrt(Σ g_i²/w_i), steepest
 * u_i = (g_i/w_i)/‖g‖_* (unique, no ties). Registry form `wl2:<w1,...,wP>`, one weight per
 * parameter.
 */
import { InputError } from '../core/errors.js';
import type { Norm } from '../core/types.js';
import { normFromKernel } from './kernel.js';

export const WL2_FAMILY = 'wl2:<w1,...,wP> with one finite weight w_i > 0 per parameter';

/** ‖c ⊙ x‖₂ with the largest |c_i x_i| pulled out (no overflow of the squares). */
function weightedNorm(x: Float64Array, c: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(c[i] * x[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const t = (c[i] * x[i]) / m;
    s += t * t;
  }
  return m * Math.sqrt(s);
}

/** out_i = c_i·(c_i x_i/‖c⊙x‖₂) (every factor in brackets ≤ 1); returns ‖c⊙x‖₂. */
function weightedUnitInto(x: Float64Array, c: Float64Array, out: Float64Array): number {
  const n = weightedNorm(x, c);
  for (let i = 0; i < x.length; i++) out[i] = n === 0 ? 0 : c[i] * ((c[i] * x[i]) / n);
  return n;
}

export function makeWeightedL2Norm(weights: ArrayLike<number>): Norm {
  const bad = Array.from(weights).findIndex((w) => !(Number.isFinite(w) && w > 0));
  if (weights.length === 0 || bad >= 0) {
    const what = weights.length === 0 ? 'no weights' : `weight ${bad + 1} = ${weights[bad]}`;
    throw new InputError(`norm = wl2: ${what} (valid: ${WL2_FAMILY})`);
  }
  const sqrtW = Float64Array.from(weights, Math.sqrt);
  const invSqrtW = Float64Array.from(weights, (w) => 1 / Math.sqrt(w));
  return normFromKernel(`wl2:${Array.from(weights).join(',')}`, 'weighted ℓ2', {
    value: (x) => weightedNorm(x, sqrtW),
    dual: (g) => weightedNorm(g, invSqrtW),
    // u_i = (1/√w_i)·(g_i/√w_i)/‖g‖_*: ‖u‖² = Σ w_i u_i² = 1, ⟨u, g⟩ = Σ g_i²/w_i/‖g‖_* = ‖g‖_*.
    steepest: (g, out) => weightedUnitInto(g, invSqrtW, out),
    // ∇‖x‖ = w ⊙ x/‖x‖.
    valueSubgrad: (x, out) => weightedUnitInto(x, sqrtW, out),
  });
}
