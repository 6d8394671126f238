/**
 * `margincheck verify`: run the suites in worker processes, stream each suite's rows as it finishes
 * (with a progress line on a TTY), write the report atomically; or replay one row (`--property`).
 * The suites (fast-check, solvers, mathjs) load only once the cheap checks of the input have passed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Outcome } from '../report/verdicts.js';
import { PROFILES, type Profile } from '../../properties/profiles.js';
import type { Suite } from '../../properties/suites.js';
import type { SuiteRows } from '../report/table.js';
import { writeAtomic } from '../report/write.js';
import { parsePositiveInt, parseSeed, rejectIgnored } from './args.js';
import { checkOutputFolder, claimOutputFolder, type OutputFolder } from './output.js';

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
  /** Internal: run the suites and send their rows to the parent process (a verify worker). */
  worker?: boolean;
}

/** Which options the user gave explicitly (not defaults): options a mode would ignore are errors. */
export type Given = Readonly<Record<'suite' | 'out' | 'full' | 'jobs' | 'path', boolean>>;

/** Most worker processes (there are fewer suites than this; more workers than suites never start). */
const MAX_JOBS = 64;

export async function verify(opts: VerifyOptions, given: Given): Promise<number> {
  if (!PROFILES.includes(opts.profile as Profile)) {
    throw new InputError(`--profile = ${JSON.stringify(opts.profile)}: unknown profile (valid: ${PROFILES.join(', ')})`);
  }
  const profile = opts.profile as Profile;
  const seed = parseSeed(opts.seed);
  if (opts.junit !== undefined) {
    if (statSync(opts.junit, { throwIfNoEntry: false })?.isDirectory()) {
      throw new InputError(`--junit = ${JSON.stringify(opts.junit)}: is a directory (give the XML file to write)`);
    }
    checkOutputFolder(dirname(opts.junit), '--junit');
  }
  if (opts.property !== undefined) {
    rejectIgnored({ '--suite': given.suite, '--out': given.out, '--full': given.full, '--jobs': given.jobs }, 'with --property (a replay prints its row and writes nothing)');
    return replay(opts.property, seed, opts.path, profile, opts.junit);
  }
  if (given.path) throw new InputError(`--path = ${JSON.stringify(opts.path)}: only with --property (it replays one fast-check counterexample)`);
  const jobs = opts.worker ? 1 : parsePositiveInt(opts.jobs, '--jobs', MAX_JOBS);
  if (!opts.worker) checkOutputFolder(opts.out);
  const { SUITES } = await import('../../properties/suites.js');
  const wanted = opts.suite ?? SUITES.map((s) => s.id);
  for (const id of wanted) {
    if (!SUITES.some((s) => s.id === id)) {
      throw new InputError(`--suite = ${JSON.stringify(id)}: unknown suite (valid: ${SUITES.map((s) => s.id).join(', ')})`);
    }
  }
  const suites = SUITES.filter((s) => wanted.includes(s.id));
  if (opts.worker) {
    if (!process.send) throw new InputError('--worker: internal to verify (its worker processes talk to the parent over IPC)');
    return work(suites, profile, seed);
  }
  const folder = claimOutputFolder(opts.out);
  // An interrupt stops every worker and frees the folder; the report is only written at the end.
  const interrupt = (signal: NodeJS.Signals) => {
    for (const c of children) c.kill('SIGKILL');
    folder.release();
    if (process.stdout.isTTY) process.stdout.write('\n'); // below the progress line
    console.error(`margincheck: interrupted (${signal}); workers stopped, no report written`);
    process.exit(130);
  };
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    return await runAndReport(suites, { profile, seed, jobs, full: !!opts.full, junit: opts.junit }, folder);
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    for (const c of children) c.kill('SIGKILL');
    folder.release();
  }
}

/** Live worker processes (removed as they exit). */
const children = new Set<ChildProcess>();

async function runAndReport(
  suites: readonly Suite[],
  o: { profile: Profile; seed: number; jobs: number; full: boolean; junit?: string },
  folder: OutputFolder,
): Promise<number> {
  const { passes } = await import('../report/verdicts.js');
  const { suiteRows } = await import('../../properties/suites.js');
  const { renderSuite, tableHeader, verifySummary } = await import('../report/table.js');
  const { paintFor, Progress } = await import('./terminal.js');
  const started = Date.now();
  const paint = paintFor(process.stdout);
  const workers = Math.min(o.jobs, suites.length);
  console.log(`margincheck verify — profile ${o.profile}, seed ${o.seed}, ${workers} worker(s)\n`);
  console.log(tableHeader(paint).join('\n'));
  const cost = (s: Suite) => s.cost ?? 1;
  const progress = new Progress(process.stdout, suites.length, suites.reduce((t, s) => t + cost(s), 0));
  const results = await runInWorkers(suites, workers, o.profile, o.seed, {
    row(suite, outcome) {
      progress.row(outcome.runs, cost(suite) / suiteRows(suite).length);
    },
    suite(block) {
      progress.suiteDone();
      progress.print(renderSuite(block, o.full, paint));
    },
  });
  progress.clear();
  const all = results.flatMap((r) => r.rows);
  const failing = all.filter((r) => !passes(r)).length;
  const summary = verifySummary(all, { profile: o.profile, seed: o.seed, seconds: (Date.now() - started) / 1000 });
  console.log(`\n${summary}`);
  const meta = { profile: o.profile, seed: String(o.seed), node: process.version, cpu: os.cpus()[0]?.model ?? '?', date: new Date().toISOString(), summary };
  // The record keeps ±Infinity/NaN as strings (a closest call of Infinity is written "Infinity").
  const { writeReport } = await import('../report/report.js');
  const { verifyReport } = await import('../report/verifyHtml.js');
  const written = await writeReport(folder.dir, `verify-${o.profile}`, verifyReport(results, meta), { meta, suites: results });
  console.log(`report: ${written.html} (and .json, ${written.charts.length} chart${written.charts.length === 1 ? '' : 's'}; index ${written.index})`);
  if (o.junit) await writeJunit(o.junit, results, o.profile, o.seed);
  return failing === 0 ? 0 : 1;
}

