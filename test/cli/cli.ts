/** Spawning the margincheck CLI from tests, and the bad-input contract every rejection must meet. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');
/**
 * The CLI from its sources through tsx (no stale dist/; the packed bin is tested in test/package).
 * tsx's loader by absolute URL (its "import" export), so a run from another folder still finds it.
 */
export const CLI = ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, join(root, 'src/cli/main.ts')];

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to its end (killed after `timeout` ms: a hang fails the test). */
export async function runCli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [...CLI, ...args], { timeout: opts.timeout ?? 150_000, cwd: opts.cwd, env: { ...process.env, ...opts.env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string; killed?: boolean };
    if (e.killed) throw new Error(`margincheck ${args.join(' ')}: no answer within the timeout (a hang)`);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'margincheck-test-'));

/** Exit 2, exactly one stderr line matching `message`, no stack trace, nothing on stdout. */
export function expectBadInput(r: CliResult, message: RegExp, what = ''): void {
  const context = `${what}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  expect(r.code, context).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, context).toHaveLength(1);
  expect(lines[0], context).toMatch(/^margincheck: /);
  expect(lines[0], context).toMatch(message);
  expect(r.stdout, context).toBe('');
}
