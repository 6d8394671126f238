/**
 * The user optimizer contract: an ES module (plain JavaScript is enough) that margincheck loads by
 * path, or that your own tests hand to `runTrajectory` after `validateOptimizerModule`:
 *
 * ```js
 * export const name = 'my-sign';                        // optional
 * export const norm = 'linf';                           // optional: the norm whose margin it claims to maximize
 * export function init(theta, layout) { return null; }  // any state
 * export function update(frame, state, ctx, logLr, out) {
 *   const eta = Math.exp(logLr);                        // Δθ = η·sign(−∇𝓛), normalized sign descent
 *   for (let i = 0; i < out.length; i++) out[i] = eta * Math.sign(frame.negGrad[i]);
 *   return state;
 * }
 * ```
 *
 * `update` writes Δθ for the step size η = e^{logLr} into `out` (every coordinate, overwritten),
 * where −∇𝓛 = e^{frame.logScale}·frame.negGrad (the log-scaled frame of ./types.ts: 𝓛 can be
 * e^{−10⁴}); Δθ is linear in η; the inputs are never mutated and equal inputs give equal outputs
 * (margincheck rolls a step back by keeping the old state). Optional `direction(frame, state, ctx,
 * out)` returns `{ state, logMagnitude }` with Δθ = η·e^{logMagnitude}·out: the log-domain split that
 * keeps steps finite where e^{logScale} alone underflows (𝓛 below ≈ e^{−700} for unnormalized
 * steps); without it a step is `update` at η = 1, scaled by η. A module may also put these exports
 * on its default export.
 */
import { describe as show, InputError } from '../core/errors.js';
import { makeRng } from '../core/rng.js';
import type { Layout } from '../core/types.js';
import { makeNorm } from '../norms/index.js';
import type { Direction, GradFrame, Optimizer, StepContext } from './types.js';

/** What a user optimizer module exports (see the module comment). */
export interface OptimizerModule<S = unknown> {
  readonly name?: string;
  readonly norm?: string;
  init(theta: Float64Array, layout: Layout): S;
  update(frame: GradFrame, state: S, ctx: StepContext, logLr: number, out: Float64Array): S;
  direction?(frame: GradFrame, state: S, ctx: StepContext, out: Float64Array): Direction<S>;
}

const CONTRACT = 'init(theta, layout) and update(frame, state, ctx, logLr, out)';

/** The contract's exports: on the module itself, or on its default export. */
function exportsOf(mod: unknown, source: string): Record<string, unknown> {
  if (mod === null || (typeof mod !== 'object' && typeof mod !== 'function')) {
    throw new InputError(`${source}: not a module (got ${show(mod)}); export ${CONTRACT}`);
  }
  const m = mod as Record<string, unknown>;
  const d = m.default as Record<string, unknown> | undefined;
  return typeof m.update !== 'function' && d !== null && typeof d === 'object' && typeof d.update === 'function' ? d : m;
}

function requireFunction(m: Record<string, unknown>, key: string, source: string, optional = false): void {
  const v = m[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'function') {
    throw new InputError(`${source}: export \`${key}\` ${v === undefined ? 'is missing' : `is ${show(v)}, not a function`} (the contract: ${CONTRACT})`);
  }
}

/** Calls a user function, turning what it throws into one line naming the call. */
function call<T>(source: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new InputError(`${source}: ${what} threw: ${err instanceof Error ? err.message : show(err)}`);
  }
}

function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/**
 * Checks a user optimizer module against the contract on a seeded probe (θ and a gradient frame of
 * `layout.size` Gaussian entries, a late-phase frame with log scale −10⁴), and returns it as an
 * {@link Optimizer} for `runTrajectory`. Throws an InputError whose one-line message names what is
 * wrong: a missing or mistyped export, an unknown norm, a throw, a non-finite or unwritten Δθ
 * coordinate, a mutated input, a step not linear in η, a state-dependent repeat.
 */
