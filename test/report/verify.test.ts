/**
 * The verify report: each theorem row carries the run behind its `worst` as chart data, and the page
 * draws that run's chart and links the row to it. Real rows of both theorem suites (quick profile).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputBiasMustFind } from '../../properties/theorem31.js';
import { NET_CONFIGS, netRow } from '../../properties/theorem38.js';
import { runProperty } from '../../properties/outcome.js';
import { LOSS_PROPERTIES } from '../../properties/losses.js';
import { writeReport } from '../../src/report/report.js';
import { RECORD_POINTS, sampleIndices, theorem31ChartData } from '../../src/report/series.js';
import type { Outcome } from '../../src/report/verdicts.js';
import { evidenceChartName, verifyReport } from '../../src/report/verifyHtml.js';
import { drawnLines, figureSvg } from '../support/svg.js';

const SEED = 1;
let t31: Outcome;
let t38: Outcome;
let plain: Outcome;
beforeAll(() => {
  t31 = outputBiasMustFind('quick', SEED);
  t38 = netRow(NET_CONFIGS[0], 'quick', SEED);
  plain = runProperty(LOSS_PROPERTIES[0], { seed: SEED, profile: 'quick' });
});

describe('theorem rows keep the evidence of their closest-call run', () => {
  it('Theorem 3.1 must-find: the deciding run, its score giving the row worst, its levels as chart data', () => {
    const e = t31.evidence!;
    expect(e.kind).toBe('theorem31');
    expect(t31.worst).toBeCloseTo(1 / e.value, 12); // worst = 1/(the deciding find strength)
    expect(e.run).toMatch(/output-bias .* seed=1\/output-bias\/\d+/);
    if (e.kind !== 'theorem31') return;
    expect(e.check.verdict).toBe('violated');
    expect(e.check.levels.map((l) => l.dq)).toEqual([0.2, 0.1, 0.05]);
    for (const l of e.check.levels) expect(l.grid).toHaveLength(l.logSoft.length);
    // Plain data: survives JSON unchanged (no typed arrays, no class instances).
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('Theorem 3.8 nets: the certified run with the largest R_end/R_start, R at its checkpoints', () => {
    const e = t38.evidence!;
    expect(e.kind).toBe('kkt');
    expect(Number(e.value.toPrecision(3))).toBe(t38.coverage.max); // the row's largest ratio (coverage keeps 3 digits)
    if (e.kind !== 'kkt') return;
    const r = e.series.points.map((p) => p.kkt);
    expect(r.length).toBeGreaterThanOrEqual(2);
    expect(r.every((x) => x !== null && x >= 0 && x <= 1)).toBe(true);
  });

  it('rows cross the worker IPC whole (verify forks with serialization "advanced", i.e. v8 serialize)', () => {
    for (const o of [t31, t38]) {
      expect(deserialize(serialize(o))).toEqual(o);
      expect(serialize(o.evidence).length).toBeLessThan(64 * 1024); // downsampled: a few kB per row
    }
  });

  it('property rows have no run to draw', () => {
    expect(plain.evidence).toBeUndefined();
  });
});

describe('evidence series stay small', () => {
  it('sampleIndices keeps the ends and the asked indices within the budget', () => {
    const at = sampleIndices(10_000, 300, [4321, 4322]);
    expect(at.length).toBeLessThanOrEqual(302);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    for (const i of [0, 4321, 4322, 9999]) expect(at).toContain(i);
    expect(sampleIndices(5, 300)).toEqual([0, 1, 2, 3, 4]);
  });
  it('theorem31ChartData keeps the worst window of a long level', () => {
    const grid = Array.from({ length: 5000 }, (_, j) => j / 1000);
    const logSoft = grid.map((s, j) => (j === 3001 ? -1 : s));
    const level = { dq: 0.05, d: 4, worstWindow: [3, 3.001] as const, complete: true, stop: 'complete', grid, logSoft };
    const base = { verdict: 'holds' as const, reason: '', norm: 'l2', degree: 2, horizon: 5, ratio: 1, efficiency: 1, flips: null, marginInTau: 0, fell: [] };
    const small = theorem31ChartData({ ...base, prePhase: { reached: true, steps: 3 }, levels: [level] });
    const l = small.levels[0];
    expect(l.grid.length).toBeLessThanOrEqual(RECORD_POINTS + 2);
    expect(l.grid).toContain(3);
    expect(l.logSoft[l.grid.indexOf(3.001)]).toBe(-1);
  });
});

describe('the verify page', () => {
  it('draws each theorem row’s closest-call chart and links the row to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'margincheck-verify-report-'));
    const suites = [
      { id: 'theorem31', title: 'Theorem 3.1', rows: [t31, plain], seconds: 1 },
      { id: 'theorem38', title: 'Theorem 3.8', rows: [t38], seconds: 1 },
    ];
    const written = await writeReport(dir, 'verify-quick', verifyReport(suites, { summary: '3 rows', profile: 'quick' }), { suites });
    expect(written.charts).toHaveLength(2);
    const html = readFileSync(written.html, 'utf8');
    expect(html).toContain('data-charts="2"');
    for (const [suite, row] of [['theorem31', 0], ['theorem38', 0]] as const) {
      const name = evidenceChartName(suite, row);
      expect(html).toContain(`<a href="#${name}">`);
      expect(drawnLines(figureSvg(html, name) ?? ''), name).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining([`verify-quick-${name}.svg`, `verify-quick-${name}.png`]));
    }
    expect(html).not.toContain(`href="#${evidenceChartName('theorem31', 1)}"`); // the property row
    // The record keeps the evidence as data.
    const record = JSON.parse(readFileSync(written.json!, 'utf8'));
    expect(record.suites[0].rows[0].evidence.check.levels).toHaveLength(3);
  });
});
