/**
 * The terminal: rows stream as each suite finishes, a progress line and colour only on a TTY (and
 * not under NO_COLOR), every line within 100 columns; `--version`, `--help` and `list`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRow, SUITES, suiteRows } from '../../properties/suites.js';
import { COLOUR, PLAIN, TABLE_WIDTH } from '../../src/report/table.js';
import { NON_HOMOGENEOUS_VARIANTS } from '../../properties/homogeneity.js';
import { HUNT_FAMILIES } from '../../src/hunt/families.js';
import { paintFor, Progress } from '../../src/cli/terminal.js';
import { CLI, runCli, tempDir } from './cli.js';

const columns = (line: string) => [...line].length;

/** A stream that records what is written; `isTTY` as given. */
function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream, written };
}

describe('the terminal', () => {
  it('colour only on a TTY and without NO_COLOR; the progress line only on a TTY', () => {
    const saved = process.env.NO_COLOR;
    try {
      delete process.env.NO_COLOR;
      expect(paintFor(fakeStream(true).stream)).toBe(COLOUR);
      expect(paintFor(fakeStream(false).stream)).toBe(PLAIN);
      process.env.NO_COLOR = '1';
      expect(paintFor(fakeStream(true).stream)).toBe(PLAIN);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
    const tty = fakeStream(true);
    const progress = new Progress(tty.stream, 3, 10);
    progress.row(40, 2);
    progress.print(['a row']);
    expect(tty.written.join('')).toMatch(/\[suite 1 of 3 · 40 runs done · \d+ s · ETA [^\]]+\]/);
    expect(tty.written).toContain('a row\n');
    const pipe = fakeStream(false);
    const plain = new Progress(pipe.stream, 3, 10);
    plain.row(40, 2);
    plain.print(['a row']);
    expect(pipe.written).toEqual(['a row\n']);
  });

  it('streams each suite as it finishes, plain lines within 100 columns when piped', { timeout: 300_000 }, async () => {
    // One worker runs both suites in turn: the first block must be printed while the other suite
    // still runs, not with everything at the end.
    const child = spawn(process.execPath, [...CLI, 'verify', '--suite', 'kkt', 'trajectory', '--jobs', '1', '--out', tempDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let atFirstBlock: string | null = null;
    const blocks = [/kkt \(4 rows\)/, /trajectory \(5 rows\)/];
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (atFirstBlock === null && blocks.some((b) => b.test(stdout))) atFirstBlock = stdout;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(blocks.filter((b) => b.test(atFirstBlock!))).toHaveLength(1);
    expect(atFirstBlock).not.toMatch(/rows pass/);
    for (const b of blocks) expect(stdout).toMatch(b);
    expect(stdout).not.toMatch(/\x1b|\r/); // no colour, no progress line when piped
    for (const line of stdout.split('\n')) if (!line.startsWith('report: ')) expect(columns(line), line).toBeLessThanOrEqual(TABLE_WIDTH);
  });

  it('--version, --help and list', { timeout: 300_000 }, async () => {
    const [version, help, list] = await Promise.all([runCli(['--version']), runCli(['--help']), runCli(['list'])]);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect([version.code, version.stdout.trim()]).toEqual([0, pkg.version]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/verify[\s\S]*run[\s\S]*list[\s\S]*bench/);
    expect(list.code).toBe(0);
    for (const s of SUITES) {
      expect(list.stdout).toContain(`  ${s.id}: `);
      for (const row of suiteRows(s)) expect(list.stdout).toContain(`    ${row.label}\n`);
    }
    for (const section of ['norms:', 'optimizers:', 'run algorithms', 'families']) expect(list.stdout).toContain(section);
    for (const name of ['l1', 'spectral-sign', 'wl2:', 'adam', 'muon', ...HUNT_FAMILIES]) expect(list.stdout).toContain(name);
    // One family list: the hunter's CLI names are the Euler must-find rows' families.
    expect([...HUNT_FAMILIES]).toEqual(['output-bias', 'hidden-bias', 'residual', 'tanh', 'softplus', 'gelu', 'ensemble', 'layernorm']);
    expect(NON_HOMOGENEOUS_VARIANTS).toEqual([...HUNT_FAMILIES]);
    for (const line of list.stdout.split('\n')) expect(columns(line), line).toBeLessThanOrEqual(TABLE_WIDTH);
  });

  it('row labels are unique names that replay, short enough for the table in the printed suites', () => {
    const labels = SUITES.flatMap((s) => suiteRows(s).map((r) => r.label));
    expect(new Set(labels).size).toBe(labels.length);
    for (const label of labels) expect(findRow(label)?.label).toBe(label);
    for (const s of SUITES.filter((x) => x.headline)) for (const r of suiteRows(s)) expect(columns(r.label), r.label).toBeLessThanOrEqual(34);
  });
});
