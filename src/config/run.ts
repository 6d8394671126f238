/**
 * The `margincheck run` configuration: one JSON object naming the data, the net, the algorithm and
 * the seed. Parsing is strict — unknown keys, keys that do not apply to the chosen kind, wrong types,
 * out-of-range values and sizes beyond the stated limits are InputErrors naming the field — and
 * every omitted field takes the default shown in DEFAULT_RUN_CONFIG. The parsed config holds only
 * the fields that apply, which is what the report stores.
 */
import { statSync } from 'node:fs';
import { InputError, describe } from '../core/errors.js';
import type { Dataset } from '../core/types.js';
import { makeRng } from '../core/rng.js';
import { buildKernels, type Activation, type NetSpec } from '../nets/index.js';
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

type MlpActivation = Activation['kind'];

export type NetConfig =
  | { kind: 'mlp'; widths: number[]; activation: MlpActivation; alpha?: number; p?: number; bias: { first: boolean; hidden: boolean; output: boolean } }
  | { kind: 'linear' }
  | { kind: 'diagonal'; depth: number }
  | { kind: 'residual' | 'ensemble'; width: number };

export interface RunConfig {
  seed: number;
  data: DataConfig;
  net: NetConfig;
  /** Init scale of θ₀. */
  init: number;
  loss: string;
  /** Steepest-descent algorithm: gd, sign, coord, lp:<p>, spectral, spectral-sign. */
  algorithm: string;
  /** L for S and γ̃: only for nets that are not homogeneous (and required there). */
  degree?: number;
  /** KKT residual R (THEORY §7) at the ends of the finest Δq level: only for homogeneous nets. */
  kkt?: boolean;
  /** Compute engine of the trajectory (`f64` reference or `tfjs` float32); metrics are judged in float64 either way. */
  engine: EngineName;
  /** tfjs backend (`tensorflow`, `wasm`, `cpu`): only with engine tfjs; omitted = the first that initializes. */
  backend?: string;
}

export const DEFAULT_RUN_CONFIG: RunConfig = {
  seed: 1,
  data: { kind: 'teacher', n: 20, d: 8 },
  net: { kind: 'mlp', widths: [16], activation: 'relu', bias: { first: false, hidden: false, output: false } },
  init: 0.5,
  loss: 'exp',
  algorithm: 'gd',
  kkt: true,
  engine: 'f64',
};

/**
 * Size limits, checked before anything is allocated. Memory: every array a run holds (inputs N·d,
 * parameters P, one layer's activations N·width) at most 2^25 float64 values (256 MiB). Work: one
 * full-batch forward + vjp costs ≈ 4·N·P flops and a run takes up to ~10⁵ steps, so N·P ≤ 2^28
 * (≈ 1 s per step at the engine's ~1 GFLOP/s here); data files at most 64 MiB.
 */
export const LIMITS = { floats: 2 ** 25, work: 2 ** 28, fileBytes: 64 * 2 ** 20, inputScale: 1e100 } as const;

/**
 * Input magnitudes: the largest |x| within [1e-100, 1e100]. q = y·f(x) scales like |x|·‖θ‖^L and the
 * late phase drives q_min to ~10³ and beyond; inside this range every intermediate of a run stays
 * far from float64's overflow (1.8e308) and underflow (2.2e-308) at any init a run accepts.
 */
export function requireInputScale(data: Dataset, field: string): void {
  let max = 0;
  let at = 0;
  for (let i = 0; i < data.x.length; i++) {
    if (Math.abs(data.x[i]) > max) {
      max = Math.abs(data.x[i]);
      at = i;
    }
  }
  const where = `${field}[${Math.floor(at / data.d)}][${at % data.d}] = ${data.x[at]}`;
  if (max > LIMITS.inputScale) throw new InputError(`${where}: inputs beyond ±${LIMITS.inputScale} overflow the margins`);
  if (max < 1 / LIMITS.inputScale) throw new InputError(`${field}: largest |x| = ${max}: every input is below ${1 / LIMITS.inputScale} (margins underflow)`);
}

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

/** Rejects keys outside `allowed`; `why` tells what decides the allowed keys. */
function onlyKeys(o: Obj, allowed: readonly string[], field: string, why = ''): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new InputError(`${field}.${k}: ${why ? `does not apply ${why}` : 'unknown key'} (valid: ${allowed.join(', ')})`);
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

const posInt = (x: number) => Number.isSafeInteger(x) && x > 0;
const positive = (x: number) => Number.isFinite(x) && x > 0;
const POS_INT = 'must be a positive integer';

