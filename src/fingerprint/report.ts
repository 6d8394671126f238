/**
 * The fingerprint report: a JSON record and a self-contained HTML page (inline SVG charts, no
 * scripts) with the normalized margins per norm beside the calibrated references and one table per
 * battery. Written atomically (src/report/write.ts).
 */
import { join } from 'node:path';
import { escapeHtml, writeAtomic } from '../report/write.js';
import { ORACLE_NORMS } from '../oracles/maxMargin.js';
import { NET_NORMS, type BatteryOptions } from './battery.js';
import type { Fingerprint } from './fingerprint.js';
import { label, range, type Spread } from './verdict.js';

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

/** Finite numbers as they are; NaN and ±∞ as strings (JSON has no such numbers). */
function jsonValue(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

interface Bar {
  readonly name: string;
  readonly spread: Spread;
  readonly highlight: boolean;
}

const W = 640;
const H = 260;
const PAD = { left: 48, right: 12, top: 24, bottom: 46 };

/** Grouped bars (median) with min–max whiskers, one group per norm, y ∈ [0, yMax]. */
function barChart(title: string, groups: readonly { norm: string; bars: readonly Bar[] }[], yMax: number): string {
  const gw = (W - PAD.left - PAD.right) / groups.length;
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - Math.min(Math.max(v, 0), yMax) / yMax);
  const parts: string[] = [];
  for (let t = 0; t <= 4; t++) {
    const v = (yMax * t) / 4;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  groups.forEach((g, gi) => {
    const bw = (gw - 16) / g.bars.length;
    const x0 = PAD.left + gi * gw + 8;
    parts.push(`<text x="${x0 + (gw - 16) / 2}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-weight="bold">${escapeHtml(label(g.norm))}</text>`);
    g.bars.forEach((b, bi) => {
      const x = x0 + bi * bw;
      const s = b.spread;
      if (s.count === 0) return;
      const fill = b.highlight ? '#d62728' : '#9ecae1';
      parts.push(
        `<rect x="${x + 1}" y="${y(s.median)}" width="${bw - 2}" height="${y(0) - y(s.median)}" fill="${fill}"><title>${escapeHtml(`${b.name} ${label(g.norm)}: ${range(s)} (median ${s.median.toFixed(3)})`)}</title></rect>`,
        `<line x1="${x + bw / 2}" x2="${x + bw / 2}" y1="${y(s.min)}" y2="${y(s.max)}" stroke="#333"/>`,
        `<text x="${x + bw / 2}" y="${H - PAD.bottom + 30}" text-anchor="middle" font-size="9">${escapeHtml(b.name)}</text>`,
      );
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><text x="${PAD.left}" y="14" font-weight="bold">${escapeHtml(title)}</text>${parts.join('')}</svg>`;
}

function charts(r: FingerprintReport): string {
  const all = [r.fingerprint, ...r.referencePrints.filter((f) => f.optimizer !== r.fingerprint.optimizer)];
  const lin = ORACLE_NORMS.map((p) => ({ norm: p, bars: all.map((f) => ({ name: f.optimizer, spread: f.linear.spreads[p], highlight: f === r.fingerprint })) }));
  const netMax = Math.max(1, ...all.flatMap((f) => NET_NORMS.map((p) => f.net.spreads[p]?.max ?? 0)).filter(Number.isFinite));
  const net = NET_NORMS.map((p) => ({ norm: p, bars: all.map((f) => ({ name: f.optimizer, spread: f.net.spreads[p], highlight: f === r.fingerprint })) }));
  return (
    barChart('Linear battery: γ_p / γ*_p (exact oracle), median and min–max over seeds', lin, 1) +
    barChart("Network battery: γ_p / γ_p of p's own steepest descent, median and min–max", net, Math.min(netMax, 2))
  );
}

const cell = (s: string) => `<td>${escapeHtml(s)}</td>`;
const head = (cols: readonly string[]) => `<tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;

function tables(f: Fingerprint): string {
  const lin = f.runs.linear.map((r) =>
    `<tr>${cell(r.seed)}${ORACLE_NORMS.map((p) => cell(r.ratio[p].toFixed(4))).join('')}${cell(ORACLE_NORMS.map((p) => r.separation[p].toFixed(3)).join(' / '))}${cell(String(r.lateStep))}${cell(String(r.steps))}${cell(r.stop)}</tr>`,
  );
  const net = f.runs.net.map((r) =>
    `<tr>${cell(r.seed)}${NET_NORMS.map((p) => cell(Number.isFinite(r.gamma[p]) ? r.gamma[p].toExponential(3) : 'n/a')).join('')}${NET_NORMS.map((p) => cell(Number.isFinite(r.growth[p]) ? `×${r.growth[p].toPrecision(3)}` : 'n/a')).join('')}${NET_NORMS.map((p) => cell(r.pairs ? `${r.decreases[p]}/${r.pairs}` : 'n/a')).join('')}${NET_NORMS.map((p) => cell(r.kkt ? r.kkt[p].r.toFixed(3) : 'n/a')).join('')}${cell(String(r.lateStep))}${cell(r.stop)}</tr>`,
  );
  const summary = (title: string, d: { statement: string; spreads: Record<string, Spread> } | null, norms: readonly string[]) =>
    d ? `<tr>${cell(title)}${norms.map((p) => cell(d.spreads[p] ? `${range(d.spreads[p])} (median ${d.spreads[p].median.toFixed(3)})` : 'n/a')).join('')}${cell(d.statement)}</tr>` : '';
  return `
<h2>Linear battery (exact oracles)</h2>
<table>${head(['seed', 'γ₁/γ*₁', 'γ₂/γ*₂', 'γ∞/γ*∞', 'certified separation ℓ1 / ℓ2 / ℓ∞', 'late at', 'steps', 'stop'])}${lin.join('')}</table>
<h2>Network battery (2-layer ReLU, teacher–student)</h2>
<table>${head(['seed', ...NET_NORMS.map((p) => `γ ${label(p)}`), ...NET_NORMS.map((p) => `γ̃ growth ${label(p)}`), ...NET_NORMS.map((p) => `γ̃ falls ${label(p)}`), ...NET_NORMS.map((p) => `R ${label(p)}`), 'late at', 'stop'])}${net.join('')}</table>
<h2>Summary</h2>
<table>${head(['statistic', 'ℓ1', 'ℓ2', 'ℓ∞', 'spectral', 'statement'])}
${summary('linear γ/γ*', f.linear, [...ORACLE_NORMS, 'spectral'])}
${summary("network γ/γ_reference", f.net, NET_NORMS)}
${summary('network 1 − R (KKT)', f.kkt, NET_NORMS)}
<tr>${cell('network: seeds with γ̃ monotone')}${NET_NORMS.map((p) => cell(`${f.monotone[p].seeds}/${f.monotone[p].of}`)).join('')}${cell('Theorem 3.1: monotone in the algorithm’s own norm')}</tr>
</table>`;
}

function html(r: FingerprintReport): string {
  const f = r.fingerprint;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>margincheck fingerprint: ${escapeHtml(r.optimizer)}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:1em auto;padding:0 1em}table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f4f4f4}code{background:#f4f4f4}</style>
</head><body>
<h1>Fingerprint of <code>${escapeHtml(r.optimizer)}</code></h1>
<p><b>${escapeHtml(f.verdict)}</b></p>
<p>Options ${escapeHtml(JSON.stringify(r.options))}; battery seed ${escapeHtml(r.battery.seed)}; schedule Δq = ${r.battery.schedule.dq.toPrecision(3)} (references ${r.references.schedule.dq}), h_max = ${r.battery.schedule.hMax};
steps ${r.battery.linear.steps} linear / ${r.battery.net.steps} network per run (references ${r.references.linear.steps} / ${r.references.net.steps}); wall time ${r.wallSeconds.toFixed(1)} s.
Optimizers that average past gradients run at Δq = −ln(β)/2 so the average is not dominated by its oldest terms (Adam: β = β1; its second moment's memory, β2, is longer than the budget).
Margins are named by the parameter norm that normalizes them (γ_∞ = q_min/‖θ‖_∞^L). References (calibrated): gd → ℓ2, sign → ℓ∞, coord → ℓ1, spectral → spectral
(on a linear model the spectral norm of the 1×d weight is ℓ2). Red: the optimizer under test.</p>
${charts(r)}
${tables(f)}
</body></html>
`;
}

/** Writes fingerprint-<name>.json and .html into `dir`; returns their paths. */
export function writeFingerprint(dir: string, r: FingerprintReport): { json: string; html: string } {
  const base = `fingerprint-${r.optimizer.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
  const paths = { json: join(dir, `${base}.json`), html: join(dir, `${base}.html`) };
  writeAtomic(paths.json, JSON.stringify(r, jsonValue, 2) + '\n');
  writeAtomic(paths.html, html(r));
  return paths;
}
