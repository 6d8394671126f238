/**
 * Steepest descent in a norm (THEORY §3). Unnormalized (the paper's object):
 *   Δθ = −η‖∇𝓛‖_*·u(∇𝓛) = η·e^{logScale}·‖negGrad‖_*·u(negGrad),
 * using U(−g) = −U(g) (every selection rule in src/norms is odd, tested bit for bit).
 * Normalized (signSGD / Muon practice): Δθ = η·u(negGrad).
 */
import type { Norm } from '../core/types.js';
import { checkFrame, defineOptimizer } from './optimizer.js';
import type { Optimizer } from './types.js';

export interface SteepestOptions {
  readonly normalized?: boolean;
  readonly name?: string;
}

export function steepest(norm: Norm, opts: SteepestOptions = {}): Optimizer<null> {
  const normalized = opts.normalized ?? false;
  const name = opts.name ?? `steepest[${norm.name}]`;
  return defineOptimizer<null>({
    name: normalized ? `${name}[normalized]` : name,
    norm,
    init: () => null,
    direction(frame, state, _ctx, out) {
      checkFrame(frame, name);
      const d = norm.steepest(frame.negGrad, out);
      const logMagnitude = d === 0 ? -Infinity : normalized ? 0 : frame.logScale + Math.log(d);
      return { state, logMagnitude };
    },
  });
}