function parseData(v: unknown): DataConfig {
  const o = object(v, 'data');
  const kind = choice(o, 'kind', 'data', 'teacher', ['teacher', 'random', 'positive', 'clusters', 'file'] as const);
  const forKind = `to data.kind = ${JSON.stringify(kind)}`;
  if (kind === 'file') {
    onlyKeys(o, ['kind', 'path'], 'data', forKind);
    if (typeof o.path !== 'string' || o.path === '') throw new InputError(`data.path = ${describe(o.path)}: must name a .json or .csv file`);
    return { kind, path: o.path };
  }
  const n = num(o, 'n', 'data', 20, posInt, POS_INT);
  const d = num(o, 'd', 'data', 8, posInt, POS_INT);
  if (n * d > LIMITS.floats) throw new InputError(`data.n × data.d = ${n} × ${d}: more than the limit of ${LIMITS.floats} inputs (256 MiB of float64)`);
  if (kind === 'clusters') {
    onlyKeys(o, ['kind', 'n', 'd', 'separation', 'spread'], 'data', forKind);
    const scale = `at most ${LIMITS.inputScale} (inputs beyond overflow the margins)`;
    const separation = num(o, 'separation', 'data', 1, (x) => x > 0 && x <= LIMITS.inputScale, `must be positive and ${scale}`);
    const spread = num(o, 'spread', 'data', 0.5, (x) => x >= 0 && x <= LIMITS.inputScale, `must be ≥ 0 and ${scale}`);
    return { kind, n, d, separation, spread };
  }
  onlyKeys(o, ['kind', 'n', 'd'], 'data', forKind);
  return { kind, n, d };
}

const MLP_KEYS = ['kind', 'widths', 'activation', 'bias'];

function parseNet(v: unknown): NetConfig {
  const o = object(v, 'net');
  const kind = choice(o, 'kind', 'net', 'mlp', ['mlp', 'linear', 'diagonal', 'residual', 'ensemble'] as const);
  const forKind = `to net.kind = ${JSON.stringify(kind)}`;
  switch (kind) {
    case 'linear':
      onlyKeys(o, ['kind'], 'net', forKind);
      return { kind };
    case 'diagonal':
      onlyKeys(o, ['kind', 'depth'], 'net', forKind);
      return { kind, depth: num(o, 'depth', 'net', 2, posInt, POS_INT) };
    case 'residual':
    case 'ensemble':
      onlyKeys(o, ['kind', 'width'], 'net', forKind);
      return { kind, width: num(o, 'width', 'net', 16, posInt, POS_INT) };
    case 'mlp': {
      const activation = choice(o, 'activation', 'net', 'relu', ['relu', 'leaky', 'identity', 'relupow', 'tanh', 'softplus', 'gelu'] as const);
      const extra = activation === 'leaky' ? ['alpha'] : activation === 'relupow' ? ['p'] : [];
      onlyKeys(o, [...MLP_KEYS, ...extra], 'net', `to net.kind = "mlp" with net.activation = ${JSON.stringify(activation)}`);
      const widths = o.widths ?? [16];
      if (!Array.isArray(widths) || !widths.every((w) => typeof w === 'number' && posInt(w))) {
        throw new InputError(`net.widths = ${describe(widths)}: must be an array of positive integers`);
      }
      const bias = object(o.bias ?? {}, 'net.bias');
      onlyKeys(bias, ['first', 'hidden', 'output'], 'net.bias');
      const net: NetConfig = {
        kind,
        widths: widths as number[],
        activation,
        bias: { first: bool(bias, 'first', 'net.bias', false), hidden: bool(bias, 'hidden', 'net.bias', false), output: bool(bias, 'output', 'net.bias', false) },
      };
      if (activation === 'leaky') net.alpha = num(o, 'alpha', 'net', 0.1, (x) => Number.isFinite(x) && x >= 0 && x < 1, 'must be in [0, 1)');
      if (activation === 'relupow') net.p = num(o, 'p', 'net', 2, (x) => Number.isFinite(x) && x >= 1, 'must be ≥ 1');
      return net;
    }
  }
}

/** Parameter count P of a net on d inputs, without building it. */
function parameterCount(net: NetConfig, d: number): number {
  switch (net.kind) {
    case 'linear':
      return d;
    case 'diagonal':
      return net.depth * d;
    case 'residual':
      return net.width * (d + net.width + 1);
    case 'ensemble':
      return d + net.width * (d + 1);
    case 'mlp': {
      const dims = [d, ...net.widths, 1];
      return dims.slice(1).reduce((p, out, i) => p + out * (dims[i] + 1), 0); // an upper bound with every bias
    }
  }
}

/**
 * The size limits for this net on N samples of dimension d (LIMITS); throws naming the field. Call
 * before building anything.
 */
