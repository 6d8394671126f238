/**
 * Seeded randomness. Every random draw in margincheck flows from an explicit seed through
 * this module; the global unseeded generator is never used in src/.
 */
// Default import on purpose: seedrandom's named exports crash outside vitest (DEVELOPERS.md).
import seedrandom from 'seedrandom';

export interface Rng {
  /** The seed string this stream was built from (for replay messages). */
  readonly seed: string;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller, both values used). */
  gaussian(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** An independent named sub-stream: same root seed and name ⇒ same stream. */
  child(name: string): Rng;
  /** Fills `out` with N(0, sd²) draws. */
  fillGaussian(out: Float64Array, sd?: number): Float64Array;
}

export function makeRng(seed: string | number): Rng {
  const seedStr = String(seed);
  const prng = seedrandom(seedStr);
  let spare: number | null = null;
  const uniform = (): number => prng.double();
  const gaussian = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return {
    seed: seedStr,
    uniform,
    gaussian,
    int: (n: number) => Math.floor(uniform() * n),
    child: (name: string) => makeRng(`${seedStr}/${name}`),
    fillGaussian(out: Float64Array, sd = 1) {
      for (let i = 0; i < out.length; i++) out[i] = sd * gaussian();
      return out;
    },
  };
}
