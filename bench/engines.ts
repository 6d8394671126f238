/**
 * The engines side by side (issue 8 targets, `npm run bench -- engines`): the MNIST-pair step
 * (digits 0 vs 1, 1000 images each: N = 2000, d = 784), 2-layer ReLU of width 100 (P = 78 500),
 * on tfjs (float32, the backend it chose)
 * and on the float64 reference. One step = net.at(θ, data) (upload θ, forward pass, margins
 * downloaded) + vjp(c) (gradient downloaded) + dispose: what a trajectory step evaluates.
 * Targets here: tfjs ≥ 20 GFLOP/s and ≥ 4× the float64 engine.
 * The same θ, data and weights on both engines; FLOPs as in bench/engine.ts (dense multiply-adds of
 * the forward pass, the weight gradients and the backward products into hidden layers).
 * A per-op profile of the tfjs step (`profileTfjsStep`) says where the time goes.
 */
import type { Dataset, Net } from '../src/core/types.js';
import { makeRng } from '../src/core/rng.js';
import { mnistPair } from '../src/data/mnist.js';
import { f64Engine, loadEngine, type Engine, type NetSpec } from '../src/engines/index.js';
import os from 'node:os';
import { batchSeconds, targetMark } from './harness.js';
import { makeOptimizer } from '../src/optimizers/index.js';
import { constant } from '../src/optimizers/schedules.js';
import { runTrajectory } from '../src/trajectory/run.js';

export interface EngineStepFigure {
  readonly engine: string;
  /** Median batch (the figure of record) and fastest batch (what the engine does when it has the core). */
  readonly stepsPerSecond: number;
  readonly gflops: number;
  readonly bestGflops: number;
  /** FLOPs per second of CPU time the process used (what a dedicated core gives on a shared machine). */
  readonly cpuGflops: number;
}

/** Dense FLOPs of one forward + vjp step of an MLP with layer sizes `dims` on n samples. */
export function stepFlops(n: number, dims: readonly number[]): number {
  let flops = 0;
  for (let l = 0; l + 1 < dims.length; l++) {
    const mac = n * dims[l] * dims[l + 1];
    flops += 2 * mac * 2; // forward + weight gradient
    if (l > 0) flops += 2 * mac; // δ back into hidden layer l
  }
  return flops;
}

interface StepCase {
  readonly spec: Extract<NetSpec, { kind: 'mlp' }>;
  readonly data: Dataset;
  readonly theta: Float64Array;
  readonly c: Float64Array;
}

export function mnistPairCase(): StepCase {
  const data = mnistPair({ digits: [0, 1], perClass: 1000, seed: 'bench-engines' });
  const spec = { kind: 'mlp' as const, inputDim: data.d, widths: [100], activation: { kind: 'relu' as const } };
  const theta = f64Engine.build(spec).init(1, makeRng('bench-engines').child('init'));
  return { spec, data, theta, c: new Float64Array(data.n).fill(1 / data.n) };
}

export function engineStepOn(engine: Engine, s: StepCase, inner: number): EngineStepFigure {
  const net: Net = engine.build(s.spec);
  const g = new Float64Array(s.theta.length);
  let steps = 0;
  const cpu0 = process.cpuUsage();
  const times = batchSeconds(() => {
    const ev = net.at(s.theta, s.data);
    ev.vjp(s.c, g);
    ev.dispose();
    steps++;
  }, inner);
  const cpu = process.cpuUsage(cpu0);
  const seconds = times[Math.floor(times.length / 2)];
  const flops = stepFlops(s.data.n, [s.spec.inputDim, ...s.spec.widths, 1]);
  return {
    engine: `${engine.info.name} (${engine.info.backend})`,
    stepsPerSecond: 1 / seconds,
    gflops: flops / seconds / 1e9,
    bestGflops: flops / times[0] / 1e9,
    cpuGflops: (flops * steps) / ((cpu.user + cpu.system) / 1e6) / 1e9,
  };
}

