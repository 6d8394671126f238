/** ℓ2 norm, self-dual; steepest direction = g/‖g‖₂ (gradient descent). */
import { norm2 } from '../core/vec.js';
import { normFromKernel, type NormKernel } from './kernel.js';

/** out = x/‖x‖₂ (0 for x = 0); returns ‖x‖₂ (overflow-safe, see vec.norm2). */
function unitInto(x: Float64Array, out: Float64Array): number {
  const n = norm2(x);
  for (let i = 0; i < x.length; i++) out[i] = n === 0 ? 0 : x[i] / n;
  return n;
}

export const l2Kernel: NormKernel = { value: norm2, dual: norm2, steepest: unitInto, valueSubgrad: unitInto };

export const l2Norm = normFromKernel('l2', 'ℓ2', l2Kernel);
