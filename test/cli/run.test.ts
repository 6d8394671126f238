/** `margincheck run` and `verify` from the outside: configs, data files, exit codes, one-line errors. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../src/config/run.js';
import { parseCsvDataset, parseJsonDataset } from '../../src/data/load.js';
import { drawnLines, figureSvg } from '../support/svg.js';
import { expectBadInput, runCli } from './cli.js';

/**
 * A run's report: JSON record (with the trajectory trace as data), HTML with the Theorem 3.1 and the
 * trajectory charts inline (each with drawn lines) and as PNG, and the folder's index listing it.
 */
function expectRunReport(dir: string, base: string): void {
  const files = readdirSync(dir);
  for (const f of [`${base}.json`, `${base}.html`, 'index.html', ...['theorem31', 'trajectory'].flatMap((c) => [`${base}-${c}.svg`, `${base}-${c}.png`])]) {
    expect(files).toContain(f);
  }
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const record = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8'));
  expect(record.trace.length).toBeGreaterThan(10);
  expect(Object.keys(record.trace[0].norms).sort()).toEqual(['l1', 'l2', 'linf']);
  const html = readFileSync(join(dir, `${base}.html`), 'utf8');
  expect(html).toContain('data-charts="2"');
  for (const chart of ['theorem31', 'trajectory']) {
    expect(drawnLines(figureSvg(html, chart) ?? ''), chart).toBeGreaterThan(0);
  }
  expect(figureSvg(html, 'trajectory')).toContain('KKT residual R at checkpoints'); // the example records R
  expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain(`href="${base}.html"`);
}

