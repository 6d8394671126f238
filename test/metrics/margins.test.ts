/**
 * The margin functions of src/metrics/margins.ts as properties over generated values (THEORY §4,
 * §5, §9): γ = x/ρ^L against a 64-digit BigNumber quotient across the whole float64 range (the
 * direct and the log path), log γ̃ defined exactly where ℓ⁻¹(𝓛) > 0, slack (a) = 0 for one
 * sample (the equality case of ν_W ≥ |ℓ′(φ)|·φ) and blind to +∞ margins.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { getLoss, type Loss } from '../../src/losses/index.js';
import { divideByPower, logSoftMargin, lossToMarginSlack } from '../../src/metrics/margins.js';
import { exactBig } from '../../properties/bignum.js';
import { runProperty, type PropertySpec } from '../../properties/outcome.js';
import { EPS } from '../../properties/roundoff.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

const LOSSES = ['exp', 'logistic'] as const;

interface Quotient {
  readonly x: number;
  readonly rho: number;
  readonly k: number;
}

/**
 * x = ±m·10^a, ρ = r·10^b, k ∈ 1…4, with a chosen so that the quotient's exponent c = a − k·b lies
 * in ±290 when the clamp to ±300 allows it: ρ^k alone then ranges from 10^-1200 to 10^1200, so both
 * the direct path and the log path run.
 */
const quotientArb: fc.Arbitrary<Quotient> = fc
  .record({
    m: fc.double({ min: 1, max: 10, noNaN: true }),
    r: fc.double({ min: 1, max: 10, noNaN: true }),
    b: fc.integer({ min: -300, max: 300 }),
    c: fc.integer({ min: -290, max: 290 }),
    k: fc.integer({ min: 1, max: 4 }),
    negative: fc.boolean(),
  })
  .map(({ m, r, b, c, k, negative }) => {
    const a = Math.max(-300, Math.min(300, c + k * b));
    return { x: (negative ? -m : m) * 10 ** a, rho: r * 10 ** b, k };
  });

/**
 * divideByPower(x, ρ, k) = x/ρ^k, the reference a 64-digit BigNumber quotient of the exact inputs.
 * Tolerance: the direct path rounds ρ^k (Math.pow, ≤ 2 ulp for integer k ≤ 4) and the quotient:
 * 3ε. The log path computes exp(ln|x| − k·ln ρ): each logarithm carries ≤ ε relative error, so the
 * exponent is off by ε(|ln|x|| + k|ln ρ|) + ε|exponent| absolute, which exp turns into the same
 * relative error (+ ε for exp itself). The bound is the sum of both paths' terms, ×2.
 */
const divideByPowerProperty: PropertySpec<Quotient> = {
  name: 'margins: x/ρ^k matches BigNumber over the float64 range (direct and log paths)',
  arbitrary: quotientArb,
  describe: (v) => `x=${v.x} ρ=${v.rho} k=${v.k}`,
  runs: 200,
  check({ x, rho, k }) {
    const power = exactBig(rho).pow(k);
    const ref = Number(exactBig(x).div(power).toString());
    const rk = Number(power.toString());
    const path = Number.isFinite(rk) && rk > 1e-300 ? 'ρ^k normal' : 'ρ^k overflows, underflows or is subnormal';
    if (!(Math.abs(ref) > 1e-300 && Math.abs(ref) < 1e300)) return { ratio: 0, tags: ['quotient outside the normal range'] };
    const exponent = Math.log(Math.abs(x)) - k * Math.log(rho);
    const tol = 2 * (3 * EPS + EPS * (Math.abs(Math.log(Math.abs(x))) + k * Math.abs(Math.log(rho)) + Math.abs(exponent) + 1));
    const got = divideByPower(x, rho, k);
    return { ratio: Math.abs(got - ref) / (tol * Math.abs(ref)), tags: [path], note: `got ${got}, BigNumber ${ref}` };
  },
  required: { 'ρ^k normal': 40, 'ρ^k overflows, underflows or is subnormal': 40 },
};

/**
 * log γ̃ is NaN exactly when ℓ⁻¹(𝓛) ≤ 0 (outside the late phase, THEORY §5), including the
 * boundary itself, and elsewhere equals log ℓ⁻¹(𝓛) − L·log ρ evaluated in 64-digit BigNumber from
 * the float64 ℓ⁻¹(𝓛) (subnormal values of ℓ⁻¹ included: a quotient γ̃ would lose digits there, its
 * logarithm does not). Tolerance: each float64 logarithm is within ε of its value, the product by L
 * and the difference round once more: ε(|log ℓ⁻¹| + 2L|log ρ| + |log γ̃|), ×2.
 */
