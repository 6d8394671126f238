/**
 * Precision escalation (issue 8, THEORY §9): a Theorem 3.1 verdict that depends on float32 — a
 * `violated` verdict or a non-finite stop on the tfjs engine — is re-run by the float64 engine from
 * the exact float64 image of the same θ₀ and labelled `confirmed` or `float32 artifact`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/core/types.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { buildNet, loadEngine, type Engine } from '../../src/engines/index.js';
import { checkTheorem31 } from '../../src/theorems/theorem31.js';

let tfjs: Engine;
beforeAll(async () => {
  tfjs = await loadEngine('tfjs', { backend: 'wasm' });
});

describe('precision escalation of float32 verdicts', () => {
  it('confirmed: the output-bias counterexample (THEORY §5 known case) is violated on tfjs and in float64', () => {
    const net = tfjs.build({ kind: 'mlp', inputDim: 4, widths: [6], activation: { kind: 'relu' }, bias: { output: true } });
    const rng = makeRng(2);
    const data = gaussianDataset(rng.child('data'), 12, 4, 'positive');
    const r = checkTheorem31({ net, data, theta: net.init(1e-3, rng.child('init')), norm: 'l2', degree: 2 });
    expect(r.engine.name).toBe('tfjs');
    expect(r.verdict).toBe('violated');
    expect(r.escalation).toMatchObject({ label: 'confirmed', float64: 'violated' });
  });

  it('float32 artifact: a start whose margins overflow float32 (|f| > 3.4e38) stops tfjs on NaN, not float64', () => {
    const net = tfjs.build({ kind: 'mlp', inputDim: 4, widths: [6], activation: { kind: 'relu' } });
    const rng = makeRng(3);
    const raw = gaussianDataset(rng.child('data'), 12, 4, 'random');
    // θ ~ 1e21 gives f ~ 1e41: finite in float64, ±∞/NaN in float32. Labels from the net itself, so
    // θ₀ already separates (float64 needs no pre-phase step).
    const theta = net.init(1e21, rng.child('init'));
    const y = net.reference.forward(theta, raw).map((v) => (v >= 0 ? 1 : -1));
    const data: Dataset = { ...raw, y };
    expect(net.reference.margins(theta, data).every((q) => Number.isFinite(q) && q > 0)).toBe(true);
    // The float64 re-run only has to show it gets past step 0 (q grows like e^{Ls} from 1e41 at Δq per step).
    const r = checkTheorem31({ net, data, theta, norm: 'l2' }, { maxStepsPerLevel: 200 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.nonFinite).toBe(true);
    expect(r.reason).toMatch(/log 𝓛 = NaN at step 0|q_min|non-finite/);
    expect(r.escalation?.label).toBe('float32 artifact');
    expect(r.escalation?.float64).not.toBe('inconclusive');
  });

  it('the float64 engine never escalates (it is the judge)', () => {
    const net = buildNet({ kind: 'mlp', inputDim: 4, widths: [6], activation: { kind: 'relu' }, bias: { output: true } });
    const rng = makeRng(2);
    const data = gaussianDataset(rng.child('data'), 12, 4, 'positive');
    const r = checkTheorem31({ net, data, theta: net.init(1e-3, rng.child('init')), norm: 'l2', degree: 2 });
    expect(r.verdict).toBe('violated');
    expect(r.escalation).toBeUndefined();
  });
});
