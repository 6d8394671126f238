/**
 * `margincheck fingerprint` from the outside: bad input exits 2 with one line naming what is wrong
 * and writes nothing; the README's example module passes the contract check and fingerprints.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { buildNet } from '../../src/engines/index.js';
import { fingerprintCommand } from '../../src/fingerprint/cli.js';
import { linearCases, runLinear } from '../../src/fingerprint/battery.js';
import { batteryOptions } from '../../src/fingerprint/options.js';
import { validateOptimizerModule } from '../../src/optimizers/userModule.js';

const exec = promisify(execFile);
const cli = join(import.meta.dirname, '../../bin/margincheck.js');
const example = join(import.meta.dirname, '../../examples/fingerprint/my-optimizer.js');

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [cli, 'fingerprint', ...args], { timeout: 50_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('margincheck fingerprint: bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fingerprint-'));
  const out = join(dir, 'out');
  const module = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };
  const noUpdate = module('no-update.mjs', 'export function init() { return null; }\n');

  it('exits 2 with one line naming the problem, and writes nothing (the command line)', async () => {
    const r = await runCli(['--optimizer', noUpdate, '--quick', '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^margincheck: .*no-update\.mjs: export `update` is missing/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it.each([
    [() => module('nan.mjs', 'export function init() { return null; }\nexport function update(f, s, c, lr, out) { out.fill(NaN); return s; }\n'), {}, /left out\[0\] = NaN: Δθ must be written, finite/],
    [() => module('syntax.mjs', 'export function init( {\n'), {}, /cannot load the module/],
    [() => join(dir, 'missing.js'), {}, /--optimizer = ".*missing\.js": no such file/],
    [() => 'adagrad', {}, /optimizer = "adagrad": unknown optimizer \(valid: gd; sign/],
    [() => 'adam', { options: '{beta1: 0}' }, /--options = "\{beta1: 0\}": not valid JSON/],
    [() => 'adam', { options: '{"beta3": 0}' }, /adam: unknown option "beta3"/],
    [() => 'adam', { options: '[1]' }, /--options = "\[1\]": must be a JSON object/],
    [() => noUpdate, { options: '{"beta1": 0}' }, /--options = .*: only for registered optimizers/],
    [() => 'adam', { timeLimit: '0' }, /--time-limit = "0": must be a positive number of seconds/],
    [() => 'adam', { dq: '2' }, /--dq = "2": must be a number in \(0, 0\.5\]/],
  ] as [() => string, { options?: string; timeLimit?: string; dq?: string }, RegExp][])('case %#: rejected before anything runs', async (optimizer, extra, message) => {
    const run = fingerprintCommand({ optimizer: optimizer(), seed: '1', out, quick: true, timeLimit: '60', ...extra });
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the README example module', () => {
  it('passes the contract check and reaches the late phase on the linear battery', async () => {
    const mod = await import(example);
    const o = batteryOptions('quick', 'example', Infinity);
    const lin = { ...o, linear: { ...o.linear, seeds: 1, steps: 300 } };
    const layout = buildNet({ kind: 'linear', inputDim: o.linear.shape.d }).layout;
    const [run] = runLinear((l) => validateOptimizerModule(mod, l, 'example'), lin, linearCases(lin));
    expect(validateOptimizerModule(mod, layout, 'example').name).toBe('sign-gd-blend');
    expect(run.lateStep).not.toBeNull();
    for (const p of ['l1', 'l2', 'linf'] as const) expect(run.ratio[p]).toBeGreaterThan(0);
  });
});