const logSoftMarginProperty: PropertySpec<{ loss: Loss; logL: number; rho: number; degree: number }> = {
  name: 'margins: log γ̃ is NaN exactly outside the late phase, else log ℓ⁻¹(𝓛) − L log ρ',
  arbitrary: fc.record({
    loss: fc.constantFrom(...LOSSES).map((name) => getLoss(name)),
    offset: fc.oneof(
      { arbitrary: fc.constant(0), weight: 1 },
      { arbitrary: fc.double({ min: -1e-12, max: 1e-12, noNaN: true }), weight: 1 },
      { arbitrary: fc.double({ min: -700, max: -1e-9, noNaN: true }), weight: 4 },
      { arbitrary: fc.double({ min: 1e-9, max: 5, noNaN: true }), weight: 1 },
    ),
    rho: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    degree: fc.integer({ min: 1, max: 4 }),
  }).map(({ loss, offset, rho, degree }) => ({ loss, logL: loss.logLatePhaseThreshold + offset, rho, degree })),
  describe: (v) => `loss=${v.loss.name} log𝓛=${v.logL} ρ=${v.rho} L=${v.degree}`,
  runs: 150,
  check({ loss, logL, rho, degree }) {
    const inverse = loss.inverse(logL);
    const got = logSoftMargin(loss, logL, rho, degree);
    if (!(inverse > 0)) {
      return { ratio: Number.isNaN(got) ? 0 : Infinity, tags: ['outside the late phase', ...(logL === loss.logLatePhaseThreshold ? ['at the threshold'] : [])], note: `log γ̃ = ${got} for ℓ⁻¹ = ${inverse}` };
    }
    const want = Number(exactBig(inverse).ln().minus(exactBig(rho).ln().times(degree)).toString());
    const tol = 2 * EPS * (Math.abs(Math.log(inverse)) + 2 * degree * Math.abs(Math.log(rho)) + Math.abs(want));
    return { ratio: Math.abs(got - want) / tol, tags: ['late phase'], note: `log γ̃ = ${got}, BigNumber ${want}` };
  },
  required: { 'outside the late phase': 20, 'at the threshold': 5, 'late phase': 40 },
};

/**
 * Slack (a) for one sample is 0: W = |ℓ′(q)|, p = (1), φ = ℓ⁻¹(ℓ(q)) = q, so ν_W/(|ℓ′(φ)|·φ) = 1.
 * Tolerance: exp(log W − log|ℓ′(φ)|) carries the absolute errors of both logarithms, ≤ 4ε(q +
 * |log 𝓛|) as relative error, and φ = −log(expm1(𝓛)) the relative error 4ε(1 + |log 𝓛|)/q of its
 * logarithm (q ≥ ½ here, so ≤ 8ε(1 + |log 𝓛|)); ×2 over their sum. The late-phase series of
 * log |ℓ′(φ)| (log 𝓛 − 𝓛/2 for 𝓛 < e^{-20}) is exercised by q ∈ (20, 30), where its 𝓛/2 term is
 * 1e-13…1e-9, far above this bound.
 */
const slackOneSampleProperty: PropertySpec<{ loss: Loss; q: number }> = {
  name: 'margins: slack (a) = 0 for one sample',
  arbitrary: fc.record({
    loss: fc.constantFrom(...LOSSES).map((name) => getLoss(name)),
    q: fc.oneof(fc.double({ min: 0.5, max: 700, noNaN: true }), fc.double({ min: 20, max: 30, noNaN: true })),
  }),
  describe: (v) => `loss=${v.loss.name} q=${v.q}`,
  runs: 150,
  check({ loss, q }) {
    const qs = Float64Array.of(q);
    const p = new Float64Array(1);
    const logW = loss.weights(qs, p);
    const logL = loss.logLoss(qs);
    const slack = lossToMarginSlack(loss, qs, p, logW, logL);
    const tol = 2 * (4 * EPS * (q + Math.abs(logL)) + 8 * EPS * (1 + Math.abs(logL)));
    return { ratio: Math.abs(slack) / tol, tags: [loss.name, ...(q > 20 && q < 30 ? ['q in (20, 30)'] : [])], note: `slack ${slack}` };
  },
  required: { exp: 30, logistic: 30, 'q in (20, 30)': 20 },
};

/**
 * A sample with q = +∞ has weight 0 and adds nothing to 𝓛 (the losses' property): slack (a) with it
 * is bit-for-bit slack (a) without it.
 */
const slackInfinityProperty: PropertySpec<{ loss: Loss; q: number[]; at: number }> = {
  name: 'margins: slack (a) ignores +∞ margins',
  arbitrary: fc.record({
    loss: fc.constantFrom(...LOSSES).map((name) => getLoss(name)),
    q: fc.array(fc.double({ min: 0.5, max: 700, noNaN: true }), { minLength: 1, maxLength: 6 }),
    at: fc.nat(),
  }),
  describe: (v) => `loss=${v.loss.name} q=[${v.q.join(', ')}] +∞ at ${v.at}`,
  runs: 60,
  check({ loss, q, at }) {
    const slackOf = (values: number[]): number => {
      const qs = Float64Array.from(values);
      const p = new Float64Array(qs.length);
      const logW = loss.weights(qs, p);
      return lossToMarginSlack(loss, qs, p, logW, loss.logLoss(qs));
    };
    const withInfinity = [...q];
    withInfinity.splice(at % (q.length + 1), 0, Infinity);
    const a = slackOf(q);
    const b = slackOf(withInfinity);
    return { ratio: Object.is(a, b) ? 0 : Infinity, tags: [loss.name], note: `${a} without, ${b} with +∞` };
  },
  required: { exp: 15, logistic: 15 },
};

describe('margin functions as properties (src/metrics/margins.ts)', () => {
  for (const p of [divideByPowerProperty, logSoftMarginProperty, slackOneSampleProperty, slackInfinityProperty] as PropertySpec<any>[]) {
    it(p.name, () => expectHolds(runProperty(p, { seed: CI_SEED })));
  }
});