describe('run config validation', () => {
  it('fills defaults and accepts a full config', () => {
    const c = parseRunConfig({ seed: 3, algorithm: 'sign', data: { kind: 'clusters', n: 10, d: 4 }, net: { widths: [8, 8], activation: 'leaky' } });
    expect(c.algorithm).toBe('sign');
    expect(c.data).toEqual({ kind: 'clusters', n: 10, d: 4, separation: 1, spread: 0.5 });
    expect(c.net).toEqual({ kind: 'mlp', widths: [8, 8], activation: 'leaky', alpha: 0.1, bias: { first: false, hidden: false, output: false } });
  });
  it.each([
    [{ algorithm: 'adagrad' }, /algorithm = "adagrad": not a steepest-descent algorithm \(valid: gd, sign, coord/],
    [{ data: { kind: 'teacher', n: 0 } }, /data.n = 0: must be a positive integer/],
    [{ net: { widths: [4, -1] } }, /net.widths = \[4,-1\]: must be an array of positive integers/],
    [{ net: { activation: 'swish' } }, /net.activation = "swish": unknown/],
    [{ loss: 'mean-exp' }, /config.loss = "mean-exp": unknown \(valid: exp, logistic\)/],
    [{ seeed: 1 }, /config.seeed: unknown key/],
    [{ init: -1 }, /config.init = -1: must be a positive number/],
    [{ degree: 'two' }, /config.degree = "two"/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseRunConfig(raw)).toThrow(message);
  });
});

describe('data files', () => {
  it('reads JSON and CSV (header skipped) into the same dataset', () => {
    const a = parseJsonDataset('{"x": [[1, 2], [3, 4]], "y": [1, -1]}');
    const b = parseCsvDataset('f1,f2,label\n1,2,1\n3,4,-1\n');
    expect(b).toEqual(a);
  });
  it.each([
    ['{"x": [[1, 2], [3]], "y": [1, -1]}', /sample 1 has 1 features, sample 0 has 2/],
    ['{"x": [[1, 2]], "y": [0]}', /data.y\[0\] = 0: labels must be \+1 or -1/],
    ['{"x": [[1, "a"]], "y": [1]}', /x\[0\]\[1\] = "a": must be a number/],
    ['{"x": [[1, 2]], "y": [1, 1]}', /1 samples but 2 labels/],
    ['{"x": [[1, 2]]', /not valid JSON/],
  ])('rejects bad JSON data %s', (text, message) => {
    expect(() => parseJsonDataset(text)).toThrow(message);
  });
  it('names the line and column of a bad CSV cell, and NaN is rejected', () => {
    expect(() => parseCsvDataset('1,2,1\n3,x,-1\n', 'd.csv')).toThrow(/d.csv:2: column 2 = "x": not a number/);
    expect(() => parseCsvDataset('1,NaN,1\n', 'd.csv')).toThrow(/d.csv:1: column 2 = "NaN": not a number/);
  });
});

describe('the CLI end to end', () => {
  it('bad input exits 2 with one readable line and writes no report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'margincheck-'));
    const cases: [object, RegExp][] = [
      [{ algorithm: 'rmsprop' }, /algorithm = "rmsprop": not a steepest-descent/],
      [{ net: { kind: 'linear' }, data: { kind: 'file', path: join(dir, 'nonsep.json') } }, /data\.x\[0\] = \[1,0\] and data\.x\[1\] = \[2,0\] lie on one ray from 0 .*: a linear model cannot separate them/],
      [{ data: { kind: 'file', path: join(dir, 'nan.csv') } }, /column 2 = "NaN": not a number/],
    ];
    writeFileSync(join(dir, 'nonsep.json'), JSON.stringify({ x: [[1, 0], [2, 0], [-1, 0.5]], y: [1, -1, 1] }));
    writeFileSync(join(dir, 'nan.csv'), '1,NaN,1\n2,3,-1\n');
    const results = await Promise.all(
      cases.map(([config], i) => {
        const path = join(dir, `c${i}.json`);
        writeFileSync(path, JSON.stringify(config));
        return runCli(['run', path, '--out', join(dir, 'out')]);
      }),
    );
    results.forEach((r, i) => expectBadInput(r, cases[i][1]));
    expect(readdirSync(dir).includes('out')).toBe(false);
  });

  it('a linear run prints the verdict and the oracle, and writes its report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'margincheck-'));
    const path = join(dir, 'linear.json');
    writeFileSync(path, JSON.stringify({ seed: 4, algorithm: 'sign', net: { kind: 'linear' }, data: { kind: 'clusters', n: 12, d: 3 } }));
    const r = await runCli(['run', path, '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Theorem 3.1: (HOLDS|DISCRETIZATION)/);
    expect(r.stdout).toMatch(/linear oracle: γ\*_linf = .*; reached γ\/γ\* = /);
    // The margins reached, in the algorithm norm and ℓ1/ℓ2/ℓ∞, and never a bare NaN.
    expect(r.stdout).toMatch(/margins reached: q_min = \S+, log 𝓛 = /);
    for (const norm of ['linf \\(algorithm norm\\)', 'l1 ', 'l2 ']) expect(r.stdout).toMatch(new RegExp(`  ${norm}\\s+‖θ‖ = \\S+, γ = \\S+, γ̃ = \\S+`));
    expect(r.stdout).not.toMatch(/NaN/);
    expect(r.stdout).toMatch(/KKT residual R \(linf, Δq = 0.05\): start .* \(lp\) → end .* \(lp\); R_end\/R_start ≤ /);
    const report = JSON.parse(readFileSync(join(dir, 'run-seed4-sign.json'), 'utf8'));
    expect(report.result.verdict).toMatch(/holds|discretization/);
    expect(report.result.kkt.end.rUpper).toBeLessThan(report.result.kkt.start.rLower);
    // The stored config holds only the fields that apply: a linear net has no widths or activation,
    // a homogeneous net no degree.
    expect(report.config.net).toEqual({ kind: 'linear' });
    expect(Object.keys(report.config).sort()).toEqual(['algorithm', 'data', 'engine', 'init', 'kkt', 'loss', 'net', 'seed']);
  });

  it("the shipped example runs as the README shows, data.path read relative to the config file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'margincheck-'));
    const root = join(import.meta.dirname, '../..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npx margincheck run examples/run/config.json');
    // From the repository root (as written) and from another folder (the path still resolves).
    const [here, elsewhere] = await Promise.all([
      runCli(['run', 'examples/run/config.json', '--out', join(dir, 'a')], { cwd: root }),
      runCli(['run', join(root, 'examples/run/config.json'), '--out', join(dir, 'b')], { cwd: dir }),
    ]);
    for (const r of [here, elsewhere]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/N = 24, d = 4 \(file\), sign \(norm linf\)/);
    }
    const stored = JSON.parse(readFileSync(join(dir, 'a', 'run-seed7-sign.json'), 'utf8')).config;
    expect(stored.data).toEqual({ kind: 'file', path: join('examples', 'run', 'data.csv') });
    expect(stored.net).toEqual({ kind: 'mlp', widths: [16], activation: 'relu', bias: { first: false, hidden: false, output: false } });
    expectRunReport(join(dir, 'a'), 'run-seed7-sign');
  });

  it('verify in two worker processes gives the rows of a serial run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'margincheck-'));
    const args = (jobs: string) => ['verify', '--suite', 'losses', 'homogeneity', '--jobs', jobs, '--out', join(dir, jobs)];
    const [serial, parallel] = await Promise.all([runCli(args('1')), runCli(args('2'))]);
    expect([serial.code, parallel.code]).toEqual([0, 0]);
    const rows = (jobs: string) =>
      JSON.parse(readFileSync(join(dir, jobs, 'verify-quick.json'), 'utf8')).suites.map((s: { id: string; rows: unknown }) => [s.id, s.rows]);
    expect(rows('2')).toEqual(rows('1'));
    expect(parallel.stdout).toMatch(/2 worker\(s\)/);
  });

  it('verify rejects an unknown profile in one line', async () => {
    const r = await runCli(['verify', '--profile', 'fast']);
    expectBadInput(r, /^margincheck: --profile = "fast": unknown profile \(valid: quick, ci, thorough\)$/);
  });
});
