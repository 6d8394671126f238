/**
 * The `margincheck verify` page: one table per suite (the rows of the terminal table with their full
 * claim, coverage, detail and replay command) and, under it, the chart of each theorem row's closest
 * call — the run behind its `worst` (Outcome.evidence) — which the row's label links to. Charts are
 * the report stage's own (charts.ts); writeReport (report.ts) renders and writes them.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DEFAULT_THEOREM31 } from '../theorems/theorem31.js';
import { theorem31Chart, trajectoryChart } from './charts.js';
import type { TableCell } from './html.js';
import type { ChartBlock, ReportBlock, ReportSpec } from './report.js';
import type { SuiteRows } from './table.js';
import { coverageText, fmt, type Outcome, type RunEvidence, type Verdict } from './verdicts.js';

const VERDICT_COLOR: Readonly<Record<Verdict, string>> = {
  holds: '#1a7f37',
  found: '#1a7f37',
  reported: '#0969da',
  violated: '#cf222e',
  missed: '#cf222e',
  vacuous: '#9a6700',
};

const LEGEND =
  'Verdicts: holds (a claim held, with enough certified runs), found (a must-find self-test detected its known failure), ' +
  'reported (a distribution shown, its records well defined), violated, missed (a must-find found nothing), vacuous (too few runs exercised the claim). ' +
  'worst is the closest call in units of the tolerance: ≤ 1 passes. A theorem row links to the chart of the run behind its worst.';

/** Chart name (element id and file stem) of a row's evidence: unique per suite and row. */
export const evidenceChartName = (suiteId: string, row: number): string => `${suiteId}-row${row + 1}`;

/** The chart of a row's closest-call run: its Theorem 3.1 evidence, or its trajectory with R at the checkpoints. */
export function evidenceChart(label: string, e: RunEvidence): TopLevelSpec {
  const title = `${label} — closest call: ${e.run}`;
  return e.kind === 'theorem31' ? theorem31Chart(e.check, { tau: DEFAULT_THEOREM31.tau, title }) : trajectoryChart(e.series, { title });
}

function row(o: Outcome, chart: string | null): (string | TableCell)[] {
  return [
    { text: o.verdict, color: VERDICT_COLOR[o.verdict] },
    chart ? { text: o.label, href: `#${chart}` } : o.label,
    o.property,
    String(o.runs),
    fmt(o.worst),
    coverageText(o.coverage),
    o.detail,
    o.replay,
  ];
}

function suiteBlocks(s: SuiteRows): ReportBlock[] {
  const name = (i: number) => (s.rows[i].evidence ? evidenceChartName(s.id, i) : null);
  const table: ReportBlock = {
    kind: 'table',
    header: ['verdict', 'row', 'claim', 'runs', 'worst', 'coverage', 'detail', 'replay'],
    rows: s.rows.map((o, i) => row(o, name(i))),
  };
  const charts = s.rows.flatMap((o, i): ChartBlock[] =>
    o.evidence
      ? [
          {
            kind: 'chart',
            name: evidenceChartName(s.id, i),
            title: `${o.label}: ${o.evidence.run}`,
            spec: evidenceChart(o.label, o.evidence),
            caption: `the closest call of the row (worst ${fmt(o.worst)}): ${o.evidence.measure} = ${fmt(o.evidence.value)}`,
          },
        ]
      : [],
  );
  return [table, ...charts];
}

/** The page of a verify run; `meta.summary` is its one-line summary, the other entries its facts. */
export function verifyReport(suites: readonly SuiteRows[], meta: Readonly<Record<string, string>>): ReportSpec {
  const { summary = '', ...facts } = meta;
  return {
    title: 'margincheck verdict report',
    summary,
    facts: Object.entries(facts),
    sections: [
      { heading: 'How to read it', blocks: [{ kind: 'text', text: LEGEND }] },
      ...suites.map((s) => ({ heading: `${s.title} (${s.seconds.toFixed(1)} s)`, blocks: suiteBlocks(s) })),
    ],
  };
}
