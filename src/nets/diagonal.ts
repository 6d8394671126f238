/**
 * Depth-k diagonal linear network f(θ; x) = ⟨u_1 ⊙ u_2 ⊙ … ⊙ u_k, x⟩ (k = 2: ⟨u ⊙ v, x⟩).
 * Each factor is a vector block; the net is k-homogeneous (THEORY §1).
 */
import type { Dataset, LayerView } from '../core/types.js';
import type { F64Kernels } from './kernels.js';
import type { Rng } from '../core/rng.js';
import { InputError, requirePositiveInt } from '../core/errors.js';
import { checkData, marginsViaForward, perSampleGradsByVjp } from './common.js';

export function diagonalNet(inputDim: number, depth = 2): F64Kernels {
  requirePositiveInt(inputDim, 'inputDim');
  requirePositiveInt(depth, 'depth');
  const d = inputDim;
  const k = depth;
  const layers: LayerView[] = Array.from({ length: k }, (_, m) => ({
    name: `u${m + 1}`,
    kind: 'vector' as const,
    offset: m * d,
    rows: 1,
    cols: d,
  }));
  const prod = new Float64Array(d);
  /** β_i = Π_m u_m[i], the effective linear predictor. */
  function effective(theta: Float64Array): Float64Array {
    prod.fill(1);
    for (let m = 0; m < k; m++) for (let i = 0; i < d; i++) prod[i] *= theta[m * d + i];
    return prod;
  }
  /** Π_{m≠skip} u_m[i] (no division: factors may be exactly zero). */
  function productExcept(theta: Float64Array, i: number, skip: number): number {
    let s = 1;
    for (let m = 0; m < k; m++) if (m !== skip) s *= theta[m * d + i];
    return s;
  }
  const net: F64Kernels = {
    name: `diag[${d},depth=${k}]`,
    degree: k,
    inputDim: d,
    layout: { size: k * d, layers },
    init(scale: number, rng: Rng) {
      if (!(Number.isFinite(scale) && scale > 0)) throw new InputError(`init scale = ${scale}: must be a positive finite number`);
      return rng.fillGaussian(new Float64Array(k * d), scale);
    },
    forward(theta, data, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      const beta = effective(theta);
      for (let n = 0; n < data.n; n++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += data.x[n * d + i] * beta[i];
        out[n] = s;
      }
      return out;
    },
    margins: (theta, data, out) => marginsViaForward(net, theta, data, out),
    vjp(theta, data, c, out) {
      checkData(net, theta, data);
      // Σ_n c_n y_n x_n, then ∂/∂u_m[i] = that_i · Π_{m'≠m} u_{m'}[i].
      const s = new Float64Array(d);
      for (let n = 0; n < data.n; n++) {
        const w = c[n] * data.y[n];
        if (w === 0) continue;
        for (let i = 0; i < d; i++) s[i] += w * data.x[n * d + i];
      }
      for (let m = 0; m < k; m++) for (let i = 0; i < d; i++) out[m * d + i] = s[i] * productExcept(theta, i, m);
      return out;
    },
    jvp(theta, data, v, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      // dβ_i = Σ_m v_m[i] Π_{m'≠m} u_{m'}[i]
      const dBeta = new Float64Array(d);
      for (let m = 0; m < k; m++) for (let i = 0; i < d; i++) dBeta[i] += v[m * d + i] * productExcept(theta, i, m);
      for (let n = 0; n < data.n; n++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += data.x[n * d + i] * dBeta[i];
        out[n] = data.y[n] * s;
      }
      return out;
    },
    perSampleGrads: (theta: Float64Array, data: Dataset) => perSampleGradsByVjp(net, theta, data),
  };
  return net;
}
