/**
 * Row semantics (issue: honest verdicts): coverage counts certified runs only, one meaning per
 * verdict (holds / found / reported) and for `worst` (the closest call, ≤ 1 passes), replays by
 * fast-check path judged without the coverage gate, and a table that fits 100 columns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runProperty, type Outcome, type PropertySpec } from '../../properties/outcome.js';
import { renderTable, TABLE_WIDTH } from '../../src/report/table.js';
import { sweepAlgorithm } from '../../properties/theorem31.js';
import { NET_CONFIGS, netRow } from '../../properties/theorem38.js';
import { DEFAULT_THEOREM31, refinementVerdict, violationScore } from '../../src/theorems/theorem31.js';
import { CI_SEED } from '../support/outcome.js';

const columns = (line: string) => [...line].length;

describe('coverage counts certified runs only', () => {
  it('a Theorem 3.1 row whose every run hits the step cap is VACUOUS, not HOLDS', () => {
    // Two steps per ladder level: every run that reaches the late phase stops at the cap.
    const o = sweepAlgorithm('gd', 'quick', CI_SEED, { maxStepsPerLevel: 2 });
    expect(o.coverage['cost-limited'] + o.coverage.inconclusive).toBe(o.runs);
    expect(o.coverage.certified).toBe(0);
    expect(o.coverage['late phase']).toBeGreaterThan(0); // the late phase alone is no longer coverage
    expect(o.verdict).toBe('vacuous');
    expect(o.detail).toMatch(/certified: 0 < \d/);
  });

  it('a Theorem 3.8 row whose every segment hits the step cap is VACUOUS (claim and report rows)', () => {
    for (const config of [NET_CONFIGS[0], NET_CONFIGS.find((c) => c.claim === null)!]) {
      const o = netRow(config, 'quick', CI_SEED, { maxSteps: 2 });
      expect(o.coverage.certified).toBe(0);
      expect(o.coverage['cost-limited']).toBeGreaterThan(0);
      expect(o.verdict).toBe('vacuous');
    }
  });
});

describe('the closest call of the §5.6 rule', () => {
  it('violationScore > 1 exactly when the rule says violated (away from the E tie)', () => {
    const d = fc.double({ min: 0, max: 0.02, noNaN: true });
    fc.assert(
      fc.property(d, d, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (dc, df, e, gate) => {
        fc.pre(e !== DEFAULT_THEOREM31.efficiencyCut);
        const violated = refinementVerdict(dc, df, e, gate, DEFAULT_THEOREM31) === 'violated';
        expect(violationScore(dc, df, e, gate, DEFAULT_THEOREM31) > 1).toBe(violated);
      }),
      { seed: CI_SEED, numRuns: 2000 },
    );
  });
});

/** Toy properties over integers: the runner's semantics, not any claim of the theory. */
const toy = (over: Partial<PropertySpec<number>>): PropertySpec<number> => ({
  name: 'toy',
  arbitrary: fc.integer({ min: 0, max: 99 }),
  runs: 40,
  check: (n) => ({ ratio: n / 100, tags: n % 2 ? ['odd'] : [] }),
  ...over,
});

describe('one meaning per verdict and for worst', () => {
  it('a holding claim reports its closest call (the largest residual/tolerance over all runs)', () => {
    const o = runProperty(toy({}), { seed: CI_SEED });
    expect(o.verdict).toBe('holds');
    expect(o.worst).toBeGreaterThan(0.5);
    expect(o.worst).toBeLessThan(1);
  });

  it('must-find rows say FOUND with tolerance/strength (≤ 1), or MISSED (> 1)', () => {
    const found = runProperty(toy({ mustFind: true, check: (n) => ({ ratio: n === 0 ? 0 : 1e6 / n }) }), { seed: CI_SEED });
    expect([found.kind, found.verdict]).toEqual(['must-find', 'found']);
    expect(found.worst).toBeGreaterThan(0);
    expect(found.worst).toBeLessThan(1);
    expect(found.summary).toMatch(/^found: /);
    const missed = runProperty(toy({ mustFind: true }), { seed: CI_SEED });
    expect(missed.verdict).toBe('missed');
    expect(missed.worst).toBeGreaterThan(1);
  });

  it('Theorem 3.8 rows without a claim say REPORTED', () => {
    const config = NET_CONFIGS.find((c) => c.claim === null)!;
    const o = netRow(config, 'quick', CI_SEED);
    expect([o.kind, o.verdict]).toEqual(['report', 'reported']);
  });

  it('a --path replay judges the counterexample, not the coverage gate', () => {
    const spec = toy({ check: (n) => ({ ratio: n / 50, tags: n > 98 ? ['rare'] : [] }), required: { rare: 30 } });
    const o = runProperty(spec, { seed: CI_SEED });
    expect(o.verdict).toBe('violated');
    const path = o.replay.match(/--path (\S+)/)![1];
    const again = runProperty(spec, { seed: CI_SEED, path });
    expect(again.verdict).toBe('violated');
    expect(again.required).toEqual({});
    expect(again.detail).toBe(o.detail);
    expect(o.replay).toMatch(/--profile ci --seed \d+ --path /);
  });
});

describe('the terminal table', () => {
  it('fits 100 columns with long labels, summaries and details, compact and --full', () => {
    const long = 'x'.repeat(150);
    const row = (verdict: Outcome['verdict'], kind: Outcome['kind']): Outcome => ({
      property: `${long} claim`,
      label: `${long} label`,
      kind,
      verdict,
      runs: 123456,
      coverage: { 'late phase 𝓛 ≤ 1/2': 5, certified: 3 },
      required: {},
      worst: 1.234e-13,
      seed: 1,
      summary: `${long} summary`,
      detail: `${'word '.repeat(80)}${long}`,
      replay: 'npx margincheck verify --property "x" --profile quick --seed 1',
    });
    const suites = [
      { id: 'a', title: long, rows: [row('holds', 'claim'), row('violated', 'claim'), row('found', 'must-find')], seconds: 1, headline: true },
      { id: 'b', title: long, rows: [row('holds', 'claim'), row('vacuous', 'claim')], seconds: 1 },
    ];
    for (const full of [false, true]) {
      const lines = renderTable(suites, full).split('\n');
      expect(lines.length).toBeGreaterThan(8);
      for (const line of lines) if (!line.trimStart().startsWith('replay:')) expect(columns(line), line).toBeLessThanOrEqual(TABLE_WIDTH);
    }
  });
});
