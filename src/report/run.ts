/**
 * The report of `margincheck run` (one seeded Theorem 3.1 check, THEORY §5): the terminal lines, the
 * JSON record (config, engine, verdict and per-level evidence, θ_end, the linear oracle, the
 * trajectory trace) and the HTML page with two charts — the Theorem 3.1 evidence (log γ̃ per Δq
 * level, D, E, verdict) and the trajectory of the check (pre-phase and finest level: γ and γ̃ per
 * norm, log 𝓛, ‖θ‖ per norm, R at the finest level's ends, Theorem 3.8).
 */
import type { RunConfig } from '../config/run.js';
import type { Dataset, Net } from '../core/types.js';
import type { Loss } from '../losses/index.js';
import { minMargin, normalizedMargin, softMargin } from '../metrics/margins.js';
import { makeNorm } from '../norms/index.js';
import type { MaxMargin } from '../oracles/maxMargin.js';
import { DEFAULT_THEOREM31, type Theorem31Result } from '../theorems/theorem31.js';
import type { KktRecord } from '../trajectory/kktRecord.js';
import type { TracePoint } from '../trajectory/trace.js';
import { theorem31Chart, trajectoryChart } from './charts.js';
import { fmt as fmt3, normLabel } from './labels.js';
import { writeReport, type ReportSpec, type WrittenReport } from './report.js';
import { traceSeries } from './series.js';

export interface RunOutcome {
  readonly config: RunConfig;
  /** undefined: the embedded default config. */
  readonly configPath?: string;
  /** The net the check ran on (its engine); metrics are judged by net.reference. */
  readonly net: Net;
  readonly data: Dataset;
  /** The algorithm norm. */
  readonly norm: string;
  readonly loss: Loss;
  readonly degree: number;
  readonly result: Theorem31Result;
  /** γ* per norm for linear models (empty otherwise). */
  readonly oracle: readonly MaxMargin[];
  readonly trace: readonly TracePoint[];
}

const f = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

/** File stem of a run's report: run-seed<seed>-<algorithm>. */
export const runReportBase = (config: RunConfig): string => `run-seed${config.seed}-${config.algorithm.replace(/[^a-z0-9-]/gi, '_')}`;

