import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import { type NetSpec } from '../../src/nets/index.js';
import { mlpDegree } from '../../src/nets/mlp.js';
import { makeDataset } from '../../src/data/dataset.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { buildNet, jvpAt, patternAt, vjpAt } from '../../src/engines/index.js';

const relu = { kind: 'relu' } as const;

describe('declared homogeneity degrees (THEORY §1)', () => {
  const cases: [NetSpec, number | null][] = [
    [{ kind: 'linear', inputDim: 3 }, 1],
    [{ kind: 'mlp', inputDim: 3, widths: [], activation: relu }, 1],
    [{ kind: 'mlp', inputDim: 3, widths: [4, 4], activation: relu }, 3],
    [{ kind: 'mlp', inputDim: 3, widths: [4], activation: { kind: 'leaky', alpha: 0.2 }, bias: { first: true } }, 2],
    // relu^p: D_1 = p, D_2 = p(1 + p); output 1 + D_last.
    [{ kind: 'mlp', inputDim: 3, widths: [4], activation: { kind: 'relupow', p: 2 } }, 3],
    [{ kind: 'mlp', inputDim: 3, widths: [4, 4], activation: { kind: 'relupow', p: 2 } }, 7],
    [{ kind: 'diagonal', inputDim: 3, depth: 2 }, 2],
    [{ kind: 'diagonal', inputDim: 3, depth: 4 }, 4],
    [{ kind: 'mlp', inputDim: 3, widths: [4], activation: relu, bias: { output: true } }, null],
    [{ kind: 'mlp', inputDim: 3, widths: [4, 4], activation: relu, bias: { hidden: true } }, null],
    [{ kind: 'mlp', inputDim: 3, widths: [4], activation: { kind: 'tanh' } }, null],
    [{ kind: 'residual', inputDim: 3, width: 4 }, null],
    [{ kind: 'ensemble', inputDim: 3, width: 4 }, null],
  ];
  for (const [spec, degree] of cases) {
    it(`${buildNet(spec).name} has degree ${degree}`, () => {
      expect(buildNet(spec).degree).toBe(degree);
      if (spec.kind === 'mlp') expect(mlpDegree(spec)).toBe(degree);
    });
  }
});

describe('per-sample gradients agree with the one-pass vjp', () => {
  const specs: NetSpec[] = [
    { kind: 'mlp', inputDim: 4, widths: [5, 3], activation: relu, bias: { first: true } },
    { kind: 'diagonal', inputDim: 4, depth: 3 },
    { kind: 'residual', inputDim: 4, width: 3 },
    { kind: 'ensemble', inputDim: 4, width: 3 },
  ];
  for (const spec of specs) {
    it(buildNet(spec).name, () => {
      const net = buildNet(spec);
      const rng = makeRng(7);
      const data = gaussianDataset(rng.child('data'), 6, 4, 'random');
      const theta = net.init(1, rng.child('init'));
      const c = rng.fillGaussian(new Float64Array(6));
      const g = vjpAt(net, theta, data, c, new Float64Array(theta.length));
      const per = net.perSampleGrads(theta, data);
      const p = theta.length;
      for (let i = 0; i < p; i++) {
        let s = 0;
        let mag = 0;
        for (let n = 0; n < 6; n++) {
          s += c[n] * per[n * p + i];
          mag += Math.abs(c[n] * per[n * p + i]);
        }
        // Same products summed in another order: ≤ (N + depth)·ε·Σ|terms| (+ a tiny absolute floor).
        expect(Math.abs(s - g[i])).toBeLessThanOrEqual(16 * Number.EPSILON * mag + 1e-300);
      }
    });
  }
});

