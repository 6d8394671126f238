/**
 * Theorem 3.8 (THEORY §7, §8) as batch rows and properties, through the KKT residual R:
 *  - linear models (Gunasekar et al.): the Δq-controlled steepest flow in ℓ2 (GD), ℓ∞ (sign) and ℓ1
 *    (coordinate descent) from init 1e-2 on N = 40, d = 20 separable data reaches γ_p ≥ 0.99·γ*_p and
 *    R_end ≤ 0.02·R_entry within a stated step budget, one row per norm with γ/γ*, R and steps;
 *  - on the same data, whose three optima differ, each algorithm ends with the largest margin in its
 *    own norm among the three trained predictors;
 *  - 2-layer homogeneous nets along the Theorem 3.1 segment: R_end/R_start per algorithm — GD: R grew
 *    in at most ⌈5 %⌉ of the seeds (listed), median ≤ 0.25, ≥ 80 % below ½; sign descent from init 1
 *    (median ≤ 0.5); sign descent from init 1e-2 and coordinate descent are reported (min / quartiles /
 *    median / max, how many grew), never asserted per seed (THEORY §7: they grew in 7 of 13 and 2 of
 *    26 seeds). No row asserts a per-seed decrease: Theorem 3.8 is about limit points, and R along a
 *    finite segment jumps with the kinks (the GD seed 20241029/theorem38/gd/48 ends at R = 0.592,
 *    0.165 or 0.552 from R = 0.564 at Δq = 0.05, 0.025, 0.0125, and at 0.140 by s = 4);
 *  - a fast-check property: the runner's R checkpoints (loss-based linear runs) obey the §7 bound
 *    R ≤ 1 − (γ_p/γ*_p)².
 *    Leaky-ReLU GD is reported too (the one-sided R jumps across kinks).
 * Every batch row gates on coverage (fewer than 60 % of its seeds certified = vacuous; cost-limited
 * and no-late-phase seeds are reported, never counted) and replays by its label
 * (`npx margincheck verify --property "<label>" --profile P --seed S`). Rows without a claim are
 * `reported` (their records' well-definedness is still asserted).
 */
import fc from 'fast-check';
import { makeRng } from '../src/core/rng.js';
import type { Dataset } from '../src/core/types.js';
import { getLoss } from '../src/losses/index.js';
import { lossBased, makeOptimizer } from '../src/optimizers/index.js';
import { kktSeries } from '../src/report/series.js';
import type { KktPoint } from '../src/trajectory/segment.js';
import { maxMarginLinear, type OracleNorm } from '../src/oracles/linear.js';
import { DUAL_NORM } from '../src/oracles/maxMargin.js';
import {
  DEFAULT_LINEAR_RUN,
  linearKktRun,
  linearMarginIn,
  oracleSeparation,
  segmentKkt,
  type LinearRunResult,
  type SegmentKktOptions,
  type SegmentKktResult,
} from '../src/theorems/theorem38.js';
import { runTrajectory } from '../src/trajectory/run.js';
import { differingOptima } from './kkt.js';
import { describeSeparable, separableCase, type SeparableCase } from './oracles.js';
import { fmt, PROFILE_FACTOR, quantile, replayCommand, type BatchRow, type Outcome, type Profile, type PropertySpec, type RunEvidence } from './outcome.js';
import { EPS } from './roundoff.js';
import { algorithmNorm, buildCase, describeRun, type ArchKind, type DataKind, type RunCase } from './trajectory-cases.js';
import { buildNet } from '../src/engines/index.js';

/**
 * Fraction of a row's seeds that must be certified, else the row is `vacuous` (the gate of the
 * Theorem 3.1 sweep). Linear runs are certified once in the late phase (the step budget is part of
 * their claim); net runs need the late phase and a complete segment (step-capped ones are listed as
 * cost-limited). Statistics use the certified seeds only. Room (thorough, seeds 20241029 and 1–5):
 * lowest late-phase fraction 0.73 (sign descent from init 1e-2, seed 3: 47 of 64; coordinate
 * descent ≥ 0.79, the rest ≥ 0.92), so the gate sits at 0.82 of it.
 */
export const CERTIFIED_GATE = 0.6;

