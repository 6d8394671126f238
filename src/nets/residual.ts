/**
 * One-hidden-block residual network (a hunter variant, THEORY §10):
 *   h = relu(W1 x),  s = h + relu(W2 h),  f = ⟨v, s⟩.
 * The skip path has degree 2 and the block path degree 3, so f is not homogeneous (degree null).
 */
import type { Dataset } from '../core/types.js';
import type { F64Kernels } from './kernels.js';
import type { Rng } from '../core/rng.js';
import { InputError, requirePositiveInt } from '../core/errors.js';
import { matmulAB, matmulABt, transpose } from '../core/matmul.js';
import { checkData, marginsViaForward, perSampleGradsByVjp, transposedInputs } from './common.js';

const relu = (z: Float64Array, out: Float64Array) => {
  for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? z[i] : 0;
  return out;
};
/** buf ⊙= relu'(z), relu'(0) = 0 */
const gate = (buf: Float64Array, z: Float64Array) => {
  for (let i = 0; i < z.length; i++) if (!(z[i] > 0)) buf[i] = 0;
  return buf;
};

export function residualNet(inputDim: number, width: number): F64Kernels {
  requirePositiveInt(inputDim, 'inputDim');
  requirePositiveInt(width, 'width');
  const d = inputDim;
  const h = width;
  const o1 = 0;
  const o2 = h * d;
  const ov = o2 + h * h;
  const size = ov + h;
  const views = (t: Float64Array) => ({ w1: t.subarray(o1, o2), w2: t.subarray(o2, ov), v: t.subarray(ov, size) });

  function forwardState(theta: Float64Array, data: Dataset) {
    const n = data.n;
    const { w1, w2, v } = views(theta);
    const z1 = matmulABt(data.x, n, d, w1, h, new Float64Array(n * h));
    const h1 = relu(z1, new Float64Array(n * h));
    const z2 = matmulABt(h1, n, h, w2, h, new Float64Array(n * h));
    const s = relu(z2, new Float64Array(n * h));
    for (let i = 0; i < s.length; i++) s[i] += h1[i];
    const f = matmulABt(s, n, h, v, 1, new Float64Array(n));
    return { z1, h1, z2, s, f };
  }

  const net: F64Kernels = {
    name: `residual[${d}-${h}-1]`,
    degree: null,
    inputDim: d,
    layout: {
      size,
      layers: [
        { name: 'W1', kind: 'matrix', offset: o1, rows: h, cols: d },
        { name: 'W2', kind: 'matrix', offset: o2, rows: h, cols: h },
        { name: 'v', kind: 'matrix', offset: ov, rows: 1, cols: h },
      ],
    },
    init(scale: number, rng: Rng) {
      if (!(Number.isFinite(scale) && scale > 0)) throw new InputError(`init scale = ${scale}: must be a positive finite number`);
      const theta = new Float64Array(size);
      const { w1, w2, v } = views(theta);
      rng.fillGaussian(w1, scale / Math.sqrt(d));
      rng.fillGaussian(w2, scale / Math.sqrt(h));
      rng.fillGaussian(v, scale / Math.sqrt(h));
      return theta;
    },
    forward(theta, data, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      out.set(forwardState(theta, data).f);
      return out;
    },
    margins: (theta, data, out) => marginsViaForward(net, theta, data, out),
    vjp(theta, data, c, out) {
      checkData(net, theta, data);
      const n = data.n;
      const { w2, v } = views(theta);
      const { z1, h1, z2, s } = forwardState(theta, data);
      const cy = new Float64Array(n);
      for (let i = 0; i < n; i++) cy[i] = c[i] * data.y[i];
      // ∂/∂v = Σ_n c'_n s_n ; δs = c'_n v
      matmulAB(cy, 1, n, s, h, out.subarray(ov, size));
      const ds = matmulAB(cy, n, 1, v, h, new Float64Array(n * h));
      const dz2 = gate(Float64Array.from(ds), z2);
      matmulABt(transpose(dz2, n, h), h, n, transpose(h1, n, h), h, out.subarray(o2, ov));
      const dh1 = matmulAB(dz2, n, h, w2, h, new Float64Array(n * h));
      for (let i = 0; i < dh1.length; i++) dh1[i] += ds[i];
      gate(dh1, z1);
      matmulABt(transpose(dh1, n, h), h, n, transposedInputs(data), d, out.subarray(o1, o2));
      return out;
    },
    jvp(theta, data, vec, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      const n = data.n;
      const { w2, v } = views(theta);
      const dv = views(vec);
      const { z1, h1, z2, s } = forwardState(theta, data);
      const dh1 = gate(matmulABt(data.x, n, d, dv.w1, h, new Float64Array(n * h)), z1);
      const dz2 = matmulABt(dh1, n, h, w2, h, new Float64Array(n * h));
      const tmp = matmulABt(h1, n, h, dv.w2, h, new Float64Array(n * h));
      for (let i = 0; i < dz2.length; i++) dz2[i] += tmp[i];
      gate(dz2, z2);
      for (let i = 0; i < dz2.length; i++) dz2[i] += dh1[i]; // ds
      const a = matmulABt(dz2, n, h, v, 1, new Float64Array(n));
      const b = matmulABt(s, n, h, dv.v, 1, new Float64Array(n));
      for (let i = 0; i < n; i++) out[i] = data.y[i] * (a[i] + b[i]);
      return out;
    },
    perSampleGrads: (theta: Float64Array, data: Dataset) => perSampleGradsByVjp(net, theta, data),
    activationPattern(theta, data) {
      checkData(net, theta, data);
      const { z1, z2 } = forwardState(theta, data);
      const pattern = new Uint8Array(z1.length + z2.length);
      z1.forEach((z, i) => (pattern[i] = z > 0 ? 1 : 0));
      z2.forEach((z, i) => (pattern[z1.length + i] = z > 0 ? 1 : 0));
      return pattern;
    },
  };
  return net;
}
