/**
 * Replays that replay: the replay commands stored in a generated report rerun their rows exactly —
 * the profile and seed come from the command, batch rows by the name shown in the table, fast-check
 * counterexamples by their path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../properties/outcome.js';
import { rowBlock } from '../../src/report/table.js';
import { THEOREM38_ROWS } from '../../properties/theorem38.js';
import { CI_SEED } from '../support/outcome.js';
import { runCli, tempDir } from './cli.js';

/** The arguments of `npx margincheck …` (double-quoted words as written by replayCommand). */
function replayArgs(command: string): string[] {
  expect(command).toMatch(/^npx margincheck verify /);
  return [...command.slice('npx margincheck '.length).matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2]));
}

/** The report's rows (non-finite numbers are stored as strings). */
const revive = (_k: string, v: unknown) => (v === 'Infinity' || v === '-Infinity' || v === 'NaN' ? Number(v) : v);
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The replay's stdout shows the row line and the detail of `row`; `sameRuns` false for --path replays (one case). */
function expectReplayed(stdout: string, row: Outcome, sameRuns: boolean): void {
  const [line] = rowBlock(row, false);
  const shown = stdout.split('\n')[1];
  if (sameRuns) expect(shown).toBe(line);
  else {
    // A --path replay runs the one counterexample: everything but the run count is the row's.
    const noRuns = (s: string) => s.replace(/ +\d+ {2}(\S+ +)/, ' # $1');
    expect(noRuns(shown)).toBe(noRuns(line));
  }
  expect(squash(stdout)).toContain(squash(row.detail));
}

describe('replay commands reproduce their rows', () => {
  it('a sample of a generated report: holding rows and found counterexamples (--path)', { timeout: 300_000 }, async () => {
    const out = tempDir();
    const r = await runCli(['verify', '--suite', 'homogeneity', 'losses', '--profile', 'quick', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'verify-quick.json'), 'utf8'), revive) as { suites: { rows: Outcome[] }[] };
    const rows = report.suites.flatMap((s) => s.rows);
    const withPath = rows.filter((o) => o.replay.includes('--path'));
    const plain = rows.filter((o) => !o.replay.includes('--path'));
    expect(withPath.length).toBeGreaterThan(0); // the must-find rows found and shrunk a case
    // A deterministic sample: the first and last of each kind.
    const sample = [withPath[0], withPath[withPath.length - 1], plain[0], plain[plain.length - 1]];
    for (const row of sample) expect(row.replay).toMatch(/--profile quick --seed 20241029/);
    const replays = await Promise.all(sample.map((row) => runCli(replayArgs(row.replay))));
    replays.forEach((rr, i) => {
      expect(rr.code, rr.stderr).toBe(0);
      expectReplayed(rr.stdout, sample[i], !sample[i].replay.includes('--path'));
    });
  });

  it('a batch row replays by the name shown in the table, with its profile', { timeout: 300_000 }, async () => {
    const spec = THEOREM38_ROWS.find((r) => r.label === 'T3.8 nets: gd')!;
    const row = spec.run('quick', CI_SEED);
    expect(replayArgs(row.replay)).toEqual(['verify', '--property', row.label, '--profile', 'quick', '--seed', String(CI_SEED)]);
    const rr = await runCli(replayArgs(row.replay));
    expect(rr.code, rr.stderr).toBe(0);
    // The detail holds wall-clock seconds; the row line (verdict, runs, worst, evidence) is exact.
    expect(rr.stdout.split('\n')[1]).toBe(rowBlock(row, false)[0]);
  });
});
