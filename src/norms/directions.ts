/**
 * Coordinate-wise building blocks shared by ℓ1, ℓ∞ and the block-max norms (THEORY §3 ties).
 *
 * Tie-breaking rule: among entries whose magnitude is within a relative TIE_RTOL of the maximum,
 * |a_i| ≥ max_j |a_j|·(1 − TIE_RTOL), the LOWEST index wins. TIE_RTOL = 16ε ≈ 3.6e-15 treats
 * magnitudes that agree to 16 ulps as tied, so values that differ only by summation order (e.g.
 * the same gradient entry computed by two engines) select the same coordinate. The selected
 * entry is then optimal up to that relative amount: ⟨u, g⟩ ≥ ‖g‖_*·(1 − TIE_RTOL).
 */
export const TIE_RTOL = 16 * Number.EPSILON;

/** Lowest i with |a_i| ≥ max|a|·(1 − TIE_RTOL); −1 when every entry is 0. */
export function lowestNearMaxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0) return -1;
  const threshold = m * (1 - TIE_RTOL);
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) >= threshold) return i;
  return -1; // unreachable for finite input; NaN input selects nothing
}

/** out_i = sign(x_i) with sign(0) = 0 (a valid element of U(x) for ℓ∞ whenever x ≠ 0). */
export function signInto(x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0;
}

/** out = sign(x_i) e_i at i = lowestNearMaxAbs(x) (out = 0 for x = 0); returns i or −1. */
export function unitCoordinateInto(x: Float64Array, out: Float64Array): number {
  out.fill(0);
  const i = lowestNearMaxAbs(x);
  if (i >= 0) out[i] = x[i] > 0 ? 1 : -1;
  return i;
}
