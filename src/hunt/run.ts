/**
 * Runs a hunt's blocks (this shard's share) inline or in `jobs` worker processes, merges every
 * confirmed case into the corpus and writes it atomically after each block that confirmed one (an
 * interrupted hunt keeps them all), and summarizes per family. The corpus is first replayed as a
 * regression check: every stored case must still confirm with identical evidence.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { TopLevelSpec } from 'vega-lite';
import { fileURLToPath } from 'node:url';
import { CERTIFIED, type Theorem31Verdict } from '../theorems/theorem31.js';
import { replaysExactly } from './confirm.js';
import { makeCorpus, mergeCorpora, writeCorpus, type Corpus, type CorpusEntry } from './corpus.js';
import type { Family } from './families.js';
import { BLOCK_SIZE, runBlock, shardTasks, type BlockResult, type BlockTask, type CandidateRow, type HuntConfig } from './search.js';

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly confirmed: number;
  readonly perMinute: number;
  readonly etaSeconds: number;
}

export interface FamilySummary {
  readonly family: Family;
  readonly candidates: number;
  readonly lateReached: number;
  readonly certified: number;
  readonly violated: number;
  readonly confirmed: number;
  readonly maxScore: number;
  /** Wall seconds from the hunt's start to the first confirmation of this family, or null. */
  readonly firstConfirmedAt: number | null;
  /** Seconds the family's own candidates took, in canonical order, up to and including its first confirmed one (null: none). */
  readonly familySecondsToFirst: number | null;
  readonly phases: Record<CandidateRow['phase'], { candidates: number; confirmed: number; maxScore: number }>;
}

export interface HuntOutcome {
  readonly config: HuntConfig;
  readonly jobs: number;
  readonly seconds: number;
  readonly candidates: number;
  readonly perMinute: number;
  readonly interrupted: boolean;
  readonly families: readonly FamilySummary[];
  readonly rows: readonly CandidateRow[];
  /** This hunt's confirmed cases (canonical order) and their γ̃ charts by id. */
  readonly found: readonly CorpusEntry[];
  readonly charts: Readonly<Record<string, TopLevelSpec>>;
  /** The corpus after the hunt (the replayed corpus plus what was found). */
  readonly corpus: Corpus;
  readonly regression: { readonly replayed: number; readonly failed: readonly string[] };
}

export interface HuntIo {
  /** Where the corpus lives: read first (regression), rewritten after each confirmed block. Omit for none. */
  readonly corpusPath?: string;
  readonly initial?: Corpus;
  readonly jobs: number;
  readonly onProgress?: (p: Progress) => void;
  readonly signal?: AbortSignal;
}

export function replayCorpus(corpus: Corpus): { replayed: number; failed: string[] } {
  const failed = corpus.entries.filter((e) => !replaysExactly(e)).map((e) => e.id);
  return { replayed: corpus.entries.length, failed };
}

export async function runHunt(cfg: HuntConfig, io: HuntIo): Promise<HuntOutcome> {
  const started = performance.now();
  const wall = () => (performance.now() - started) / 1000;
  let corpus = io.initial ?? makeCorpus([]);
  const regression = replayCorpus(corpus);
  const tasks = shardTasks(cfg);
  const total = tasks.reduce((t, task) => t + Math.min(BLOCK_SIZE, cfg.budget - task.block * BLOCK_SIZE), 0);
  const results: { result: BlockResult; startedAt: number }[] = [];
  let done = 0;
  let found = 0;
  const accept = (result: BlockResult, startedAt: number) => {
    results.push({ result, startedAt });
    done += result.rows.length;
    found += result.confirmed.length;
    if (result.confirmed.length) {
      corpus = mergeCorpora(corpus, makeCorpus(result.confirmed));
      if (io.corpusPath) writeCorpus(io.corpusPath, corpus);
    }
    const perMinute = (60 * done) / Math.max(wall(), 1e-9);
    io.onProgress?.({ done, total, confirmed: found, perMinute, etaSeconds: ((total - done) * 60) / Math.max(perMinute, 1e-9) });
  };
  const jobs = Math.max(1, Math.min(io.jobs, tasks.length));
  if (jobs === 1) {
    for (const task of tasks) {
      if (io.signal?.aborted) break;
      const at = wall();
      accept(runBlock(task, cfg), at);
      await new Promise((r) => setImmediate(r)); // let a SIGINT handler run between blocks
    }
  } else {
    await runInWorkers(tasks, cfg, jobs, accept, wall, io.signal);
  }
  const ordinal = (t: BlockTask) => tasks.findIndex((u) => u.family === t.family && u.block === t.block);
  const rows = results.sort((a, b) => ordinal(a.result.task) - ordinal(b.result.task)).flatMap((r) => r.result.rows);
  const seconds = wall();
  return {
    config: cfg,
    jobs,
    seconds,
    candidates: rows.length,
    perMinute: (60 * rows.length) / seconds,
    interrupted: !!io.signal?.aborted,
    families: cfg.families.map((f) => summarize(f, results.filter((r) => r.result.task.family === f))),
    rows,
    found: makeCorpus(results.flatMap((r) => r.result.confirmed)).entries,
    charts: Object.assign({}, ...results.map((r) => r.result.charts)),
    corpus,
    regression,
  };
}

