/**
 * Every §5.6 verdict occurs in generated runs and follows the rule from the run's own evidence
 * (properties/verdict-rule.ts); mutants of the verdict branches are caught on those runs.
 */
import { describe, expect, it } from 'vitest';
import { runProperty } from '../../properties/outcome.js';
import { verdictRuleProperty } from '../../properties/verdict-rule.js';
import type { Theorem31Result } from '../../src/theorems/theorem31.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('Theorem 3.1 verdicts on generated runs (THEORY §5.6)', () => {
  it('each verdict follows the rule; holds, discretization, kink-sliding and violated all occur', () => {
    const o = runProperty(verdictRuleProperty(), { seed: CI_SEED });
    console.log(`verdicts: ${JSON.stringify(o.coverage)}`);
    expectHolds(o);
    for (const v of ['holds', 'discretization', 'kink-sliding', 'violated']) expect(o.coverage[v]).toBeGreaterThanOrEqual(1);
  });

  const mutants: Record<string, (r: Theorem31Result) => Theorem31Result['verdict']> = {
    'no E gate (kink sliding reported as violated)': (r) => (r.verdict === 'kink-sliding' ? 'violated' : r.verdict),
    'a decrease that shrinks with refinement reported as holds': (r) => (r.verdict === 'discretization' ? 'holds' : r.verdict),
    'a persistent decrease with E ≥ 0.95 reported as kink sliding': (r) => (r.verdict === 'violated' && r.gate ? 'kink-sliding' : r.verdict),
  };
  for (const [name, mutant] of Object.entries(mutants)) {
    it(`mutant caught: ${name}`, () => {
      const o = runProperty(verdictRuleProperty(mutant), { seed: CI_SEED });
      console.log(`${name}: ${o.verdict} — ${o.detail}`);
      expect(o.verdict).toBe('violated');
    });
  }
});
