/** The refinement rule of THEORY §5.4–5.6 and the checker's stops, on hand-made values and tiny runs. */
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { checkTheorem31, decreaseStatistic, DEFAULT_THEOREM31, refinementVerdict } from '../../src/theorems/theorem31.js';
import { segmentGrid } from '../../src/trajectory/segment.js';
import { buildNet } from '../../src/engines/index.js';

const rule = DEFAULT_THEOREM31;

describe('refinement rule (THEORY §5.6)', () => {
  it('violated needs D(0.1) > τ, D(0.05) > τ, ratio < 1.5 and, outside GD, E ≥ 0.95', () => {
    expect(refinementVerdict(0.01, 0.01, 1, true, rule)).toBe('violated');
    expect(refinementVerdict(0.01, 0.01, 0.5, true, rule)).toBe('kink-sliding');
    expect(refinementVerdict(0.01, 0.01, 0.5, false, rule)).toBe('violated');
    expect(refinementVerdict(0.01, 0.005, 1, true, rule)).toBe('discretization'); // ratio 2: shrinks with refinement
    expect(refinementVerdict(0.0015, 0.0025, 1, true, rule)).toBe('discretization'); // D(0.1) ≤ τ
    expect(refinementVerdict(0.01, 0, 1, true, rule)).toBe('holds');
    expect(refinementVerdict(0, 0, NaN, true, rule)).toBe('holds');
  });

  it('D uses endpoint differences of aligned windows', () => {
    expect(decreaseStatistic([0, 0.1, 0.05, 0.2])).toEqual({ d: 0.1 - 0.05, window: 1 });
    expect(decreaseStatistic([0, 0.1, 0.2])).toEqual({ d: 0, window: -1 });
    expect(decreaseStatistic([0, NaN]).d).toBeNaN();
    const grid = segmentGrid(0.2, 2);
    expect(grid.length).toBe(11);
    expect(grid[10]).toBe(2);
    const deep = segmentGrid(0.2, 4 / 3);
    expect(deep.length).toBe(8);
    expect(deep[7]).toBe(4 / 3);
  });
});

describe('checker stops', () => {
  const net = buildNet({ kind: 'mlp', inputDim: 4, widths: [6], activation: { kind: 'relu' } });
  const data = gaussianDataset(makeRng('rule').child('data'), 10, 4, 'teacher');

  it('θ = 0 (every unit inactive): inconclusive, no late phase, never NaN', () => {
    const r = checkTheorem31({ net, data, theta: new Float64Array(net.layout.size), norm: 'linf' });
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toMatch(/no late phase/);
  });

  it('a step cap gives cost-limited with the s actually covered', () => {
    const r = checkTheorem31({ net, data, theta: net.init(0.5, makeRng('a').child('init')), norm: 'l2' }, { maxStepsPerLevel: 50 });
    expect(r.prePhase.reached).toBe(true);
    expect(r.verdict).toBe('cost-limited');
    expect(r.levels.length).toBe(1);
    expect(r.levels[0].s).toBeGreaterThan(0);
    expect(r.levels[0].s).toBeLessThan(r.horizon);
  });

  it('a violated verdict carries its evidence (output-bias net, THEORY §5 known case)', () => {
    const biased = buildNet({ kind: 'mlp', inputDim: 4, widths: [6], activation: { kind: 'relu' }, bias: { output: true } });
    const positive = gaussianDataset(makeRng('rule').child('positive'), 10, 4, 'positive');
    const r = checkTheorem31({ net: biased, data: positive, theta: biased.init(1e-3, makeRng('rule').child('bias')), norm: 'l2', degree: 2 });
    expect(r.verdict).toBe('violated');
    expect(r.levels.map((l) => l.dq)).toEqual([0.2, 0.1, 0.05]);
    expect(r.levels.every((l) => l.d > DEFAULT_THEOREM31.tau && l.worstWindow !== null)).toBe(true);
    expect(r.ratio).toBeLessThan(1.5);
    expect(Math.abs(r.efficiency - 1)).toBeLessThan(0.05); // a smooth stretch: realized ≈ first-order progress
    expect(r.levels[2].flipsPerWindow.every((f) => typeof f === 'number')).toBe(true);
    expect(r.levels[0].flipsPerWindow.every((f) => f === null)).toBe(true); // flips: finest level only
    expect(r.marginInTau).toBeGreaterThan(1);
    expect(r.fell).toContain('l2');
  });

  it('the pre-phase can use the algorithm itself instead of GD', () => {
    const r = checkTheorem31({ net, data, theta: net.init(0.5, makeRng('a').child('init')), norm: 'linf' }, { prePhase: { ...DEFAULT_THEOREM31.prePhase, norm: 'algorithm' }, maxStepsPerLevel: 50 });
    expect(r.prePhase.reached).toBe(true);
    expect(r.verdict).toBe('cost-limited');
  });

  it('a non-homogeneous net needs L > 0; a ladder needs two levels', () => {
    const biased = buildNet({ kind: 'mlp', inputDim: 4, widths: [3], activation: { kind: 'relu' }, bias: { output: true } });
    const theta = biased.init(0.5, makeRng(1));
    expect(() => checkTheorem31({ net: biased, data, theta, norm: 'l2' })).toThrow(/not homogeneous/);
    for (const degree of [0, -1, NaN]) expect(() => checkTheorem31({ net: biased, data, theta, norm: 'l2', degree })).toThrow(/not homogeneous/);
    expect(() => checkTheorem31({ net, data, theta: net.init(1, makeRng(1)), norm: 'l2' }, { ladder: [0.1] })).toThrow(/two/);
  });
});
