/**
 * The training algorithms of the reproductions (THEORY §3, §11) with their step-size rules.
 *
 * Steepest descent (gd, sign, coord) runs unnormalized with the loss-based schedule η = α/𝓛 and
 * rollback (Lyu & Li; as properties/theorem38 drives late-phase runs): the step length η‖G‖_* then
 * stays of order α however small 𝓛 gets, so the late phase keeps making progress. Adam runs with
 * its default hyper-parameters (η = 10⁻³, β1 = 0.9, β2 = 0.999, ε = 10⁻⁸) at a constant rate, and
 * once more with ε = 0; its step is already normalized (|Δθ_i| ≲ η), so no loss scaling.
 */
import type { Layout } from '../core/types.js';
import { constant, lossBased, makeOptimizer, type Optimizer, type Schedule } from '../optimizers/index.js';

export interface Algorithm {
  /** Key in records and charts. */
  readonly name: string;
  /** Legend label. */
  readonly label: string;
  /** The norm whose margin the algorithm maximizes (THEORY §3), or null (Adam). */
  readonly ownNorm: string | null;
  readonly optimizer: (layout: Layout) => Optimizer<any>;
  /** A fresh schedule per run (the loss-based one carries its rollback state). */
  readonly schedule: () => Schedule;
  /** Rejected steps in a row before the run stops (rollback; 0: every finite step is taken). */
  readonly maxRejections: number;
  /** One line for the report: the update and its step-size rule. */
  readonly rule: string;
}

/** Consecutive rollbacks before a steepest run stops (2⁻⁴⁰ α: the step cannot lower 𝓛 at all). */
const MAX_ROLLBACKS = 40;
/** Adam's default learning rate (PyTorch, Keras, optax examples). */
export const ADAM_LR = 1e-3;

const STEEPEST = {
  gd: { label: 'GD', ownNorm: 'l2' },
  sign: { label: 'sign descent', ownNorm: 'linf' },
  coord: { label: 'coordinate descent', ownNorm: 'l1' },
} as const;

/**
 * Steepest descent with η = α/𝓛 (rollback halves α on a rise of 𝓛, regrows it ×1.1 up to α). The
 * first-order loss decrease of a step is η‖G‖_*², and ‖G‖_∞ ≪ ‖G‖_2 ≪ ‖G‖_1 for many parameters,
 * so each reproduction picks α per geometry (coordinate descent, moving one weight, needs the largest).
 */
export function steepestDescent(name: keyof typeof STEEPEST, alpha: number): Algorithm {
  const { label, ownNorm } = STEEPEST[name];
  return {
    name,
    label,
    ownNorm,
    optimizer: (layout) => makeOptimizer(name, layout),
    schedule: () => lossBased({ eta0: alpha }),
    maxRejections: MAX_ROLLBACKS,
    rule: `${label}: unnormalized steepest descent in ${ownNorm}, η = α/𝓛 with α = ${alpha} and rollback`,
  };
}

function adam(name: string, label: string, eps: number): Algorithm {
  return {
    name,
    label,
    ownNorm: null,
    optimizer: (layout) => makeOptimizer('adam', layout, { eps }),
    schedule: () => constant({ eta: ADAM_LR }),
    maxRejections: 0,
    rule: `${label}: η = ${ADAM_LR} constant, β1 = 0.9, β2 = 0.999, ε = ${eps}`,
  };
}

export const ADAM = adam('adam', 'Adam', 1e-8);
export const ADAM_EPS0 = adam('adam-eps0', 'Adam (ε = 0)', 0);
