/** Checks shared by every architecture. Bad shapes are input errors, not NaNs downstream. */
import type { Dataset } from '../core/types.js';
import type { F64Kernels } from './kernels.js';
import { InputError } from '../core/errors.js';
import { transpose } from '../core/matmul.js';

export function checkData(net: F64Kernels, theta: Float64Array, data: Dataset): void {
  if (theta.length !== net.layout.size) {
    throw new InputError(`theta.length = ${theta.length}: ${net.name} has ${net.layout.size} parameters`);
  }
  if (data.d !== net.inputDim) {
    throw new InputError(`data.d = ${data.d}: ${net.name} takes inputs of dimension ${net.inputDim}`);
  }
}

/**
 * `F64Kernels.activationPattern` with an optional output buffer. Implementations that take no buffer ignore
 * the argument and return a fresh array, so callers must always use the returned array.
 */
export type PatternInto = (theta: Float64Array, data: Dataset, out?: Uint8Array, reuseForward?: boolean) => Uint8Array;

const transposeCache = new WeakMap<Float64Array, Float64Array>();

/** Xᵀ (d × N) for the weight-gradient kernel, cached per dataset (the data never change). */
export function transposedInputs(data: Dataset): Float64Array {
  let xt = transposeCache.get(data.x);
  if (!xt || xt.length !== data.x.length) {
    xt = transpose(data.x, data.n, data.d);
    transposeCache.set(data.x, xt);
  }
  return xt;
}

/** ∇θ q_n for every n (N × P row-major), one single-sample vjp each. */
export function perSampleGradsByVjp(net: F64Kernels, theta: Float64Array, data: Dataset): Float64Array {
  const p = net.layout.size;
  const grads = new Float64Array(data.n * p);
  const one = new Float64Array([1]);
  for (let i = 0; i < data.n; i++) {
    const sample: Dataset = {
      n: 1,
      d: data.d,
      x: data.x.subarray(i * data.d, (i + 1) * data.d),
      y: data.y.subarray(i, i + 1),
    };
    net.vjp(theta, sample, one, grads.subarray(i * p, (i + 1) * p));
  }
  return grads;
}

/** q_n = y_n f(θ; x_n) from the net's own forward pass (shared by every architecture). */
export function marginsViaForward(net: F64Kernels, theta: Float64Array, data: Dataset, out: Float64Array = new Float64Array(data.n)): Float64Array {
  net.forward(theta, data, out);
  for (let i = 0; i < data.n; i++) out[i] *= data.y[i];
  return out;
}
