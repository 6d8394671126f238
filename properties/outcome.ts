/**
 * Running a property outside any test runner: fast-check's `check` with a fixed seed, coverage
 * counters (a property that never exercises its claim is reported `vacuous`, not `holds`), the
 * worst residual in units of its tolerance, and a replay command for every failure.
 * The same outcomes feed vitest (test/) and `margincheck verify` (src/cli).
 */
import fc from 'fast-check';

export type Profile = 'quick' | 'ci' | 'thorough';
export const PROFILES: readonly Profile[] = ['quick', 'ci', 'thorough'];

/** Runs per profile relative to a property's CI count. */
export const PROFILE_FACTOR: Record<Profile, number> = { quick: 0.25, ci: 1, thorough: 4 };

export type Verdict = 'holds' | 'violated' | 'vacuous';

export interface Outcome {
  readonly property: string;
  readonly verdict: Verdict;
  readonly runs: number;
  /** How many runs exercised each tagged situation (kink hit, tie, late phase…). */
  readonly coverage: Readonly<Record<string, number>>;
  /** Required minimum per coverage tag (scaled to the profile); below it the verdict is `vacuous`. */
  readonly required: Readonly<Record<string, number>>;
  /** Worst residual / tolerance over the runs (≤ 1 means within tolerance). */
  readonly worst: number;
  readonly seed: number;
  readonly detail: string;
  /** Shell command that replays the failure (or the whole run). */
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
  readonly arbitrary: fc.Arbitrary<T>;
  readonly check: (value: T) => Check;
  readonly describe?: (value: T) => string;
  /** Runs in the CI profile (scaled by PROFILE_FACTOR, at least 5). */
  readonly runs: number;
  /** Minimum count per coverage tag at the CI run count; fewer makes the outcome `vacuous`. */
  readonly required?: Readonly<Record<string, number>>;
  /**
   * For must-find properties: the claim is that SOME generated case breaks the identity
   * (ratio > 1). Then `holds` means a case was found (and shrunk), `violated` that none was.
   */
  readonly mustFind?: boolean;
}

export function replayCommand(name: string, seed: number, path?: string): string {
  return `npx margincheck verify --property ${JSON.stringify(name)} --seed ${seed}${path ? ` --path ${path}` : ''}`;
}

export function runProperty<T>(
  spec: PropertySpec<T>,
  opts: { seed: number; profile?: Profile; path?: string },
): Outcome {
  const factor = PROFILE_FACTOR[opts.profile ?? 'ci'];
  const numRuns = Math.max(5, Math.round(spec.runs * factor));
  // Coverage minima are stated for the CI run count and scale with the profile.
  const required = Object.fromEntries(Object.entries(spec.required ?? {}).map(([tag, min]) => [tag, Math.max(Math.min(min, 1), Math.floor(min * factor))]));
  const coverage: Record<string, number> = {};
  for (const tag of Object.keys(required)) coverage[tag] = 0;
  let worst = 0;
  let counted = 0;
  let failing = false;
  const property = fc.property(spec.arbitrary, (value) => {
    const result = spec.check(value);
    if (!failing) {
      // Count coverage and the worst ratio over the generated runs only (not shrink steps).
      counted++;
      for (const tag of result.tags ?? []) coverage[tag] = (coverage[tag] ?? 0) + 1;
      worst = Math.max(worst, Number.isNaN(result.ratio) ? Infinity : result.ratio);
    }
    const broken = !(result.ratio <= 1);
    if (broken) {
      failing = true;
      throw new Error(`residual = ${fmt(result.ratio)} × tolerance${result.note ? `; ${result.note}` : ''}`);
    }
    return true;
  });
  const details = fc.check(property, { seed: opts.seed, numRuns, path: opts.path, endOnFailure: false });
  const base = {
    property: spec.name,
    runs: counted,
    coverage,
    required,
    seed: opts.seed,
  };
  if (details.failed) {
    const shown = details.counterexample ? (spec.describe ? spec.describe(details.counterexample[0]) : fc.stringify(details.counterexample[0])) : '?';
    const msg = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const replay = replayCommand(spec.name, details.seed, details.counterexamplePath ?? undefined);
    if (spec.mustFind) {
      return { ...base, verdict: 'holds', worst, detail: `found (shrunk): ${shown}: ${msg}`, replay };
    }
    return { ...base, verdict: 'violated', worst, detail: `counterexample (shrunk): ${shown}: ${msg}`, replay };
  }
  if (spec.mustFind) {
    return { ...base, verdict: 'violated', worst, detail: `no breaking case in ${counted} runs`, replay: replayCommand(spec.name, opts.seed) };
  }
  // A replay (--path) re-runs the few cases on its path: coverage minima are a sweep's, not a replay's.
  const short = opts.path ? [] : Object.entries(required).filter(([tag, min]) => (coverage[tag] ?? 0) < min);
  if (short.length > 0) {
    const what = short.map(([tag, min]) => `${tag}: ${coverage[tag] ?? 0} < ${min}`).join(', ');
    return { ...base, verdict: 'vacuous', worst, detail: `coverage too low (${what})`, replay: replayCommand(spec.name, opts.seed) };
  }
  const tagged = Object.entries(coverage)
    .filter(([, k]) => k > 0)
    .map(([tag, k]) => `${tag} ${k}`)
    .join(', ');
  const what = opts.path ? `replayed ${counted} case(s)${tagged ? ` (${tagged})` : ''}: ` : '';
  return { ...base, verdict: 'holds', worst, detail: `${what}worst residual ${fmt(worst)} × tolerance`, replay: replayCommand(spec.name, opts.seed) };
}

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
