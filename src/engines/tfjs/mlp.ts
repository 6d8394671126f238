/**
 * The MLP of src/nets/mlp.ts on tfjs (float32): same spec, same θ layout (per layer W_l row-major,
 * rows = out units, then b_l), same init (the float64 kernels' own), so runs on both engines are
 * comparable. Samples are rows (Z_l is N × out_l).
 *
 * Every product is a plain A·B (a transpose flag costs ~10× on wasm): the evaluation uploads W_lᵀ
 * (in × out) for the forward pass and W_l (out × in) for back-propagation; the first layer's weight
 * gradient is Xᵀ·δ₁ (Xᵀ cached per dataset, device.ts), deeper ones A_{l−1}ᵀ·δ_l, or δ_lᵀ·A_{l−1} when
 * out_l = 1 (δ_lᵀ is then a reshape). Gradients in the transposed layout are transposed back on the host.
 *
 * Forward mode (tfjs has none) propagates tangents layer by layer:
 *   dZ_l = A_{l−1}·dW_lᵀ + dA_{l−1}·W_lᵀ + db_l,   dA_l = φ'(Z_l) ⊙ dZ_l.
 * The loss weights c come from the host in float64 (the caller's softmax of −q in the log domain):
 * nothing here forms e^{−q}.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset, EngineInfo, Evaluation, Layout, Net } from '../../core/types.js';
import { InputError } from '../../core/errors.js';
import { buildKernels, type NetSpec } from '../../nets/index.js';
import { wrapKernels } from '../f64.js';
import { deviceActivation, type DeviceActivation } from './activations.js';
import { deviceInputs, toFloat32 } from './device.js';

/**
 * Deliberately wrong kernels (tests only): the differential properties must fail on each.
 * - `relu-prime-at-zero`: φ'(0) = 1 instead of 0;
 * - `untransposed-weights`: W_l's row-major data used as W_lᵀ (a dropped transpose on upload);
 * - `untransposed-gradient`: ∇W_lᵀ written into θ's layout as if it were ∇W_l (dropped on download);
 * - `jvp-drops-chain`: the tangent forgets dA_{l−1}·W_lᵀ.
 */
export type TfjsMutant = 'relu-prime-at-zero' | 'untransposed-weights' | 'untransposed-gradient' | 'jvp-drops-chain';

type MlpSpec = Extract<NetSpec, { kind: 'mlp' }>;

interface Layer {
  readonly inDim: number;
  readonly outDim: number;
  readonly wOffset: number;
  /** −1 when the layer has no bias. */
  readonly bOffset: number;
}

/** Layers from θ's layout: a matrix block opens a layer, a vector block right after it is its bias. */
function layersOf(layout: Layout): Layer[] {
  const layers: Layer[] = [];
  for (const v of layout.layers) {
    if (v.kind === 'matrix') layers.push({ inDim: v.cols, outDim: v.rows, wOffset: v.offset, bOffset: -1 });
    else layers[layers.length - 1] = { ...layers[layers.length - 1], bOffset: v.offset };
  }
  return layers;
}

/** Row-major out × in block of `src` at `offset`, transposed into a fresh in × out Float32Array. */
function transposedBlock(src: ArrayLike<number>, offset: number, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) t[k * rows + r] = src[offset + r * cols + k];
  return t;
}

