/**
 * Loss properties (THEORY §1, §4, §9): the log-domain evaluation equals the direct sum where that
 * is representable, stays finite and accurate for margins up to 1e6, and the soft-margin sandwich
 * γ − log N/‖θ‖^L ≤ γ̃ ≤ γ holds.
 */
import fc from 'fast-check';
import { makeRng } from '../src/core/rng.js';
import { norm2 } from '../src/core/vec.js';
import { getLoss, LOSS_NAMES, type LossName } from '../src/losses/index.js';
import { describeCase, homogeneousNetSpec, netCase, type NetCase } from './arbitraries.js';
import type { PropertySpec } from './outcome.js';
import { EPS } from './roundoff.js';

/** Margins of moderate size (|q| ≤ 30, so e^{−q} and the direct sum are representable). */
const moderateMargins = fc
  .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom<LossName>(...LOSS_NAMES))
  .map(([n, seed, loss]) => ({ loss, q: makeRng(seed).fillGaussian(new Float64Array(n), 10) }));

/**
 * log 𝓛 = log Σ ℓ(q_n) against the direct float64 sum. The direct sum has relative error ≤ (N + 2)ε
 * (N additions, one exp/log1p each), and log of it adds ε·|log 𝓛| + that relative error absolutely.
 */
export const logLossDirectProperty: PropertySpec<{ loss: LossName; q: Float64Array }> = {
  name: 'losses: log 𝓛 = log of the direct sum (sum, not mean)',
  arbitrary: moderateMargins,
  describe: (v) => `${v.loss} q=[${Array.from(v.q, (x) => x.toFixed(3)).join(', ')}]`,
  runs: 300,
  check({ loss, q }) {
    const l = getLoss(loss);
    const direct = q.reduce((s, x) => s + (loss === 'exp' ? Math.exp(-x) : Math.log1p(Math.exp(-x))), 0);
    const tol = (q.length + 4) * EPS + 2 * EPS * Math.abs(Math.log(direct));
    return { ratio: Math.abs(l.logLoss(q) - Math.log(direct)) / tol };
  },
};

/**
 * Huge margins (up to 1e6): log 𝓛 is finite and equals −q_min + log Σ e^{−(q_n − q_min)} to within
 * the rounding of q_min (ε|q_min|) plus the log-sum's (N + 2)ε; the weights sum to 1 and are finite.
 */
export const hugeMarginProperty: PropertySpec<{ loss: LossName; q: Float64Array }> = {
  name: 'losses: finite and accurate for margins up to 1e6',
  arbitrary: fc
    .tuple(moderateMargins, fc.integer({ min: 0, max: 6 }))
    .map(([v, e]) => ({ loss: v.loss, q: v.q.map((x) => Math.abs(x) * 10 ** e + 10 ** e) })),
  describe: (v) => `${v.loss} q_min=${Math.min(...v.q)}`,
  runs: 200,
  check({ loss, q }) {
    const l = getLoss(loss);
    const logL = l.logLoss(q);
    const p = new Float64Array(q.length);
    const logW = l.weights(q, p);
    const qmin = Math.min(...q);
    // Reference: −q_min + log Σ e^{−(q_n − q_min)}. For the logistic loss below q = 36 the direct
    // sum is representable and used instead; above it ℓ(q) = e^{−q}(1 − e^{−q}/2 + …), a relative
    // difference < 1.2e-16, inside the tolerance.
    let s = 0;
    for (const x of q) s += Math.exp(-(x - qmin));
    const reference =
      loss === 'logistic' && qmin < 36 ? Math.log(q.reduce((a, x) => a + Math.log1p(Math.exp(-x)), 0)) : -qmin + Math.log(s);
    const tol = 2 * EPS * Math.abs(qmin) + (q.length + 4) * EPS;
    const sumP = p.reduce((a, b) => a + b, 0);
    const finite = Number.isFinite(logL) && Number.isFinite(logW) && p.every(Number.isFinite);
    const ratio = !finite ? Infinity : Math.max(Math.abs(logL - reference) / tol, Math.abs(sumP - 1) / ((q.length + 2) * EPS));
    return { ratio, tags: qmin > 745 ? ['beyond exp underflow'] : [] };
  },
  required: { 'beyond exp underflow': 20 },
};

/**
 * Sandwich (exponential loss): q_min − log N ≤ log(1/𝓛) ≤ q_min, so dividing by ‖θ‖₂^L gives
 * γ − log N/‖θ‖^L ≤ γ̃ ≤ γ. Checked on the numerators; tolerance: the log-sum-exp error
 * (N + 4)ε + 2ε|q_min|.
 */
export const sandwichProperty: PropertySpec<NetCase> = {
  name: 'losses: sandwich γ − log N/‖θ‖^L ≤ γ̃ ≤ γ',
  arbitrary: netCase(homogeneousNetSpec),
  describe: describeCase,
  runs: 200,
  check(c) {
    const q = c.net.margins(c.theta, c.data);
    const qmin = Math.min(...q);
    const rho = norm2(c.theta) ** c.net.degree!;
    // γ and γ̃ are undefined at θ = 0 (every weight planted to zero): counted, not checked.
    if (rho === 0) return { ratio: 0, tags: ['θ = 0'] };
    const num = getLoss('exp').inverse(getLoss('exp').logLoss(q));
    const tol = ((c.data.n + 4) * EPS + 2 * EPS * Math.abs(qmin)) / rho;
    const gamma = qmin / rho;
    const soft = num / rho;
    const over = Math.max(soft - gamma, gamma - Math.log(c.data.n) / rho - soft, 0);
    return { ratio: over === 0 ? 0 : over / tol };
  },
};

export const LOSS_PROPERTIES: readonly PropertySpec<any>[] = [logLossDirectProperty, hugeMarginProperty, sandwichProperty];
