/**
 * Extended-precision re-evaluation of tiny bias-free MLPs (mathjs BigNumber, 64 digits), used as an
 * independent oracle for the float64 engine (DESIGN.md, "micrograd" habit). Inputs are converted
 * exactly (binary literal of the float64 value), so the only error on the BigNumber side is its own
 * 1e-64 relative rounding — negligible against float64's 1e-16.
 */
import { all, create, type BigNumber } from 'mathjs';
import type { Dataset } from '../src/core/types.js';
import type { Activation } from '../src/nets/index.js';

const math = create(all, { number: 'BigNumber', precision: 64 });
type Big = BigNumber;
// The configured Decimal class (64 digits); mathjs types do not expose it on the instance.
const BigCtor = (math as unknown as { BigNumber: new (v: string | number) => Big }).BigNumber;

/** The exact value of a float64 as a BigNumber. */
export function exactBig(x: number): Big {
  if (x === 0) return new BigCtor(0);
  return new BigCtor(`${x < 0 ? '-' : ''}0b${Math.abs(x).toString(2)}`);
}

const ZERO = new BigCtor(0);

function phi(a: Activation, z: Big): { value: Big; slope: Big } {
  const positive = z.gt(ZERO);
  switch (a.kind) {
    case 'relu':
      return positive ? { value: z, slope: new BigCtor(1) } : { value: ZERO, slope: ZERO };
    case 'leaky': {
      const al = exactBig(a.alpha);
      return positive ? { value: z, slope: new BigCtor(1) } : { value: z.times(al), slope: al };
    }
    case 'identity':
      return { value: z, slope: new BigCtor(1) };
    default:
      throw new Error(`bignum oracle: activation ${a.kind} not supported`);
  }
}

export interface BigMlpResult {
  /** f(θ; x_n) per sample, as float64 (rounded once at the end). */
  readonly f: number[];
  /** Euler residual ⟨θ, ∇f_n⟩ − L f_n per sample, computed wholly in BigNumber. */
  readonly euler: number[];
}

/** Forward and Euler residual of a bias-free MLP (layout as src/nets/mlp.ts) in BigNumber. */
export function bigMlp(theta: Float64Array, dims: readonly number[], activation: Activation, data: Dataset): BigMlpResult {
  const depth = dims.length - 1;
  const th = Array.from(theta, exactBig);
  const offsets: number[] = [];
  let off = 0;
  for (let l = 0; l < depth; l++) {
    offsets.push(off);
    off += dims[l] * dims[l + 1];
  }
  const f: number[] = [];
  const euler: number[] = [];
  for (let n = 0; n < data.n; n++) {
    const acts: Big[][] = [Array.from(data.x.subarray(n * data.d, (n + 1) * data.d), exactBig)];
    const slopes: Big[][] = [];
    for (let l = 0; l < depth; l++) {
      const next: Big[] = [];
      const sl: Big[] = [];
      for (let j = 0; j < dims[l + 1]; j++) {
        let z = ZERO;
        for (let i = 0; i < dims[l]; i++) z = z.plus(th[offsets[l] + j * dims[l] + i].times(acts[l][i]));
        if (l < depth - 1) {
          const r = phi(activation, z);
          next.push(r.value);
          sl.push(r.slope);
        } else next.push(z);
      }
      acts.push(next);
      slopes.push(sl);
    }
    const out = acts[depth][0];
    // Backward: δ at the output is 1; ⟨θ, ∇f⟩ = Σ_l Σ_{j,i} W_l[j,i] δ_l[j] a_{l−1}[i].
    let delta: Big[] = [new BigCtor(1)];
    let inner = ZERO;
    for (let l = depth - 1; l >= 0; l--) {
      const below: Big[] = Array.from({ length: dims[l] }, () => ZERO);
      for (let j = 0; j < dims[l + 1]; j++) {
        for (let i = 0; i < dims[l]; i++) {
          const w = th[offsets[l] + j * dims[l] + i];
          inner = inner.plus(w.times(delta[j]).times(acts[l][i]));
          below[i] = below[i].plus(w.times(delta[j]));
        }
      }
      if (l > 0) delta = below.map((b, i) => b.times(slopes[l - 1][i]));
    }
    f.push(out.toNumber());
    euler.push(inner.minus(out.times(depth)).toNumber());
  }
  return { f, euler };
}

export interface BigLayerNormResult {
  /** f(θ; x_n) per sample, as float64 (rounded once at the end). */
  readonly f: number[];
  /** ⟨∇q_n(θ), v⟩ per sample (relu'(0) = 0), as float64 (rounded once at the end). */
  readonly jvp: number[];
}

/**
 * Forward and jvp of the LayerNorm net (layout and ε_LN as src/nets/layernorm.ts, `epsLN` its float64
 * value) in BigNumber: z = Wx, c = z − mean z, ẑ = c/√(mean c² + ε_LN), a = g ⊙ ẑ + b,
 * f = ⟨v, relu(a)⟩, differentiated along the tangent `vec` in forward mode.
 */
export function bigLayerNorm(theta: Float64Array, h: number, epsLN: number, data: Dataset, vec: Float64Array): BigLayerNormResult {
  const d = data.d;
  const th = Array.from(theta, exactBig);
  const tv = Array.from(vec, exactBig);
  const [oG, oB, oV] = [h * d, h * d + h, h * d + 2 * h];
  const hBig = new BigCtor(h);
  const sum = (xs: Big[]): Big => xs.reduce((s, x) => s.plus(x), ZERO);
  const f: number[] = [];
  const jvp: number[] = [];
  for (let n = 0; n < data.n; n++) {
    const x = Array.from(data.x.subarray(n * d, (n + 1) * d), exactBig);
    const rows = (w: Big[]) => Array.from({ length: h }, (_, j) => sum(x.map((xk, k) => w[j * d + k].times(xk))));
    const z = rows(th);
    const dz = rows(tv);
    const c = z.map((zj) => zj.minus(sum(z).div(hBig)));
    const dc = dz.map((t) => t.minus(sum(dz).div(hBig)));
    const V = sum(c.map((cj) => cj.times(cj))).div(hBig).plus(exactBig(epsLN));
    const r = new BigCtor(1).div(V.sqrt());
    const zhat = c.map((cj) => cj.times(r));
    // dẑ = r·(dc − ẑ·mean(ẑ ⊙ dc)) (src/nets/layernorm.ts header).
    const dot = sum(zhat.map((zj, j) => zj.times(dc[j]))).div(hBig);
    let fn = ZERO;
    let df = ZERO;
    for (let j = 0; j < h; j++) {
      const a = th[oG + j].times(zhat[j]).plus(th[oB + j]);
      if (!a.gt(ZERO)) continue;
      const dzhat = r.times(dc[j].minus(zhat[j].times(dot)));
      const da = tv[oG + j].times(zhat[j]).plus(th[oG + j].times(dzhat)).plus(tv[oB + j]);
      fn = fn.plus(th[oV + j].times(a));
      df = df.plus(tv[oV + j].times(a)).plus(th[oV + j].times(da));
    }
    f.push(fn.toNumber());
    jvp.push(df.times(exactBig(data.y[n])).toNumber());
  }
  return { f, jvp };
}
