/**
 * Fully connected network of any depth, f(θ; x) = W_D φ(… φ(W_1 x + b_1) …) (+ b_D), one output.
 * Homogeneous (THEORY §1) when φ is positively homogeneous and there is no bias after the
 * first layer; the degree follows D_k = p·(1 + D_{k−1}), D_0 = 0, output 1 + D_last (p = 1 for
 * ReLU, leaky ReLU and identity, so L = number of weight layers). Biases after the first layer
 * (hidden or output) or a non-homogeneous φ make it a hunter variant with degree null.
 *
 * Layout of θ: per layer, W_l (rows = units, cols = inputs, row-major), then b_l if present.
 * Samples are rows everywhere (Z_l is N × units), so every product is a row-dot kernel.
 */
import type { Dataset, LayerView } from '../core/types.js';
import type { F64Kernels } from './kernels.js';
import type { Rng } from '../core/rng.js';
import { InputError, requirePositiveInt } from '../core/errors.js';
import { matmulAB, matmulABt, transpose } from '../core/matmul.js';
import { type Activation, activationFns } from './activations.js';
import { checkData, marginsViaForward, perSampleGradsByVjp, transposedInputs, type PatternInto } from './common.js';

export interface MlpOptions {
  readonly inputDim: number;
  /** Hidden widths; [] is the linear model. */
  readonly widths: readonly number[];
  readonly activation: Activation;
  /** first: b_1 (keeps homogeneity); hidden: b_2…b_{D−1}; output: b_D (both break it). */
  readonly bias?: { readonly first?: boolean; readonly hidden?: boolean; readonly output?: boolean };
}

interface LayerSpec {
  readonly inDim: number;
  readonly outDim: number;
  readonly wOffset: number;
  /** −1 when the layer has no bias. */
  readonly bOffset: number;
}

interface Workspace {
  readonly n: number;
  /** Pre-activations Z_l (N × out_l) and activations A_l = φ(Z_l) for hidden layers. */
  readonly z: Float64Array[];
  readonly a: Float64Array[];
  /** Backward / tangent buffers, one per layer. */
  readonly delta: Float64Array[];
  readonly tangent: Float64Array[];
  readonly scratch: Float64Array[];
  /** Transposes for the gradient kernel: δ_lᵀ (out_l × N) and A_{l−1}ᵀ (in_l × N). */
  readonly deltaT: Float64Array[];
  readonly actT: Float64Array[];
}

export function mlpDegree(opts: MlpOptions): number | null {
  const power = activationFns(opts.activation).power;
  if (power === null || opts.bias?.hidden || opts.bias?.output) return null;
  let hidden = 0;
  for (let k = 0; k < opts.widths.length; k++) hidden = power * (1 + hidden);
  return 1 + hidden;
}

