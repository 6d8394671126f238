/**
 * Synthetic checkpoints for the report tests: a run that separates at step 64 and enters the late
 * phase at step 512, with margins that are negative before separation, rising after it, and a KKT
 * residual from separation on. Pure formulas (no run), so every number a chart shows is known.
 */
import type { Checkpoint } from '../../src/trajectory/checkpoint.js';

export const SEPARATION_STEP = 64;
export const LATE_STEP = 512;
export const STEPS = [0, ...Array.from({ length: 13 }, (_, i) => 2 ** i)]; // 0, 1, 2, …, 4096
/** Scale of each norm's margin (γ_∞ ≥ γ_2 ≥ γ_1 as for ‖θ‖_1 ≥ ‖θ‖_2 ≥ ‖θ‖_∞). */
export const SCALE: Readonly<Record<string, number>> = { l1: 0.01, l2: 0.1, linf: 1 };

export function syntheticCheckpoints(kkt = true): Checkpoint[] {
  return STEPS.map((step) => {
    const separated = step >= SEPARATION_STEP;
    const rise = separated ? 1 - 1 / Math.log(step) : -5;
    const norms = Object.fromEntries(
      Object.entries(SCALE).map(([name, s]) => [name, { rho: (1 + step / 100) / s, gamma: s * rise, soft: s * (rise - 0.1) }]),
    );
    return {
      step,
      logFlowTime: Math.log(0.1 * step),
      logLoss: Math.log(10) - step / 50,
      qMin: rise,
      accuracy: separated ? 1 : 0.75,
      late: step >= LATE_STEP,
      norms,
      slacks: { a: 0, b: 0, c: NaN },
      ...(kkt
        ? {
            kkt: separated
              ? { norm: 'l2', r: 1 / Math.log(step), rLower: 0, rUpper: 1 / Math.log(step), rTolerance: 1e-9, method: 'qp' as const, stop: 'solved' as const, iterations: 1, qMin: rise, solveMs: 0 }
              : null,
          }
        : {}),
    };
  });
}
