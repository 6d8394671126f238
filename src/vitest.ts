/**
 * `margincheck/vitest`: matchers for your own vitest suites. Importing this module registers them
 * (`expect.extend`) and adds their types to vitest's `expect`:
 *
 * ```ts
 * import 'margincheck/vitest';
 * expect(net).toBeHomogeneous();                    // scaling + Euler identities, float64 tolerances
 * expect(runCase).toHoldTheorem31();                // a RunCase, a Theorem31Case or a Theorem31Result
 * expect(runCase).toApproachKkt({ norm: 'linf' });  // KKT residual R shrinks along the segment
 * ```
 * A failure prints the evidence (residuals in units of their derived tolerance, verdicts, R brackets)
 * and a replay line.
 * @module margincheck/vitest
 */
import { expect } from 'vitest';
import type { Dataset, Net } from './core/types.js';
import { makeRng } from './core/rng.js';
import { gaussianDataset } from './data/synthetic.js';
import { buildNet } from './engines/index.js';
import type { NetSpec } from './nets/index.js';
import { CERTIFIED, checkTheorem31, type Theorem31Case, type Theorem31Options, type Theorem31Result, type Theorem31Verdict } from './theorems/theorem31.js';
import { segmentKkt, type SegmentKktOptions, type SegmentKktResult } from './theorems/theorem38.js';
import type { KktRecord } from './trajectory/kktRecord.js';
import type { TrajectoryResult } from './trajectory/run.js';
import { plantedTheta } from '../properties/arbitraries.js';
import { eulerResiduals, eulerTolerance, maxRatio, scalingResiduals } from '../properties/identities.js';
import { fmt } from '../properties/outcome.js';
import { buildCase, describeRun, type BuiltCase, type RunCase } from '../properties/trajectory-cases.js';

export interface HomogeneityOptions {
  /** The degree L to check; default the net's declared degree, else the first L in 1..4 that holds. */
  readonly degree?: number;
  /** Random (θ, data) probes (default 8); half of them plant exact zeros in θ to hit ReLU kinks. */
  readonly probes?: number;
  /** Seed of the first probe; probe i uses seed + i (default 0). */
  readonly seed?: number;
  /** Samples per probe (default 16). */
  readonly samples?: number;
}

export interface Theorem31MatcherOptions {
  /** Verdicts that pass (default: the certified ones that are not `violated`: holds, discretization, kink-sliding). */
  readonly accept?: readonly Theorem31Verdict[];
  /** Options of `checkTheorem31` when the received value is a case. */
  readonly options?: Partial<Theorem31Options>;
}

export interface KktMatcherOptions {
  /** The norm R must be measured in (a case is measured in its algorithm's own norm, THEORY §7). */
  readonly norm?: string;
  /** Require R_end < R_start beyond both certified brackets (default true). */
  readonly shrink?: boolean;
  /** Require R_end ≤ this (upper end of its bracket). */
  readonly below?: number;
  /** Require R_end/R_start ≤ this (conservative: upper end over lower end). */
  readonly ratio?: number;
  /** Options of `segmentKkt` when the received value is a case. */
  readonly options?: Partial<SegmentKktOptions>;
}

/** The matchers' types, added to vitest's `expect(…)`. */
export interface MarginMatchers<R = unknown> {
  /** f(cθ) = c^L f(θ) and Euler ⟨θ, ∇f⟩ = L f on seeded probes of the float64 reference net, within derived float64 tolerances. Receives a Net or a NetSpec. */
  toBeHomogeneous(options?: HomogeneityOptions): R;
  /** Theorem 3.1's verdict is certified and not `violated`. Receives a RunCase, a Theorem31Case or a Theorem31Result. */
  toHoldTheorem31(options?: Theorem31MatcherOptions): R;
  /** The KKT residual R decreases (and/or ends below a threshold). Receives a RunCase, a case, a SegmentKktResult, or a TrajectoryResult or Theorem31Result that recorded R. */
  toApproachKkt(options?: KktMatcherOptions): R;
}

