/**
 * Unit tests of the R checkpoints (THEORY §7): the runner and the segment record R only when asked,
 * recording leaves the trajectory bit-for-bit unchanged (the KKT solve runs the net elsewhere, so a
 * cached forward pass must not be reused), records match kktResidual at the same θ, and the
 * Theorem 3.8 helpers stop and report as documented.
 */
import { describe, expect, it } from 'vitest';
import { quantile } from '../../properties/outcome.js';
import { InputError } from '../../src/core/errors.js';
import { makeRng } from '../../src/core/rng.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { clusterDataset } from '../../src/data/clusters.js';
import { getLoss } from '../../src/losses/index.js';
import { kktResidual } from '../../src/metrics/kkt.js';
import { THEORY_CONVENTION } from '../../src/metrics/margins.js';
import { makeNorm } from '../../src/norms/index.js';
import { lossBased, makeOptimizer } from '../../src/optimizers/index.js';
import { segmentKkt } from '../../src/theorems/theorem38.js';
import { FlowState } from '../../src/trajectory/flow.js';
import { runKktFlow } from '../../src/trajectory/kktFlow.js';
import { runTrajectory, type TrajectorySpec } from '../../src/trajectory/run.js';
import { runPrePhase, runSegment, type SegmentOptions } from '../../src/trajectory/segment.js';
import { buildNet } from '../../src/engines/index.js';

const relu = { kind: 'relu' } as const;
const net = buildNet({ kind: 'mlp', inputDim: 4, widths: [8], activation: relu });
const data = gaussianDataset(makeRng('t38-units').child('data'), 14, 4, 'teacher');

function spec(algorithm: string, kkt?: TrajectorySpec['kkt']): TrajectorySpec {
  return {
    net,
    data,
    optimizer: makeOptimizer(algorithm, net.layout),
    schedule: lossBased({ eta0: 0.05 }),
    init: { scale: 0.3, seed: 'units' },
    budget: { steps: 600 },
    maxRejections: 40,
    keepTheta: true,
    ...(kkt === undefined ? {} : { kkt }),
  };
}

describe('runner: R at checkpoints (TrajectorySpec.kkt)', () => {
  it('off by default; on, the trajectory is bit-for-bit the same and every separating checkpoint has R', () => {
    for (const algorithm of ['gd', 'sign']) {
      const off = runTrajectory(spec(algorithm));
      const on = runTrajectory(spec(algorithm, true));
      expect(off.checkpoints.every((k) => !('kkt' in k))).toBe(true);
      expect(Array.from(on.theta)).toEqual(Array.from(off.theta));
      expect(on.checkpoints.map((k) => k.logLoss)).toEqual(off.checkpoints.map((k) => k.logLoss));
      expect(on.lateStep).not.toBeNull();
      for (const k of on.checkpoints) {
        if (k.qMin > 0) {
          expect(k.kkt).not.toBeNull();
          expect(k.kkt!.norm).toBe(makeOptimizer(algorithm, net.layout).norm!.name);
          expect(k.kkt!.rLower).toBeLessThanOrEqual(k.kkt!.rUpper);
          expect(k.kkt!.method).toBe(algorithm === 'gd' ? 'qp' : 'lp');
        } else {
          expect(k.kkt).toBeNull(); // R is undefined where θ does not separate
        }
      }
      // A random init: the first checkpoints do not separate, the late ones do.
      expect(on.checkpoints.some((k) => k.kkt === null)).toBe(true);
      expect(on.checkpoints.filter((k) => k.kkt).length).toBeGreaterThan(3);
    }
  });

  it('a record equals kktResidual at the checkpoint θ', () => {
    const on = runTrajectory(spec('gd', true));
    const k = on.checkpoints[on.checkpoints.length - 1];
    const direct = kktResidual(net, k.theta!, data, makeNorm('l2', net.layout));
    expect(k.kkt!.r).toBe(direct.r);
    expect(k.kkt!.rLower).toBe(direct.rLower);
    expect(k.kkt!.qMin).toBe(direct.qMin);
  });

  it('another norm on request; an optimizer without a norm needs one', () => {
    const linf = runTrajectory(spec('gd', { norm: 'linf' }));
    expect(linf.checkpoints[linf.checkpoints.length - 1].kkt!.norm).toBe('linf');
    const adam = { ...spec('adam', true), optimizer: makeOptimizer('adam', net.layout) };
    expect(() => runTrajectory(adam)).toThrow(InputError);
    expect(() => runTrajectory(adam)).toThrow(/has no norm; give kkt.norm/);
    const withNorm = runTrajectory({ ...adam, kkt: { norm: 'l2' } });
    expect(withNorm.checkpoints.some((k) => k.kkt)).toBe(true);
  });
});

