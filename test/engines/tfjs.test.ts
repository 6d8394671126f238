import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/types.js';
import { InputError } from '../../src/core/errors.js';
import { makeRng } from '../../src/core/rng.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { f64Engine, loadEngine, type Engine, type NetSpec } from '../../src/engines/index.js';
import { F64_INFO } from '../../src/engines/f64.js';
import type { NetCase } from '../../properties/arbitraries.js';
import { differentialProperty, newStats } from './differential.js';

/** Whether the optional native binding is installed (it cannot be here: its install downloads libtensorflow). */
function nativeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

const relu2: NetSpec = { kind: 'mlp', inputDim: 5, widths: [8, 8], activation: { kind: 'relu' }, bias: { first: true, hidden: true, output: true } };

let tfjs: Engine;
let data: Dataset;
beforeAll(async () => {
  tfjs = await loadEngine('tfjs', { backend: 'wasm' });
  data = gaussianDataset(makeRng('tfjs-engine').child('data'), 20, 5, 'random');
});

describe('tfjs engine', () => {
  it('declares itself: float32 unit round-off and the backend in use', () => {
    expect(tfjs.info).toEqual({ name: 'tfjs', backend: 'wasm', unitRoundoff: 2 ** -24 });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('defaults to tfjs-node when installed, else wasm (SIMD, one thread)', async () => {
    const engine = await loadEngine('tfjs');
    expect(engine.info.backend).toBe(nativeInstalled() ? 'tensorflow' : 'wasm');
    if (engine.info.backend === 'wasm') expect(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')).toBe(true);
  });

  it('initializes θ exactly as the float64 engine does', () => {
    const a = tfjs.build(relu2).init(0.7, makeRng(3));
    const b = f64Engine.build(relu2).init(0.7, makeRng(3));
    expect(a).toEqual(b);
  });

  it('evaluates at the float32 image of θ and says so', () => {
    const net = tfjs.build(relu2);
    const theta = net.init(1, makeRng(4));
    const ev = net.at(theta, data);
    expect(ev.theta).toEqual(Float64Array.from(Float32Array.from(theta)));
    ev.dispose();
  });

  it('returns to its tensor count after 1 000 at/vjp/jvp/pattern/dispose cycles', () => {
    const net = tfjs.build(relu2);
    const rng = makeRng(5);
    const theta = net.init(1, rng.child('init'));
    const c = rng.child('c').fillGaussian(new Float64Array(data.n));
    const v = rng.child('v').fillGaussian(new Float64Array(theta.length));
    const g = new Float64Array(theta.length);
    const j = new Float64Array(data.n);
    const cycle = () => {
      const ev = net.at(theta, data);
      ev.vjp(c, g);
      ev.jvp(v, j);
      ev.pattern!();
      ev.dispose();
    };
    cycle(); // uploads X and Xᵀ once: they stay cached with the dataset
    const baseline = tf.memory();
    for (let i = 0; i < 1000; i++) cycle();
    expect(tf.memory().numTensors).toBe(baseline.numTensors);
    expect(tf.memory().numBytes).toBe(baseline.numBytes);
  });

  it('shows a float32 overflow as non-finite values, not an exception', () => {
    const net = tfjs.build(relu2);
    const theta = net.init(1, makeRng(6)).map((t) => t * 1e25);
    const ev = net.at(theta, data);
    expect(ev.margins.some((q) => !Number.isFinite(q))).toBe(true);
    expect(ev.vjp(new Float64Array(data.n).fill(1)).some((x) => !Number.isFinite(x))).toBe(true);
    ev.dispose();
  });

  it('excludes a sample whose pre-activation float32 legitimately puts on the other side of the kink', () => {
    // z = (1 + 2⁻³⁰)·1 − 1·1 = 2⁻³⁰ > 0 in float64; float32 rounds the weight to 1 and gets z = 0.
    const spec: NetSpec = { kind: 'mlp', inputDim: 2, widths: [1], activation: { kind: 'relu' } };
    const theta = new Float64Array([1 + 2 ** -30, -1, 1]);
    const one: Dataset = { n: 1, d: 2, x: new Float64Array([1, 1]), y: new Float64Array([1]) };
    const c: NetCase = { spec, net: f64Engine.build(spec), theta, data: one, seed: 1, zeros: 0 };
    for (const quantity of ['vjp', 'jvp'] as const) {
      const stats = newStats();
      const check = differentialProperty(quantity, tfjs.info, (s) => tfjs.build(s), stats).check(c);
      expect(check.tags).toContain('near-kink excluded');
      expect(check.ratio).toBeLessThanOrEqual(1);
      expect(stats).toEqual({ cases: 1, outOfRange: 0, kept: 0, excluded: 1 });
    }
  });
});

describe('tfjs engine: bad input', () => {
  it('rejects other net kinds and activations with one line naming them', () => {
    expect(() => tfjs.build({ kind: 'residual', inputDim: 3, width: 2 })).toThrow(
      new InputError('engine tfjs does not support net kind residual (supported: mlp)'),
    );
    expect(() => tfjs.build({ kind: 'mlp', inputDim: 3, widths: [2], activation: { kind: 'tanh' } })).toThrow(
      /activation = "tanh": engine tfjs does not support it \(supported: relu, leaky, identity, relupow\)/,
    );
  });

  it('rejects wrong shapes and a disposed evaluation', () => {
    const net = tfjs.build(relu2);
    const theta = net.init(1, makeRng(7));
    expect(() => net.at(theta.subarray(1), data)).toThrow(InputError);
    expect(() => net.at(theta, { ...data, d: 4 })).toThrow(/data\.d = 4/);
    const ev = net.at(theta, data);
    expect(() => ev.vjp(new Float64Array(3))).toThrow(/c\.length = 3/);
    expect(() => ev.jvp(new Float64Array(3))).toThrow(/v\.length = 3/);
    ev.dispose();
    expect(() => ev.vjp(new Float64Array(data.n))).toThrow(/after dispose/);
  });

  it('names an unknown or uninstalled backend and the available ones', async () => {
    await expect(loadEngine('tfjs', { backend: 'metal' })).rejects.toThrow(
      new InputError('backend = "metal": unknown tfjs backend (available: wasm, cpu)'.replace('wasm', nativeInstalled() ? 'tensorflow, wasm' : 'wasm')),
    );
    if (nativeInstalled()) {
      expect((await loadEngine('tfjs', { backend: 'tensorflow' })).info.backend).toBe('tensorflow');
    } else {
      await expect(loadEngine('tfjs', { backend: 'tensorflow' })).rejects.toThrow(
        new InputError('backend = "tensorflow": @tensorflow/tfjs-node is not installed (available: wasm, cpu)'),
      );
    }
    expect(tf.getBackend()).toBe('wasm'); // the failed attempts left the active backend alone
    await expect(loadEngine('f64', { backend: 'wasm' })).rejects.toThrow(InputError);
    expect(F64_INFO.backend).toBe('js');
  });
});
