import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { makeOptimizer, OPTIMIZER_FAMILIES, OPTIMIZER_NAMES } from '../../src/optimizers/index.js';
import { toLayout } from '../../properties/norms.js';

const layout = toLayout([
  { kind: 'matrix', rows: 3, cols: 2 },
  { kind: 'vector', rows: 1, cols: 3 },
]);

describe('optimizer registry', () => {
  it('lists every name and reports the norm whose margin each maximizes', () => {
    const norms = Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, makeOptimizer(n, layout).norm?.name ?? null]));
    expect(norms).toEqual({
      gd: 'l2',
      sign: 'linf',
      coord: 'l1',
      spectral: 'spectral',
      'spectral-sign': 'spectral-sign',
      adam: null,
      signum: 'linf',
      muon: 'spectral',
      momentum: null,
    });
    expect(makeOptimizer('lp:3', layout).norm?.name).toBe('lp:3');
    expect(OPTIMIZER_FAMILIES.join(' ')).toContain('lp:<p>');
  });

  it('names steepest optimizers after the registry name, flagging normalized ones', () => {
    expect(makeOptimizer('sign', layout).name).toBe('sign');
    expect(makeOptimizer('sign', layout, { normalized: true }).name).toBe('sign[normalized]');
    expect(makeOptimizer('adam', layout).name).toBe('adam');
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['sgd', {}, /unknown optimizer \(valid: gd; sign; coord; spectral; spectral-sign; adam; signum; muon; momentum; lp:<p>/],
    ['lp:1', {}, /p must be a finite number > 1/],
    ['lp:x', {}, /p must be a finite number > 1/],
    ['gd', { normalized: 'yes' }, /gd.normalized = "yes": must be true or false \(valid: normalized: true \| false\)/],
    ['gd', { beta: 0.9 }, /gd.beta = 0.9: unknown option \(valid: normalized: true \| false\)/],
    ['adam', { beta1: 1 }, /adam.beta1 = 1: out of range \(valid: beta1 ∈ \[0, 1\), beta2 ∈ \[0, 1\), eps ≥ 0\)/],
    ['adam', { beta2: -0.1 }, /adam.beta2 = -0.1: out of range/],
    ['adam', { eps: -1e-8 }, /adam.eps = -1e-8: out of range/],
    ['adam', { eps: Infinity }, /adam.eps = Infinity: out of range/],
    ['adam', { beta1: NaN }, /adam.beta1 = NaN: out of range/],
    ['adam', { beta1: '0.9' }, /adam.beta1 = "0.9": out of range/],
    ['adam', { beta: 0.9 }, /adam: unknown option "beta" \(valid: beta1/],
    ['signum', { beta: 1.5 }, /signum.beta = 1.5: out of range \(valid: beta ∈ \[0, 1\)\)/],
    ['muon', { beta1: 0.9 }, /muon: unknown option "beta1"/],
    ['momentum', { beta: -1 }, /momentum.beta = -1: out of range/],
  ];
  for (const [name, opts, message] of bad) {
    it(`rejects ${name} ${JSON.stringify(opts)} with a one-line InputError`, () => {
      const call = () => makeOptimizer(name, layout, opts);
      expect(call).toThrow(InputError);
      expect(call).toThrow(message);
    });
  }

  it('accepts the boundary values ε = 0, β = 0', () => {
    expect(() => makeOptimizer('adam', layout, { beta1: 0, beta2: 0, eps: 0 })).not.toThrow();
    expect(() => makeOptimizer('signum', layout, { beta: 0 })).not.toThrow();
  });

  it('refuses a non-finite gradient frame instead of propagating NaN', () => {
    const theta = new Float64Array(layout.size);
    const ctx = { step: 0, theta, logLoss: 0 };
    for (const name of OPTIMIZER_NAMES) {
      const opt = makeOptimizer(name, layout);
      const g = new Float64Array(layout.size).fill(1);
      expect(() => opt.update({ negGrad: g, logScale: NaN }, opt.init(theta), ctx, 0, new Float64Array(layout.size))).toThrow(RangeError);
      g[2] = Infinity;
      expect(() => opt.update({ negGrad: g, logScale: 0 }, opt.init(theta), ctx, 0, new Float64Array(layout.size))).toThrow(RangeError);
    }
  });
});
