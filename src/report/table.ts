/**
 * The verdict table for the terminal: plain text (≤ 100 columns), optional colour; verifyHtml.ts
 * draws the same rows as the HTML report. Columns: verdict, row label, runs, worst (the closest call
 * in units of the tolerance, ≤ 1 passes; see verdicts.ts), evidence (what the runs showed, in short).
 */
import { coverageText, fmt, passes, type Outcome, type Verdict } from './verdicts.js';

export interface SuiteRows {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly Outcome[];
  readonly seconds: number;
  /** Print every row even in the compact table (theorem suites). */
  readonly headline?: boolean;
}

export const TABLE_WIDTH = 100;

/** Colours for a TTY; identity when colour is off. */
export interface Paint {
  readonly verdict: (v: Verdict, text: string) => string;
  readonly dim: (text: string) => string;
}

const ANSI: Record<Verdict, string> = { holds: '32', found: '32', reported: '36', violated: '31', missed: '31', vacuous: '33' };
export const PLAIN: Paint = { verdict: (_v, t) => t, dim: (t) => t };
export const COLOUR: Paint = { verdict: (v, t) => `\x1b[1;${ANSI[v]}m${t}\x1b[0m`, dim: (t) => `\x1b[2m${t}\x1b[0m` };

/** Display width: code points (ℓ, θ, 𝓛 are one column each). */
const width = (s: string) => [...s].length;
const clip = (s: string, w: number) => (width(s) <= w ? s : `${[...s].slice(0, w - 1).join('')}…`);
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;

const COLUMNS = { verdict: 8, label: 34, runs: 5, worst: 8 };

/** The evidence column takes what the others leave of TABLE_WIDTH (a wide run count shortens it). */
function line(verdict: string, label: string, runs: string, worst: string, evidence: string, paint: Paint, v?: Verdict): string {
  const cell = padEnd(clip(verdict, COLUMNS.verdict), COLUMNS.verdict);
  const head = [padEnd(clip(label, COLUMNS.label), COLUMNS.label), padStart(runs, COLUMNS.runs), padEnd(worst, COLUMNS.worst)].join('  ');
  const used = COLUMNS.verdict + 2 + width(head) + 2;
  return `${v ? paint.verdict(v, cell) : cell}  ${head}  ${clip(evidence, TABLE_WIDTH - used)}`.trimEnd();
}

/** Words of `text` in lines of at most TABLE_WIDTH columns, each starting with `indent`; at most `max` lines. */
export function wrap(text: string, indent: string, max = Infinity): string[] {
  const lines: string[] = [];
  let current = indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (width(current) + 1 + width(word) > TABLE_WIDTH && current.trim()) {
      lines.push(current);
      current = indent;
    }
    current += (current.trim() ? ' ' : '') + clip(word, TABLE_WIDTH - width(indent));
  }
  if (current.trim()) lines.push(current);
  return lines.length > max ? [...lines.slice(0, max - 1), clip(`${lines[max - 1]} …`, TABLE_WIDTH)] : lines;
}

export function tableHeader(paint: Paint = PLAIN): string[] {
  return [paint.dim(line('verdict', 'row (replay: --property "<row>")', 'runs', 'worst', 'evidence (worst = closest call / tol)', PLAIN))];
}

function rowLine(o: Outcome, paint: Paint): string {
  return line(o.verdict.toUpperCase(), o.label, String(o.runs), fmt(o.worst), o.summary, paint, o.verdict);
}

/** Detail and replay of a row that does not pass (always printed), or the full claim and coverage (`--full`). */
function rowNotes(o: Outcome, full: boolean, paint: Paint): string[] {
  const notes: string[] = [];
  if (full) {
    if (o.property !== o.label) notes.push(...wrap(o.property, '    ').map(paint.dim));
    notes.push(...wrap(coverageText(o.coverage), '    ').map(paint.dim));
  }
  if (!passes(o)) notes.push(...wrap(o.detail, '    ', full ? Infinity : 4), `    replay: ${o.replay}`);
  return notes;
}

/** A row's line and its notes. */
export function rowBlock(o: Outcome, full: boolean, paint: Paint = PLAIN): string[] {
  return [rowLine(o, paint), ...rowNotes(o, full, paint)];
}

/**
 * One suite's block of the terminal table. Compact (default): theorem and homogeneity suites row by
 * row, identity suites as one summary row; every row that does not pass is always printed with its
 * detail and replay command. `--full` prints every row with its full claim and coverage.
 */
export function renderSuite(s: SuiteRows, full = false, paint: Paint = PLAIN): string[] {
  const seconds = `${s.seconds.toFixed(1)} s`;
  if (full || s.headline) {
    const lines = [paint.dim(clip(`── ${s.title} (${seconds})`, TABLE_WIDTH))];
    for (const o of s.rows) lines.push(...rowBlock(o, full, paint));
    return lines;
  }
  const failing = s.rows.filter((o) => !passes(o));
  const verdict: Verdict = failing.some((o) => o.verdict === 'violated' || o.verdict === 'missed') ? 'violated' : failing.length ? 'vacuous' : 'holds';
  const runs = s.rows.reduce((t, o) => t + o.runs, 0);
  const worst = Math.max(0, ...s.rows.map((o) => o.worst));
  const summary = line(verdict.toUpperCase(), `${s.id} (${s.rows.length} rows)`, String(runs), fmt(worst), `${s.rows.length - failing.length}/${s.rows.length} pass, ${seconds}`, paint, verdict);
  return [summary, ...failing.flatMap((o) => rowBlock(o, false, paint))];
}

/** The whole table (every suite's block under one header). */
export function renderTable(suites: readonly SuiteRows[], full = false, paint: Paint = PLAIN): string {
  return [...tableHeader(paint), ...suites.flatMap((s) => renderSuite(s, full, paint))].join('\n');
}

/** The closing line of a verify run: rows passing, counts per verdict, profile, seed and wall time. */
export function verifySummary(rows: readonly Outcome[], o: { readonly profile: string; readonly seed: number; readonly seconds: number }): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.verdict, (counts.get(row.verdict) ?? 0) + 1);
  const passing = rows.filter(passes).length;
  const breakdown = [...counts].map(([v, k]) => `${k} ${v}`).join(', ');
  return `${passing} of ${rows.length} rows pass (${breakdown}; profile ${o.profile}, seed ${o.seed}, ${o.seconds.toFixed(1)} s)`;
}

/** A replayed row (`verify --property`): header, the row with its claim and coverage, then its evidence and replay line (also when it passes). */
export function replayBlock(o: Outcome, paint: Paint = PLAIN): string[] {
  const [line, ...notes] = rowBlock(o, true, paint);
  const evidence = passes(o) ? [...wrap(o.detail, '    '), `    replay: ${o.replay}`] : [];
  return [...tableHeader(paint), line, ...notes, ...evidence];
}
