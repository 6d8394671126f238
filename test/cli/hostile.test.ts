/**
 * Hostile input, one test per category: whatever a user passes, the CLI exits 2 with one line
 * naming the field and the value, writes nothing, prints no stack trace and does not hang
 * (runCli fails a run that outlives its timeout). Each category spawns the CLI on a few cases (the
 * exit code and stderr contract end to end) and checks the rest in-process through the same entry
 * points (`run`, `verify`, the config parser), which throw the InputError the CLI prints. Plus the
 * interrupt and shared-folder contracts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Spawning the CLI costs seconds on a loaded machine; a hang is still caught by runCli's timeout.
const SLOW = { timeout: 300_000 };
import { parseSeed } from '../../src/cli/args.js';
import { checkOutputFolder } from '../../src/cli/output.js';
import { run } from '../../src/cli/run.js';
import { verify, type Given } from '../../src/cli/verify.js';
import { parseRunConfig, type NetConfig } from '../../src/config/run.js';
import { requireSeparable } from '../../src/config/separability.js';
import { InputError } from '../../src/core/errors.js';
import { makeDataset } from '../../src/data/dataset.js';
import { STEEPEST_NAMES } from '../../src/optimizers/index.js';
import { CLI, expectBadInput, runCli, tempDir } from './cli.js';

/** A folder with these files, a config per case, and the output folder `out` (not created). */
function setUp(configs: readonly unknown[], files: Record<string, string> = {}) {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const paths = configs.map((c, i) => {
    writeFileSync(join(dir, `c${i}.json`), JSON.stringify(c));
    return join(dir, `c${i}.json`);
  });
  return { dir, paths, out: join(dir, 'out') };
}

/** `margincheck run` in-process on each case: an InputError matching its message, nothing written. */
async function expectRunRejects(cases: readonly (readonly [unknown, RegExp])[], files: Record<string, string> = {}): Promise<void> {
  const { paths, out } = setUp(cases.map(([c]) => c), files);
  for (const [i, [config, message]] of cases.entries()) {
    const error = await run(paths[i], out).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error, JSON.stringify(config)).toBeInstanceOf(InputError);
    expect((error as InputError).message, JSON.stringify(config)).toMatch(message);
  }
  expect(existsSync(out), 'nothing written').toBe(false);
}

/** The CLI on each case: exit 2, one line, nothing written. */
async function expectCliRejects(cases: readonly (readonly [unknown, RegExp])[], files: Record<string, string> = {}): Promise<void> {
  const { paths, out } = setUp(cases.map(([c]) => c), files);
  const results = await Promise.all(paths.map((p) => runCli(['run', p, '--out', out])));
  results.forEach((r, i) => expectBadInput(r, cases[i][1], JSON.stringify(cases[i][0])));
  expect(existsSync(out), 'nothing written').toBe(false);
}