export function mlpNet(opts: MlpOptions): F64Kernels {
  requirePositiveInt(opts.inputDim, 'inputDim');
  opts.widths.forEach((w, i) => requirePositiveInt(w, `widths[${i}]`));
  const act = activationFns(opts.activation);
  const { f: phi, df: dphi } = act;
  const isRelu = opts.activation.kind === 'relu';
  const depth = opts.widths.length + 1;
  const dims = [opts.inputDim, ...opts.widths, 1];

  const specs: LayerSpec[] = [];
  const views: LayerView[] = [];
  let offset = 0;
  for (let l = 0; l < depth; l++) {
    const inDim = dims[l];
    const outDim = dims[l + 1];
    const wOffset = offset;
    views.push({ name: `W${l + 1}`, kind: 'matrix', offset, rows: outDim, cols: inDim });
    offset += inDim * outDim;
    const hasBias = l === 0 ? !!opts.bias?.first : l === depth - 1 ? !!opts.bias?.output : !!opts.bias?.hidden;
    let bOffset = -1;
    if (hasBias) {
      bOffset = offset;
      views.push({ name: `b${l + 1}`, kind: 'vector', offset, rows: 1, cols: outDim });
      offset += outDim;
    }
    specs.push({ inDim, outDim, wOffset, bOffset });
  }
  const size = offset;

  const workspaces = new Map<number, Workspace>();
  function workspace(n: number): Workspace {
    let ws = workspaces.get(n);
    if (!ws) {
      if (workspaces.size >= 4) workspaces.clear();
      const per = (f: (s: LayerSpec) => number) => specs.map((s) => new Float64Array(f(s)));
      ws = {
        n,
        z: per((s) => n * s.outDim),
        a: per((s) => n * s.outDim),
        delta: per((s) => n * s.outDim),
        tangent: per((s) => n * s.outDim),
        scratch: per((s) => n * Math.max(s.outDim, s.inDim)),
        deltaT: per((s) => n * s.outDim),
        actT: per((s) => n * s.inDim),
      };
      workspaces.set(n, ws);
    }
    return ws;
  }

  const weights = (theta: Float64Array, s: LayerSpec) => theta.subarray(s.wOffset, s.wOffset + s.inDim * s.outDim);

  function addBias(theta: Float64Array, s: LayerSpec, n: number, z: Float64Array): void {
    if (s.bOffset < 0) return;
    for (let i = 0; i < n; i++) {
      const o = i * s.outDim;
      for (let j = 0; j < s.outDim; j++) z[o + j] += theta[s.bOffset + j];
    }
  }

  /** The data of the last forward pass into the workspaces (see F64Kernels.vjp's reuseForward). */
  let lastData: Dataset | null = null;

  /** Fills ws.z / ws.a unless the caller vouches they hold this θ's pass; returns Z_D (length N). */
  function runForward(theta: Float64Array, data: Dataset, ws: Workspace, reuse = false): Float64Array {
    if (reuse && lastData === data) return ws.z[depth - 1];
    lastData = data;
    const n = data.n;
    let prev = data.x;
    for (let l = 0; l < depth; l++) {
      const s = specs[l];
      const z = ws.z[l];
      matmulABt(prev, n, s.inDim, weights(theta, s), s.outDim, z);
      addBias(theta, s, n, z);
      if (l < depth - 1) {
        const a = ws.a[l];
        const len = n * s.outDim;
        if (isRelu) for (let i = 0; i < len; i++) a[i] = z[i] > 0 ? z[i] : 0;
        else for (let i = 0; i < len; i++) a[i] = phi(z[i]);
        prev = a;
      }
    }
    return ws.z[depth - 1];
  }

  /** In place: buf ⊙= φ'(Z_l). */
  function timesDerivative(buf: Float64Array, z: Float64Array, len: number): void {
    if (isRelu) for (let i = 0; i < len; i++) buf[i] = z[i] > 0 ? buf[i] : 0;
    else for (let i = 0; i < len; i++) buf[i] *= dphi(z[i]);
  }

  const net: F64Kernels = {
    name: `mlp[${dims.join('-')},${act.label}${opts.bias?.first ? ',b1' : ''}${opts.bias?.hidden ? ',bh' : ''}${
      opts.bias?.output ? ',bout' : ''
    }]`,
    degree: mlpDegree(opts),
    inputDim: opts.inputDim,
    layout: { size, layers: views },

    init(scale: number, rng: Rng) {
      if (!(Number.isFinite(scale) && scale > 0)) throw new InputError(`init scale = ${scale}: must be a positive finite number`);
      const theta = new Float64Array(size);
      for (const s of specs) {
        const sd = scale / Math.sqrt(s.inDim);
        rng.fillGaussian(weights(theta, s), sd);
        if (s.bOffset >= 0) rng.fillGaussian(theta.subarray(s.bOffset, s.bOffset + s.outDim), sd);
      }
      return theta;
    },

    forward(theta, data, out = new Float64Array(data.n)) {
      checkData(net, theta, data);
      out.set(runForward(theta, data, workspace(data.n)));
      return out;
    },

    margins: (theta, data, out) => marginsViaForward(net, theta, data, out),

    vjp(theta, data, c, out, reuseForward) {
      checkData(net, theta, data);
      const n = data.n;
      const ws = workspace(n);
      runForward(theta, data, ws, reuseForward);
      // ∂q_n/∂Z_D = y_n, so the output delta is c_n y_n.
      const top = ws.delta[depth - 1];
      for (let i = 0; i < n; i++) top[i] = c[i] * data.y[i];
      for (let l = depth - 1; l >= 0; l--) {
        const s = specs[l];
        const delta = ws.delta[l];
        // ∇W_l = δ_lᵀ A_{l−1}: as a row-dot product of δ_lᵀ (out × N) with A_{l−1}ᵀ (in × N).
        const inputsT = l === 0 ? transposedInputs(data) : transpose(ws.a[l - 1], n, s.inDim, ws.actT[l]);
        const deltaT = transpose(delta, n, s.outDim, ws.deltaT[l]);
        matmulABt(deltaT, s.outDim, n, inputsT, s.inDim, out.subarray(s.wOffset, s.wOffset + s.inDim * s.outDim));
        if (s.bOffset >= 0) {
          for (let j = 0; j < s.outDim; j++) {
            let sum = 0;
            for (let i = 0; i < n; i++) sum += deltaT[j * n + i];
            out[s.bOffset + j] = sum;
          }
        }
        if (l > 0) {
          const below = ws.delta[l - 1];
          matmulAB(delta, n, s.outDim, weights(theta, s), s.inDim, below);
          timesDerivative(below, ws.z[l - 1], n * s.inDim);
        }
      }
      return out;
    },

    jvp(theta, data, v, out = new Float64Array(data.n), reuseForward) {
      checkData(net, theta, data);
      if (v.length !== size) throw new InputError(`v.length = ${v.length}: ${net.name} has ${size} parameters`);
      const n = data.n;
      const ws = workspace(n);
      runForward(theta, data, ws, reuseForward);
      // Tangent propagation: dZ_l = A_{l−1} dW_lᵀ + dA_{l−1} W_lᵀ + db_l, dA_l = φ'(Z_l) ⊙ dZ_l.
      let prev = data.x;
      let dPrev: Float64Array | null = null;
      for (let l = 0; l < depth; l++) {
        const s = specs[l];
        const dz = ws.tangent[l];
        matmulABt(prev, n, s.inDim, weights(v, s), s.outDim, dz);
        addBias(v, s, n, dz);
        if (dPrev) {
          const tmp = matmulABt(dPrev, n, s.inDim, weights(theta, s), s.outDim, ws.scratch[l]);
          for (let i = 0; i < n * s.outDim; i++) dz[i] += tmp[i];
        }
        if (l < depth - 1) {
          timesDerivative(dz, ws.z[l], n * s.outDim);
          prev = ws.a[l];
          dPrev = dz;
        }
      }
      const top = ws.tangent[depth - 1];
      for (let i = 0; i < n; i++) out[i] = data.y[i] * top[i];
      return out;
    },

    perSampleGrads: (theta, data) => perSampleGradsByVjp(net, theta, data),
  };
  if (act.kinked) {
    const patternInto: PatternInto = (theta, data, out, reuseForward) => {
      checkData(net, theta, data);
      const ws = workspace(data.n);
      runForward(theta, data, ws, reuseForward);
      const total = specs.slice(0, -1).reduce((t, s) => t + data.n * s.outDim, 0);
      // A caller-owned buffer of the right length keeps per-step flip counting allocation-free.
      const pattern = out && out.length === total ? out : new Uint8Array(total);
      let k = 0;
      for (let l = 0; l < depth - 1; l++) {
        const z = ws.z[l];
        for (let i = 0; i < data.n * specs[l].outDim; i++) pattern[k++] = z[i] > 0 ? 1 : 0;
      }
      return pattern;
    };
    net.activationPattern = patternInto;
  }
  return net;
}
