import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { makeRng } from '../../src/core/rng.js';
import { dot, norm2, normInf } from '../../src/core/vec.js';
import { getLoss } from '../../src/losses/index.js';
import {
  constant,
  lossBased,
  makeOptimizer,
  power,
  relativeArclength,
  takeStep,
  type Schedule,
  type ScheduleContext,
} from '../../src/optimizers/index.js';
import { l2Norm } from '../../src/norms/index.js';
import { toLayout } from '../../properties/norms.js';

const ctx = (step: number, logLoss = 0): ScheduleContext => ({
  step,
  theta: new Float64Array(0),
  logLoss,
  lengthNorm: l2Norm,
  logUnitStep: () => 0,
  direction: new Float64Array(0),
  logMagnitude: 0,
});

describe('learning-rate schedules (log domain)', () => {
  it('constant and power: log η₀ and log η₀ − α log(t + 1)', () => {
    expect(constant({ eta: 0.1 }).logLr(ctx(7))).toBe(Math.log(0.1));
    const p = power({ eta0: 2, alpha: 0.5 });
    expect(p.logLr(ctx(0))).toBe(Math.log(2));
    expect(Math.exp(p.logLr(ctx(99)))).toBeCloseTo(0.2, 14);
  });

  it('loss-based: log η = log α − log 𝓛, finite at log 𝓛 = −2000; reject shrinks α, accept regrows it up to η₀', () => {
    const s = lossBased({ eta0: 1, shrink: 0.5, grow: 1.5 });
    expect(s.logLr(ctx(0, -2000))).toBe(2000);
    s.reject();
    s.reject();
    expect(s.logAlpha).toBeCloseTo(Math.log(0.25), 15);
    s.accept();
    expect(s.logAlpha).toBeCloseTo(Math.log(0.375), 15);
    s.accept();
    s.accept();
    s.accept();
    expect(s.logAlpha).toBe(0);
  });

  const bad: [string, () => Schedule, RegExp][] = [
    ['eta = 0', () => constant({ eta: 0 }), /constant schedule.eta = 0: out of range \(valid: eta > 0\)/],
    ['missing eta', () => constant({}), /constant schedule.eta is required/],
    ['alpha < 0', () => power({ eta0: 1, alpha: -1 }), /power schedule.alpha = -1: out of range \(valid: eta0 > 0, alpha ≥ 0\)/],
    ['shrink = 1', () => lossBased({ eta0: 1, shrink: 1 }), /shrink ∈ \(0, 1\)/],
    ['grow < 1', () => lossBased({ eta0: 1, grow: 0.9 }), /grow ≥ 1/],
    ['h = NaN', () => relativeArclength({ h: NaN }), /h = NaN: out of range \(valid: h > 0\)/],
    ['unknown key', () => constant({ eta: 1, lr: 1 }), /unknown option "lr"/],
  ];
  for (const [what, make, message] of bad) {
    it(`rejects ${what} with an InputError`, () => {
      expect(make).toThrow(InputError);
      expect(make).toThrow(message);
    });
  }
});

describe('takeStep with relative-arclength control (THEORY §5)', () => {
  const layout = toLayout([{ kind: 'matrix', rows: 2, cols: 3 }, { kind: 'vector', rows: 1, cols: 2 }]);
  const rng = makeRng('arclength');
  const theta = rng.fillGaussian(new Float64Array(layout.size));
  const g = rng.fillGaussian(new Float64Array(layout.size));
  g[3] = 0;

  it('sign descent: Δθ = h‖θ‖∞·sign(g) whatever the gradient scale', () => {
    for (const logScale of [-3000, 0, 3000]) {
      const out = new Float64Array(layout.size);
      const opt = makeOptimizer('sign', layout);
      takeStep(opt, relativeArclength({ h: 0.1 }), { negGrad: g, logScale }, null, { step: 0, theta, logLoss: logScale }, out);
      const r = 0.1 * normInf(theta);
      // exp(log h + log‖θ‖ − (log m + log ‖u‖) + log m) with |log m| ≤ 3000 + 3: ≤ 4·3004ε relative.
      out.forEach((v, i) => expect(Math.abs(v - r * Math.sign(g[i]))).toBeLessThanOrEqual(4 * 3004 * Number.EPSILON * r));
    }
  });

  it('an optimizer without a norm (Adam) is measured in ℓ2; a zero gradient gives a zero step', () => {
    const opt = makeOptimizer('adam', layout);
    const out = new Float64Array(layout.size);
    const { logLr } = takeStep(opt, relativeArclength({ h: 0.1 }), { negGrad: g, logScale: -50 }, opt.init(theta), { step: 0, theta, logLoss: -50 }, out);
    expect(norm2(out) / (0.1 * norm2(theta))).toBeCloseTo(1, 12);
    expect(Number.isFinite(logLr)).toBe(true);
    const zero = new Float64Array(layout.size);
    const step = takeStep(opt, relativeArclength({ h: 0.1 }), { negGrad: zero, logScale: -Infinity }, opt.init(theta), { step: 0, theta, logLoss: -50 }, out);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(Number.isFinite(step.logLr)).toBe(true);
  });
});