/** Seeds per profile from the CI count (PROFILE_FACTOR), never fewer than `min`. */
function seedCount(ci: number, profile: Profile, min: number): number {
  return Math.max(min, Math.round(ci * PROFILE_FACTOR[profile]));
}

const r3 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)) : x);
const r4 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)) : x);


/**
 * The evidence of a row's closest-call run: its R checkpoints as a series (the runs of this suite
 * use the exponential loss, the default of linearKktRun and segmentKkt).
 */
function kktEvidence(run: string, points: readonly KktPoint[], norm: string, degree: number, measure: string, value: number): RunEvidence {
  return { kind: 'kkt', run, measure, value, series: kktSeries(run, points, { norm, degree, loss: getLoss('exp') }) };
}

/** Index of the largest value (the first of equals; NaN never wins), −1 for none. */
function argmax(values: readonly number[]): number {
  return values.reduce((best, v, i) => (best < 0 || v > values[best] ? i : best), -1);
}

// ---------------------------------------------------------------------------------------------
// Linear models

/** Algorithms of the linear rows, in table order. */
export const LINEAR_ALGORITHMS: readonly string[] = ['gd', 'sign', 'coord'];
/** CI seeds of the linear rows (one seed = three runs, ≈ 1 s). */
export const LINEAR_RUNS = 8;
/** θ₀ scale of the linear runs (small: the late-phase entry is then reached from the origin's neighbourhood). */
export const LINEAR_INIT = 1e-2;

export interface LinearSeed {
  readonly label: string;
  readonly c: SeparableCase;
  /** oracleSeparation: 1 − the best other oracle direction's margin over γ*_p, minimum over p. */
  readonly separation: number;
  /** By algorithm (gd, sign, coord). */
  readonly runs: Readonly<Record<string, LinearRunResult>>;
}

const normOf = (algorithm: string, d: number) => algorithmNorm(algorithm, buildNet({ kind: 'linear', inputDim: d })) as OracleNorm;

let seedCache: { key: string; seeds: LinearSeed[] } | null = null;

/** The linear runs of a profile and root seed, computed once for the four rows that read them. */
export function linearSeeds(profile: Profile, seed: number): LinearSeed[] {
  const key = `${profile}/${seed}`;
  if (seedCache?.key !== key) seedCache = { key, seeds: computeLinearSeeds(profile, seed) };
  return seedCache.seeds;
}

function computeLinearSeeds(profile: Profile, seed: number): LinearSeed[] {
  const k = seedCount(LINEAR_RUNS, profile, 2);
  return Array.from({ length: k }, (_, i) => {
    const dataSeed = makeRng(`${seed}/theorem38/linear/${i}`).int(2 ** 31 - 1);
    const c = differingOptima(dataSeed);
    const theta0 = buildNet({ kind: 'linear', inputDim: c.data.d }).init(LINEAR_INIT, makeRng(dataSeed).child('init'));
    const runs = Object.fromEntries(LINEAR_ALGORITHMS.map((a) => [a, linearKktRun(c.data, normOf(a, c.data.d), theta0)]));
    return { label: `data seed ${dataSeed}`, c, separation: oracleSeparation(c.data).separation, runs };
  });
}

const NORM_LABEL: Record<OracleNorm, string> = { l1: 'ℓ1', l2: 'ℓ2', linf: 'ℓ∞' };
export const linearLabel = (algorithm: string): string => `T3.8 linear: ${algorithm}`;
const OWN_NORM = 'T3.8 linear: own norm wins';

/**
 * Row per algorithm: every run that reaches the late phase meets γ_p(θ_T) ≥ 0.99·γ*_p and
 * R_end ≤ 0.02·R_entry within the budget. Both sides are conservative (γ* is the oracle's certified
 * upper value, R_end the upper and R_entry the lower end of their brackets); γ_p(θ)'s own round-off,
 * ≤ (d + 2)ε relative ≈ 5e-15, is far below the 1 % slack, so no further tolerance. Runs stop at the
 * first R checkpoint meeting both targets, so `worst` is the largest fraction of the budget used
 * (steps/budget ≤ 1), or for a miss the larger of 0.99/(γ/γ*) and (R_end/R_entry)/0.02 (> 1).
 * Room (thorough, 6 seeds, 192 data seeds × 3 algorithms): all met both targets; the largest share
 * of the budget used was 0.48 (GD 19 123 of 40 000, sign 144 396 of 300 000, coordinate 190 924 of
 * 400 000 steps). γ/γ* ≥ 0.9923 and R ratio ≤ 0.0200 are at their targets by construction (a run
 * stops at the first checkpoint meeting both), so the budget is the threshold with room.
 */
