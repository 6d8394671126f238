/**
 * The fingerprint report through the project's report stage (src/report): a JSON record, a
 * self-contained HTML page with the charts inline (vega-lite, also as SVG + PNG files) — the
 * normalized margins per norm of the optimizer beside the calibrated references — and one table
 * per battery. Every file is written atomically.
 */
import type { TopLevelSpec } from 'vega-lite';
import { writeReport, type ReportBlock, type WrittenReport } from '../report/report.js';
import { ORACLE_NORMS } from '../oracles/maxMargin.js';
import { NET_NORMS, type BatteryOptions } from './battery.js';
import type { Fingerprint } from './fingerprint.js';
import { label, range, type Decision } from './verdict.js';

export interface FingerprintReport {
  readonly optimizer: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** The battery of the optimizer under test, and of the references (same data; Δq and steps may differ). */
  readonly battery: BatteryOptions;
  readonly references: BatteryOptions;
  readonly wallSeconds: number;
  readonly fingerprint: Fingerprint;
  /** The references' own fingerprints (the calibration the chart compares against). */
  readonly referencePrints: readonly Fingerprint[];
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Median bars with min–max rules, one facet per norm, the optimizer under test in red. */
function spreadChart(title: string, subtitle: string, prints: readonly Fingerprint[], pick: (f: Fingerprint) => Decision, norms: readonly string[], tested: string): TopLevelSpec {
  const rows = prints.flatMap((f) =>
    norms.flatMap((p) => {
      const s = pick(f).spreads[p];
      return s && s.count > 0 ? [{ optimizer: f.optimizer, norm: label(p), median: s.median, min: s.min, max: s.max, tested: f.optimizer === tested ? 'tested' : 'reference' }] : [];
    }),
  );
  const x = { field: 'optimizer', type: 'nominal' as const, title: null, sort: prints.map((f) => f.optimizer) };
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: [subtitle], anchor: 'start' },
    data: { values: rows },
    facet: { column: { field: 'norm', type: 'nominal', title: null, sort: norms.map(label), header: { labelFontSize: 14 } } },
    spec: {
      width: 150,
      height: 180,
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x,
            y: { field: 'median', type: 'quantitative', title: 'median over seeds', scale: { domainMin: 0 } },
            color: { field: 'tested', type: 'nominal', title: null, scale: { domain: ['tested', 'reference'], range: ['#e45756', '#9ecae1'] } },
          },
        },
        { mark: { type: 'rule', color: '#222' }, encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' } } },
      ],
    },
  };
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

function linearTable(f: Fingerprint): ReportBlock {
  return {
    kind: 'table',
    header: ['seed', ...ORACLE_NORMS.map((p) => `γ/γ* ${label(p)}`), 'certified separation ℓ₁ / ℓ₂ / ℓ∞', 'late at', 'steps', 'stop'],
    rows: f.runs.linear.map((r) => [r.seed, ...ORACLE_NORMS.map((p) => r.ratio[p].toFixed(4)), ORACLE_NORMS.map((p) => r.separation[p].toFixed(3)).join(' / '), String(r.lateStep), String(r.steps), r.stop]),
  };
}

function netTable(f: Fingerprint): ReportBlock {
  const per = (g: (p: (typeof NET_NORMS)[number]) => string) => NET_NORMS.map(g);
  return {
    kind: 'table',
    header: ['seed', ...per((p) => `γ ${label(p)}`), ...per((p) => `γ̃ growth ${label(p)}`), ...per((p) => `γ̃ fell ${label(p)}`), ...per((p) => `R ${label(p)}`), 'late at', 'stop'],
    rows: f.runs.net.map((r) => [
      r.seed,
      ...per((p) => (Number.isFinite(r.gamma[p]) ? r.gamma[p].toExponential(3) : 'n/a')),
      ...per((p) => (Number.isFinite(r.growth[p]) ? `×${r.growth[p].toPrecision(3)}` : 'n/a')),
      ...per((p) => (r.pairs ? `${r.decreases[p]} of ${r.pairs}` : 'n/a')),
      ...per((p) => (r.kkt ? f3(r.kkt[p].r) : 'n/a')),
      String(r.lateStep),
      r.stop,
    ]),
  };
}

