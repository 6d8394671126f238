/**
 * The fingerprint's data sets.
 *
 * Linear battery (THEORY §8): Gaussian inputs in ℝ^d labelled by a planted k-sparse unit teacher t,
 * each sample pushed `gap` along y_n·t (separable with margin ≥ gap in ℓ2). With d well above the
 * support size k and N < d the three max-margin directions are far apart: w*_1 is sparse, w*_∞
 * spreads over every coordinate, w*_2 sits between. The gap between them is certified by the exact
 * oracles (oracleSeparation: each γ*_p against the best other optimum's margin in p), so a
 * trajectory that ends near one of them cannot be mistaken for another.
 *
 * Network battery (THEORY §11): teacher–student, Gaussian inputs labelled by a random bias-free
 * 2-layer ReLU teacher (src/data/synthetic.ts).
 */
import { makeRng } from '../core/rng.js';
import type { Dataset } from '../core/types.js';
import { makeDataset } from '../data/dataset.js';
import { gaussianDataset } from '../data/synthetic.js';
import type { OracleNorm } from '../oracles/linear.js';
import { oracleSeparation } from '../theorems/theorem38.js';

export interface LinearShape {
  readonly n: number;
  readonly d: number;
  /** Support size of the planted teacher. */
  readonly k: number;
  readonly gap: number;
}

export interface LinearCase {
  readonly seed: string;
  readonly data: Dataset;
  /** 1 − (best other optimum's γ_p)/γ*_p per norm, and its minimum over norms (theorem38.ts). */
  readonly separation: Readonly<Record<OracleNorm, number>>;
  readonly minSeparation: number;
}

export function sparseTeacherData(seed: string, s: LinearShape): Dataset {
  const rng = makeRng(seed);
  const { n, d, k, gap } = s;
  const x = rng.child('x').fillGaussian(new Float64Array(n * d));
  const teacher = new Float64Array(d);
  rng.child('teacher').fillGaussian(teacher.subarray(0, k));
  const len = Math.hypot(...teacher);
  for (let j = 0; j < d; j++) teacher[j] /= len;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let side = 0;
    for (let j = 0; j < k; j++) side += x[i * d + j] * teacher[j];
    y[i] = side >= 0 ? 1 : -1;
    for (let j = 0; j < k; j++) x[i * d + j] += y[i] * gap * teacher[j];
  }
  return makeDataset(x, y, n, d);
}

export function linearCase(seed: string, s: LinearShape): LinearCase {
  const data = sparseTeacherData(seed, s);
  const { perNorm, separation } = oracleSeparation(data);
  return { seed, data, separation: perNorm, minSeparation: separation };
}

export interface NetShape {
  readonly n: number;
  readonly d: number;
  /** Student width (the teacher has width 4). */
  readonly width: number;
}

export function teacherStudentData(seed: string, s: NetShape): Dataset {
  return gaussianDataset(makeRng(seed).child('data'), s.n, s.d, 'teacher');
}
