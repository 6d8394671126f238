/**
 * The counterexample corpus: a versioned JSON file of confirmed cases (THEORY §10), each with
 * everything needed to replay it bit-for-bit — family, L, net spec, data kind and seeds, θ₀ seed and
 * init, algorithm, checker settings, fast-check seed and path — and its evidence: D, E, steps and the
 * γ̃ curve per Δq level. Entries are kept in one canonical order (family, block, index, id) without
 * duplicates (same id = same candidate and settings), so merging shard corpora gives exactly the
 * corpus of one serial hunt. Non-finite numbers are stored as the strings "NaN", "Infinity", "-Infinity".
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { writeAtomic } from '../report/write.js';
import type { NetSpec } from '../nets/index.js';
import type { Candidate, CheckSettings } from './candidate.js';
import { FAMILIES, HUNT_ALGORITHMS, HUNT_DATA, type Family } from './families.js';

export const CORPUS_FORMAT = 'margincheck-hunt-corpus';
export const CORPUS_VERSION = 1;

export interface LevelRecord {
  readonly dq: number;
  /** D in the algorithm norm, and E in its worst window (NaN without a decrease). */
  readonly d: number;
  readonly e: number;
  readonly steps: number;
  /** The γ̃ curve: s at each grid point and log γ̃ there. */
  readonly s: readonly number[];
  readonly logGamma: readonly number[];
}

export interface Sizes {
  readonly depth: number;
  readonly width: number;
  readonly n: number;
  readonly d: number;
  readonly initScale: number;
  readonly params: number;
}

export interface CorpusEntry {
  readonly id: string;
  readonly family: Family;
  /** The degree used for S and γ̃: the layer count. */
  readonly L: number;
  readonly algorithm: string;
  readonly norm: string;
  readonly net: string;
  readonly spec: NetSpec;
  readonly engine: 'f64';
  readonly candidate: Candidate;
  readonly check: CheckSettings;
  readonly fastCheck: { readonly seed: number; readonly path: string };
  readonly origin: { readonly huntSeed: string; readonly block: number; readonly index: number; readonly phase: 'generation' | 'targeted' };
  readonly sizes: Sizes;
  /** Sizes before minimization. */
  readonly found: Sizes;
  readonly reason: string;
  readonly marginInTau: number;
  readonly levels: readonly LevelRecord[];
}

export interface Corpus {
  readonly format: typeof CORPUS_FORMAT;
  readonly version: typeof CORPUS_VERSION;
  readonly entries: readonly CorpusEntry[];
}

export function entryId(candidate: Candidate, check: CheckSettings): string {
  return createHash('sha256').update(JSON.stringify({ candidate, check })).digest('hex').slice(0, 16);
}

const familyRank = (f: Family) => FAMILIES.indexOf(f);

