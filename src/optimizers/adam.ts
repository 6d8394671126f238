/**
 * Adam (THEORY §3): m ← β1 m + (1 − β1)g, v ← β2 v + (1 − β2)g², bias corrections
 * m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), Δθ = −η·m̂/(√v̂ + ε). With β1 = β2 = ε = 0 this is exactly
 * normalized sign descent. ε = 0 is allowed: coordinates where the denominator is 0 (v̂_i = 0,
 * hence m̂_i = 0) get 0 instead of 0/0.
 *
 * Both moments live in log-scaled frames (moments.ts). With m = e^{R_m}m̃ and √v = e^{R_v}r̃ (v is
 * kept by its root), pulling e^{D}, D = max(R_v, log ε), out of the denominator gives
 * Δθ = η·e^{R_m − D}·d with
 *   d_i = (m̃_i/c1) / (e^{R_v − D}·r̃_i/√c2 + ε·e^{−D}),
 * where both denominator coefficients are ≤ 1 and one equals 1: ε keeps its meaning in true
 * gradient units (the drift to GD once √v̂ ≲ ε) at any gradient scale.
 */
import { resolveParams, unitInterval } from './hyper.js';
import { accumulate, emptyMoment, type ScaledMoment } from './moments.js';
import { checkFrame, defineOptimizer } from './optimizer.js';
import type { Optimizer } from './types.js';

export const ADAM_PARAMS = {
  beta1: unitInterval(0.9),
  beta2: unitInterval(0.999),
  eps: { min: 0, max: Infinity, default: 1e-8 },
};

export interface AdamState {
  /** Updates taken (the t of the bias corrections). */
  readonly t: number;
  readonly m: ScaledMoment;
  readonly v: ScaledMoment;
}

export function adam(opts: Readonly<Record<string, unknown>> = {}): Optimizer<AdamState> {
  const { beta1, beta2, eps } = resolveParams('adam', ADAM_PARAMS, opts);
  const logEps = Math.log(eps);
  return defineOptimizer<AdamState>({
    name: 'adam',
    norm: null,
    init: (theta) => ({ t: 0, m: emptyMoment(theta.length), v: emptyMoment(theta.length) }),
    direction(frame, state, _ctx, out) {
      checkFrame(frame, 'adam');
      const t = state.t + 1;
      const m = accumulate(state.m, beta1, 1 - beta1, frame, 1);
      const v = accumulate(state.v, beta2, 1 - beta2, frame, 2);
      const next = { t, m, v };
      const D = Math.max(v.logRef, logEps);
      if (D === -Infinity) {
        out.fill(0); // every gradient so far was 0 and ε = 0
        return { state: next, logMagnitude: -Infinity };
      }
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      const a = Math.exp(v.logRef - D) / Math.sqrt(c2);
      const b = eps === 0 ? 0 : Math.exp(logEps - D);
      for (let i = 0; i < out.length; i++) {
        const den = a * v.buf[i] + b;
        out[i] = den === 0 ? 0 : m.buf[i] / c1 / den;
      }
      return { state: next, logMagnitude: m.logRef - D };
    },
  });
}
