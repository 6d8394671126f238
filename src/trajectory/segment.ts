/**
 * Pre-phase and refinement segment of THEORY §5 on the s clock, both driven by FlowState.
 *
 * Pre-phase (§5.1): Δq-controlled steps of the algorithm's own direction field (a re-timing of its
 * flow, so no learning-rate schedule is involved) until the first iterate with 𝓛 ≤ 1/2.
 * Segment (§5.2–5.5): s ∈ [0, S] with aligned grid points s_j = min(j·w, S); steps are clipped to
 * land on them exactly. At each grid point: log 𝓛 and log γ̃ in every tracked norm. Per window:
 * the efficiency E = Δ log(1/𝓛) / Σ (W/𝓛)·‖Δθ_k‖·‖G_k‖_* (‖Δθ_k‖ = h_k ρ_k since ‖u_k‖ = 1; the
 * factor W/𝓛 is 1 for the exponential loss) and the activation flips summed over its steps.
 * Optionally (SegmentOptions.kkt) the KKT residual R of THEORY §7 in the algorithm norm at the grid
 * points, or at the start and the last iterate only.
 */
import type { Norm } from '../core/types.js';
import { dot } from '../core/vec.js';
import type { KktOptions } from '../metrics/kkt.js';
import { logSoftMargin } from '../metrics/margins.js';
import { makeNorm } from '../norms/index.js';
import { FlowState, type FlowProblem, type FlowStop } from './flow.js';
import { FlowRule, runLoop } from './loop.js';
import { compareKktEnds, recordKkt, type KktEnds, type KktRecord } from './kktRecord.js';

/** THEORY §5.1: the segment starts at the first iterate with 𝓛 ≤ 1/2 (not < 1). */
export const SEGMENT_ENTRY_LOG_LOSS = -Math.LN2;

export interface PrePhaseOptions {
  readonly dq: number;
  readonly band: number;
  readonly maxSteps: number;
  /** Stop at the first iterate with log 𝓛 ≤ this (THEORY §5.1: log(1/2)). */
  readonly logTarget: number;
  /** Observer of every evaluated iterate (a FlowTrace); it must not change θ. */
  readonly visit?: IterateObserver;
}

/** Sees each evaluated iterate of a run: its step index and θ (read only). */
export type IterateObserver = (step: number, theta: Float64Array) => void;

export interface PrePhaseResult {
  readonly reached: boolean;
  readonly steps: number;
  readonly s: number;
  readonly logL: number;
  /** Why the late phase was not reached: a flow stop, or the step cap. */
  readonly stop?: FlowStop;
}

/**
 * The pre-phase set-up shared by every late-phase claim (Theorem 3.1's ladder, Theorem 3.8's segment):
 * its flow norm — the algorithm's own or GD's (THEORY §5.1 allows either) — and budget.
 */
export interface PrePhaseSetup {
  readonly norm: 'algorithm' | 'l2';
  readonly dq: number;
  readonly band: number;
  readonly maxSteps: number;
}

/** The pre-phase budget: the coarsest ladder Δq suffices to reach 𝓛 ≤ 1/2 (§5.1). */
export const PRE_PHASE_DEFAULTS = { dq: 0.2, band: 25, maxSteps: 20_000 } as const;

/** Runs the pre-phase from θ_init for `problem` (whose norm is the algorithm's); θ₀ is the entry iterate. */
export function enterLatePhase(
  problem: FlowProblem,
  thetaInit: Float64Array,
  setup: PrePhaseSetup,
  visit?: IterateObserver,
): { prePhase: PrePhaseResult; theta0: Float64Array } {
  const norm = setup.norm === 'algorithm' ? problem.stepNorm : makeNorm('l2', problem.net.layout);
  const state = new FlowState({ ...problem, norm, stepNorm: norm });
  state.reset(thetaInit);
  const prePhase = runPrePhase(state, { dq: setup.dq, band: setup.band, maxSteps: setup.maxSteps, logTarget: SEGMENT_ENTRY_LOG_LOSS, visit });
  const theta0 = state.theta.slice();
  state.release();
  return { prePhase, theta0 };
}

/** Runs the pre-phase in place on `state` (already reset to θ_init). */
export function runPrePhase(state: FlowState, opts: PrePhaseOptions): PrePhaseResult {
  const rule = new FlowRule(opts.dq, opts.band);
  let reached = false;
  const end = runLoop(state, rule, {
    maxSteps: opts.maxSteps,
    visit: (step) => {
      opts.visit?.(step, state.theta);
      return (reached = state.logL <= opts.logTarget) ? 'done' : undefined;
    },
  });
  const base = { reached, steps: end.steps, s: rule.clock, logL: state.logL };
  return end.stop === 'done' ? base : { ...base, stop: end.stop };
}

export interface SegmentOptions {
  readonly dq: number;
  readonly band: number;
  /** Window width w and horizon S on the s clock. */
  readonly window: number;
  readonly horizon: number;
  readonly maxSteps: number;
  readonly countFlips: boolean;
  /** L used in γ̃ (the net's degree, or the value supplied for a non-homogeneous net). */
  readonly degree: number;
  /** Norms whose soft margins are recorded at grid points (index 0: the algorithm norm). */
  readonly tracked: readonly Norm[];
  /**
   * Record R (THEORY §7) in the algorithm norm: at every grid point reached (`grid`) or at the
   * first and the last grid point only (`ends`: s = 0 and s = S), and in both cases at the last
   * iterate when the run stops off the grid (a step cap). Off when absent: an LP/QP per record.
   */
  readonly kkt?: { readonly at: 'grid' | 'ends'; readonly options?: KktOptions };
  /** Observer of every evaluated iterate (a FlowTrace). */
  readonly visit?: IterateObserver;
}

