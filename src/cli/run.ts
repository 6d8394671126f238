/**
 * `margincheck run [config.json]`: one seeded Theorem 3.1 check (THEORY §5) on the configured data,
 * net, algorithm and engine — with the margins reached, the KKT residual R at the ends of the finest
 * Δq level (Theorem 3.8) and the linear oracle's γ* for linear models. The CLI checks the input and
 * orchestrates; src/report/run.ts prints the run and writes its JSON record and HTML page (the
 * Theorem 3.1 evidence and trajectory charts), atomically, listed in the folder's index.html.
 * Exit 0 unless the verdict is `violated` (1); bad input exits 2 before anything is computed or written.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Dataset, Net } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { makeRng } from '../core/rng.js';
import { algorithmNorm, buildData, DEFAULT_RUN_CONFIG, netSpec, parseRunConfig, requireFits, requireInputScale, type RunConfig } from '../config/run.js';
import { requireSeparable } from '../config/separability.js';
import { getLoss, type Loss } from '../losses/index.js';
import { buildNet, loadEngine, vjpAt } from '../engines/index.js';
import { makeNorm } from '../norms/index.js';
import { maxMarginLinear } from '../oracles/linear.js';
import { checkTheorem31 } from '../theorems/theorem31.js';
import { FlowTrace } from '../trajectory/trace.js';
import { checkOutputFolder, claimOutputFolder } from './output.js';

/** A config file is small: at most 1 MiB (checked before reading, so /dev/zero or a FIFO cannot hang the run). */
const CONFIG_BYTES = 2 ** 20;

export function readRunConfig(path: string | undefined): RunConfig {
  if (path === undefined) return DEFAULT_RUN_CONFIG;
  const where = `config ${JSON.stringify(path)}`;
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${where}: not a regular file`);
    if (st.size > CONFIG_BYTES) throw new InputError(`${where}: ${st.size} bytes, more than the limit of ${CONFIG_BYTES} for a config`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${where}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  const config = parseRunConfig(raw);
  // data.path is relative to the config file; stored relative to the working directory.
  if (config.data.kind === 'file' && !isAbsolute(config.data.path)) {
    config.data = { kind: 'file', path: relative(process.cwd(), resolve(dirname(path), config.data.path)) || '.' };
  }
  return config;
}

/**
 * θ₀, its margins and its gradient must be finite floats, and the margins must not all underflow
 * to 0: a scale that breaks float64 at step 0 is bad input (named with its value), not a run that
 * ends `inconclusive`.
 */
function requireFiniteStart(config: RunConfig, net: Net, data: Dataset, theta: Float64Array, loss: Loss, degree: number): void {
  const bad = (what: string, fix: string) => new InputError(`config.init = ${config.init}: ${what} at step 0 (degree L = ${degree}); use a ${fix} init`);
  const firstBad = (a: Float64Array, name: string) => {
    const i = a.findIndex((v) => !Number.isFinite(v));
    return i < 0 ? null : `${name}[${i}] = ${a[i]}`;
  };
  const t = firstBad(theta, 'θ₀');
  if (t) throw bad(`θ₀ overflows float64 (${t})`, 'smaller');
  const q = net.margins(theta, data);
  const m = firstBad(q, 'q');
  if (m) throw bad(`the margins overflow (${m})`, 'smaller');
  // All margins 0 while the same θ₀ at scale 1 has some: the init scale underflowed (not dead units).
  if (q.every((v) => v === 0) && net.margins(theta.map((v) => v / config.init), data).some((v) => v !== 0)) {
    throw bad('every margin underflows to 0', 'larger');
  }
  const p = new Float64Array(data.n);
  loss.weights(q, p);
  const g = firstBad(vjpAt(net, theta, data, p), '∇');
  if (g) throw bad(`the gradient overflows (${g})`, 'smaller');
}

export async function run(configPath: string | undefined, out: string): Promise<number> {
  const config = readRunConfig(configPath);
  checkOutputFolder(out);
  const data = buildData(config.data, config.seed);
  requireFits(config.net, data.n, data.d);
  requireInputScale(data, config.data.kind === 'file' ? `data.path ${JSON.stringify(config.data.path)}: x` : 'data.x');
  requireSeparable(data, config.net);
  const spec = netSpec(config.net, data.d);
  const engine = await loadEngine(config.engine, config.backend === undefined ? {} : { backend: config.backend });
  const net = buildNet(spec, engine);
  const norm = algorithmNorm(config.algorithm);
  const loss = getLoss(config.loss);
  const degree = net.degree ?? config.degree!;
  const theta = net.init(config.init, makeRng(config.seed).child('init'));
  // The float64 judge sees θ₀ as the engine holds it (THEORY §9).
  requireFiniteStart(config, net.reference, data, theta, loss, degree);

  const folder = claimOutputFolder(out);
  try {
    // One run gives both claims' evidence: R (Theorem 3.8) is recorded at the ends of the finest level.
    const judge = net.reference;
    const trace = new FlowTrace(judge, data, loss, degree, [...new Set([norm, 'l1', 'l2', 'linf'])].map((n) => makeNorm(n, judge.layout)));
    const result = checkTheorem31({ net, data, theta, norm, loss, degree: config.degree }, { ...(config.kkt ? { kkt: {} } : {}), trace });
    const oracle = spec.kind === 'linear' ? (['l1', 'l2', 'linf'] as const).map((p) => maxMarginLinear(data, p)) : [];
    const outcome = { config, configPath, net, data, norm, loss, degree, result, oracle, trace: trace.points };
    const { runLines, writeRunReport } = await import('../report/run.js');
    const written = await writeRunReport(folder.dir, outcome);
    console.log([...runLines(outcome), `report: ${written.html} (and .json, ${written.charts.length} charts; index ${written.index})`].join('\n'));
    return result.verdict === 'violated' ? 1 : 0;
  } finally {
    folder.release();
  }
}
