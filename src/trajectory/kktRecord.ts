/**
 * The KKT residual R of THEORY §7 as a checkpoint record: what a trajectory keeps of
 * `kktResidual` (src/metrics/kkt.ts) — the value, its certified bracket, the method and the
 * solver's effort, without the multipliers. Optional everywhere (an LP/QP per checkpoint): the
 * runner and the segment call this only when asked, so their hot loops are unchanged when off.
 */
import type { Dataset, Net, Norm } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { kktResidual, type KktOptions, type KktResult } from '../metrics/kkt.js';

export interface KktRecord {
  /** The norm R is measured in (registry name). */
  readonly norm: string;
  /** R at the reported multipliers (= rUpper); the true R lies in [rLower, rUpper]. */
  readonly r: number;
  readonly rLower: number;
  readonly rUpper: number;
  /** The bracket width the method promises (KktResult.rTolerance). */
  readonly rTolerance: number;
  readonly method: KktResult['method'];
  readonly stop: KktResult['stop'];
  readonly iterations: number;
  readonly qMin: number;
  readonly solveMs: number;
  /** Present when the exact solve's certificate was rejected and the matrix-free method was used instead: the rejection. */
  readonly fallback?: string;
}

/** How a run records R: in this norm (default: the algorithm norm), with these solver options. */
export interface KktRecording {
  readonly norm?: string;
  readonly options?: KktOptions;
}

/**
 * R at θ in `norm`, or null when θ does not separate the data (q_min ≤ 0: R is undefined there).
 * `qMin` is the caller's q_min(θ) (already computed at every checkpoint).
 *
 * When the exact LP/QP was chosen and its certificate is rejected (an Error from the solver check,
 * e.g. the ℓ2 QP's duality gap above its acceptance tolerance on a nearly rank-deficient ReLU
 * Jacobian), the record falls back to the matrix-free method — whose bracket is certified by
 * construction — and keeps the rejection in `fallback`. Input errors are never caught.
 */
export function recordKkt(net: Net, theta: Float64Array, data: Dataset, norm: Norm, qMin: number, options: KktOptions = {}): KktRecord | null {
  if (!(qMin > 0)) return null;
  let k: KktResult;
  let fallback: string | undefined;
  try {
    k = kktResidual(net, theta, data, norm, options);
  } catch (e) {
    if (e instanceof InputError || !(e instanceof Error) || options.method === 'matrix-free') throw e;
    fallback = e.message;
    k = kktResidual(net, theta, data, norm, { ...options, method: 'matrix-free' });
  }
  return {
    norm: norm.name,
    r: k.r,
    rLower: k.rLower,
    rUpper: k.rUpper,
    rTolerance: k.rTolerance,
    method: k.method,
    stop: k.stop,
    iterations: k.iterations,
    qMin: k.qMin,
    solveMs: k.solveMs,
    ...(fallback === undefined ? {} : { fallback }),
  };
}

/** R at the two ends of a run, compared beyond their brackets (THEORY §7: assert end-versus-start). */
export interface KktEnds {
  readonly start: KktRecord | null;
  readonly end: KktRecord | null;
  /** R_end / R_start, conservative (upper end of R_end's bracket over the lower end of R_start's); NaN unless both exist. */
  readonly ratio: number;
  /** R_end < R_start beyond both brackets (rUpper_end < rLower_start). */
  readonly shrank: boolean;
  /** R_end > R_start beyond both brackets. */
  readonly grew: boolean;
  /** Both records exact (LP/QP) rather than matrix-free. */
  readonly exact: boolean;
}

export function compareKktEnds(start: KktRecord | null, end: KktRecord | null): KktEnds {
  return {
    start,
    end,
    ratio: start && end ? end.rUpper / start.rLower : NaN,
    shrank: !!start && !!end && end.rUpper < start.rLower,
    grew: !!start && !!end && end.rLower > start.rUpper,
    exact: !!start && !!end && start.method !== 'matrix-free' && end.method !== 'matrix-free',
  };
}