/** Canonical order and no duplicates (the first of equal ids in that order stays). */
export function canonical(entries: readonly CorpusEntry[]): CorpusEntry[] {
  const sorted = [...entries].sort(
    (a, b) =>
      familyRank(a.family) - familyRank(b.family) ||
      a.origin.block - b.origin.block ||
      a.origin.index - b.origin.index ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const seen = new Set<string>();
  return sorted.filter((e) => !seen.has(e.id) && (seen.add(e.id), true));
}

export function makeCorpus(entries: readonly CorpusEntry[]): Corpus {
  return { format: CORPUS_FORMAT, version: CORPUS_VERSION, entries: canonical(entries) };
}

export function mergeCorpora(...corpora: readonly Corpus[]): Corpus {
  return makeCorpus(corpora.flatMap((c) => c.entries));
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

export function encodeCorpus(c: Corpus): string {
  return `${JSON.stringify(c, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

export function writeCorpus(path: string, c: Corpus): void {
  writeAtomic(path, encodeCorpus(c));
}

/** Reads and validates a corpus file; anything else is an InputError naming the file and the field. */
export function readCorpus(path: string): Corpus {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`corpus ${JSON.stringify(path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text, (_k, v) => (typeof v === 'string' && NON_FINITE.has(v) ? Number(v) : v));
  } catch (err) {
    throw new InputError(`corpus ${JSON.stringify(path)}: not valid JSON (${(err as Error).message})`);
  }
  return parseCorpus(raw, path);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseCorpus(raw: unknown, path: string): Corpus {
  const where = `corpus ${JSON.stringify(path)}`;
  if (!isObj(raw) || raw.format !== CORPUS_FORMAT) throw new InputError(`${where}: not a margincheck hunt corpus (format ≠ "${CORPUS_FORMAT}")`);
  if (raw.version !== CORPUS_VERSION) {
    throw new InputError(`${where}: version = ${JSON.stringify(raw.version)}: incompatible (this margincheck reads version ${CORPUS_VERSION})`);
  }
  if (!Array.isArray(raw.entries)) throw new InputError(`${where}: entries must be an array`);
  raw.entries.forEach((e, i) => checkEntry(e, `${where}: entries[${i}]`));
  return makeCorpus(raw.entries as CorpusEntry[]);
}

function field(o: Obj, key: string, at: string, ok: (v: unknown) => boolean, want: string): unknown {
  if (!ok(o[key])) throw new InputError(`${at}.${key} = ${JSON.stringify(o[key]) ?? 'undefined'}: ${want}`);
  return o[key];
}

const isNum = (v: unknown) => typeof v === 'number';
const isInt = (v: unknown) => Number.isInteger(v);
const isStr = (v: unknown) => typeof v === 'string';
const isNumArr = (v: unknown) => Array.isArray(v) && v.every(isNum);
const oneOf = (xs: readonly string[]) => (v: unknown) => typeof v === 'string' && xs.includes(v);

/** Checks the fields replay and merge read; the evidence must be well-formed numbers. */
function checkEntry(e: unknown, at: string): void {
  if (!isObj(e)) throw new InputError(`${at}: not an object`);
  field(e, 'id', at, isStr, 'must be a string');
  field(e, 'family', at, oneOf(FAMILIES), `must be one of ${FAMILIES.join(', ')}`);
  field(e, 'L', at, isInt, 'must be an integer');
  const cand = field(e, 'candidate', at, isObj, 'must be an object') as Obj;
  const s = field(cand, 'structure', `${at}.candidate`, isObj, 'must be an object') as Obj;
  const sa = `${at}.candidate.structure`;
  field(s, 'family', sa, oneOf(FAMILIES), 'unknown family');
  field(s, 'algorithm', sa, oneOf(HUNT_ALGORITHMS), `must be one of ${HUNT_ALGORITHMS.join(', ')}`);
  field(s, 'data', sa, oneOf(HUNT_DATA), `must be one of ${HUNT_DATA.join(', ')}`);
  for (const k of ['depth', 'width', 'n', 'd', 'initExp', 'dataSeed', 'thetaSeed']) field(s, k, sa, isInt, 'must be an integer');
  const kn = field(cand, 'knobs', `${at}.candidate`, isObj, 'must be an object') as Obj;
  for (const k of ['initFactor', 'biasFactor', 'shift', 'shiftSeed', 'prePhaseDq']) field(kn, k, `${at}.candidate.knobs`, isNum, 'must be a number');
  const check = field(e, 'check', at, isObj, 'must be an object') as Obj;
  for (const k of ['maxStepsPerLevel', 'prePhaseMaxSteps']) field(check, k, `${at}.check`, isInt, 'must be an integer');
  const origin = field(e, 'origin', at, isObj, 'must be an object') as Obj;
  for (const k of ['block', 'index']) field(origin, k, `${at}.origin`, isInt, 'must be an integer');
  const levels = field(e, 'levels', at, Array.isArray, 'must be an array') as unknown[];
  levels.forEach((l, i) => {
    const la = `${at}.levels[${i}]`;
    if (!isObj(l)) throw new InputError(`${la}: not an object`);
    for (const k of ['dq', 'd', 'e', 'steps']) field(l, k, la, isNum, 'must be a number');
    for (const k of ['s', 'logGamma']) field(l, k, la, isNumArr, 'must be an array of numbers');
  });
}
