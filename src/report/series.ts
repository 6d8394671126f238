/**
 * The plain data a trajectory chart is drawn from: one row per checkpoint, with the two events the
 * chart marks (THEORY §4: separation, 100 % train accuracy; THEORY §5: the late phase, 𝓛 below the
 * loss's threshold). Filled from the runner's checkpoints by `trajectorySeries`, or by hand.
 */
import type { Loss } from '../losses/index.js';
import { normalizedMargin, softMargin } from '../metrics/margins.js';
import type { Checkpoint, NormMargins } from '../trajectory/checkpoint.js';
import type { LevelEvidence, Theorem31Result } from '../theorems/theorem31.js';
import type { KktPoint, PrePhaseResult } from '../trajectory/segment.js';
import type { TracePoint } from '../trajectory/trace.js';

/** What the Theorem 3.1 chart reads of a check (a Theorem31Result is one; theorem31ChartData keeps one as plain data). */
export interface Theorem31ChartData
  extends Pick<Theorem31Result, 'verdict' | 'reason' | 'norm' | 'degree' | 'horizon' | 'ratio' | 'efficiency' | 'flips' | 'marginInTau' | 'fell'> {
  readonly prePhase: Pick<PrePhaseResult, 'reached' | 'steps'>;
  readonly levels: readonly Pick<LevelEvidence, 'dq' | 'd' | 'worstWindow' | 'complete' | 'stop' | 'grid' | 'logSoft'>[];
}

/** A position on both clocks: the step index and log t (t = Σ η_k, −∞ at t = 0; NaN where not measured). */
export interface ClockPoint {
  readonly step: number;
  readonly logFlowTime: number;
}

export interface TrajectoryPoint extends ClockPoint {
  readonly logLoss: number;
  /** Train accuracy (NaN where not measured). */
  readonly accuracy: number;
  /** ‖θ‖, γ and γ̃ keyed by norm name (l1, l2, linf and the algorithm norm). */
  readonly norms: Readonly<Record<string, NormMargins>>;
  /** KKT residual R (THEORY §7) where recorded and defined, else null. */
  readonly kkt: number | null;
}

export interface TrajectorySeries {
  readonly label: string;
  /** Registry name of the algorithm norm, when the optimizer has one. */
  readonly algorithmNorm: string | null;
  readonly points: readonly TrajectoryPoint[];
  /** The first checkpoint at 100 % train accuracy, and the first in the late phase (null: never). */
  readonly separation: ClockPoint | null;
  readonly latePhase: ClockPoint | null;
}

const clock = (c: ClockPoint): ClockPoint => ({ step: c.step, logFlowTime: c.logFlowTime });

/**
 * Series from checkpoints in step order. The markers are checkpoints, so they are exact for the late
 * phase (the runner checkpoints its entry) and at checkpoint resolution for separation.
 */
export function trajectorySeries(label: string, checkpoints: readonly Checkpoint[], algorithmNorm: string | null = null): TrajectorySeries {
  const separated = checkpoints.find((c) => c.accuracy === 1);
  const late = checkpoints.find((c) => c.late);
  return {
    label,
    algorithmNorm,
    points: checkpoints.map((c) => ({
      step: c.step,
      logFlowTime: c.logFlowTime,
      logLoss: c.logLoss,
      accuracy: c.accuracy,
      norms: c.norms,
      kkt: c.kkt ? c.kkt.r : null,
    })),
    separation: separated ? clock(separated) : null,
    latePhase: late ? clock(late) : null,
  };
}

/** Points kept when a series is shrunk for a record: a chart needs a few hundred, not every checkpoint. */
export const RECORD_POINTS = 300;

/**
 * At most `max` indices of 0..n−1, evenly spaced, with the first, the last and every index of `keep`
 * (so a shrunk series still shows its worst window or its largest value).
 */
export function sampleIndices(n: number, max: number, keep: readonly number[] = []): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set(keep.filter((i) => i >= 0 && i < n));
  const even = Math.max(2, max - picked.size);
  for (let k = 0; k < even; k++) picked.add(Math.round((k * (n - 1)) / (even - 1)));
  return [...picked].sort((a, b) => a - b);
}

