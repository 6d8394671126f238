/**
 * Separable Gaussian clusters: x_n = y_n·μ + σ·ξ_n with a random unit direction μ̂, μ = separation·μ̂,
 * balanced labels (alternating +1/−1, so both classes are present for N ≥ 2). A sample whose draw
 * lands on the wrong side of the hyperplane μ̂ᵀx = 0 is redrawn, so the set is linearly separable
 * through the origin by μ̂ — hence also by a bias-free 2-layer ReLU net of width ≥ 2, which can
 * represent μ̂ᵀx = relu(μ̂ᵀx) − relu(−μ̂ᵀx): the late phase is reachable.
 */
import type { Dataset } from '../core/types.js';
import type { Rng } from '../core/rng.js';
import { InputError, requirePositiveInt } from '../core/errors.js';
import { makeDataset } from './dataset.js';

export interface ClusterOptions {
  /** ‖μ‖: distance of each cluster centre from the origin. */
  readonly separation?: number;
  /** σ: standard deviation of the isotropic noise. */
  readonly spread?: number;
}

/** Redraws per sample before giving up (the wrong side has probability Φ(−separation/σ) < 1/2). */
const MAX_REDRAWS = 100;

export function clusterDataset(rng: Rng, n: number, d: number, opts: ClusterOptions = {}): Dataset {
  requirePositiveInt(n, 'data.n');
  requirePositiveInt(d, 'data.d');
  const separation = opts.separation ?? 1;
  const spread = opts.spread ?? 0.5;
  if (!(separation > 0 && Number.isFinite(separation))) throw new InputError(`clusters.separation = ${separation}: must be positive and finite`);
  if (!(spread >= 0 && Number.isFinite(spread))) throw new InputError(`clusters.spread = ${spread}: must be ≥ 0 and finite`);
  const dir = rng.child('direction').fillGaussian(new Float64Array(d));
  const len = Math.hypot(...dir);
  for (let j = 0; j < d; j++) dir[j] /= len;
  const noise = rng.child('noise');
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2 === 0 ? 1 : -1;
    const row = x.subarray(i * d, (i + 1) * d);
    let side = 0;
    for (let attempt = 0; attempt < MAX_REDRAWS && side <= 0; attempt++) {
      side = 0;
      for (let j = 0; j < d; j++) {
        row[j] = y[i] * separation * dir[j] + spread * noise.gaussian();
        side += y[i] * row[j] * dir[j];
      }
    }
    if (side <= 0) throw new InputError(`clusters: sample ${i} stayed on the wrong side after ${MAX_REDRAWS} draws (seed ${rng.seed})`);
  }
  return makeDataset(x, y, n, d);
}
