/**
 * A trajectory trace of flow runs (the pre-phase and a segment level, THEORY §5.1–5.3): θ measured
 * at geometrically spaced steps by the float64 judge (THEORY §9) — log 𝓛 (sum), train accuracy,
 * and ‖θ‖, γ = q_min/‖θ‖^L and γ̃ = ℓ⁻¹(𝓛)/‖θ‖^L per norm. The run report draws it (src/report).
 * It observes the loop through the runs' `visit` hooks and never changes a step.
 */
import type { Dataset, Net, Norm } from '../core/types.js';
import type { Loss } from '../losses/index.js';
import { minMargin, normalizedMargin, softMargin, trainAccuracy } from '../metrics/margins.js';
import type { NormMargins } from './checkpoint.js';

export interface TracePoint {
  /** Steps since θ_init, over the traced runs in order. */
  readonly step: number;
  readonly logLoss: number;
  readonly accuracy: number;
  readonly norms: Readonly<Record<string, NormMargins>>;
}

/** Step growth between trace points: ~10 points per decade of steps. */
const RATIO = 1.25;

export class FlowTrace {
  readonly points: TracePoint[] = [];
  private next = 0;

  constructor(
    private readonly net: Net,
    private readonly data: Dataset,
    private readonly loss: Loss,
    private readonly degree: number,
    private readonly norms: readonly Norm[],
  ) {}

  /** A `visit` hook for a run whose iterate 0 is overall step `offset`: records at steps 0, 1, then ×1.25. */
  observer(offset: number): (step: number, theta: Float64Array) => void {
    return (step, theta) => {
      if (offset + step >= this.next) this.record(offset + step, theta);
    };
  }

  /** Records θ at overall step `step` (a run's last iterate); a step already recorded is kept once. */
  record(step: number, theta: Float64Array): void {
    if (this.points.length && this.points[this.points.length - 1].step >= step) return;
    const q = this.net.reference.margins(theta, this.data);
    const qMin = minMargin(q);
    const logLoss = this.loss.logLoss(q);
    const norms: Record<string, NormMargins> = {};
    for (const norm of this.norms) {
      const rho = norm.value(theta);
      norms[norm.name] = { rho, gamma: normalizedMargin(qMin, rho, this.degree), soft: softMargin(this.loss, logLoss, rho, this.degree) };
    }
    this.points.push({ step, logLoss, accuracy: trainAccuracy(q), norms });
    this.next = Math.max(step + 1, Math.ceil(step * RATIO));
  }
}