declare module 'vitest' {
  interface Matchers<T = any> extends MarginMatchers<T> {}
}

/** What a matcher returns to vitest. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isNet = (x: unknown): x is Net => isObject(x) && typeof x.forward === 'function' && isObject(x.layout);
const isRunCase = (x: unknown): x is RunCase => isObject(x) && typeof x.arch === 'string' && typeof x.algorithm === 'string';
const isCase = (x: unknown): x is Theorem31Case => isObject(x) && isNet(x.net) && isObject(x.data) && x.theta instanceof Float64Array;
const literal = (x: unknown) => JSON.stringify(x);

// ------------------------------------------------------------------------------------------ toBeHomogeneous

/** Scale factors: a power of two (cθ exact) and an awkward decimal (cθ rounded). */
const SCALES = [0.5, 3.1];
const INIT_SCALES = [1, 1e-2, 10, 0.3];

interface ProbeResult {
  readonly seed: number;
  readonly ratio: number;
  readonly evidence: string;
}

/** The worst identity on one seeded probe, in units of its tolerance (properties/identities.ts). */
function probe(net: Net, degree: number, seed: number, samples: number): ProbeResult {
  const rng = makeRng(`toBeHomogeneous/${seed}`);
  const data: Dataset = gaussianDataset(rng.child('data'), samples, net.inputDim, 'random');
  const initScale = INIT_SCALES[seed % INIT_SCALES.length];
  const { theta, zeros } = plantedTheta(net, rng, initScale, seed % 2 === 1 ? 0.15 : 0);
  const where = `probe seed ${seed} (init scale ${initScale}, ${zeros} planted zeros, N = ${samples})`;
  let worst: ProbeResult = { seed, ratio: 0, evidence: `${where}: every identity exact` };
  const consider = (name: string, res: Float64Array, tol: Float64Array) => {
    const { ratio, at } = maxRatio(res, tol);
    if (!(ratio <= worst.ratio)) {
      worst = { seed, ratio, evidence: `${name} at ${where}, sample ${at}: residual ${fmt(res[at])} = ${fmt(ratio)} × tolerance ${fmt(tol[at])}` };
    }
  };
  for (const c of SCALES) {
    const { residual, tolerance } = scalingResiduals(net, theta, data, c, degree);
    consider(`f(cθ) = c^L f(θ) with c = ${c}, L = ${degree}`, residual, tolerance);
  }
  consider(`Euler ⟨θ, ∇f⟩ = L f with L = ${degree}`, eulerResiduals(net, theta, data, degree), eulerTolerance(net, theta, data, degree));
  return worst;
}

function toBeHomogeneous(received: unknown, options: HomogeneityOptions = {}): MatcherResult {
  const spec = isNet(received) ? null : isObject(received) && typeof received.kind === 'string' ? (received as NetSpec) : null;
  if (!isNet(received) && !spec) return { pass: false, message: () => `toBeHomogeneous expects a Net or a NetSpec, got ${literal(received)}` };
  // Homogeneity is a property of the architecture: it is checked on the float64 reference net, with
  // float64 tolerances (a float32 engine's agreement with it is the engines' differential tests' job).
  const net = spec ? buildNet(spec) : (received as Net).reference;
  const probes = options.probes ?? 8;
  const seed0 = options.seed ?? 0;
  const samples = options.samples ?? 16;
  const candidates = options.degree !== undefined ? [options.degree] : net.degree !== null ? [net.degree] : [1, 2, 3, 4];
  const subject = spec ? `buildNet(${literal(spec)})` : 'net';
  const replay = (degree: number, seed: number) => `replay: expect(${subject}).toBeHomogeneous(${literal({ degree, seed, probes: 1, samples })})`;
  const failures: { degree: number; worst: ProbeResult }[] = [];
  for (const degree of candidates) {
    let worst: ProbeResult = { seed: seed0, ratio: 0, evidence: '' };
    for (let i = 0; i < probes && worst.ratio <= 1; i++) {
      const r = probe(net, degree, seed0 + i, samples);
      if (!(r.ratio <= worst.ratio)) worst = r;
    }
    if (worst.ratio <= 1) {
      return {
        pass: true,
        message: () =>
          `expected ${net.name} not to be homogeneous, but with L = ${degree} every identity held on ${probes} probes ` +
          `(worst ${fmt(worst.ratio)} × tolerance${worst.evidence ? `: ${worst.evidence}` : ''})\n${replay(degree, worst.seed)}`,
      };
    }
    failures.push({ degree, worst });
  }
  const declared = options.degree !== undefined ? `L = ${options.degree} (given)` : net.degree !== null ? `L = ${net.degree} (declared)` : 'no L in 1..4 (net.degree = null)';
  return {
    pass: false,
    message: () =>
      [`expected ${net.name} to be homogeneous with ${declared}:`, ...failures.map((f) => `  ${f.worst.evidence}`), replay(failures[0].degree, failures[0].worst.seed)].join('\n'),
  };
}

