/**
 * `margincheck run [config.json]`: one seeded Theorem 3.1 check (THEORY §5) on the configured data,
 * net and algorithm — with the KKT residual R at the segment's start and end (Theorem 3.8) and the
 * linear oracle's γ* for linear models — printed as a short report and written atomically as JSON. Exit 0 unless the verdict is `violated` (1); bad input exits 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { makeRng } from '../core/rng.js';
import { algorithmNorm, buildData, DEFAULT_RUN_CONFIG, netSpec, parseRunConfig, type RunConfig } from '../config/run.js';
import { obviousNonSeparability } from '../data/load.js';
import { getLoss } from '../losses/index.js';
import { maxMarginLinear } from '../oracles/linear.js';
import { checkTheorem31 } from '../theorems/theorem31.js';
import type { KktRecord } from '../trajectory/kktRecord.js';
import { writeAtomic } from '../report/write.js';
import { buildNet, loadEngine } from '../engines/index.js';

export function readRunConfig(path: string | undefined): RunConfig {
  if (!path) return DEFAULT_RUN_CONFIG;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`config ${JSON.stringify(path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`config ${JSON.stringify(path)}: not valid JSON (${(err as Error).message})`);
  }
  return parseRunConfig(raw);
}

const f = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

export async function run(configPath: string | undefined, out: string): Promise<number> {
  const config = readRunConfig(configPath);
  const data = buildData(config.data, config.seed);
  const spec = netSpec(config.net, data.d);
  const engine = await loadEngine(config.engine, config.backend === null ? {} : { backend: config.backend });
  const net = buildNet(spec, engine);
  const biasFree = net.degree !== null && !(spec.kind === 'mlp' && spec.bias?.first);
  const obstacle = obviousNonSeparability(data, biasFree);
  if (obstacle) throw new InputError(obstacle);
  const norm = algorithmNorm(config.algorithm);
  const oracle = spec.kind === 'linear' && ['l1', 'l2', 'linf'].includes(norm) ? maxMarginLinear(data, norm) : null;
  if (net.degree === null && config.degree === null) {
    throw new InputError(`config.degree: ${net.name} is not homogeneous; give the L used for S and γ̃ (e.g. 2 for a 2-layer net)`);
  }
  const theta = net.init(config.init, makeRng(config.seed).child('init'));
  // One run gives both claims' evidence: R (Theorem 3.8) is recorded at the ends of the finest level.
  const withKkt = config.kkt && net.degree !== null;
  const result = checkTheorem31(
    { net, data, theta, norm, loss: getLoss(config.loss), degree: config.degree ?? undefined },
    withKkt ? { kkt: {} } : {},
  );

  console.log(`margincheck run — ${net.name}, N = ${data.n}, d = ${data.d} (${config.data.kind}), ${config.algorithm} (norm ${norm}), seed ${config.seed}${configPath ? '' : ' [embedded default config]'}`);
  console.log(`engine: ${net.engine.name} (backend ${net.engine.backend})${net.engine.name === 'f64' ? '' : '; metrics judged by the float64 engine'}`);
  const pre = result.prePhase;
  console.log(`pre-phase: ${pre.reached ? `reached 𝓛 ≤ 1/2 after ${pre.steps} steps (log 𝓛 = ${f(pre.logL)})` : 'did not reach the late phase'}`);
  console.log(`Theorem 3.1: ${result.verdict.toUpperCase()} — ${result.reason}`);
  if (result.escalation) console.log(`float64 re-run from the same θ₀: ${result.escalation.float64} → ${result.escalation.label}`);
  for (const l of result.levels) {
    console.log(`  Δq = ${l.dq}: ${l.steps} steps, s = ${f(l.s)}, D = ${f(l.d)}${l.worstWindow ? ` in [${f(l.worstWindow[0])}, ${f(l.worstWindow[1])}]` : ''} (${l.stop})`);
  }
  if (result.levels.length) console.log(`soft margins that fell at flow level: ${result.fell.length ? result.fell.join(', ') : 'none'}`);
  if (oracle) console.log(`linear oracle: γ*_${norm} = ${f(oracle.gamma)} (duality gap ${oracle.dualityGap.toExponential(1)})`);
  // Theorem 3.8 (THEORY §7): R at the start and end of the finest Δq level of the check above.
  const kkt = result.kkt;
  if (kkt?.start && kkt.end) {
    const r = (k: KktRecord) => `${f(k.r)} ∈ [${f(k.rLower)}, ${f(k.rUpper)}] (${k.method})`;
    console.log(`KKT residual R (${norm}, Δq = ${result.levels[result.levels.length - 1].dq}): start ${r(kkt.start)} → end ${r(kkt.end)}; R_end/R_start ≤ ${f(kkt.ratio)}${kkt.grew ? ' (grew)' : ''}`);
  } else if (withKkt) {
    console.log(`KKT residual R: not recorded (${result.verdict}: the finest level did not complete or θ does not separate)`);
  }

  const path = join(out, `run-seed${config.seed}-${config.algorithm.replace(/[^a-z0-9-]/gi, '_')}.json`);
  const report = { config, net: net.name, degree: net.degree, engine: net.engine, result, kkt, oracle: oracle && { gamma: oracle.gamma, w: Array.from(oracle.w) } };
  writeAtomic(path, JSON.stringify(report, null, 2));
  console.log(`report: ${path}`);
  return result.verdict === 'violated' ? 1 : 0;
}
