/**
 * The hunter end to end at a CI budget: output-bias counterexamples are confirmed (persistent at
 * Δq = 0.025, replayed bit-for-bit, minimized) under a fixed seed; shards merged = one serial run in
 * worker processes; the corpus round-trips, merges without duplicates and rejects foreign files; bad
 * CLI input exits 2 with one line and writes nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHECK } from '../../src/hunt/candidate.js';
import { replaysExactly } from '../../src/hunt/confirm.js';
import { encodeCorpus, makeCorpus, mergeCorpora, readCorpus, writeCorpus, type CorpusEntry } from '../../src/hunt/corpus.js';
import { HUNT_ALGORITHMS, HUNT_DATA } from '../../src/hunt/families.js';
import { parseHuntConfig, parseShard } from '../../src/hunt/cli.js';
import { runHunt, type HuntOutcome } from '../../src/hunt/run.js';
import { structureAt, type HuntConfig } from '../../src/hunt/search.js';
import { CI_SEED } from '../support/outcome.js';
import { CI_BUDGET } from '../support/hunt.js';

const base: HuntConfig = {
  families: ['output-bias'],
  budget: CI_BUDGET,
  seed: String(CI_SEED),
  algorithms: HUNT_ALGORITHMS,
  data: HUNT_DATA,
  targeted: 0.4,
  shrinkBudget: 4,
  check: DEFAULT_CHECK,
  shard: { index: 0, count: 1 },
};

describe('power: output-bias counterexamples within the CI budget (fixed seed)', () => {
  let o: HuntOutcome;
  beforeAll(async () => {
    o = await runHunt(base, { jobs: 1 });
  });

  it('confirms at least one, persistent at Δq = 0.025 and stated with L', () => {
    const f = o.families[0];
    console.log(`output-bias: ${f.candidates} candidates, ${f.lateReached} late phase, ${f.violated} violated, ${f.confirmed} confirmed; ` +
      o.found.map((e) => `${e.net} ${e.algorithm} N=${e.sizes.n} D/τ=${e.marginInTau.toFixed(1)}`).join('; '));
    expect(f.candidates).toBe(CI_BUDGET);
    expect(o.found.length).toBeGreaterThanOrEqual(1);
    for (const e of o.found) {
      expect(e.levels.map((l) => l.dq)).toEqual([0.2, 0.1, 0.05, 0.025]);
      expect(e.L).toBe(e.sizes.depth);
      // Persistent: D above τ = 2e-3 at the three finest levels (THEORY §5.6).
      for (const l of e.levels.slice(1)) expect(l.d).toBeGreaterThan(2e-3);
    }
  });

  it('every confirmed case replays bit-for-bit from its JSON record, and its fast-check path regenerates its structure', () => {
    for (const e of o.found) {
      const stored = JSON.parse(encodeCorpus(makeCorpus([e]))).entries[0] as CorpusEntry;
      expect(replaysExactly(stored)).toBe(true);
      expect(structureAt(base, e.family, e.fastCheck.seed, e.fastCheck.path)).toEqual(e.candidate.structure);
    }
  });

  it('minimization never grows a case', () => {
    for (const e of o.found) {
      for (const k of ['depth', 'width', 'n', 'd', 'params'] as const) expect(e.sizes[k]).toBeLessThanOrEqual(e.found[k]);
    }
  });

  it('shards 1/2 and 2/2 merged = the serial run (run in 2 worker processes)', async () => {
    const cfg = { ...base, budget: 2 * CI_BUDGET, algorithms: ['gd'] as const, shrinkBudget: 1 };
    const serial = await runHunt(cfg, { jobs: 2 });
    const shards = await Promise.all([0, 1].map((index) => runHunt({ ...cfg, shard: { index, count: 2 } }, { jobs: 1 })));
    expect(shards.map((s) => s.candidates)).toEqual([CI_BUDGET, CI_BUDGET]);
    const merged = mergeCorpora(...shards.map((s) => s.corpus));
    expect(serial.found.length).toBeGreaterThanOrEqual(1);
    expect(encodeCorpus(merged)).toBe(encodeCorpus(serial.corpus));
  });
});

describe('interrupted hunt', () => {
  it('keeps every confirmed case in the corpus on disk (written atomically after each confirmed block)', async () => {
    const corpusPath = join(mkdtempSync(join(tmpdir(), 'margincheck-hunt-int-')), 'corpus.json');
    const abort = new AbortController();
    const cfg = { ...base, budget: 2 * CI_BUDGET, algorithms: ['gd'] as const, data: ['positive'] as const, shrinkBudget: 1 };
    const o = await runHunt(cfg, { jobs: 1, corpusPath, signal: abort.signal, onProgress: () => abort.abort() });
    expect(o.interrupted).toBe(true);
    expect(o.candidates).toBe(CI_BUDGET);
    expect(o.found.length).toBeGreaterThanOrEqual(1);
    expect(encodeCorpus(readCorpus(corpusPath))).toBe(encodeCorpus(makeCorpus(o.found)));
  });
});

describe('corpus file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'margincheck-hunt-'));
  const fake = (id: string, block: number): CorpusEntry =>
    ({
      id,
      family: 'output-bias',
      L: 2,
      candidate: {
        structure: { family: 'output-bias', algorithm: 'gd', data: 'positive', depth: 2, width: 2, n: 2, d: 2, initExp: 3, dataSeed: 1, thetaSeed: 2 },
        knobs: { initFactor: 1, biasFactor: 1, shift: 0, shiftSeed: 0, prePhaseDq: 0.2 },
      },
      check: DEFAULT_CHECK,
      origin: { huntSeed: '1', block, index: 0, phase: 'generation' },
      levels: [{ dq: 0.2, d: 0, e: NaN, steps: 3, s: [0, 0.2], logGamma: [-1, -Infinity] }],
    }) as unknown as CorpusEntry;

  it('round-trips non-finite numbers, merges without duplicates in canonical order', () => {
    const a = makeCorpus([fake('b', 1), fake('a', 0)]);
    const b = makeCorpus([fake('a', 0), fake('c', 2)]);
    writeCorpus(join(dir, 'a.json'), a);
    const back = readCorpus(join(dir, 'a.json'));
    expect(back.entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect(back.entries[0].levels[0].e).toBeNaN();
    expect(back.entries[0].levels[0].logGamma[1]).toBe(-Infinity);
    expect(mergeCorpora(a, b).entries.map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('rejects a file that is not a corpus, a wrong version and a malformed entry, naming the field', () => {
    const write = (name: string, v: unknown) => (writeFileSync(join(dir, name), JSON.stringify(v)), join(dir, name));
    expect(() => readCorpus(write('x.json', { a: 1 }))).toThrow(/not a margincheck hunt corpus/);
    expect(() => readCorpus(write('v.json', { format: 'margincheck-hunt-corpus', version: 9, entries: [] }))).toThrow(/version = 9: incompatible/);
    const bad = { ...fake('a', 0), L: 'two' };
    expect(() => readCorpus(write('e.json', { format: 'margincheck-hunt-corpus', version: 1, entries: [bad] }))).toThrow(/entries\[0\]\.L = "two"/);
  });
});

describe('hunt CLI input', () => {
  it.each(['0/3', '4/3', 'a/b', '1/0', ''])('--shard %j is rejected', (s) => {
    expect(() => parseShard(s)).toThrow(/--shard = .*: must be i\/n/);
  });
  it('accepts 2/3 as the second of three shards', () => expect(parseShard('2/3')).toEqual({ index: 1, count: 3 }));
  const opts = { family: ['all'], budget: '40', seed: '1', jobs: '1', shard: '1/1', out: 'x', algorithm: ['gd'], data: ['teacher'], targeted: '0.4', shrinkBudget: '12' };
  it('expands all to the eight hunter families (controls only by name)', () => {
    expect(parseHuntConfig(opts).families).toEqual(['output-bias', 'hidden-bias', 'residual', 'tanh', 'softplus', 'gelu', 'ensemble', 'layernorm']);
  });
  it.each([
    [{ family: ['bias'] }, /--family = "bias": unknown/],
    [{ algorithm: ['adam'] }, /--algorithm = "adam": unknown/],
    [{ data: ['mnist'] }, /--data = "mnist": unknown/],
    [{ budget: '2.5' }, /--budget = "2.5": must be a positive integer/],
    [{ targeted: '1' }, /--targeted = "1": must be a share in \[0, 0.9\]/],
  ])('rejects %j', (patch, message) => expect(() => parseHuntConfig({ ...opts, ...patch })).toThrow(message));

  it('a malformed shard exits 2 with one line and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'margincheck-hunt-cli-')), 'out');
    const cli = join(import.meta.dirname, '../../bin/margincheck.js');
    const r = await promisify(execFile)('node', [cli, 'hunt', '--shard', '4/3', '--out', out]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['margincheck: --shard = "4/3": must be i/n with 1 ≤ i ≤ n (e.g. 2/3)']);
    expect(existsSync(out)).toBe(false);
  });
});