// ------------------------------------------------------------------------------------------ toHoldTheorem31

const isTheorem31Result = (x: unknown): x is Theorem31Result => isObject(x) && typeof x.verdict === 'string' && Array.isArray(x.levels);

function theorem31Evidence(r: Theorem31Result): string {
  const levels = r.levels.map((l) => `Δq = ${l.dq}: D = ${fmt(l.d)} over ${l.steps} steps (${l.stop})`);
  const escalation = r.escalation ? ` (float64 re-run: ${r.escalation.label}, ${r.escalation.float64})` : '';
  return [
    `verdict ${r.verdict.toUpperCase()}${escalation} in ${r.norm} on ${r.engine.name}: ${r.reason}`,
    ...levels.map((l) => `  ${l}`),
    `  D ratio ${fmt(r.ratio)}, efficiency E ${fmt(r.efficiency)}, margin ${fmt(r.marginInTau)} × τ; soft margins that fell: ${r.fell.length ? r.fell.join(', ') : 'none'}`,
  ].join('\n');
}

function toHoldTheorem31(received: unknown, options: Theorem31MatcherOptions = {}): MatcherResult {
  const accept = options.accept ?? CERTIFIED.filter((v) => v !== 'violated');
  let result: Theorem31Result;
  let subject: string;
  let replay: string;
  if (isTheorem31Result(received)) {
    result = received;
    subject = 'the Theorem 3.1 result';
    replay = 'replay: rerun the case that produced this result (pass a RunCase for a one-line replay)';
  } else if (isRunCase(received)) {
    const built = buildCase(received);
    result = checkTheorem31({ net: built.net, data: built.data, theta: built.theta, norm: built.norm }, options.options);
    subject = describeRun(received);
    replay = `replay: expect(${literal(received)}).toHoldTheorem31(${options.options ? literal({ options: options.options }) : ''})`;
  } else if (isCase(received)) {
    result = checkTheorem31(received, options.options);
    subject = `${received.net.name} in ${received.norm}, N = ${received.data.n}`;
    replay = 'replay: expect(case).toHoldTheorem31() with the same net, data and θ (a RunCase replays in one line)';
  } else {
    return { pass: false, message: () => `toHoldTheorem31 expects a RunCase, a Theorem31Case or a Theorem31Result, got ${literal(received)}` };
  }
  const pass = accept.includes(result.verdict);
  const why = CERTIFIED.includes(result.verdict) ? '' : ' (not certified: a run that never reaches the late phase checks nothing)';
  return {
    pass,
    message: () =>
      `expected ${subject} ${pass ? 'not ' : ''}to hold Theorem 3.1 (accepted: ${accept.join(', ')})${pass ? '' : why}:\n${theorem31Evidence(result)}\n${replay}`,
  };
}

// ------------------------------------------------------------------------------------------ toApproachKkt

const isSegmentKkt = (x: unknown): x is SegmentKktResult => isObject(x) && typeof x.status === 'string' && 'start' in x && 'end' in x;
const isTrajectory = (x: unknown): x is TrajectoryResult => isObject(x) && Array.isArray(x.checkpoints);
const bracket = (k: KktRecord) => `${fmt(k.r)} ∈ [${fmt(k.rLower)}, ${fmt(k.rUpper)}] (${k.method})`;

