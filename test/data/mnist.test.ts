/** Real MNIST digits (the `mnist` package): a seeded, balanced two-digit subset as a ±1 Dataset. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { digitPixels, mnistPair, MNIST_PIXELS } from '../../src/data/mnist.js';

const PER_CLASS = 40;

/** Mean image of one class (rows with label y). */
function classMean(x: Float64Array, labels: Float64Array, y: number): Float64Array {
  const mean = new Float64Array(MNIST_PIXELS);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== y) continue;
    count++;
    for (let p = 0; p < MNIST_PIXELS; p++) mean[p] += x[i * MNIST_PIXELS + p];
  }
  return mean.map((v) => v / count);
}

describe('mnistPair', () => {
  const data = mnistPair({ digits: [2, 7], perClass: PER_CLASS, seed: 11 });

  it('is deterministic under its seed and changes with it', () => {
    const again = mnistPair({ digits: [2, 7], perClass: PER_CLASS, seed: 11 });
    expect(again.x).toEqual(data.x);
    expect(again.y).toEqual(data.y);
    const other = mnistPair({ digits: [2, 7], perClass: PER_CLASS, seed: 12 });
    expect(other.x).not.toEqual(data.x);
  });

  it('is balanced, alternating +1 (first digit) and −1, with 784 pixels in [0, 1]', () => {
    expect(data.n).toBe(2 * PER_CLASS);
    expect(data.d).toBe(MNIST_PIXELS);
    expect(Array.from(data.y)).toEqual(Array.from({ length: data.n }, (_, i) => (i % 2 === 0 ? 1 : -1)));
    let min = Infinity;
    let max = -Infinity;
    for (const v of data.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // Real digits use the whole range: black background (0) and saturated strokes (1).
    expect([min, max]).toEqual([0, 1]);
  });

  it('draws distinct real images of the named digits', () => {
    // Distinct: no image repeats within the subset.
    const images = new Set(Array.from({ length: data.n }, (_, i) => data.x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS).join(',')));
    expect(images.size).toBe(data.n);
    // Each sample is a row of the package's own array for its digit.
    const twos = new Set(chunks(digitPixels(2)));
    const sevens = new Set(chunks(digitPixels(7)));
    for (let i = 0; i < data.n; i++) {
      const row = Array.from(data.x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS)).join(',');
      expect((data.y[i] > 0 ? twos : sevens).has(row)).toBe(true);
    }
  });

  it('the two digits differ: a nearest-class-mean rule tells them apart', () => {
    const means = [classMean(data.x, data.y, 1), classMean(data.x, data.y, -1)];
    const dist = (i: number, m: Float64Array) => {
      let s = 0;
      for (let p = 0; p < MNIST_PIXELS; p++) s += (data.x[i * MNIST_PIXELS + p] - m[p]) ** 2;
      return s;
    };
    let right = 0;
    for (let i = 0; i < data.n; i++) if ((dist(i, means[0]) < dist(i, means[1])) === data.y[i] > 0) right++;
    // Two copies of one digit (or a broken slice) would sit near 50 %; 2 vs 7 is an easy pair.
    expect(right / data.n).toBeGreaterThanOrEqual(0.9);
  });

  it('rejects bad options and a missing package with one-line InputErrors', () => {
    const bad = (o: object) => () => mnistPair({ digits: [2, 7], perClass: 5, seed: 1, ...o });
    expect(bad({ digits: [2, 2] })).toThrow(/mnist.digits .*two different digits/);
    expect(bad({ digits: [2, 10] })).toThrow(/mnist.digits\[1\] = 10/);
    expect(bad({ perClass: 0 })).toThrow(/mnist.perClass = 0/);
    expect(bad({ perClass: 100_000 })).toThrow(/mnist.perClass = 100000: at most \d+/);
    const missing = () =>
      digitPixels(2, () => {
        throw Object.assign(new Error("Cannot find module 'mnist'"), { code: 'MODULE_NOT_FOUND' });
      });
    expect(missing).toThrow(InputError);
    expect(missing).toThrow(/^mnist: package not installed/);
  });
});

function chunks(pixels: number[]): string[] {
  return Array.from({ length: pixels.length / MNIST_PIXELS }, (_, i) => pixels.slice(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS).join(','));
}
