/**
 * The verdict data every report renders (terminal table, HTML, JSON, JUnit): one Outcome per row of
 * `margincheck verify`. Built by the suites (properties/outcome.ts, the theorem rows); read here.
 *
 * One meaning per verdict, by the kind of row:
 *  - claim rows (an identity or a theorem statement): `holds`, `violated`, or `vacuous` (coverage too low);
 *  - must-find rows (the checker must detect a known failure): `found` or `missed`;
 *  - report rows (a distribution shown, only its well-definedness asserted): `reported`, `violated`
 *    (an ill-defined record) or `vacuous`.
 * One meaning for `worst`: how close the row came to failing, in units of its tolerance — ≤ 1 passes.
 */
import type { Theorem31ChartData } from './series.js';
import type { TrajectorySeries } from './series.js';

export type RowKind = 'claim' | 'must-find' | 'report';
export type Verdict = 'holds' | 'found' | 'reported' | 'violated' | 'missed' | 'vacuous';

/** The verdict that passes, per kind of row. */
export const PASSING: Readonly<Record<RowKind, Verdict>> = { claim: 'holds', 'must-find': 'found', report: 'reported' };

export const passes = (o: Outcome): boolean => o.verdict === PASSING[o.kind];

/**
 * The run that decided a theorem row's `worst` (its closest call), as chart data: a Theorem 3.1
 * check (log γ̃ per Δq level, D, E, verdict) or a run with the KKT residual R at its checkpoints
 * (Theorem 3.8). `run` names the case (its seed and sizes), `measure` = `value` is what made it the
 * closest call. Series are downsampled (series.ts) so that rows stay small over IPC and in JSON.
 */
interface EvidenceBase {
  readonly run: string;
  readonly measure: string;
  readonly value: number;
}
export type RunEvidence =
  | (EvidenceBase & { readonly kind: 'theorem31'; readonly check: Theorem31ChartData })
  | (EvidenceBase & { readonly kind: 'kkt'; readonly series: TrajectorySeries });

export interface Outcome {
  /** The full claim (HTML report, `--full`). */
  readonly property: string;
  /** Short unique name: the table's row label, and the name `--property` replays. */
  readonly label: string;
  readonly kind: RowKind;
  readonly verdict: Verdict;
  readonly runs: number;
  /** How many runs exercised each tagged situation (kink hit, tie, late phase…). */
  readonly coverage: Readonly<Record<string, number>>;
  /** Required minimum per coverage tag (scaled to the profile); below it the verdict is `vacuous`. */
  readonly required: Readonly<Record<string, number>>;
  /** Closest call in units of the tolerance (≤ 1 passes); see the header. */
  readonly worst: number;
  readonly seed: number;
  /** One short phrase for the table's evidence column (what was seen, how strongly). */
  readonly summary: string;
  readonly detail: string;
  /** Shell command that reproduces this row exactly (profile included). */
  readonly replay: string;
  /** Theorem rows: the run behind `worst`, drawn in the HTML report (absent for property rows). */
  readonly evidence?: RunEvidence;
}

export const coverageText = (coverage: Readonly<Record<string, number>>): string =>
  Object.entries(coverage)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** Three significant digits, exponential below 1e-3 and from 1e4 (the verdict table's numbers). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}
