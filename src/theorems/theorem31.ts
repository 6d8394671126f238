/**
 * Theorem 3.1 (the soft margin γ̃ measured in the algorithm's norm does not decrease in the late
 * phase of steepest flow) checked on a discrete trajectory by the refinement protocol of THEORY §5:
 *
 *   1. pre-phase to the first iterate with 𝓛 ≤ 1/2 (else `inconclusive`);
 *   2. from there, for each Δq of the ladder, the re-timed flow θ ← θ + h‖θ‖u on s ∈ [0, S], S = 4/L,
 *      with a step cap per level (else `cost-limited`);
 *   3. D = max(0, −min_j [ℓ(s_{j+1}) − ℓ(s_j)]), ℓ = log γ̃, over aligned windows of width w;
 *   4. `violated` iff D(0.1) > τ, D(0.05) > τ, D(0.1)/D(0.05) < 1.5 and (GD, or E ≥ 0.95 in the worst
 *      window); the same with E < 0.95: `kink-sliding`; otherwise D(0.05) > 0: `discretization`;
 *      D(0.05) = 0: `holds`.
 *
 * The soft margins of the other norms (ℓ1, ℓ2, ℓ∞) are tracked along the same runs and reported when
 * they fall at flow level (same refinement rule, no E gate): the theorem is norm-specific.
 * Works for non-homogeneous nets when L is supplied (used for S and for γ̃). No test-runner imports.
 */
import type { Dataset, EngineInfo, Net } from '../core/types.js';
import { isReduced, toEngineGrid } from '../engines/index.js';
import { InputError } from '../core/errors.js';
import { getLoss, type Loss } from '../losses/index.js';
import { THEORY_CONVENTION, type MarginConvention } from '../metrics/margins.js';
import { makeNorm } from '../norms/index.js';
import { describeStop, FlowState } from '../trajectory/flow.js';
import type { KktOptions } from '../metrics/kkt.js';
import type { KktEnds } from '../trajectory/kktRecord.js';
import type { FlowTrace } from '../trajectory/trace.js';
import {
  enterLatePhase,
  kktEndsOf,
  PRE_PHASE_DEFAULTS,
  runSegment,
  type PrePhaseResult,
  type PrePhaseSetup,
  type SegmentRun,
} from '../trajectory/segment.js';

export type Theorem31Verdict = 'holds' | 'discretization' | 'kink-sliding' | 'violated' | 'inconclusive' | 'cost-limited';

export const THEOREM31_VERDICTS: readonly Theorem31Verdict[] = [
  'holds',
  'discretization',
  'kink-sliding',
  'violated',
  'inconclusive',
  'cost-limited',
];

/** Verdicts that certify a late-phase run (the others are non-certified). */
export const CERTIFIED: readonly Theorem31Verdict[] = ['holds', 'discretization', 'kink-sliding', 'violated'];

