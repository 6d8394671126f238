/** `margincheck verify`: run the suites, print the verdict table, write the report atomically. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { promisify } from 'node:util';
import { InputError } from '../core/errors.js';
import { PROFILES, type Profile } from '../../properties/profiles.js';
import type { Suite } from '../../properties/suites.js';
import type { SuiteRows } from '../../properties/table.js';
import { writeAtomic } from '../report/write.js';

export interface VerifyOptions {
  profile: string;
  seed: string;
  suite?: string[];
  property?: string;
  path?: string;
  out: string;
  full?: boolean;
  /** Worker processes for the suites (default: up to 2, the cores CI has). */
  jobs: string;
  /** Also write the rows as JUnit XML here. */
  junit?: string;
  /** Internal: run the suites and write their rows here as JSON (a worker of a parallel verify). */
  rowsTo?: string;
}

const execFileAsync = promisify(execFile);

function parseSeed(s: string): number {
  const seed = Number(s);
  if (!Number.isInteger(seed)) throw new InputError(`--seed = ${JSON.stringify(s)}: must be an integer`);
  return seed;
}

export async function verify(opts: VerifyOptions): Promise<number> {
  if (!PROFILES.includes(opts.profile as Profile)) {
    throw new InputError(`--profile = ${JSON.stringify(opts.profile)}: unknown profile (valid: ${PROFILES.join(', ')})`);
  }
  const profile = opts.profile as Profile;
  const seed = parseSeed(opts.seed);
  const jobs = Number(opts.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new InputError(`--jobs = ${JSON.stringify(opts.jobs)}: must be a positive integer`);
  if (opts.junit !== undefined && statSync(opts.junit, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`--junit = ${JSON.stringify(opts.junit)}: is a directory (give the XML file to write)`);
  }
  // The suites (fast-check, solvers, mathjs) load only once the cheap checks above have passed.
  if (opts.property) return replay(opts.property, seed, opts.path, profile, opts.junit);
  const { SUITES } = await import('../../properties/suites.js');
  const wanted = opts.suite?.length ? opts.suite : SUITES.map((s) => s.id);
  for (const id of wanted) {
    if (!SUITES.some((s) => s.id === id)) {
      throw new InputError(`--suite = ${JSON.stringify(id)}: unknown suite (valid: ${SUITES.map((s) => s.id).join(', ')})`);
    }
  }
  const suites = SUITES.filter((s) => wanted.includes(s.id));
  if (opts.rowsTo) {
    writeAtomic(opts.rowsTo, encodeRows(await runSuites(suites, profile, seed)));
    return 0;
  }
  const started = Date.now();
  console.log(`margincheck verify — profile ${profile}, seed ${seed}, ${Math.min(jobs, suites.length)} worker(s)`);
  const results = jobs > 1 && suites.length > 1 ? await runInWorkers(suites, jobs, profile, seed) : await runSuites(suites, profile, seed);
  const all = results.flatMap((r) => r.rows);
  const bad = all.filter((o) => o.verdict !== 'holds');
  const summary = `${all.length - bad.length} of ${all.length} properties hold (profile ${profile}, seed ${seed}, ${(
    (Date.now() - started) /
    1000
  ).toFixed(1)} s)`;
  const { renderHtml, renderTable } = await import('../../properties/table.js');
  console.log(renderTable(results, opts.full));
  console.log(`\n${summary}`);
  const meta = { profile, seed: String(seed), node: process.version, cpu: os.cpus()[0]?.model ?? '?', date: new Date().toISOString(), summary };
  const base = join(opts.out, `verify-${profile}`);
  writeAtomic(`${base}.json`, JSON.stringify({ meta, suites: results }, null, 2));
  writeAtomic(`${base}.html`, renderHtml(results, meta));
  console.log(`report: ${base}.html (and .json)`);
  if (opts.junit) await writeJunit(opts.junit, results, profile, seed);
  return bad.length === 0 ? 0 : 1;
}

async function writeJunit(path: string, results: readonly SuiteRows[], profile: Profile, seed: number): Promise<void> {
  const { renderJunit } = await import('../report/junit.js');
  writeAtomic(path, renderJunit(results, { profile, seed }));
  console.log(`JUnit XML: ${path}`);
}

async function runSuites(suites: readonly Suite[], profile: Profile, seed: number): Promise<SuiteRows[]> {
  const { runSuite } = await import('../../properties/suites.js');
  const results: SuiteRows[] = [];
  for (const suite of suites) {
    const t0 = Date.now();
    const rows = await runSuite(suite, profile, seed);
    results.push({ id: suite.id, title: suite.title, rows, seconds: (Date.now() - t0) / 1000, headline: suite.headline });
  }
  return results;
}

// Outcomes carry ±Infinity/NaN residuals, which JSON would turn into null.
const encodeRows = (rows: SuiteRows[]) =>
  JSON.stringify(rows, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `__num:${v}` : v));
const decodeRows = (text: string): SuiteRows[] =>
  JSON.parse(text, (_k, v) => (typeof v === 'string' && v.startsWith('__num:') ? Number(v.slice(6)) : v));

/**
 * Runs the suites in `jobs` worker processes (each seeded suite is independent, so the rows are the
 * same as a serial run): suites are dealt largest estimated cost first to the least-loaded worker.
 */
async function runInWorkers(suites: readonly Suite[], jobs: number, profile: Profile, seed: number): Promise<SuiteRows[]> {
  const groups: { ids: string[]; cost: number }[] = Array.from({ length: Math.min(jobs, suites.length) }, () => ({ ids: [], cost: 0 }));
  for (const s of [...suites].sort((a, b) => (b.cost ?? 1) - (a.cost ?? 1))) {
    const g = groups.reduce((best, x) => (x.cost < best.cost ? x : best));
    g.ids.push(s.id);
    g.cost += s.cost ?? 1;
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'margincheck-verify-'));
  // Workers run the entry script of this process (bin/margincheck.js, or src/cli/main.ts under tsx).
  const entry = [...process.execArgv, process.argv[1]];
  try {
    const parts = await Promise.all(
      groups.map(async (g, i) => {
        const file = join(dir, `rows${i}.json`);
        const args = [...entry, 'verify', '--profile', profile, '--seed', String(seed), '--jobs', '1', '--rows-to', file, '--suite', ...g.ids];
        await execFileAsync(process.execPath, args, { maxBuffer: 64 << 20 });
        return decodeRows(readFileSync(file, 'utf8'));
      }),
    );
    const byId = new Map(parts.flat().map((r) => [r.id, r]));
    return suites.map((s) => byId.get(s.id)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function replay(name: string, seed: number, path: string | undefined, profile: Profile, junit: string | undefined): Promise<number> {
  const { findProperty } = await import('../../properties/suites.js');
  const spec = findProperty(name);
  if (!spec) throw new InputError(`--property = ${JSON.stringify(name)}: no such property (see the verdict table for names)`);
  const { runProperty } = await import('../../properties/outcome.js');
  const t0 = Date.now();
  const o = runProperty(spec, { seed, path, profile });
  console.log(`${o.verdict.toUpperCase()}  ${o.property}\n  ${o.detail}\n  replay: ${o.replay}`);
  if (junit) await writeJunit(junit, [{ id: 'replay', title: `replay: ${name}`, rows: [o], seconds: (Date.now() - t0) / 1000 }], profile, seed);
  return o.verdict === 'holds' ? 0 : 1;
}
