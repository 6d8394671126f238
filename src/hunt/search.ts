/**
 * The counterexample search (THEORY §10). A family's budget of B candidates is cut into blocks of
 * `BLOCK_SIZE`: each block screens its share of fast-check-generated structures (phase 1, paths
 * `k` under the family's fast-check seed), then hill-climbs the continuous knobs — init scale, bias
 * init, data points, pre-phase step rule — from the block's most promising candidate, maximizing
 * D/τ (phase 2, Hypothesis' `target()` idea, which fast-check lacks). Every `violated` screen goes
 * through confirmation and minimization (src/hunt/confirm.ts). A block depends only on the seed,
 * the family and its index, so blocks can run in any order, in worker processes, or on the shards
 * of a CI matrix (block ordinal mod n), and the merged corpora equal one serial run's.
 */
import fc from 'fast-check';
import type { TopLevelSpec } from 'vega-lite';
import { makeRng } from '../core/rng.js';
import { theorem31Chart } from '../report/charts.js';
import { DEFAULT_THEOREM31, type Theorem31Mutation } from '../theorems/theorem31.js';
import { buildCandidate, DEFAULT_KNOBS, hasBiases, screen, type Candidate, type CheckSettings, type Knobs, type Screen } from './candidate.js';
import { minimize, persistentViolation, replaysExactly, type Evidence } from './confirm.js';
import { entryId, type CorpusEntry, type Sizes } from './corpus.js';
import { familySpec, structureArbitrary, type Family, type HuntAlgorithm, type HuntData, type Structure } from './families.js';

/** Candidates per block (phase 1 + phase 2). */
export const BLOCK_SIZE = 10;

export interface HuntConfig {
  readonly families: readonly Family[];
  /** Candidates screened per family (phases 1 and 2 together; confirmation runs are extra). */
  readonly budget: number;
  readonly seed: string;
  readonly algorithms: readonly HuntAlgorithm[];
  readonly data: readonly HuntData[];
  /** Share of each block spent in the targeted phase, in [0, 0.9] (0: generation only). */
  readonly targeted: number;
  /** Confirmation checks a minimization may spend. */
  readonly shrinkBudget: number;
  readonly check: CheckSettings;
  /** 0-based shard index and shard count (1 shard: the whole hunt). */
  readonly shard: { readonly index: number; readonly count: number };
  /** Test-only: a checker mutant (the hunter must then fire on homogeneous controls). */
  readonly mutation?: Theorem31Mutation;
}

export interface BlockTask {
  readonly family: Family;
  readonly block: number;
}

export interface CandidateRow {
  readonly family: Family;
  readonly block: number;
  readonly index: number;
  readonly phase: 'generation' | 'targeted';
  readonly label: string;
  readonly verdict: Screen['verdict'];
  readonly score: number;
  readonly lateReached: boolean;
  readonly confirmed: boolean;
  readonly seconds: number;
}

export interface BlockResult {
  readonly task: BlockTask;
  readonly rows: readonly CandidateRow[];
  readonly confirmed: readonly CorpusEntry[];
  /** The γ̃ chart (vega-lite, src/report/charts.ts) of each confirmed case's confirmation run, by entry id. */
  readonly charts: Readonly<Record<string, TopLevelSpec>>;
  /** Seconds from the block's start to its first confirmation (before minimization), or null. */
  readonly firstConfirmedAfter: number | null;
  readonly seconds: number;
}

/** The family's fast-check seed (an integer derived from the hunt seed). */
export function familySeed(seed: string, family: Family): number {
  return makeRng(`${seed}/hunt/${family}`).int(2 ** 31);
}

export function blockShape(cfg: Pick<HuntConfig, 'budget' | 'targeted'>, block: number): { generated: number; targeted: number; perBlockGenerated: number } {
  const perBlockTargeted = Math.round(BLOCK_SIZE * cfg.targeted);
  const perBlockGenerated = BLOCK_SIZE - perBlockTargeted;
  const size = Math.min(BLOCK_SIZE, cfg.budget - block * BLOCK_SIZE);
  const generated = Math.min(perBlockGenerated, size);
  return { generated, targeted: size - generated, perBlockGenerated };
}

/** All blocks of the hunt in their canonical order (round-robin over families), then this shard's share. */
export function shardTasks(cfg: Pick<HuntConfig, 'families' | 'budget' | 'shard'>): BlockTask[] {
  const blocks = Math.ceil(cfg.budget / BLOCK_SIZE);
  const all: BlockTask[] = [];
  for (let block = 0; block < blocks; block++) for (const family of cfg.families) all.push({ family, block });
  return all.filter((_, ordinal) => ordinal % cfg.shard.count === cfg.shard.index);
}

export function structureAt(cfg: Pick<HuntConfig, 'algorithms' | 'data'>, family: Family, fcSeed: number, path: string): Structure {
  return fc.sample(structureArbitrary(family, cfg.algorithms, cfg.data), { seed: fcSeed, path, numRuns: 1 })[0];
}

export function describeStructure(s: Structure, k: Knobs = DEFAULT_KNOBS): string {
  const init = 10 ** -s.initExp * k.initFactor;
  const knobs = k === DEFAULT_KNOBS ? '' : ` bias×${k.biasFactor} shift ${k.shift} pre-Δq ${k.prePhaseDq}`;
  return `L=${s.depth} w=${s.width} N=${s.n} d=${s.d} init=${init.toPrecision(3)} ${s.algorithm} ${s.data}${knobs}`;
}

function sizesOf(c: Candidate): Sizes {
  const s = c.structure;
  const built = buildCandidate(c);
  return { depth: s.depth, width: s.width, n: s.n, d: s.d, initScale: built.initScale, params: built.net.layout.size };
}

