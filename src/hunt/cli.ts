/**
 * `margincheck hunt`, `margincheck replay` and `margincheck corpus merge`. Every input is parsed and
 * validated (including an existing corpus) before anything runs or is written: bad input is one
 * InputError line and exit 2. The corpus is rewritten atomically after each confirmed block, so an
 * interrupted hunt (SIGINT) keeps every confirmed counterexample; it then writes its partial report.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { writeAtomic } from '../report/write.js';
import { DEFAULT_CHECK } from './candidate.js';
import { persistentViolation, sameLevels } from './confirm.js';
import { makeCorpus, mergeCorpora, readCorpus, writeCorpus, type Corpus } from './corpus.js';
import { FAMILIES, HUNT_ALGORITHMS, HUNT_DATA, HUNT_FAMILIES, parseNames } from './families.js';
import { buildReport, renderHuntHtml, replayCommand } from './report.js';
import { runHunt, type Progress } from './run.js';
import { describeStructure, type HuntConfig } from './search.js';

export interface HuntCliOptions {
  family: string[];
  budget: string;
  seed: string;
  jobs: string;
  shard: string;
  out: string;
  corpus?: string;
  algorithm: string[];
  data: string[];
  targeted: string;
  shrinkBudget: string;
  json?: boolean;
}

export const DEFAULT_JOBS = String(Math.min(2, os.availableParallelism()));

function positiveInt(field: string, s: string): number {
  const v = Number(s);
  if (!(/^\d+$/.test(s.trim()) && Number.isInteger(v) && v >= 1)) throw new InputError(`${field} = ${JSON.stringify(s)}: must be a positive integer`);
  return v;
}

/** `i/n` with 1 ≤ i ≤ n → 0-based index and count. */
export function parseShard(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && i >= 1 && i <= n)) throw new InputError(`--shard = ${JSON.stringify(s)}: must be i/n with 1 ≤ i ≤ n (e.g. 2/3)`);
  return { index: i - 1, count: n };
}

export function parseHuntConfig(o: HuntCliOptions): HuntConfig {
  if (!/^-?\d+$/.test(o.seed.trim())) throw new InputError(`--seed = ${JSON.stringify(o.seed)}: must be an integer`);
  const targeted = Number(o.targeted);
  if (!(o.targeted.trim() !== '' && targeted >= 0 && targeted <= 0.9)) {
    throw new InputError(`--targeted = ${JSON.stringify(o.targeted)}: must be a share in [0, 0.9]`);
  }
  return {
    families: parseNames('--family', o.family, FAMILIES, HUNT_FAMILIES),
    budget: positiveInt('--budget', o.budget),
    seed: o.seed.trim(),
    algorithms: parseNames('--algorithm', o.algorithm, HUNT_ALGORITHMS),
    data: parseNames('--data', o.data, HUNT_DATA),
    targeted,
    shrinkBudget: positiveInt('--shrink-budget', o.shrinkBudget),
    check: DEFAULT_CHECK,
    shard: parseShard(o.shard),
  };
}

const clock = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

