/**
 * Segment steps per second of the Theorem 3.1 checker (THEORY §5.2–5.3) on the small net
 * (2-layer ReLU, width 16, N = 20, d = 8, teacher labels): one step = margins + vjp (sharing the
 * forward pass) + steepest direction + ‖θ‖ + one jvp for the Δq control, plus one forward pass
 * when activation flips are counted (the finest ladder level). Median of 5 full segments
 * (Δq = 0.05, S = 2) from the same late-phase θ₀.
 */
import { makeRng } from '../src/core/rng.js';
import { gaussianDataset } from '../src/data/synthetic.js';
import { getLoss } from '../src/losses/index.js';
import { THEORY_CONVENTION } from '../src/metrics/margins.js';
import { makeNorm } from '../src/norms/index.js';
import { FlowState } from '../src/trajectory/flow.js';
import { runPrePhase, runSegment } from '../src/trajectory/segment.js';
import { buildNet } from '../src/engines/index.js';

export interface SegmentFigure {
  readonly label: string;
  readonly steps: number;
  readonly stepsPerSecond: number;
}

export function segmentSteps(normName: string, countFlips: boolean, repeats = 5): SegmentFigure {
  const n = 20;
  const d = 8;
  const rng = makeRng('bench-segment');
  const net = buildNet({ kind: 'mlp', inputDim: d, widths: [16], activation: { kind: 'relu' } });
  const data = gaussianDataset(rng.child('data'), n, d, 'teacher');
  const loss = getLoss('exp');
  const gd = makeNorm('l2', net.layout);
  const pre = new FlowState({ net, data, loss, norm: gd, stepNorm: gd, convention: THEORY_CONVENTION });
  pre.reset(net.init(0.5, rng.child('init')));
  const reached = runPrePhase(pre, { dq: 0.2, band: 25, maxSteps: 20_000, logTarget: -Math.LN2 });
  if (!reached.reached) throw new Error('bench case did not reach the late phase');
  const norm = makeNorm(normName, net.layout);
  const state = new FlowState({ net, data, loss, norm, stepNorm: norm, convention: THEORY_CONVENTION });
  const opts = { dq: 0.05, band: 25, window: 0.2, horizon: 2, maxSteps: 1_000_000, countFlips, degree: 2, tracked: [norm] };
  runSegment(state, pre.theta, opts); // warm-up
  const rates: number[] = [];
  let steps = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    steps = runSegment(state, pre.theta, opts).steps;
    rates.push(steps / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { label: `${normName}${countFlips ? ' + flips' : ''}`, steps, stepsPerSecond: rates[Math.floor(rates.length / 2)] };
}
