/**
 * `margincheck fingerprint --optimizer <name | path/to/module.js>`: which margin does an optimizer
 * maximize? Input is checked before anything runs (exit 2, one line); the report is written
 * atomically; the terminal gets the one-line verdict and the report paths.
 */
import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, InputError } from '../core/errors.js';
import type { Layout } from '../core/types.js';
import { buildNet } from '../engines/index.js';
import { makeOptimizer, type Optimizer, type OptimizerOptions } from '../optimizers/index.js';
import { validateOptimizerModule } from '../optimizers/userModule.js';
import type { OptimizerFactory } from './battery.js';
import { judge, runBatteries, runReferences, REFERENCES } from './fingerprint.js';
import { batteryOptions, DEFAULT_DQ, memoryDq } from './options.js';
import { writeFingerprint } from './report.js';

export interface FingerprintCliOptions {
  readonly optimizer: string;
  readonly options?: string;
  readonly quick?: boolean;
  readonly seed: string;
  readonly out: string;
  readonly timeLimit: string;
  /** Δq of the schedule for the optimizer under test (default: memoryDq, or 0.5 for a module). */
  readonly dq?: string;
}

/** A path (has a slash or a .js/.mjs ending) rather than a registry name. */
const isPath = (s: string) => /[\\/]/.test(s) || /\.m?js$/.test(s);

function parseOptions(text: string | undefined): OptimizerOptions {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new InputError(`--options = ${describe(text)}: not valid JSON (${(err as Error).message})`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`--options = ${describe(text)}: must be a JSON object such as {"beta1": 0}`);
  return v as OptimizerOptions;
}

/** A user module's calls wrapped so a throw in the middle of a run is one line too. */
function guarded(opt: Optimizer<unknown>, source: string): Optimizer<unknown> {
  const wrap =
    <A extends unknown[], R>(what: string, f: (...a: A) => R) =>
    (...a: A): R => {
      try {
        return f(...a);
      } catch (err) {
        throw new InputError(`${source}: ${what} threw during a run: ${err instanceof Error ? err.message : describe(err)}`);
      }
    };
  return { ...opt, init: wrap('init', opt.init), direction: wrap('direction', opt.direction), update: wrap('update', opt.update) };
}

/** The optimizer as a factory, validated on both batteries' layouts before anything runs. */
async function resolveOptimizer(spec: string, options: OptimizerOptions, layouts: readonly Layout[]): Promise<OptimizerFactory> {
  if (!isPath(spec)) {
    for (const layout of layouts) makeOptimizer(spec, layout, options); // unknown name or option: InputError now
    return (layout) => makeOptimizer(spec, layout, options);
  }
  if (Object.keys(options).length > 0) throw new InputError(`--options = ${describe(options)}: only for registered optimizers (a module sets its own hyper-parameters)`);
  const file = resolve(spec);
  if (!existsSync(file)) throw new InputError(`--optimizer = ${describe(spec)}: no such file`);
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    throw new InputError(`--optimizer = ${describe(spec)}: cannot load the module: ${(err as Error).message.split('\n')[0]}`);
  }
  for (const layout of layouts) validateOptimizerModule(mod, layout, spec);
  return (layout) => guarded(validateOptimizerModule(mod, layout, spec), spec);
}

export async function fingerprintCommand(opts: FingerprintCliOptions): Promise<number> {
  const limit = Number(opts.timeLimit);
  if (!(Number.isFinite(limit) && limit > 0)) throw new InputError(`--time-limit = ${describe(opts.timeLimit)}: must be a positive number of seconds`);
  const options = parseOptions(opts.options);
  const dq = opts.dq === undefined ? (isPath(opts.optimizer) ? DEFAULT_DQ : memoryDq(opts.optimizer, options)) : Number(opts.dq);
  if (!(Number.isFinite(dq) && dq > 0 && dq <= DEFAULT_DQ)) throw new InputError(`--dq = ${describe(opts.dq)}: must be a number in (0, ${DEFAULT_DQ}]`);
  const t0 = performance.now();
  const size = opts.quick ? 'quick' : 'full';
  const o = batteryOptions(size, opts.seed, t0 + 1000 * limit);
  const own = batteryOptions(size, opts.seed, t0 + 1000 * limit, dq);
  const layouts = [
    buildNet({ kind: 'linear', inputDim: o.linear.shape.d }).layout,
    buildNet({ kind: 'mlp', inputDim: o.net.shape.d, widths: [o.net.shape.width], activation: { kind: 'relu' } }).layout,
  ];
  const make = await resolveOptimizer(opts.optimizer, options, layouts);

  const refs = runReferences(o);
  // A module is named by its file name: fingerprint-my-optimizer.json.
  const name = isPath(opts.optimizer) ? basename(opts.optimizer, extname(opts.optimizer)) : opts.optimizer;
  const fingerprint = judge(name, runBatteries(make, own, refs.cases), refs);
  const references = Object.keys(REFERENCES).map((name) => judge(name, refs.runs[name], refs));
  const wallSeconds = (performance.now() - t0) / 1000;
  const paths = await writeFingerprint(opts.out, { optimizer: name, options, battery: own, references: o, wallSeconds, fingerprint, referencePrints: references });
  const cut = [fingerprint.runs, ...Object.values(refs.runs)].flatMap((b) => [...b.linear, ...b.net]).filter((run) => run.stop.includes('wall clock')).length;
  console.log(fingerprint.verdict + (cut ? ` — ${cut} runs cut short by --time-limit ${limit} s` : ''));
  console.log(`${size} battery, Δq = ${dq.toPrecision(3)} (references ${DEFAULT_DQ}), ${wallSeconds.toFixed(1)} s; report: ${paths.html}`);
  return 0;
}
