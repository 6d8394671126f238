/** Hand-computed values, tie-breaking rules and extreme magnitudes for each norm. */
import { describe, expect, it } from 'vitest';
import { makeNorm, TIE_RTOL } from '../../src/norms/index.js';
import { toLayout } from '../../properties/norms.js';

const f = (...x: number[]) => Float64Array.from(x);
const flat = (n: number) => toLayout([{ kind: 'vector', rows: 1, cols: n }]);
const steep = (name: string, g: Float64Array, layout = flat(g.length)) => {
  const u = new Float64Array(g.length);
  const d = makeNorm(name, layout).steepest(g, u);
  return { u: [...u], d };
};

describe('ℓ1 / coordinate descent', () => {
  it('moves the lowest index among exact ties, with the sign of g', () => {
    expect(steep('l1', f(1, -3, 3, -3))).toEqual({ u: [0, -1, 0, 0], d: 3 });
  });

  it(`treats magnitudes within TIE_RTOL = 16ε of the max as tied, and no further`, () => {
    const inside = 3 * (1 - TIE_RTOL / 2);
    const outside = 3 * (1 - 4 * TIE_RTOL);
    expect(steep('l1', f(inside, 3)).u).toEqual([1, 0]);
    expect(steep('l1', f(outside, 3)).u).toEqual([0, 1]);
  });

  it('∂½‖θ‖₁² uses sign(θ) with sign(0) = 0', () => {
    const w = makeNorm('l1', flat(3)).subgradHalfSq(f(2, 0, -1), new Float64Array(3));
    expect([...w]).toEqual([3, 0, -3]);
  });
});

describe('ℓ∞ / sign descent', () => {
  it('u = sign(g) with sign(0) = 0 and returns ‖g‖₁', () => {
    expect(steep('linf', f(0.5, 0, -2))).toEqual({ u: [1, 0, -1], d: 2.5 });
  });

  it('g = 0 gives u = 0 and 0, for every norm', () => {
    const layout = toLayout([{ kind: 'matrix', rows: 2, cols: 2 }, { kind: 'vector', rows: 1, cols: 2 }]);
    for (const name of ['l1', 'l2', 'linf', 'lp:3', 'spectral', 'spectral-sign', 'wl2:1,2,3,4,5,6']) {
      expect(steep(name, new Float64Array(6), layout)).toEqual({ u: [0, 0, 0, 0, 0, 0], d: 0 });
    }
  });

  it('∂½‖θ‖∞² sits on the lowest maximal coordinate', () => {
    const w = makeNorm('linf', flat(3)).subgradHalfSq(f(1, -2, 2), new Float64Array(3));
    expect([...w]).toEqual([0, -2, 0]);
  });
});

describe('ℓ2, ℓp and weighted ℓ2', () => {
  it('ℓ2 of (3, 4) is 5 and the FY gap is ½‖θ − w‖²', () => {
    const n = makeNorm('l2', flat(2));
    expect(n.value(f(3, 4))).toBe(5);
    expect(n.fyGap(f(3, 4), f(0, 0))).toBe(12.5);
    expect(n.fyGap(f(3, 4), f(3, 2))).toBeCloseTo(2, 14);
  });

  it('ℓ3: value, dual ℓ_{3/2} and u = sign(g)|g|^{1/2}/‖g‖_{3/2}^{1/2}', () => {
    const n = makeNorm('lp:3', flat(2));
    expect(n.value(f(1, -2))).toBeCloseTo(Math.cbrt(9), 15);
    const dual = (1 + 2 ** 1.5) ** (2 / 3);
    const { u, d } = steep('lp:3', f(1, -2));
    expect(d).toBeCloseTo(dual, 15);
    expect(u[0]).toBeCloseTo(1 / Math.sqrt(dual), 15);
    expect(u[1]).toBeCloseTo(-Math.sqrt(2) / Math.sqrt(dual), 15);
  });

  it('weighted ℓ2: sqrt(Σ w x²), dual sqrt(Σ g²/w), u = (g/w)/‖g‖_*', () => {
    const n = makeNorm('wl2:4,1', flat(2));
    expect(n.value(f(1, 1))).toBeCloseTo(Math.sqrt(5), 15);
    expect(n.dual(f(2, 1))).toBeCloseTo(Math.sqrt(2), 15);
    const { u } = steep('wl2:4,1', f(2, 1));
    expect(u[0]).toBeCloseTo(0.5 / Math.sqrt(2), 15);
    expect(u[1]).toBeCloseTo(1 / Math.sqrt(2), 15);
  });

  it('no overflow at 1e200 and no underflow at 1e-200', () => {
    for (const s of [1e200, 1e-200]) {
      expect(makeNorm('l2', flat(2)).value(f(s, s)) / s).toBeCloseTo(Math.SQRT2, 15);
      expect(makeNorm('lp:3', flat(2)).value(f(s, s)) / s).toBeCloseTo(Math.cbrt(2), 15);
      expect(makeNorm('wl2:1,1', flat(2)).dual(f(s, s)) / s).toBeCloseTo(Math.SQRT2, 15);
      const mat = toLayout([{ kind: 'matrix', rows: 2, cols: 2 }]);
      expect(makeNorm('spectral', mat).dual(f(s, 0, 0, s)) / s).toBeCloseTo(2, 15);
    }
  });
});

