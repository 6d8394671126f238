/**
 * The package surface from the inside: the user optimizer contract, the vitest matchers (passing and
 * failing, with their evidence and replay lines) and the JUnit rendering. The packed tarball itself
 * is tested in tarball.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildNet, constant, InputError, runTrajectory, validateOptimizerModule, type GradFrame, type Layout } from '../../src/index.js';
import { buildCase, type RunCase } from '../../src/arbitraries.js';
import { marginMatchers } from '../../src/vitest.js';
import { renderJunit } from '../../src/report/junit.js';
import type { Outcome } from '../../properties/outcome.js';

const relu = { kind: 'relu' } as const;
const layout: Layout = buildNet({ kind: 'mlp', inputDim: 3, widths: [4], activation: relu }).layout;

/** Normalized sign descent in the contract's shape (the README's example). */
const signModule = {
  name: 'my-sign',
  norm: 'linf',
  init: () => null,
  update(frame: GradFrame, state: null, _ctx: unknown, logLr: number, out: Float64Array) {
    const eta = Math.exp(logLr);
    for (let i = 0; i < out.length; i++) out[i] = eta * Math.sign(frame.negGrad[i]);
    return state;
  },
};

describe('validateOptimizerModule', () => {
  it('accepts a contract module (also as a default export) and runs it in a trajectory', () => {
    const opt = validateOptimizerModule(signModule, layout);
    expect(opt.name).toBe('my-sign');
    expect(opt.norm?.name).toBe('linf');
    expect(validateOptimizerModule({ default: signModule }, layout).name).toBe('my-sign');
    const c = buildCase({ arch: 'relu2', algorithm: 'sign', data: 'clusters', seed: '1', n: 8, d: 3, width: 4, initScale: 0.5 });
    const user = runTrajectory({ net: c.net, data: c.data, optimizer: validateOptimizerModule(signModule, c.net.layout), schedule: constant({ eta: 0.05 }), init: c.theta, budget: { steps: 200 } });
    expect(user.steps).toBe(200);
    expect(user.checkpoints.at(-1)!.logLoss).toBeLessThan(user.checkpoints[0].logLoss);
  });

  const broken: [string, unknown, RegExp][] = [
    ['not a module', 42, /not a module \(got 42\)/],
    ['no update', { init: () => null }, /export `update` is missing \(the contract: init\(theta, layout\) and update/],
    ['update not a function', { init: () => null, update: 3 }, /export `update` is 3, not a function/],
    ['unknown norm', { ...signModule, norm: 'l7' }, /norm "l7" threw: .*unknown norm/],
    ['a throw', { ...signModule, update: () => { throw new Error('boom'); } }, /update\(frame, state, ctx, logLr = 0, out\) threw: boom/],
    ['an unwritten coordinate', { ...signModule, update: (_f: GradFrame, s: null, _c: unknown, _l: number, out: Float64Array) => { out[0] = 1; return s; } }, /left out\[1\] = NaN: Δθ must be written, finite/],
    ['ignoring η', { ...signModule, update: (f: GradFrame, s: null, _c: unknown, _l: number, out: Float64Array) => { out.set(f.negGrad.map(Math.sign)); return s; } }, /doubling η changed out\[0\] .* not twice it/],
    ['a mutated input', { ...signModule, update: (f: GradFrame, s: null, _c: unknown, _l: number, out: Float64Array) => { f.negGrad[0] = 0; out.fill(0); return s; } }, /changed frame.negGrad: inputs must not be mutated/],
    ['a mutated state', { ...signModule, init: () => ({ t: 0 }), update: (_f: GradFrame, s: { t: number }, _c: unknown, _l: number, out: Float64Array) => { s.t++; out.fill(s.t); return s; } }, /same state gave out\[0\] = 1, then 2: update must not mutate its state/],
    ['an overflow in the late phase', { ...signModule, update: (f: GradFrame, s: null, _c: unknown, l: number, out: Float64Array) => { for (let i = 0; i < out.length; i++) out[i] = (Math.exp(l + f.logScale) * f.negGrad[i]) / Math.exp(f.logScale); return s; } }, /late-phase frame \(logScale = −10⁴\) left out\[0\] = NaN/],
    ['no return value', { ...signModule, init: () => ({}), update: (_f: GradFrame, _s: unknown, _c: unknown, _l: number, out: Float64Array) => { out.fill(0); } }, /returned undefined: update must return the next state/],
  ];
  it.each(broken)('rejects %s with one line naming it', (_what, mod, message) => {
    let error: unknown;
    try {
      validateOptimizerModule(mod, layout, 'my-opt.js');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^my-opt\.js: /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('margincheck/vitest matchers', () => {
  // Without `expect.extend` registration the matchers are plain functions: call them for the messages.
  const failMessage = (r: { pass: boolean; message: () => string }) => (expect(r.pass).toBe(false), r.message());

  it('toBeHomogeneous: declared, found and refuted degrees', () => {
    expect(buildNet({ kind: 'mlp', inputDim: 3, widths: [5, 4], activation: relu })).toBeHomogeneous();
    expect({ kind: 'diagonal', inputDim: 3, depth: 3 }).toBeHomogeneous({ probes: 4 });
    const outputBias = { kind: 'mlp' as const, inputDim: 3, widths: [4], activation: relu, bias: { output: true } };
    expect(outputBias).not.toBeHomogeneous();
    const msg = failMessage(marginMatchers.toBeHomogeneous(outputBias));
    expect(msg).toMatch(/to be homogeneous with no L in 1\.\.4 \(net\.degree = null\)/);
    expect(msg).toMatch(/× tolerance/);
    expect(msg).toMatch(/replay: expect\(buildNet\(\{"kind":"mlp".*\}\)\)\.toBeHomogeneous\(\{"degree":1,"seed":\d+,"probes":1,"samples":16\}\)/);
    const wrong = failMessage(marginMatchers.toBeHomogeneous({ kind: 'linear', inputDim: 3 }, { degree: 2 }));
    expect(wrong).toMatch(/L = 2 \(given\)/);
  });

  const gd: RunCase = { arch: 'relu2', algorithm: 'gd', data: 'clusters', seed: '1', n: 8, d: 3, width: 4, initScale: 0.5 };

  it('toHoldTheorem31 and toApproachKkt on a run case, with evidence and replay', () => {
    expect(gd).toHoldTheorem31();
    expect(gd).toApproachKkt({ norm: 'l2', below: 0.05 });
    const kkt = failMessage(marginMatchers.toApproachKkt(gd, { norm: 'l2', below: 1e-9 }));
    expect(kkt).toMatch(/R_end ≤ .* is not ≤ 1e-9/);
    expect(kkt).toMatch(/R \(l2\): start .* → end .*, R_end\/R_start ≤ /);
    expect(kkt).toContain(`replay: expect(${JSON.stringify(gd)}).toApproachKkt({"norm":"l2","below":1e-9})`);
    expect(failMessage(marginMatchers.toApproachKkt(gd, { norm: 'linf' }))).toMatch(/R is in l2, not linf/);
    const strict = failMessage(marginMatchers.toHoldTheorem31(gd, { options: { prePhase: { norm: 'l2', dq: 0.2, band: 25, maxSteps: 1 } } }));
    expect(strict).toMatch(/verdict INCONCLUSIVE .*no late phase/);
    expect(strict).toMatch(/not certified/);
  });

  it('reject values they cannot check', () => {
    expect(failMessage(marginMatchers.toHoldTheorem31(3))).toMatch(/expects a RunCase, a Theorem31Case or a Theorem31Result, got 3/);
    expect(failMessage(marginMatchers.toBeHomogeneous('mlp'))).toMatch(/expects a Net or a NetSpec/);
  });
});

describe('verify --junit rendering', () => {
  const row = (over: Partial<Outcome>): Outcome => ({
    property: 'p',
    label: 'p',
    kind: 'claim',
    verdict: 'holds',
    runs: 10,
    coverage: { 'late phase': 7 },
    required: { 'late phase': 6 },
    worst: 0.25,
    seed: 5,
    summary: 'late phase 7',
    detail: 'worst residual 0.25 × tolerance',
    replay: 'npx margincheck verify --property "p" --seed 5',
    ...over,
  });
  it('one test case per row, failures with evidence, XML escaped', () => {
    const xml = renderJunit(
      [
        { id: 'homogeneity', title: 'H', seconds: 1.5, rows: [row({}), row({ property: 'f(cθ) < "c" & \u0001', verdict: 'violated', worst: 3, detail: 'counterexample <x>' })] },
        { id: 'kkt', title: 'K', seconds: 0.5, rows: [row({ verdict: 'vacuous', detail: 'coverage too low' })] },
      ],
      { profile: 'quick', seed: 5 },
    );
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="margincheck verify (profile quick, seed 5)" tests="3" failures="2" errors="0" time="2.000">')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('<testsuite name="homogeneity" tests="2" failures="1" errors="0" skipped="0" time="1.500">');
    expect(xml).toContain('name="f(cθ) &lt; &quot;c&quot; &amp; "');
    expect(xml).toContain('<failure type="violated" message="VIOLATED: counterexample &lt;x&gt;">VIOLATED: counterexample &lt;x&gt;\n10 runs (seed 5), worst residual 3.00 × tolerance\ncoverage: late phase 7 (needs ≥ 6)\nreplay: npx margincheck verify --property &quot;p&quot; --seed 5</failure>');
    expect(xml).toContain('<failure type="vacuous" message="VACUOUS: coverage too low">');
    expect(xml).toContain('<system-out>HOLDS: worst residual 0.25 × tolerance');
    expect(xml).not.toMatch(/\u0001/);
  });
});
