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
import { FlowState, type FlowStop } from './flow.js';
import { recordKkt, type KktRecord } from './kktRecord.js';

/** THEORY §5.1: the segment starts at the first iterate with 𝓛 ≤ 1/2 (not < 1). */
export const SEGMENT_ENTRY_LOG_LOSS = -Math.LN2;

export interface PrePhaseOptions {
  readonly dq: number;
  readonly band: number;
  readonly maxSteps: number;
  /** Stop at the first iterate with log 𝓛 ≤ this (THEORY §5.1: log(1/2)). */
  readonly logTarget: number;
}

export interface PrePhaseResult {
  readonly reached: boolean;
  readonly steps: number;
  readonly s: number;
  readonly logL: number;
  /** Why the late phase was not reached: a flow stop, or the step cap. */
  readonly stop?: FlowStop;
}

/** Runs the pre-phase in place on `state` (already reset to θ_init). */
export function runPrePhase(state: FlowState, opts: PrePhaseOptions): PrePhaseResult {
  let s = 0;
  for (let step = 0; ; step++) {
    const bad = state.evaluate();
    if (bad) return { reached: false, steps: step, s, logL: state.logL, stop: { kind: 'non-finite', step, ...bad } };
    if (state.logL <= opts.logTarget) return { reached: true, steps: step, s, logL: state.logL };
    if (step >= opts.maxSteps) return { reached: false, steps: step, s, logL: state.logL, stop: { kind: 'step cap', step } };
    const dual = state.direction();
    if (!Number.isFinite(dual)) return { reached: false, steps: step, s, logL: state.logL, stop: { kind: 'non-finite', step, quantity: '‖G‖_*', value: dual } };
    if (dual === 0) return { reached: false, steps: step, s, logL: state.logL, stop: { kind: 'zero-direction', step } };
    const h = state.stepLength(opts.dq, opts.band);
    state.advance(h);
    s += h;
  }
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
}

/** R at one point of a run: the clock s, the step index, ‖θ‖ in the algorithm norm, and the record (null if q_min ≤ 0). */
export interface KktPoint {
  readonly s: number;
  readonly step: number;
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
  /** R at the evaluated θ; the solve runs the net elsewhere, so the forward pass at θ is redone. */
  const recordR = (step: number): void => {
    kkt.push({ s, step, rho: state.rho, record: recordKkt(net, state.theta, data, norm, state.qMin, opts.kkt?.options) });
    state.evaluate();
  };
  let s = 0;
  let j = 0; // next grid point to reach
  let predicted = 0; // Σ (W/𝓛)·h·ρ·‖G‖_* in the current window
  // The first call records the pattern at θ₀; it is null for nets without kinks.
  const kinked = opts.countFlips && state.flipsSinceLast() !== null;
  let windowFlips: number | null = null;
  const result = (stop: SegmentRun['stop'], steps: number): SegmentRun => {
    // A step-capped run ends off the grid: record R at its last (evaluated, finite) iterate too.
    const finite = stop === 'complete' || stop.kind !== 'non-finite';
    if (opts.kkt && finite && kkt[kkt.length - 1]?.step !== steps) recordR(steps);
    return { dq: opts.dq, steps, s, stop, grid, logL, logSoft, efficiency, flips, directionNorm, directionAlignment, kkt };
  };
  for (let step = 0; ; step++) {
    const bad = state.evaluate();
    if (bad) return result({ kind: 'non-finite', step, ...bad }, step);
    // Flips of the step that led here, read from the forward pass evaluate() just ran.
    if (windowFlips !== null && step > 0) windowFlips += state.flipsSinceLast(true) ?? 0;
    const atGrid = s === targets[j];
    if (atGrid) {
      grid.push(s);
      logL.push(state.logL);
      opts.tracked.forEach((tracked, i) => {
        const rho = i === 0 ? state.rho : tracked.value(state.theta);
        logSoft[i].push(logSoftMargin(loss, state.logL, rho, opts.degree, convention));
      });
      if (j > 0) {
        efficiency.push((logL[j - 1] - logL[j]) / predicted);
        flips.push(windowFlips);
      }
      predicted = 0;
      windowFlips = kinked ? 0 : null;
      if (opts.kkt && (opts.kkt.at === 'grid' || j === 0 || j === targets.length - 1)) recordR(step);
      if (++j === targets.length) return result('complete', step);
    }
    if (step >= opts.maxSteps) return result({ kind: 'step cap', step }, step);
    const dual = state.direction();
    if (!Number.isFinite(dual)) return result({ kind: 'non-finite', step, quantity: '‖G‖_*', value: dual }, step);
    if (dual === 0) return result({ kind: 'zero-direction', step }, step);
    if (atGrid) {
      directionNorm.push(norm.value(state.u));
      directionAlignment.push(dot(state.u, state.g) / norm.dual(state.g));
    }
    const gap = targets[j] - s;
    const h = Math.min(state.stepLength(opts.dq, opts.band), gap);
    if (!(h > 0)) return result({ kind: 'non-finite', step, quantity: 'step h (Δq control)', value: h }, step);
    predicted += Math.exp(state.logW - state.logLSum) * h * state.rho * dual;
    state.advance(h);
    const next = s + h;
    s = h === gap || next >= targets[j] ? targets[j] : next;
  }
}