describe('spectral norms', () => {
  const layout = toLayout([{ kind: 'matrix', rows: 2, cols: 3 }, { kind: 'vector', rows: 1, cols: 2 }]);
  // W = [[3, 0, 0], [0, −2, 0]]: σ = (3, 2), polar factor [[1, 0, 0], [0, −1, 0]].
  const theta = f(3, 0, 0, 0, -2, 0, 4, -1);

  it('value = max(σ_max, vector norm); dual = nuclear + vector dual', () => {
    expect(makeNorm('spectral', layout).value(theta)).toBeCloseTo(Math.hypot(4, 1), 15);
    expect(makeNorm('spectral-sign', layout).value(theta)).toBe(4);
    expect(makeNorm('spectral', layout).dual(theta)).toBeCloseTo(5 + Math.hypot(4, 1), 14);
    expect(makeNorm('spectral-sign', layout).dual(theta)).toBeCloseTo(5 + 5, 14);
  });

  it('steepest = polar factor per matrix at full size, own direction per vector block', () => {
    const { u } = steep('spectral-sign', theta, layout);
    [1, 0, 0, 0, -1, 0, 1, -1].forEach((v, i) => expect(u[i]).toBeCloseTo(v, 15));
    const l2 = steep('spectral', theta, layout).u;
    [4 / Math.hypot(4, 1), -1 / Math.hypot(4, 1)].forEach((v, i) => expect(l2[6 + i]).toBeCloseTo(v, 15));
  });

  it('rank-deficient block: the polar factor is restricted to the nonzero singular subspace', () => {
    // Rank one: [[1, 1, 0], [1, 1, 0]] = 2·(1,1)/√2·(1,1,0)ᵀ/√2, polar = ½[[1, 1, 0], [1, 1, 0]].
    const { u, d } = steep('spectral', f(1, 1, 0, 1, 1, 0, 0, 0), layout);
    expect(d).toBeCloseTo(2, 15);
    [0.5, 0.5, 0, 0.5, 0.5, 0, 0, 0].forEach((v, i) => expect(u[i]).toBeCloseTo(v, 15));
  });

  it('repeated singular values: the polar factor of c·Q is Q', () => {
    const { u } = steep('spectral', f(0, 2, 0, -2, 0, 0, 0, 0), layout);
    [0, 1, 0, -1, 0, 0, 0, 0].forEach((v, i) => expect(u[i]).toBeCloseTo(v, 15));
  });

  it('∂½‖θ‖²: ‖θ‖ times the top pair of the lowest-index block attaining the max', () => {
    // Tied blocks: σ_max(W) = 4 = ‖b‖∞ → the matrix (block 0) is chosen; w = 4·u_1v_1ᵀ.
    const w = makeNorm('spectral-sign', layout).subgradHalfSq(f(4, 0, 0, 0, 1, 0, 0, -4), new Float64Array(8));
    [4, 0, 0, 0, 0, 0, 0, 0].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 14));
  });
});
