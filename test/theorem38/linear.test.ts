/**
 * Theorem 3.8 on linear models (THEORY §7, §8), CI profile: Gunasekar's runs reach γ_p ≥ 0.99·γ*_p and
 * R_end ≤ 0.02·R_entry within their budgets in ℓ2, ℓ∞ and ℓ1; each algorithm wins its own norm; the
 * runner's R checkpoints obey the §7 bound — and a wrong-norm mutant is caught.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runProperty } from '../../properties/outcome.js';
import { differingOptima } from '../../properties/kkt.js';
import {
  LINEAR_ALGORITHMS,
  LINEAR_INIT,
  linearRow,
  linearSeeds,
  ownNormRow,
  runnerBoundProperty,
  type LinearSeed,
} from '../../properties/theorem38.js';
import { makeRng } from '../../src/core/rng.js';
import { DEFAULT_LINEAR_RUN, linearKktRun } from '../../src/theorems/theorem38.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';
import { buildNet } from '../../src/engines/index.js';

const report = (o: { property: string; coverage: object; detail: string }) => console.log(`${o.property}: ${JSON.stringify(o.coverage)}\n  ${o.detail}`);

describe('Theorem 3.8, linear models (Gunasekar et al., CI profile)', () => {
  let seeds: LinearSeed[];
  beforeAll(() => {
    seeds = linearSeeds('ci', CI_SEED);
  });

  for (const algorithm of LINEAR_ALGORITHMS) {
    it(`${algorithm}: γ ≥ 0.99·γ* and R_end ≤ 0.02·R_entry within the stated budget`, () => {
      const o = linearRow(algorithm, seeds, 'ci', CI_SEED);
      report(o);
      expectHolds(o);
      expect(o.coverage.reached).toBe(seeds.length);
    });
  }

  it('each algorithm has the largest margin in its own norm', () => {
    const o = ownNormRow(seeds, 'ci', CI_SEED);
    report(o);
    expectHolds(o);
  });

  it('runner checkpoints: R ≤ 1 − (γ_p/γ*_p)² (property)', () => expectHolds(runProperty(runnerBoundProperty, { seed: CI_SEED })));

  it("every run's summary follows from its own checkpoints; it stops at the first that meets both targets", () => {
    const o = DEFAULT_LINEAR_RUN;
    let reached = 0;
    let rose = 0;
    for (const s of seeds) {
      for (const r of Object.values(s.runs)) {
        const points = r.points.filter((p) => p.record !== null);
        const records = points.map((p) => p.record!);
        const [entry, last] = [records[0], records[records.length - 1]];
        const where = `${s.label} ${r.norm}`;
        expect(r.checkpoints, where).toBe(Math.max(0, records.length - 1));
        expect(r.rEntry, where).toBe(entry?.rLower ?? NaN);
        expect(r.rEnd, where).toBe(last?.rUpper ?? NaN);
        expect(r.rRatio, where).toBe(entry && last ? last.rUpper / entry.rLower : NaN);
        expect(r.gammaRatio, where).toBe(r.gamma / r.gammaStar);
        const rises = records.slice(1).filter((k, i) => k.rLower > records[i].rUpper + k.rTolerance + records[i].rTolerance).length;
        expect(r.rises, where).toBe(rises);
        rose += rises;
        // The stopping rule, read conservatively: R's upper end now against its lower end at entry,
        // γ = q_min/ρ at the checkpoint against the oracle's certified upper value.
        const meets = points.map((p) => p.record!.rUpper <= o.rTarget * entry.rLower && p.record!.qMin / p.rho >= o.gammaTarget * r.gammaStar);
        expect(r.reached, where).toBe(r.stop === 'target');
        if (r.reached) {
          reached++;
          expect(meets.indexOf(true), where).toBe(meets.length - 1);
        } else expect(meets.includes(true), where).toBe(false);
      }
    }
    console.log(`linear runs: ${reached} reached their targets; R rose at ${rose} checkpoints`);
    expect(reached).toBeGreaterThan(0);
  });
});

describe('mutant: the step taken in the wrong norm is caught', () => {
  it('GD directions with R and γ read in ℓ∞ miss the ℓ∞ targets (R is norm-specific)', () => {
    const c = differingOptima(11);
    const theta0 = buildNet({ kind: 'linear', inputDim: c.data.d }).init(LINEAR_INIT, makeRng(11).child('init'));
    const own = linearKktRun(c.data, 'linf', theta0);
    const budget = { ...DEFAULT_LINEAR_RUN.budget, linf: 40_000 };
    const mutant = linearKktRun(c.data, 'linf', theta0, { budget }, undefined, { stepNorm: 'l2' });
    console.log(`ℓ∞ run: ${own.stop}, R ×${own.rRatio}, γ/γ* ${own.gammaRatio}; GD steps read in ℓ∞: ${mutant.stop}, R ×${mutant.rRatio}, γ/γ* ${mutant.gammaRatio}`);
    expect(own.reached).toBe(true);
    expect(mutant.reached).toBe(false);
    // GD converges to w*_2, whose ℓ∞ residual stays clearly positive (THEORY §7: R_∞(w*_2) ≈ 0.55).
    expect(mutant.rRatio).toBeGreaterThan(10 * DEFAULT_LINEAR_RUN.rTarget);
    expect(mutant.gammaRatio).toBeLessThan(DEFAULT_LINEAR_RUN.gammaTarget);
  });
});