export interface Theorem31Options {
  /** Δq levels, coarse to fine (THEORY §5.3). The rule reads the two finest. */
  readonly ladder: readonly number[];
  /** Window width w on the s clock (§5.4). */
  readonly window: number;
  /** Threshold τ on D (§5.6); insensitive in [1e-3, 5e-3] per the study. */
  readonly tau: number;
  /** D(coarse)/D(fine) below this = refinement-persistent (§5.6; insensitive in [1.3, 1.8]). */
  readonly ratioCut: number;
  /** E at or above this in the worst window = a smooth stretch, not kink sliding (§5.6). */
  readonly efficiencyCut: number;
  /** Samples with q_n ≤ q_min + band enter the step control (§5.3). */
  readonly band: number;
  /** S; default 4/L (§5.2). */
  readonly horizon?: number;
  /** Apply the E gate; default: every algorithm norm but ℓ2 (GD's limit is a Clarke flow, §5). */
  readonly efficiencyGate?: boolean;
  /**
   * The pre-phase (THEORY §5.1 allows GD or the algorithm under test), shared with Theorem 3.8.
   * GD (`l2`) is the default here because the coordinate-descent flow can stall in a 2-cycle across
   * a ReLU kink before the late phase (2 of 4 teacher seeds at N = 20 in our runs), while any θ₀
   * with 𝓛 ≤ 1/2 is a valid start for the theorem.
   */
  readonly prePhase: PrePhaseSetup;
  /** Hard step cap per ladder level: reaching it gives `cost-limited` (§5.2). */
  readonly maxStepsPerLevel: number;
  /**
   * Count activation flips per window of the finest level, where the evidence is read (the pattern
   * is read off each step's own forward pass; coarser levels skip it).
   */
  readonly countFlips: boolean;
  /** Other norms whose soft margins are tracked along the segment. */
  readonly trackedNorms: readonly string[];
  /**
   * Also record the KKT residual R (THEORY §7, Theorem 3.8) in the algorithm norm at the ends of the
   * finest level (homogeneous nets): the same run gives both claims' evidence. Off when absent.
   */
  readonly kkt?: { readonly options?: KktOptions };
  /** Records the pre-phase and the finest level's trajectory (the run report's chart); absent: off. */
  readonly trace?: FlowTrace;
}

export const DEFAULT_THEOREM31: Theorem31Options = {
  ladder: [0.2, 0.1, 0.05],
  window: 0.2,
  tau: 2e-3,
  ratioCut: 1.5,
  efficiencyCut: 0.95,
  band: 25,
  prePhase: { ...PRE_PHASE_DEFAULTS, norm: 'l2' },
  // §5.7: coordinate descent needs ~1.7e5 steps over three levels at N = 20 (worst 6e5).
  maxStepsPerLevel: 200_000,
  countFlips: true,
  trackedNorms: ['l1', 'l2', 'linf'],
};

export interface Theorem31Case {
  readonly net: Net;
  readonly data: Dataset;
  /** Initial parameters (the pre-phase starts here; a late-phase θ needs no pre-phase steps). */
  readonly theta: Float64Array;
  /** Registry name of the algorithm norm (l2 = GD, linf = sign, l1 = coordinate, lp:3, spectral…). */
  readonly norm: string;
  readonly loss?: Loss;
  /** L for S and γ̃; required when the net is not homogeneous (e.g. 2 for the output-bias net). */
  readonly degree?: number;
}

/** Test-only mutation points (the suite must catch each); production code never sets them. */
export interface Theorem31Mutation {
  /** Take u from this norm's steepest set instead of the algorithm norm's. */
  readonly stepNorm?: string;
  readonly convention?: MarginConvention;
  /** Take γ̃ and S with this degree L instead of the net's own (the hunter's wrong-degree mutant). */
  readonly degree?: number;
}

export interface LevelEvidence {
  readonly dq: number;
  readonly steps: number;
  /** s covered (S when complete). */
  readonly s: number;
  readonly complete: boolean;
  readonly stop: string;
  /** D in the algorithm norm, the worst window [s_j, s_{j+1}] (null without a decrease), E and flips there. */
  readonly d: number;
  readonly worstWindow: readonly [number, number] | null;
  readonly efficiency: number;
  readonly flips: number | null;
  /** E and flips of every window, for the report. */
  readonly efficiencyPerWindow: readonly number[];
  readonly flipsPerWindow: readonly (number | null)[];
  /** ‖u‖ and ⟨u, G⟩/‖G‖_* in the algorithm norm at the first step of each window (1 and 1 for u ∈ U(G)). */
  readonly directionNorm: readonly number[];
  readonly directionAlignment: readonly number[];
  /** The grid points s_j reached and log γ̃ in the algorithm norm at each (the series D is read from). */
  readonly grid: readonly number[];
  readonly logSoft: readonly number[];
}

export interface NormEvidence {
  readonly norm: string;
  /** D per ladder level (same order as `levels`). */
  readonly d: readonly number[];
  /** A flow-level decrease: the refinement rule without the E gate. */
  readonly fell: boolean;
}

