/**
 * ℓ2 max-margin QP (THEORY §8) on rows z_n (N×d row-major), in whichever form is smaller:
 *   primal (d ≤ N):  min ½‖w‖²  s.t.  ⟨z_n, w⟩ ≥ 1          → γ* = 1/‖w*‖, μ = multipliers;
 *   dual   (d > N):  min ½‖Σ μ_n z_n‖²  s.t.  μ ∈ Δ         → γ*² = ‖Σ μ*_n z_n‖², w = Σ μ*_n z_n
 *                    (Wolfe's min-norm-point algorithm, see minNormPoint.ts).
 * (KKT of the primal: w* = Σ α_n z_n with α ≥ 0, so the dual form is the primal's Lagrange dual
 * restricted to the simplex.)
 */
import { InputError } from '../core/errors.js';
import { minNormPoint } from './minNormPoint.js';
import { solveQp } from './quadprog.js';
import type { RawMaxMargin } from './maxMargin.js';

export function maxMarginQp(z: Float64Array, n: number, d: number): RawMaxMargin {
  return d <= n ? primal(z, n, d) : dual(z, n, d);
}

function primal(z: Float64Array, n: number, d: number): RawMaxMargin {
  const res = solveQp({ n: d, D: 'identity', A: z, b: new Float64Array(n).fill(1), meq: 0 });
  if (!res.ok) {
    if (res.reason === 'infeasible') throw new InputError('data is not linearly separable (γ*_l2 ≤ 0: no w has ⟨w, y_n x_n⟩ ≥ 1 for every n)');
    throw new Error(`max-margin QP (l2): ${res.reason} for D = I`);
  }
  return { w: res.x, mu: res.multipliers.map((a) => Math.max(0, a)) };
}

/**
 * Dual form by Wolfe's min-norm-point algorithm (minNormPoint.ts), not quadprog: the Gram matrix
 * of KKT rows is often singular (dependent ReLU gradients), and quadprog on a ridged Gram lost up
 * to 1e4× the certificate's tolerance there. Wolfe's method needs no positive definiteness.
 */
function dual(z: Float64Array, n: number, d: number): RawMaxMargin {
  const { mu } = minNormPoint(z, n, d);
  const w = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) w[j] += mu[i] * z[i * d + j];
  return { w, mu };
}
