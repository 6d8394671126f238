/**
 * Battery sizes. Quick: the calibration tests (npm test) and `--quick`; full: the default.
 * Shapes: linear N = 30 < d = 60 with a 3-sparse teacher (certified separations 0.23–0.27 at the
 * quick seeds, far above the 0.1 floor); networks N = 20, d = 5, width 16 (THEORY §11's
 * teacher–student; at width 16 and init 0.1 GD and sign descent separated in 9 of 10 seeds).
 * Δq = 0.5 per step: q_min ≈ 0.5·K after K late steps (γ/γ* of GD on the linear battery 0.999 at
 * K = 2000); h_max = 0.05 keeps the early phase from a small init gradual.
 */
import type { BatteryOptions } from './battery.js';

export type BatterySize = 'quick' | 'full';

export function batteryOptions(size: BatterySize, seed: string, deadline: number): BatteryOptions {
  const quick = size === 'quick';
  return {
    seed,
    deadline,
    schedule: { dq: 0.5, band: 25, hMax: 0.05 },
    linear: { shape: { n: 30, d: 60, k: 3, gap: 0.1 }, seeds: quick ? 3 : 8, steps: quick ? 1500 : 6000, init: 1e-2, minSeparation: 0.1 },
    net: { shape: { n: 20, d: 5, width: 16 }, seeds: quick ? 3 : 8, steps: quick ? 2000 : 8000, init: 0.1, kkt: true },
  };
}