export function linearRow(algorithm: string, seeds: readonly LinearSeed[], profile: Profile, seed: number): Outcome {
  const o = DEFAULT_LINEAR_RUN;
  const runs = seeds.map((s) => s.runs[algorithm]);
  const norm = runs[0].norm;
  const late = runs.filter((r) => r.lateStep !== null);
  const missed = late.filter((r) => !r.reached);
  const need = Math.ceil(CERTIFIED_GATE * runs.length);
  // A run that met both targets used steps/budget of its budget (≤ 1); one that missed is scored by
  // how far it stayed from the targets (> 1).
  const residual = (r: LinearRunResult) => (r.reached ? r.steps / r.budget : Math.max(1, o.gammaTarget / r.gammaRatio, r.rRatio / o.rTarget));
  const residuals = late.map(residual).map((x) => (Number.isNaN(x) ? Infinity : x));
  const worst = Math.max(0, ...residuals);
  const closest = argmax(residuals);
  const closestSeed = seeds.find((s) => s.runs[algorithm] === late[closest]);
  const coverage = {
    'late phase': late.length,
    reached: late.length - missed.length,
    'min γ/γ*': r4(Math.min(...late.map((r) => r.gammaRatio))),
    'max R ratio': r3(Math.max(...late.map((r) => r.rRatio))),
    'max steps': Math.max(...runs.map((r) => r.steps)),
    'R rose': runs.reduce((t, r) => t + r.rises, 0),
  };
  const perRun = seeds
    .map((s) => {
      const r = s.runs[algorithm];
      return `${s.label}: ${r.stop}, γ/γ* ${r.gammaRatio.toFixed(4)}, R ${fmt(r.rEntry)} → ${fmt(r.rEnd)} (×${fmt(r.rRatio)}), ${r.steps} steps (late at ${r.lateStep}), R rose at ${r.rises} of ${r.checkpoints} checkpoints`;
    })
    .join(' | ');
  const label = linearLabel(algorithm);
  const base = {
    property: `Theorem 3.8 linear, ${algorithm} (${NORM_LABEL[norm]}): γ ≥ ${o.gammaTarget}·γ* and R_end ≤ ${o.rTarget}·R_entry within ${o.budget[norm]} steps`,
    label,
    kind: 'claim' as const,
    runs: runs.length,
    coverage,
    required: { 'late phase': need },
    worst,
    seed,
    summary: `${late.length - missed.length}/${runs.length} met, γ/γ* ≥ ${coverage['min γ/γ*']}, R× ≤ ${fmt(coverage['max R ratio'])}`,
    replay: replayCommand(label, profile, seed),
    evidence: closestSeed && kktEvidence(`${closestSeed.label}, ${algorithm}`, late[closest].points, norm, 1, 'share of the step budget (> 1: missed the targets)', residuals[closest]),
  };
  if (missed.length > 0) return { ...base, verdict: 'violated', detail: `${missed.length} of ${late.length} missed the targets: ${perRun}` };
  if (late.length < need) return { ...base, verdict: 'vacuous', detail: `coverage too low (late phase: ${late.length} < ${need}); ${perRun}` };
  return { ...base, verdict: 'holds', detail: `Δq = ${o.dq}, init ${LINEAR_INIT}: ${perRun}` };
}

/**
 * Each algorithm ends with the largest margin in its own norm: γ_2(θ_GD), γ_∞(θ_sign), γ_1(θ_coord)
 * each above the other two predictors' margins in that norm. Counted only on data whose optima
 * differ by more than the 1 % slack of the margin target (oracleSeparation > 1 − 0.99, else a tie
 * within the target would decide it), and only where all three runs met their targets. `worst` =
 * max over norms and seeds of (best other margin)/(own margin): < 1 holds; γ's round-off (≈ 5e-15
 * relative) is far below the measured gaps (≥ 1.7 % in 12 seeds). Room (thorough, 6 seeds, 185
 * counted data seeds): worst other/own 0.990, at separations 0.011–0.015. other/own tracks
 * 1 − separation (the other predictors sit near their own optima): within +0.007 of it in the 27
 * seeds with separation < 0.02, so a seed just past the 0.01 gate keeps ≈ 0.3 % — the gate, not
 * the runs, sets this row's room.
 */
