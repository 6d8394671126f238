/**
 * What a trajectory records at a checkpoint (THEORY §4, §5): loss, margins, norms, normalized and
 * soft margins in ℓ1/ℓ2/ℓ∞ and in the algorithm norm, the slacks (a), (b), (c), and the identities
 * of the step taken from there (THEORY §3: ‖Δθ‖ = η‖g‖_*, ⟨−g, Δθ⟩ = ‖Δθ‖‖g‖_*).
 * Optionally the KKT residual R of THEORY §7 (MeasureContext.kkt; an LP/QP per checkpoint).
 * Always float64, from the unnormalized q (log domain).
 */
import type { Dataset, Net, Norm } from '../core/types.js';
import { dot } from '../core/vec.js';
import type { Loss } from '../losses/index.js';
import type { KktOptions } from '../metrics/kkt.js';
import {
  alignmentSlack,
  lossToMarginSlack,
  normalizedMargin,
  normRateSlack,
  softMargin,
  trainAccuracy,
  type MarginConvention,
} from '../metrics/margins.js';
import { recordKkt, type KktRecord } from './kktRecord.js';

export interface NormMargins {
  /** ‖θ‖ in this norm, γ = q_min/‖θ‖^L and γ̃ = ℓ⁻¹(𝓛)/‖θ‖^L. */
  readonly rho: number;
  readonly gamma: number;
  readonly soft: number;
}

export interface StepRecord {
  readonly logLr: number;
  /** log ‖Δθ‖ and log ‖G‖_* in the algorithm norm. */
  readonly logLength: number;
  readonly logDual: number;
  /** log(‖Δθ‖ / (η·W·‖G‖_*)) in the algorithm norm: 0 for unnormalized steepest descent. */
  readonly logLengthRatio: number;
  /** ⟨G, Δθ⟩ / (‖Δθ‖‖G‖_*): 1 for steepest descent (Δθ ∝ u ∈ U(G)). */
  readonly alignment: number;
}

export interface Checkpoint {
  readonly step: number;
  /** log t, t = Σ η_k (the paper's clock for unnormalized steepest descent; log so that η = α/𝓛 never overflows). */
  readonly logFlowTime: number;
  readonly logLoss: number;
  readonly qMin: number;
  readonly accuracy: number;
  /** log 𝓛 below the loss's late-phase threshold at this checkpoint. */
  readonly late: boolean;
  /** Keyed by norm name: l1, l2, linf and the algorithm norm. */
  readonly norms: Readonly<Record<string, NormMargins>>;
  /** THEORY §5 slacks; (b) and (c) in the algorithm norm (NaN without one, (c) NaN without a step). */
  readonly slacks: { readonly a: number; readonly b: number; readonly c: number };
  /** The step taken from this checkpoint; absent at the last one or without an algorithm norm. */
  readonly stepRecord?: StepRecord;
  /** A copy of θ, when the run keeps them. */
  readonly theta?: Float64Array;
  /** KKT residual R (THEORY §7) when the run records it; null where θ does not separate (q_min ≤ 0). */
  readonly kkt?: KktRecord | null;
}

export interface MeasureContext {
  readonly loss: Loss;
  readonly degree: number;
  readonly convention: MarginConvention;
  /** l1, l2, linf and the algorithm norm (deduplicated by name). */
  readonly norms: readonly Norm[];
  readonly algorithmNorm: Norm | null;
  readonly keepTheta: boolean;
  /** Record R in this norm at every checkpoint (absent: off). */
  readonly kkt?: { readonly net: Net; readonly data: Dataset; readonly norm: Norm; readonly options: KktOptions };
}

export interface MeasureInput {
  readonly step: number;
  readonly logFlowTime: number;
  readonly theta: Float64Array;
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly logW: number;
  /** log 𝓛 under the convention, and the sum-form log 𝓛. */
  readonly logLoss: number;
  readonly logLossSum: number;
  readonly qMin: number;
  readonly late: boolean;
  /** G = Σ p_n ∇q_n at θ. */
  readonly g: Float64Array;
  /** The accepted step from θ and its log η (absent at the last checkpoint). */
  readonly delta?: Float64Array;
  readonly logLr?: number;
  /** θ + Δθ as the run stored it (for slack (c)). */
  readonly next?: Float64Array;
}

export function measureCheckpoint(ctx: MeasureContext, m: MeasureInput): Checkpoint {
  const norms: Record<string, NormMargins> = {};
  for (const norm of ctx.norms) {
    const rho = norm.value(m.theta);
    norms[norm.name] = {
      rho,
      gamma: normalizedMargin(m.qMin, rho, ctx.degree, ctx.convention),
      soft: softMargin(ctx.loss, m.logLoss, rho, ctx.degree, ctx.convention),
    };
  }
  const a = lossToMarginSlack(ctx.loss, m.q, m.p, m.logW, m.logLossSum);
  let b = NaN;
  let c = NaN;
  let stepRecord: StepRecord | undefined;
  const alg = ctx.algorithmNorm;
  if (alg) {
    const rho = norms[alg.name].rho;
    const dual = alg.dual(m.g);
    b = alignmentSlack(dot(m.theta, m.g), rho, dual);
    if (m.delta && m.next && m.logLr !== undefined) {
      const len = alg.value(m.delta);
      c = normRateSlack(rho, alg.value(m.next), len);
      stepRecord = {
        logLr: m.logLr,
        logLength: Math.log(len),
        logDual: Math.log(dual),
        logLengthRatio: Math.log(len) - m.logLr - m.logW - Math.log(dual),
        alignment: dot(m.g, m.delta) / (len * dual),
      };
    }
  }
  return {
    step: m.step,
    logFlowTime: m.logFlowTime,
    logLoss: m.logLoss,
    qMin: m.qMin,
    accuracy: trainAccuracy(m.q),
    late: m.late,
    norms,
    slacks: { a, b, c },
    ...(stepRecord ? { stepRecord } : {}),
    ...(ctx.keepTheta ? { theta: m.theta.slice() } : {}),
    ...(ctx.kkt ? { kkt: recordKkt(ctx.kkt.net, m.theta, ctx.kkt.data, ctx.kkt.norm, m.qMin, ctx.kkt.options) } : {}),
  };
}
