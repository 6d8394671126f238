/**
 * The fingerprint of one optimizer: both batteries, the calibrated references (steepest descent in
 * ℓ2, ℓ∞, ℓ1 and spectral norm: GD, sign, coordinate and spectral descent — THEORY §3) run on the
 * same data and inits, and the verdicts.
 *
 * Linear verdict: score_p = γ_p/γ*_p per seed. A decided norm is "maximized" when in every seed its
 * ratio is above 1 − sep_p/2, halfway from the optimum to the best margin another norm's optimum
 * reaches in p (the certified separation of data.ts) — otherwise the optimizer only "leans" there.
 * On a linear model the spectral norm of the 1×d weight is ℓ2, so spectral descent is GD there.
 * Network verdict: score_p = γ_p over γ_p of p's own steepest descent on that seed (nets have no
 * exact oracle). A norm is scored only on the seeds where its reference is calibrated: it separated
 * and ended with the largest γ_p of the four references (THEORY §11: each algorithm raises its own
 * margin); elsewhere — typically coordinate descent, which at small budgets separates late, with
 * q_min of a few units — p gets no score on that seed.
 */
import { makeOptimizer } from '../optimizers/index.js';
import { ORACLE_NORMS } from '../oracles/maxMargin.js';
import { linearCases, NET_NORMS, runLinear, runNet, type BatteryOptions, type LinearCases, type LinearRun, type NetNorm, type NetRun, type OptimizerFactory } from './battery.js';
import { decide, label, type Decision } from './verdict.js';

export const REFERENCES: Readonly<Record<string, string>> = { gd: 'l2', sign: 'linf', coord: 'l1', spectral: 'spectral' };
const REFERENCE_OF = Object.fromEntries(Object.entries(REFERENCES).map(([a, p]) => [p, a])) as Record<NetNorm, string>;

/** Fraction of seeds that must reach the late phase for a verdict (else: undecided, coverage). */
export const COVERAGE = 2 / 3;

export interface BatteryRuns {
  readonly linear: readonly LinearRun[];
  readonly net: readonly NetRun[];
}

export interface References {
  readonly cases: LinearCases;
  readonly runs: Readonly<Record<string, BatteryRuns>>;
  /** Per net norm and seed: p's reference separated and has the largest γ_p of the references. */
  readonly calibrated: Readonly<Record<NetNorm, readonly boolean[]>>;
}

export interface Fingerprint {
  readonly optimizer: string;
  readonly runs: BatteryRuns;
  readonly linear: Decision & { readonly maximized: boolean };
  readonly net: Decision;
  /** Which norm's KKT conditions the network runs approach: score 1 − R_p at the end (THEORY §7); null when not recorded. */
  readonly kkt: Decision | null;
  /** Per net norm: seeds where γ̃_p never fell between late checkpoints, out of seeds with a late phase. */
  readonly monotone: Readonly<Record<string, { seeds: number; of: number }>>;
  /** One line for the terminal. */
  readonly verdict: string;
}

export function runBatteries(make: OptimizerFactory, o: BatteryOptions, cases: LinearCases): BatteryRuns {
  return { linear: runLinear(make, o, cases), net: runNet(make, o) };
}

/** The references' runs (no KKT solves: only their margins are read). */
export function runReferences(o: BatteryOptions, cases = linearCases(o)): References {
  const ref = { ...o, net: { ...o.net, kkt: false } };
  const runs = Object.fromEntries(Object.keys(REFERENCES).map((name) => [name, runBatteries((layout) => makeOptimizer(name, layout), ref, cases)]));
  const calibrated = Object.fromEntries(
    NET_NORMS.map((p) => [p, runs[REFERENCE_OF[p]].net.map((own, i) => own.gamma[p] > 0 && Object.values(runs).every((b) => !(b.net[i].gamma[p] > own.gamma[p])))]),
  ) as Record<NetNorm, boolean[]>;
  return { cases, runs, calibrated };
}

export function judge(optimizer: string, runs: BatteryRuns, refs: References): Fingerprint {
  const need = Math.ceil(COVERAGE * runs.linear.length);
  const linearScores = Object.fromEntries(ORACLE_NORMS.map((p) => [p, runs.linear.map((r) => (r.lateStep === null ? NaN : r.ratio[p]))]));
  const lin = decide(linearScores, need, 'γ/γ*');
  const maximized = lin.decided && runs.linear.every((r) => r.lateStep === null || r.ratio[lin.best as 'l1'] >= 1 - r.separation[lin.best as 'l1'] / 2);

  const netScores = Object.fromEntries(
    NET_NORMS.map((p) => [p, runs.net.map((r, i) => (refs.calibrated[p][i] ? r.gamma[p] / refs.runs[REFERENCE_OF[p]].net[i].gamma[p] : NaN))]),
  );
  const net = decide(netScores, Math.ceil(COVERAGE * runs.net.length), 'γ/γ_reference');
  const kkt = runs.net.some((r) => r.kkt)
    ? decide(Object.fromEntries(NET_NORMS.map((p) => [p, runs.net.map((r) => (r.kkt ? 1 - r.kkt[p].r : NaN))])), Math.ceil(COVERAGE * runs.net.length), '1 − R')
    : null;
  const late = runs.net.filter((r) => r.pairs > 0);
  const monotone = Object.fromEntries(NET_NORMS.map((p) => [p, { seeds: late.filter((r) => r.decreases[p] === 0).length, of: late.length }]));

  const linWord = !lin.best ? 'undecided (no late phase)' : !lin.decided ? `undecided (${label(lin.best)}/${label(lin.second!)})` : `${maximized ? 'maximizes' : 'leans'} ${label(lin.best)}`;
  const netWord = !net.best ? 'undecided (no late phase)' : net.decided ? `closest to ${label(net.best)}` : `undecided (${label(net.best)}/${label(net.second!)})`;
  const verdict = `${optimizer}: linear ${linWord} [${lin.statement}]; network ${netWord}`;
  return { optimizer, runs, linear: { ...lin, maximized }, net, kkt, monotone, verdict };
}
