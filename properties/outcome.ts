/**
 * Running a property outside any test runner: fast-check's `check` with a fixed seed, coverage
 * counters (a property that never exercises its claim is reported `vacuous`, not `holds`), the
 * closest call in units of its tolerance, and a replay command for every row.
 * The same outcomes feed vitest (test/) and `margincheck verify` (src/cli).
 *
 * One meaning per verdict, by the kind of row:
 *  - claim rows (an identity or a theorem statement): `holds`, `violated`, or `vacuous` (coverage too low);
 *  - must-find rows (the checker must detect a known failure): `found` or `missed`;
 *  - report rows (a distribution shown, only its well-definedness asserted): `reported`, `violated`
 *    (an ill-defined record) or `vacuous`.
 * One meaning for `worst`: how close the row came to failing, in units of its tolerance — ≤ 1 passes.
 * For a claim it is the largest residual/tolerance over all runs (also when it holds); for a
 * must-find row it is tolerance/strength of the find (a find 10¹³ × its tolerance gives 1e-13).
 */
import fc from 'fast-check';
import { PROFILE_FACTOR, type Profile } from './profiles.js';

export { PROFILE_FACTOR, PROFILES, type Profile } from './profiles.js';

export type RowKind = 'claim' | 'must-find' | 'report';
export type Verdict = 'holds' | 'found' | 'reported' | 'violated' | 'missed' | 'vacuous';

/** The verdict that passes, per kind of row. */
export const PASSING: Readonly<Record<RowKind, Verdict>> = { claim: 'holds', 'must-find': 'found', report: 'reported' };

export const passes = (o: Outcome): boolean => o.verdict === PASSING[o.kind];

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
}

/** What one run of a predicate reports: residual in tolerance units, and coverage tags. */
export interface Check {
  readonly ratio: number;
  readonly tags?: readonly string[];
  /** Extra words for the failure message. */
  readonly note?: string;
}

export interface PropertySpec<T> {
  readonly name: string;
  /** Short row label (≤ 34 characters); defaults to `name`. */
  readonly label?: string;
  readonly arbitrary: fc.Arbitrary<T>;
  readonly check: (value: T) => Check;
  readonly describe?: (value: T) => string;
  /** Runs in the CI profile (scaled by PROFILE_FACTOR, at least 5). */
  readonly runs: number;
  /**
   * Fewest runs in any profile, for a property whose coverage gate needs a sample of that size
   * whatever the profile (the verdict-rule property must see every verdict).
   */
  readonly minRuns?: number;
  /** Minimum count per coverage tag at the CI run count; fewer makes the outcome `vacuous`. */
  readonly required?: Readonly<Record<string, number>>;
  /**
   * For must-find properties: the claim is that SOME generated case breaks the identity
   * (ratio > 1). Then `found` means a case was found (and shrunk), `missed` that none was.
   */
  readonly mustFind?: boolean;
}

/** A row computed by a batch of runs (theorem suites), replayable by its label alone. */
export interface BatchRow {
  readonly label: string;
  readonly run: (profile: Profile, seed: number) => Outcome;
}

export const labelOf = (spec: Pick<PropertySpec<unknown>, 'name' | 'label'>): string => spec.label ?? spec.name;

export function replayCommand(label: string, profile: Profile, seed: number, path?: string): string {
  return `npx margincheck verify --property ${JSON.stringify(label)} --profile ${profile} --seed ${seed}${path ? ` --path ${path}` : ''}`;
}

/** Run count of a property in a profile. */
export const profileRuns = (ci: number, profile: Profile): number => Math.max(5, Math.round(ci * PROFILE_FACTOR[profile]));

/**
 * Runs one property. With `path` (a fast-check counterexample path from a replay command) only that
 * case and its shrinks run: the verdict then judges the residual alone, not the coverage gate.
 */
