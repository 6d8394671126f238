/** Small float64 vector kernels. Plain loops: V8 keeps them monomorphic on Float64Array. */

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(a: Float64Array): number {
  // Scaled to avoid overflow/underflow of the squares (θ can reach 1e150 in long runs).
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i] / m;
    s += t * t;
  }
  return m * Math.sqrt(s);
}

export function norm1(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}

export function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Index and value of the minimum (first index on ties). */
export function argmin(a: ArrayLike<number>): { index: number; value: number } {
  let index = 0;
  let value = Infinity;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < value) {
      value = a[i];
      index = i;
    }
  }
  return { index, value };
}
