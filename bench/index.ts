/** `npm run bench`: every benchmark side by side in one run, with the machine line. */
import { engineStep } from './engine.js';
import { benchEngines } from './engines.js';
import { machineLine } from './harness.js';
import { benchCheckpoint, benchKkt, benchOracle } from './kkt.js';
import { renderTimes } from './render.js';
import { segmentSteps } from './trajectory.js';

export const BENCH_GROUPS = ['engine', 'engines', 'segment', 'checkpoint', 'oracle', 'kkt', 'render'] as const;
export type BenchGroup = (typeof BENCH_GROUPS)[number];

export async function runBenchmarks(groups: readonly BenchGroup[] = BENCH_GROUPS): Promise<void> {
  console.log(`machine: ${machineLine()}`);
  if (groups.includes('engine')) benchEngine();
  if (groups.includes('engines')) await benchEngines();
  if (groups.includes('segment')) benchSegment();
  if (groups.includes('checkpoint')) {
    console.log('\nKKT residual R: one exact record at the Theorem 3.8 sizes (median of 7 batches)');
    benchCheckpoint();
  }
  if (groups.includes('oracle')) {
    console.log('\nexact linear max-margin oracle: N = 1000, d = 784, teacher labels');
    benchOracle();
  }
  if (groups.includes('kkt')) {
    console.log('\nKKT residual R, matrix-free with certified bracket: N = 2000, 2-layer ReLU d = 784, width 100');
    benchKkt();
  }
  if (groups.includes('render')) await benchRender();
}

async function benchRender(): Promise<void> {
  console.log('\ncharts: vega-lite → SVG in Node, SVG → PNG (resvg, 2×, DejaVu Sans) (median of 5)');
  for (const f of await renderTimes()) {
    console.log(`  ${f.label.padEnd(40)} SVG ${f.svgMs.toFixed(0).padStart(5)} ms   PNG ${f.pngMs.toFixed(0).padStart(5)} ms   ${(f.pngBytes / 1024).toFixed(0)} KiB`);
  }
}

function benchEngine(): void {
  console.log('\nengine: full-batch forward + vjp (median of 7 batches)');
  for (const [n, d, w, inner, target] of [
    [2000, 784, [100], 3, '≥ 3 GFLOP/s'],
    [32, 8, [16, 16], 4000, '≥ 20000 steps/s'],
  ] as const) {
    const f = engineStep(n, d, [...w], inner);
    console.log(`  ${f.label.padEnd(32)} ${f.stepsPerSecond.toFixed(1).padStart(10)} steps/s  ${f.gflops.toFixed(2).padStart(6)} GFLOP/s   target ${target}`);
  }
}

function benchSegment(): void {
  console.log('\nTheorem 3.1 segment: Δq = 0.05, S = 2, 2-layer ReLU width 16, N = 20, d = 8 (median of 5 segments)');
  for (const [norm, flips] of [['l2', false], ['l2', true], ['linf', false], ['l1', false], ['spectral', false]] as const) {
    const f = segmentSteps(norm, flips);
    console.log(`  ${f.label.padEnd(32)} ${f.stepsPerSecond.toFixed(0).padStart(10)} segment steps/s  (${f.steps} steps per segment)`);
  }
}
