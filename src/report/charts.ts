/**
 * Chart builders: pure functions from plain records to vega-lite specs (render.ts draws them).
 *
 * - trajectoryChart: γ and γ̃ per norm, log 𝓛, ‖θ‖ per norm and the KKT residual R against the step
 *   or the flow time, with separation and the late-phase entry marked (THEORY §4, §5, §7).
 * - theorem31Chart: log γ̃ along s for each Δq level, each level's worst window shaded, D per level,
 *   E and the verdict (THEORY §5.4–5.6).
 * - comparisonChart: one line per run (optimizer), one facet per norm.
 *
 * Margins are drawn where they are positive: before separation q_min < 0 and γ = q_min/‖θ‖^L is
 * negative and, with a small init, huge, which would flatten every later curve.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec, NonNormalizedSpec, UnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import type { Theorem31Verdict } from '../theorems/theorem31.js';
import { fmt, marginSymbol, normLabel } from './labels.js';
import type { ClockPoint, Theorem31ChartData, TrajectorySeries } from './series.js';

export type Clock = 'step' | 'flow';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const PANEL = { width: 230, height: 150 };
const COORDINATE_NORMS: readonly string[] = ['l1', 'l2', 'linf'];
/** One color per norm in every chart (vega's tableau10, in order). */
const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756', '#72b7b2', '#eeca3b', '#9d755d'];
const KKT_COLOR = '#b279a2';
const HARD = 'γ (hard)';
const SOFT = 'γ̃ (soft)';

type Row = Record<string, number | string>;
/** One layer of a layered view. */
type Layer = LayerSpec<Field> | UnitSpec<Field>;
const SHARED_X = { scale: { x: 'shared' as const } };

/** x on the chosen clock; null where it is off a log axis (step 0, t = 0). */
function clockX(p: ClockPoint, clock: Clock): number | null {
  if (clock === 'step') return p.step > 0 ? p.step : null;
  // log₁₀ t on a linear axis: t itself overflows float64 in long late-phase runs (η = α/𝓛, THEORY §9).
  return Number.isFinite(p.logFlowTime) ? p.logFlowTime / Math.LN10 : null;
}

function xEncoding(clock: Clock) {
  return clock === 'step'
    ? { field: 'x', type: 'quantitative' as const, title: 'step', scale: { type: 'log' as const, nice: false } }
    : { field: 'x', type: 'quantitative' as const, title: 'log₁₀ t (flow time)', scale: { zero: false } };
}

const positive = (v: number) => Number.isFinite(v) && v > 0;

function normColor(norms: readonly string[]) {
  return { domain: norms.map(normLabel), range: norms.map((_, i) => PALETTE[i % PALETTE.length]) };
}

/** The norms a series carries, coordinate norms first (the algorithm norm after them). */
function seriesNorms(series: TrajectorySeries): string[] {
  const present = new Set(series.points.flatMap((p) => Object.keys(p.norms)));
  return [...COORDINATE_NORMS.filter((n) => present.has(n)), ...[...present].filter((n) => !COORDINATE_NORMS.includes(n)).sort()];
}

/** A centered note for a panel without data (an empty panel would look like a rendering failure). */
function note(text: string): Layer {
  return {
    data: { values: [{ text }] },
    mark: { type: 'text', fontSize: 11, color: '#666' },
    encoding: { text: { field: 'text', type: 'nominal' }, x: { value: PANEL.width / 2 }, y: { value: PANEL.height / 2 } },
  };
}

