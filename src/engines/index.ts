/**
 * The engine registry (DESIGN.md "one seam"): an architecture is a plain-data NetSpec, an engine
 * turns it into the Net contract. `f64` is the float64 reference and the judge of every metric;
 * `tfjs` is float32 (a system under test), loaded on demand because its backends are heavy.
 */
import type { Dataset, Evaluation, Net } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { buildKernels, type NetSpec } from '../nets/index.js';
import { F64_INFO, wrapKernels } from './f64.js';
import type { Engine, EngineOptions } from './types.js';

export type { Engine, EngineOptions } from './types.js';
export { TFJS_BACKENDS } from './types.js';

export const ENGINE_NAMES = ['f64', 'tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export const f64Engine: Engine = { info: F64_INFO, build: (spec) => wrapKernels(buildKernels(spec)) };

/** The engine named `name` (async: a tfjs backend initializes on first use). */
export async function loadEngine(name: string, opts: EngineOptions = {}): Promise<Engine> {
  if (name === 'f64') {
    if (opts.backend !== undefined && opts.backend !== 'js') {
      throw new InputError(`backend = ${JSON.stringify(opts.backend)}: engine f64 has one backend (js)`);
    }
    return f64Engine;
  }
  if (name === 'tfjs') {
    let tfjs: typeof import('./tfjs/index.js');
    try {
      tfjs = await import('./tfjs/index.js');
    } catch (err) {
      // tfjs is an optional dependency (`npm install --omit=optional` leaves it out).
      if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
      throw new InputError('engine = "tfjs": @tensorflow/tfjs is not installed (npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm; available: f64)');
    }
    return tfjs.createTfjsEngine(opts);
  }
  throw new InputError(`engine = ${JSON.stringify(name)}: unknown engine (available: ${ENGINE_NAMES.join(', ')})`);
}

/** A Net for `spec` on `engine` (default: the float64 reference). */
export function buildNet(spec: NetSpec, engine: Engine = f64Engine): Net {
  return engine.build(spec);
}

export type { NetSpec };

/** f(net.at(θ, data)), disposing the evaluation afterwards (one-shot uses outside a loop). */
export function withEvaluation<T>(net: Net, theta: Float64Array, data: Dataset, f: (ev: Evaluation) => T): T {
  const ev = net.at(theta, data);
  try {
    return f(ev);
  } finally {
    ev.dispose();
  }
}

/** Σ c_n ∇q_n(θ) from a one-shot evaluation. */
export const vjpAt = (net: Net, theta: Float64Array, data: Dataset, c: Float64Array, out?: Float64Array): Float64Array =>
  withEvaluation(net, theta, data, (ev) => ev.vjp(c, out));

/** ⟨∇q_n(θ), v⟩ from a one-shot evaluation. */
export const jvpAt = (net: Net, theta: Float64Array, data: Dataset, v: Float64Array, out?: Float64Array): Float64Array =>
  withEvaluation(net, theta, data, (ev) => ev.jvp(v, out));

/** The activation pattern at θ (undefined for nets without kinks). */
export const patternAt = (net: Net, theta: Float64Array, data: Dataset): Uint8Array | undefined =>
  withEvaluation(net, theta, data, (ev) => ev.pattern?.());

/** True when the net computes in less than float64 (its θ lives on the float32 grid, THEORY §9). */
export const isReduced = (net: Net): boolean => net.engine.unitRoundoff > F64_INFO.unitRoundoff;

/** Rounds θ in place to the engine's parameter grid (float32 for tfjs): the exact float64 image the judge evaluates. */
export function toEngineGrid(net: Net, theta: Float64Array): Float64Array {
  if (isReduced(net)) for (let i = 0; i < theta.length; i++) theta[i] = Math.fround(theta[i]);
  return theta;
}
