/** The fingerprint's decision rule and step rule, on hand-made inputs. */
import { describe, expect, it } from 'vitest';
import { buildNet } from '../../src/engines/index.js';
import { sparseTeacherData } from '../../src/fingerprint/data.js';
import { marginStep } from '../../src/fingerprint/schedule.js';
import { decide } from '../../src/fingerprint/verdict.js';
import { makeOptimizer } from '../../src/optimizers/index.js';
import { runTrajectory } from '../../src/trajectory/run.js';

describe('decide', () => {
  it('names a norm only when its whole spread lies above every other', () => {
    const d = decide({ l1: [0.5, 0.6, 0.55], l2: [0.97, 0.99, 0.98], linf: [0.7, 0.8, 0.96] }, 2, 'γ/γ*');
    expect(d).toMatchObject({ best: 'l2', second: 'linf', decided: true });
    expect(d.statement).toMatch(/^ℓ₂: γ\/γ\* 0\.970–0\.990 over 3 seeds, every seed above ℓ∞'s 0\.700–0\.960/);
  });
  it('says undecided when spreads overlap, whatever the medians', () => {
    const d = decide({ l1: [0.5, 0.6, 0.55], l2: [0.9, 0.99, 0.98], linf: [0.7, 0.8, 0.95] }, 2, 'γ/γ*');
    expect(d).toMatchObject({ best: 'l2', decided: false });
    expect(d.statement).toMatch(/^undecided between ℓ₂ \(0\.900–0\.990\) and ℓ∞ \(0\.700–0\.950\): spreads overlap/);
  });
  it('leaves out norms with too few scored seeds, and is undecided with fewer than two norms', () => {
    const d = decide({ l1: [NaN, NaN, 2], l2: [1, 1, 1], spectral: [0.5, 0.6, 0.7] }, 2, 'score');
    expect(d).toMatchObject({ best: 'l2', second: 'spectral', decided: true });
    expect(d.statement).toMatch(/\(ℓ₁: fewer than 2 seeds scored\)$/);
    expect(decide({ l1: [NaN, NaN, 2], l2: [1, 1, 1] }, 2, 'score')).toMatchObject({ best: null, decided: false });
  });
});

describe('the Δq schedule', () => {
  it('moves no margin within the band by more than Δq, and θ by at most h_max·‖θ‖₂, per step', () => {
    const data = sparseTeacherData('schedule-test', { n: 12, d: 20, k: 2, gap: 0.1 });
    const net = buildNet({ kind: 'linear', inputDim: data.d });
    const o = { dq: 0.5, band: 25, hMax: 0.05 };
    let steps = 0;
    let dqHits = 0;
    let hHits = 0;
    for (const name of ['gd', 'sign', 'coord']) {
      const r = runTrajectory({
        net,
        data,
        optimizer: makeOptimizer(name, net.layout),
        schedule: marginStep(net, data, o),
        init: { scale: 1e-2, seed: 'schedule-test' },
        budget: { steps: 300 },
        checkpoints: { every: 1 },
        keepTheta: true,
      });
      const ks = r.checkpoints;
      for (let i = 1; i < ks.length; i++) {
        const a = ks[i - 1].theta!;
        const b = ks[i].theta!;
        const qa = net.margins(a, data);
        const qb = net.margins(b, data);
        const qMin = Math.min(...qa);
        let move = 0;
        for (let n = 0; n < data.n; n++) if (qa[n] <= qMin + o.band) move = Math.max(move, Math.abs(qb[n] - qa[n]));
        let rel = 0;
        let ra = 0;
        for (let j = 0; j < a.length; j++) {
          rel += (b[j] - a[j]) ** 2;
          ra += a[j] ** 2;
        }
        rel = Math.sqrt(rel / ra);
        // Linear model: Δq_n = ⟨z_n, Δθ⟩ exactly; round-off of the two d-term margins and of
        // exp(log …) in the step length: 8·(d + 2)·ε relative to the larger side.
        const tol = 8 * (data.d + 2) * Number.EPSILON;
        expect(move).toBeLessThanOrEqual(o.dq * (1 + tol) + tol * Math.max(...qb.map(Math.abs)));
        expect(rel).toBeLessThanOrEqual(o.hMax * (1 + tol));
        steps++;
        if (move >= o.dq * (1 - 1e-6)) dqHits++;
        else if (rel >= o.hMax * (1 - 1e-6)) hHits++;
      }
    }
    // Coverage: both limits are the binding one on a fair share of steps.
    expect(steps).toBe(900);
    expect(dqHits).toBeGreaterThan(300);
    expect(hHits).toBeGreaterThan(30);
  });
});

describe('the wall-clock limit', () => {
  it('stops a run at the first iterate evaluated after the deadline, as a budget stop', () => {
    const data = sparseTeacherData('deadline-test', { n: 8, d: 10, k: 2, gap: 0.1 });
    const net = buildNet({ kind: 'linear', inputDim: data.d });
    const r = runTrajectory({
      net,
      data,
      optimizer: makeOptimizer('gd', net.layout),
      schedule: marginStep(net, data, { dq: 0.5, band: 25, hMax: 0.05 }),
      init: { scale: 1e-2, seed: 'deadline-test' },
      budget: { steps: 1000, deadline: performance.now() - 1 },
    });
    expect(r.steps).toBe(0);
    expect(r.stop).toEqual({ kind: 'budget', which: 'wall clock' });
    expect(r.diagnostic).toBe('budget reached (wall clock)');
  });
});
