/**
 * Data that no net of the configured kind can separate (every algorithm alike: separability is a
 * property of the function class, not of the optimizer). The checks follow from what the class
 * cannot do:
 *  - any model: two identical inputs with opposite labels;
 *  - f(0) = 0 (no bias; φ(0) = 0): an all-zero input has margin 0 forever;
 *  - positively homogeneous in x (bias-free ReLU-type MLPs, linear, diagonal, residual, ensemble:
 *    f(cx) = c^k f(x) for c > 0): two inputs on one ray from 0 with opposite labels;
 *  - odd (bias-free tanh MLPs: f(−x) = −f(x)): two opposite inputs with the same label;
 *  - one sign only (ReLU / relu^p MLPs without hidden or output bias, or a residual block, with a
 *    hidden width of 1: after that unit every layer sees one number t ≥ 0 and, bias-free, gives
 *    g(t) = t^k g(1)): both labels present;
 *  - linear in x (linear, diagonal ⟨u₁ ⊙ … ⊙ u_k, x⟩, identity MLPs and MLPs without a hidden
 *    layer; affine with a bias): not
 *    linearly separable, decided by the exact LP oracle (γ*_∞ > 0 iff separable, THEORY §8).
 */
import type { Dataset } from '../core/types.js';
import { describe, InputError } from '../core/errors.js';
import { makeDataset } from '../data/dataset.js';
import { maxMarginLinear } from '../oracles/linear.js';
import type { NetConfig } from './run.js';

interface FunctionClass {
  readonly name: string;
  readonly zeroAtOrigin: boolean;
  readonly rayHomogeneous: boolean;
  readonly odd: boolean;
  readonly oneSign: boolean;
  readonly linear: 'linear' | 'affine' | null;
}

export function functionClass(net: NetConfig): FunctionClass {
  if (net.kind !== 'mlp') {
    const name = { linear: 'a linear model', diagonal: 'a diagonal net', residual: 'a residual net', ensemble: 'a linear + ReLU ensemble' }[net.kind];
    const linear = net.kind === 'linear' || net.kind === 'diagonal' ? 'linear' : null;
    return { name, zeroAtOrigin: true, rayHomogeneous: true, odd: false, oneSign: net.kind === 'residual' && net.width === 1, linear };
  }
  const biased = net.bias.first || net.bias.hidden || net.bias.output;
  const a = net.activation;
  const reluType = a === 'relu' || a === 'leaky' || a === 'relupow' || a === 'identity';
  return {
    name: `a${biased ? '' : ' bias-free'} ${a} MLP${net.widths.length === 0 ? ' without hidden layers' : ''}`,
    zeroAtOrigin: !biased && a !== 'softplus',
    rayHomogeneous: !biased && reluType,
    odd: !biased && a === 'tanh',
    oneSign: (a === 'relu' || a === 'relupow') && !net.bias.hidden && !net.bias.output && net.widths.includes(1),
    // No hidden layer (widths []) or identity units: a linear map of x.
    linear: a === 'identity' || net.widths.length === 0 ? (biased ? 'affine' : 'linear') : null,
  };
}

const row = (data: Dataset, i: number) => data.x.subarray(i * data.d, (i + 1) * data.d);
const shown = (data: Dataset, i: number) => `data.x[${i}] = ${describe(Array.from(row(data, i)))}`;

/** Direction key of a nonzero row: x/‖x‖_∞ to 12 significant digits. */
function rayKey(x: Float64Array): string {
  const m = Math.max(...x.map(Math.abs));
  return Array.from(x, (v) => (v / m).toPrecision(12)).join(',');
}

/** Throws an InputError naming the samples when no net of the configured kind can separate `data`. */
export function requireSeparable(data: Dataset, net: NetConfig): void {
  const c = functionClass(net);
  const fail = (why: string): never => {
    throw new InputError(`${why}: ${c.name} cannot separate them (not separable)`);
  };
  const exact = new Map<string, number>();
  const rays = new Map<string, number>();
  for (let i = 0; i < data.n; i++) {
    const x = row(data, i);
    const zero = x.every((v) => v === 0);
    if (zero && c.zeroAtOrigin) fail(`${shown(data, i)} with f(0) = 0 for every θ`);
    const key = x.join(',');
    const j = exact.get(key);
    if (j !== undefined && data.y[j] !== data.y[i]) fail(`${shown(data, j)} and data.x[${i}] are identical with labels ${data.y[j]} and ${data.y[i]}`);
    exact.set(key, i);
    if (c.odd) {
      const k = exact.get(Array.from(x, (v) => -v).join(','));
      if (k !== undefined && !zero && data.y[k] === data.y[i]) fail(`${shown(data, k)} and data.x[${i}] are opposite with the same label ${data.y[i]} (f is odd)`);
    }
    if (c.rayHomogeneous && !zero) {
      const r = rayKey(x);
      const k = rays.get(r);
      if (k !== undefined && data.y[k] !== data.y[i]) {
        fail(`${shown(data, k)} and ${shown(data, i)} lie on one ray from 0 with labels ${data.y[k]} and ${data.y[i]} (f(cx) = c^k f(x) for c > 0)`);
      }
      rays.set(r, i);
    }
  }
  if (c.oneSign && data.y.includes(1) && data.y.includes(-1)) {
    const width = net.kind === 'mlp' ? `net.widths = ${describe(net.widths)}` : `net.width = 1`;
    fail(`${width} leaves the output one sign (a single unit ≥ 0 feeds every later layer) while data.y has both labels`);
  }
  if (c.linear) {
    // Affine models: the LP on inputs with a constant feature appended.
    const d = c.linear === 'affine' ? data.d + 1 : data.d;
    const x = c.linear === 'affine' ? Float64Array.from({ length: data.n * d }, (_, k) => (k % d === data.d ? 1 : data.x[Math.floor(k / d) * data.d + (k % d)])) : data.x;
    try {
      maxMarginLinear(makeDataset(x, data.y, data.n, d), 'linf');
    } catch (err) {
      if (err instanceof InputError) fail(`data is not ${c.linear === 'affine' ? 'affinely' : 'linearly'} separable (${err.message.replace(/^data is not linearly separable \(|\)$/g, '')})`);
      throw err;
    }
  }
}
