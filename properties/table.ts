/** The verdict table: plain text for the terminal, JSON + HTML for the report. */
import type { Outcome } from './outcome.js';
import { fmt } from './outcome.js';
import { escapeHtml } from '../src/report/write.js';

export interface SuiteRows {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly Outcome[];
  readonly seconds: number;
  /** Print every row even in the compact table (theorem suites). */
  readonly headline?: boolean;
}

const coverageText = (o: Outcome) =>
  Object.entries(o.coverage)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** One line per suite: verdict counts, runs and the worst residual. */
function suiteSummary(s: SuiteRows): string[] {
  const count = (v: string) => s.rows.filter((o) => o.verdict === v).length;
  const verdict = count('violated') ? 'VIOLATED' : count('vacuous') ? 'VACUOUS' : 'HOLDS';
  const runs = s.rows.reduce((t, o) => t + o.runs, 0);
  const worst = Math.max(0, ...s.rows.filter((o) => !o.property.startsWith('must-find')).map((o) => o.worst));
  return [
    `${verdict.padEnd(8)} ${s.title}: ${count('holds')}/${s.rows.length} properties hold, ${runs} runs, worst residual ${fmt(worst)} × tolerance (${s.seconds.toFixed(1)} s)`,
  ];
}

/**
 * The terminal table. Compact (default): theorem suites row by row, identity suites one summary
 * line each; every row that does not hold is always printed with its detail and replay command.
 */
export function renderTable(suites: readonly SuiteRows[], full = false): string {
  const lines: string[] = [];
  const header = ['verdict', 'property', 'runs', 'worst/tol', 'coverage'];
  let previousInFull = true;
  for (const s of suites) {
    if (!full && !s.headline) {
      if (previousInFull) lines.push('');
      previousInFull = false;
      lines.push(...suiteSummary(s));
      for (const o of s.rows.filter((o) => o.verdict !== 'holds')) {
        lines.push(`  ${o.verdict.toUpperCase()} ${o.property}: ${o.detail}`, `    replay: ${o.replay}`);
      }
      continue;
    }
    previousInFull = true;
    lines.push('', `${s.title}  (${s.seconds.toFixed(1)} s)`);
    const rows = s.rows.map((o) => [o.verdict.toUpperCase(), o.property, String(o.runs), fmt(o.worst), coverageText(o)]);
    const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i].length))));
    const line = (r: string[]) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]) : c)).join('  ');
    lines.push(line(header), line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) lines.push(line(r));
    for (const o of s.rows.filter((o) => o.verdict !== 'holds')) lines.push(`  ${o.property}: ${o.detail}`, `    replay: ${o.replay}`);
  }
  return lines.join('\n');
}

export function renderHtml(suites: readonly SuiteRows[], meta: Record<string, string>): string {
  const color: Record<string, string> = { holds: '#1a7f37', violated: '#cf222e', vacuous: '#9a6700' };
  const sections = suites
    .map((s) => {
      const rows = s.rows
        .map(
          (o) =>
            `<tr><td style="color:${color[o.verdict] ?? '#000'};font-weight:bold">${o.verdict}</td><td>${escapeHtml(o.property)}</td>` +
            `<td>${o.runs}</td><td>${fmt(o.worst)}</td><td>${escapeHtml(coverageText(o))}</td><td>${escapeHtml(o.detail)}</td>` +
            `<td><code>${escapeHtml(o.replay)}</code></td></tr>`,
        )
        .join('\n');
      return `<h2>${escapeHtml(s.title)} <small>(${s.seconds.toFixed(1)} s)</small></h2>
<table><tr><th>verdict</th><th>property</th><th>runs</th><th>worst/tol</th><th>coverage</th><th>detail</th><th>replay</th></tr>
${rows}</table>`;
    })
    .join('\n');
  const metaRows = Object.entries(meta)
    .map(([k, v]) => `<li><b>${escapeHtml(k)}</b>: ${escapeHtml(v)}</li>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>margincheck verdicts</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;vertical-align:top}</style>
</head><body><h1>margincheck verdict report</h1><ul>${metaRows}</ul>${sections}</body></html>`;
}
