/**
 * `npm run verify:seeds -- K`: `margincheck verify --profile ci` at K fresh seeds, one after another,
 * then a row-by-seed table of verdicts and worst residuals — for use before a release. A row that
 * holds at some seeds only is a bug in the code or in the row, never noise.
 *   npm run verify:seeds -- 5                      five fresh seeds (node:crypto, printed)
 *   npm run verify:seeds -- --seeds 1,2,3          these seeds
 *   npm run verify:seeds -- 3 --profile thorough   another profile
 * Every run is deterministic given its seed: a cell replays with `npx margincheck verify --profile P
 * --seed S`. Reports go to out/verify-seeds/<seed>/. Exit 0 iff every row passes at every seed.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '../src/core/errors.js';
import { fmt, PASSING, PROFILES, type Profile, type RowKind, type Verdict } from './outcome.js';

export interface SeedRun {
  readonly seed: number;
  readonly seconds: number;
  /** Rows of the report, in table order (worst: a string such as "Infinity" when it was not finite). */
  readonly rows: readonly { readonly property: string; readonly kind: RowKind; readonly verdict: Verdict; readonly worst: number | string }[];
}

const cell = (r: SeedRun['rows'][number] | undefined): string => {
  if (!r) return 'absent';
  const w = typeof r.worst === 'number' ? fmt(r.worst) : 'inf';
  return r.verdict === PASSING[r.kind] ? w : r.verdict === 'vacuous' ? 'VACUOUS' : `${r.verdict === 'missed' ? 'MISS' : 'VIOL'} ${w}`;
};

/** The row-by-seed table; `held` counts the rows that pass (hold, found, reported) at every seed. */
export function seedTable(runs: readonly SeedRun[]): { lines: string[]; held: number; rows: number } {
  const names = [...new Set(runs.flatMap((r) => r.rows.map((o) => o.property)))];
  const byName = runs.map((r) => new Map(r.rows.map((o) => [o.property, o])));
  const width = Math.min(70, Math.max(...names.map((n) => n.length)));
  const col = Math.max(10, ...runs.map((r) => String(r.seed).length + 1));
  const head = ['row'.padEnd(width), ...runs.map((r) => String(r.seed).padStart(col))].join(' ');
  let held = 0;
  const body = names.map((name) => {
    const cells = byName.map((m) => m.get(name));
    if (cells.every((o) => o !== undefined && o.verdict === PASSING[o.kind])) held++;
    const label = name.length > width ? `${name.slice(0, width - 1)}…` : name.padEnd(width);
    return [label, ...cells.map((o) => cell(o).padStart(col))].join(' ');
  });
  const time = ['wall time (s)'.padEnd(width), ...runs.map((r) => r.seconds.toFixed(0).padStart(col))].join(' ');
  const summary = `${held} of ${names.length} rows pass at all ${runs.length} seeds (${runs.map((r) => r.seed).join(', ')})`;
  return { lines: [head, ...body, time, '', summary], held, rows: names.length };
}

interface Args {
  readonly seeds: number[];
  readonly profile: Profile;
}

function parseArgs(argv: readonly string[]): Args {
  let count: number | undefined;
  let seeds: number[] | undefined;
  let profile: Profile = 'ci';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--profile') {
      const p = argv[++i];
      if (!PROFILES.includes(p as Profile)) throw new InputError(`--profile = ${JSON.stringify(p)}: unknown profile (valid: ${PROFILES.join(', ')})`);
      profile = p as Profile;
    } else if (a === '--seeds') {
      const list = argv[++i] ?? '';
      seeds = list.split(',').map(Number);
      if (!seeds.length || !seeds.every(Number.isInteger)) throw new InputError(`--seeds = ${JSON.stringify(list)}: must be comma-separated integers`);
    } else if (count === undefined && /^\d+$/.test(a) && Number(a) >= 1) {
      count = Number(a);
    } else {
      throw new InputError(`argument ${JSON.stringify(a)}: expected K (a positive count of fresh seeds), --seeds a,b,c or --profile P`);
    }
  }
  if (!seeds && count === undefined) throw new InputError('K = (none): give the number of fresh seeds, e.g. `npm run verify:seeds -- 5`');
  return { seeds: seeds ?? Array.from({ length: count! }, () => randomInt(1, 2 ** 31 - 1)), profile };
}

function runSeed(seed: number, profile: Profile): SeedRun {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const out = join(root, 'out', 'verify-seeds', String(seed));
  const t0 = Date.now();
  const args = [join(root, 'bin', 'margincheck.js'), 'verify', '--profile', profile, '--seed', String(seed), '--out', out];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (Date.now() - t0) / 1000;
  const summary = child.stdout.split('\n').find((l) => / rows pass /.test(l));
  console.log(`seed ${seed}: ${summary ?? `no report (exit ${child.status}): ${child.stderr.trim().split('\n').pop()}`}`);
  if (!summary) return { seed, seconds, rows: [] };
  const report = JSON.parse(readFileSync(join(out, `verify-${profile}.json`), 'utf8')) as { suites: { rows: SeedRun['rows'] }[] };
  return { seed, seconds, rows: report.suites.flatMap((s) => s.rows) };
}

async function main(): Promise<number> {
  const { seeds, profile } = parseArgs(process.argv.slice(2));
  console.log(`margincheck verify --profile ${profile} at ${seeds.length} seed(s): ${seeds.join(', ')}`);
  const runs = seeds.map((s) => runSeed(s, profile));
  const { lines, held, rows } = seedTable(runs);
  console.log(`\n${lines.join('\n')}`);
  return held === rows && runs.every((r) => r.rows.length > 0) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    console.error(`verify:seeds: ${err.message}`);
    process.exitCode = 2;
  }
}
