/**
 * Per-layer spectral norms (THEORY §2, §3): ‖θ‖ = max_k ‖θ_k‖ with the spectral norm ‖W‖_sp on
 * `matrix` blocks and ℓ2 (`spectral`, the Muon geometry) or ℓ∞ (`spectral-sign`, Muon–Signum)
 * on `vector` blocks. On a matrix block G = Σ σ_j u_j v_jᵀ:
 *   dual = nuclear norm Σ σ_j;
 *   steepest = polar factor Σ_{σ_j > tol} u_j v_jᵀ, restricted to the numerically nonzero
 *     singular subspace with the rank tolerance tol = σ_max·max(m, n)·ε (the LAPACK / NumPy
 *     matrix_rank convention). It is unique on that subspace, so repeated singular values need no
 *     tie rule: ‖UVᵀ‖_sp = 1 and ⟨UVᵀ, G⟩ = Σ_{σ_j > tol} σ_j ≥ ‖G‖_nuc − n·tol;
 *   ∂‖W‖_sp ∋ u_1 v_1ᵀ for a top singular pair (the first maximal σ in Jacobi order).
 */
import type { Layout, Norm } from '../core/types.js';
import { blockMaxKernel, layoutBlocks } from './blockmax.js';
import { normFromKernel, type NormKernel } from './kernel.js';
import { l2Kernel } from './l2.js';
import { linfKernel } from './linf.js';
import { thinSvd, type ThinSvd } from './svd.js';

/** Relative rank tolerance for an m×n block: σ_j ≤ σ_max·max(m, n)·ε counts as zero. */
export function rankRtol(rows: number, cols: number): number {
  return Math.max(rows, cols) * Number.EPSILON;
}

function maxOf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]);
  return m;
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** out (row-major rows×cols) += left_j·right_jᵀ. */
function addOuter(out: Float64Array, svd: ThinSvd, j: number): void {
  const { rows, cols, left, right } = svd;
  for (let r = 0; r < rows; r++) {
    const l = left[j * rows + r];
    for (let c = 0; c < cols; c++) out[r * cols + c] += l * right[j * cols + c];
  }
}

export function matrixSpectralKernel(rows: number, cols: number): NormKernel {
  return {
    value: (x) => maxOf(thinSvd(x, rows, cols, false).sigma),
    dual: (g) => sumOf(thinSvd(g, rows, cols, false).sigma),
    steepest(g, out) {
      const svd = thinSvd(g, rows, cols, true);
      const tol = maxOf(svd.sigma) * rankRtol(rows, cols);
      out.fill(0);
      for (let j = 0; j < svd.k; j++) if (svd.sigma[j] > tol) addOuter(out, svd, j);
      return sumOf(svd.sigma);
    },
    valueSubgrad(x, out) {
      const svd = thinSvd(x, rows, cols, true);
      const top = maxOf(svd.sigma);
      out.fill(0);
      if (top > 0) addOuter(out, svd, svd.sigma.indexOf(top));
      return top;
    },
  };
}

const VECTOR_GEOMETRY = {
  l2: { name: 'spectral', label: 'spectral (ℓ2 on vectors)', kernel: l2Kernel },
  linf: { name: 'spectral-sign', label: 'spectral (ℓ∞ on vectors)', kernel: linfKernel },
} as const;

export type VectorGeometry = keyof typeof VECTOR_GEOMETRY;

export function makeSpectralNorm(layout: Layout, vectors: VectorGeometry): Norm {
  const { name, label, kernel } = VECTOR_GEOMETRY[vectors];
  const blocks = layoutBlocks(layout, (layer) =>
    layer.kind === 'matrix' ? matrixSpectralKernel(layer.rows, layer.cols) : kernel,
  );
  return normFromKernel(name, label, blockMaxKernel(blocks));
}
