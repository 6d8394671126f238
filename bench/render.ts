/**
 * Chart rendering times (issue 10): vega-lite → vega → SVG in Node, and SVG → PNG through resvg at
 * PNG_SCALE with the chart fonts, for the three chart builders on the sample runs (scripts/sample-runs.ts:
 * 3 optimizers × ~35 checkpoints, a 3-level Theorem 3.1 check). Median of 5 after one warm-up.
 */
import type { TopLevelSpec } from 'vega-lite';
import { comparisonChart, theorem31Chart, trajectoryChart } from '../src/report/charts.js';
import { chartFonts } from '../src/report/fonts.js';
import { specToSvg, svgToPng } from '../src/report/render.js';
import { sampleTheorem31, sampleTrajectories } from '../scripts/sample-runs.js';

export interface RenderFigure {
  readonly label: string;
  readonly svgMs: number;
  readonly pngMs: number;
  readonly pngBytes: number;
}

async function medianMs(fn: () => Promise<unknown> | unknown, repeats = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)];
}

export async function renderTimes(): Promise<RenderFigure[]> {
  const fonts = chartFonts();
  const runs = sampleTrajectories();
  const violated = sampleTheorem31().find((c) => c.result.verdict === 'violated')!.result;
  const charts: [string, TopLevelSpec][] = [
    [`trajectory (${runs[0].series.points.length} checkpoints, R)`, trajectoryChart(runs[0].series)],
    ['Theorem 3.1 evidence (3 levels)', theorem31Chart(violated)],
    [`comparison (${runs.length} runs × 3 norms)`, comparisonChart(runs)],
  ];
  const figures: RenderFigure[] = [];
  for (const [label, spec] of charts) {
    const { svg } = await specToSvg(spec, fonts.family);
    figures.push({
      label,
      svgMs: await medianMs(() => specToSvg(spec, fonts.family)),
      pngMs: await medianMs(() => svgToPng(svg, fonts)),
      pngBytes: svgToPng(svg, fonts).length,
    });
  }
  return figures;
}
