/**
 * The plain data a trajectory chart is drawn from: one row per checkpoint, with the two events the
 * chart marks (THEORY §4: separation, 100 % train accuracy; THEORY §5: the late phase, 𝓛 below the
 * loss's threshold). Filled from the runner's checkpoints by `trajectorySeries`, or by hand.
 */
import type { Checkpoint, NormMargins } from '../trajectory/checkpoint.js';

/** A position on both clocks: the step index and log t (t = Σ η_k, −∞ at t = 0). */
export interface ClockPoint {
  readonly step: number;
  readonly logFlowTime: number;
}

export interface TrajectoryPoint extends ClockPoint {
  readonly logLoss: number;
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