function summarize(family: Family, results: readonly { result: BlockResult; startedAt: number }[]): FamilySummary {
  const rows = [...results].sort((a, b) => a.result.task.block - b.result.task.block).flatMap((r) => r.result.rows);
  const firstRow = rows.findIndex((r) => r.confirmed);
  const maxScore = (rs: readonly CandidateRow[]) => Math.max(0, ...rs.map((r) => r.score));
  const phase = (p: CandidateRow['phase']) => {
    const rs = rows.filter((r) => r.phase === p);
    return { candidates: rs.length, confirmed: rs.filter((r) => r.confirmed).length, maxScore: maxScore(rs) };
  };
  const firsts = results.filter((r) => r.result.firstConfirmedAfter !== null).map((r) => r.startedAt + r.result.firstConfirmedAfter!);
  return {
    family,
    candidates: rows.length,
    lateReached: rows.filter((r) => r.lateReached).length,
    certified: rows.filter((r) => CERTIFIED.includes(r.verdict as Theorem31Verdict)).length,
    violated: rows.filter((r) => r.verdict === 'violated').length,
    confirmed: rows.filter((r) => r.confirmed).length,
    maxScore: maxScore(rows),
    firstConfirmedAt: firsts.length ? Math.min(...firsts) : null,
    familySecondsToFirst: firstRow < 0 ? null : rows.slice(0, firstRow + 1).reduce((t, r) => t + r.seconds, 0),
    phases: { generation: phase('generation'), targeted: phase('targeted') },
  };
}

/** The worker next to this module: worker.js in the compiled package, worker.ts (through tsx) from the sources. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = fileURLToPath(new URL(FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url));

/** A pool of forked workers (tsx loader), each running one block at a time, dealt in canonical order. */
async function runInWorkers(
  tasks: readonly BlockTask[],
  cfg: HuntConfig,
  jobs: number,
  accept: (r: BlockResult, startedAt: number) => void,
  wall: () => number,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const children: ChildProcess[] = [];
  const drive = (child: ChildProcess) =>
    new Promise<void>((resolve, reject) => {
      let startedAt = 0;
      const send = () => {
        if (next >= tasks.length || signal?.aborted) {
          resolve();
          return;
        }
        startedAt = wall();
        child.send({ task: tasks[next++], cfg });
      };
      child.on('message', (result: BlockResult) => {
        accept(result, startedAt);
        send();
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 || signal?.aborted ? resolve() : reject(new Error(`hunt worker exited with code ${code}`))));
      send();
    });
  try {
    const workers = Array.from({ length: jobs }, () => {
      const child = fork(WORKER, [], { execArgv: FROM_SOURCE ? ['--import', 'tsx'] : [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      return drive(child);
    });
    const onAbort = () => children.forEach((c) => c.kill());
    signal?.addEventListener('abort', onAbort, { once: true });
    await Promise.all(workers);
    signal?.removeEventListener('abort', onAbort);
  } finally {
    for (const c of children) if (c.connected) c.disconnect();
  }
}
