/** Report blocks shared by the reproductions: claims, runs, engine and package versions. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EngineInfo } from '../core/types.js';
import type { TableCell } from '../report/html.js';
import { fmt, marginSymbol } from '../report/labels.js';
import type { ReportBlock } from '../report/report.js';
import type { Claim, ClaimVerdict } from './claims.js';
import { MARGIN_NORMS, type RunSummary } from './experiment.js';

const VERDICT_COLOR: Readonly<Record<ClaimVerdict, string>> = { holds: '#2e7d32', fails: '#c62828', 'not covered': '#ef6c00', measured: '#1565c0' };

export function claimsTable(claims: readonly Claim[]): ReportBlock {
  return {
    kind: 'table',
    header: ['claim', 'verdict', 'coverage', 'evidence'],
    rows: claims.map((c) => [c.statement, { text: c.verdict, color: VERDICT_COLOR[c.verdict] } satisfies TableCell, c.coverage, c.evidence]),
  };
}

export function runsTable(runs: readonly RunSummary[], prefix: (r: RunSummary, i: number) => string[] = () => [], prefixHeader: string[] = []): ReportBlock {
  const never = (s: number | null) => (s === null ? 'never' : String(s));
  return {
    kind: 'table',
    header: [...prefixHeader, 'algorithm', 'steps', 'separated at', 'late phase at', 'log 𝓛 at end', ...MARGIN_NORMS.map((n) => `${marginSymbol(n)} at end`), 'stop', 'seconds'],
    rows: runs.map((r, i) => [
      ...prefix(r, i),
      r.label,
      String(r.steps),
      never(r.separationStep),
      never(r.lateStep),
      fmt(r.end.logLoss),
      ...MARGIN_NORMS.map((n) => fmt(r.end.gamma[n])),
      r.stop,
      r.seconds.toFixed(1),
    ]),
  };
}

const resolvePackage = createRequire(import.meta.url).resolve;

/** Installed versions of the packages a report depends on ('not installed' when absent). */
export function packageVersions(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  for (const name of names) {
    try {
      const main = resolvePackage(name);
      const root = main.slice(0, main.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}/`.length);
      out[name] = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

export const engineFact = (e: EngineInfo): string =>
  `${e.name} (backend ${e.backend}, unit round-off ${e.unitRoundoff.toExponential(2)})${e.name === 'f64' ? '' : '; every margin judged by the float64 reference'}`;

/** One line per claim for the terminal. */
export const claimLine = (c: Claim): string => `  ${c.verdict.toUpperCase().padEnd(11)} ${c.statement}\n              ${c.coverage}; ${c.evidence}`;