describe('an evaluation always answers for its own θ and data', () => {
  it('vjp, jvp and pattern of an evaluation survive other evaluations and one-shot calls in between', () => {
    const net = buildNet({ kind: 'mlp', inputDim: 3, widths: [4, 4], activation: relu });
    const rng = makeRng(11);
    const data = gaussianDataset(rng.child('data'), 5, 3, 'random');
    const theta = net.init(1, rng.child('init'));
    const c = rng.fillGaussian(new Float64Array(5));
    const v = rng.fillGaussian(new Float64Array(theta.length));
    const full = vjpAt(net, theta, data, c);
    const fullJ = jvpAt(net, theta, data, v);
    const fullP = patternAt(net, theta, data);
    const ev = net.at(theta, data);
    expect(ev.vjp(c)).toEqual(full);
    // Another θ, another dataset and a one-shot pass in between must not leak into ev.
    const other = gaussianDataset(rng.child('other'), 5, 3, 'random');
    const ev2 = net.at(theta.map((t) => 2 * t), other);
    net.margins(theta.map((t) => -t), data);
    expect(ev.jvp(v)).toEqual(fullJ);
    expect(ev.pattern!()).toEqual(fullP);
    expect(ev.vjp(c)).toEqual(full);
    // Mutating the caller's θ after at() does not move the evaluation.
    const moving = theta.slice();
    const ev3 = net.at(moving, data);
    moving.fill(0);
    expect(ev3.vjp(c)).toEqual(full);
    ev2.dispose();
    ev3.dispose();
    ev.dispose();
    expect(() => ev.vjp(c)).toThrow(/dispose/);
  });
});

describe('bad input is an error naming the field and value', () => {
  it('rejects bad sizes', () => {
    expect(() => buildNet({ kind: 'mlp', inputDim: 0, widths: [], activation: relu })).toThrow(/inputDim = 0/);
    expect(() => buildNet({ kind: 'mlp', inputDim: 2, widths: [3, 1.5], activation: relu })).toThrow(/widths\[1\] = 1.5/);
    expect(() => buildNet({ kind: 'mlp', inputDim: 2, widths: [3], activation: { kind: 'relupow', p: 0.5 } })).toThrow(/p = 0.5/);
    expect(() => buildNet({ kind: 'conv' } as unknown as NetSpec)).toThrow(/unknown architecture/);
  });
  it('rejects mismatched θ and data', () => {
    const net = buildNet({ kind: 'mlp', inputDim: 2, widths: [3], activation: relu });
    const data = makeDataset(new Float64Array(4), new Float64Array([1, -1]), 2, 2);
    expect(() => net.forward(new Float64Array(5), data)).toThrow(/theta.length = 5/);
    const wrong = makeDataset(new Float64Array(6), new Float64Array([1, -1]), 2, 3);
    expect(() => net.forward(new Float64Array(net.layout.size), wrong)).toThrow(/data.d = 3/);
  });
  it('rejects non-finite data and labels outside ±1', () => {
    expect(() => makeDataset(new Float64Array([1, NaN]), new Float64Array([1]), 1, 2)).toThrow(/data.x\[0\]\[1\] = NaN/);
    expect(() => makeDataset(new Float64Array([1, 2]), new Float64Array([0]), 1, 2)).toThrow(/data.y\[0\] = 0: labels must be \+1 or -1/);
    expect(() => makeDataset(new Float64Array([1, 2, 3]), new Float64Array([1]), 1, 2)).toThrow(/data.x has length 3/);
  });
  it('rejects a non-positive init scale', () => {
    const net = buildNet({ kind: 'mlp', inputDim: 2, widths: [3], activation: relu });
    expect(() => net.init(0, makeRng(1))).toThrow(/init scale = 0/);
  });
});

describe('seeded randomness', () => {
  it('same seed, same stream; named children are independent and reproducible', () => {
    const a = makeRng('root');
    const b = makeRng('root');
    expect([a.uniform(), a.gaussian()]).toEqual([b.uniform(), b.gaussian()]);
    expect(makeRng('root').child('x').uniform()).toBe(makeRng('root').child('x').uniform());
    expect(makeRng('root').child('x').uniform()).not.toBe(makeRng('root').child('y').uniform());
  });
  it('Gaussian stream has mean ≈ 0 and variance ≈ 1', () => {
    const z = makeRng(3).fillGaussian(new Float64Array(20000));
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    // Standard errors at n = 20000: 0.0071 (mean) and 0.01 (variance); 5 standard errors.
    expect(Math.abs(mean)).toBeLessThan(0.036);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