/** One move of the targeted phase: one knob, up or down (multiplicative steps; new data noise for the shift). */
function perturb(k: Knobs, rng: ReturnType<typeof makeRng>, withBias: boolean): Knobs {
  const knobs = ['initFactor', 'prePhaseDq', 'shift', ...(withBias ? ['biasFactor'] : [])];
  const which = knobs[rng.int(knobs.length)];
  const up = rng.uniform() < 0.5;
  switch (which) {
    case 'initFactor':
      return { ...k, initFactor: k.initFactor * (up ? 2 : 0.5) };
    case 'biasFactor':
      return { ...k, biasFactor: k.biasFactor * (up ? 2 : 0.5) };
    case 'prePhaseDq':
      // Within the ladder's range: the pre-phase is a re-timed flow at any Δq (THEORY §5.1).
      return { ...k, prePhaseDq: Math.min(0.4, Math.max(0.025, k.prePhaseDq * (up ? 2 : 0.5))) };
    default:
      return { ...k, shift: Math.max(0, Math.round((k.shift + (up ? 0.1 : -0.1)) * 10) / 10), shiftSeed: rng.int(2 ** 31) };
  }
}

/** Runs one block: its generated candidates, then the climb from the most promising one. */
export function runBlock(task: BlockTask, cfg: HuntConfig): BlockResult {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const fcSeed = familySeed(cfg.seed, task.family);
  const shape = blockShape(cfg, task.block);
  const rows: CandidateRow[] = [];
  const confirmed: CorpusEntry[] = [];
  const charts: Record<string, TopLevelSpec> = {};
  let firstConfirmedAfter: number | null = null;

  const visit = (candidate: Candidate, path: string, phase: CandidateRow['phase']): CandidateRow & { screen: Screen } => {
    const t0 = performance.now();
    const s = screen(candidate, cfg.check, cfg.mutation);
    const index = rows.length;
    let isConfirmed = false;
    if (s.verdict === 'violated') {
      const entry = confirm(candidate, path, phase, index);
      if (entry) {
        isConfirmed = true;
        confirmed.push(entry);
      }
    }
    const row = {
      family: task.family,
      block: task.block,
      index,
      phase,
      label: describeStructure(candidate.structure, candidate.knobs),
      verdict: s.verdict,
      score: s.score,
      lateReached: s.lateReached,
      confirmed: isConfirmed,
      seconds: (performance.now() - t0) / 1000,
    };
    rows.push(row);
    return { ...row, screen: s };
  };

  const confirm = (candidate: Candidate, path: string, phase: CandidateRow['phase'], index: number): CorpusEntry | null => {
    const evidence = persistentViolation(candidate, cfg.check, cfg.mutation);
    if (!evidence) return null;
    firstConfirmedAfter ??= elapsed();
    const small = minimize({ candidate, evidence, path }, fcSeed, cfg.algorithms, cfg.data, cfg.check, cfg.shrinkBudget, cfg.mutation);
    const entry = makeEntry(small.candidate, small.evidence, small.path, candidate, { phase, index });
    if (replaysExactly(entry, cfg.mutation)) {
      charts[entry.id] = theorem31Chart(small.evidence.result, { title: `${task.family} ${entry.id}: ${small.evidence.result.verdict} (L = ${entry.L})`, tau: DEFAULT_THEOREM31.tau });
      return entry;
    }
    // Replay is deterministic code; a mismatch is reported as a non-confirmation, never stored.
    return null;
  };

  const makeEntry = (c: Candidate, ev: Evidence, path: string, found: Candidate, where: { phase: CandidateRow['phase']; index: number }): CorpusEntry => {
    const built = buildCandidate(c);
    return {
      id: entryId(c, cfg.check),
      family: task.family,
      L: built.degree,
      algorithm: c.structure.algorithm,
      norm: built.norm,
      net: built.net.name,
      spec: familySpec(c.structure),
      engine: 'f64',
      candidate: c,
      check: cfg.check,
      fastCheck: { seed: fcSeed, path },
      origin: { huntSeed: cfg.seed, block: task.block, index: where.index, phase: where.phase },
      sizes: sizesOf(c),
      found: sizesOf(found),
      reason: ev.result.reason,
      marginInTau: ev.result.marginInTau,
      levels: ev.levels,
    };
  };

  const generated: (CandidateRow & { screen: Screen; candidate: Candidate; path: string })[] = [];
  for (let j = 0; j < shape.generated; j++) {
    const path = String(task.block * shape.perBlockGenerated + j);
    const candidate: Candidate = { structure: structureAt(cfg, task.family, fcSeed, path), knobs: DEFAULT_KNOBS };
    generated.push({ ...visit(candidate, path, 'generation'), candidate, path });
  }

  // Phase 2: climb D/τ from the most promising candidate, unconfirmed ones first (ties: the earliest),
  // so the block always spends its whole budget.
  const starts = [...generated].sort((a, b) => Number(a.confirmed) - Number(b.confirmed) || b.score - a.score || a.index - b.index);
  if (shape.targeted > 0 && starts.length > 0) {
    const rng = makeRng(`${cfg.seed}/hunt/${task.family}/block${task.block}/climb`);
    let current = starts[0];
    const withBias = hasBiases(familySpec(current.candidate.structure));
    for (let i = 0; i < shape.targeted; i++) {
      const candidate: Candidate = { structure: current.candidate.structure, knobs: perturb(current.candidate.knobs, rng, withBias) };
      const row = visit(candidate, current.path, 'targeted');
      // Accept ties too (a random walk across a D = 0 plateau); never sit on a case already confirmed.
      if (!row.confirmed && row.score >= current.score) current = { ...row, candidate, path: current.path };
    }
  }
  return { task, rows, confirmed, charts, firstConfirmedAfter, seconds: elapsed() };
}
