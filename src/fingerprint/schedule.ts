/**
 * The fingerprint's step rule, one for every optimizer (registered or user): the optimizer chooses
 * the direction, the schedule only the length, so optimizers are compared on their geometry alone.
 *
 *   η = min( dq / max_n |⟨∇q_n, e^{m}d⟩|  over q_n ≤ q_min + band,   h_max·‖θ‖₂ / ‖e^{m}d‖₂ )
 *
 * The first term is the Δq step control of THEORY §5.3 — every relevant margin moves by at most dq
 * per step, so the softmax weights p_n stay resolved however large q_min gets (fixed relative steps
 * make sign and coordinate descent chatter, §5); it is measured along the actual step with one
 * forward-mode pass. The second caps the relative length (‖θ‖ grows at most ×(1 + h_max) per step)
 * so the early phase from a small init is not one giant step. Normalized (Adam, Signum, Muon) and
 * unnormalized optimizers alike then reach q_min ≈ K·dq after K late steps: the loss-scaled
 * learning rate the late phase needs, without knowing the optimizer's own scale.
 */
import type { Dataset, Net } from '../core/types.js';
import { withEvaluation } from '../engines/index.js';
import { norm2 } from '../core/vec.js';
import type { Schedule } from '../optimizers/index.js';

export interface MarginStepOptions {
  /** Largest move of a relevant margin per step. */
  readonly dq: number;
  /** Samples with q_n ≤ q_min + band are relevant (THEORY §5.3: 25, softmax weights e^{−25} below). */
  readonly band: number;
  /** Largest relative ℓ2 step ‖Δθ‖₂/‖θ‖₂. */
  readonly hMax: number;
}

export function marginStep(net: Net, data: Dataset, o: MarginStepOptions): Schedule {
  const logDq = Math.log(o.dq);
  const logH = Math.log(o.hMax);
  return {
    name: `Δq(${o.dq}, h ≤ ${o.hMax})`,
    logLr(ctx) {
      const { direction: d, logMagnitude: m, theta } = ctx;
      // A zero direction gives a zero step whatever η is: any finite η will do.
      if (m === -Infinity) return 0;
      const move = withEvaluation(net, theta, data, (ev) => {
        const q = ev.margins;
        let qMin = Infinity;
        for (let i = 0; i < q.length; i++) qMin = Math.min(qMin, q[i]);
        const dq = ev.jvp(d);
        let mx = 0;
        for (let i = 0; i < q.length; i++) if (q[i] <= qMin + o.band) mx = Math.max(mx, Math.abs(dq[i]));
        return mx;
      });
      const logD = Math.log(norm2(d));
      const rho = norm2(theta);
      // θ = 0 has no relative scale: the Δq control alone sets the step.
      const logRel = rho > 0 ? logH + Math.log(rho) - m - logD : Infinity;
      const logDqStep = move > 0 ? logDq - m - Math.log(move) : Infinity;
      const logLr = Math.min(logRel, logDqStep);
      return Number.isFinite(logLr) ? logLr : 0;
    },
    accept: () => undefined,
    reject: () => undefined,
  };
}
