/**
 * The `margincheck run` configuration: one JSON object naming the data, the net, the algorithm and
 * the seed. Parsing is strict — unknown keys, wrong types and out-of-range values are InputErrors
 * naming the field — and every omitted field takes the default shown in DEFAULT_RUN_CONFIG.
 */
import { InputError, describe } from '../core/errors.js';
import type { Dataset } from '../core/types.js';
import { makeRng } from '../core/rng.js';
import type { Activation, NetSpec } from '../nets/index.js';
import { clusterDataset } from '../data/clusters.js';
import { loadDataset } from '../data/load.js';
import { gaussianDataset } from '../data/synthetic.js';
import { ENGINE_NAMES, TFJS_BACKENDS, type EngineName } from '../engines/index.js';
import { LOSS_NAMES } from '../losses/index.js';
import { makeNorm } from '../norms/index.js';
import { steepestNormName, STEEPEST_NAMES } from '../optimizers/index.js';

export type DataConfig =
  | { kind: 'teacher' | 'random' | 'positive'; n: number; d: number }
  | { kind: 'clusters'; n: number; d: number; separation: number; spread: number }
  | { kind: 'file'; path: string };

export interface NetConfig {
  kind: 'mlp' | 'linear' | 'diagonal' | 'residual' | 'ensemble';
  widths: number[];
  activation: Activation['kind'];
  alpha: number;
  p: number;
  bias: { first: boolean; hidden: boolean; output: boolean };
  depth: number;
  width: number;
}

export interface RunConfig {
  seed: number;
  data: DataConfig;
  net: NetConfig;
  /** Init scale of θ₀. */
  init: number;
  loss: string;
  /** Steepest-descent algorithm: gd, sign, coord, lp:<p>, spectral, spectral-sign. */
  algorithm: string;
  /** L for S and γ̃ when the net is not homogeneous; ignored otherwise. */
  degree: number | null;
  /** KKT residual R (THEORY §7) at the start and end of the finest Δq level (homogeneous nets). */
  kkt: boolean;
  /** Compute engine of the trajectory (`f64` reference or `tfjs` float32); metrics are judged in float64 either way. */
  engine: EngineName;
  /** tfjs backend (`tensorflow`, `wasm`, `cpu`); null = the first that initializes. */
  backend: string | null;
}

export const DEFAULT_RUN_CONFIG: RunConfig = {
  seed: 1,
  data: { kind: 'teacher', n: 20, d: 8 },
  net: {
    kind: 'mlp',
    widths: [16],
    activation: 'relu',
    alpha: 0.1,
    p: 2,
    bias: { first: false, hidden: false, output: false },
    depth: 2,
    width: 16,
  },
  init: 0.5,
  loss: 'exp',
  algorithm: 'gd',
  degree: null,
  kkt: true,
  engine: 'f64',
  backend: null,
};

/** The norm whose steepest flow the algorithm is (THEORY §3), from the optimizer registry. */
export function algorithmNorm(algorithm: string): string {
  const norm = steepestNormName(algorithm);
  if (norm === null) {
    throw new InputError(`algorithm = ${JSON.stringify(algorithm)}: not a steepest-descent algorithm (valid: ${STEEPEST_NAMES.join(', ')}, lp:<p>)`);
  }
  makeNorm(norm, { size: 0, layers: [] }); // validates lp:<p>
  return norm;
}

type Obj = Record<string, unknown>;

function object(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`${field} = ${describe(v)}: must be an object`);
  return v as Obj;
}

function noUnknownKeys(o: Obj, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new InputError(`${field}.${k}: unknown key (valid: ${allowed.join(', ')})`);
  }
}

function num(o: Obj, key: string, field: string, fallback: number, ok: (x: number) => boolean, want: string): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !ok(v)) throw new InputError(`${field}.${key} = ${describe(v)}: ${want}`);
  return v;
}

function choice<T extends string>(o: Obj, key: string, field: string, fallback: T, valid: readonly T[]): T {
  const v = o[key] ?? fallback;
  if (typeof v !== 'string' || !valid.includes(v as T)) {
    throw new InputError(`${field}.${key} = ${describe(v)}: unknown (valid: ${valid.join(', ')})`);
  }
  return v as T;
}

function bool(o: Obj, key: string, field: string, fallback: boolean): boolean {
  const v = o[key] ?? fallback;
  if (typeof v !== 'boolean') throw new InputError(`${field}.${key} = ${describe(v)}: must be true or false`);
  return v;
}

const posInt = (x: number) => Number.isInteger(x) && x > 0;
const positive = (x: number) => Number.isFinite(x) && x > 0;

