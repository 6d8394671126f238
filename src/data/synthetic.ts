/** Synthetic datasets (THEORY §11): Gaussian inputs with random, teacher or all-positive labels. */
import type { Dataset } from '../core/types.js';
import type { Rng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { makeDataset } from './dataset.js';
import { buildNet } from '../engines/index.js';

export type LabelRule = 'random' | 'teacher' | 'positive';

/**
 * N Gaussian inputs in ℝ^d. Labels: independent fair signs (`random`), every label +1 (`positive`,
 * the output-bias counterexample of THEORY §5), or the sign of a random
 * bias-free 2-layer ReLU teacher of width `teacherWidth` (`teacher`). A draw whose teacher labels
 * every sample alike is redrawn, inputs and teacher (up to 20 times), when N > 1: such a set
 * teaches nothing.
 */
export function gaussianDataset(rng: Rng, n: number, d: number, labels: LabelRule, teacherWidth = 4): Dataset {
  const y = new Float64Array(n);
  if (labels === 'random') {
    const x = rng.child('x').fillGaussian(new Float64Array(n * d));
    const r = rng.child('y');
    for (let i = 0; i < n; i++) y[i] = r.uniform() < 0.5 ? -1 : 1;
    return makeDataset(x, y, n, d);
  }
  if (labels === 'positive') return makeDataset(rng.child('x').fillGaussian(new Float64Array(n * d)), y.fill(1), n, d);
  const teacher = buildNet({ kind: 'mlp', inputDim: d, widths: [teacherWidth], activation: { kind: 'relu' } });
  const ones = new Float64Array(n).fill(1);
  for (let attempt = 0; attempt < 20; attempt++) {
    const x = rng.child(attempt === 0 ? 'x' : `x${attempt}`).fillGaussian(new Float64Array(n * d));
    const f = teacher.forward(teacher.init(1, rng.child(`teacher${attempt}`)), { n, d, x, y: ones });
    let positives = 0;
    for (let i = 0; i < n; i++) {
      y[i] = f[i] > 0 ? 1 : -1;
      if (y[i] > 0) positives++;
    }
    if (n === 1 || (positives > 0 && positives < n)) return makeDataset(x, y, n, d);
  }
  throw new InputError(`teacher labels: 20 teacher draws gave a single class (n = ${n}, d = ${d}, seed ${rng.seed})`);
}
