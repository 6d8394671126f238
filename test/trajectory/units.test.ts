/**
 * Unit tests of the trajectory pieces: margin functions (THEORY §4, §5), cluster data, the runner's
 * stops (budget, 𝓛 = 1e-1000, NaN diagnostics, an exactly zero direction) and checkpoints.
 */
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import { clusterDataset } from '../../src/data/clusters.js';
import { makeDataset } from '../../src/data/dataset.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { getLoss } from '../../src/losses/index.js';
import {
  alignmentSlack,
  divideByPower,
  logSoftMargin,
  lossToMarginSlack,
  minMargin,
  normalizedMargin,
  normRateSlack,
  reducedLogLoss,
  softMargin,
  trainAccuracy,
} from '../../src/metrics/margins.js';
import { constant, lossBased, makeOptimizer } from '../../src/optimizers/index.js';
import { runTrajectory } from '../../src/trajectory/run.js';
import { maxMarginLinear } from '../../src/oracles/linear.js';
import { buildNet } from '../../src/engines/index.js';

const EPS = Number.EPSILON;
const relu = { kind: 'relu' } as const;

describe('margin functions (THEORY §4)', () => {
  it('γ = q_min/‖θ‖^L, finite through logs where ‖θ‖^L overflows', () => {
    expect(normalizedMargin(6, 2, 2)).toBe(1.5);
    // ρ = 1e200, L = 2: ρ^L = 1e400 overflows, yet q/ρ^L = 1e-100 is representable (via logs).
    const g = divideByPower(1e300, 1e200, 2);
    expect(Math.abs(g / 1e-100 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(divideByPower(-3e100, 1e200, 2) / -3e-300 - 1)).toBeLessThan(1e-13);
  });

  it('γ̃ = ℓ⁻¹(𝓛)/‖θ‖^L and log γ̃ agree; log γ̃ is NaN outside the late phase', () => {
    const exp = getLoss('exp');
    const logL = -40;
    expect(softMargin(exp, logL, 2, 2)).toBe(10);
    expect(Math.abs(logSoftMargin(exp, logL, 2, 2) - Math.log(10))).toBeLessThan(4 * EPS);
    expect(logSoftMargin(exp, 0.5, 2, 2)).toBeNaN();
  });

  it('the mutation conventions do what they say (mean loss, ‖θ‖ instead of ‖θ‖^L)', () => {
    const exp = getLoss('exp');
    const q = new Float64Array([1, 2, 3, 4]);
    const logL = exp.logLoss(q);
    expect(reducedLogLoss(logL, 4)).toBe(logL);
    expect(reducedLogLoss(logL, 4, { reduction: 'mean', power: 'degree' })).toBe(logL - Math.log(4));
    expect(normalizedMargin(6, 2, 2, { reduction: 'sum', power: 'one' })).toBe(3);
  });

  it('slack (a) = H(p)/log(1/𝓛) for the exponential loss (q_n + log 𝓛 = −log p_n)', () => {
    const exp = getLoss('exp');
    const q = new Float64Array([3, 3.5, 7, 9]);
    const p = new Float64Array(4);
    const logW = exp.weights(q, p);
    const entropy = -p.reduce((s, x) => s + x * Math.log(x), 0);
    const a = lossToMarginSlack(exp, q, p, logW, exp.logLoss(q));
    // Both sides are O(1) sums of 4 terms: 64ε covers their roundings.
    expect(Math.abs(a - entropy / -exp.logLoss(q))).toBeLessThan(64 * EPS);
  });

  it('slack (a) ≥ 0 for the logistic loss in the late phase (ν_W ≥ |ℓ′(φ)|·φ), = 0 for one sample', () => {
    const logistic = getLoss('logistic');
    // 𝓛 < log 2 at every scale here; one sample is the equality case. 1e-12 covers the O(10)-term
    // sums and the expm1/log of ℓ⁻¹ (≈ 100ε at these sizes).
    for (const scale of [2, 5, 50, 5000]) {
      for (const base of [[1, 1.3, 2, 4], [1.7]]) {
        const q = Float64Array.from(base, (x) => x * scale);
        const logL = logistic.logLoss(q);
        expect(logL).toBeLessThan(logistic.logLatePhaseThreshold);
        const p = new Float64Array(q.length);
        const a = lossToMarginSlack(logistic, q, p, logistic.weights(q, p), logL);
        expect(a).toBeGreaterThanOrEqual(-1e-12);
        if (q.length === 1) expect(Math.abs(a)).toBeLessThan(1e-12);
      }
    }
  });

  it('slacks (b) and (c), accuracy and q_min on hand-made values', () => {
    expect(alignmentSlack(3, 2, 2)).toBe(0.25);
    expect(alignmentSlack(1, 0, 2)).toBeNaN();
    expect(normRateSlack(1, 1.5, 1)).toBe(0.5);
    expect(normRateSlack(1, 1, 0)).toBeNaN();
    expect(trainAccuracy(new Float64Array([1, -1, 0, 2]))).toBe(0.5);
    expect(minMargin(new Float64Array([3, NaN, 1]))).toBeNaN();
  });
});

describe('datasets', () => {
  it('clusters are balanced and linearly separable through the origin; teacher/positive labels as stated', () => {
    const data = clusterDataset(makeRng(3), 40, 6, { separation: 0.5, spread: 1 });
    expect(data.y.filter((y) => y > 0).length).toBe(20);
    // Separable through the origin: the exact oracle certifies γ*_2 > 0 (it throws otherwise).
    expect(maxMarginLinear(data, 'l2').gamma).toBeGreaterThan(0);
    const teacher = gaussianDataset(makeRng(4), 30, 5, 'teacher');
    const pos = teacher.y.filter((y) => y > 0).length;
    expect(pos > 0 && pos < 30).toBe(true);
    expect(gaussianDataset(makeRng(5), 7, 3, 'positive').y.every((y) => y === 1)).toBe(true);
  });
});

describe('trajectory runner', () => {
  const net = buildNet({ kind: 'mlp', inputDim: 4, widths: [6], activation: relu });
  const data = gaussianDataset(makeRng('runner').child('data'), 10, 4, 'teacher');

  it('reaches 𝓛 = 1e-1000 in the log domain (η = α/𝓛 = e^{2300}α) with finite checkpoints', () => {
    const r = runTrajectory({
      net,
      data,
      optimizer: makeOptimizer('gd', net.layout),
      schedule: lossBased({ eta0: 0.05 }),
      init: { scale: 0.5, seed: 1 },
      budget: { steps: 20_000, logLoss: -1000 * Math.LN10 },
      maxRejections: 40,
    });
    expect(r.stop).toEqual({ kind: 'budget', which: 'loss' });
    expect(r.lateStep).not.toBeNull();
    const last = r.checkpoints[r.checkpoints.length - 1];
    expect(last.logLoss).toBeLessThanOrEqual(-2302);
    expect(last.logFlowTime).toBeGreaterThan(2000); // t = Σ α/𝓛 ≈ e^{2300}: only its log is finite
    expect(r.checkpoints.some((k) => k.step === r.lateStep)).toBe(true);
    for (const k of r.checkpoints) for (const m of Object.values(k.norms)) expect(Number.isFinite(m.soft)).toBe(true);
  });

  it('an overflowing step stops the run with a diagnostic naming the step and quantity, never a NaN checkpoint', () => {
    const r = runTrajectory({
      net,
      data,
      optimizer: makeOptimizer('gd', net.layout),
      schedule: constant({ eta: 1e300 }),
      init: { scale: 0.5, seed: 1 },
      budget: { steps: 100 },
    });
    expect(r.stop.kind).toBe('non-finite');
    expect(r.diagnostic).toMatch(/non-finite .* at step \d+/);
    for (const k of r.checkpoints) expect(Number.isNaN(k.logLoss)).toBe(false);
  });

  it('an exactly zero direction ends the run as "no late phase"', () => {
    // Every first-layer weight 0: every unit inactive on every sample, q = 0, G = 0 exactly.
    const r = runTrajectory({
      net,
      data,
      optimizer: makeOptimizer('sign', net.layout),
      schedule: constant({ eta: 0.1 }),
      init: new Float64Array(net.layout.size),
      budget: { steps: 10 },
    });
    expect(r.stop).toEqual({ kind: 'no late phase', step: 0 });
    expect(r.lateStep).toBeNull();
    expect(r.checkpoints.every((k) => Number.isFinite(k.logLoss))).toBe(true);
  });

  it('checks its inputs: a non-homogeneous net needs L, a budget is required', () => {
    const biased = buildNet({ kind: 'mlp', inputDim: 4, widths: [3], activation: relu, bias: { output: true } });
    const base = { data, optimizer: makeOptimizer('gd', biased.layout), schedule: constant({ eta: 0.1 }), init: { scale: 1, seed: 1 } };
    expect(() => runTrajectory({ ...base, net: biased, budget: { steps: 5 } })).toThrow(/not homogeneous/);
    expect(() => runTrajectory({ ...base, net: biased, degree: 2, budget: {} })).toThrow(/budget/);
    expect(runTrajectory({ ...base, net: biased, degree: 2, budget: { steps: 5 } }).steps).toBe(5);
    expect(() => makeDataset(new Float64Array(2), new Float64Array([1, 0]), 2, 1)).toThrow(/labels/);
  });
});