function parseData(v: unknown): DataConfig {
  const o = object(v, 'data');
  const kind = choice(o, 'kind', 'data', 'teacher', ['teacher', 'random', 'positive', 'clusters', 'file'] as const);
  if (kind === 'file') {
    noUnknownKeys(o, ['kind', 'path'], 'data');
    if (typeof o.path !== 'string' || o.path === '') throw new InputError(`data.path = ${describe(o.path)}: must name a .json or .csv file`);
    return { kind, path: o.path };
  }
  const n = num(o, 'n', 'data', 20, posInt, 'must be a positive integer');
  const d = num(o, 'd', 'data', 8, posInt, 'must be a positive integer');
  if (kind === 'clusters') {
    noUnknownKeys(o, ['kind', 'n', 'd', 'separation', 'spread'], 'data');
    const separation = num(o, 'separation', 'data', 1, positive, 'must be a positive number');
    const spread = num(o, 'spread', 'data', 0.5, (x) => Number.isFinite(x) && x >= 0, 'must be ≥ 0');
    return { kind, n, d, separation, spread };
  }
  noUnknownKeys(o, ['kind', 'n', 'd'], 'data');
  return { kind, n, d };
}

function parseNet(v: unknown): NetConfig {
  const o = object(v, 'net');
  const def = DEFAULT_RUN_CONFIG.net;
  noUnknownKeys(o, ['kind', 'widths', 'activation', 'alpha', 'p', 'bias', 'depth', 'width'], 'net');
  const kind = choice(o, 'kind', 'net', def.kind, ['mlp', 'linear', 'diagonal', 'residual', 'ensemble'] as const);
  const widths = o.widths ?? def.widths;
  if (!Array.isArray(widths) || !widths.every((w) => typeof w === 'number' && posInt(w))) {
    throw new InputError(`net.widths = ${describe(widths)}: must be an array of positive integers`);
  }
  const activation = choice(o, 'activation', 'net', def.activation, ['relu', 'leaky', 'identity', 'relupow', 'tanh', 'softplus', 'gelu'] as const);
  const bias = object(o.bias ?? {}, 'net.bias');
  noUnknownKeys(bias, ['first', 'hidden', 'output'], 'net.bias');
  return {
    kind,
    widths: widths as number[],
    activation,
    alpha: num(o, 'alpha', 'net', def.alpha, (x) => Number.isFinite(x) && x >= 0 && x < 1, 'must be in [0, 1)'),
    p: num(o, 'p', 'net', def.p, (x) => Number.isFinite(x) && x >= 1, 'must be ≥ 1'),
    bias: {
      first: bool(bias, 'first', 'net.bias', false),
      hidden: bool(bias, 'hidden', 'net.bias', false),
      output: bool(bias, 'output', 'net.bias', false),
    },
    depth: num(o, 'depth', 'net', def.depth, posInt, 'must be a positive integer'),
    width: num(o, 'width', 'net', def.width, posInt, 'must be a positive integer'),
  };
}

/** Parses and validates a run config (already JSON-decoded). */
export function parseRunConfig(raw: unknown): RunConfig {
  const o = object(raw, 'config');
  noUnknownKeys(o, ['seed', 'data', 'net', 'init', 'loss', 'algorithm', 'degree', 'kkt', 'engine', 'backend'], 'config');
  const def = DEFAULT_RUN_CONFIG;
  const algorithm = o.algorithm ?? def.algorithm;
  if (typeof algorithm !== 'string') throw new InputError(`config.algorithm = ${describe(algorithm)}: must be a string`);
  algorithmNorm(algorithm);
  const degree = o.degree ?? null;
  if (degree !== null && !(typeof degree === 'number' && positive(degree))) {
    throw new InputError(`config.degree = ${describe(degree)}: must be a positive number (or omitted)`);
  }
  return {
    seed: num(o, 'seed', 'config', def.seed, Number.isInteger, 'must be an integer'),
    data: o.data === undefined ? def.data : parseData(o.data),
    net: o.net === undefined ? def.net : parseNet(o.net),
    init: num(o, 'init', 'config', def.init, positive, 'must be a positive number'),
    loss: choice(o, 'loss', 'config', def.loss, LOSS_NAMES),
    algorithm,
    degree: degree as number | null,
    kkt: bool(o, 'kkt', 'config', def.kkt),
    engine: choice(o, 'engine', 'config', def.engine, ENGINE_NAMES),
    backend: o.backend === undefined || o.backend === null ? null : choice(o, 'backend', 'config', 'wasm', TFJS_BACKENDS),
  };
}

export function buildData(c: DataConfig, seed: number): Dataset {
  const rng = makeRng(seed).child('data');
  switch (c.kind) {
    case 'file':
      return loadDataset(c.path);
    case 'clusters':
      return clusterDataset(rng, c.n, c.d, { separation: c.separation, spread: c.spread });
    default:
      return gaussianDataset(rng, c.n, c.d, c.kind);
  }
}

export function netSpec(c: NetConfig, inputDim: number): NetSpec {
  switch (c.kind) {
    case 'mlp': {
      const activation: Activation =
        c.activation === 'leaky' ? { kind: 'leaky', alpha: c.alpha } : c.activation === 'relupow' ? { kind: 'relupow', p: c.p } : { kind: c.activation };
      return { kind: 'mlp', inputDim, widths: c.widths, activation, bias: c.bias };
    }
    case 'linear':
      return { kind: 'linear', inputDim };
    case 'diagonal':
      return { kind: 'diagonal', inputDim, depth: c.depth };
    case 'residual':
    case 'ensemble':
      return { kind: c.kind, inputDim, width: c.width };
  }
}