export interface Theorem31Result {
  readonly verdict: Theorem31Verdict;
  /** One line: the deciding evidence. */
  readonly reason: string;
  readonly norm: string;
  readonly degree: number;
  readonly horizon: number;
  /** Whether the E gate of the rule applied (every algorithm norm but ℓ2 by default). */
  readonly gate: boolean;
  readonly prePhase: PrePhaseResult;
  readonly levels: readonly LevelEvidence[];
  /** D(second finest)/D(finest); NaN when fewer than two levels ran. */
  readonly ratio: number;
  /** E and flips in the worst window of the finest level run. */
  readonly efficiency: number;
  readonly flips: number | null;
  /** min(D(second finest), D(finest)) / τ: above 1 the decrease clears τ at both levels. */
  readonly marginInTau: number;
  /** Soft-margin decreases per tracked norm (the algorithm norm first). */
  readonly norms: readonly NormEvidence[];
  /** Tracked norms whose γ̃ fell at flow level. */
  readonly fell: readonly string[];
  readonly totalSteps: number;
  /** θ where the check ended: the end of the last level run (the pre-phase's end without one). */
  readonly thetaEnd: Float64Array;
  /** R at the ends of the finest level when Theorem31Options.kkt asked for it, else null. */
  readonly kkt: KktEnds | null;
  /** The run stopped on a non-finite quantity (NaN/±∞: an overflow on a float32 engine). */
  readonly nonFinite: boolean;
  /** The engine that ran the trajectory (its metrics are judged in float64 either way). */
  readonly engine: EngineInfo;
  /**
   * Precision escalation (float32 engines only): a `violated` verdict, or a run stopped by a
   * non-finite quantity, is re-run by the float64 engine from the exact float64 image of the same θ₀.
   * `confirmed`: float64 reaches the same verdict; `float32 artifact`: it does not.
   */
  readonly escalation?: { readonly label: 'confirmed' | 'float32 artifact'; readonly float64: Theorem31Verdict; readonly reason: string };
}

/** D = max(0, −min_j [v_{j+1} − v_j]) and the index j of the worst window (−1: no decrease). NaN propagates. */
export function decreaseStatistic(values: readonly number[]): { d: number; window: number } {
  let d = 0;
  let window = -1;
  for (let j = 0; j + 1 < values.length; j++) {
    const drop = values[j] - values[j + 1];
    if (Number.isNaN(drop)) return { d: NaN, window: j };
    if (drop > d) {
      d = drop;
      window = j;
    }
  }
  return { d, window };
}

/** Refinement-persistent decrease: D(coarse) > τ, D(fine) > τ and D(coarse)/D(fine) < ratioCut. */
export function persistentDecrease(dCoarse: number, dFine: number, opts: Pick<Theorem31Options, 'tau' | 'ratioCut'>): boolean {
  return dCoarse > opts.tau && dFine > opts.tau && dCoarse / dFine < opts.ratioCut;
}

/** The verdict rule of THEORY §5.6 for complete runs. */
export function refinementVerdict(
  dCoarse: number,
  dFine: number,
  efficiency: number,
  gate: boolean,
  opts: Pick<Theorem31Options, 'tau' | 'ratioCut' | 'efficiencyCut'>,
): Theorem31Verdict {
  if (persistentDecrease(dCoarse, dFine, opts)) return !gate || efficiency >= opts.efficiencyCut ? 'violated' : 'kink-sliding';
  return dFine > 0 ? 'discretization' : 'holds';
}

/**
 * How close a complete run came to `violated` under the same rule, as one number: the smallest of
 * D(coarse)/τ, D(fine)/τ, ratioCut/(D(coarse)/D(fine)) and, with the E gate, E/efficiencyCut. Each
 * term exceeds 1 exactly when its condition holds, so the run is `violated` iff the score exceeds 1
 * (up to the tie E = efficiencyCut, which the rule counts as violated). 0 when D(fine) = 0.
 */
