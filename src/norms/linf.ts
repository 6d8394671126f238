/**
 * ℓ∞ norm; dual ℓ1; steepest direction = sign descent, u = sign(g) with sign(0) = 0 (THEORY §3).
 * U(g) = {u : u_i = sign(g_i) where g_i ≠ 0, u_i ∈ [−1, 1] where g_i = 0}, so 0 is a valid choice
 * at zeros and ‖u‖_∞ = 1 whenever g ≠ 0. No tolerance: only exact zeros map to 0.
 */
import { norm1, normInf } from '../core/vec.js';
import { signInto, unitCoordinateInto } from './directions.js';
import { normFromKernel, type NormKernel } from './kernel.js';

export const linfKernel: NormKernel = {
  value: normInf,
  dual: norm1,
  steepest(g, out) {
    signInto(g, out);
    return norm1(g);
  },
  valueSubgrad(x, out) {
    // ∂‖x‖_∞ ∋ sign(x_i) e_i at a maximal |x_i| (lowest index under TIE_RTOL).
    unitCoordinateInto(x, out);
    return normInf(x);
  },
};

export const linfNorm = normFromKernel('linf', 'ℓ∞', linfKernel);
