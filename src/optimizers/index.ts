/**
 * Optimizer registry. Each name states the geometry it implements; test/optimizers checks the
 * binding behaviourally (DESIGN.md: optax once shipped plain SGD under the name sign_sgd).
 *
 *   gd, sign, coord, lp:<p>, spectral, spectral-sign   steepest descent in ℓ2, ℓ∞, ℓ1, ℓp,
 *                         spectral (ℓ2 on vectors), spectral (ℓ∞ on vectors); option
 *                         { normalized: boolean } (default false: the paper's unnormalized step)
 *   adam                  { beta1, beta2, eps }                 norm: null
 *   signum, muon          { beta }                              norm: linf, spectral
 *   momentum              { beta } heavy-ball GD                norm: null
 */
import { describe, InputError } from '../core/errors.js';
import type { Layout } from '../core/types.js';
import { makeNorm } from '../norms/index.js';
import { adam } from './adam.js';
import { momentum, muon, signum } from './momentum.js';
import { steepest } from './steepest.js';
import type { Optimizer } from './types.js';

export type { Direction, GradFrame, Optimizer, StepContext } from './types.js';
export { adam, ADAM_PARAMS, type AdamState } from './adam.js';
export { momentum, MOMENTUM_PARAMS, muon, MUON_PARAMS, signum, SIGNUM_PARAMS } from './momentum.js';
export type { ScaledMoment } from './moments.js';
export { steepest, type SteepestOptions } from './steepest.js';
export {
  constant,
  lossBased,
  power,
  relativeArclength,
  takeStep,
  type LossBasedSchedule,
  type Schedule,
  type ScheduleContext,
} from './schedules.js';

export type OptimizerOptions = Readonly<Record<string, unknown>>;

/** Steepest-descent names and the norm each one descends in. */
const STEEPEST = new Map([
  ['gd', 'l2'],
  ['sign', 'linf'],
  ['coord', 'l1'],
  ['spectral', 'spectral'],
  ['spectral-sign', 'spectral-sign'],
]);

const OTHERS = new Map<string, (layout: Layout, opts: OptimizerOptions) => Optimizer>([
  ['adam', (_layout, opts) => adam(opts)],
  ['signum', (_layout, opts) => signum(opts)],
  ['muon', (layout, opts) => muon(layout, opts)],
  ['momentum', (_layout, opts) => momentum(opts)],
]);

/**
 * The norm a steepest-descent name descends in (`gd` → `l2`, `lp:3` → `lp:3`, …), or null for a
 * name that is not steepest descent. The one source of truth for algorithm → norm.
 */
export function steepestNormName(name: string): string | null {
  return STEEPEST.get(name) ?? (name.startsWith('lp:') ? name : null);
}

export const STEEPEST_NAMES: readonly string[] = [...STEEPEST.keys()];

/** The parameter-free names; `lp:<p>` (1 < p < ∞) is the one family. */
export const OPTIMIZER_NAMES: readonly string[] = [...STEEPEST.keys(), ...OTHERS.keys()];
export const OPTIMIZER_FAMILIES: readonly string[] = ['lp:<p> (ℓp steepest descent, 1 < p < ∞)'];

function steepestByName(name: string, normName: string, layout: Layout, opts: OptimizerOptions): Optimizer {
  const { normalized = false, ...rest } = opts;
  if (typeof normalized !== 'boolean') {
    throw new InputError(`${name}.normalized = ${describe(normalized)}: must be true or false (valid: normalized: true | false)`);
  }
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw new InputError(`${name}.${unknown} = ${describe(rest[unknown])}: unknown option (valid: normalized: true | false)`);
  }
  return steepest(makeNorm(normName, layout), { normalized, name });
}

export function makeOptimizer(name: string, layout: Layout, opts: OptimizerOptions = {}): Optimizer {
  const normName = steepestNormName(name);
  if (normName) return steepestByName(name, normName, layout, opts);
  const other = OTHERS.get(name);
  if (other) return other(layout, opts);
  throw new InputError(
    `optimizer = ${JSON.stringify(name)}: unknown optimizer (valid: ${[...OPTIMIZER_NAMES, ...OPTIMIZER_FAMILIES].join('; ')})`,
  );
}