export function ownNormRow(seeds: readonly LinearSeed[], profile: Profile, seed: number): Outcome {
  const slack = 1 - DEFAULT_LINEAR_RUN.gammaTarget;
  const counted = seeds.filter((s) => s.separation > slack && LINEAR_ALGORITHMS.every((a) => s.runs[a].reached));
  const need = Math.ceil(CERTIFIED_GATE * seeds.length);
  const wins: Record<string, number> = {};
  let worst = 0;
  let closest: RunEvidence | undefined;
  const lost: string[] = [];
  const rows = counted.map((s) => {
    const parts = LINEAR_ALGORITHMS.map((a) => {
      const p = s.runs[a].norm;
      const own = linearMarginIn(s.c.data, s.runs[a].theta, p);
      const other = Math.max(...LINEAR_ALGORITHMS.filter((b) => b !== a).map((b) => linearMarginIn(s.c.data, s.runs[b].theta, p)));
      const ratio = other / own;
      if (closest === undefined || !(ratio <= worst)) {
        closest = kktEvidence(`${s.label}, ${a}`, s.runs[a].points, p, 1, `best other margin / own margin in ${NORM_LABEL[p]}`, ratio);
      }
      worst = Math.max(worst, Number.isNaN(ratio) ? Infinity : ratio);
      if (ratio < 1) wins[a] = (wins[a] ?? 0) + 1;
      else lost.push(`${s.label}: ${a} lost ${NORM_LABEL[p]} (other/own ${fmt(ratio)})`);
      return `${a} ${NORM_LABEL[p]} other/own ${ratio.toFixed(4)}`;
    });
    return `${s.label} (separation ${s.separation.toFixed(3)}): ${parts.join(', ')}`;
  });
  const coverage: Record<string, number> = {
    'optima differ': seeds.filter((s) => s.separation > slack).length,
    counted: counted.length,
    ...Object.fromEntries(LINEAR_ALGORITHMS.map((a) => [`${a} wins`, wins[a] ?? 0])),
    'min separation': r3(Math.min(...seeds.map((s) => s.separation))),
  };
  const base = {
    property: 'Theorem 3.8 linear: each algorithm has the largest margin in its own norm (GD ℓ2, sign ℓ∞, coord ℓ1)',
    label: OWN_NORM,
    kind: 'claim' as const,
    runs: seeds.length,
    coverage,
    required: { counted: need },
    worst,
    seed,
    summary: `${counted.length}/${seeds.length} counted, ${lost.length} lost`,
    replay: replayCommand(OWN_NORM, profile, seed),
    evidence: closest,
  };
  if (lost.length > 0) return { ...base, verdict: 'violated', detail: `${lost.join('; ')} | ${rows.join(' | ')}` };
  if (counted.length < need) return { ...base, verdict: 'vacuous', detail: `coverage too low (counted: ${counted.length} < ${need}); ${rows.join(' | ')}` };
  return { ...base, verdict: 'holds', detail: rows.join(' | ') };
}

// ---------------------------------------------------------------------------------------------
// 2-layer homogeneous nets along the Theorem 3.1 segment

export interface NetClaim {
  /** R_end > R_start (beyond both brackets) in at most ⌈this fraction⌉ of the certified seeds. */
  readonly grewAtMost?: number;
  /** Median R_end/R_start at most this. */
  readonly median?: number;
  /** At least this fraction of certified seeds with R_end/R_start < ½. */
  readonly belowHalf?: number;
}

export interface NetConfig {
  readonly id: string;
  readonly algorithm: string;
  /** θ₀ scales, cycled over seeds. */
  readonly inits: readonly number[];
  /** CI seeds (§5.7 costs: sign ≈ 4×, coordinate ≈ 12× GD's steps). */
  readonly runs: number;
  /** null: a report row (distribution only; the records are still checked for well-definedness). */
  readonly claim: NetClaim | null;
  readonly label: string;
  /** Architectures, cycled over seeds. */
  readonly archs: readonly ArchKind[];
}

