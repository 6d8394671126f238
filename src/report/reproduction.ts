/**
 * Charts of the THEORY §11 reproductions (beside the trajectory charts of charts.ts):
 * - leadChart: per seed, own-norm margin over the best other algorithm's margin in that norm
 *   (> 1: the algorithm has the largest margin in its own norm), one point per seed;
 * - positionChart: where an Adam run sits between sign descent (1) and GD (0), per norm, over steps.
 */
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface LeadPoint {
  /** e.g. "GD (γ₂)". */
  readonly algorithm: string;
  readonly seed: string;
  readonly ratio: number;
}

export function leadChart(points: readonly LeadPoint[], title: string): TopLevelSpec {
  const algorithms = [...new Set(points.map((p) => p.algorithm))];
  return {
    $schema: SCHEMA,
    title: {
      text: title,
      subtitle: ['one point per seed: the margin in the algorithm’s own norm over the best other algorithm’s margin in that norm', 'right of the rule at 1: the algorithm ends with the largest margin in its own norm'],
      anchor: 'start',
    },
    width: 460,
    height: 40 * algorithms.length + 20,
    layer: [
      {
        data: { values: points.filter((p) => Number.isFinite(p.ratio) && p.ratio > 0) as LeadPoint[] },
        mark: { type: 'point', filled: true, size: 70, opacity: 0.8 },
        encoding: {
          x: { field: 'ratio', type: 'quantitative', title: 'own-norm margin / best other (log scale)', scale: { type: 'log', nice: false, padding: 12 } },
          y: { field: 'algorithm', type: 'nominal', title: null, sort: algorithms, axis: { labelLimit: 320 } },
          color: { field: 'algorithm', type: 'nominal', legend: null },
          tooltip: [{ field: 'seed' }, { field: 'ratio', format: '.3f' }],
        },
      },
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#222' }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
  };
}

export interface PositionPoint {
  readonly run: string;
  /** "ℓ∞ margin" or "ℓ₂ margin". */
  readonly norm: string;
  readonly step: number;
  readonly position: number;
}

export function positionChart(points: readonly PositionPoint[], title: string, subtitle: readonly string[]): TopLevelSpec {
  const shown = points.filter((p) => Number.isFinite(p.position) && p.step > 0);
  const norms = [...new Set(shown.map((p) => p.norm))];
  const runs = [...new Set(shown.map((p) => p.run))];
  const panel = (norm: string) => ({
    width: 300,
    height: 200,
    title: norm,
    layer: [
      {
        data: { values: shown.filter((p) => p.norm === norm) as PositionPoint[] },
        mark: { type: 'line' as const, strokeWidth: 1.8, point: { size: 16 } },
        encoding: {
          x: { field: 'step', type: 'quantitative' as const, title: 'step', scale: { type: 'log' as const, nice: false } },
          y: { field: 'position', type: 'quantitative' as const, title: 'position (1 = sign descent, 0 = GD)' },
          color: { field: 'run', type: 'nominal' as const, title: 'run', scale: { domain: runs } },
        },
      },
      {
        data: { values: [{ y: 0 }, { y: 1 }] },
        mark: { type: 'rule' as const, strokeDash: [4, 3], color: '#888' },
        encoding: { y: { field: 'y', type: 'quantitative' as const } },
      },
    ],
  });
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: [...subtitle], anchor: 'start' },
    hconcat: norms.map(panel),
    resolve: { scale: { color: 'shared' } },
  };
}
