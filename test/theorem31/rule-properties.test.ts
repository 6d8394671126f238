/**
 * The §5.4–§5.6 rule functions of src/theorems/theorem31.ts as properties over generated values,
 * exact ties included (D = τ, D(coarse)/D(fine) = ratioCut, E = efficiencyCut, flat and repeated
 * drops, NaN): they agree with the rule as THEORY states it (re-derived in
 * properties/verdict-rule.ts), and the closest-call score crosses 1 exactly at `violated`.
 * On real trajectories such ties have probability zero, so only generated values reach them.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runProperty, type PropertySpec } from '../../properties/outcome.js';
import { ruleVerdict } from '../../properties/verdict-rule.js';
import { decreaseStatistic, DEFAULT_THEOREM31, persistentDecrease, refinementVerdict, violationScore } from '../../src/theorems/theorem31.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

const { tau, ratioCut, efficiencyCut } = DEFAULT_THEOREM31;

interface RuleInput {
  readonly dCoarse: number;
  readonly dFine: number;
  readonly efficiency: number;
  readonly gate: boolean;
}

const dArb = fc.oneof(fc.constant(0), fc.constant(tau), fc.integer({ min: 0, max: 5000 }).map((k) => (k / 1000) * tau));
/** D(coarse): D(fine)·ratioCut (the ratio tie), D(fine)·u for u ∈ [0.5, 2] (both sides of the cut), or independent. */
const coarseArb = fc.oneof(
  fc.constant({ kind: 'tie' as const, u: ratioCut }),
  fc.integer({ min: 500, max: 2000 }).map((k) => ({ kind: 'scaled' as const, u: k / 1000 })),
  dArb.map((d) => ({ kind: 'independent' as const, u: d })),
);
const ruleArb: fc.Arbitrary<RuleInput> = fc
  .record({
    dFine: dArb,
    coarse: coarseArb,
    efficiency: fc.oneof(fc.constant(efficiencyCut), fc.constant(NaN), fc.integer({ min: 0, max: 1200 }).map((k) => k / 1000)),
    gate: fc.boolean(),
  })
  .map(({ dFine, coarse, efficiency, gate }) => ({ dFine, dCoarse: coarse.kind === 'independent' ? coarse.u : dFine * coarse.u, efficiency, gate }));

function tiesOf({ dCoarse, dFine, efficiency }: RuleInput): string[] {
  const tags: string[] = [];
  if (dCoarse === tau || dFine === tau) tags.push('D = τ');
  if (dFine > 0 && dCoarse / dFine === ratioCut) tags.push('ratio = cut');
  if (efficiency === efficiencyCut) tags.push('E = cut');
  return tags;
}

/**
 * refinementVerdict and persistentDecrease give the rule's verdict; violationScore > 1 ⟹ violated,
 * violated ⟹ score ≥ 1, and score = 1 with `violated` only through the tie E = efficiencyCut (which
 * the rule counts as violated); the score is 0 without a decrease at the finest level.
 */
const ruleProperty: PropertySpec<RuleInput> = {
  name: 'theorem31: rule functions = THEORY §5.6 at exact ties; the score crosses 1 at violated',
  arbitrary: ruleArb,
  describe: (v) => `D(coarse)=${v.dCoarse} D(fine)=${v.dFine} E=${v.efficiency} gate=${v.gate}`,
  runs: 1000,
  check(v) {
    const expected = ruleVerdict(v.dCoarse, v.dFine, v.efficiency, v.gate);
    const got = refinementVerdict(v.dCoarse, v.dFine, v.efficiency, v.gate, DEFAULT_THEOREM31);
    const persistent = persistentDecrease(v.dCoarse, v.dFine, DEFAULT_THEOREM31);
    const score = violationScore(v.dCoarse, v.dFine, v.efficiency, v.gate, DEFAULT_THEOREM31);
    const violated = expected === 'violated';
    const eTie = v.gate && v.efficiency === efficiencyCut;
    const scoreOk =
      v.dFine > 0
        ? (score > 1 ? violated : true) && (violated ? score >= 1 : true) && (violated && score === 1 ? eTie : true)
        : score === 0;
    const ok = got === expected && persistent === (expected === 'violated' || expected === 'kink-sliding') && scoreOk;
    return { ratio: ok ? 0 : Infinity, tags: [expected, ...tiesOf(v)], note: `verdict ${got} (rule ${expected}), persistent ${persistent}, score ${score}` };
  },
  required: { holds: 10, discretization: 20, 'kink-sliding': 20, violated: 20, 'D = τ': 20, 'ratio = cut': 20, 'E = cut': 20 },
};

/**
 * D = max(0, max_j [v_j − v_{j+1}]) and the worst window is the first j attaining it (−1 when no
 * window decreases, flat windows included); a NaN difference stops the scan at its window with D NaN.
 * Values are drawn from a small set so that flat windows and repeated drops occur.
 */
const decreaseProperty: PropertySpec<number[]> = {
  name: 'theorem31: D and its worst window (first of ties; flat is no decrease; NaN propagates)',
  arbitrary: fc.array(fc.oneof({ arbitrary: fc.constantFrom(0, 0.5, 1, 1.5), weight: 8 }, { arbitrary: fc.constant(NaN), weight: 1 }), { minLength: 1, maxLength: 10 }),
  describe: (v) => `[${v.join(', ')}]`,
  runs: 300,
  check(values) {
    let d = 0;
    let window = -1;
    let nan = -1;
    for (let j = 0; j + 1 < values.length; j++) {
      const drop = values[j] - values[j + 1];
      if (Number.isNaN(drop)) {
        nan = j;
        break;
      }
      if (drop > d) [d, window] = [drop, j];
    }
    const got = decreaseStatistic(values);
    const ok = nan >= 0 ? Number.isNaN(got.d) && got.window === nan : got.d === d && got.window === window;
    const drops = values.slice(1).map((v, j) => values[j] - v);
    const tags = [
      ...(nan >= 0 ? ['NaN'] : []),
      ...(drops.some((x) => x === 0) ? ['flat window'] : []),
      ...(nan < 0 && d > 0 && drops.filter((x) => x === d).length > 1 ? ['tied worst drops'] : []),
      ...(nan < 0 && d === 0 ? ['no decrease'] : []),
    ];
    return { ratio: ok ? 0 : Infinity, tags, note: `got D ${got.d} at ${got.window}, expected ${nan >= 0 ? `NaN at ${nan}` : `${d} at ${window}`}` };
  },
  required: { NaN: 20, 'flat window': 30, 'tied worst drops': 20, 'no decrease': 20 },
};

describe('the §5.6 rule functions as properties', () => {
  for (const p of [ruleProperty, decreaseProperty] as PropertySpec<any>[]) it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
});