export function violationScore(
  dCoarse: number,
  dFine: number,
  efficiency: number,
  gate: boolean,
  opts: Pick<Theorem31Options, 'tau' | 'ratioCut' | 'efficiencyCut'>,
): number {
  if (!(dFine > 0)) return 0;
  const terms = [dCoarse / opts.tau, dFine / opts.tau, (opts.ratioCut * dFine) / dCoarse];
  if (gate) terms.push(efficiency / opts.efficiencyCut);
  return Math.min(...terms);
}

function levelEvidence(run: SegmentRun): LevelEvidence {
  const { d, window } = decreaseStatistic(run.logSoft[0]);
  return {
    dq: run.dq,
    steps: run.steps,
    s: run.s,
    complete: run.stop === 'complete',
    stop: run.stop === 'complete' ? 'complete' : describeStop(run.stop),
    d,
    worstWindow: window >= 0 ? [run.grid[window], run.grid[window + 1]] : null,
    efficiency: window >= 0 ? run.efficiency[window] : NaN,
    flips: window >= 0 ? run.flips[window] : null,
    efficiencyPerWindow: run.efficiency,
    flipsPerWindow: run.flips,
    directionNorm: run.directionNorm,
    directionAlignment: run.directionAlignment,
    grid: run.grid,
    logSoft: run.logSoft[0],
  };
}

const f3 = (x: number) => (x === 0 ? '0' : Number.isFinite(x) ? x.toPrecision(3) : String(x));

export function checkTheorem31(c: Theorem31Case, options: Partial<Theorem31Options> = {}, mutation: Theorem31Mutation = {}): Theorem31Result {
  const result = checkOnEngine(c, options, mutation);
  if (!isReduced(c.net) || !(result.verdict === 'violated' || result.nonFinite)) return result;
  const image = toEngineGrid(c.net, c.theta.slice());
  const f64 = checkOnEngine({ ...c, net: c.net.reference, theta: image }, { ...options, trace: undefined }, mutation);
  const label = f64.verdict === result.verdict ? 'confirmed' : 'float32 artifact';
  return { ...result, escalation: { label, float64: f64.verdict, reason: f64.reason } };
}