async function writeJunit(path: string, results: readonly SuiteRows[], profile: Profile, seed: number): Promise<void> {
  const { renderJunit } = await import('../report/junit.js');
  writeAtomic(path, renderJunit(results, { profile, seed }));
  console.log(`JUnit XML: ${path}`);
}

type Message = { type: 'row'; suite: string; outcome: Outcome } | { type: 'suite'; suite: string; seconds: number };

/** A verify worker: runs its suites in order and sends each row and each finished suite to the parent. */
async function work(suites: readonly Suite[], profile: Profile, seed: number): Promise<number> {
  const { runSuite } = await import('../../properties/suites.js');
  const send = (m: Message) => new Promise<void>((resolve, reject) => process.send!(m, undefined, {}, (err) => (err ? reject(err) : resolve())));
  // The parent gone (killed): stop at the next row.
  const orphaned = () => process.exit(1);
  process.on('disconnect', orphaned);
  for (const suite of suites) {
    const t0 = Date.now();
    await runSuite(suite, profile, seed, (outcome) => send({ type: 'row', suite: suite.id, outcome }));
    await send({ type: 'suite', suite: suite.id, seconds: (Date.now() - t0) / 1000 });
  }
  process.off('disconnect', orphaned);
  process.disconnect();
  return 0;
}

/**
 * Deals the suites to `jobs` worker processes (largest estimated cost first to the least-loaded
 * worker; each seeded suite is independent, so the rows equal a serial run) and relays their
 * messages as they arrive. Workers run this process's entry script (bin/margincheck.js, or the
 * compiled CLI) with its Node options.
 */
async function runInWorkers(
  suites: readonly Suite[],
  jobs: number,
  profile: Profile,
  seed: number,
  on: { row: (suite: Suite, o: Outcome) => void; suite: (block: SuiteRows) => void },
): Promise<SuiteRows[]> {
  const groups: { ids: string[]; cost: number }[] = Array.from({ length: jobs }, () => ({ ids: [], cost: 0 }));
  for (const s of [...suites].sort((a, b) => (b.cost ?? 1) - (a.cost ?? 1))) {
    const g = groups.reduce((best, x) => (x.cost < best.cost ? x : best));
    g.ids.push(s.id);
    g.cost += s.cost ?? 1;
  }
  const byId = new Map(suites.map((s) => [s.id, s]));
  const rows = new Map<string, Outcome[]>();
  const blocks = new Map<string, SuiteRows>();
  await Promise.all(
    groups.map(
      (g) =>
        new Promise<void>((resolve, reject) => {
          const args = ['verify', '--worker', '--profile', profile, '--seed', String(seed), '--suite', ...g.ids];
          const child = fork(process.argv[1], args, { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
          children.add(child);
          let stderr = '';
          child.stderr!.on('data', (chunk) => (stderr += chunk));
          child.on('message', (m: Message) => {
            const suite = byId.get(m.suite)!;
            if (m.type === 'row') {
              rows.set(m.suite, [...(rows.get(m.suite) ?? []), m.outcome]);
              on.row(suite, m.outcome);
            } else {
              const block = { id: suite.id, title: suite.title, rows: rows.get(suite.id) ?? [], seconds: m.seconds, headline: suite.headline };
              blocks.set(suite.id, block);
              on.suite(block);
            }
          });
          // 'close' follows the exit and the IPC channel's end, so every message has arrived.
          child.on('close', (code, signal) => {
            children.delete(child);
            if (code === 0) resolve();
            else reject(new Error(`verify worker for ${g.ids.join(', ')} failed (${signal ?? `exit ${code}`}):\n${stderr}`));
          });
        }),
    ),
  );
  return suites.map((s) => blocks.get(s.id)!);
}

async function replay(name: string, seed: number, path: string | undefined, profile: Profile, junit: string | undefined): Promise<number> {
  const { findRow } = await import('../../properties/suites.js');
  const row = findRow(name);
  if (!row) throw new InputError(`--property = ${JSON.stringify(name)}: no such row (see \`margincheck list\`)`);
  if (path !== undefined && row.batch) throw new InputError(`--path = ${JSON.stringify(path)}: ${JSON.stringify(name)} is a batch row and has no counterexample path`);
  const { passes } = await import('../report/verdicts.js');
  const { replayBlock } = await import('../report/table.js');
  const { paintFor } = await import('./terminal.js');
  const t0 = Date.now();
  const o = row.run(profile, seed, path);
  const paint = paintFor(process.stdout);
  console.log(replayBlock(o, paint).join('\n'));
  if (junit) await writeJunit(junit, [{ id: 'replay', title: `replay: ${name}`, rows: [o], seconds: (Date.now() - t0) / 1000 }], profile, seed);
  return passes(o) ? 0 : 1;
}