describe('segment: R at grid points (SegmentOptions.kkt)', () => {
  const norm = makeNorm('linf', net.layout);
  const problem = { net, data, loss: getLoss('exp'), norm, stepNorm: norm, convention: THEORY_CONVENTION };
  const pre = new FlowState(problem);
  pre.reset(net.init(1, makeRng('units').child('init')));
  const reached = runPrePhase(pre, { dq: 0.2, band: 25, maxSteps: 20_000, logTarget: -Math.LN2 });
  const theta0 = pre.theta.slice();
  const base: SegmentOptions = { dq: 0.2, band: 25, window: 0.5, horizon: 2, maxSteps: 100_000, countFlips: false, degree: 2, tracked: [norm] };

  it('grid: R at every grid point, trajectory unchanged; ends: s = 0 and s = S only', () => {
    expect(reached.reached).toBe(true);
    const off = runSegment(new FlowState(problem), theta0, base);
    const state = new FlowState(problem);
    const grid = runSegment(state, theta0, { ...base, kkt: { at: 'grid' } });
    expect(off.kkt).toEqual([]);
    expect(grid.logSoft).toEqual(off.logSoft);
    expect(grid.steps).toBe(off.steps);
    expect(grid.kkt.map((k) => k.s)).toEqual(grid.grid);
    expect(grid.kkt.every((k) => k.record !== null && k.record.norm === 'linf')).toBe(true);
    const ends = runSegment(new FlowState(problem), theta0, { ...base, kkt: { at: 'ends' } });
    expect(ends.kkt.map((k) => k.s)).toEqual([0, 2]);
    expect(ends.kkt[1].record!.r).toBe(grid.kkt[grid.kkt.length - 1].record!.r);
    expect(ends.kkt[1].rho).toBe(norm.value(state.theta));
  });

  it('a step-capped segment records R at its last iterate', () => {
    const capped = runSegment(new FlowState(problem), theta0, { ...base, maxSteps: 30, kkt: { at: 'ends' } });
    expect(capped.stop).toEqual({ kind: 'step cap', step: 30 });
    expect(capped.kkt.map((k) => k.step)).toEqual([0, 30]);
  });
});

describe('runKktFlow and segmentKkt (Theorem 3.8 helpers)', () => {
  const lin = buildNet({ kind: 'linear', inputDim: 5 });
  const sep = clusterDataset(makeRng('t38-flow'), 16, 5);
  const norm = makeNorm('l2', lin.layout);
  const fresh = () => {
    const s = new FlowState({ net: lin, data: sep, loss: getLoss('exp'), norm, stepNorm: norm, convention: THEORY_CONVENTION });
    s.reset(lin.init(1e-2, makeRng('t38-flow').child('init')));
    return s;
  };

  it('records R first at the late-phase entry, stops at the target or the budget', () => {
    const run = runKktFlow(fresh(), { dq: 0.05, band: 25, maxSteps: 50_000, spacing: 0.25, stopWhen: (e, k) => k.record!.r <= 0.1 * e.record!.r });
    expect(run.stop).toBe('target');
    expect(run.points[0].step).toBe(run.lateStep);
    const rs = run.points.map((p) => p.record!.r);
    expect(rs[rs.length - 1]).toBeLessThanOrEqual(0.1 * rs[0]);
    const capped = runKktFlow(fresh(), { dq: 0.05, band: 25, maxSteps: run.steps - 1, spacing: 0.25 });
    expect(capped.stop).toEqual({ kind: 'step cap', step: run.steps - 1 });
    expect(capped.points[capped.points.length - 1].step).toBe(run.steps - 1);
  });

  it('segmentKkt: no late phase from θ = 0; a non-homogeneous net is refused', () => {
    const r = segmentKkt({ net, data, theta: new Float64Array(net.layout.size), norm: 'l2' });
    expect(r.status).toBe('no late phase');
    expect(r.ratio).toBeNaN();
    const biased = buildNet({ kind: 'mlp', inputDim: 4, widths: [3], activation: relu, bias: { output: true } });
    expect(() => segmentKkt({ net: biased, data, theta: biased.init(1, makeRng(1)), norm: 'l2' })).toThrow(/not homogeneous/);
  });

  it('quantile interpolates (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([5], 0.75)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
