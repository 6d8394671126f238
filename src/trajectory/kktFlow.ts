/**
 * A Δq-controlled steepest flow (THEORY §5.2–5.3, the re-timing θ ← θ + h‖θ‖u on the clock s) from
 * an arbitrary θ, with the KKT residual R of THEORY §7 in the algorithm norm recorded at the
 * late-phase entry (the first iterate with log 𝓛 below the loss's threshold: 𝓛 < 1 for the
 * exponential loss) and then every `spacing` of s, and stopped by the caller's target or the step
 * budget. Used for the linear runs of Theorem 3.8 (Gunasekar et al.): unlike runSegment it starts
 * before the late phase, has no horizon and no grid clipping, and can stop as soon as the target is
 * met, so the steps it reports are the steps the target took (to checkpoint resolution).
 */
import type { KktOptions } from '../metrics/kkt.js';
import type { FlowState, FlowStop } from './flow.js';
import { recordKkt } from './kktRecord.js';
import type { KktPoint } from './segment.js';

export interface KktFlowOptions {
  readonly dq: number;
  readonly band: number;
  /** Step budget, counted from θ_init (pre-late-phase steps included). */
  readonly maxSteps: number;
  /** s between R checkpoints after the late-phase entry. */
  readonly spacing: number;
  readonly kkt?: KktOptions;
  /** Checked at every R checkpoint after the entry; true stops the run with `target`. */
  readonly stopWhen?: (entry: KktPoint, current: KktPoint) => boolean;
}

export interface KktFlowRun {
  readonly steps: number;
  readonly s: number;
  /** `target`: stopWhen fired; `step cap`: the budget ran out (a FlowStop); or another FlowStop. */
  readonly stop: 'target' | FlowStop;
  /** Step of the late-phase entry, or null if it was never reached. */
  readonly lateStep: number | null;
  /** R at the entry, then every `spacing` of s, then at the last iterate (step order). */
  readonly points: readonly KktPoint[];
}

/** Runs in place on `state` (already reset to θ_init); state.theta is the last iterate afterwards. */
export function runKktFlow(state: FlowState, opts: KktFlowOptions): KktFlowRun {
  const { net, data, norm, loss } = state.problem;
  const threshold = loss.logLatePhaseThreshold;
  const points: KktPoint[] = [];
  let s = 0;
  let lateStep: number | null = null;
  let next = Infinity;
  /** R at the evaluated θ; the solve runs the net elsewhere, so the forward pass at θ is redone. */
  const record = (step: number): KktPoint => {
    const point = { s, step, rho: state.rho, record: recordKkt(net, state.theta, data, norm, state.qMin, opts.kkt) };
    points.push(point);
    state.evaluate();
    return point;
  };
  const end = (stop: KktFlowRun['stop'], step: number): KktFlowRun => {
    if (stop === 'target' || stop.kind !== 'non-finite') {
      if (lateStep !== null && points[points.length - 1]?.step !== step) record(step);
    }
    return { steps: step, s, stop, lateStep, points };
  };
  for (let step = 0; ; step++) {
    const bad = state.evaluate();
    if (bad) return end({ kind: 'non-finite', step, ...bad }, step);
    if (lateStep === null && state.logL < threshold) {
      lateStep = step;
      record(step);
      next = s + opts.spacing;
    } else if (lateStep !== null && s >= next) {
      const point = record(step);
      next = s + opts.spacing;
      if (opts.stopWhen?.(points[0], point)) return end('target', step);
    }
    if (step >= opts.maxSteps) return end({ kind: 'step cap', step }, step);
    const dual = state.direction();
    if (!Number.isFinite(dual)) return end({ kind: 'non-finite', step, quantity: '‖G‖_*', value: dual }, step);
    if (dual === 0) return end({ kind: 'zero-direction', step }, step);
    const h = state.stepLength(opts.dq, opts.band);
    state.advance(h);
    s += h;
  }
}
