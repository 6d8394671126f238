/**
 * Typed wrapper of `quadprog` (Goldfarb–Idnani dual active-set method, a port of R's solve.QP):
 *   min ½ xᵀ D x   s.t.   a_iᵀ x = b_i (i < meq),   a_iᵀ x ≥ b_i (i ≥ meq).
 * The package is untyped and 1-indexed; this file is the only place that knows.
 */
import { createRequire } from 'node:module';

type Mat1 = number[][];
type Vec1 = number[];
interface RawSolution {
  solution: Vec1;
  Lagrangian: Vec1;
  value: Vec1;
  message: string;
}
type SolveQP = (D: Mat1, d: Vec1, A: Mat1, b: Vec1, meq: number, factorized: [number, number]) => RawSolution;

const { solveQP } = createRequire(import.meta.url)('quadprog') as { solveQP: SolveQP };

export interface QpProblem {
  /** Number of variables. */
  readonly n: number;
  /** D, n×n row-major symmetric positive definite, or the identity (then no factorization is done). */
  readonly D: Float64Array | 'identity';
  /** Constraint rows a_i, q×n row-major. */
  readonly A: Float64Array;
  readonly b: Float64Array;
  /** The first `meq` constraints are equalities. */
  readonly meq: number;
}

export type QpResult =
  | { readonly ok: true; readonly x: Float64Array; readonly multipliers: Float64Array }
  | { readonly ok: false; readonly reason: 'infeasible' | 'D not positive definite' };

export function solveQp(p: QpProblem): QpResult {
  const { n, A, b, meq } = p;
  const q = b.length;
  const D: Mat1 = [[]];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n + 1).fill(0);
    if (p.D === 'identity') row[i + 1] = 1;
    else for (let j = 0; j < n; j++) row[j + 1] = p.D[i * n + j];
    D.push(row);
  }
  // quadprog takes A as n×q (one column per constraint).
  const At: Mat1 = [[]];
  for (let j = 0; j < n; j++) {
    const col = new Array<number>(q + 1);
    col[0] = 0;
    for (let i = 0; i < q; i++) col[i + 1] = A[i * n + j];
    At.push(col);
  }
  const zero = new Array<number>(n + 1).fill(0);
  // factorized[1] = 1 passes R⁻¹ (D = RᵀR) instead of D: for D = I that is I itself.
  const res = solveQP(D, zero, At, [0, ...b], meq, [0, p.D === 'identity' ? 1 : 0]);
  if (res.message.includes('inconsistent')) return { ok: false, reason: 'infeasible' };
  if (res.message.includes('positive definite')) return { ok: false, reason: 'D not positive definite' };
  if (res.message !== '') throw new Error(`quadprog: ${res.message}`);
  return { ok: true, x: Float64Array.from(res.solution.slice(1)), multipliers: Float64Array.from(res.Lagrangian.slice(1)) };
}
