/**
 * The hunt report: JSON (everything) and a self-contained HTML page — per-family table (candidates,
 * late phase reached, certified, confirmed, smallest case, max D/τ), the equal-budget split between
 * generation and the targeted phase, and per counterexample its D and γ̃ curve per Δq level and its
 * replay command. The γ̃ figure is the project's Theorem 3.1 chart (src/report/charts.ts, vega-lite),
 * rendered server-side to inline SVG.
 */
import os from 'node:os';
import type { TopLevelSpec } from 'vega-lite';
import { specToSvg } from '../report/render.js';
import { escapeHtml } from '../report/write.js';
import type { CorpusEntry, Sizes } from './corpus.js';
import type { FamilySummary, HuntOutcome } from './run.js';

export const replayCommand = (corpusPath: string, index: number) => `npx margincheck replay ${corpusPath} --index ${index}`;

const sizeLabel = (s: Sizes) => `L=${s.depth} w=${s.width} N=${s.n} d=${s.d} init=${s.initScale.toPrecision(3)} (P=${s.params})`;

export interface HuntReport {
  readonly meta: Record<string, unknown>;
  readonly families: readonly (FamilySummary & { smallest: string | null })[];
  readonly counterexamples: readonly (CorpusEntry & { replay: string; chart: TopLevelSpec | null })[];
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
    counterexamples: o.found.map((e) => ({
      ...e,
      replay: corpusPath ? replayCommand(corpusPath, indexOf(e)) : '(no corpus written)',
      chart: o.charts[e.id] ?? null,
    })),
    regression: o.regression,
    rows: o.rows,
  };
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** The page; each counterexample's γ̃ chart (src/report/charts.ts theorem31Chart) drawn as inline SVG. */
export async function renderHuntHtml(r: HuntReport): Promise<string> {
  const svgs = new Map<string, string>();
  for (const e of r.counterexamples) if (e.chart) svgs.set(e.id, (await specToSvg(e.chart)).svg);
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
        `<td>${e.levels.map((l) => `D(${l.dq}) = ${f3(l.d)}, E = ${f3(l.e)}`).join('<br>')}</td><td>${svgs.get(e.id) ?? ''}</td><td><code>${escapeHtml(e.replay)}</code></td></tr>`,
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
