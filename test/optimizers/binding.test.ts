/**
 * Self-check: each registry name is bound to the algorithm it names (DESIGN.md, the optax
 * sign_sgd lesson). Expected steps are computed independently of src/norms. Relative tolerance
 * 64ε: a handful of roundings per entry plus exp(log a + log b) with |log| ≤ 3 (expRelErr ≤ 20ε).
 */
import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../../src/optimizers/index.js';
import { makeOptimizer } from '../../src/optimizers/index.js';
import { toLayout } from '../../properties/norms.js';

const RTOL = 64 * Number.EPSILON;
// W: 3×2 (full column rank), b: 3 entries with a zero.
const layout = toLayout([
  { kind: 'matrix', rows: 3, cols: 2 },
  { kind: 'vector', rows: 1, cols: 3 },
]);
const g1 = Float64Array.from([0.5, -1.5, 2, 0.25, -0.75, 1, 0, -3, 1.25]);
const g2 = Float64Array.from([-1, 0.5, 0.5, -2, 1, 0.125, 2, 1, -0.5]);
const s1 = 0.7;
const s2 = -0.4;
const eta = 0.3;
const theta = new Float64Array(layout.size);

function steps(name: string, opts: Record<string, unknown> = {}): Float64Array[] {
  const opt: Optimizer = makeOptimizer(name, layout, opts);
  let state = opt.init(theta);
  return [
    [g1, s1],
    [g2, s2],
  ].map(([g, s], t) => {
    const out = new Float64Array(layout.size);
    state = opt.update({ negGrad: g as Float64Array, logScale: s as number }, state, { step: t, theta, logLoss: 0 }, Math.log(eta), out);
    return out;
  });
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, scale = 1): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const tol = RTOL * Math.max(Math.abs(expected[i]), 1e-300) * scale;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`entry ${i}: ${actual[i]} vs ${expected[i]} (tol ${tol})`);
    }
  }
}

const W = (x: Float64Array) => x.subarray(0, 6);
const b = (x: Float64Array) => x.subarray(6);
const sign = (x: ArrayLike<number>) => Array.from(x, Math.sign);
const l1 = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + Math.abs(v), 0);
const l2 = (x: ArrayLike<number>) => Math.hypot(...Array.from(x));
const scaled = (x: ArrayLike<number>, c: number) => Array.from(x, (v) => c * v);

/** Σσ of a 3×2 matrix from its Gram matrix: (σ1 + σ2)² = tr(GᵀG) + 2·sqrt(det GᵀG). */
function nuclear(w: Float64Array): number {
  const [a, c, e] = [0, 1, 2].map((r) => w[2 * r]);
  const [bb, d, f] = [0, 1, 2].map((r) => w[2 * r + 1]);
  const g11 = a * a + c * c + e * e;
  const g22 = bb * bb + d * d + f * f;
  const g12 = a * bb + c * d + e * f;
  return Math.sqrt(g11 + g22 + 2 * Math.sqrt(g11 * g22 - g12 * g12));
}

/** Q is the polar factor of G (full column rank) iff QᵀQ = I and QᵀG is symmetric positive definite. */
function expectPolarFactor(q: Float64Array, g: Float64Array): void {
  const col = (m: Float64Array, j: number) => [0, 1, 2].map((r) => m[2 * r + j]);
  const ip = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
  const tol = 16 * Number.EPSILON;
  expect(Math.abs(ip(col(q, 0), col(q, 0)) - 1)).toBeLessThan(tol);
  expect(Math.abs(ip(col(q, 1), col(q, 1)) - 1)).toBeLessThan(tol);
  expect(Math.abs(ip(col(q, 0), col(q, 1)))).toBeLessThan(tol);
  const m = [0, 1].map((i) => [0, 1].map((j) => ip(col(q, i), col(g, j))));
  expect(Math.abs(m[0][1] - m[1][0])).toBeLessThan(tol * 8);
  expect(m[0][0]).toBeGreaterThan(0);
  expect(m[0][0] * m[1][1] - m[0][1] * m[1][0]).toBeGreaterThan(0);
}

