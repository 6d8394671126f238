/**
 * Small real runs for the sample reports and the render benchmark (seeded, about a second): GD, sign
 * and coordinate descent on Gaussian teacher data (GD with the KKT residual R at every checkpoint),
 * and two Theorem 3.1 checks — sign descent on the same data (holds) and the output-bias net of
 * THEORY §5 (violated).
 */
import { makeRng } from '../src/core/rng.js';
import type { Dataset, Net } from '../src/core/types.js';
import { gaussianDataset } from '../src/data/synthetic.js';
import { buildNet } from '../src/engines/index.js';
import { lossBased, makeOptimizer } from '../src/optimizers/index.js';
import { trajectorySeries, type TrajectorySeries } from '../src/report/series.js';
import { checkTheorem31, type Theorem31Result } from '../src/theorems/theorem31.js';
import { runTrajectory, type TrajectoryResult } from '../src/trajectory/run.js';

const relu = { kind: 'relu' } as const;
export const SAMPLE_NET = buildNet({ kind: 'mlp', inputDim: 4, widths: [6], activation: relu });
// A seed whose teacher data this student separates (with some seeds a dead unit caps train accuracy below 1).
export const SAMPLE_DATA = gaussianDataset(makeRng('demo').child('data'), 12, 4, 'teacher');

export interface SampleRun {
  readonly name: string;
  readonly series: TrajectorySeries;
  readonly result: TrajectoryResult;
}

export function sampleTrajectories(): SampleRun[] {
  return [
    { name: 'GD', optimizer: 'gd' },
    { name: 'sign descent', optimizer: 'sign' },
    { name: 'coordinate descent', optimizer: 'coord' },
  ].map(({ name, optimizer }) => {
    const opt = makeOptimizer(optimizer, SAMPLE_NET.layout);
    const result = runTrajectory({
      net: SAMPLE_NET,
      data: SAMPLE_DATA,
      optimizer: opt,
      schedule: lossBased({ eta0: 0.01 }),
      init: { scale: 0.1, seed: 1 },
      budget: { steps: 3000, logLoss: -300 },
      maxRejections: 40,
      kkt: optimizer === 'gd',
    });
    return { name, series: trajectorySeries(`${name}, ${SAMPLE_NET.name}, N = ${SAMPLE_DATA.n}`, result.checkpoints, opt.norm?.name ?? null), result };
  });
}

export interface SampleCheck {
  readonly base: string;
  readonly label: string;
  readonly net: Net;
  readonly data: Dataset;
  readonly norm: string;
  readonly result: Theorem31Result;
}

export function sampleTheorem31(): SampleCheck[] {
  const biased = buildNet({ kind: 'mlp', inputDim: 5, widths: [8], activation: relu, bias: { output: true } });
  const positive = gaussianDataset(makeRng(1).child('positive'), 12, 5, 'positive');
  const cases = [
    { base: 'theorem31-sign', label: 'sign descent, teacher data', net: SAMPLE_NET, data: SAMPLE_DATA, norm: 'linf', theta: SAMPLE_NET.init(0.5, makeRng(3).child('init')) },
    // THEORY §5 known case: all labels +1, init 1e-3, GD, L = 2 for S and γ̃.
    { base: 'theorem31-output-bias', label: 'GD, output-bias net (THEORY §5 counterexample)', net: biased, data: positive, norm: 'l2', theta: biased.init(1e-3, makeRng(1).child('init')), degree: 2 },
  ];
  return cases.map(({ theta, degree, ...c }) => ({ ...c, result: checkTheorem31({ net: c.net, data: c.data, theta, norm: c.norm, degree }) }));
}
