/**
 * The hunt report: JSON (everything) and a self-contained HTML page — per-family table (candidates,
 * late phase reached, certified, confirmed, smallest case, max D/τ), the equal-budget split between
 * generation and the targeted phase, and per counterexample its D and γ̃ curve per Δq level and its
 * replay command. The γ̃ figure is `gammaCurveFigure` (a plain inline SVG): the hook where the
 * project's vega-lite charts (src/report/charts.ts) take over once they land.
 */
import os from 'node:os';
import { escapeHtml } from '../report/write.js';
import type { CorpusEntry, Sizes } from './corpus.js';
import type { FamilySummary, HuntOutcome } from './run.js';

export const replayCommand = (corpusPath: string, index: number) => `npx margincheck replay ${corpusPath} --index ${index}`;

const sizeLabel = (s: Sizes) => `L=${s.depth} w=${s.width} N=${s.n} d=${s.d} init=${s.initScale.toPrecision(3)} (P=${s.params})`;

export interface HuntReport {
  readonly meta: Record<string, unknown>;
  readonly families: readonly (FamilySummary & { smallest: string | null })[];
  readonly counterexamples: readonly (CorpusEntry & { replay: string })[];
  readonly regression: HuntOutcome['regression'];
  readonly rows: HuntOutcome['rows'];
}

