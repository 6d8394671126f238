/**
 * Two-layer ReLU net with a LayerNorm on the hidden pre-activations (a hunter variant, THEORY §10):
 *   z = W x,  ẑ = (z − mean z)/√(var z + ε),  a = g ⊙ ẑ + b,  f = ⟨v, relu(a)⟩
 * (var is the biased variance over the h hidden units, ε = 1e-5 as in common frameworks). ẑ is
 * 0-homogeneous in W only when ε = 0 and a is 1-homogeneous in (g, b), so f is not homogeneous
 * (degree null); its layer count is 2. Per-sample loops: the hunter's nets are small.
 *
 * Backward through the normalization (r = 1/√(var + ε)): δz = r·(δẑ − mean δẑ − ẑ·mean(δẑ ⊙ ẑ));
 * forward mode: dẑ = r·(dc − ẑ·mean(ẑ ⊙ dc)), dc = dz − mean dz.
 */
import type { Dataset } from '../core/types.js';
import type { F64Kernels } from './kernels.js';
import type { Rng } from '../core/rng.js';
import { InputError, requirePositiveInt } from '../core/errors.js';
import { checkData, marginsViaForward, perSampleGradsByVjp } from './common.js';

export const LAYERNORM_EPS = 1e-5;

interface Forward {
  /** ẑ (N × h), a = g ⊙ ẑ + b (N × h), r per sample, f per sample. */
  readonly zhat: Float64Array;
  readonly a: Float64Array;
  readonly r: Float64Array;
  readonly f: Float64Array;
}

export function layerNormNet(inputDim: number, width: number): F64Kernels {
  requirePositiveInt(inputDim, 'inputDim');
  requirePositiveInt(width, 'width');
  const d = inputDim;
  const h = width;
  const oW = 0;
  const oG = h * d;
  const oB = oG + h;
  const oV = oB + h;
  const size = oV + h;

  function forwardPass(theta: Float64Array, data: Dataset): Forward {
    const n = data.n;
    const zhat = new Float64Array(n * h);
    const a = new Float64Array(n * h);
    const r = new Float64Array(n);
    const f = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * h;
      let mean = 0;
      for (let j = 0; j < h; j++) {
        let z = 0;
        for (let k = 0; k < d; k++) z += theta[oW + j * d + k] * data.x[i * d + k];
        zhat[row + j] = z;
        mean += z;
      }
      mean /= h;
      let variance = 0;
      for (let j = 0; j < h; j++) {
        const c = zhat[row + j] - mean;
        zhat[row + j] = c;
        variance += c * c;
      }
      const ri = 1 / Math.sqrt(variance / h + LAYERNORM_EPS);
      r[i] = ri;
      let fi = 0;
      for (let j = 0; j < h; j++) {
        zhat[row + j] *= ri;
        const aj = theta[oG + j] * zhat[row + j] + theta[oB + j];
        a[row + j] = aj;
        if (aj > 0) fi += theta[oV + j] * aj;
      }
      f[i] = fi;
    }
    return { zhat, a, r, f };
  }

  const net: F64Kernels = {
    name: `layernorm[${d}-${h}-1]`,
    degree: null,
    inputDim: d,
    layout: {
      size,
      layers: [
        { name: 'W1', kind: 'matrix', offset: oW, rows: h, cols: d },
        { name: 'g', kind: 'vector', offset: oG, rows: 1, cols: h },
        { name: 'b1', kind: 'vector', offset: oB, rows: 1, cols: h },
        { name: 'v', kind: 'matrix', offset: oV, rows: 1, cols: h },
      ],
    },
    init(scale: number, rng: Rng) {
      if (!(Number.isFinite(scale) && scale > 0)) throw new InputError(`init scale = ${scale}: must be a positive finite number`);
      const theta = new Float64Array(size);
      rng.fillGaussian(theta.subarray(oW, oG), scale / Math.sqrt(d));
      theta.subarray(oG, oB).fill(scale); // the usual LayerNorm gain 1, times the init scale
      rng.fillGaussian(theta.subarray(oB, oV), scale / Math.sqrt(h));
      rng.fillGaussian(theta.subarray(oV, size), scale / Math.sqrt(h));
      return theta;
    },
    forward(theta, data, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      out.set(forwardPass(theta, data).f);
      return out;
    },
    margins: (theta, data, out) => marginsViaForward(net, theta, data, out),
    vjp(theta, data, c, out) {
      checkData(net, theta, data);
      const { zhat, a, r } = forwardPass(theta, data);
      out.fill(0);
      const dzhat = new Float64Array(h);
      for (let i = 0; i < data.n; i++) {
        const cy = c[i] * data.y[i];
        if (cy === 0) continue;
        const row = i * h;
        let sum = 0;
        let dot = 0;
        for (let j = 0; j < h; j++) {
          const aj = a[row + j];
          const da = aj > 0 ? cy * theta[oV + j] : 0;
          if (aj > 0) out[oV + j] += cy * aj;
          out[oG + j] += da * zhat[row + j];
          out[oB + j] += da;
          dzhat[j] = da * theta[oG + j];
          sum += dzhat[j];
          dot += dzhat[j] * zhat[row + j];
        }
        sum /= h;
        dot /= h;
        for (let j = 0; j < h; j++) {
          const dz = r[i] * (dzhat[j] - sum - zhat[row + j] * dot);
          if (dz === 0) continue;
          for (let k = 0; k < d; k++) out[oW + j * d + k] += dz * data.x[i * d + k];
        }
      }
      return out;
    },
    jvp(theta, data, vec, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      if (vec.length !== size) throw new InputError(`v.length = ${vec.length}: ${net.name} has ${size} parameters`);
      const { zhat, a, r } = forwardPass(theta, data);
      const dc = new Float64Array(h);
      for (let i = 0; i < data.n; i++) {
        const row = i * h;
        let mean = 0;
        for (let j = 0; j < h; j++) {
          let dz = 0;
          for (let k = 0; k < d; k++) dz += vec[oW + j * d + k] * data.x[i * d + k];
          dc[j] = dz;
          mean += dz;
        }
        mean /= h;
        let dot = 0;
        for (let j = 0; j < h; j++) {
          dc[j] -= mean;
          dot += zhat[row + j] * dc[j];
        }
        dot /= h;
        let df = 0;
        for (let j = 0; j < h; j++) {
          const aj = a[row + j];
          if (!(aj > 0)) continue;
          const dzhat = r[i] * (dc[j] - zhat[row + j] * dot);
          const da = vec[oG + j] * zhat[row + j] + theta[oG + j] * dzhat + vec[oB + j];
          df += vec[oV + j] * aj + theta[oV + j] * da;
        }
        out[i] = data.y[i] * df;
      }
      return out;
    },
    perSampleGrads: (theta, data) => perSampleGradsByVjp(net, theta, data),
    activationPattern(theta, data) {
      checkData(net, theta, data);
      const { a } = forwardPass(theta, data);
      return Uint8Array.from(a, (x) => (x > 0 ? 1 : 0));
    },
  };
  return net;
}