/**
 * Thresholds from THEORY §7's measurements with room for seed variance: GD median 0.06–0.09 → 0.25;
 * sign from init 1 median 0.28 → 0.5; ½ and 80 % as stated in the issue; R grew in 1 of 94 GD seeds
 * there → at most ⌈5 %⌉. Our own runs (Δq = 0.05, ReLU, CI profile at root seeds 20241029 and 1–7):
 * GD medians 0.023–0.15, at most 1 of 22–24 seeds above ½ (max 0.70), none grew; sign (init 1)
 * medians 0.18–0.23. ReLU only for the claims: THEORY §7 measured them on ReLU nets, and leaky ReLU
 * shows the kink effect below.
 * Room (thorough, seeds 20241029 and 1–5, 554 certified GD and 377 sign runs):
 *  - GD grew: 1, 0, 0, 0, 2, 1 of 89–95 (4 of 554, 0.7 %; ×1.05 at 20241029/theorem38/gd/48, whose
 *    R at s = 2 is 0.59, 0.17 or 0.55 at Δq = 0.05, 0.025, 0.0125 and 0.14 by s = 4): at most 2 of the
 *    ⌈5 %⌉ = 5 allowed. At the 0.7 % rate, CI's 24 seeds exceed their 2 allowed with probability 6e-4.
 *  - GD median: ≤ 0.057 (seed 1), 0.23 of the 0.25 bound.
 *  - GD below ½: ≥ 0.92 (seed 4: 84 of 91); 80 % is 0.87 of it. At the pooled 95.5 %, a 24-seed CI
 *    run falls under 80 % with probability 3e-3, a thorough run with 2e-8.
 *  - sign (init 1) median: ≤ 0.213 (seed 3), 0.43 of the 0.5 bound.
 */
export const NET_CONFIGS: readonly NetConfig[] = [
  { id: 'gd', algorithm: 'gd', inits: [1, 0.1], runs: 24, claim: { grewAtMost: 0.05, median: 0.25, belowHalf: 0.8 }, label: 'GD', archs: ['relu2'] },
  { id: 'sign', algorithm: 'sign', inits: [1], runs: 16, claim: { median: 0.5 }, label: 'sign descent, init 1', archs: ['relu2'] },
  { id: 'sign-small', algorithm: 'sign', inits: [1e-2], runs: 16, claim: null, label: 'sign descent, init 1e-2', archs: ['relu2'] },
  { id: 'coord', algorithm: 'coord', inits: [1], runs: 12, claim: null, label: 'coordinate descent, init 1', archs: ['relu2'] },
  /**
   * Leaky ReLU, GD, reported only: R uses one-sided gradients (THEORY §7 recipe), and iterates that
   * slide along a kink (10⁴ activation flips per window) land on either side, so R jumps between
   * ≈ 0.02 and ≈ 0.66 from one grid point to the next; in a 24-seed GD sample mixing ReLU and leaky
   * ReLU the only two seeds whose R grew (×1.36, ×1.12) were leaky, and this row shows 1 of 12
   * growing at some root seeds (×1.24).
   */
  { id: 'gd-leaky', algorithm: 'gd', inits: [1, 0.1], runs: 12, claim: null, label: 'GD, leaky ReLU', archs: ['leaky2'] },
];

const NET_DATA: readonly DataKind[] = ['teacher', 'clusters'];

/**
 * The seeded cases of a config (at least 6 per profile): its 2-layer archs, teacher / cluster data in
 * turn, N 12–20, d 3–6, width 10–16 (at width 6–12 sign descent from init 1e-2 reached the late phase
 * in 29 of 40 seeds, at 10–16 in 33 of 40: fewer all-inactive stalls).
 */