function toApproachKkt(received: unknown, options: KktMatcherOptions = {}): MatcherResult {
  let start: KktRecord | null;
  let end: KktRecord | null;
  let status: string;
  let subject: string;
  let replay: string;
  // Theorem 3.8 is norm-specific: a case is measured in its own algorithm norm, and `norm` is asserted.
  const segmentOf = (c: Theorem31Case | BuiltCase) => segmentKkt({ net: c.net, data: c.data, theta: c.theta, norm: c.norm }, options.options);
  if (isTheorem31Result(received)) {
    ({ start, end } = received.kkt ?? { start: null, end: null });
    status = `Theorem 3.1 run: ${received.verdict}${received.kkt ? '' : ' (R not recorded: pass options.kkt to checkTheorem31)'}`;
    subject = 'the Theorem 3.1 run';
    replay = 'replay: rerun checkTheorem31 with the same case and options';
  } else if (isSegmentKkt(received) || isRunCase(received) || isCase(received)) {
    const r = isSegmentKkt(received) ? received : isRunCase(received) ? segmentOf(buildCase(received)) : segmentOf(received);
    ({ start, end } = r);
    status = `${r.status}: ${r.reason}`;
    subject = isRunCase(received) ? describeRun(received) : isCase(received) ? `${received.net.name}, N = ${received.data.n}` : 'the segment';
    replay = isRunCase(received)
      ? `replay: expect(${literal(received)}).toApproachKkt(${literal(options)})`
      : 'replay: rerun the same net, data and θ (a RunCase replays in one line)';
  } else if (isTrajectory(received)) {
    const recorded = received.checkpoints.filter((c) => c.kkt);
    start = recorded[0]?.kkt ?? null;
    end = recorded.length > 1 ? recorded[recorded.length - 1].kkt! : null;
    status = `${recorded.length} checkpoints with R (${received.diagnostic})`;
    subject = 'the trajectory';
    replay = 'replay: rerun runTrajectory with the same spec (record R with `kkt: true`)';
  } else {
    return { pass: false, message: () => `toApproachKkt expects a RunCase, a case, a SegmentKktResult, a TrajectoryResult or a Theorem31Result, got ${literal(received)}` };
  }
  const failed: string[] = [];
  if (!start || !end) failed.push('R was not recorded at two points (θ must separate the data)');
  else {
    if (options.norm !== undefined && end.norm !== options.norm) failed.push(`R is in ${end.norm}, not ${options.norm}`);
    if ((options.shrink ?? true) && !(end.rUpper < start.rLower)) failed.push(`R_end's bracket does not lie below R_start's (${fmt(end.rUpper)} ≥ ${fmt(start.rLower)})`);
    if (options.below !== undefined && !(end.rUpper <= options.below)) failed.push(`R_end ≤ ${fmt(end.rUpper)} is not ≤ ${options.below}`);
    if (options.ratio !== undefined && !(end.rUpper / start.rLower <= options.ratio)) failed.push(`R_end/R_start ≤ ${fmt(end.rUpper / start.rLower)} is not ≤ ${options.ratio}`);
  }
  const pass = failed.length === 0;
  const evidence = start && end ? `R (${end.norm}): start ${bracket(start)} → end ${bracket(end)}, R_end/R_start ≤ ${fmt(end.rUpper / start.rLower)}` : 'R: not recorded';
  return {
    pass,
    message: () =>
      `expected ${subject} ${pass ? 'not ' : ''}to approach a KKT point${pass ? '' : `: ${failed.join('; ')}`}\n  ${evidence}\n  ${status}\n${replay}`,
  };
}

/** The matchers, for `expect.extend` (importing this module already registers them). */
export const marginMatchers = { toBeHomogeneous, toHoldTheorem31, toApproachKkt };

expect.extend(marginMatchers);
