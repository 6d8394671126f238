/**
 * The packed package in a user's project: `npm pack` (after `npm run build`), the example project
 * of examples/user-optimizer copied to an empty temp folder, the tarball installed there from the
 * npm cache (`--prefer-offline`: every dependency is cached by the repository's own install), then
 * the bin, `verify --junit`, the three entry points and the example's vitest suite run there.
 * Pack and install happen once (beforeAll).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

// A user's shell: no npm script or vitest worker variables leak into the nested npm and vitest runs.
const KEEP = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_cafile']);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(/^npm_/i.test(k) && !KEEP.has(k)) && !k.startsWith('VITEST')));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: string[], cwd: string): Promise<Ran> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd, env, timeout: 120_000, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr || e.message };
  }
}

let tmp: string;
let project: string;
/** The installed bin (npx adds a second of npm start-up; one test runs it through npx). */
const bin = () => join(project, 'node_modules/.bin/margincheck');
let packed: { files: { path: string }[] };

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'margincheck-package-'));
  project = join(tmp, 'project');
  const build = await run('npm', ['run', 'build'], root);
  if (build.code !== 0) throw new Error(`npm run build: ${build.stderr}`);
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], root);
  if (pack.code !== 0) throw new Error(`npm pack: ${pack.stderr}`);
  [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  cpSync(join(root, 'examples/user-optimizer'), project, { recursive: true });
  renameSync(join(tmp, `margincheck-${version}.tgz`), join(project, 'margincheck.tgz'));
  // Optional dependencies stay in: vitest's bundler needs its native binding (an optional package).
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project);
  if (install.code !== 0) throw new Error(`npm install in the example project: ${install.stderr}`);
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the packed tarball in a user project', () => {
  it('ships compiled JavaScript, declarations and the bin, and no sources or build state', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ['bin/margincheck.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/arbitraries.d.ts', 'dist/src/vitest.d.ts', 'dist/src/cli/main.js']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => !/^(bin\/margincheck\.js|package\.json|README\.md|dist\/(src|properties|bench)\/.*\.(js|d\.ts))$/.test(f))).toEqual([]);
  });

  it('runs the compiled bin: npx margincheck --version, and a bad input exits 2 with one line', async () => {
    const v = await run('npx', ['--no', '--', 'margincheck', '--version'], project);
    expect(v).toMatchObject({ code: 0, stdout: `${version}\n` });
    const bad = await run(bin(), ['verify', '--profile', 'nope'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('margincheck: --profile = "nope": unknown profile (valid: quick, ci, thorough)');
    const dir = await run(bin(), ['verify', '--junit', '.'], project);
    expect(dir).toMatchObject({ code: 2, stderr: 'margincheck: --junit = ".": is a directory (give the XML file to write)\n' });
  });

  it('verify writes its report and one JUnit test case per row', async () => {
    const r = await run(bin(), ['verify', '--suite', 'losses', '--out', 'out', '--junit', 'out/junit.xml'], project);
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(readFileSync(join(project, 'out/verify-quick.json'), 'utf8')) as { suites: { rows: unknown[] }[] }).suites.flatMap((s) => s.rows);
    const xml = readFileSync(join(project, 'out/junit.xml'), 'utf8');
    expect(rows.length).toBeGreaterThan(0);
    expect(xml.match(/<testcase /g)).toHaveLength(rows.length);
    expect(xml).toContain(`<testsuites name="margincheck verify (profile quick, seed 20241029)" tests="${rows.length}" failures="0"`);
  });

  it('exports its three entry points and nothing else', async () => {
    const script = `
      const api = await import('margincheck');
      const arb = await import('margincheck/arbitraries');
      const vt = await import('margincheck/vitest');
      const names = [api.buildNet, api.checkTheorem31, api.kktResidual, api.maxMarginLinear, api.runTrajectory, api.validateOptimizerModule, arb.netCase, arb.runCaseArbitrary, vt.marginMatchers];
      console.log(names.map((f) => typeof f).join(' '));
      await import('margincheck/dist/src/core/rng.js').catch((e) => console.log(e.code));`;
    const r = await run('node', ['--input-type=module', '-e', script], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${'function '.repeat(8)}object\nERR_PACKAGE_PATH_NOT_EXPORTED\n`);
  });

  it("runs the example's own vitest suite through the matchers and arbitraries, and its types check", async () => {
    const r = await run('npx', ['--no', '--', 'vitest', 'run'], project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tests\s+.*4 passed/);
    const types = await run('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
    expect(types.code, types.stdout).toBe(0);
  });
});
