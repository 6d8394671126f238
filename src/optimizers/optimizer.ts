/** Shared plumbing of the optimizers: `update` from `direction`, step scaling, frame checks. */
import type { Direction, GradFrame, Optimizer } from './types.js';

/** out ← e^{logLr + logMagnitude}·out; a zero direction (logMagnitude = −∞) stays exactly 0. */
export function applyStepSize(out: Float64Array, logLr: number, logMagnitude: number): void {
  const f = logMagnitude === -Infinity ? 0 : Math.exp(logLr + logMagnitude);
  for (let i = 0; i < out.length; i++) out[i] *= f;
}

/** Completes an optimizer from its `direction` (every optimizer here is linear in η). */
export function defineOptimizer<S>(spec: Omit<Optimizer<S>, 'update'>): Optimizer<S> {
  return {
    ...spec,
    update(frame, state, ctx, logLr, out) {
      const dir: Direction<S> = spec.direction(frame, state, ctx, out);
      applyStepSize(out, logLr, dir.logMagnitude);
      return dir.state;
    },
  };
}

/**
 * A frame is valid for any finite logScale (or −∞ for an exactly zero gradient) and finite
 * entries; anything else is an upstream numerical failure and is reported, not propagated.
 */
export function checkFrame(frame: GradFrame, owner: string): void {
  const { negGrad, logScale } = frame;
  let finite = !Number.isNaN(logScale) && logScale !== Infinity;
  for (let i = 0; finite && i < negGrad.length; i++) finite = Number.isFinite(negGrad[i]);
  if (!finite) throw new RangeError(`${owner}: non-finite gradient frame (logScale = ${logScale}); the step is refused`);
}
