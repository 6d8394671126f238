/**
 * `margincheck run [config.json]`: one seeded Theorem 3.1 check (THEORY §5) on the configured data,
 * net, algorithm and engine — with the margins reached, the KKT residual R at the ends of the finest
 * Δq level (Theorem 3.8) and the linear oracle's γ* for linear models — printed as a short report
 * and written atomically as JSON. Exit 0 unless the verdict is `violated` (1); bad input exits 2
 * before anything is computed or written.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Dataset, Net } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { makeRng } from '../core/rng.js';
import { algorithmNorm, buildData, DEFAULT_RUN_CONFIG, netSpec, parseRunConfig, requireFits, requireInputScale, type RunConfig } from '../config/run.js';
import { requireSeparable } from '../config/separability.js';
import { getLoss, type Loss } from '../losses/index.js';
import { minMargin, normalizedMargin, softMargin } from '../metrics/margins.js';
import { buildNet, loadEngine, vjpAt } from '../engines/index.js';
import { makeNorm } from '../norms/index.js';
import { maxMarginLinear } from '../oracles/linear.js';
import { checkTheorem31, type Theorem31Result } from '../theorems/theorem31.js';
import type { KktRecord } from '../trajectory/kktRecord.js';
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

const f = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

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

/** γ = q_min/‖θ‖^L and γ̃ = ℓ⁻¹(𝓛)/‖θ‖^L at θ in each norm, the algorithm's first (THEORY §4). */
function marginLines(net: Net, data: Dataset, theta: Float64Array, loss: Loss, degree: number, norms: readonly string[]): string[] {
  const q = net.margins(theta, data);
  const qMin = minMargin(q);
  const logL = loss.logLoss(q);
  const late = logL < loss.logLatePhaseThreshold;
  const lines = [`margins reached: q_min = ${f(qMin)}, log 𝓛 = ${f(logL)}${late ? '' : ' (not in the late phase: γ̃ undefined)'}`];
  for (const name of norms) {
    const rho = makeNorm(name, net.layout).value(theta);
    const soft = late ? `, γ̃ = ${f(softMargin(loss, logL, rho, degree))}` : '';
    lines.push(`  ${`${name}${name === norms[0] ? ' (algorithm norm)' : ''}`.padEnd(24)} ‖θ‖ = ${f(rho)}, γ = ${f(normalizedMargin(qMin, rho, degree))}${soft}`);
  }
  return lines;
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
    const result = checkTheorem31({ net, data, theta, norm, loss, degree: config.degree }, config.kkt ? { kkt: {} } : {});
    const oracle = spec.kind === 'linear' ? (['l1', 'l2', 'linf'] as const).map((p) => maxMarginLinear(data, p)) : [];
    const judge = net.reference;
    const lines = [
      `margincheck run — ${net.name}, N = ${data.n}, d = ${data.d} (${config.data.kind}), ${config.algorithm} (norm ${norm}), seed ${config.seed}${configPath ? '' : ' [embedded default config]'}`,
      `engine: ${net.engine.name} (backend ${net.engine.backend})${net.engine.name === 'f64' ? '' : '; metrics judged by the float64 engine'}`,
      ...verdictLines(result),
      ...marginLines(judge, data, result.thetaEnd, loss, degree, [...new Set([norm, 'l1', 'l2', 'linf'])]),
      ...oracle.map((o) => {
        const rho = makeNorm(o.norm, judge.layout).value(result.thetaEnd);
        const gamma = normalizedMargin(minMargin(judge.margins(result.thetaEnd, data)), rho, 1);
        return `linear oracle: γ*_${o.norm} = ${f(o.gamma)} (duality gap ${o.dualityGap.toExponential(1)}); reached γ/γ* = ${f(gamma / o.gamma)}`;
      }),
    ];
    const kkt = result.kkt;
    if (kkt?.start && kkt.end) {
      const r = (k: KktRecord) => `${f(k.r)} ∈ [${f(k.rLower)}, ${f(k.rUpper)}] (${k.method})`;
      lines.push(`KKT residual R (${norm}, Δq = ${result.levels[result.levels.length - 1].dq}): start ${r(kkt.start)} → end ${r(kkt.end)}; R_end/R_start ≤ ${f(kkt.ratio)}${kkt.grew ? ' (grew)' : ''}`);
    } else if (config.kkt) {
      lines.push(`KKT residual R: not recorded (${result.verdict}: the finest level did not complete or θ does not separate)`);
    }
    const name = `run-seed${config.seed}-${config.algorithm.replace(/[^a-z0-9-]/gi, '_')}.json`;
    const { thetaEnd, ...stored } = result;
    const report = {
      config,
      net: net.name,
      degree,
      engine: net.engine,
      result: stored,
      thetaEnd: Array.from(thetaEnd),
      oracle: oracle.map((o) => ({ norm: o.norm, gamma: o.gamma, w: Array.from(o.w) })),
    };
    const path = folder.write(name, JSON.stringify(report, null, 2));
    console.log([...lines, `report: ${path}`].join('\n'));
    return result.verdict === 'violated' ? 1 : 0;
  } finally {
    folder.release();
  }
}

function verdictLines(result: Theorem31Result): string[] {
  const pre = result.prePhase;
  const lines = [
    `pre-phase: ${pre.reached ? `reached 𝓛 ≤ 1/2 after ${pre.steps} steps (log 𝓛 = ${f(pre.logL)})` : 'did not reach the late phase'}`,
    `Theorem 3.1: ${result.verdict.toUpperCase()} — ${result.reason}`,
  ];
  if (result.escalation) lines.push(`float64 re-run from the same θ₀: ${result.escalation.float64} → ${result.escalation.label}`);
  for (const l of result.levels) {
    const d = l.d > 0 ? `D = ${f(l.d)} in s ∈ [${f(l.worstWindow![0])}, ${f(l.worstWindow![1])}]` : 'no decrease (D = 0)';
    lines.push(`  Δq = ${l.dq}: ${l.steps} steps, s = ${f(l.s)}, ${d} (${l.stop})`);
  }
  if (result.levels.length) lines.push(`soft margins that fell at flow level: ${result.fell.length ? result.fell.join(', ') : 'none'}`);
  return lines;
}
