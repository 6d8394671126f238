/**
 * f = f_a + f_b on a concatenated θ = [θ_a; θ_b]. With a linear model and a 2-layer MLP this is
 * the mixed-depth ensemble of the hunter (THEORY §10): degrees 1 and 2 mix, so degree null.
 */
import type { Dataset } from '../core/types.js';
import type { F64Kernels } from './kernels.js';
import type { Rng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { checkData, marginsViaForward, perSampleGradsByVjp } from './common.js';

export function sumNet(a: F64Kernels, b: F64Kernels): F64Kernels {
  if (a.inputDim !== b.inputDim) throw new InputError(`sumNet: input dimensions differ (${a.inputDim} vs ${b.inputDim})`);
  const pa = a.layout.size;
  const size = pa + b.layout.size;
  const split = (theta: Float64Array) => [theta.subarray(0, pa), theta.subarray(pa)] as const;
  const bufA = new Map<number, Float64Array>();
  const scratch = (n: number) => {
    let s = bufA.get(n);
    if (!s) bufA.set(n, (s = new Float64Array(n)));
    return s;
  };
  const net: F64Kernels = {
    name: `sum(${a.name}+${b.name})`,
    degree: a.degree !== null && a.degree === b.degree ? a.degree : null,
    inputDim: a.inputDim,
    layout: {
      size,
      layers: [
        ...a.layout.layers.map((l) => ({ ...l, name: `a.${l.name}` })),
        ...b.layout.layers.map((l) => ({ ...l, name: `b.${l.name}`, offset: l.offset + pa })),
      ],
    },
    init(scale: number, rng: Rng) {
      const theta = new Float64Array(size);
      theta.set(a.init(scale, rng.child('a')), 0);
      theta.set(b.init(scale, rng.child('b')), pa);
      return theta;
    },
    forward(theta, data, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      const [ta, tb] = split(theta);
      const fa = a.forward(ta, data, scratch(data.n));
      b.forward(tb, data, out);
      for (let i = 0; i < data.n; i++) out[i] += fa[i];
      return out;
    },
    margins: (theta, data, out) => marginsViaForward(net, theta, data, out),
    vjp(theta, data, c, out) {
      checkData(net, theta, data);
      const [ta, tb] = split(theta);
      const [oa, ob] = split(out);
      a.vjp(ta, data, c, oa);
      b.vjp(tb, data, c, ob);
      return out;
    },
    jvp(theta, data, v, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      const [ta, tb] = split(theta);
      const [va, vb] = split(v);
      const ja = a.jvp(ta, data, va, scratch(data.n));
      b.jvp(tb, data, vb, out);
      for (let i = 0; i < data.n; i++) out[i] += ja[i];
      return out;
    },
    perSampleGrads: (theta: Float64Array, data: Dataset) => perSampleGradsByVjp(net, theta, data),
  };
  if (a.activationPattern || b.activationPattern) {
    net.activationPattern = (theta, data) => {
      const [ta, tb] = split(theta);
      const pa = a.activationPattern?.(ta, data) ?? new Uint8Array(0);
      const pb = b.activationPattern?.(tb, data) ?? new Uint8Array(0);
      const both = new Uint8Array(pa.length + pb.length);
      both.set(pa);
      both.set(pb, pa.length);
      return both;
    };
  }
  return net;
}
