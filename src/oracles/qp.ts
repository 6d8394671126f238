/**
 * ℓ2 max-margin QP (THEORY §8) on rows z_n (N×d row-major), in whichever form is smaller:
 *   primal (d ≤ N):  min ½‖w‖²  s.t.  ⟨z_n, w⟩ ≥ 1          → γ* = 1/‖w*‖, μ = multipliers;
 *   dual   (d > N):  min ½‖Σ μ_n z_n‖²  s.t.  μ ∈ Δ         → γ*² = ‖Σ μ*_n z_n‖², w = Σ μ*_n z_n.
 * (KKT of the primal: w* = Σ α_n z_n with α ≥ 0, so the dual form is the primal's Lagrange dual
 * restricted to the simplex.)
 */
import { InputError } from '../core/errors.js';
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

function dual(z: Float64Array, n: number, d: number): RawMaxMargin {
  const gram = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += z[i * d + j] * z[k * d + j];
      gram[i * n + k] = s;
      gram[k * n + i] = s;
    }
    maxDiag = Math.max(maxDiag, gram[i * n + i]);
  }
  // Rows: Σ μ = 1 (equality), then μ_n ≥ 0.
  const A = new Float64Array((n + 1) * n);
  A.fill(1, 0, n);
  for (let i = 0; i < n; i++) A[(i + 1) * n + i] = 1;
  const b = new Float64Array(n + 1);
  b[0] = 1;
  let res = solveQp({ n, D: gram, A, b, meq: 1 });
  if (!res.ok && res.reason === 'D not positive definite') {
    // Linearly dependent rows make the Gram matrix singular. A ridge ρ‖μ‖² with ‖μ‖₂ ≤ ‖μ‖₁ = 1
    // moves the optimal value by at most ρ/2, i.e. γ² by at most ρ; μ stays feasible, so the
    // caller's certificate (‖Σ μ_n z_n‖ ≥ γ*) still holds and its duality gap shows the effect.
    const ridge = 1e-12 * maxDiag;
    for (let i = 0; i < n; i++) gram[i * n + i] += ridge;
    res = solveQp({ n, D: gram, A, b, meq: 1 });
  }
  if (!res.ok) throw new Error(`max-margin dual QP (l2): ${res.reason}`);
  const mu = res.x.map((m) => Math.max(0, m));
  const w = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) w[j] += mu[i] * z[i * d + j];
  return { w, mu };
}
