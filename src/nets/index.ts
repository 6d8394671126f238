/** Architecture registry: a plain-data spec (what configs, generators and reports carry) → float64 kernels. */
import type { F64Kernels } from './kernels.js';
import { InputError } from '../core/errors.js';
import type { Activation } from './activations.js';
import { diagonalNet } from './diagonal.js';
import { layerNormNet } from './layernorm.js';
import { linearNet } from './linear.js';
import { mlpNet, type MlpOptions } from './mlp.js';
import { residualNet } from './residual.js';
import { sumNet } from './sum.js';

export type { Activation } from './activations.js';

export type NetSpec =
  | ({ kind: 'mlp' } & MlpOptions)
  | { kind: 'linear'; inputDim: number }
  | { kind: 'diagonal'; inputDim: number; depth: number }
  | { kind: 'residual'; inputDim: number; width: number }
  /** Mixed-depth ensemble: ⟨w, x⟩ + a 2-layer ReLU net of the given width. */
  | { kind: 'ensemble'; inputDim: number; width: number }
  /** 2-layer ReLU net with a LayerNorm on the hidden pre-activations (src/nets/layernorm.ts). */
  | { kind: 'layernorm'; inputDim: number; width: number };

export const NET_KINDS = ['mlp', 'linear', 'diagonal', 'residual', 'ensemble', 'layernorm'] as const;

/** The float64 kernels of `spec` (the f64 engine wraps them; everything else calls buildNet in src/engines). */
export function buildKernels(spec: NetSpec): F64Kernels {
  switch (spec.kind) {
    case 'mlp':
      return mlpNet(spec);
    case 'linear':
      return linearNet(spec.inputDim);
    case 'diagonal':
      return diagonalNet(spec.inputDim, spec.depth);
    case 'residual':
      return residualNet(spec.inputDim, spec.width);
    case 'ensemble': {
      const relu: Activation = { kind: 'relu' };
      return sumNet(linearNet(spec.inputDim), mlpNet({ inputDim: spec.inputDim, widths: [spec.width], activation: relu }));
    }
    case 'layernorm':
      return layerNormNet(spec.inputDim, spec.width);
    default:
      throw new InputError(
        `net.kind = ${JSON.stringify((spec as { kind: unknown }).kind)}: unknown architecture (valid: ${NET_KINDS.join(', ')})`,
      );
  }
}

