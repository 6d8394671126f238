/**
 * Calibration of the fingerprint (issue 12): under fixed seeds the quick battery identifies
 * GD → ℓ2, sign descent → ℓ∞, coordinate descent → ℓ1, spectral descent → spectral and Adam with
 * β1 = β2 = ε = 0 (exactly normalized sign descent, THEORY §3) → ℓ∞.
 *
 * Linear battery: the verdict must be decided (the identified norm's γ/γ* above every other norm's in
 * every seed) and "maximized" (above 1 − sep/2, the certified separation of the data). Network
 * battery: a reference scores 1 in its own norm by construction, so the claim tested for GD, sign
 * and spectral descent is the calibration itself — each ends with the largest margin of the four
 * references in its own norm on ≥ 2/3 of the seeds (THEORY §11: each algorithm raises its own
 * margin) — and Adam(0, 0, 0) is judged against them. Coordinate descent on the network is
 * reported, not asserted: at the quick budget it separates late or not at all (q_min 3–130 after
 * 2000 steps), so the ℓ1 column often has too few calibrated seeds.
 * Coverage: the decisions themselves require ≥ 2/3 of the seeds in the late phase (COVERAGE), and
 * the linear data's certified separation is checked here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { judge, runBatteries, runReferences, COVERAGE, type Fingerprint, type References } from '../../src/fingerprint/fingerprint.js';
import { batteryOptions } from '../../src/fingerprint/options.js';
import { makeOptimizer } from '../../src/optimizers/index.js';

const base = batteryOptions('quick', '20241029', Infinity);
// KKT residuals are reported by the CLI; the verdicts do not read them.
const o = { ...base, net: { ...base.net, kkt: false } };
let refs: References;
const fp: Record<string, Fingerprint> = {};

beforeAll(() => {
  refs = runReferences(o);
  for (const name of ['gd', 'sign', 'coord', 'spectral']) fp[name] = judge(name, refs.runs[name], refs);
  fp.adam0 = judge('adam0', runBatteries((layout) => makeOptimizer('adam', layout, { beta1: 0, beta2: 0, eps: 0 }), o, refs.cases), refs);
}, 120_000);

describe('fingerprint calibration (quick battery, seed 20241029)', () => {
  it('linear data: the three optima differ by a certified gap in every seed', () => {
    expect(refs.cases.cases).toHaveLength(o.linear.seeds);
    for (const c of refs.cases.cases) expect(c.minSeparation).toBeGreaterThanOrEqual(o.linear.minSeparation);
  });

  it.each([
    ['gd', 'l2'],
    ['sign', 'linf'],
    ['coord', 'l1'],
    ['spectral', 'l2'], // the spectral norm of a 1×d weight is ℓ2
    ['adam0', 'linf'],
  ])('linear battery: %s maximizes %s', (name, norm) => {
    const f = fp[name];
    const late = f.runs.linear.filter((r) => r.lateStep !== null).length;
    expect(late, f.linear.statement).toBeGreaterThanOrEqual(Math.ceil(COVERAGE * f.runs.linear.length));
    expect({ best: f.linear.best, decided: f.linear.decided, maximized: f.linear.maximized }, f.verdict).toEqual({ best: norm, decided: true, maximized: true });
  });

  it.each([['l2'], ['linf'], ['spectral']] as const)('network references: the steepest descent in %s has the largest margin in its own norm', (norm) => {
    const seeds = refs.calibrated[norm].filter(Boolean).length;
    expect(seeds).toBeGreaterThanOrEqual(Math.ceil(COVERAGE * o.net.seeds));
  });

  it.each([
    ['gd', 'l2'],
    ['sign', 'linf'],
    ['spectral', 'spectral'],
    ['adam0', 'linf'],
  ])('network battery: %s closest to %s', (name, norm) => {
    const f = fp[name];
    const late = f.runs.net.filter((r) => r.lateStep !== null && r.pairs > 0).length;
    expect(late, f.net.statement).toBeGreaterThanOrEqual(Math.ceil(COVERAGE * f.runs.net.length));
    expect({ best: f.net.best, decided: f.net.decided }, f.net.statement).toEqual({ best: norm, decided: true });
  });
});