describe('hostile input: every case exits 2 with one line, nothing written', () => {
  it('sizes that cannot fit in memory are rejected before allocating, with the limit', SLOW, async () => {
    const files = { 'huge.csv': '' };
    const cases: [unknown, RegExp][] = [
      [{ data: { kind: 'teacher', n: 1e9, d: 1e9 } }, /data\.n × data\.d = 1000000000 × 1000000000: more than the limit of 33554432 inputs/],
      [{ data: { kind: 'file', path: 'huge.csv' } }, /data\.path = ".*huge\.csv": 68157440 bytes, more than the limit of 67108864/],
    ];
    const { dir } = setUp([], files);
    truncateSync(join(dir, 'huge.csv'), 65 * 2 ** 20); // sparse: 65 MiB of zeros, never read
    cases[1][0] = { data: { kind: 'file', path: join(dir, 'huge.csv') } };
    await expectCliRejects(cases);
    await expectRunRejects([
      ...cases,
      [{ net: { widths: [1e8] } }, /net\.widths = \[100000000\]: 1\.00e\+9 parameters, more than the limit of 33554432/],
      [{ net: { widths: [2e4, 2e4] } }, /net\.widths = \[20000,20000\]: 4\.00e\+8 parameters/],
      [{ net: { kind: 'diagonal', depth: 1e8 } }, /net\.depth = 100000000: .* more than the limit/],
      [{ net: { kind: 'residual', width: 1e9 }, degree: 3 }, /net\.width = 1000000000: .* more than the limit/],
      [{ data: { kind: 'teacher', n: 5e5, d: 10 }, net: { widths: [64] } }, /net\.widths = \[64\]: N × P = 500000 × 769 = 3\.85e\+8, more than the work limit/],
    ]);
  });

  it('parameter values that overflow (or underflow) float64 at step 0', SLOW, async () => {
    const files = { 'big.json': JSON.stringify({ x: [[1, 2], [1e200, 1]], y: [1, -1] }) };
    const cases: [unknown, RegExp][] = [
      [{ init: 1e300 }, /config\.init = 1e\+300: the margins overflow \(q\[0\] = NaN\) at step 0/],
      [{ data: { kind: 'file', path: 'big.json' } }, /data\.path ".*big\.json": x\[1\]\[0\] = 1e\+200: inputs beyond ±1e\+100 overflow/],
    ];
    await expectCliRejects(cases, files);
    await expectRunRejects(
      [
        ...cases,
        [{ init: 2, net: { activation: 'relupow', p: 1000 } }, /config\.init = 2: the margins overflow .* \(degree L = 1001\)/],
        [{ init: 1e-300 }, /config\.init = 1e-300: every margin underflows to 0 at step 0/],
        [{ data: { kind: 'clusters', n: 10, d: 3, separation: 1e300 } }, /data\.separation = 1e\+300: must be positive and at most 1e\+100/],
        [{ data: { kind: 'clusters', n: 10, d: 3, spread: 1e300 } }, /data\.spread = 1e\+300: must be ≥ 0 and at most 1e\+100/],
        [{ net: { activation: 'tanh' }, degree: 1e-308 }, /config\.degree = 1e-308: must be a number from 1 to 100/],
      ],
      files,
    );
  });

  it('data that no net of the chosen kind can separate: every architecture, every algorithm', SLOW, async () => {
    const data = (x: number[][], y: number[]) => makeDataset(Float64Array.from(x.flat()), Float64Array.from(y), x.length, x[0].length);
    const xor = data([[1, 1], [-1, -1], [1, -1], [-1, 1]], [1, 1, -1, -1]);
    const ray = data([[1, 2], [2, 4], [0, 1]], [1, -1, 1]);
    const odd = data([[1, 2], [-1, -2]], [1, 1]);
    // Separability is a property of the function class: every algorithm must get the same answer.
    const obstacles: [object, ReturnType<typeof data>, RegExp][] = [
      [{ kind: 'linear' }, xor, /not linearly separable/],
      [{ kind: 'diagonal', depth: 3 }, xor, /not linearly separable/],
      [{ kind: 'mlp', activation: 'identity', widths: [4] }, xor, /not linearly separable/],
      [{ kind: 'mlp', widths: [] }, xor, /not linearly separable/],
      [{ kind: 'mlp', activation: 'identity', widths: [3], bias: { first: true } }, data([[-1], [0.5], [2]], [1, -1, 1]), /not affinely separable/],
      [{ kind: 'mlp', widths: [8] }, ray, /lie on one ray from 0/],
      [{ kind: 'mlp', activation: 'leaky', widths: [8, 8] }, ray, /lie on one ray from 0/],
      [{ kind: 'mlp', activation: 'relupow', p: 2, widths: [8] }, ray, /lie on one ray from 0/],
      [{ kind: 'residual', width: 6 }, ray, /lie on one ray from 0/],
      [{ kind: 'ensemble', width: 6 }, ray, /lie on one ray from 0/],
      [{ kind: 'mlp', activation: 'tanh', widths: [8] }, odd, /are opposite with the same label/],
      [{ kind: 'mlp', activation: 'gelu', widths: [8] }, data([[1, 2], [0, 0]], [1, -1]), /data\.x\[1\] = \[0,0\] with f\(0\) = 0/],
      [{ kind: 'mlp', activation: 'softplus', widths: [8], bias: { first: true } }, data([[1, 2], [1, 2]], [1, -1]), /are identical with labels 1 and -1/],
      [{ kind: 'mlp', widths: [8, 1] }, data([[1, 2], [2, -1]], [1, -1]), /net\.widths = \[8,1\] leaves the output one sign/],
    ];
    for (const [net, d, message] of obstacles) {
      const homogeneous = !/residual|ensemble|tanh|gelu|softplus/.test(JSON.stringify(net));
      for (const algorithm of [...STEEPEST_NAMES, 'lp:3']) {
        const c = parseRunConfig({ algorithm, net, ...(homogeneous ? {} : { degree: 2 }) });
        expect(() => requireSeparable(d, c.net as NetConfig), `${JSON.stringify(net)} ${algorithm}`).toThrow(message);
      }
    }
    const csv = (d: ReturnType<typeof data>) => Array.from({ length: d.n }, (_, i) => [...d.x.subarray(i * d.d, (i + 1) * d.d), d.y[i]].join(',')).join('\n');
    await expectCliRejects(
      [
        [{ algorithm: 'lp:3', net: { kind: 'linear' }, data: { kind: 'file', path: 'xor.csv' } }, /data is not linearly separable .*: a linear model cannot separate them/],
        [{ algorithm: 'coord', net: { kind: 'residual', width: 4 }, degree: 3, data: { kind: 'file', path: 'ray.csv' } }, /data\.x\[0\] = \[1,2\] and data\.x\[1\] = \[2,4\] lie on one ray/],
      ],
      { 'xor.csv': csv(xor), 'ray.csv': csv(ray) },
    );
  });

  it('unusable output folders are refused before any computation', SLOW, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const cases: [string[], RegExp][] = [
      [['verify', '--suite', 'theorem31', '--out', join(dir, 'file')], /--out = ".*file": is a file, not a folder/],
      [['run', '--out', join(dir, 'file', 'sub')], /--out = ".*sub": ".*file" is a file, not a folder/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    // expectBadInput also checks that stdout is empty: no verify header, no run report began.
    results.forEach((r, i) => expectBadInput(r, cases[i][1], cases[i][0].join(' ')));
    expect(() => checkOutputFolder('')).toThrow(/--out = "": must name a folder/);
    expect(() => checkOutputFolder(join(dir, 'file'))).toThrow(/is a file, not a folder/);
    if (process.getuid?.() !== 0) {
      mkdirSync(join(dir, 'ro'), { mode: 0o500 });
      expect(() => checkOutputFolder(join(dir, 'ro', 'out'))).toThrow(/is not writable/);
    }
    expect(readdirSync(dir).filter((e) => e !== 'ro')).toEqual(['file']);
  });

  it('seeds that are not safe integers, or empty', SLOW, async () => {
    const results = await Promise.all(['abc', ''].map((s) => runCli(['verify', '--seed', s])));
    expectBadInput(results[0], /^margincheck: --seed = "abc": must be a decimal integer with \|seed\| ≤ 2\^53 − 1$/);
    expectBadInput(results[1], /^margincheck: --seed = "": must be a decimal integer/);
    for (const s of ['1e3', '0x10', '1.5', ' 12', '9007199254740993', '-']) expect(() => parseSeed(s), s).toThrow(/must be a decimal integer/);
    expect([parseSeed('-7'), parseSeed('9007199254740991')]).toEqual([-7, 2 ** 53 - 1]);
    await expectRunRejects([1e300, '7', 2.5, 2 ** 53].map((seed) => [{ seed }, /config\.seed = .*: must be an integer with \|seed\| ≤ 2\^53 − 1/] as const));
  });

  it('options that would be ignored silently are errors', SLOW, async () => {
    const results = await Promise.all([
      runCli(['verify', '--property', 'f(cθ) = c^L f(θ)', '--suite', 'losses']),
      runCli(['verify', '--path', '3:1']),
    ]);
    expectBadInput(results[0], /--suite: not used with --property/);
    expectBadInput(results[1], /--path = "3:1": only with --property/);
    const none: Given = { suite: false, out: false, full: false, jobs: false, path: false };
    const opts = { profile: 'quick', seed: '1', out: 'out', jobs: '2', property: 'f(cθ) = c^L f(θ)' };
    for (const option of ['out', 'jobs', 'full'] as const) {
      await expect(verify(opts, { ...none, [option]: true })).rejects.toThrow(new RegExp(`--${option}: not used with --property`));
    }
    await expect(verify({ ...opts, property: 'T3.1 never violated: gd', path: '3:1' }, { ...none, path: true })).rejects.toThrow(/is a batch row/);
    await expectRunRejects([
      [{ degree: 2 }, /config\.degree = 2: does not apply \(the net is homogeneous/],
      [{ net: { activation: 'tanh' }, degree: 2, kkt: true }, /config\.kkt = true: does not apply/],
      [{ net: { kind: 'linear', widths: [3] } }, /net\.widths: does not apply to net\.kind = "linear"/],
      [{ net: { alpha: 0.3 } }, /net\.alpha: does not apply to net\.kind = "mlp" with net\.activation = "relu"/],
      [{ net: { activation: 'leaky', p: 2 } }, /net\.p: does not apply .* "leaky"/],
      [{ data: { kind: 'teacher', spread: 1 } }, /data\.spread: does not apply to data\.kind = "teacher"/],
      [{ data: { kind: 'file', path: 'x.csv', n: 3 } }, /data\.n: does not apply to data\.kind = "file"/],
    ]);
  });

  it('parser errors: commander usage errors, malformed files, FIFOs and folders as configs', SLOW, async () => {
    const cases: [string[], RegExp][] = [
      [['--no-such-option'], /^margincheck: unknown option '--no-such-option' \(see margincheck --help\)$/],
      [['verify', '--sed', '1'], /unknown option '--sed' \(Did you mean --seed\?\) \(see margincheck --help\)$/],
      [['verify', '--seed'], /option '--seed <seed>' argument missing/],
      [['bogus'], /unknown command 'bogus'/],
      [[], /missing command/],
      [['run', '/nonexistent/config.json'], /^margincheck: config "\/nonexistent\/config\.json": cannot read \(ENOENT\)$/],
      [['verify', '--worker'], /--worker: internal to verify/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((r, i) => expectBadInput(r, cases[i][1], cases[i][0].join(' ')));
    const { dir, paths, out } = setUp([{ data: { kind: 'file', path: 'bad.csv' } }], { 'broken.json': '{"seed": 1,', 'bad.csv': '1,2,1\n3,x,-1\n' });
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    await expect(run(join(dir, 'broken.json'), out)).rejects.toThrow(/config ".*broken\.json": not valid JSON/);
    await expect(run(paths[0], out)).rejects.toThrow(/bad\.csv:2: column 2 = "x": not a number/);
    await expect(run(join(dir, 'fifo.json'), out)).rejects.toThrow(/config ".*fifo\.json": not a regular file/);
    await expect(run(dir, out)).rejects.toThrow(/config ".*": not a regular file/);
    expect(existsSync(out)).toBe(false);
  });
});

/** Live (not zombie) child processes of `pid` whose command line contains `marker` (Linux /proc). */
function childrenOf(pid: number, marker: string): number[] {
  const stat = (e: string) => readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1].split(' ');
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const [state, ppid] = stat(e);
        return ppid === String(pid) && state !== 'Z' && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

const running = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `margincheck verify …` in the background; resolves its exit code and collects its output. */
function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [...CLI, 'verify', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (c) => (output.stdout += c));
  child.stderr.on('data', (c) => (output.stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe('interrupts and shared output folders', () => {
  it('SIGINT to the main process alone stops the workers; a second run meanwhile is refused; then the folder is free', SLOW, async () => {
    const dir = tempDir();
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const out = join(dir, 'out');
    const main = start(['--suite', 'theorem31', 'theorem38', '--jobs', '2', '--out', out], { TMPDIR: tmp });
    let workers: number[] = [];
    for (let t = 0; t < 1200 && workers.length < 2; t++) {
      await sleep(100);
      workers = childrenOf(main.child.pid!, '--worker');
    }
    expect(workers).toHaveLength(2);
    // A second run into the folder the first holds is refused before computing anything.
    const second = await runCli(['verify', '--suite', 'losses', '--seed', '2', '--out', out]);
    expectBadInput(second, new RegExp(`--out = ".*out": another margincheck run \\(pid ${main.child.pid}\\) is writing there`));
    expect(workers.filter(running)).toHaveLength(2); // the theorem suites are still running
    process.kill(main.child.pid!, 'SIGINT'); // the main process alone, not its process group
    expect(await main.exited).toBe(130);
    for (let t = 0; t < 50 && workers.some(running); t++) await sleep(100);
    expect(workers.filter(running)).toEqual([]);
    expect(main.output.stderr.trim()).toBe('margincheck: interrupted (SIGINT); workers stopped, no report written');
    expect(readdirSync(out)).toEqual([]); // no lock, no report
    // No temp folder of ours (tsx keeps its compile cache, tsx-<uid>, in TMPDIR too).
    expect(readdirSync(tmp).filter((e) => !e.startsWith('tsx-'))).toEqual([]);
    // The folder is free again: a new run writes its own report there.
    const third = await runCli(['verify', '--suite', 'losses', '--seed', '3', '--out', out]);
    expect(third.code, third.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'verify-quick.json'), 'utf8')).meta.seed).toBe('3');
    expect(readdirSync(out).sort()).toEqual(['index.html', 'verify-quick.html', 'verify-quick.json']); // no theorem row: no chart
  });
});
