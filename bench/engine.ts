/**
 * Full-batch forward + vjp of the float64 reference engine (issue 2 targets, one core):
 * (a) N = 2000, d = 784, width 100 (MNIST-pair size): ≥ 3 GFLOP/s; (b) N = 32, d = 8, 16-16: ≥ 20 000 steps/s.
 * A "step" is margins(θ) then vjp(θ, p) reusing that forward pass — what a trajectory step
 * evaluates. FLOPs counted are the dense multiply-adds executed: one forward pass, the weight
 * gradients, and the backward products into hidden layers.
 */
import { makeRng } from '../src/core/rng.js';
import { gaussianDataset } from '../src/data/synthetic.js';
import { medianSeconds } from './harness.js';
import { buildNet } from '../src/engines/index.js';

export interface EngineFigure {
  readonly label: string;
  readonly stepsPerSecond: number;
  readonly gflops: number;
}

export function engineStep(n: number, d: number, widths: number[], inner: number): EngineFigure {
  const rng = makeRng(`bench-${n}-${d}`);
  const net = buildNet({ kind: 'mlp', inputDim: d, widths, activation: { kind: 'relu' } });
  const data = gaussianDataset(rng.child('data'), n, d, 'random');
  const theta = net.init(1, rng.child('init'));
  const q = new Float64Array(n);
  const c = new Float64Array(n).fill(1 / n);
  const g = new Float64Array(net.layout.size);
  const seconds = medianSeconds(() => {
    const ev = net.at(theta, data);
    q.set(ev.margins);
    ev.vjp(c, g);
    ev.dispose();
  }, inner);
  const dims = [d, ...widths, 1];
  let flops = 0;
  for (let l = 0; l + 1 < dims.length; l++) {
    const mac = n * dims[l] * dims[l + 1];
    flops += 2 * mac * 2; // forward + weight gradient
    if (l > 0) flops += 2 * mac; // δ back into hidden layer l
  }
  return { label: `N=${n} d=${d} widths=${widths.join('-')}`, stepsPerSecond: 1 / seconds, gflops: flops / seconds / 1e9 };
}
