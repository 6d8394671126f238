/**
 * Chart builders drawn by the real vega-lite + vega: the SVG holds the marks, titles and data the
 * builders promise, without compiler warnings. Data from synthetic checkpoints (known numbers) and
 * from a real Theorem 3.1 check (the output-bias counterexample of THEORY §5, about 0.3 s).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import { gaussianDataset } from '../../src/data/synthetic.js';
import { buildNet } from '../../src/engines/index.js';
import { comparisonChart, theorem31Chart, trajectoryChart } from '../../src/report/charts.js';
import { fmt } from '../../src/report/labels.js';
import { specToSvg } from '../../src/report/render.js';
import { trajectorySeries, type TrajectorySeries } from '../../src/report/series.js';
import { checkTheorem31, decreaseStatistic, type Theorem31Result } from '../../src/theorems/theorem31.js';
import { LATE_STEP, SEPARATION_STEP, STEPS, syntheticCheckpoints } from '../support/checkpoints.js';

/** Drawn marks of one kind: a `role-mark` group of that mark type with at least one child element. */
const drawn = (svg: string, mark: string) => (svg.match(new RegExp(`<g class="mark-${mark} role-mark[^"]*"[^>]*><(path|line|text)`, 'g')) ?? []).length;
/** Every line of text drawn: each <text> element, or each <tspan> line of a multi-line one. */
const texts = (svg: string) => [...svg.matchAll(/<(text|tspan)\b[^>]*>([^<]*)<\/\1>/g)].map((m) => m[2].replace(/&amp;/g, '&').replace(/&#39;/g, "'"));

describe('trajectory series from checkpoints', () => {
  it('keeps one point per checkpoint and marks the first separated and the first late checkpoint', () => {
    const s = trajectorySeries('synthetic', syntheticCheckpoints(), 'l2');
    expect(s.points.map((p) => p.step)).toEqual(STEPS);
    expect(s.separation?.step).toBe(SEPARATION_STEP);
    expect(s.latePhase?.step).toBe(LATE_STEP);
    expect(s.points.filter((p) => p.kkt !== null).map((p) => p.step)).toEqual(STEPS.filter((k) => k >= SEPARATION_STEP));
    const never = trajectorySeries('never', syntheticCheckpoints().filter((c) => c.step < SEPARATION_STEP));
    expect([never.separation, never.latePhase]).toEqual([null, null]);
  });
});

describe('trajectory chart', () => {
  let series: TrajectorySeries;
  let svg: string;
  let warnings: readonly string[];
  beforeAll(async () => {
    series = trajectorySeries('synthetic run', syntheticCheckpoints(), 'l2');
    ({ svg, warnings } = await specToSvg(trajectoryChart(series)));
  });

  it('compiles and draws without warnings', () => {
    expect(warnings).toEqual([]);
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it('has a margin panel per norm, log ℒ, ‖θ‖ and R panels, and the chart title', () => {
    const t = texts(svg);
    for (const title of ['γ₁ and γ̃₁ (ℓ₁)', 'γ₂ and γ̃₂ (ℓ₂) — algorithm norm', 'γ∞ and γ̃∞ (ℓ∞)', 'log ℒ', '‖θ‖ per norm', 'KKT residual R at checkpoints', 'synthetic run']) {
      expect(t).toContain(title);
    }
    // Lines: γ and γ̃ in 3 margin panels, log ℒ, ‖θ‖ in 3 norms, R.
    expect(drawn(svg, 'line')).toBe(3 * 2 + 1 + 3 + 1);
  });

  it('marks separation and the late-phase entry with a rule and a label in every panel', () => {
    const panels = 3 + 3;
    expect(drawn(svg, 'rule')).toBe(2 * panels);
    expect(texts(svg).filter((s) => s === 'separated')).toHaveLength(panels);
    expect(texts(svg).filter((s) => s === 'late phase')).toHaveLength(panels);
    expect(svg).toContain(`aria-label="x: ${SEPARATION_STEP}; label: separated"`);
    expect(svg).toContain(`aria-label="x: ${LATE_STEP}; label: late phase"`);
  });

  it('draws margins only where positive, and step 0 not at all on the log axis', () => {
    const spec = JSON.stringify(trajectoryChart(series));
    // Every γ row in the spec is positive; the negative pre-separation margins (−5·scale) are absent.
    const values = [...spec.matchAll(/"value":(-?[\d.e-]+),"kind"/g)].map((m) => Number(m[1]));
    const separatedPoints = STEPS.filter((k) => k >= SEPARATION_STEP).length;
    expect(values).toHaveLength(3 * 2 * separatedPoints);
    expect(values.every((v) => v > 0)).toBe(true);
    expect(spec).not.toContain('"x":0,');
  });

  it('on the flow clock the x values are log₁₀ t, and without R there is no R panel', async () => {
    const noKkt = trajectorySeries('no R', syntheticCheckpoints(false));
    const spec = trajectoryChart(noKkt, { clock: 'flow' });
    const { svg: flow, warnings: w } = await specToSvg(spec);
    expect(w).toEqual([]);
    expect(texts(flow)).toContain('log₁₀ t (flow time)');
    expect(texts(flow)).not.toContain('KKT residual R at checkpoints');
    expect(JSON.stringify(spec)).toContain(`"x":${Math.log(0.1 * SEPARATION_STEP) / Math.LN10},"label":"separated"`);
  });

  it('a run that never separates gets a note in each margin panel instead of an empty plot', async () => {
    const early = trajectorySeries('early', syntheticCheckpoints().filter((c) => c.step < SEPARATION_STEP));
    const { svg: s, warnings: w } = await specToSvg(trajectoryChart(early));
    expect(w).toEqual([]);
    expect(texts(s).filter((t) => t === 'no positive margin (never separated)')).toHaveLength(3);
  });
});

describe('Theorem 3.1 evidence chart', () => {
  let result: Theorem31Result;
  beforeAll(() => {
    // THEORY §5 known case: output-bias net, all labels +1, init 1e-3, GD, L = 2 → violated.
    const net = buildNet({ kind: 'mlp', inputDim: 5, widths: [8], activation: { kind: 'relu' }, bias: { output: true } });
    const data = gaussianDataset(makeRng(1).child('positive'), 12, 5, 'positive');
    result = checkTheorem31({ net, data, theta: net.init(1e-3, makeRng(1).child('init')), norm: 'l2', degree: 2 });
  });

  it('each level carries the grid and log γ̃ series its D is read from', () => {
    expect(result.verdict).toBe('violated'); // coverage: the shaded-window path is exercised
    expect(result.levels.length).toBeGreaterThanOrEqual(2);
    for (const l of result.levels) {
      expect(l.grid).toHaveLength(l.logSoft.length);
      const { d, window } = decreaseStatistic(l.logSoft);
      expect(d).toBe(l.d);
      expect(l.worstWindow).toEqual([l.grid[window], l.grid[window + 1]]);
    }
  });

  it('draws one line per level, shades each worst window and states D, E and the verdict', async () => {
    const spec = theorem31Chart(result, { tau: 2e-3 });
    const { svg, warnings } = await specToSvg(spec);
    expect(warnings).toEqual([]);
    expect(drawn(svg, 'line')).toBe(result.levels.length);
    expect((svg.match(/aria-roledescription="rect mark"/g) ?? []).length).toBe(result.levels.length);
    const t = texts(svg);
    expect(t).toContain('Theorem 3.1 in ℓ₂: violated');
    const dLine = t.find((s) => s.startsWith('D('));
    for (const l of result.levels) expect(dLine).toContain(`D(${l.dq}) = ${fmt(l.d)}`);
    expect(t.some((s) => s.includes(`E = ${fmt(result.efficiency)}`))).toBe(true);
    for (const l of result.levels) expect(t).toContain(`Δq = ${l.dq}`);
    // The shaded windows are the levels' worst windows.
    const windows = JSON.stringify(spec).match(/"s0":[^}]*/g);
    expect(windows).toEqual(result.levels.map((l) => `"s0":${l.worstWindow![0]},"s1":${l.worstWindow![1]},"level":"Δq = ${l.dq}"`));
  });

  it('a check without a segment shows its reason instead of an empty plot', async () => {
    const empty: Theorem31Result = { ...result, verdict: 'inconclusive', reason: 'no late phase: step cap 5', levels: [], fell: [] };
    const { svg, warnings } = await specToSvg(theorem31Chart(empty));
    expect(warnings).toEqual([]);
    expect(texts(svg)).toContain('no segment: no late phase: step cap 5');
    expect(drawn(svg, 'line')).toBe(0);
  });
});

describe('comparison chart', () => {
  const runs = ['GD', 'sign descent', 'Adam'].map((name, i) => {
    // Each run separates later than the previous one: shift the synthetic steps.
    const checkpoints = syntheticCheckpoints().map((c) => ({ ...c, step: c.step * 2 ** i }));
    return { name, series: trajectorySeries(name, checkpoints) };
  });

  it('one facet per norm, one line per run in each, a separation rule per run and facet', async () => {
    const { svg, warnings } = await specToSvg(comparisonChart(runs));
    expect(warnings).toEqual([]);
    const t = texts(svg);
    for (const header of ['γ₁ (ℓ₁)', 'γ₂ (ℓ₂)', 'γ∞ (ℓ∞)', ...runs.map((r) => r.name)]) expect(t).toContain(header);
    expect(drawn(svg, 'line')).toBe(3 * runs.length);
    expect(drawn(svg, 'rule')).toBe(3);
    expect((svg.match(/aria-roledescription="rule mark"/g) ?? []).length).toBe(3 * runs.length);
  });

  it('soft margins on request; no positive margin gives a note', async () => {
    const { svg } = await specToSvg(comparisonChart(runs, { margin: 'soft', norms: ['linf'] }));
    expect(texts(svg)).toContain('γ̃∞ (ℓ∞)');
    const early = runs.map((r) => ({ ...r, series: { ...r.series, points: r.series.points.filter((p) => p.accuracy < 1) } }));
    const { svg: none } = await specToSvg(comparisonChart(early));
    expect(texts(none)).toContain('no positive margin in any run (GD, sign descent, Adam)');
  });
});