function checkOnEngine(c: Theorem31Case, options: Partial<Theorem31Options>, mutation: Theorem31Mutation): Theorem31Result {
  const o: Theorem31Options = { ...DEFAULT_THEOREM31, ...options };
  const degree = mutation.degree ?? c.net.degree ?? c.degree;
  if (degree === undefined || !(degree > 0)) {
    throw new InputError(`degree = ${c.degree}: ${c.net.name} is not homogeneous; supply the L used for S and γ̃`);
  }
  if (o.ladder.length < 2) throw new InputError(`ladder = ${JSON.stringify(o.ladder)}: needs at least two Δq levels`);
  const layout = c.net.layout;
  const norm = makeNorm(c.norm, layout);
  const tracked = [norm, ...o.trackedNorms.filter((n) => n !== c.norm).map((n) => makeNorm(n, layout))];
  const horizon = o.horizon ?? 4 / degree;
  const gate = o.efficiencyGate ?? c.norm !== 'l2';
  const problem = {
    net: c.net,
    data: c.data,
    loss: c.loss ?? getLoss('exp'),
    norm,
    stepNorm: mutation.stepNorm ? makeNorm(mutation.stepNorm, layout) : norm,
    convention: mutation.convention ?? THEORY_CONVENTION,
  };
  const { prePhase, theta0 } = enterLatePhase(problem, c.theta, o.prePhase, o.trace?.observer(0));
  o.trace?.record(prePhase.steps, theta0);
  const base = { norm: c.norm, degree, horizon, gate, prePhase, engine: c.net.engine, nonFinite: prePhase.stop?.kind === 'non-finite' };
  const empty = { levels: [], ratio: NaN, efficiency: NaN, flips: null, marginInTau: NaN, norms: [], fell: [], totalSteps: prePhase.steps, kkt: null };
  if (!prePhase.reached) {
    return { ...base, ...empty, thetaEnd: theta0, verdict: 'inconclusive', reason: `no late phase: ${describeStop(prePhase.stop!)} (log 𝓛 = ${f3(prePhase.logL)})` };
  }

  const state = new FlowState(problem);
  const finest = o.ladder.length - 1;
  const recordKkt = o.kkt !== undefined && c.net.degree !== null;
  const runs: SegmentRun[] = [];
  for (const [i, dq] of o.ladder.entries()) {
    const run = runSegment(state, theta0, {
      dq,
      band: o.band,
      window: o.window,
      horizon,
      maxSteps: o.maxStepsPerLevel,
      countFlips: o.countFlips && i === finest,
      degree,
      tracked,
      ...(recordKkt && i === finest ? { kkt: { at: 'ends' as const, options: o.kkt?.options } } : {}),
      ...(o.trace && i === finest ? { visit: o.trace.observer(prePhase.steps) } : {}),
    });
    if (i === finest) o.trace?.record(prePhase.steps + run.steps, state.theta);
    runs.push(run);
    if (run.stop !== 'complete') break; // a finer level would stop no later
  }
  const levels = runs.map(levelEvidence);
  const norms: NormEvidence[] = tracked.map((n, i) => {
    const d = runs.map((r) => decreaseStatistic(r.logSoft[i]).d);
    const k = d.length;
    return { norm: n.name, d, fell: runs.length === o.ladder.length && k >= 2 && persistentDecrease(d[k - 2], d[k - 1], o) };
  });
  const fine = levels[levels.length - 1];
  const coarse = levels.length >= 2 ? levels[levels.length - 2] : null;
  const ratio = coarse ? coarse.d / fine.d : NaN;
  const evidence = {
    levels,
    ratio,
    efficiency: fine.efficiency,
    flips: fine.flips,
    marginInTau: coarse ? Math.min(coarse.d, fine.d) / o.tau : NaN,
    norms,
    fell: norms.filter((n) => n.fell).map((n) => n.norm),
    totalSteps: prePhase.steps + levels.reduce((t, l) => t + l.steps, 0),
    thetaEnd: state.theta.slice(),
    kkt: recordKkt && runs.length === o.ladder.length ? kktEndsOf(runs[finest]) : null,
  };
  const ds = levels.map((l) => `D(${l.dq}) = ${f3(l.d)}`).join(', ');
  const stopped = runs.find((r) => r.stop !== 'complete');
  if (stopped && stopped.stop !== 'complete') {
    if (stopped.stop.kind === 'step cap') {
      return { ...base, ...evidence, verdict: 'cost-limited', reason: `Δq = ${stopped.dq}: step cap ${o.maxStepsPerLevel} at s = ${f3(stopped.s)} of ${f3(horizon)}; ${ds}` };
    }
    const nonFinite = stopped.stop.kind === 'non-finite';
    return { ...base, ...evidence, nonFinite, verdict: 'inconclusive', reason: `Δq = ${stopped.dq}: ${describeStop(stopped.stop)}` };
  }
  if (levels.some((l) => Number.isNaN(l.d))) {
    return { ...base, ...evidence, verdict: 'inconclusive', reason: `γ̃ undefined (𝓛 ≥ 1) on a grid point; ${ds}` };
  }
  const verdict = refinementVerdict(coarse!.d, fine.d, fine.efficiency, gate, o);
  const where = fine.worstWindow ? `, worst window s ∈ [${f3(fine.worstWindow[0])}, ${f3(fine.worstWindow[1])}]` : '';
  // Without a decrease there is no ratio, window or E to report.
  const shape =
    fine.d > 0
      ? `ratio ${f3(ratio)}; E = ${f3(fine.efficiency)}${gate ? '' : ' (no E gate)'}${where}${fine.flips !== null ? `, ${fine.flips} flips` : ''}`
      : 'no decrease at the finest level';
  const reason = `${ds}; ${shape}; ${f3(evidence.marginInTau)} τ`;
  return { ...base, ...evidence, verdict, reason };
}
