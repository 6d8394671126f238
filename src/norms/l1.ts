/** ℓ1 norm; dual ℓ∞; steepest direction = coordinate descent (THEORY §3, ties: directions.ts). */
import { norm1, normInf } from '../core/vec.js';
import { signInto, unitCoordinateInto } from './directions.js';
import { normFromKernel, type NormKernel } from './kernel.js';

export const l1Kernel: NormKernel = {
  value: norm1,
  dual: normInf,
  steepest(g, out) {
    return unitCoordinateInto(g, out) < 0 ? 0 : normInf(g);
  },
  valueSubgrad(x, out) {
    signInto(x, out); // ∂|0| = [−1, 1] ∋ 0
    return norm1(x);
  },
};

export const l1Norm = normFromKernel('l1', 'ℓ1', l1Kernel);