describe("Adam's ε keeps its meaning in true gradient units (THEORY §3)", () => {
  const layout = toLayout([{ kind: 'vector', rows: 1, cols: 4 }]);
  const g = Float64Array.from([1, -2, 0.5, 0]);
  const theta = new Float64Array(4);
  const first = (logScale: number) => {
    const opt = makeOptimizer('adam', layout, { eps: 1e-8 });
    const out = new Float64Array(4);
    opt.update({ negGrad: g, logScale }, opt.init(theta), { step: 0, theta, logLoss: logScale }, 0, out);
    return out;
  };

  it('√v̂ ≫ ε: sign-like step; √v̂ ≪ ε: gradient-descent-like step g·e^s/ε', () => {
    // Relative deviation from either limit is ≤ ε/|e^s g_i| resp. |e^s g_i|/ε.
    first(0).forEach((v, i) => expect(Math.abs(v - Math.sign(g[i]))).toBeLessThanOrEqual(1e-8 / 0.5));
    const tiny = first(-50);
    tiny.forEach((v, i) => expect(Math.abs(v - (Math.exp(-50) * g[i]) / 1e-8)).toBeLessThanOrEqual(1e-13 * Math.abs(v) + 1e-300));
  });
});

describe('a trajectory loop with loss-based steps and rollback (the protocol documented in schedules.ts)', () => {
  it('an oversized η₀ is rejected and shrunk until steps are accepted; the run then completes and the loss falls', () => {
    const rng = makeRng('loop');
    const [n, d] = [12, 4];
    const layout = toLayout([{ kind: 'vector', rows: 1, cols: d }]);
    const teacher = rng.fillGaussian(new Float64Array(d));
    const x = rng.fillGaussian(new Float64Array(n * d));
    const y = Float64Array.from({ length: n }, (_, i) => Math.sign(dot(teacher, x.subarray(i * d, (i + 1) * d))) || 1);
    const loss = getLoss('exp');
    const margins = (t: Float64Array) => Float64Array.from({ length: n }, (_, i) => y[i] * dot(t, x.subarray(i * d, (i + 1) * d)));
    const opt = makeOptimizer('gd', layout);
    const schedule = lossBased({ eta0: 1e3 });
    let theta = new Float64Array(d);
    let logLoss = loss.logLoss(margins(theta));
    let rejects = 0;
    let step = 0;
    for (let tries = 0; step < 40 && tries < 400; tries++) {
      const q = margins(theta);
      const p = new Float64Array(n);
      const logScale = loss.weights(q, p);
      const negGrad = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) negGrad[j] += p[i] * y[i] * x[i * d + j];
      const delta = new Float64Array(d);
      takeStep(opt, schedule, { negGrad, logScale }, null, { step, theta, logLoss }, delta);
      const next = theta.map((t, j) => t + delta[j]);
      const nextLogLoss = loss.logLoss(margins(next));
      if (!(nextLogLoss <= logLoss)) {
        schedule.reject();
        rejects++;
        continue;
      }
      schedule.accept();
      theta = next;
      logLoss = nextLogLoss;
      step++;
    }
    expect(rejects).toBeGreaterThan(0);
    expect(step).toBe(40);
    expect(logLoss).toBeLessThan(Math.log(n) - 1);
  });
});
