/** `npm run bench`: every benchmark side by side in one run, with the machine line. */
import { engineStep, type EngineFigure } from './engine.js';
import { benchEngines } from './engines.js';
import { loadWarning, machineLine, targetMark } from './harness.js';
import { benchCheckpoint, benchKkt, benchOracle } from './kkt.js';
import { renderTimes } from './render.js';
import { startupFigures } from './startup.js';
import { segmentSteps } from './trajectory.js';

export const BENCH_GROUPS = ['engine', 'engines', 'segment', 'checkpoint', 'oracle', 'kkt', 'render', 'startup'] as const;
export type BenchGroup = (typeof BENCH_GROUPS)[number];

export async function runBenchmarks(groups: readonly BenchGroup[] = BENCH_GROUPS): Promise<void> {
  console.log(`machine: ${machineLine()}`);
  const warning = loadWarning();
  if (warning) console.log(warning);
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
  if (groups.includes('startup')) benchStartup();
}

async function benchRender(): Promise<void> {
  console.log('\ncharts: vega-lite → SVG in Node, SVG → PNG (resvg, 2×, DejaVu Sans) (median of 5)');
  for (const f of await renderTimes()) {
    console.log(`  ${f.label.padEnd(40)} SVG ${f.svgMs.toFixed(0).padStart(5)} ms   PNG ${f.pngMs.toFixed(0).padStart(5)} ms   ${(f.pngBytes / 1024).toFixed(0)} KiB`);
  }
}

function benchEngine(): void {
  console.log('\nengine: full-batch forward + vjp (median of 7 batches)');
  const cases = [
    { n: 2000, d: 784, widths: [100], inner: 3, target: (f: EngineFigure) => targetMark(f.gflops, 3, 'GFLOP/s') },
    { n: 32, d: 8, widths: [16, 16], inner: 4000, target: (f: EngineFigure) => targetMark(f.stepsPerSecond, 20000, 'steps/s') },
  ];
  for (const c of cases) {
    const f = engineStep(c.n, c.d, c.widths, c.inner);
    console.log(`  ${f.label.padEnd(32)} ${f.stepsPerSecond.toFixed(1).padStart(10)} steps/s  ${f.gflops.toFixed(2).padStart(6)} GFLOP/s   ${c.target(f)}`);
  }
}

function benchSegment(): void {
  console.log('\nTheorem 3.1 segment: Δq = 0.05, S = 2, 2-layer ReLU width 16, N = 20, d = 8 (median of 5 segments)');
  for (const [norm, flips] of [['l2', false], ['l2', true], ['linf', false], ['l1', false], ['spectral', false]] as const) {
    const f = segmentSteps(norm, flips);
    console.log(`  ${f.label.padEnd(32)} ${f.stepsPerSecond.toFixed(0).padStart(10)} segment steps/s  (${f.steps} steps per segment)`);
  }
}

function benchStartup(): void {
  console.log('\nCLI start-up: median wall time of a fresh process (9 runs after a warm-up), target ≤ 0.3 s');
  const { floor, runners } = startupFigures();
  console.log(`  ${floor.label.padEnd(52)} ${floor.medianSeconds.toFixed(3)} s   (the machine's floor)`);
  for (const { runner, figures } of runners) {
    for (const f of figures) {
      const over = f.medianSeconds - floor.medianSeconds;
      console.log(`  ${`${runner}: ${f.label}`.padEnd(52)} ${f.medianSeconds.toFixed(3)} s   (+${over.toFixed(3)} s over the floor)   ${targetMark(f.medianSeconds, 0.3, 's', 'at most')}`);
    }
  }
}