export function buildReport(o: HuntOutcome, corpusPath: string | null): HuntReport {
  const indexOf = (e: CorpusEntry) => o.corpus.entries.findIndex((c) => c.id === e.id);
  const smallest = (f: string) => {
    const es = o.found.filter((e) => e.family === f).sort((a, b) => a.sizes.params - b.sizes.params);
    return es.length ? `${es[0].net}: ${sizeLabel(es[0].sizes)}` : null;
  };
  const c = o.config;
  return {
    meta: {
      seed: c.seed,
      families: c.families,
      budgetPerFamily: c.budget,
      algorithms: c.algorithms,
      data: c.data,
      targetedShare: c.targeted,
      shrinkBudget: c.shrinkBudget,
      check: c.check,
      shard: `${c.shard.index + 1}/${c.shard.count}`,
      jobs: o.jobs,
      candidates: o.candidates,
      seconds: o.seconds,
      candidatesPerMinute: o.perMinute,
      interrupted: o.interrupted,
      corpus: corpusPath,
      node: process.version,
      cpu: os.cpus()[0]?.model ?? '?',
      date: new Date().toISOString(),
    },
    families: o.families.map((f) => ({ ...f, smallest: smallest(f.family) })),
    counterexamples: o.found.map((e) => ({ ...e, replay: corpusPath ? replayCommand(corpusPath, indexOf(e)) : '(no corpus written)' })),
    regression: o.regression,
    rows: o.rows,
  };
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** log γ̃ against s, one polyline per Δq level (the hook for src/report/charts.ts). */
export function gammaCurveFigure(e: CorpusEntry): string {
  const W = 320;
  const H = 120;
  const pts = e.levels.flatMap((l) => l.s.map((s, i) => [s, l.logGamma[i]] as const)).filter(([, y]) => Number.isFinite(y));
  if (pts.length < 2) return '';
  const [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  const sx = (x: number) => (10 + ((x - x0) / (x1 - x0 || 1)) * (W - 20)).toFixed(1);
  const sy = (y: number) => (H - 10 - ((y - y0) / (y1 - y0 || 1)) * (H - 20)).toFixed(1);
  const colors = ['#bbb', '#888', '#36c', '#c33'];
  const lines = e.levels
    .map((l, k) => {
      const p = l.s.map((s, i) => `${sx(s)},${sy(l.logGamma[i])}`).join(' ');
      return `<polyline fill="none" stroke="${colors[k % colors.length]}" stroke-width="1.5" points="${p}"><title>Δq = ${l.dq}</title></polyline>`;
    })
    .join('');
  const legend = e.levels.map((l, k) => `<tspan fill="${colors[k % colors.length]}">Δq ${l.dq} </tspan>`).join('');
  return `<svg width="${W}" height="${H + 14}" role="img" aria-label="log soft margin against s"><rect width="${W}" height="${H}" fill="#fafafa"/>${lines}<text x="10" y="${H + 12}" font-size="10">log γ̃ vs s ∈ [${f3(x0)}, ${f3(x1)}], [${f3(y0)}, ${f3(y1)}]: ${legend}</text></svg>`;
}

export function renderHuntHtml(r: HuntReport): string {
  const m = r.meta;
  const fam = r.families
    .map(
      (f) =>
        `<tr><td>${f.family}</td><td>${f.candidates}</td><td>${f.lateReached}</td><td>${f.certified}</td><td>${f.violated}</td><td><b>${f.confirmed}</b></td>` +
        `<td>${escapeHtml(f.smallest ?? '—')}</td><td>${f3(f.maxScore)}</td><td>${f.firstConfirmedAt === null ? '—' : `${f.firstConfirmedAt.toFixed(1)} s (own candidates ${f.familySecondsToFirst!.toFixed(1)} s)`}</td>` +
        `<td>${f.phases.generation.candidates} / ${f.phases.generation.confirmed} / ${f3(f.phases.generation.maxScore)}</td>` +
        `<td>${f.phases.targeted.candidates} / ${f.phases.targeted.confirmed} / ${f3(f.phases.targeted.maxScore)}</td></tr>`,
    )
    .join('\n');
  const cases = r.counterexamples
    .map(
      (e) =>
        `<tr><td><code>${e.id}</code></td><td>${e.family}</td><td>${e.L}</td><td>${escapeHtml(e.algorithm)} (${escapeHtml(e.norm)})</td><td>${e.candidate.structure.data}</td>` +
        `<td>${escapeHtml(e.net)}<br>${escapeHtml(sizeLabel(e.sizes))}<br><small>found as ${escapeHtml(sizeLabel(e.found))}</small></td>` +
        `<td>${e.levels.map((l) => `D(${l.dq}) = ${f3(l.d)}, E = ${f3(l.e)}`).join('<br>')}</td><td>${gammaCurveFigure(e)}</td><td><code>${escapeHtml(e.replay)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>margincheck hunt</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:13px}th{background:#f3f3f3}</style></head><body>
<h1>margincheck hunt — seed ${escapeHtml(String(m.seed))}</h1>
<p>Counterexamples to Theorem 3.1 outside homogeneity (THEORY §10): a <code>violated</code> verdict of the §5 protocol with L = the layer count, persistent at Δq = 0.025, float64, replayed bit-for-bit, minimized.
${m.candidates} candidates in ${Number(m.seconds).toFixed(1)} s (${Number(m.candidatesPerMinute).toFixed(1)}/min, ${m.jobs} job(s), shard ${m.shard}); budget ${m.budgetPerFamily} per family, targeted share ${m.targetedShare}${m.interrupted ? '; <b>interrupted</b>' : ''}.
Corpus regression: ${r.regression.replayed - r.regression.failed.length} of ${r.regression.replayed} stored cases replayed.</p>
<table><tr><th>family</th><th>candidates</th><th>late phase</th><th>certified</th><th>violated</th><th>confirmed</th><th>smallest case</th><th>max D/τ</th><th>first confirmed (hunt wall clock)</th><th>generation: n / confirmed / max D/τ</th><th>targeted: n / confirmed / max D/τ</th></tr>
${fam}</table>
<h2>Counterexamples</h2>
<table><tr><th>id</th><th>family</th><th>L</th><th>algorithm</th><th>data</th><th>case</th><th>D per Δq</th><th>γ̃ curve</th><th>replay</th></tr>
${cases || '<tr><td colspan="9">none confirmed</td></tr>'}</table>
<p><small>${escapeHtml(String(m.node))}, ${escapeHtml(String(m.cpu))}, ${escapeHtml(String(m.date))}</small></p></body></html>\n`;
}
