/**
 * The quick reproductions (THEORY §11) as npm test runs them, and `margincheck reproduce` bad input.
 *
 * Asserted at the quick size:
 *  - teacher-student: every steepest run raises its own margin after separation (γ_own at the end >
 *    γ_own at the late-phase entry) and each algorithm ends with the largest margin in its own norm,
 *    on every seed (coverage: every run of both seeds reached the late phase);
 *  - mnist-2v7, mnist-3v6: GD's and sign descent's own margins rise after separation (coverage: at
 *    least 2 of the 3 steepest runs in the late phase); Adam's position between sign descent and GD
 *    is measured (finite numbers at every checkpoint from its late-phase entry), not asserted.
 * Each report is complete on disk (page, record, every chart's PNG) with no staging folder left.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { publishFolder } from '../../src/reproduce/publish.js';
import { reproduce, type ReproduceOutcome } from '../../src/reproduce/index.js';

const exec = promisify(execFile);
const cli = join(import.meta.dirname, '../../bin/margincheck.js');

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [cli, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const verdict = (o: ReproduceOutcome, id: string) => o.claims.find((c) => c.id === id)?.verdict;

function expectCompleteReport(out: string, name: string, charts: readonly string[]): void {
  const dir = join(out, name);
  expect(existsSync(join(dir, `${name}.html`))).toBe(true);
  const record = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  expect(record.reproduction).toBe(name);
  for (const c of charts) expect(existsSync(join(dir, `${name}-${c}.png`))).toBe(true);
  expect(readdirSync(out).filter((f) => f.includes('staging') || f.endsWith('.old'))).toEqual([]);
  expect(existsSync(join(out, 'index.html'))).toBe(true);
}

describe('reproduce --quick', () => {
  it('teacher-student: own margins rise and each algorithm leads in its own norm', async () => {
    const out = mkdtempSync(join(tmpdir(), 'repro-ts-'));
    const o = await reproduce('teacher-student', { quick: true, out });
    expect(verdict(o, 'own-margin-rises')).toBe('holds');
    expect(verdict(o, 'own-norm-largest')).toBe('holds');
    expect(o.ok).toBe(true);
    expectCompleteReport(out, 'teacher-student', ['margins', 'soft-margins', 'own-norm-lead']);
  });

  it.each(['mnist-2v7', 'mnist-3v6'])('%s: own margins rise after separation; Adam measured', async (name) => {
    const out = mkdtempSync(join(tmpdir(), 'repro-mnist-'));
    const o = await reproduce(name, { quick: true, out });
    expect(verdict(o, 'own-margin-rises')).toBe('holds');
    for (const id of ['adam-between', 'adam-eps0-between']) {
      const c = o.claims.find((x) => x.id === id)!;
      expect(c.verdict).toBe('measured');
      const pos = c.numbers as { linf?: number[]; l2?: number[] };
      expect(pos.linf?.length).toBeGreaterThan(0);
      expect(pos.linf!.every(Number.isFinite) && pos.l2!.every(Number.isFinite)).toBe(true);
    }
    expect(o.ok).toBe(true);
    expectCompleteReport(out, name, ['margins', 'soft-margins', 'adam-position']);
  });
});

describe('publishFolder', () => {
  it('a failing write leaves the older report in place and no staging folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'repro-pub-'));
    mkdirSync(join(out, 'r'));
    writeFileSync(join(out, 'r', 'old.html'), 'old');
    const boom = publishFolder(out, 'r', async (dir) => {
      writeFileSync(join(dir, 'half.html'), 'half');
      throw new Error('interrupted');
    });
    await expect(boom).rejects.toThrow('interrupted');
    expect(readdirSync(join(out, 'r'))).toEqual(['old.html']);
    expect(readdirSync(out).sort()).toEqual(['r']);
  });

  it('replaces an older report whole', async () => {
    const out = mkdtempSync(join(tmpdir(), 'repro-pub-'));
    mkdirSync(join(out, 'r'));
    writeFileSync(join(out, 'r', 'old.html'), 'old');
    await publishFolder(out, 'r', async (dir) => writeFileSync(join(dir, 'new.html'), 'new'));
    expect(readdirSync(join(out, 'r'))).toEqual(['new.html']);
    expect(readdirSync(out).sort()).toEqual(['index.html', 'r']);
  });
});

describe('margincheck reproduce: bad input', () => {
  it('an unknown name exits 2 with one line and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'repro-bad-')), 'out');
    const r = await runCli(['reproduce', 'mnist-1v9', '--quick', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'margincheck: reproduction = "mnist-1v9": unknown (valid: teacher-student, mnist-2v7, mnist-3v6)',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('an output folder that cannot be written exits 2 before any training', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'repro-bad-')), 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['reproduce', 'teacher-student', '--out', join(file, 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out = ".*a-file\/sub": .*a-file is not a folder/);
    expect(r.stdout).not.toMatch(/seed #0/);
  });

  it('an interrupted run leaves no report behind', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'repro-int-')), 'out');
    const child = execFile('node', [cli, 'reproduce', 'teacher-student', '--out', out]);
    // Interrupt during training, after the first run's progress line.
    await new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('seed #0') && resolve()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : null))));
    expect(code).not.toBe(0);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