export function requireFits(net: NetConfig, n: number, d: number): void {
  const p = parameterCount(net, d);
  const field = net.kind === 'mlp' ? 'net.widths' : net.kind === 'diagonal' ? 'net.depth' : net.kind === 'linear' ? 'data.d' : 'net.width';
  const value = net.kind === 'mlp' ? describe(net.widths) : net.kind === 'diagonal' ? net.depth : net.kind === 'linear' ? d : net.width;
  if (p > LIMITS.floats) throw new InputError(`${field} = ${value}: ${p.toExponential(2)} parameters, more than the limit of ${LIMITS.floats} (256 MiB of float64)`);
  const widest = net.kind === 'mlp' ? Math.max(1, ...net.widths) : net.kind === 'residual' || net.kind === 'ensemble' ? net.width : d;
  if (n * widest > LIMITS.floats) throw new InputError(`${field} = ${value}: N × width = ${(n * widest).toExponential(2)} activations, more than the limit of ${LIMITS.floats}`);
  if (n * p > LIMITS.work) throw new InputError(`${field} = ${value}: N × P = ${n} × ${p} = ${(n * p).toExponential(2)}, more than the work limit of ${LIMITS.work.toExponential(2)} per step`);
}

const isHomogeneous = (net: NetConfig) => buildKernels(netSpec(net, 1)).degree !== null;

/** Parses and validates a run config (already JSON-decoded). */
export function parseRunConfig(raw: unknown): RunConfig {
  const o = object(raw, 'config');
  onlyKeys(o, ['seed', 'data', 'net', 'init', 'loss', 'algorithm', 'degree', 'kkt', 'engine', 'backend'], 'config');
  const def = DEFAULT_RUN_CONFIG;
  const algorithm = o.algorithm ?? def.algorithm;
  if (typeof algorithm !== 'string') throw new InputError(`config.algorithm = ${describe(algorithm)}: must be a string`);
  algorithmNorm(algorithm);
  const data = o.data === undefined ? def.data : parseData(o.data);
  const net = o.net === undefined ? def.net : parseNet(o.net);
  if (data.kind !== 'file') requireFits(net, data.n, data.d);
  else requireFits(net, 1, 1); // the widths alone; N and d are checked once the file is read
  const config: RunConfig = {
    seed: num(o, 'seed', 'config', def.seed, Number.isSafeInteger, 'must be an integer with |seed| ≤ 2^53 − 1'),
    data,
    net,
    init: num(o, 'init', 'config', def.init, positive, 'must be a positive number'),
    loss: choice(o, 'loss', 'config', def.loss, LOSS_NAMES),
    algorithm,
    engine: choice(o, 'engine', 'config', def.engine, ENGINE_NAMES),
  };
  if (o.backend !== undefined) {
    if (config.engine !== 'tfjs') throw new InputError(`config.backend = ${describe(o.backend)}: does not apply to config.engine = ${JSON.stringify(config.engine)} (tfjs only)`);
    config.backend = choice(o, 'backend', 'config', 'wasm', TFJS_BACKENDS);
  }
  if (isHomogeneous(net)) {
    if (o.degree !== undefined) throw new InputError(`config.degree = ${describe(o.degree)}: does not apply (the net is homogeneous, L is its own degree)`);
    config.kkt = bool(o, 'kkt', 'config', true);
  } else {
    if (o.kkt !== undefined) throw new InputError(`config.kkt = ${describe(o.kkt)}: does not apply (the KKT residual needs a homogeneous net)`);
    if (o.degree === undefined) throw new InputError('config.degree: required for a net that is not homogeneous (the L used for S and γ̃, e.g. 2 for a 2-layer net)');
    // L is a layer count: S = 4/L stays a horizon of a few windows (THEORY §5.2).
    config.degree = num(o, 'degree', 'config', 0, (x) => x >= 1 && x <= 100, 'must be a number from 1 to 100 (the layer count L)');
  }
  return config;
}

export function buildData(c: DataConfig, seed: number): Dataset {
  const rng = makeRng(seed).child('data');
  switch (c.kind) {
    case 'file': {
      let size: number;
      try {
        const st = statSync(c.path);
        if (!st.isFile()) throw new InputError(`data.path = ${JSON.stringify(c.path)}: not a regular file`);
        size = st.size;
      } catch (err) {
        if (err instanceof InputError) throw err;
        throw new InputError(`data.path = ${JSON.stringify(c.path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
      }
      if (size > LIMITS.fileBytes) throw new InputError(`data.path = ${JSON.stringify(c.path)}: ${size} bytes, more than the limit of ${LIMITS.fileBytes} (64 MiB)`);
      return loadDataset(c.path);
    }
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
        c.activation === 'leaky' ? { kind: 'leaky', alpha: c.alpha! } : c.activation === 'relupow' ? { kind: 'relupow', p: c.p! } : { kind: c.activation };
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
