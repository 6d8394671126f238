/**
 * Moving averages of gradients in a log-scaled frame, so that Adam / Signum / Muon / momentum
 * state follows gradients whose scale e^{logScale} drifts over thousands of orders of magnitude
 * (THEORY §9): a moment's true value is e^{power·logRef}·buf.
 *
 * Update m ← decay·m + gain·x^power with x = e^{logScale}·negGrad. The new reference is
 *   logRef' = max(logRef + log(decay)/power, logScale + log max|negGrad|),
 * which makes both coefficients below ≤ 1 (and ≤ gain): nothing overflows, and whatever
 * underflows is below e^{−745} of the dominant term. Valid for every finite logScale.
 */
import type { GradFrame } from './types.js';

export interface ScaledMoment {
  readonly logRef: number;
  readonly buf: Float64Array;
}

export function emptyMoment(size: number): ScaledMoment {
  return { logRef: -Infinity, buf: new Float64Array(size) };
}

export function accumulate(prev: ScaledMoment, decay: number, gain: number, frame: GradFrame, power: 1 | 2): ScaledMoment {
  const g = frame.negGrad;
  let mu = 0;
  for (let i = 0; i < g.length; i++) mu = Math.max(mu, Math.abs(g[i]));
  const logIn = mu > 0 ? frame.logScale + Math.log(mu) : -Infinity;
  const logRef = Math.max(prev.logRef + Math.log(decay) / power, logIn);
  const a = decay === 0 || prev.logRef === -Infinity ? 0 : decay * Math.exp(power * (prev.logRef - logRef));
  const b = logIn === -Infinity ? 0 : gain * Math.exp(power * (logIn - logRef));
  const buf = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) {
    const x = b === 0 ? 0 : g[i] / mu;
    buf[i] = a * prev.buf[i] + b * (power === 1 ? x : x * x);
  }
  return { logRef, buf };
}