/**
 * A Theorem 3.1 check as plain chart data, each level's log γ̃ series shrunk to at most about `max`
 * grid points with both ends of its worst window kept (D is read there, THEORY §5.4).
 */
export function theorem31ChartData(result: Theorem31ChartData, max = RECORD_POINTS): Theorem31ChartData {
  const { verdict, reason, norm, degree, horizon, ratio, efficiency, flips, marginInTau, fell } = result;
  const levels = result.levels.map((l) => {
    const j = l.worstWindow ? l.grid.indexOf(l.worstWindow[0]) : -1;
    const at = sampleIndices(l.grid.length, max, j < 0 ? [] : [j, j + 1]);
    const { dq, d, worstWindow, complete, stop } = l;
    return { dq, d, worstWindow, complete, stop, grid: at.map((i) => l.grid[i]), logSoft: at.map((i) => l.logSoft[i]) };
  });
  const prePhase = { reached: result.prePhase.reached, steps: result.prePhase.steps };
  return { verdict, reason, norm, degree, horizon, ratio, efficiency, flips, marginInTau, fell: [...fell], prePhase, levels };
}

export interface KktSeriesOptions {
  /** Registry name of the norm R, ‖θ‖ and the margins are measured in (the algorithm norm). */
  readonly norm: string;
  readonly degree: number;
  readonly loss: Loss;
  readonly max?: number;
}

/**
 * The R checkpoints of a flow run (Theorem 3.8, THEORY §7) as a series on the step clock: γ from the
 * record's q_min, γ̃ from log 𝓛 (late phase only), ‖θ‖ and R in the algorithm norm. Separation is
 * the first point with q_min > 0 (R is defined there), the late phase the first below the loss's
 * threshold; the flow time is not measured (the s clock is re-timed). At most `max` points, the
 * largest R among them.
 */
export function kktSeries(label: string, points: readonly KktPoint[], o: KktSeriesOptions): TrajectorySeries {
  const late = (p: KktPoint) => p.logL < o.loss.logLatePhaseThreshold;
  const largest = points.reduce((best, p, i) => ((p.record?.r ?? -1) > (points[best]?.record?.r ?? -1) ? i : best), 0);
  const kept = sampleIndices(points.length, o.max ?? RECORD_POINTS, [largest]).map((i) => points[i]);
  const clockOf = (p: KktPoint | undefined): ClockPoint | null => (p ? { step: p.step, logFlowTime: NaN } : null);
  return {
    label,
    algorithmNorm: o.norm,
    points: kept.map((p) => ({
      step: p.step,
      logFlowTime: NaN,
      logLoss: p.logL,
      accuracy: NaN,
      norms: {
        [o.norm]: {
          rho: p.rho,
          gamma: p.record ? normalizedMargin(p.record.qMin, p.rho, o.degree) : NaN,
          soft: late(p) ? softMargin(o.loss, p.logL, p.rho, o.degree) : NaN,
        },
      },
      kkt: p.record ? p.record.r : null,
    })),
    separation: clockOf(points.find((p) => p.record !== null)),
    latePhase: clockOf(points.find(late)),
  };
}

/**
 * A FlowTrace (the pre-phase and the finest level of a Theorem 3.1 check) as a series on the step
 * clock, with R at the steps where it was recorded (`kkt`); the late phase is log 𝓛 below `logLate`.
 */
export function traceSeries(
  label: string,
  points: readonly TracePoint[],
  o: { readonly algorithmNorm: string; readonly logLate: number; readonly kkt?: readonly { readonly step: number; readonly r: number }[] },
): TrajectorySeries {
  const clockOf = (p: TracePoint | undefined): ClockPoint | null => (p ? { step: p.step, logFlowTime: NaN } : null);
  return {
    label,
    algorithmNorm: o.algorithmNorm,
    points: points.map((p) => ({ ...p, logFlowTime: NaN, kkt: o.kkt?.find((k) => k.step === p.step)?.r ?? null })),
    separation: clockOf(points.find((p) => p.accuracy === 1)),
    latePhase: clockOf(points.find((p) => p.logLoss < o.logLate)),
  };
}