describe('each optimizer name is bound to the algorithm it names (first step: g1 at logScale s1)', () => {
  const c = eta * Math.exp(s1);

  it('gd: Δθ = η e^s g (parallel to −∇𝓛)', () => {
    expectClose(steps('gd')[0], scaled(g1, c));
  });

  it('sign: every entry is ±η e^s ‖g‖₁, and exactly 0 where g_i = 0', () => {
    const [d] = steps('sign');
    expectClose(d, scaled(sign(g1), c * l1(g1)));
    expect(d[6]).toBe(0);
    expectClose(steps('sign', { normalized: true })[0], scaled(sign(g1), eta));
  });

  it('coord: moves exactly one coordinate, the largest |g_i|, by η e^s g_i', () => {
    const [d] = steps('coord');
    expect(Array.from(d, (v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0)).toEqual([7]);
    expectClose([d[7]], [c * g1[7]]);
  });

  it('lp:3: Δθ = η e^s ‖g‖_q^{2−q} sign(g)|g|^{q−1}, q = 3/2', () => {
    const q = 1.5;
    const nq = Array.from(g1).reduce((s, v) => s + Math.abs(v) ** q, 0) ** (1 / q);
    expectClose(steps('lp:3')[0], Array.from(g1, (v) => c * nq ** (2 - q) * Math.sign(v) * Math.abs(v) ** (q - 1)));
  });

  it('spectral: W moves by η e^s (‖G‖_nuc + ‖g_b‖₂)·polar(G), b by the same factor times g_b/‖g_b‖₂', () => {
    const [d] = steps('spectral');
    const k = c * (nuclear(W(g1)) + l2(b(g1)));
    expectPolarFactor(W(d).map((v) => v / k), W(g1));
    expectClose(b(d), scaled(b(g1), k / l2(b(g1))));
  });

  it('spectral-sign: as spectral, with ‖g_b‖₁ and sign(g_b) on the vector block', () => {
    const [d] = steps('spectral-sign');
    const k = c * (nuclear(W(g1)) + l1(b(g1)));
    expectPolarFactor(W(d).map((v) => v / k), W(g1));
    expectClose(b(d), scaled(sign(b(g1)), k));
  });

  it('adam: first step is η·g/(|g| + ε) in true gradient units (bias-corrected moments)', () => {
    const eps = 0.5; // comparable to |e^s g_i| so that ε visibly matters
    const [d] = steps('adam', { eps });
    expectClose(d, Array.from(g1, (v) => (eta * Math.exp(s1) * v) / (Math.exp(s1) * Math.abs(v) + eps)));
  });

  it('signum: η·sign(β e^{s1} g1 + e^{s2} g2) on the second step', () => {
    const beta = 0.9;
    const [d1, d2] = steps('signum', { beta });
    expectClose(d1, scaled(sign(g1), eta));
    expectClose(d2, scaled(sign(Array.from(g1, (v, i) => beta * Math.exp(s1) * v + Math.exp(s2) * g2[i])), eta));
  });

  it('muon: η·polar(m) per matrix and η·m_b/‖m_b‖₂ per vector block', () => {
    const beta = 0.5;
    const [d1, d2] = steps('muon', { beta });
    expectPolarFactor(W(d1).map((v) => v / eta), W(g1));
    expectClose(b(d1), scaled(b(g1), eta / l2(b(g1))));
    const m = Float64Array.from(g1, (v, i) => beta * Math.exp(s1) * v + Math.exp(s2) * g2[i]);
    expectPolarFactor(W(d2).map((v) => v / eta), W(m));
    expectClose(b(d2), scaled(b(m), eta / l2(b(m))));
  });

  it('momentum: heavy ball, η(β e^{s1} g1 + e^{s2} g2) on the second step', () => {
    const beta = 0.9;
    const [d1, d2] = steps('momentum', { beta });
    expectClose(d1, scaled(g1, c));
    // One cancellation-prone sum per entry: scale the tolerance by Σ|terms|/|sum| ≤ 8 here.
    expectClose(d2, Array.from(g1, (v, i) => eta * (beta * Math.exp(s1) * v + Math.exp(s2) * g2[i])), 8);
  });
});
