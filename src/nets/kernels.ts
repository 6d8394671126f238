/**
 * The float64 kernels every architecture implements (internal to the f64 engine, src/engines/f64.ts).
 * A kernel set keeps one forward pass in its workspace; `reuseForward` lets the engine (never a caller
 * outside it) skip that pass when it knows the last one ran at the same θ and data.
 */
import type { Dataset, Layout } from '../core/types.js';
import type { Rng } from '../core/rng.js';

export interface F64Kernels {
  readonly name: string;
  readonly degree: number | null;
  readonly inputDim: number;
  readonly layout: Layout;
  init(scale: number, rng: Rng): Float64Array;
  forward(theta: Float64Array, data: Dataset, out?: Float64Array): Float64Array;
  margins(theta: Float64Array, data: Dataset, out?: Float64Array): Float64Array;
  /** Σ_n c_n ∇_θ q_n(θ) in one backward pass (relu'(0) = 0); `out` (length P) is overwritten. */
  vjp(theta: Float64Array, data: Dataset, c: Float64Array, out: Float64Array, reuseForward?: boolean): Float64Array;
  /** ⟨∇_θ q_n(θ), v⟩ for every n in one forward-mode pass. */
  jvp(theta: Float64Array, data: Dataset, v: Float64Array, out?: Float64Array, reuseForward?: boolean): Float64Array;
  perSampleGrads(theta: Float64Array, data: Dataset): Float64Array;
  /** 1 where a hidden pre-activation is > 0 (nets with kinks only). */
  activationPattern?(theta: Float64Array, data: Dataset, out?: Uint8Array, reuseForward?: boolean): Uint8Array;
}
