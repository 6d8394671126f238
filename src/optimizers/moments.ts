/**
 * Moving averages of gradients in a log-scaled frame, so that Adam / Signum / Muon / momentum
 * state follows gradients whose scale e^{logScale} drifts over thousands of orders of magnitude
 * (THEORY §9). A moment of power p (m ← decay·m + gain·x^p) is kept by its p-th root: its true
 * value is (e^{logRef}·buf)^p. Adam's second moment (p = 2) is held as √v, so an entry keeps the
 * frame's full range: stored as v/e^{2·logRef} it would be subnormal 10^154 below the frame's largest
 * entry and 0 beyond 10^162 — and Adam(0, 0, 0) would then step 0, not ±η, in that coordinate.
 *
 * Update with x = e^{logScale}·negGrad. The new reference is
 *   logRef' = max(logRef + log(decay)/p, logIn),   logIn = logScale + log max|negGrad|,
 * which makes both coefficients below ≤ 1 (and ≤ gain^{1/p}): nothing overflows, and whatever
 * underflows is below e^{−745} of the dominant term. Valid for every finite logScale.
 *   p = 1: buf' = a·buf + b·(x/μ),   p = 2: buf' = hypot(a·buf, b·(x/μ))   (μ = max|negGrad|),
 *   a = decay^{1/p}·e^{logRef − logRef'},   b = gain^{1/p}·e^{logIn − logRef'}.
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
  const root = (c: number) => (power === 1 ? c : Math.sqrt(c));
  const a = decay === 0 || prev.logRef === -Infinity ? 0 : root(decay) * Math.exp(prev.logRef - logRef);
  const b = logIn === -Infinity ? 0 : root(gain) * Math.exp(logIn - logRef);
  const buf = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) {
    const x = b === 0 ? 0 : g[i] / mu;
    buf[i] = power === 1 ? a * prev.buf[i] + b * x : Math.hypot(a * prev.buf[i], b * x);
  }
  return { logRef, buf };
}