export function validateOptimizerModule(mod: unknown, layout: Layout, source = 'optimizer module'): Optimizer<unknown> {
  const m = exportsOf(mod, source);
  requireFunction(m, 'init', source);
  requireFunction(m, 'update', source);
  requireFunction(m, 'direction', source, true);
  if (m.name !== undefined && !(typeof m.name === 'string' && m.name.length > 0)) {
    throw new InputError(`${source}: export \`name\` = ${show(m.name)}: must be a non-empty string`);
  }
  if (m.norm !== undefined && typeof m.norm !== 'string') {
    throw new InputError(`${source}: export \`norm\` = ${show(m.norm)}: must be a norm name such as "linf"`);
  }
  const user = m as unknown as OptimizerModule;
  const norm = user.norm === undefined ? null : call(source, `norm ${show(user.norm)}`, () => makeNorm(user.norm!, layout));
  const name = user.name ?? 'user optimizer';

  // The probe: seeded θ and G, so a failure replays exactly.
  const p = layout.size;
  const rng = makeRng('user-optimizer-probe');
  const theta = rng.child('theta').fillGaussian(new Float64Array(p));
  const negGrad = rng.child('gradient').fillGaussian(new Float64Array(p));
  const thetaCopy = theta.slice();
  const gradCopy = negGrad.slice();
  const ctx: StepContext = { step: 0, theta, logLoss: Math.log(0.5) };
  const state0 = call(source, 'init(theta, layout)', () => user.init(theta, layout));
  const step = (frame: GradFrame, logLr: number, what: string): { out: Float64Array; state: unknown } => {
    // NaN-filled: a coordinate update leaves unwritten shows up as non-finite.
    const out = new Float64Array(p).fill(NaN);
    const state = call(source, what, () => user.update(frame, state0, ctx, logLr, out));
    const bad = out.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new InputError(`${source}: ${what} left out[${bad}] = ${out[bad]}: Δθ must be written, finite, for all ${p} coordinates`);
    if (state === undefined && state0 !== undefined) throw new InputError(`${source}: ${what} returned undefined: update must return the next state`);
    return { out, state };
  };
  const frame: GradFrame = { negGrad, logScale: 0 };
  const first = step(frame, 0, 'update(frame, state, ctx, logLr = 0, out)');
  const mutated = firstDifference(theta, thetaCopy) >= 0 ? 'theta' : firstDifference(negGrad, gradCopy) >= 0 ? 'frame.negGrad' : null;
  if (mutated) throw new InputError(`${source}: init or update changed ${mutated}: inputs must not be mutated`);
  const again = step(frame, 0, 'update (repeated with the same state)');
  const differs = firstDifference(first.out, again.out);
  if (differs >= 0) {
    throw new InputError(
      `${source}: update with the same state gave out[${differs}] = ${first.out[differs]}, then ${again.out[differs]}: update must not mutate its state (rollback keeps the old one)`,
    );
  }
  // Linear in η: Δθ(2η) = 2Δθ(η). Each side carries the user's few roundings of e^{logLr}·m·d (exp,
  // products: ≤ ε relative each); 8ε of the largest |2Δθ| covers four on either side.
  const doubled = step(frame, Math.LN2, 'update(frame, state, ctx, logLr = log 2, out)');
  const scale = first.out.reduce((mx, x) => Math.max(mx, Math.abs(2 * x)), 0);
  const nonLinear = doubled.out.findIndex((x, i) => !(Math.abs(x - 2 * first.out[i]) <= 8 * Number.EPSILON * scale));
  if (nonLinear >= 0) {
    throw new InputError(
      `${source}: doubling η changed out[${nonLinear}] from ${first.out[nonLinear]} to ${doubled.out[nonLinear]}, not twice it: Δθ must be η times a step (use logLr)`,
    );
  }
  // The late phase: 𝓛 ≈ e^{−10⁴}, so e^{logScale} underflows; the step must stay finite.
  step({ negGrad, logScale: -1e4 }, 0, 'update at a late-phase frame (logScale = −10⁴)');

  if (user.direction) {
    const out = new Float64Array(p).fill(NaN);
    const dir = call(source, 'direction(frame, state, ctx, out)', () => user.direction!(frame, state0, ctx, out));
    const bad = out.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new InputError(`${source}: direction left out[${bad}] = ${out[bad]}: d must be written, finite, for all ${p} coordinates`);
    if (!(typeof dir?.logMagnitude === 'number' && (Number.isFinite(dir.logMagnitude) || dir.logMagnitude === -Infinity))) {
      throw new InputError(`${source}: direction returned logMagnitude = ${show(dir?.logMagnitude)}: must be a finite number, or −Infinity for d = 0`);
    }
  }

  return {
    name,
    norm,
    init: (t) => user.init(t, layout),
    direction:
      user.direction?.bind(user) ??
      ((f, s, c, out) => {
        const next = user.update(f, s, c, 0, out);
        return { state: next, logMagnitude: out.some((x) => x !== 0) ? 0 : -Infinity };
      }),
    update: user.update.bind(user),
  };
}
