/**
 * The four primitives every norm supplies. `normFromKernel` derives w ∈ ∂½‖θ‖² and the
 * Fenchel–Young gap from them (THEORY §2), so no norm repeats that code.
 *
 * Note ∂‖x‖ = argmax_{‖v‖_*≤1} ⟨v, x⟩ is the steepest set of the *dual* norm, so `valueSubgrad`
 * of a norm is the `steepest` of its dual (ℓ1 ↔ ℓ∞, ℓp ↔ ℓq, spectral ↔ nuclear).
 */
import type { Norm } from '../core/types.js';

export interface NormKernel {
  value(x: Float64Array): number;
  dual(g: Float64Array): number;
  /** Writes u ∈ U(g) (u = 0 for g = 0) and returns ‖g‖_*. */
  steepest(g: Float64Array, out: Float64Array): number;
  /** Writes v ∈ ∂‖x‖ (‖v‖_* = 1, ⟨v, x⟩ = ‖x‖; v = 0 for x = 0) and returns ‖x‖. */
  valueSubgrad(x: Float64Array, out: Float64Array): number;
}

export function normFromKernel(name: string, label: string, kernel: NormKernel): Norm {
  return {
    name,
    label,
    value: (x) => kernel.value(x),
    dual: (g) => kernel.dual(g),
    steepest: (g, out) => kernel.steepest(g, out),
    subgradHalfSq(theta, out) {
      // ∂½‖θ‖² = ‖θ‖·∂‖θ‖: ‖w‖_* = ‖θ‖·1, ⟨w, θ⟩ = ‖θ‖·‖θ‖.
      const r = kernel.valueSubgrad(theta, out);
      for (let i = 0; i < out.length; i++) out[i] *= r;
      return out;
    },
    fyGap: (theta, w) => fenchelYoungGap(kernel.value(theta), kernel.dual(w), theta, w),
  };
}

/**
 * FY(θ, w) = ½a² + ½b² − ⟨θ, w⟩ with a = ‖θ‖, b = ‖w‖_*, rewritten as
 *   ½(a − b)² + a·b·(1 − ⟨θ/a, w/b⟩)
 * so that no square or dot product overflows when θ reaches 1e150 (both terms are ≥ 0 in exact
 * arithmetic, by Hölder). Round-off can make the result −O(P·ε·a·b); it is not clamped.
 */
export function fenchelYoungGap(a: number, b: number, theta: Float64Array, w: Float64Array): number {
  if (a === 0 || b === 0) return 0.5 * (a * a + b * b);
  let c = 0;
  for (let i = 0; i < theta.length; i++) c += (theta[i] / a) * (w[i] / b);
  const d = a - b;
  return 0.5 * d * d + a * b * (1 - c);
}
