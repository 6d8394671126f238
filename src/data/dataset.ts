/** Dataset construction with validation: bad data is an InputError naming the field and value. */
import type { Dataset } from '../core/types.js';
import { InputError, requirePositiveInt } from '../core/errors.js';

/** Validates shapes, finiteness and ±1 labels, and returns the dataset (arrays are not copied). */
export function makeDataset(x: Float64Array, y: Float64Array, n: number, d: number): Dataset {
  requirePositiveInt(n, 'data.n');
  requirePositiveInt(d, 'data.d');
  if (x.length !== n * d) throw new InputError(`data.x has length ${x.length}: expected n·d = ${n}·${d} = ${n * d}`);
  if (y.length !== n) throw new InputError(`data.y has length ${y.length}: expected n = ${n}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new InputError(`data.x[${Math.floor(i / d)}][${i % d}] = ${x[i]}: inputs must be finite`);
    }
  }
  for (let i = 0; i < n; i++) {
    if (y[i] !== 1 && y[i] !== -1) throw new InputError(`data.y[${i}] = ${y[i]}: labels must be +1 or -1`);
  }
  return { n, d, x, y };
}

