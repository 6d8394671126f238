/**
 * Sum-form losses in the log domain (THEORY §1, §4, §9). 𝓛 itself is never formed: it
 * underflows at q ≈ 745 and the late phase reaches q_min ~ 1e4. Everything is expressed through
 *   log 𝓛,   the weights p_n = |ℓ'(q_n)| / Σ_m |ℓ'(q_m)|,   log W = log Σ_m |ℓ'(q_m)|,
 * so that −∇𝓛 = e^{log W} · Σ_n p_n ∇q_n. For the exponential loss W = 𝓛 and p = softmax(−q).
 */
import { InputError } from '../core/errors.js';

export type LossName = 'exp' | 'logistic';

export interface Loss {
  readonly name: LossName;
  /** log 𝓛 = log Σ_n ℓ(q_n), finite for margins up to 1e6 and beyond. */
  logLoss(q: Float64Array): number;
  /**
   * Writes p_n = |ℓ'(q_n)| / Σ|ℓ'| into `p` (exact zeros where they underflow) and returns
   * log Σ_n |ℓ'(q_n)|, so that −∇𝓛 = e^{return} Σ_n p_n ∇q_n.
   */
  weights(q: Float64Array, p: Float64Array): number;
  /** ℓ⁻¹(𝓛) from log 𝓛: the numerator of the soft margin γ̃ = ℓ⁻¹(𝓛)/‖θ‖^L (THEORY §4). */
  inverse(logL: number): number;
  /** log of the late-phase threshold: 𝓛 < 1 (exp) or 𝓛 < log 2 (logistic) ⇒ every q_n > 0. */
  readonly logLatePhaseThreshold: number;
}

/** log(1 + e^x) without overflow or cancellation. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** log ℓ_logistic(q) = log log(1 + e^{−q}), accurate for q from −1e6 to 1e6. */
function logLogisticTerm(q: number): number {
  if (q > 35) {
    // log log1p(t) = log t + log(log1p(t)/t) = −q − t/2 + O(t²), t = e^{−q} < 6.4e-16: t/2 is below
    // half an ulp of q (≥ 3.5e-15 for q > 35), so the float64 value is −q exactly.
    return -q;
  }
  return Math.log(softplus(-q));
}

const exponential: Loss = {
  name: 'exp',
  logLoss(q) {
    let m = Infinity;
    for (let i = 0; i < q.length; i++) if (q[i] < m) m = q[i];
    // log Σ e^{−q_n} = −q_min + log Σ e^{−(q_n − q_min)}: finite at any margin.
    let s = 0;
    for (let i = 0; i < q.length; i++) s += Math.exp(-(q[i] - m));
    return -m + Math.log(s);
  },
  weights(q, p) {
    let m = Infinity;
    for (let i = 0; i < q.length; i++) if (q[i] < m) m = q[i];
    let s = 0;
    for (let i = 0; i < q.length; i++) {
      const e = Math.exp(-(q[i] - m));
      p[i] = e;
      s += e;
    }
    for (let i = 0; i < q.length; i++) p[i] /= s;
    return -m + Math.log(s);
  },
  inverse: (logL) => -logL,
  logLatePhaseThreshold: 0,
};

const logistic: Loss = {
  name: 'logistic',
  logLoss(q) {
    // Streaming log-sum-exp of log ℓ(q_n): no per-call allocation (it runs once per step).
    let m = -Infinity;
    let sum = 0;
    for (let i = 0; i < q.length; i++) {
      const t = logLogisticTerm(q[i]);
      if (t === -Infinity) continue; // q = +∞ contributes nothing
      if (t > m) {
        sum = sum * Math.exp(m - t) + 1;
        m = t;
      } else sum += Math.exp(t - m);
    }
    return m + Math.log(sum);
  },
  weights(q, p) {
    // |ℓ'(q)| = σ(−q), log σ(−q) = −softplus(q).
    let m = -Infinity;
    for (let i = 0; i < q.length; i++) {
      p[i] = -softplus(q[i]);
      if (p[i] > m) m = p[i];
    }
    let s = 0;
    for (let i = 0; i < q.length; i++) {
      p[i] = Math.exp(p[i] - m);
      s += p[i];
    }
    for (let i = 0; i < q.length; i++) p[i] /= s;
    return m + Math.log(s);
  },
  inverse(logL) {
    // ℓ⁻¹(𝓛) = −log(expm1(𝓛)); for tiny 𝓛, log expm1(𝓛) = log 𝓛 + 𝓛/2 + O(𝓛²).
    if (logL < -20) return -logL - 0.5 * Math.exp(logL);
    return -Math.log(Math.expm1(Math.exp(logL)));
  },
  logLatePhaseThreshold: Math.log(Math.LN2),
};

const LOSSES: Record<LossName, Loss> = { exp: exponential, logistic };

export function getLoss(name: string): Loss {
  const loss = (LOSSES as Record<string, Loss | undefined>)[name];
  if (!loss) throw new InputError(`loss = ${JSON.stringify(name)}: unknown loss (valid: ${Object.keys(LOSSES).join(', ')})`);
  return loss;
}

export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];
