/**
 * Soundness and power of the hunter (THEORY §10), as tests: on homogeneous nets (bias-free MLPs,
 * first-layer bias, diagonal, linear) Theorem 3.1 holds, so the hunter confirms nothing at the budget
 * that finds output-bias counterexamples; with a checker mutant (γ̃ and S taken with the wrong
 * degree L = 4) it must report confirmed "counterexamples" on the same homogeneous nets.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECK } from '../../src/hunt/candidate.js';
import { CONTROL_FAMILIES, HUNT_ALGORITHMS, HUNT_DATA, type Family, type HuntAlgorithm } from '../../src/hunt/families.js';
import { runHunt } from '../../src/hunt/run.js';
import type { HuntConfig } from '../../src/hunt/search.js';
import { CI_BUDGET } from '../support/hunt.js';
import { CI_SEED } from '../support/outcome.js';
/** A run is vacuous below this share of candidates reaching the late phase (THEORY §5 sweeps use 60 %). */
const LATE_PHASE_GATE = 0.6;

const config = (families: readonly Family[], algorithms: readonly HuntAlgorithm[], mutation?: HuntConfig['mutation']): HuntConfig => ({
  families,
  budget: CI_BUDGET,
  seed: String(CI_SEED),
  algorithms,
  data: HUNT_DATA,
  targeted: 0.4,
  shrinkBudget: 3,
  check: DEFAULT_CHECK,
  shard: { index: 0, count: 1 },
  ...(mutation ? { mutation } : {}),
});

describe('hunter soundness and power (THEORY §10)', () => {
  it('confirms nothing on homogeneous controls within the CI budget (coverage: late phase reached)', async () => {
    const o = await runHunt(config(CONTROL_FAMILIES, HUNT_ALGORITHMS), { jobs: 1 });
    const late = o.families.reduce((t, f) => t + f.lateReached, 0);
    const certified = o.families.reduce((t, f) => t + f.certified, 0);
    console.log(`controls: ${o.candidates} candidates, ${late} late phase, ${certified} certified, ${o.found.length} confirmed; ` +
      o.families.map((f) => `${f.family} ${f.certified}/${f.candidates}`).join(', '));
    expect(o.candidates).toBe(CI_BUDGET * CONTROL_FAMILIES.length);
    expect(late, 'vacuous: too few candidates reached the late phase').toBeGreaterThanOrEqual(Math.ceil(LATE_PHASE_GATE * o.candidates));
    expect(o.found.map((e) => `${e.id} ${e.net} ${e.reason}`)).toEqual([]);
  });

  it('mutant: γ̃ with the wrong degree (L = 4) yields confirmed "counterexamples" on homogeneous MLPs', async () => {
    const o = await runHunt(config(['control-mlp'], ['gd'], { degree: 4 }), { jobs: 1 });
    console.log(`wrong-degree mutant: ${o.found.length} confirmed of ${o.candidates}`);
    expect(o.found.length).toBeGreaterThanOrEqual(1);
  });
});
