/**
 * Which norm an optimizer comes closest to maximizing, with a confidence statement: a norm is named
 * only when its whole spread across seeds lies above every other norm's spread; when spreads overlap
 * the answer is "undecided" (never a coin flip on medians).
 */
import { normLabel as label } from '../report/labels.js';

export { label };

export interface Spread {
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface Decision {
  /** The norm with the largest median score (null without coverage). */
  readonly best: string | null;
  /** The runner-up by median. */
  readonly second: string | null;
  /** best's minimum above every other norm's maximum, with enough seeds. */
  readonly decided: boolean;
  readonly spreads: Readonly<Record<string, Spread>>;
  readonly statement: string;
}


export function spreadOf(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { count: 0, min: NaN, median: NaN, max: NaN };
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { count: v.length, min: v[0], median, max: v[v.length - 1] };
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
export const range = (s: Spread) => (s.count === 0 ? 'n/a' : s.min === s.max ? f3(s.min) : `${f3(s.min)}–${f3(s.max)}`);

/**
 * `scores[p]`: one score per seed (higher = closer to maximizing p's margin; NaN = the seed gave no
 * value). Norms with fewer than `need` scored seeds take no part (named in the statement); with
 * fewer than two norms left the answer is undecided for lack of coverage.
 */
export function decide(scores: Readonly<Record<string, readonly number[]>>, need: number, what: string): Decision {
  const spreads = Object.fromEntries(Object.entries(scores).map(([p, v]) => [p, spreadOf(v)]));
  const ranked = Object.keys(spreads)
    .filter((p) => spreads[p].count >= need)
    .sort((a, b) => spreads[b].median - spreads[a].median);
  const missing = Object.keys(spreads).filter((p) => spreads[p].count < need);
  const note = missing.length ? ` (${missing.map(label).join(', ')}: fewer than ${need} seeds scored)` : '';
  if (ranked.length < 2) {
    return { best: null, second: null, decided: false, spreads, statement: `undecided: fewer than ${need} seeds with ${what} in at least two norms${note}` };
  }
  const [best, second] = ranked;
  const rivalMax = Math.max(...ranked.slice(1).map((p) => spreads[p].max));
  const decided = spreads[best].min > rivalMax;
  const b = spreads[best];
  const s = spreads[second];
  const statement = decided
    ? `${label(best)}: ${what} ${range(b)} over ${b.count} seeds, every seed above ${label(second)}'s ${range(s)}`
    : `undecided between ${label(best)} (${range(b)}) and ${label(second)} (${range(s)}): spreads overlap`;
  return { best, second, decided, spreads, statement: statement + note };
}