function summaryTable(f: Fingerprint): ReportBlock {
  const row = (title: string, d: Decision | null) => [
    title,
    ...NET_NORMS.map((p) => (d?.spreads[p]?.count ? `${range(d.spreads[p])} (median ${f3(d.spreads[p].median)})` : 'n/a')),
    d?.statement ?? 'not recorded',
  ];
  return {
    kind: 'table',
    header: ['statistic', ...NET_NORMS.map(label), 'statement'],
    rows: [
      row('linear γ/γ*', f.linear),
      row('network γ/γ_reference', f.net),
      row('network 1 − R (KKT)', f.kkt),
      ['network: seeds where γ̃ never fell', ...NET_NORMS.map((p) => `${f.monotone[p].seeds} of ${f.monotone[p].of}`), 'Theorem 3.1: γ̃ is monotone in the algorithm’s own norm'],
    ],
  };
}

/** Writes `<dir>/fingerprint-<optimizer>.{json,html}` and its charts; returns the paths. */
export async function writeFingerprint(dir: string, r: FingerprintReport): Promise<WrittenReport> {
  const f = r.fingerprint;
  const prints = [f, ...r.referencePrints.filter((p) => p.optimizer !== f.optimizer)];
  const base = `fingerprint-${r.optimizer.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
  const o = r.battery;
  return writeReport(
    dir,
    base,
    {
      title: `Fingerprint of ${r.optimizer}`,
      summary: f.verdict,
      facts: [
        ['optimizer', `${r.optimizer} ${JSON.stringify(r.options)}`],
        ['seed', o.seed],
        ['schedule', `Δq = ${o.schedule.dq.toPrecision(3)} (references ${r.references.schedule.dq}), h_max = ${o.schedule.hMax}, band ${o.schedule.band}`],
        ['steps per run', `linear ${o.linear.steps}, network ${o.net.steps} (references ${r.references.linear.steps}, ${r.references.net.steps})`],
        ['linear battery', `${o.linear.seeds} seeds, N = ${o.linear.shape.n}, d = ${o.linear.shape.d}, teacher support ${o.linear.shape.k}, init ${o.linear.init}`],
        ['network battery', `${o.net.seeds} seeds, 2-layer ReLU width ${o.net.shape.width}, N = ${o.net.shape.n}, d = ${o.net.shape.d}, init ${o.net.init}`],
        ['wall time', `${r.wallSeconds.toFixed(1)} s`],
      ],
      sections: [
        {
          heading: 'Verdict',
          blocks: [
            { kind: 'text', text: f.verdict },
            {
              kind: 'text',
              text:
                'Margins are named by the parameter norm that normalizes them (γ∞ = q_min/‖θ‖∞^L). References: gd → ℓ₂, sign → ℓ∞, coord → ℓ₁, spectral → spectral ' +
                '(on a linear model the spectral norm of the 1×d weight is ℓ₂, so spectral descent is GD there). Optimizers that average past gradients with weight β run at ' +
                'Δq = −ln(β)/2 (Adam: β1), so the average is not dominated by its oldest gradients; Adam’s second moment (β2) remembers longer than any affordable budget.',
            },
            summaryTable(f),
          ],
        },
        {
          heading: 'Linear battery (exact oracles)',
          blocks: [
            { kind: 'chart', name: 'linear', title: 'γ_p/γ*_p per norm', spec: spreadChart('Linear battery: γ_p / γ*_p', 'median over seeds (bar) and min–max (rule); 1 = the exact max-margin', prints, (p) => p.linear, ORACLE_NORMS, f.optimizer) },
            linearTable(f),
          ],
        },
        {
          heading: 'Network battery (2-layer bias-free ReLU, teacher–student)',
          blocks: [
            {
              kind: 'chart',
              name: 'network',
              title: 'γ_p over γ_p of p’s own steepest descent',
              spec: spreadChart('Network battery: γ_p / γ_p(reference_p)', 'scored on seeds where reference_p has the largest γ_p of the references', prints, (p) => p.net, NET_NORMS, f.optimizer),
            },
            netTable(f),
          ],
        },
      ],
    },
    r,
  );
}