function progressPrinter(): (p: Progress) => void {
  const tty = process.stderr.isTTY;
  return (p) => {
    const line = `${p.done}/${p.total} candidates · ${p.confirmed} confirmed · ${p.perMinute.toFixed(1)}/min · ETA ${clock(p.etaSeconds)}`;
    if (!tty) {
      console.error(`hunt: ${line}`);
      return;
    }
    const width = 24;
    const filled = Math.round((width * p.done) / Math.max(p.total, 1));
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}\x1b[K${p.done === p.total ? '\n' : ''}`);
  };
}

export async function huntCommand(o: HuntCliOptions): Promise<number> {
  const cfg = parseHuntConfig(o);
  const jobs = positiveInt('--jobs', o.jobs);
  const corpusPath = o.corpus ?? join(o.out, 'corpus.json');
  const initial: Corpus = existsSync(corpusPath) ? readCorpus(corpusPath) : makeCorpus([]);
  const shardTag = cfg.shard.count > 1 ? `-shard${cfg.shard.index + 1}of${cfg.shard.count}` : '';
  const base = join(o.out, `hunt-seed${cfg.seed}${shardTag}`);
  const say = (s: string) => (o.json ? console.error(s) : console.log(s));
  say(
    `margincheck hunt — ${cfg.families.join(', ')}; budget ${cfg.budget} per family, seed ${cfg.seed}, ${jobs} job(s), shard ${cfg.shard.index + 1}/${cfg.shard.count}` +
      (initial.entries.length ? `; replaying ${initial.entries.length} stored case(s) first` : ''),
  );
  const abort = new AbortController();
  const onSigint = () => {
    say('\nhunt: interrupted — finishing the report; every confirmed case is already in the corpus');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  const outcome = await runHunt(cfg, { corpusPath, initial, jobs, onProgress: progressPrinter(), signal: abort.signal });
  process.removeListener('SIGINT', onSigint);
  const report = buildReport(outcome, outcome.corpus.entries.length ? corpusPath : null);
  writeAtomic(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomic(`${base}.html`, await renderHuntHtml(report));
  if (o.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const f of report.families) {
      const first = f.firstConfirmedAt === null ? '' : `, first after ${f.firstConfirmedAt.toFixed(1)} s (own candidates ${f.familySecondsToFirst!.toFixed(1)} s)`;
      console.log(`${f.family.padEnd(18)} ${String(f.candidates).padStart(4)} candidates, ${f.lateReached} late phase, ${f.certified} certified, ${f.violated} violated, ${f.confirmed} confirmed${first}; max D/τ ${f.maxScore.toFixed(1)}${f.smallest ? `; smallest ${f.smallest}` : ''}`);
    }
    for (const e of report.counterexamples) console.log(`  ${e.id} ${e.family} L=${e.L} ${e.net} ${e.algorithm}: ${e.reason}\n    replay: ${e.replay}`);
    if (outcome.regression.failed.length) console.log(`corpus regression: ${outcome.regression.failed.length} stored case(s) no longer replay: ${outcome.regression.failed.join(', ')}`);
    console.log(`${outcome.candidates} candidates in ${outcome.seconds.toFixed(1)} s (${outcome.perMinute.toFixed(1)}/min)${outcome.interrupted ? ' — interrupted' : ''}`);
    console.log(`report: ${base}.html (and .json)${outcome.corpus.entries.length ? `; corpus: ${corpusPath}` : ''}`);
  }
  if (outcome.interrupted) return 130;
  return outcome.regression.failed.length ? 1 : 0;
}

/** `margincheck replay FILE [--index k]`: re-runs one stored case; exit 0 iff it reproduces bit-for-bit. */
export function replayCommandAction(file: string, opts: { index: string }): number {
  const corpus = readCorpus(file);
  if (!/^\d+$/.test(opts.index.trim()) || Number(opts.index) >= corpus.entries.length) {
    throw new InputError(`--index = ${JSON.stringify(opts.index)}: must be an integer in [0, ${corpus.entries.length - 1}] (${corpus.entries.length} entries)`);
  }
  const e = corpus.entries[Number(opts.index)];
  console.log(`replay ${e.id}: ${e.family}, L = ${e.L}, ${e.net}, ${e.algorithm} (norm ${e.norm}), ${describeStructure(e.candidate.structure, e.candidate.knobs)}`);
  const again = persistentViolation(e.candidate, e.check);
  if (!again) {
    console.log('NOT REPRODUCED: the check no longer confirms a persistent violation');
    return 1;
  }
  for (const l of again.levels) console.log(`  Δq = ${l.dq}: D = ${l.d.toPrecision(6)}, E = ${l.e.toPrecision(4)}, ${l.steps} steps`);
  const exact = sameLevels(again.levels, e.levels);
  console.log(`${again.result.verdict.toUpperCase()} — ${again.result.reason}`);
  console.log(exact ? 'reproduced bit-for-bit (D, E, steps and γ̃ curve at every level)' : 'VIOLATED again, but the evidence differs from the stored record');
  return exact ? 0 : 1;
}

/** `margincheck corpus merge A B … -o OUT`: union without duplicates, canonical order. */
export function corpusMergeAction(files: string[], opts: { output: string }): number {
  const corpora = files.map(readCorpus);
  const merged = mergeCorpora(...corpora);
  writeCorpus(opts.output, merged);
  console.log(`merged ${corpora.map((c) => c.entries.length).join(' + ')} entries → ${merged.entries.length} (${opts.output}); replay one: ${replayCommand(opts.output, 0)}`);
  return 0;
}