/** γ = q_min/‖θ‖^L and γ̃ = ℓ⁻¹(𝓛)/‖θ‖^L at θ in each norm, the algorithm's first (THEORY §4). */
function marginLines(r: RunOutcome, norms: readonly string[]): string[] {
  const judge = r.net.reference;
  const theta = r.result.thetaEnd;
  const q = judge.margins(theta, r.data);
  const qMin = minMargin(q);
  const logL = r.loss.logLoss(q);
  const late = logL < r.loss.logLatePhaseThreshold;
  const lines = [`margins reached: q_min = ${f(qMin)}, log 𝓛 = ${f(logL)}${late ? '' : ' (not in the late phase: γ̃ undefined)'}`];
  for (const name of norms) {
    const rho = makeNorm(name, judge.layout).value(theta);
    const soft = late ? `, γ̃ = ${f(softMargin(r.loss, logL, rho, r.degree))}` : '';
    lines.push(`  ${`${name}${name === norms[0] ? ' (algorithm norm)' : ''}`.padEnd(24)} ‖θ‖ = ${f(rho)}, γ = ${f(normalizedMargin(qMin, rho, r.degree))}${soft}`);
  }
  return lines;
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

function oracleLines(r: RunOutcome): string[] {
  const judge = r.net.reference;
  const theta = r.result.thetaEnd;
  return r.oracle.map((o) => {
    const rho = makeNorm(o.norm, judge.layout).value(theta);
    const gamma = normalizedMargin(minMargin(judge.margins(theta, r.data)), rho, 1);
    return `linear oracle: γ*_${o.norm} = ${f(o.gamma)} (duality gap ${o.dualityGap.toExponential(1)}); reached γ/γ* = ${f(gamma / o.gamma)}`;
  });
}

function kktLines(r: RunOutcome): string[] {
  const { kkt, levels, verdict } = r.result;
  if (kkt?.start && kkt.end) {
    const rr = (k: KktRecord) => `${f(k.r)} ∈ [${f(k.rLower)}, ${f(k.rUpper)}] (${k.method})`;
    return [`KKT residual R (${r.norm}, Δq = ${levels[levels.length - 1].dq}): start ${rr(kkt.start)} → end ${rr(kkt.end)}; R_end/R_start ≤ ${f(kkt.ratio)}${kkt.grew ? ' (grew)' : ''}`];
  }
  return r.config.kkt ? [`KKT residual R: not recorded (${verdict}: the finest level did not complete or θ does not separate)`] : [];
}

/** The run's first line: net, data, algorithm, seed. */
function headline(r: RunOutcome): string {
  const { config, net, data } = r;
  return `${net.name}, N = ${data.n}, d = ${data.d} (${config.data.kind}), ${config.algorithm} (norm ${r.norm}), seed ${config.seed}${r.configPath ? '' : ' [embedded default config]'}`;
}

const engineLine = (net: Net) => `${net.engine.name} (backend ${net.engine.backend})${net.engine.name === 'f64' ? '' : '; metrics judged by the float64 engine'}`;

/** What `margincheck run` prints (the report path is added by the caller). */
export function runLines(r: RunOutcome): string[] {
  return [
    `margincheck run — ${headline(r)}`,
    `engine: ${engineLine(r.net)}`,
    ...verdictLines(r.result),
    ...marginLines(r, [...new Set([r.norm, 'l1', 'l2', 'linf'])]),
    ...oracleLines(r),
    ...kktLines(r),
  ];
}

/** The JSON record: data, not prose (θ_end and the oracle's w as arrays). */
export function runRecord(r: RunOutcome): unknown {
  const { thetaEnd, ...stored } = r.result;
  return {
    config: r.config,
    net: r.net.name,
    degree: r.degree,
    engine: r.net.engine,
    result: stored,
    thetaEnd: Array.from(thetaEnd),
    oracle: r.oracle.map((o) => ({ norm: o.norm, gamma: o.gamma, w: Array.from(o.w) })),
    trace: r.trace,
  };
}

/** R at the finest level's ends, at their steps of the trace (start: θ₀ after the pre-phase; end: the last iterate). */
function kktAtSteps(result: Theorem31Result): { step: number; r: number }[] {
  const { kkt, prePhase, levels } = result;
  if (!kkt?.start || !kkt.end) return [];
  return [
    { step: prePhase.steps, r: kkt.start.r },
    { step: prePhase.steps + levels[levels.length - 1].steps, r: kkt.end.r },
  ];
}

export function runReportSpec(r: RunOutcome): ReportSpec {
  const { result } = r;
  const series = traceSeries(`${r.config.algorithm} on ${r.net.name}: pre-phase and the finest Δq level`, r.trace, {
    algorithmNorm: r.norm,
    logLate: r.loss.logLatePhaseThreshold,
    kkt: kktAtSteps(result),
  });
  const finest = result.levels[result.levels.length - 1];
  return {
    title: `margincheck run: ${r.config.algorithm} on ${r.net.name}, seed ${r.config.seed}`,
    summary: `Theorem 3.1 in ${normLabel(r.norm)}: ${result.verdict} — ${result.reason}`,
    facts: [
      ['run', headline(r)],
      ['engine', engineLine(r.net)],
      ['config', r.configPath ?? 'embedded default'],
      ['loss', r.config.loss],
      ['degree L', String(r.degree)],
    ],
    sections: [
      {
        heading: 'Theorem 3.1 evidence (THEORY §5)',
        blocks: [
          {
            kind: 'chart',
            name: 'theorem31',
            title: `log γ̃ along s, ${result.levels.length} Δq levels`,
            spec: theorem31Chart(result, { tau: DEFAULT_THEOREM31.tau }),
            caption: 'each level re-runs the flow from θ₀ with its Δq; D is the largest drop of log γ̃ between grid points, shaded where it happens',
          },
          {
            kind: 'table',
            header: ['Δq', 'steps', 's', 'D', 'worst window', 'E', 'stop'],
            rows: result.levels.map((l) => [
              String(l.dq),
              String(l.steps),
              fmt3(l.s),
              fmt3(l.d),
              l.worstWindow ? `[${l.worstWindow.map(fmt3).join(', ')}]` : '—',
              fmt3(l.efficiency),
              l.stop,
            ]),
          },
        ],
      },
      {
        heading: 'Trajectory',
        blocks: [
          {
            kind: 'chart',
            name: 'trajectory',
            title: `margins, loss and norms along the check${finest ? ` (pre-phase, then Δq = ${finest.dq})` : ' (pre-phase)'}`,
            spec: trajectoryChart(series),
            caption: 'measured by the float64 judge at geometrically spaced steps; R (Theorem 3.8) at the finest level’s ends when recorded',
          },
          { kind: 'table', header: [], rows: runLines(r).slice(2).map((line) => [line]) },
        ],
      },
    ],
  };
}

/** Writes `<dir>/<base>.json`, `<base>.html` with its charts (SVG + PNG), and refreshes `<dir>/index.html`. */
export function writeRunReport(dir: string, r: RunOutcome): Promise<WrittenReport> {
  return writeReport(dir, runReportBase(r.config), runReportSpec(r), runRecord(r));
}