/** Milliseconds per tfjs op kind over `steps` steps (tf.profile's kernel list, wall-clock per kernel). */
export async function profileTfjsStep(engine: Engine, s: StepCase, steps = 5): Promise<[string, number][]> {
  const net = engine.build(s.spec);
  const g = new Float64Array(s.theta.length);
  const tf = await import('@tensorflow/tfjs'); // only this group pays for loading tfjs
  const byKernel = new Map<string, number>();
  for (let k = 0; k < steps; k++) {
    const info = await tf.profile(() => {
      const ev = net.at(s.theta, s.data);
      ev.vjp(s.c, g);
      ev.dispose();
    });
    for (const kernel of info.kernels) {
      const shapes = kernel.inputShapes.map((sh) => `[${sh.join('×')}]`).join('·');
      const key = `${kernel.name} ${shapes}`;
      byKernel.set(key, (byKernel.get(key) ?? 0) + (kernel.kernelTimeMs as number) / steps);
    }
  }
  return [...byKernel.entries()].sort((a, b) => b[1] - a[1]);
}

export async function benchEngines(): Promise<void> {
  const s = mnistPairCase();
  const tfjs = await loadEngine('tfjs');
  console.log(`\nengines: MNIST-pair step (0 vs 1), N = ${s.data.n}, d = ${s.spec.inputDim}, width 100, forward + vjp (median of 7 batches; load ${os.loadavg()[0].toFixed(1)})`);
  const figures = [engineStepOn(tfjs, s, 10), engineStepOn(f64Engine, s, 3)];
  for (const f of figures) {
    console.log(
      `  ${f.engine.padEnd(16)} ${f.stepsPerSecond.toFixed(1).padStart(8)} steps/s  ${f.gflops.toFixed(2).padStart(6)} GFLOP/s` +
        `  (fastest batch ${f.bestGflops.toFixed(2)}; per CPU-second ${f.cpuGflops.toFixed(2)} GFLOP/s)`,
    );
  }
  const ratio = (f: (x: EngineStepFigure) => number) => (f(figures[0]) / f(figures[1])).toFixed(1);
  const speedup = figures[0].gflops / figures[1].gflops;
  console.log(`  tfjs / f64: ${ratio((x) => x.gflops)}× (per CPU-second ${ratio((x) => x.cpuGflops)}×)   tfjs ${targetMark(figures[0].gflops, 20, 'GFLOP/s')}; tfjs/f64 ${targetMark(speedup, 4, '×')}`);
  console.log(`  ${TRAJECTORY_STEPS}-step GD trajectory, float64 checkpoints every 100 steps (wall time):`);
  const walls = [trajectoryWall(tfjs, s), trajectoryWall(f64Engine, s)];
  for (const [engine, w] of [[tfjs, walls[0]], [f64Engine, walls[1]]] as const) {
    console.log(`    ${`${engine.info.name} (${engine.info.backend})`.padEnd(16)} ${w.seconds.toFixed(1).padStart(7)} s  (${w.checkpoints} checkpoints, final log 𝓛 ${w.logLoss.toFixed(3)})`);
  }
  const endToEnd = walls[1].seconds / walls[0].seconds;
  console.log(`    tfjs / f64 speed-up end to end: ${endToEnd.toFixed(1)}×   ${targetMark(endToEnd, 3, '×')}`);
  console.log('  tfjs step by kernel (ms per step):');
  const profile = await profileTfjsStep(tfjs, s);
  const total = profile.reduce((t, [, ms]) => t + ms, 0);
  for (const [kernel, ms] of profile.slice(0, 8)) console.log(`    ${ms.toFixed(2).padStart(7)}  ${kernel}`);
  console.log(`    ${total.toFixed(2).padStart(7)}  all kernels (the rest of a step is upload/download and host work)`);
}

/** Steps of the end-to-end trajectory figure (issue 8: 2 000; MARGINCHECK_BENCH_STEPS overrides for a quick look). */
const TRAJECTORY_STEPS = Number(process.env.MARGINCHECK_BENCH_STEPS ?? 2000);

/** Wall time of a GD trajectory on `engine` with float64-judged checkpoints every 100 steps. */
export function trajectoryWall(engine: Engine, s: StepCase): { seconds: number; checkpoints: number; logLoss: number } {
  const net = engine.build(s.spec);
  const t0 = performance.now();
  const result = runTrajectory({
    net,
    data: s.data,
    optimizer: makeOptimizer('gd', net.layout),
    // Sum loss over N = 2000: η = 1e-4 keeps the first steps (𝓛 ≈ N) stable.
    schedule: constant({ eta: 1e-4 }),
    init: s.theta,
    budget: { steps: TRAJECTORY_STEPS },
    checkpoints: { every: 100 },
  });
  const last = result.checkpoints[result.checkpoints.length - 1];
  return { seconds: (performance.now() - t0) / 1000, checkpoints: result.checkpoints.length, logLoss: last.logLoss };
}
