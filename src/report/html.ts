/**
 * Self-contained HTML: a report page with its charts inline as SVG (no script, no external file
 * needed to see it; each chart links its PNG when one was written), and an index of the reports in
 * a folder. Pages carry their one-line summary in a meta tag that the index reads back, and the
 * number of charts in `data-charts` for the browser check (scripts/browser-check.mjs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, writeAtomic } from './write.js';

export interface PageChart {
  /** File stem and element id (unique within the page). */
  readonly name: string;
  readonly title: string;
  readonly svg: string;
  /** href of the chart's PNG, relative to the page. */
  readonly png?: string;
  readonly caption?: string;
}

export interface TableCell {
  readonly text: string;
  readonly href?: string;
  readonly color?: string;
}

export type PageBlock =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'chart'; readonly chart: PageChart }
  /** An empty header: no header row. */
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly (string | TableCell)[])[] };

export interface PageSection {
  readonly heading: string;
  readonly blocks: readonly PageBlock[];
}

export interface ReportPage {
  readonly title: string;
  /** One line, shown under the title and in the index. */
  readonly summary: string;
  /** Key facts shown first: spec, seed, engine, package versions… */
  readonly facts?: readonly (readonly [string, string])[];
  readonly sections: readonly PageSection[];
  /** href of the JSON record beside the page. */
  readonly record?: string;
}

const STYLE = `body{font-family:"DejaVu Sans",sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
p.summary{color:#444;margin:0 0 12px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top;font-size:13px}th{background:#f4f4f4}
figure.chart{margin:12px 0;overflow-x:auto}figure.chart figcaption{font-size:13px;color:#444;margin-top:4px}
a{color:#1565c0}`;

const SUMMARY_META = 'margincheck-summary';

/**
 * vega writes ids (clip paths, gradients) that are unique within one SVG only: prefix them with the
 * chart name so that several inline SVGs on one page never resolve each other's references.
 */
export function scopeSvgIds(svg: string, scope: string): string {
  return svg.replace(/\bid="([^"]+)"/g, `id="${scope}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${scope}-$1)`);
}

function inlineSvg(chart: PageChart): string {
  const svg = scopeSvgIds(chart.svg, chart.name).replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(chart.title)}"`);
  const png = chart.png ? ` (<a href="${escapeHtml(chart.png)}">PNG</a>)` : '';
  const caption = chart.caption ? ` — ${escapeHtml(chart.caption)}` : '';
  return `<figure class="chart" id="${escapeHtml(chart.name)}">${svg}<figcaption><b>${escapeHtml(chart.title)}</b>${caption}${png}</figcaption></figure>`;
}

function cell(c: string | TableCell, tag: 'td' | 'th'): string {
  if (typeof c === 'string') return `<${tag}>${escapeHtml(c)}</${tag}>`;
  const style = c.color ? ` style="color:${escapeHtml(c.color)};font-weight:bold"` : '';
  const text = c.href ? `<a href="${escapeHtml(c.href)}">${escapeHtml(c.text)}</a>` : escapeHtml(c.text);
  return `<${tag}${style}>${text}</${tag}>`;
}

function block(b: PageBlock): string {
  switch (b.kind) {
    case 'text':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'chart':
      return inlineSvg(b.chart);
    case 'table':
      return `<table>${b.header.length ? `<tr>${b.header.map((h) => cell(h, 'th')).join('')}</tr>` : ''}${b.rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</table>`;
  }
}

function shell(title: string, summary: string, charts: number, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="${SUMMARY_META}" content="${escapeHtml(summary)}">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body data-charts="${charts}">
<h1>${escapeHtml(title)}</h1><p class="summary">${escapeHtml(summary)}</p>
${body}
</body></html>
`;
}

/** Chart names must be unique on a page (they name the element ids and the files). */
export function assertUniqueCharts(names: readonly string[]): void {
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`report page: chart name ${JSON.stringify(dup)} used twice`);
}

export function renderPage(page: ReportPage): string {
  const names = page.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart.name] : [])));
  assertUniqueCharts(names);
  const facts = page.facts?.length ? block({ kind: 'table', header: [], rows: page.facts.map(([k, v]) => [k, v]) }) : '';
  const record = page.record ? `<p>Record (data behind this page): <a href="${escapeHtml(page.record)}">${escapeHtml(page.record)}</a></p>` : '';
  const sections = page.sections.map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.blocks.map(block).join('\n')}`).join('\n');
  return shell(page.title, page.summary, names.length, `${facts}${record}\n${sections}`);
}

export function writePage(path: string, page: ReportPage): void {
  writeAtomic(path, renderPage(page));
}

export interface IndexEntry {
  /** Relative to the index. */
  readonly href: string;
  readonly title: string;
  readonly summary: string;
}

const unescapeHtml = (s: string) => s.replace(/&(lt|gt|quot|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e]!);

/** Title and summary of a page written by renderPage (the file name and '' for other HTML). */
function entry(path: string, href: string): IndexEntry {
  const html = readFileSync(path, 'utf8');
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
  const summary = new RegExp(`<meta name="${SUMMARY_META}" content="([^"]*)">`).exec(html)?.[1];
  return { href, title: title ? unescapeHtml(title) : href, summary: summary ? unescapeHtml(summary) : '' };
}

/** The reports in `dir`: its *.html pages and the index.html of each subfolder, by name. */
export function indexEntries(dir: string): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isFile() && e.name.endsWith('.html') && e.name !== 'index.html') entries.push(entry(join(dir, e.name), e.name));
    if (e.isDirectory() && existsSync(join(dir, e.name, 'index.html'))) entries.push(entry(join(dir, e.name, 'index.html'), `${e.name}/index.html`));
  }
  return entries;
}

export function renderIndex(title: string, entries: readonly IndexEntry[]): string {
  const rows = entries.map((e) => [{ text: e.title, href: e.href }, e.summary]);
  const body = entries.length ? block({ kind: 'table', header: ['report', 'summary'], rows }) : '<p>No reports yet.</p>';
  return shell(title, `${entries.length} report${entries.length === 1 ? '' : 's'} in this folder`, 0, body);
}

/** (Re)writes `<dir>/index.html` listing the reports in `dir`; returns its path. */
export function writeIndex(dir: string, title = 'margincheck reports'): string {
  const path = join(dir, 'index.html');
  writeAtomic(path, renderIndex(title, indexEntries(dir)));
  return path;
}
