/**
 * ℓp norm for 1 < p < ∞; dual ℓq with 1/p + 1/q = 1 (THEORY §2). The steepest direction is
 * u = sign(g) ⊙ (|g|/‖g‖_q)^{q−1}, unique (ℓp is strictly convex), so there are no ties.
 */
import { InputError } from '../core/errors.js';
import type { Norm } from '../core/types.js';
import { normInf } from '../core/vec.js';
import { normFromKernel, type NormKernel } from './kernel.js';


/** ‖x‖_r = m·(Σ (|x_i|/m)^r)^{1/r}, m = max|x_i|: no power overflows even for |x_i| ~ 1e150. */
function lrNorm(x: Float64Array, r: number): number {
  const m = normInf(x);
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (Math.abs(x[i]) / m) ** r;
  return m * s ** (1 / r);
}

/**
 * Writes sign(x_i)·(|x_i|/‖x‖_r)^{r−1} — the unit vector of the dual ℓ_{r/(r−1)} norm aligned
 * with x — and returns ‖x‖_r. Every base is ≤ 1, so nothing overflows.
 */
function alignedInto(x: Float64Array, r: number, out: Float64Array): number {
  const m = normInf(x);
  if (m === 0) {
    out.fill(0);
    return 0;
  }
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (Math.abs(x[i]) / m) ** r;
  const root = s ** (1 / r); // ‖x‖_r / m ≥ 1
  for (let i = 0; i < x.length; i++) {
    const t = (Math.abs(x[i]) / m / root) ** (r - 1);
    out[i] = x[i] > 0 ? t : x[i] < 0 ? -t : 0;
  }
  return m * root;
}

export function lpKernel(p: number): NormKernel {
  const q = p / (p - 1);
  return {
    value: (x) => lrNorm(x, p),
    dual: (g) => lrNorm(g, q),
    steepest: (g, out) => alignedInto(g, q, out),
    valueSubgrad: (x, out) => alignedInto(x, p, out),
  };
}

export const LP_FAMILY = 'lp:<p> with 1 < p < ∞ (e.g. lp:3; use l1/linf for the endpoints)';

/** The ℓp norm; `name` is what the user wrote (the registry passes `lp:<text>`), for the error line. */
export function makeLpNorm(p: number, name = `lp:${p}`): Norm {
  if (!(Number.isFinite(p) && p > 1)) {
    throw new InputError(`norm = ${JSON.stringify(name)}: p must be a finite number > 1 (valid: ${LP_FAMILY})`);
  }
  return normFromKernel(`lp:${p}`, `ℓ${p}`, lpKernel(p));
}