/** R at one point of a run: the clock s, the step index, log 𝓛, ‖θ‖ in the algorithm norm, and the record (null if q_min ≤ 0). */
export interface KktPoint {
  readonly s: number;
  readonly step: number;
  readonly logL: number;
  readonly rho: number;
  readonly record: KktRecord | null;
}

export interface SegmentRun {
  readonly dq: number;
  readonly steps: number;
  /** s reached: S for a complete run, less when stopped. */
  readonly s: number;
  readonly stop: 'complete' | FlowStop;
  /** Grid points actually reached, and log 𝓛 at each. */
  readonly grid: readonly number[];
  readonly logL: readonly number[];
  /** log γ̃ at each reached grid point, per tracked norm (same order as `tracked`). */
  readonly logSoft: readonly (readonly number[])[];
  /** Per completed window j (between grid j and j+1): E and the flips (null without kinks). */
  readonly efficiency: readonly number[];
  readonly flips: readonly (number | null)[];
  /**
   * At the first step of each window: ‖u‖ and ⟨u, G⟩/‖G‖_* in the algorithm norm (both 1 when
   * u ∈ U(G), THEORY §2) — the record that exposes a step taken in the wrong norm.
   */
  readonly directionNorm: readonly number[];
  readonly directionAlignment: readonly number[];
  /** R records in step order (empty unless SegmentOptions.kkt). */
  readonly kkt: readonly KktPoint[];
}

/** Grid points min(j·w, S), j = 0..⌈S/w⌉ (the 1e-9 guards S/w that is an integer up to rounding). */
export function segmentGrid(window: number, horizon: number): number[] {
  const m = Math.max(1, Math.ceil(horizon / window - 1e-9));
  return Array.from({ length: m + 1 }, (_, j) => Math.min(j * window, horizon));
}

/** One level of the refinement ladder from θ₀ (state is reset to θ₀ here). */
export function runSegment(state: FlowState, theta0: Float64Array, opts: SegmentOptions): SegmentRun {
  state.reset(theta0);
  const targets = segmentGrid(opts.window, opts.horizon);
  const grid: number[] = [];
  const logL: number[] = [];
  const logSoft: number[][] = opts.tracked.map(() => []);
  const efficiency: number[] = [];
  const flips: (number | null)[] = [];
  const directionNorm: number[] = [];
  const directionAlignment: number[] = [];
  const { loss, convention, norm, net, data } = state.problem;
  const kkt: KktPoint[] = [];
  const rule = new FlowRule(opts.dq, opts.band);
  const recordR = (step: number): void => {
    kkt.push({ s: rule.clock, step, logL: state.logL, rho: state.rho, record: recordKkt(net, state.theta, data, norm, state.qMin, opts.kkt?.options) });
  };
  let j = 0; // next grid point to reach
  let predicted = 0; // Σ (W/𝓛)·h·ρ·‖G‖_* in the current window
  const kinked = opts.countFlips && net.kinked;
  let windowFlips: number | null = null;
  let atGrid = false;
  const end = runLoop(state, rule, {
    maxSteps: opts.maxSteps,
    target: () => targets[j],
    visit(step) {
      opts.visit?.(step, state.theta);
      // Flips of the step that led here (the first call records the pattern at θ₀).
      if (kinked) {
        const f = state.flipsSinceLast()!;
        if (windowFlips !== null) windowFlips += f;
      }
      atGrid = rule.clock === targets[j];
      if (!atGrid) return;
      grid.push(rule.clock);
      logL.push(state.judgedLogLoss());
      opts.tracked.forEach((tracked, i) => {
        const rho = i === 0 ? state.rho : tracked.value(state.theta);
        logSoft[i].push(logSoftMargin(loss, logL[j], rho, opts.degree, convention));
      });
      if (j > 0) {
        efficiency.push((logL[j - 1] - logL[j]) / predicted);
        flips.push(windowFlips);
      }
      predicted = 0;
      windowFlips = kinked ? 0 : null;
      if (opts.kkt && (opts.kkt.at === 'grid' || j === 0 || j === targets.length - 1)) recordR(step);
      if (++j === targets.length) return 'done';
    },
    stepped() {
      if (atGrid) {
        directionNorm.push(norm.value(state.u));
        directionAlignment.push(dot(state.u, state.g) / norm.dual(state.g));
      }
      predicted += Math.exp(state.logW - state.logLSum) * rule.h * state.rho * rule.dual;
    },
  });
  const stop = end.stop === 'done' ? 'complete' : end.stop;
  // A step-capped run ends off the grid: record R at its last (evaluated, finite) iterate too.
  if (opts.kkt && (stop === 'complete' || stop.kind !== 'non-finite') && kkt[kkt.length - 1]?.step !== end.steps) recordR(end.steps);
  state.release();
  return { dq: opts.dq, steps: end.steps, s: rule.clock, stop, grid, logL, logSoft, efficiency, flips, directionNorm, directionAlignment, kkt };
}

/** R at the first and the last record of a run that recorded the ends (SegmentOptions.kkt). */
export function kktEndsOf(run: SegmentRun): KktEnds {
  return compareKktEnds(run.kkt[0]?.record ?? null, run.kkt.length > 1 ? run.kkt[run.kkt.length - 1].record : null);
}