/** Rules (and their labels) at separation and the late-phase entry, on the panel's own x scale. */
function eventLayers(series: TrajectorySeries, clock: Clock): Layer[] {
  const events = [
    // Labels on two lines, so that close events stay readable.
    { at: series.separation, label: 'separated', color: '#222', dash: [1, 0], dy: 2 },
    { at: series.latePhase, label: 'late phase', color: '#777', dash: [5, 3], dy: 14 },
  ];
  return events.flatMap(({ at, label, color, dash, dy }) => {
    const x = at ? clockX(at, clock) : null;
    if (x === null) return [];
    const data = { values: [{ x, label }] };
    return [
      { data, mark: { type: 'rule', color, strokeDash: dash, strokeWidth: 1.2 }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      {
        data,
        mark: { type: 'text', color, align: 'left', dx: 3, baseline: 'top', dy, fontSize: 10 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
      },
    ] satisfies Layer[];
  });
}

function panel(title: string, rows: Row[], layer: UnitSpec<Field>, events: Layer[], empty: string): NonNormalizedSpec {
  if (rows.length === 0) return { ...PANEL, title, layer: [note(empty)] };
  return { ...PANEL, title, layer: [{ data: { values: rows }, ...layer }, ...events] };
}

export interface TrajectoryChartOptions {
  readonly clock?: Clock;
  readonly title?: string;
}

/**
 * γ and γ̃ per norm (one panel each, independent y), then log 𝓛, ‖θ‖ per norm and R (THEORY §7,
 * only when recorded). Rules: separation (100 % train accuracy) and the late-phase entry.
 */
export function trajectoryChart(series: TrajectorySeries, options: TrajectoryChartOptions = {}): TopLevelSpec {
  const clock = options.clock ?? 'step';
  const norms = seriesNorms(series);
  const color = { field: 'norm', type: 'nominal' as const, title: 'norm', scale: normColor(norms) };
  const x = xEncoding(clock);
  const events = eventLayers(series, clock);
  const at = series.points.flatMap((p) => {
    const px = clockX(p, clock);
    return px === null ? [] : [{ x: px, p }];
  });

  const marginPanels = norms.map((norm) => {
    const rows = at.flatMap(({ x, p }) => {
      const m = p.norms[norm];
      if (!m) return [];
      const label = normLabel(norm);
      return [
        ...(positive(m.gamma) ? [{ x, value: m.gamma, kind: HARD, norm: label }] : []),
        ...(positive(m.soft) ? [{ x, value: m.soft, kind: SOFT, norm: label }] : []),
      ];
    });
    const own = norm === series.algorithmNorm ? ' — algorithm norm' : '';
    return panel(
      `${marginSymbol(norm)} and ${marginSymbol(norm, true)} (${normLabel(norm)})${own}`,
      rows,
      {
        mark: { type: 'line', strokeWidth: 1.8 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'margin', scale: { zero: false } },
          color,
          strokeDash: { field: 'kind', type: 'nominal', title: 'margin', scale: { domain: [HARD, SOFT], range: [[1, 0], [6, 3]] } },
        },
      },
      events,
      'no positive margin (never separated)',
    );
  });

  const lossRows = at.filter(({ p }) => Number.isFinite(p.logLoss)).map(({ x, p }) => ({ x, logLoss: p.logLoss }));
  const lossPanel = panel(
    'log ℒ',
    lossRows,
    { mark: { type: 'line', color: '#333' }, encoding: { x, y: { field: 'logLoss', type: 'quantitative', title: 'log ℒ' } } },
    events,
    'no finite loss',
  );
  const rhoRows = at.flatMap(({ x, p }) =>
    norms.filter((n) => p.norms[n] && positive(p.norms[n].rho)).map((n) => ({ x, rho: p.norms[n].rho, norm: normLabel(n) })),
  );
  const rhoPanel = panel(
    '‖θ‖ per norm',
    rhoRows,
    { mark: 'line', encoding: { x, y: { field: 'rho', type: 'quantitative', title: '‖θ‖', scale: { type: 'log' } }, color } },
    events,
    'no parameter norms',
  );
  const kktRows = at.filter(({ p }) => p.kkt !== null && positive(p.kkt)).map(({ x, p }) => ({ x, r: p.kkt! }));
  const kktPanel = kktRows.length
    ? [
        panel(
          'KKT residual R at checkpoints',
          kktRows,
          {
            mark: { type: 'line', point: { color: KKT_COLOR }, color: KKT_COLOR },
            encoding: { x, y: { field: 'r', type: 'quantitative', title: 'R', scale: { type: 'log' } } },
          },
          events,
          'no KKT residual recorded',
        ),
      ]
    : [];

  const describe = (label: string, c: ClockPoint | null) => (c ? `${label} at step ${c.step}` : `never ${label}`);
  return {
    $schema: SCHEMA,
    title: {
      text: options.title ?? series.label,
      subtitle: [
        `rules: ${describe('separated', series.separation)} (100 % train accuracy); ${describe('late phase', series.latePhase)} (ℒ below the loss's threshold)`,
        'margins drawn where positive; solid γ = q_min/‖θ‖^L, dashed γ̃ = ℓ⁻¹(ℒ)/‖θ‖^L',
      ],
      anchor: 'start',
    },
    // One clock for every panel (shared at each level of the nesting); y scales stay per panel.
    vconcat: [
      { hconcat: marginPanels, resolve: SHARED_X },
      { hconcat: [lossPanel, rhoPanel, ...kktPanel], resolve: SHARED_X },
    ],
    resolve: { scale: { x: 'shared', color: 'shared', strokeDash: 'shared' } },
  };
}

const VERDICT_COLOR: Readonly<Record<Theorem31Verdict, string>> = {
  holds: '#2e7d32',
  discretization: '#1565c0',
  'kink-sliding': '#ef6c00',
  violated: '#c62828',
  inconclusive: '#616161',
  'cost-limited': '#616161',
};

export interface Theorem31ChartOptions {
  readonly title?: string;
  /** τ of the run, printed beside D (THEORY §5.6). */
  readonly tau?: number;
}

/**
 * log γ̃ in the algorithm norm at the grid points s_j of each Δq level, the worst window of each
 * level shaded; the subtitle gives D per level, E in the finest level's worst window and the verdict.
 */
export function theorem31Chart(result: Theorem31ChartData, options: Theorem31ChartOptions = {}): TopLevelSpec {
  const label = normLabel(result.norm);
  const level = (dq: number) => `Δq = ${dq}`;
  const levels = result.levels.map((l) => level(l.dq));
  const color = {
    field: 'level',
    type: 'nominal' as const,
    title: 'level',
    scale: { domain: levels, range: PALETTE.slice(0, levels.length) },
    // The legend is shared with the translucent shading: draw its symbols opaque.
    legend: { symbolOpacity: 1 },
  };
  const rows = result.levels.flatMap((l) =>
    l.grid.flatMap((s, j) => (Number.isFinite(l.logSoft[j]) ? [{ s, logSoft: l.logSoft[j], level: level(l.dq) }] : [])),
  );
  const windows = result.levels.flatMap((l) => (l.worstWindow ? [{ s0: l.worstWindow[0], s1: l.worstWindow[1], level: level(l.dq) }] : []));
  const x = { field: 's', type: 'quantitative' as const, title: `s (re-timed flow clock, S = ${fmt(result.horizon)})`, scale: { domain: [0, result.horizon] } };

  const tau = options.tau === undefined ? '' : ` (τ = ${fmt(options.tau)})`;
  const ds = result.levels.map((l) => `D(${l.dq}) = ${fmt(l.d)}`).join(', ');
  const stopped = result.levels.filter((l) => !l.complete).map((l) => `${level(l.dq)} stopped: ${l.stop}`);
  const pre = result.prePhase;
  const finest = result.levels[result.levels.length - 1];
  const subtitle = [
    ...(result.levels.length ? [`${ds}${tau}; shaded: each level's worst window (largest drop of log γ̃)`] : []),
    ...(finest?.worstWindow
      ? [
          `finest level: worst window s ∈ [${fmt(finest.worstWindow[0])}, ${fmt(finest.worstWindow[1])}], E = ${fmt(result.efficiency)}` +
            `${result.flips === null ? '' : `, ${result.flips} flips`}; D ratio ${fmt(result.ratio)}; min D / τ = ${fmt(result.marginInTau)}`,
        ]
      : finest
        ? ['log γ̃ never decreases between grid points at the finest level (D = 0)']
        : []),
    `pre-phase: ${pre.reached ? `${pre.steps} steps to ℒ ≤ 1/2` : 'late phase not reached'}; L = ${fmt(result.degree)}; γ̃ fell in: ${result.fell.length ? result.fell.map(normLabel).join(', ') : 'none'}`,
    ...stopped,
  ];
  const layer: Layer[] = rows.length
    ? [
        ...(windows.length
          ? [{ data: { values: windows }, mark: { type: 'rect', opacity: 0.15 }, encoding: { x: { ...x, field: 's0' }, x2: { field: 's1' }, color } } satisfies Layer]
          : []),
        {
          data: { values: rows },
          mark: { type: 'line', point: true, strokeWidth: 1.5 },
          encoding: { x, y: { field: 'logSoft', type: 'quantitative', title: `log γ̃ (${label})`, scale: { zero: false } }, color },
        },
      ]
    : [note(`no segment: ${result.reason}`)];
  return {
    $schema: SCHEMA,
    title: {
      text: options.title ?? `Theorem 3.1 in ${label}: ${result.verdict}`,
      subtitle,
      anchor: 'start',
      color: VERDICT_COLOR[result.verdict],
    },
    width: 560,
    height: 260,
    layer,
  };
}

export interface ComparisonRun {
  /** Legend name, e.g. the optimizer. */
  readonly name: string;
  readonly series: TrajectorySeries;
}

export interface ComparisonChartOptions {
  readonly clock?: Clock;
  /** Facets, in order (default ℓ₁, ℓ₂, ℓ∞). */
  readonly norms?: readonly string[];
  /** γ (default) or the soft margin γ̃. */
  readonly margin?: 'gamma' | 'soft';
  readonly title?: string;
}

/** One line per run, one facet per norm (independent y); dashed rules at each run's separation. */
export function comparisonChart(runs: readonly ComparisonRun[], options: ComparisonChartOptions = {}): TopLevelSpec {
  const clock = options.clock ?? 'step';
  const norms = options.norms ?? COORDINATE_NORMS;
  const soft = options.margin === 'soft';
  const names = runs.map((r) => r.name);
  const facet = (norm: string) => `${marginSymbol(norm, soft)} (${normLabel(norm)})`;
  const rows: Row[] = runs.flatMap(({ name, series }) =>
    series.points.flatMap((p) => {
      const x = clockX(p, clock);
      if (x === null) return [];
      return norms.flatMap((norm) => {
        const v = p.norms[norm]?.[soft ? 'soft' : 'gamma'];
        return v !== undefined && positive(v) ? [{ kind: 'line', x, value: v, run: name, norm: facet(norm) }] : [];
      });
    }),
  );
  const seps: Row[] = runs.flatMap(({ name, series }) => {
    const x = series.separation ? clockX(series.separation, clock) : null;
    return x === null ? [] : norms.map((norm) => ({ kind: 'separated', x, run: name, norm: facet(norm) }));
  });
  const color = { field: 'run', type: 'nominal' as const, title: 'run', scale: { domain: names, range: PALETTE.slice(0, names.length) } };
  const x = xEncoding(clock);
  const title = {
    text: options.title ?? `Normalized ${soft ? 'soft ' : ''}margins per norm`,
    subtitle: ['one line per run; dashed rules: the run separates the data (100 % train accuracy); margins drawn where positive'],
    anchor: 'start' as const,
  };
  if (rows.length === 0) return { $schema: SCHEMA, title, ...PANEL, layer: [note(`no positive margin in any run (${names.join(', ')})`)] };
  return {
    $schema: SCHEMA,
    title,
    data: { values: [...rows, ...seps] },
    facet: {
      column: { field: 'norm', type: 'nominal', title: null, sort: norms.map(facet), header: { labelFontSize: 14 } },
    },
    spec: {
      ...PANEL,
      width: 260,
      height: 200,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'line'" }],
          mark: { type: 'line', strokeWidth: 1.8 },
          encoding: { x, y: { field: 'value', type: 'quantitative', title: soft ? 'γ̃' : 'γ', scale: { zero: false } }, color },
        },
        {
          transform: [{ filter: "datum.kind === 'separated'" }],
          mark: { type: 'rule', strokeDash: [4, 3], opacity: 0.7 },
          encoding: { x: { field: 'x', type: 'quantitative' }, color },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
