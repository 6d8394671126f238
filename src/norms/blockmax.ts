/**
 * Block-max norms ‖θ‖ = max_k ‖θ_k‖_(k) over the blocks of a layout (THEORY §2):
 *   dual ‖g‖_* = Σ_k ‖g_k‖_(k)*,
 *   steepest u = (u_1, …, u_K) with u_k ∈ U_(k)(g_k) at full unit size in every block
 *     (‖u‖ = max_k ‖u_k‖ = 1, ⟨u, g⟩ = Σ_k ‖g_k‖_(k)*),
 *   ∂‖θ‖ ∋ v with v_k ∈ ∂‖θ_k‖_(k) on ONE block attaining the max, zero elsewhere
 *     (‖v‖_* = 1, ⟨v, θ⟩ = ‖θ_k‖ = ‖θ‖). The block is the lowest-index one within TIE_RTOL of
 *     the max (directions.ts), the same rule as for coordinates.
 */
import { InputError } from '../core/errors.js';
import type { LayerView, Layout } from '../core/types.js';
import { lowestNearMaxAbs } from './directions.js';
import type { NormKernel } from './kernel.js';

export interface Block {
  readonly offset: number;
  readonly size: number;
  readonly kernel: NormKernel;
}

export function blockMaxKernel(blocks: readonly Block[]): NormKernel {
  const view = (x: Float64Array, b: Block) => x.subarray(b.offset, b.offset + b.size);
  const values = (x: Float64Array) => blocks.map((b) => b.kernel.value(view(x, b)));
  return {
    value: (x) => Math.max(0, ...values(x)),
    dual(g) {
      let s = 0;
      for (const b of blocks) s += b.kernel.dual(view(g, b));
      return s;
    },
    steepest(g, out) {
      let s = 0;
      for (const b of blocks) s += b.kernel.steepest(view(g, b), view(out, b));
      return s;
    },
    valueSubgrad(x, out) {
      out.fill(0);
      const v = values(x);
      const k = lowestNearMaxAbs(v);
      if (k < 0) return 0;
      blocks[k].kernel.valueSubgrad(view(x, blocks[k]), view(out, blocks[k]));
      return Math.max(...v);
    },
  };
}

/**
 * One block per layer of `layout`, checked to tile [0, size) in order with positive shapes
 * (vector blocks have rows = 1), since a gap or overlap would silently change the norm.
 */
export function layoutBlocks(layout: Layout, kernelFor: (layer: LayerView) => NormKernel): Block[] {
  let next = 0;
  const blocks = layout.layers.map((layer) => {
    const ok =
      layer.offset === next &&
      Number.isInteger(layer.rows) &&
      Number.isInteger(layer.cols) &&
      layer.rows > 0 &&
      layer.cols > 0 &&
      (layer.kind === 'matrix' || layer.rows === 1);
    if (!ok) {
      throw new InputError(
        `layout block ${JSON.stringify(layer.name)} (offset ${layer.offset}, ${layer.rows}×${layer.cols}, ${layer.kind}): ` +
          `blocks must tile [0, size) in order (next offset ${next}) with positive integer shapes and rows = 1 for vectors`,
      );
    }
    next += layer.rows * layer.cols;
    return { offset: layer.offset, size: layer.rows * layer.cols, kernel: kernelFor(layer) };
  });
  if (next !== layout.size) {
    throw new InputError(`layout size = ${layout.size}: the blocks cover ${next} parameters`);
  }
  return blocks;
}