export function runProperty<T>(spec: PropertySpec<T>, opts: { seed: number; profile?: Profile; path?: string }): Outcome {
  const profile = opts.profile ?? 'ci';
  const factor = PROFILE_FACTOR[profile];
  const numRuns = Math.max(spec.minRuns ?? 0, profileRuns(spec.runs, profile));
  // Coverage minima are stated for the CI run count and scale with the profile.
  const required = opts.path
    ? {}
    : Object.fromEntries(Object.entries(spec.required ?? {}).map(([tag, min]) => [tag, Math.max(Math.min(min, 1), Math.floor(min * factor))]));
  const coverage: Record<string, number> = {};
  for (const tag of Object.keys(required)) coverage[tag] = 0;
  let largest = 0;
  let counted = 0;
  let failing = false;
  let lastFailure = NaN;
  const property = fc.property(spec.arbitrary, (value) => {
    const result = spec.check(value);
    const ratio = Number.isNaN(result.ratio) ? Infinity : result.ratio;
    if (!failing) {
      // Count coverage and the largest ratio over the generated runs only (not shrink steps).
      counted++;
      for (const tag of result.tags ?? []) coverage[tag] = (coverage[tag] ?? 0) + 1;
      largest = Math.max(largest, ratio);
    }
    if (!(ratio <= 1)) {
      failing = true;
      // fast-check's final counterexample is the last case that failed.
      lastFailure = ratio;
      throw new Error(`residual = ${fmt(ratio)} × tolerance${result.note ? `; ${result.note}` : ''}`);
    }
    return true;
  });
  const details = fc.check(property, { seed: opts.seed, numRuns, path: opts.path, endOnFailure: false });
  const label = labelOf(spec);
  const base = { property: spec.name, label, runs: counted, coverage, required, seed: opts.seed };
  const replayAt = (path?: string) => replayCommand(label, profile, opts.seed, path);
  if (details.failed) {
    const shown = details.counterexample ? (spec.describe ? spec.describe(details.counterexample[0]) : fc.stringify(details.counterexample[0])) : '?';
    const msg = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const replay = replayAt(details.counterexamplePath ?? undefined);
    if (spec.mustFind) {
      return {
        ...base,
        kind: 'must-find',
        verdict: 'found',
        worst: 1 / lastFailure,
        summary: `found: ${fmt(lastFailure)} × tol (shrunk)`,
        detail: `found (shrunk): ${shown}: ${msg}`,
        replay,
      };
    }
    return { ...base, kind: 'claim', verdict: 'violated', worst: largest, summary: `${fmt(largest)} × tol`, detail: `counterexample (shrunk): ${shown}: ${msg}`, replay };
  }
  if (spec.mustFind) {
    // The closest any run came to breaking the identity: 1/largest (> 1: nothing found).
    return {
      ...base,
      kind: 'must-find',
      verdict: 'missed',
      worst: largest > 0 ? 1 / largest : Infinity,
      summary: `none in ${counted} runs`,
      detail: `no breaking case in ${counted} runs (largest residual ${fmt(largest)} × tolerance)`,
      replay: replayAt(opts.path),
    };
  }
  const claim = { ...base, kind: 'claim' as const, worst: largest, summary: coverageText(coverage) || `${counted} runs`, replay: replayAt(opts.path) };
  const short = Object.entries(required).filter(([tag, min]) => (coverage[tag] ?? 0) < min);
  if (short.length > 0) {
    const what = short.map(([tag, min]) => `${tag}: ${coverage[tag] ?? 0} < ${min}`).join(', ');
    return { ...claim, verdict: 'vacuous', detail: `coverage too low (${what})` };
  }
  const what = opts.path ? `replayed ${counted} case(s)${claim.summary ? ` (${claim.summary})` : ''}: ` : '';
  return { ...claim, verdict: 'holds', detail: `${what}worst residual ${fmt(largest)} × tolerance` };
}

export const coverageText = (coverage: Readonly<Record<string, number>>): string =>
  Object.entries(coverage)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

/** Linear interpolation quantile of sorted values (type 7); NaN for none. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
