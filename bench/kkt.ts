/**
 * Timing of the exact oracle and the KKT residual at the sizes of issue 5 (run by `npm run bench`,
 * or one group: `npm run bench -- oracle`):
 * oracle: linear max-margin (ℓ1, ℓ2, ℓ∞) at N = 1000, d = 784, Gaussian inputs, teacher labels.
 * kkt:    matrix-free R for a 2-layer ReLU net (d = 784, width 100, P = 78 500) at N = 2000,
 *         θ random, the N of 2N Gaussian inputs farthest from its boundary, labelled by its own
 *         signs (so θ separates), ℓ2 and ℓ∞, default stopping rule and iteration cap.
 * checkpoint: the cost of one R record (exact LP/QP) at the sizes of the Theorem 3.8 suite — a
 *         linear model at N = 40, d = 20 and a 2-layer ReLU net at N = 20, d = 6, width 16 (P = 112),
 *         ℓ1, ℓ2, ℓ∞; median of 7 batches.
 */
import type { Dataset } from '../src/core/types.js';
import { makeRng } from '../src/core/rng.js';
import { makeDataset } from '../src/data/dataset.js';
import { kktResidual } from '../src/metrics/kkt.js';
import { makeNorm } from '../src/norms/index.js';
import { maxMarginLinear } from '../src/oracles/linear.js';
import { recordKkt } from '../src/trajectory/kktRecord.js';
import { minMargin } from '../src/metrics/margins.js';
import { medianSeconds } from './harness.js';
import { buildNet } from '../src/engines/index.js';

function teacherData(seed: number, n: number, d: number): Dataset {
  const rng = makeRng(seed);
  const x = rng.child('x').fillGaussian(new Float64Array(n * d));
  const w = rng.child('w').fillGaussian(new Float64Array(d));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * w[j];
    y[i] = s >= 0 ? 1 : -1;
  }
  return makeDataset(x, y, n, d);
}

export function benchOracle(): void {
  const data = teacherData(1, 1000, 784);
  for (const norm of ['l1', 'l2', 'linf']) {
    const r = maxMarginLinear(data, norm);
    const support = r.mu.filter((m) => m > 0).length;
    console.log(`oracle ${norm.padEnd(4)} N=1000 d=784: γ* = ${r.gamma.toPrecision(6)}, gap ${r.dualityGap.toExponential(1)} (tol ${r.tolerance.toExponential(1)}), support ${support}, ${(r.solveMs / 1000).toFixed(2)} s`);
  }
}

export function benchKkt(): void {
  const n = 2000;
  const d = 784;
  const net = buildNet({ kind: 'mlp', inputDim: d, widths: [100], activation: { kind: 'relu' } });
  const rng = makeRng(7);
  const theta = net.init(1, rng.child('init'));
  // 2N candidate inputs; keep the N farthest from the decision boundary (a margin gap, so that
  // q_min is not an accident of one sample) and label them with θ's own signs.
  const xAll = rng.child('x').fillGaussian(new Float64Array(2 * n * d));
  const fAll = net.forward(theta, { n: 2 * n, d, x: xAll, y: new Float64Array(2 * n).fill(1) });
  const keep = [...fAll.keys()].sort((a, b) => Math.abs(fAll[b]) - Math.abs(fAll[a])).slice(0, n);
  const x = new Float64Array(n * d);
  keep.forEach((src, dst) => x.set(xAll.subarray(src * d, (src + 1) * d), dst * d));
  const data = makeDataset(x, Float64Array.from(keep, (i) => (fAll[i] >= 0 ? 1 : -1)), n, d);
  for (const name of ['l2', 'linf']) {
    const k = kktResidual(net, theta, data, makeNorm(name, net.layout), { method: 'matrix-free' });
    console.log(
      `kkt ${name.padEnd(4)} N=${n} P=${theta.length}: R in [${k.rLower.toPrecision(4)}, ${k.rUpper.toPrecision(4)}], ${k.stop} after ${k.iterations} iterations, ` +
        `${(k.solveMs / 1000).toFixed(1)} s (${(k.solveMs / k.iterations).toFixed(0)} ms/iteration), A = ${k.alignment.toFixed(3)}`,
    );
  }
}

export function benchCheckpoint(): void {
  const lin = buildNet({ kind: 'linear', inputDim: 20 });
  const linData = teacherData(3, 40, 20);
  const w = maxMarginLinear(linData, 'l2').w;
  const mlp = buildNet({ kind: 'mlp', inputDim: 6, widths: [16], activation: { kind: 'relu' } });
  const theta = mlp.init(1, makeRng(5).child('init'));
  const x = makeRng(5).child('x').fillGaussian(new Float64Array(20 * 6));
  const f = mlp.forward(theta, { n: 20, d: 6, x, y: new Float64Array(20).fill(1) });
  const mlpData = makeDataset(x, Float64Array.from(f, (v) => (v >= 0 ? 1 : -1)), 20, 6);
  for (const [label, net, th, data] of [
    ['linear N=40 d=20', lin, w, linData],
    ['relu2 N=20 P=112', mlp, theta, mlpData],
  ] as const) {
    const qMin = minMargin(net.margins(th, data));
    if (!(qMin > 0)) throw new Error(`${label}: θ does not separate`);
    for (const name of ['l1', 'l2', 'linf']) {
      const norm = makeNorm(name, net.layout);
      const sec = medianSeconds(() => recordKkt(net, th, data, norm, qMin), 20);
      console.log(`checkpoint R ${label} ${name.padEnd(4)}: ${(sec * 1000).toFixed(2)} ms per record`);
    }
  }
}
