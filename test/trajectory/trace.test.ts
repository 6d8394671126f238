/** FlowTrace: it observes a Theorem 3.1 check without changing it, at geometric steps, in float64. */
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { buildNet } from '../../src/engines/index.js';
import { getLoss } from '../../src/losses/index.js';
import { minMargin, normalizedMargin } from '../../src/metrics/margins.js';
import { makeNorm } from '../../src/norms/index.js';
import { checkTheorem31 } from '../../src/theorems/theorem31.js';
import { FlowTrace } from '../../src/trajectory/trace.js';

describe('FlowTrace', () => {
  const net = buildNet({ kind: 'mlp', inputDim: 4, widths: [6], activation: { kind: 'relu' } });
  const data = gaussianDataset(makeRng('trace').child('data'), 12, 4, 'teacher');
  const theta = net.init(0.5, makeRng('trace').child('init'));
  const options = { horizon: 0.4, ladder: [0.2, 0.1] };

  it('leaves the check bit-for-bit unchanged and records the pre-phase and the finest level', () => {
    const loss = getLoss('exp');
    const norms = ['l2', 'l1', 'linf'].map((n) => makeNorm(n, net.layout));
    const trace = new FlowTrace(net, data, loss, 2, norms);
    const plain = checkTheorem31({ net, data, theta, norm: 'l2' }, options);
    const traced = checkTheorem31({ net, data, theta, norm: 'l2' }, { ...options, trace });
    expect(traced.thetaEnd).toEqual(plain.thetaEnd);
    expect(traced.levels).toEqual(plain.levels);
    expect(plain.prePhase.reached).toBe(true); // coverage: the finest level ran

    const steps = trace.points.map((p) => p.step);
    const finestSteps = plain.levels[plain.levels.length - 1].steps;
    expect(steps[0]).toBe(0);
    expect(steps).toContain(plain.prePhase.steps); // θ₀, where the levels start
    expect(steps[steps.length - 1]).toBe(plain.prePhase.steps + finestSteps); // the last iterate
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
    // Geometric spacing: about 10 points per decade of steps (×1.25), plus the two ends.
    expect(steps.length).toBeLessThanOrEqual(Math.ceil(Math.log(steps[steps.length - 1]) / Math.log(1.25)) + 6);

    // The last point is θ_end measured by the float64 judge.
    const last = trace.points[trace.points.length - 1];
    const qMin = minMargin(net.reference.margins(plain.thetaEnd, data));
    expect(last.logLoss).toBe(loss.logLoss(net.reference.margins(plain.thetaEnd, data)));
    for (const n of norms) expect(last.norms[n.name].gamma).toBe(normalizedMargin(qMin, n.value(plain.thetaEnd), 2));
    expect(last.accuracy).toBe(1);
  });
});
