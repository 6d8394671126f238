/**
 * Battery sizes and the step size of the common schedule.
 *
 * Quick: the calibration tests (npm test) and `--quick`; full: the default. Shapes: linear N = 30 <
 * d = 60 with a 3-sparse teacher (certified separations 0.23–0.27 at the quick seeds, far above the
 * 0.1 floor); networks N = 20, d = 5, width 16 (THEORY §11's teacher–student), init scale 1: from
 * 0.1, sign descent left a sample with every unit dead (q_n = 0 for good, 𝓛 stuck at 1) in 4 of 9
 * quick seeds at root seeds 1–3, from 1 in none.
 *
 * Δq: 0.5 per step for memoryless optimizers (GD reaches γ₂/γ*₂ = 0.999 on the linear battery in
 * 1500 steps). An optimizer that averages past gradients with weight β per step needs Δq < −ln β:
 * in the late phase 𝓛 — hence the gradient's scale — falls by about e^{−Δq} per step, so with
 * Δq > −ln β the average is dominated by its OLDEST terms and the direction freezes (measured:
 * Signum at Δq = 0.5 ends at γ∞/γ*∞ 0.26–0.36, at Δq = 0.05 at 0.997). Registered optimizers with
 * memory run at Δq = −ln(β)/2 (β = beta, or beta1 for Adam); steps scale by 0.5/Δq, at most
 * ×10, so q_min reaches the same level (half of it for Muon's β = 0.95: the full battery of Muon at
 * ×19 took 15 minutes on a shared 2-core machine). Adam's second moment (β2 = 0.999 → Δq ≈ 5·10⁻⁴) is beyond any affordable budget:
 * its fingerprint is the one at β1's Δq, and the report says so.
 */
import { ADAM_PARAMS, MOMENTUM_PARAMS, MUON_PARAMS, SIGNUM_PARAMS, type OptimizerOptions } from '../optimizers/index.js';
import type { BatteryOptions } from './battery.js';

export type BatterySize = 'quick' | 'full';

export const DEFAULT_DQ = 0.5;
const MAX_STEP_SCALE = 10;

/** Δq for a registered optimizer: −ln(β)/2 for the averaging ones (capped at DEFAULT_DQ), else DEFAULT_DQ. */
export function memoryDq(name: string, options: OptimizerOptions): number {
  const defaults: Record<string, [string, number | undefined]> = {
    adam: ['beta1', ADAM_PARAMS.beta1.default],
    signum: ['beta', SIGNUM_PARAMS.beta.default],
    muon: ['beta', MUON_PARAMS.beta.default],
    momentum: ['beta', MOMENTUM_PARAMS.beta.default],
  };
  const entry = defaults[name];
  if (!entry) return DEFAULT_DQ;
  const beta = (options[entry[0]] as number | undefined) ?? entry[1]!;
  return Math.min(DEFAULT_DQ, -Math.log(beta) / 2);
}

export function batteryOptions(size: BatterySize, seed: string, deadline: number, dq = DEFAULT_DQ): BatteryOptions {
  const quick = size === 'quick';
  const scale = Math.min(MAX_STEP_SCALE, DEFAULT_DQ / dq);
  return {
    seed,
    deadline,
    schedule: { dq, band: 25, hMax: 0.05 },
    linear: { shape: { n: 30, d: 60, k: 3, gap: 0.1 }, seeds: quick ? 3 : 8, steps: Math.round((quick ? 1500 : 6000) * scale), init: 1e-2, minSeparation: 0.1 },
    net: { shape: { n: 20, d: 5, width: 16 }, seeds: quick ? 3 : 8, steps: Math.round((quick ? 2000 : 8000) * scale), init: 1, kkt: true },
  };
}
