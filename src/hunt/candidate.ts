/**
 * A hunter candidate = discrete structure (fast-check) + continuous knobs (targeted phase), built into
 * a float64 net, dataset and θ₀ entirely from seeds, and screened by the Theorem 3.1 protocol of
 * THEORY §5 with L = the layer count (THEORY §10: outside homogeneity the checker needs a supplied degree).
 */
import type { Dataset, Net } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { makeRng } from '../core/rng.js';
import { algorithmNorm } from '../config/run.js';
import { clusterDataset } from '../data/clusters.js';
import { makeDataset } from '../data/dataset.js';
import { gaussianDataset } from '../data/synthetic.js';
import { buildNet } from '../engines/index.js';
import type { NetSpec } from '../nets/index.js';
import {
  CERTIFIED,
  checkTheorem31,
  DEFAULT_THEOREM31,
  type Theorem31Mutation,
  type Theorem31Options,
  type Theorem31Result,
  type Theorem31Verdict,
} from '../theorems/theorem31.js';
import { familySpec, isControl, type Structure } from './families.js';

/** The continuous knobs the targeted phase hill-climbs (defaults: the generated candidate as is). */
export interface Knobs {
  /** Multiplies the init scale 10^(−initExp). */
  readonly initFactor: number;
  /** Multiplies the bias blocks b_l of θ₀ (families with biases). */
  readonly biasFactor: number;
  /** Moves the data points: x ← x + shift·ξ, ξ ~ N(0, I) from `shiftSeed` (labels kept). */
  readonly shift: number;
  readonly shiftSeed: number;
  /** Δq of the pre-phase (the step rule that decides where the late phase is entered, §5.1). */
  readonly prePhaseDq: number;
}

export const DEFAULT_KNOBS: Knobs = { initFactor: 1, biasFactor: 1, shift: 0, shiftSeed: 0, prePhaseDq: 0.2 };

export interface Candidate {
  readonly structure: Structure;
  readonly knobs: Knobs;
}

/** Checker settings of a hunt (recorded with every counterexample, so replay uses the same). */
export interface CheckSettings {
  /** Step cap per ladder level (beyond it: `cost-limited`). */
  readonly maxStepsPerLevel: number;
  /** Pre-phase step cap (beyond it: `inconclusive`, no late phase). */
  readonly prePhaseMaxSteps: number;
}

export const DEFAULT_CHECK: CheckSettings = { maxStepsPerLevel: 60_000, prePhaseMaxSteps: 20_000 };

/** The extended ladder of the confirmation: one finer level, Δq = 0.025 (THEORY §10, issue: persistence). */
export const CONFIRM_LADDER = [...DEFAULT_THEOREM31.ladder, 0.025] as const;

export interface Built {
  readonly spec: NetSpec;
  readonly net: Net;
  readonly data: Dataset;
  readonly theta: Float64Array;
  readonly norm: string;
  readonly initScale: number;
  /** L for S and γ̃: the layer count (the true degree for the homogeneous controls). */
  readonly degree: number;
}

const BIAS_BLOCK = /^b\d+$/;

export function hasBiases(spec: NetSpec): boolean {
  return buildNet(spec).layout.layers.some((l) => BIAS_BLOCK.test(l.name));
}

function buildData(s: Structure, k: Knobs): Dataset {
  const rng = makeRng(s.dataSeed).child('data');
  const base = s.data === 'clusters' ? clusterDataset(rng, s.n, s.d, { separation: 1, spread: 0.5 }) : gaussianDataset(rng, s.n, s.d, s.data);
  if (k.shift === 0) return base;
  const x = makeRng(k.shiftSeed).child('shift').fillGaussian(new Float64Array(base.x.length), k.shift);
  for (let i = 0; i < x.length; i++) x[i] += base.x[i];
  return makeDataset(x, base.y, base.n, base.d);
}

/** Net, data and θ₀ of a candidate (throws InputError when the data cannot be drawn, e.g. a one-class teacher). */
export function buildCandidate(c: Candidate): Built {
  const { structure: s, knobs: k } = c;
  const spec = familySpec(s);
  const net = buildNet(spec);
  const data = buildData(s, k);
  const initScale = 10 ** -s.initExp * k.initFactor;
  const theta = net.init(initScale, makeRng(s.thetaSeed).child('init'));
  if (k.biasFactor !== 1) {
    for (const l of net.layout.layers) {
      if (BIAS_BLOCK.test(l.name)) for (let i = l.offset; i < l.offset + l.rows * l.cols; i++) theta[i] *= k.biasFactor;
    }
  }
  const degree = isControl(s.family) ? net.degree! : s.depth;
  return { spec, net, data, theta, norm: algorithmNorm(s.algorithm), initScale, degree };
}

export function checkOptions(settings: CheckSettings, k: Knobs, ladder: readonly number[]): Partial<Theorem31Options> {
  return {
    ladder,
    maxStepsPerLevel: settings.maxStepsPerLevel,
    prePhase: { norm: 'l2', dq: k.prePhaseDq, band: DEFAULT_THEOREM31.band, maxSteps: settings.prePhaseMaxSteps },
    // The hunter reads D and E in the algorithm norm only: no flips, no other norms (cheaper steps).
    countFlips: false,
    trackedNorms: [],
  };
}

/** Runs the §5 protocol on a candidate with the given ladder. */
export function checkCandidate(c: Candidate, settings: CheckSettings, ladder: readonly number[], mutation: Theorem31Mutation = {}): { built: Built; result: Theorem31Result } {
  const built = buildCandidate(c);
  const result = checkTheorem31(
    { net: built.net, data: built.data, theta: built.theta, norm: built.norm, degree: built.degree },
    checkOptions(settings, c.knobs, ladder),
    mutation,
  );
  return { built, result };
}

export interface Screen {
  readonly verdict: Theorem31Verdict | 'invalid';
  readonly reason: string;
  /** min(D(0.1), D(0.05))/τ (0 without a decrease, −1 without a certified run): the targeted phase's objective. */
  readonly score: number;
  readonly lateReached: boolean;
  readonly steps: number;
}

/** Screens a candidate on the standard ladder (THEORY §5.6). Bad draws (e.g. one-class teacher data) are `invalid`. */
export function screen(c: Candidate, settings: CheckSettings, mutation: Theorem31Mutation = {}): Screen {
  try {
    const { result } = checkCandidate(c, settings, DEFAULT_THEOREM31.ladder, mutation);
    const score = CERTIFIED.includes(result.verdict) ? (Number.isFinite(result.marginInTau) ? result.marginInTau : 0) : -1;
    return { verdict: result.verdict, reason: result.reason, score, lateReached: result.prePhase.reached, steps: result.totalSteps };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { verdict: 'invalid', reason: err.message, score: -1, lateReached: false, steps: 0 };
  }
}
