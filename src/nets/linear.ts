/** The linear model f(w; x) = ⟨w, x⟩: 1-homogeneous, the exact-oracle case (THEORY §8). */
import type { Dataset } from '../core/types.js';
import type { F64Kernels } from './kernels.js';
import type { Rng } from '../core/rng.js';
import { requirePositiveInt } from '../core/errors.js';
import { checkData, marginsViaForward } from './common.js';

export function linearNet(inputDim: number): F64Kernels {
  requirePositiveInt(inputDim, 'inputDim');
  const d = inputDim;
  const net: F64Kernels = {
    name: `linear[${d}]`,
    degree: 1,
    inputDim: d,
    layout: { size: d, layers: [{ name: 'w', kind: 'vector', offset: 0, rows: 1, cols: d }] },
    init(scale: number, rng: Rng) {
      return rng.fillGaussian(new Float64Array(d), scale / Math.sqrt(d));
    },
    forward(theta, data, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      const { x, n } = data;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const o = i * d;
        for (let j = 0; j < d; j++) s += x[o + j] * theta[j];
        out[i] = s;
      }
      return out;
    },
    margins: (theta, data, out) => marginsViaForward(net, theta, data, out),
    vjp(theta, data, c, out) {
      checkData(net, theta, data);
      out.fill(0);
      const { x, y, n } = data;
      for (let i = 0; i < n; i++) {
        const ci = c[i] * y[i];
        if (ci === 0) continue;
        const o = i * d;
        for (let j = 0; j < d; j++) out[j] += ci * x[o + j];
      }
      return out;
    },
    // Linear in θ: ⟨∇q_n, v⟩ = q_n(v).
    jvp: (_theta, data, v, out) => net.margins(v, data, out),
    perSampleGrads(theta: Float64Array, data: Dataset) {
      checkData(net, theta, data);
      const h = new Float64Array(data.n * d);
      for (let i = 0; i < data.n; i++) {
        for (let j = 0; j < d; j++) h[i * d + j] = data.y[i] * data.x[i * d + j];
      }
      return h;
    },
  };
  return net;
}
