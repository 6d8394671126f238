/**
 * CLI start-up: median wall time of a fresh `node` process running `margincheck --version`,
 * `--help` and a bad-input error (`verify --profile nope`, exit 2), target ≤ 0.3 s each. Measured for
 * the compiled CLI (bin/ → dist/) and, in a checkout, for the sources run through tsx (how the
 * bin ran before the package build), beside a bare `node -e 0` for the machine's own floor.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface StartupFigure {
  readonly label: string;
  readonly medianSeconds: number;
}

const ROOT = dirname(createRequire(import.meta.url).resolve('margincheck/package.json'));

const COMMANDS: readonly { label: string; args: string[]; exit: number }[] = [
  { label: '--version', args: ['--version'], exit: 0 },
  { label: '--help', args: ['--help'], exit: 0 },
  { label: 'bad input (verify --profile nope)', args: ['verify', '--profile', 'nope'], exit: 2 },
];

/** Median wall seconds of `node ...argv` over `repeats` runs after one warm-up (file cache). */
function medianWall(argv: readonly string[], exit: number, repeats: number): number {
  const times: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now();
    const p = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (p.status !== exit) throw new Error(`node ${argv.join(' ')}: exit ${p.status}, expected ${exit}: ${p.stderr.trim()}`);
    if (r > 0) times.push(seconds);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function startupFigures(repeats = 9): { floor: StartupFigure; runners: { runner: string; figures: StartupFigure[] }[] } {
  const runners = [{ runner: 'dist (compiled)', entry: [join(ROOT, 'bin/margincheck.js')] }];
  const sources = join(ROOT, 'src/cli/main.ts');
  if (existsSync(sources)) runners.push({ runner: 'tsx (sources)', entry: ['--import', 'tsx', sources] });
  return {
    floor: { label: 'node -e 0', medianSeconds: medianWall(['-e', '0'], 0, repeats) },
    runners: runners.map(({ runner, entry }) => ({
      runner,
      figures: COMMANDS.map((c) => ({ label: c.label, medianSeconds: medianWall([...entry, ...c.args], c.exit, repeats) })),
    })),
  };
}