export function netCases(config: NetConfig, profile: Profile, seed: number): RunCase[] {
  const k = seedCount(config.runs, profile, 6);
  return Array.from({ length: k }, (_, i) => {
    const runSeed = `${seed}/theorem38/${config.id}/${i}`;
    const r = makeRng(runSeed).child('sizes');
    return {
      arch: config.archs[i % config.archs.length],
      algorithm: config.algorithm,
      data: NET_DATA[i % NET_DATA.length],
      seed: runSeed,
      n: 12 + r.int(9),
      d: 3 + r.int(4),
      width: 10 + r.int(7),
      initScale: config.inits[Math.floor(i / 4) % config.inits.length],
    };
  });
}

export interface NetRun {
  readonly run: RunCase;
  /** The algorithm norm and the net's degree L (the run's R and margins are in them). */
  readonly norm: string;
  readonly degree: number;
  readonly result: SegmentKktResult;
  readonly seconds: number;
}

/** `options` overrides the segment's (tests force the step cap with it). */
export function runNetCase(c: RunCase, options: Partial<SegmentKktOptions> = {}): NetRun {
  const built = buildCase(c);
  const t0 = performance.now();
  // N·P ≤ 20·112 here: the exact LP/QP (forced); a rejected certificate falls back to the
  // matrix-free bracket (recordKkt) and is counted as `fallback`.
  const result = segmentKkt({ net: built.net, data: built.data, theta: built.theta, norm: built.norm }, { kkt: { method: 'exact' }, ...options });
  return { run: c, norm: built.norm, degree: built.net.degree!, result, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Well-definedness of every record, per seed, for every row: 0 ≤ R_lo ≤ R_hi ≤ 1 (R = 1 − V²/2ψ with
 * V ≥ 0 and R ≥ 0 as a minimum of non-negative terms), up to the bracket's promised width.
 * Returns the worst violation in units of that width (0 when fine). Room (thorough, 6 seeds, the
 * reported rows, whose worst it is): ≤ 1.02e-8 of the width.
 */
function recordResidual(r: SegmentKktResult): number {
  let worst = 0;
  for (const k of [r.start, r.end]) {
    if (!k) continue;
    const tol = Math.max(k.rTolerance, 4 * EPS);
    worst = Math.max(worst, -k.rLower / tol, (k.rLower - k.rUpper) / tol, (k.rUpper - 1) / tol);
  }
  return Math.max(0, worst);
}

export const netLabel = (config: NetConfig): string => `T3.8 nets: ${config.id}`;

export function netRow(config: NetConfig, profile: Profile, seed: number, options: Partial<SegmentKktOptions> = {}): Outcome {
  const rows = netCases(config, profile, seed).map((c) => runNetCase(c, options));
  const certified = rows.filter((r) => r.result.status === 'certified');
  const ratios = certified.map((r) => r.result.ratio).sort((a, b) => a - b);
  const median = quantile(ratios, 0.5);
  const below = ratios.filter((x) => x < 0.5).length;
  const grew = certified.filter((r) => r.result.grew);
  const grewList = grew.map((r) => `${r.run.seed} ×${fmt(r.result.ratio)}`).join(', ');
  const need = Math.ceil(CERTIFIED_GATE * rows.length);
  const late = rows.filter((r) => r.result.prePhase.reached).length;
  const coverage = {
    'late phase': late,
    certified: certified.length,
    'cost-limited': rows.filter((r) => r.result.status === 'cost-limited').length,
    exact: certified.filter((r) => r.result.exact).length,
    fallback: certified.filter((r) => r.result.start?.fallback !== undefined || r.result.end?.fallback !== undefined).length,
    grew: grew.length,
    'below ½': below,
    min: r3(ratios[0] ?? NaN),
    q1: r3(quantile(ratios, 0.25)),
    median: r3(median),
    q3: r3(quantile(ratios, 0.75)),
    max: r3(ratios[ratios.length - 1] ?? NaN),
  };
  // The closest call of a row on R_end/R_start: its certified run with the largest ratio, its
  // segment's R records at steps counted from θ_init (the pre-phase first).
  const top = certified[argmax(certified.map((r) => r.result.ratio))];
  const topPoints = top?.result.points.map((p) => ({ ...p, step: top.result.prePhase.steps + p.step }));
  const claim = config.claim;
  const failures: string[] = [];
  let worst = Math.max(0, ...rows.map((r) => recordResidual(r.result)));
  if (worst > 1) failures.push(`an R record outside 0 ≤ R_lo ≤ R_hi ≤ 1 (${fmt(worst)} × its bracket width)`);
  if (claim?.grewAtMost !== undefined && certified.length > 0) {
    const allowed = Math.ceil(claim.grewAtMost * certified.length);
    worst = Math.max(worst, grew.length / allowed);
    if (grew.length > allowed) failures.push(`R grew in ${grew.length} of ${certified.length} (> ${allowed}): ${grewList}`);
  }
  if (claim?.median !== undefined && certified.length > 0) {
    worst = Math.max(worst, median / claim.median);
    if (!(median <= claim.median)) failures.push(`median ratio ${fmt(median)} > ${claim.median}`);
  }
  if (claim?.belowHalf !== undefined && certified.length > 0) {
    const frac = below / certified.length;
    worst = Math.max(worst, frac > 0 ? claim.belowHalf / frac : Infinity);
    if (frac < claim.belowHalf) failures.push(`${below} of ${certified.length} below ½ (< ${claim.belowHalf * 100} %)`);
  }
  const what = claim
    ? [claim.grewAtMost !== undefined ? `R grew in ≤ ${claim.grewAtMost * 100} % of seeds` : '', claim.median !== undefined ? `median R_end/R_start ≤ ${claim.median}` : '', claim.belowHalf !== undefined ? `≥ ${claim.belowHalf * 100} % below ½` : '']
        .filter(Boolean)
        .join(', ')
    : 'R_end/R_start distribution (reported, not asserted)';
  const seconds = rows.reduce((t, r) => t + r.seconds, 0);
  const steps = rows.reduce((t, r) => t + r.result.steps, 0);
  const fell = (r: NetRun) => [r.result.start?.fallback, r.result.end?.fallback].filter(Boolean).map((m) => ` [exact solve rejected, matrix-free used: ${m}]`).join('');
  const perRun = rows
    .map((r) => `${describeRun(r.run)}: ${r.result.status === 'certified' ? r.result.reason : `${r.result.status} (${r.result.reason})`}${fell(r)}`)
    .join(' | ');
  const label = netLabel(config);
  const base = {
    property: `Theorem 3.8 on 2-layer nets, ${config.label}: ${what}`,
    label,
    kind: claim ? ('claim' as const) : ('report' as const),
    runs: rows.length,
    coverage,
    required: { certified: need },
    worst,
    seed,
    summary: `${certified.length}/${rows.length} cert, median ${fmt(median)}, max ${fmt(coverage.max)}${grew.length ? `, grew ${grew.length}` : ''}`,
    replay: replayCommand(label, profile, seed),
    evidence: top && kktEvidence(describeRun(top.run), topPoints!, top.norm, top.degree, 'R_end/R_start (largest of the row)', top.result.ratio),
  };
  const cost = `${steps} steps in ${seconds.toFixed(1)} s`;
  if (failures.length) return { ...base, verdict: 'violated', detail: `${failures.join('; ')} | ${perRun}` };
  if (certified.length < need) {
    return { ...base, verdict: 'vacuous', detail: `coverage too low (certified: ${certified.length} < ${need}, late phase ${late}); ${cost} | ${perRun}` };
  }
  return { ...base, verdict: claim ? 'holds' : 'reported', detail: `${cost}${grew.length ? ` | R grew in ${grewList}` : ''} | ${perRun}` };
}

// ---------------------------------------------------------------------------------------------
// Property: the runner's R checkpoints obey the §7 linear bound

interface BoundCase {
  readonly c: SeparableCase;
  readonly algorithm: string;
  readonly initSeed: number;
}

/** log 𝓛 = −200: deep enough that runs pass the late-phase entry, short enough to stay cheap. */
const BOUND_LOG_LOSS = -200;

/**
 * At every runner checkpoint with R recorded (loss-based schedule η = 0.05/𝓛 with rollback, kkt: true):
 * R ≤ 1 − (γ_p(θ)/γ*_p)² (THEORY §7, linear models) and R_lo ≤ R_hi. Tolerance: the bracket's
 * promised width plus the effect 2γ·δγ/γ*² of γ_p(θ)'s round-off, δγ ≤ (d + 2)ε·(max_n ‖x_n‖_* + γ)
 * (each q_n = ⟨θ, y_n x_n⟩ errs by γ_d Σ|θ_j x_nj| ≤ γ_d‖x_n‖_*‖θ‖_p, Hölder; the norm and the
 * quotient add (d + 2)ε relative). γ* is the certified upper value, which only loosens the bound.
 * Room (thorough, 6 seeds): worst 4.1e-8 of the tolerance; 'bound < 0.1' in ≥ 89 of 96 runs
 * against the 32 required.
 */
export const runnerBoundProperty: PropertySpec<BoundCase> = {
  name: 'theorem38: runner R checkpoints obey R ≤ 1 − (γ_p/γ*_p)² along linear runs',
  label: 'T3.8 runner R ≤ 1 − (γ/γ*)²',
  arbitrary: fc.record({
    c: separableCase(24, 8),
    algorithm: fc.constantFrom(...LINEAR_ALGORITHMS),
    initSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  }),
  describe: (v) => `${describeSeparable(v.c)} ${v.algorithm} init seed ${v.initSeed}`,
  runs: 24,
  required: { 'R recorded': 15, 'late phase': 15, 'bound < 0.1': 8 },
  check({ c, algorithm, initSeed }) {
    const { data } = c;
    const net = buildNet({ kind: 'linear', inputDim: data.d });
    const optimizer = makeOptimizer(algorithm, net.layout);
    const p = optimizer.norm!.name as OracleNorm;
    const result = runTrajectory({
      net,
      data,
      optimizer,
      schedule: lossBased({ eta0: 0.05 }),
      init: net.init(LINEAR_INIT, makeRng(initSeed)),
      budget: { steps: 3000, logLoss: BOUND_LOG_LOSS },
      maxRejections: 40,
      kkt: true,
      checkpoints: { ratio: 1.5 },
    });
    const star = maxMarginLinear(data, p).gammaUpper;
    const xMax = maxDualRow(data, p);
    let ratio = 0;
    let note = '';
    let recorded = 0;
    let tightest = Infinity;
    for (const k of result.checkpoints) {
      if (!k.kkt) continue;
      recorded++;
      const gamma = k.norms[p].gamma;
      const dGamma = (data.d + 2) * EPS * (xMax + Math.abs(gamma));
      const tol = k.kkt.rTolerance + (2 * Math.abs(gamma) * dGamma) / star ** 2;
      const bound = 1 - (gamma / star) ** 2;
      tightest = Math.min(tightest, bound);
      const r = Math.max(0, k.kkt.rUpper - bound, k.kkt.rLower - k.kkt.rUpper) / tol;
      if (r > ratio) {
        ratio = r;
        note = `step ${k.step}: R ∈ [${k.kkt.rLower}, ${k.kkt.rUpper}], bound ${bound} (γ/γ* = ${gamma / star})`;
      }
    }
    const tags = [];
    if (recorded > 0) tags.push('R recorded');
    if (result.lateStep !== null) tags.push('late phase');
    // The bound is informative only once γ nears γ*: 1 − (γ/γ*)² < 0.1 means γ ≥ 0.95·γ*.
    if (tightest < 0.1) tags.push('bound < 0.1');
    return { ratio, tags, note };
  },
};

/** max_n ‖x_n‖_* in the dual of the parameter norm p. */
function maxDualRow(data: Dataset, p: OracleNorm): number {
  let m = 0;
  for (let i = 0; i < data.n; i++) m = Math.max(m, DUAL_NORM[p](data.x.subarray(i * data.d, (i + 1) * data.d)));
  return m;
}

export const THEOREM38_PROPERTIES: readonly PropertySpec<any>[] = [runnerBoundProperty];

/** Batch rows of the suite, in table order, each replayable by its label. */
export const THEOREM38_ROWS: readonly BatchRow[] = [
  ...LINEAR_ALGORITHMS.map((a) => ({ label: linearLabel(a), run: (profile: Profile, seed: number) => linearRow(a, linearSeeds(profile, seed), profile, seed) })),
  { label: OWN_NORM, run: (profile: Profile, seed: number) => ownNormRow(linearSeeds(profile, seed), profile, seed) },
  ...NET_CONFIGS.map((c) => ({ label: netLabel(c), run: (profile: Profile, seed: number) => netRow(c, profile, seed) })),
];
