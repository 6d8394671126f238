/**
 * From a `violated` screen to a counterexample (THEORY §10): the decrease must
 *   1. persist at one extra finer level — the ladder Δq ∈ {0.2, 0.1, 0.05, 0.025} gives `violated` by
 *      the §5.6 rule on its two finest levels AND on the standard pair (0.1, 0.05);
 *   2. come from the float64 engine (the hunter builds every net on f64, the reference of THEORY §9);
 *   3. replay bit-for-bit from the stored record: the record is serialized to JSON, parsed back, and
 *      the check re-run from the parsed copy must give identical D per level and γ̃ curves.
 * Minimization (fast-check shrinking from the candidate's path, knobs fixed) then keeps the smallest
 * depth, width, N, d and |log init scale| that still passes 1.
 */
import fc from 'fast-check';
import { InputError } from '../core/errors.js';
import { DEFAULT_THEOREM31, refinementVerdict, type Theorem31Mutation, type Theorem31Result } from '../theorems/theorem31.js';
import { checkCandidate, CONFIRM_LADDER, type Candidate, type CheckSettings } from './candidate.js';
import { structureArbitrary, type HuntAlgorithm, type HuntData, type Structure } from './families.js';
import type { CorpusEntry, LevelRecord } from './corpus.js';

export interface Evidence {
  readonly result: Theorem31Result;
  readonly levels: readonly LevelRecord[];
}

function levelRecords(result: Theorem31Result): LevelRecord[] {
  return result.levels.map((l) => ({ dq: l.dq, d: l.d, e: l.efficiency, steps: l.steps, s: [...l.grid], logGamma: [...l.logSoft] }));
}

/** Step 1 of the confirmation: violated on the extended ladder's finest pair and on the standard pair. */
export function persistentViolation(c: Candidate, settings: CheckSettings, mutation: Theorem31Mutation = {}): Evidence | null {
  let result: Theorem31Result;
  try {
    result = checkCandidate(c, settings, CONFIRM_LADDER, mutation).result;
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
  if (result.verdict !== 'violated') return null;
  const [, d01, d005] = result.levels;
  // The E gate as checkTheorem31 applies it: every algorithm norm but ℓ2 (THEORY §5.6).
  if (refinementVerdict(d01.d, d005.d, d005.efficiency, result.norm !== 'l2', DEFAULT_THEOREM31) !== 'violated') return null;
  return { result, levels: levelRecords(result) };
}

/** Exact equality of two level records (D, E, steps, grid and γ̃ curve), NaN equal to NaN. */
export function sameLevels(a: readonly LevelRecord[], b: readonly LevelRecord[]): boolean {
  const same = (x: number, y: number) => Object.is(x, y);
  const arr = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => same(v, y[i]));
  return (
    a.length === b.length &&
    a.every((l, i) => same(l.dq, b[i].dq) && same(l.d, b[i].d) && same(l.e, b[i].e) && l.steps === b[i].steps && arr(l.s, b[i].s) && arr(l.logGamma, b[i].logGamma))
  );
}

/** Step 3: re-run from a JSON round trip of the stored candidate; true iff identical evidence. */
export function replaysExactly(entry: Pick<CorpusEntry, 'candidate' | 'check' | 'levels'>, mutation: Theorem31Mutation = {}): boolean {
  const parsed = JSON.parse(JSON.stringify({ candidate: entry.candidate, check: entry.check })) as Pick<CorpusEntry, 'candidate' | 'check'>;
  const again = persistentViolation(parsed.candidate, parsed.check, mutation);
  return again !== null && sameLevels(again.levels, entry.levels);
}

export interface Minimized {
  readonly candidate: Candidate;
  readonly evidence: Evidence;
  /** fast-check path of the minimal structure (under the family's fast-check seed). */
  readonly path: string;
  /** Shrink attempts that ran the confirmation check. */
  readonly attempts: number;
}

/**
 * Shrinks the structure at fast-check `path` (knobs fixed) while step 1 of the confirmation holds,
 * spending at most `budget` confirmation checks (then fast-check sees passes and stops descending).
 */
export function minimize(
  start: { candidate: Candidate; evidence: Evidence; path: string },
  fcSeed: number,
  algorithms: readonly HuntAlgorithm[],
  data: readonly HuntData[],
  settings: CheckSettings,
  budget: number,
  mutation: Theorem31Mutation = {},
): Minimized {
  let best: Minimized = { ...start, attempts: 0 };
  let attempts = 0;
  const arb = structureArbitrary(start.candidate.structure.family, algorithms, data);
  const details = fc.check(
    fc.property(arb, (s: Structure) => {
      if (attempts >= budget) return true;
      attempts++;
      const candidate = { structure: s, knobs: start.candidate.knobs };
      const evidence = persistentViolation(candidate, settings, mutation);
      if (evidence) best = { candidate, evidence, path: best.path, attempts };
      return evidence === null;
    }),
    { seed: fcSeed, path: start.path, numRuns: 1 },
  );
  const path = details.failed && details.counterexamplePath ? details.counterexamplePath : start.path;
  return { ...best, path, attempts };
}