export function tfjsMlp(spec: MlpSpec, info: EngineInfo, mutant?: TfjsMutant): Net {
  const kernels = buildKernels(spec);
  const layers = layersOf(kernels.layout);
  const depth = layers.length;
  const size = kernels.layout.size;
  const act: DeviceActivation = deviceActivation(spec.activation, mutant === 'relu-prime-at-zero');

  /** W_lᵀ as an in × out tensor (or, for the mutant, W_l's data mislabelled as W_lᵀ). */
  const uploadTransposed = (src: Float32Array, l: Layer): tf.Tensor2D =>
    tf.tensor2d(
      mutant === 'untransposed-weights' ? src.slice(l.wOffset, l.wOffset + l.inDim * l.outDim) : transposedBlock(src, l.wOffset, l.outDim, l.inDim),
      [l.inDim, l.outDim],
    );
  const uploadBias = (src: Float32Array, l: Layer): tf.Tensor1D => tf.tensor1d(src.slice(l.bOffset, l.bOffset + l.outDim));

  function checkShapes(theta: Float64Array, data: Dataset): void {
    if (theta.length !== size) throw new InputError(`theta.length = ${theta.length}: ${kernels.name} has ${size} parameters`);
    if (data.d !== spec.inputDim) throw new InputError(`data.d = ${data.d}: ${kernels.name} takes inputs of dimension ${spec.inputDim}`);
  }

  class TfjsEvaluation implements Evaluation {
    /** The float64 image of the float32 θ this evaluation ran at (exactly what the device holds). */
    readonly theta: Float64Array;
    readonly data: Dataset;
    readonly margins: Float64Array;
    readonly pattern: ((out?: Uint8Array) => Uint8Array) | undefined;
    private readonly wT: tf.Tensor2D[];
    /** W_l for back-propagation into layer l − 1 (null for the first layer). */
    private readonly w: (tf.Tensor2D | null)[];
    private readonly b: (tf.Tensor1D | null)[];
    /** Hidden pre-activations Z_l and activations A_l = φ(Z_l) (layers 0..depth−2). */
    private readonly z: tf.Tensor2D[];
    private readonly a: tf.Tensor2D[];
    /** φ'(Z_l), computed on first use by vjp or jvp. */
    private dphi: (tf.Tensor2D | null)[] | null = null;
    private live = true;

    constructor(theta: Float64Array, data: Dataset) {
      const t32 = toFloat32(theta);
      this.theta = new Float64Array(t32);
      this.data = data;
      const { x } = deviceInputs(data);
      this.wT = layers.map((l) => uploadTransposed(t32, l));
      this.w = layers.map((l, i) => (i > 0 ? tf.tensor2d(t32.slice(l.wOffset, l.wOffset + l.inDim * l.outDim), [l.outDim, l.inDim]) : null));
      this.b = layers.map((l) => (l.bOffset >= 0 ? uploadBias(t32, l) : null));
      const pass = tf.tidy(() => {
        const z: tf.Tensor2D[] = [];
        const a: tf.Tensor2D[] = [];
        let prev: tf.Tensor2D = x;
        for (let i = 0; i < depth; i++) {
          const bias = this.b[i];
          const product = tf.matMul<tf.Tensor2D>(prev, this.wT[i]);
          const zi = bias ? tf.add<tf.Tensor2D>(product, bias) : product;
          z.push(zi);
          if (i < depth - 1) {
            prev = act.apply(zi);
            a.push(prev);
          }
        }
        return { z, a };
      });
      this.a = pass.a;
      const out = pass.z.pop()!;
      this.z = pass.z;
      const f = out.dataSync();
      out.dispose();
      this.margins = new Float64Array(data.n);
      for (let i = 0; i < data.n; i++) this.margins[i] = data.y[i] * f[i];
      this.pattern = act.kinked ? (o) => this.patternInto(o) : undefined;
    }

    private check(): void {
      if (!this.live) throw new Error('evaluation used after dispose()');
    }

    private derivatives(): (tf.Tensor2D | null)[] {
      const derivative = act.derivative;
      this.dphi ??= this.z.map((zi) => (derivative ? tf.tidy(() => derivative(zi)) : null));
      return this.dphi;
    }

    vjp(c: Float64Array, out: Float64Array = new Float64Array(size)): Float64Array {
      this.check();
      const n = this.data.n;
      if (c.length !== n) throw new InputError(`c.length = ${c.length}: the data have ${n} samples`);
      // ∂q_n/∂Z_D = y_n: the output delta c_n y_n is exact in float64, rounded once on upload.
      const top = new Float32Array(n);
      for (let i = 0; i < n; i++) top[i] = c[i] * this.data.y[i];
      const dphi = this.derivatives();
      const { xT } = deviceInputs(this.data);
      const transposedForm: boolean[] = [];
      const grads = tf.tidy(() => {
        const g: tf.Tensor[] = [];
        let delta: tf.Tensor2D = tf.tensor2d(top, [n, 1]);
        for (let i = depth - 1; i >= 0; i--) {
          const l = layers[i];
          if (i === 0) {
            g.push(tf.matMul<tf.Tensor2D>(xT, delta)); // ∇W₁ᵀ = Xᵀ δ₁
            transposedForm.push(true);
          } else if (l.outDim === 1) {
            g.push(tf.matMul<tf.Tensor2D>(tf.reshape(delta, [1, n]), this.a[i - 1])); // ∇W_l = δ_lᵀ A_{l−1}
            transposedForm.push(false);
          } else {
            g.push(tf.matMul<tf.Tensor2D>(tf.transpose(this.a[i - 1]), delta)); // ∇W_lᵀ = A_{l−1}ᵀ δ_l
            transposedForm.push(true);
          }
          if (l.bOffset >= 0) g.push(tf.sum(delta, 0));
          if (i > 0) {
            const back = tf.matMul<tf.Tensor2D>(delta, this.w[i]!);
            const d = dphi[i - 1];
            delta = d ? tf.mul<tf.Tensor2D>(back, d) : back;
          }
        }
        return g;
      });
      let k = 0;
      for (let i = depth - 1; i >= 0; i--) {
        const l = layers[i];
        const gw = grads[k++].dataSync();
        if (transposedForm[depth - 1 - i] && mutant !== 'untransposed-gradient') {
          for (let r = 0; r < l.outDim; r++) for (let col = 0; col < l.inDim; col++) out[l.wOffset + r * l.inDim + col] = gw[col * l.outDim + r];
        } else {
          for (let j = 0; j < gw.length; j++) out[l.wOffset + j] = gw[j];
        }
        if (l.bOffset >= 0) {
          const gb = grads[k++].dataSync();
          for (let j = 0; j < l.outDim; j++) out[l.bOffset + j] = gb[j];
        }
      }
      tf.dispose(grads);
      return out;
    }

    jvp(v: Float64Array, out: Float64Array = new Float64Array(this.data.n)): Float64Array {
      this.check();
      if (v.length !== size) throw new InputError(`v.length = ${v.length}: ${kernels.name} has ${size} parameters`);
      const v32 = toFloat32(v);
      const dphi = this.derivatives();
      const { x } = deviceInputs(this.data);
      const tangent = tf.tidy(() => {
        let dz: tf.Tensor2D | null = null;
        for (let i = 0; i < depth; i++) {
          const l = layers[i];
          let t: tf.Tensor2D = tf.matMul<tf.Tensor2D>(i === 0 ? x : this.a[i - 1], uploadTransposed(v32, l));
          if (dz && mutant !== 'jvp-drops-chain') {
            const d = dphi[i - 1];
            t = tf.add<tf.Tensor2D>(t, tf.matMul<tf.Tensor2D>(d ? tf.mul<tf.Tensor2D>(dz, d) : dz, this.wT[i]));
          }
          if (l.bOffset >= 0) t = tf.add<tf.Tensor2D>(t, uploadBias(v32, l));
          dz = t;
        }
        return dz!;
      });
      const f = tangent.dataSync();
      tangent.dispose();
      for (let i = 0; i < this.data.n; i++) out[i] = this.data.y[i] * f[i];
      return out;
    }

    private patternInto(o?: Uint8Array): Uint8Array {
      this.check();
      const total = this.z.reduce((t, zi) => t + zi.size, 0);
      const pattern = o && o.length === total ? o : new Uint8Array(total);
      let k = 0;
      for (const zi of this.z) {
        const positive = tf.tidy(() => tf.greater(zi, 0));
        const bits = positive.dataSync();
        positive.dispose();
        for (let j = 0; j < bits.length; j++) pattern[k++] = bits[j] ? 1 : 0;
      }
      return pattern;
    }

    dispose(): void {
      if (!this.live) return;
      this.live = false;
      tf.dispose([...this.wT, ...this.w.filter((t) => t !== null), ...this.b.filter((t) => t !== null), ...this.z, ...this.a]);
      if (this.dphi) tf.dispose(this.dphi.filter((t) => t !== null));
    }
  }

  const at = (theta: Float64Array, data: Dataset): TfjsEvaluation => {
    checkShapes(theta, data);
    // tfjs has one active backend per process: never compute on another one than the engine reports.
    if (tf.getBackend() !== info.backend) {
      throw new Error(`tfjs engine built for backend ${info.backend}, but the active tfjs backend is ${tf.getBackend()} (one backend per process)`);
    }
    return new TfjsEvaluation(theta, data);
  };
  const oneShot = <T>(theta: Float64Array, data: Dataset, f: (ev: TfjsEvaluation) => T): T => {
    const ev = at(theta, data);
    try {
      return f(ev);
    } finally {
      ev.dispose();
    }
  };

  return {
    name: kernels.name,
    degree: kernels.degree,
    inputDim: kernels.inputDim,
    layout: kernels.layout,
    engine: info,
    // The judge: the same architecture on the float64 engine (its own kernels and workspace).
    reference: wrapKernels(buildKernels(spec)),
    kinked: act.kinked,
    // The float64 kernels' init: the same θ₀ for the same scale and rng on every engine.
    init: (scale, rng) => kernels.init(scale, rng),
    at,
    forward: (theta, data, out = new Float64Array(data.n)) =>
      oneShot(theta, data, (ev) => {
        for (let i = 0; i < data.n; i++) out[i] = data.y[i] * ev.margins[i];
        return out;
      }),
    margins: (theta, data, out = new Float64Array(data.n)) => oneShot(theta, data, (ev) => (out.set(ev.margins), out)),
    perSampleGrads: (theta, data) =>
      oneShot(theta, data, (ev) => {
        const grads = new Float64Array(data.n * size);
        const c = new Float64Array(data.n);
        for (let i = 0; i < data.n; i++) {
          c[i] = 1;
          ev.vjp(c, grads.subarray(i * size, (i + 1) * size));
          c[i] = 0;
        }
        return grads;
      }),
  };
}
