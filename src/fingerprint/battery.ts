/**
 * The two batteries of the fingerprint (issue 12). Every run is `runTrajectory` (the one step loop)
 * with the optimizer's own direction and the common Δq schedule (schedule.ts), from a small init,
 * so optimizers differ only by their geometry and the path it takes them on.
 *
 *  - Linear: γ_p(θ_T)/γ*_p for p ∈ {ℓ1, ℓ2, ℓ∞} against the exact oracles (THEORY §8) on data whose
 *    three optima differ by a certified gap (data.ts).
 *  - Network: 2-layer bias-free ReLU students on teacher labels (THEORY §11). After separation:
 *    the normalized margin γ_p at the end in ℓ1, ℓ2, ℓ∞ and spectral norm, the growth of the soft
 *    margin γ̃_p from the late-phase entry, how often γ̃_p fell between late checkpoints (Theorem 3.1
 *    says it never does in the algorithm's own norm, THEORY §5) and the KKT residual R_p at the end
 *    (THEORY §7: which norm's KKT conditions the run approaches).
 */
import type { Dataset, Layout, Net, Norm } from '../core/types.js';
import { buildNet } from '../engines/index.js';
import { getLoss } from '../losses/index.js';
import { kktResidual } from '../metrics/kkt.js';
import { normalizedMargin, softMargin } from '../metrics/margins.js';
import { makeNorm } from '../norms/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { maxMarginLinear } from '../oracles/linear.js';
import { ORACLE_NORMS, type OracleNorm } from '../oracles/maxMargin.js';
import { describeTrajectoryStop, runTrajectory, type TrajectoryResult } from '../trajectory/run.js';
import { linearCase, teacherStudentData, type LinearShape, type NetShape } from './data.js';
import { marginStep, type MarginStepOptions } from './schedule.js';

/** The optimizer under test, built for a layout (Muon and spectral descent need the matrix shapes). */
export type OptimizerFactory = (layout: Layout) => Optimizer<any>;

export const NET_NORMS = ['l1', 'l2', 'linf', 'spectral'] as const;
export type NetNorm = (typeof NET_NORMS)[number];

export interface BatteryOptions {
  readonly seed: string;
  readonly schedule: MarginStepOptions;
  readonly linear: {
    readonly shape: LinearShape;
    readonly seeds: number;
    readonly steps: number;
    readonly init: number;
    /** Data sets whose certified separation is below this are skipped (drawn again). */
    readonly minSeparation: number;
  };
  readonly net: {
    readonly shape: NetShape;
    readonly seeds: number;
    readonly steps: number;
    readonly init: number;
    /** Record the KKT residual in every norm at the end (an LP/QP or matrix-free solve each). */
    readonly kkt: boolean;
  };
  /** performance.now() after which every run stops at its next iterate (the wall-clock limit). */
  readonly deadline: number;
}

export interface RunSummary {
  readonly seed: string;
  readonly steps: number;
  readonly lateStep: number | null;
  readonly stop: string;
  readonly qMin: number;
}

export interface LinearRun extends RunSummary {
  /** Certified separation of the data (data.ts), per norm. */
  readonly separation: Readonly<Record<OracleNorm, number>>;
  /** γ_p(θ_T)/γ*_p (γ*_p: the oracle's certified upper value, so the ratio never flatters). */
  readonly ratio: Readonly<Record<OracleNorm, number>>;
}

export interface NetRun extends RunSummary {
  /** γ_p = q_min/‖θ_T‖_p^L at the end (NaN without separation). */
  readonly gamma: Readonly<Record<NetNorm, number>>;
  /** γ̃_p(end)/γ̃_p(late-phase entry). */
  readonly growth: Readonly<Record<NetNorm, number>>;
  /** Late checkpoint pairs where γ̃_p fell by more than its round-off tolerance, out of `pairs`. */
  readonly decreases: Readonly<Record<NetNorm, number>>;
  readonly pairs: number;
  /** R_p at the end (THEORY §7), null when not recorded or θ does not separate. */
  readonly kkt: Readonly<Record<NetNorm, { r: number; rLower: number; rUpper: number }>> | null;
  /** log γ̃_p at the late checkpoints, for the charts: [step, value] pairs. */
  readonly curve: Readonly<Record<NetNorm, readonly (readonly [number, number])[]>>;
}

const loss = getLoss('exp');

function summary(seed: string, r: TrajectoryResult): RunSummary {
  const last = r.checkpoints[r.checkpoints.length - 1];
  return { seed, steps: r.steps, lateStep: r.lateStep, stop: describeTrajectoryStop(r.stop), qMin: last?.qMin ?? NaN };
}

function train(net: Net, data: Dataset, make: OptimizerFactory, o: BatteryOptions, init: number, seed: string, steps: number, keepTheta: boolean) {
  return runTrajectory({
    net,
    data,
    optimizer: make(net.layout),
    schedule: marginStep(net, data, o.schedule),
    init: { scale: init, seed },
    budget: { steps, deadline: o.deadline },
    checkpoints: { ratio: 1.15 },
    keepTheta,
  });
}

/** The linear data sets of a battery (the same for every optimizer; reusable across fingerprints). */
export function linearCases(o: BatteryOptions) {
  const cases = [];
  let skipped = 0;
  for (let i = 0; cases.length < o.linear.seeds; i++) {
    const c = linearCase(`${o.seed}/linear/${i}`, o.linear.shape);
    if (c.minSeparation >= o.linear.minSeparation) cases.push({ ...c, star: Object.fromEntries(ORACLE_NORMS.map((p) => [p, maxMarginLinear(c.data, p).gammaUpper])) as Record<OracleNorm, number> });
    else if (++skipped > 4 * o.linear.seeds) throw new Error(`fingerprint: ${skipped} linear data sets below separation ${o.linear.minSeparation}; change the shape`);
  }
  return { cases, skipped };
}

export type LinearCases = ReturnType<typeof linearCases>;

export function runLinear(make: OptimizerFactory, o: BatteryOptions, cases: LinearCases): LinearRun[] {
  return cases.cases.map((c) => {
    const net = buildNet({ kind: 'linear', inputDim: c.data.d });
    const r = train(net, c.data, make, o, o.linear.init, `${c.seed}/init`, o.linear.steps, false);
    const last = r.checkpoints[r.checkpoints.length - 1];
    const ratio = Object.fromEntries(ORACLE_NORMS.map((p) => [p, last.norms[p].gamma / c.star[p]])) as Record<OracleNorm, number>;
    return { ...summary(c.seed, r), separation: c.separation, ratio };
  });
}

/**
 * Relative round-off of γ̃ = log(1/𝓛)/ρ^L at a checkpoint: each q_n is a forward pass of ≤ P
 * products and sums (≤ (P + 2)ε·q_max absolute, q_max the largest |q_n|), log-sum-exp over N terms
 * adds N·ε·log(1/𝓛), and ρ^L ≤ L(P + 1)ε relative. Doubled for the difference of two checkpoints.
 */
function softTolerance(qMax: number, logInvLoss: number, P: number, N: number, L: number): number {
  return 2 * Number.EPSILON * ((P + 2) * (qMax / logInvLoss) + N + L * (P + 1));
}

export function runNet(make: OptimizerFactory, o: BatteryOptions): NetRun[] {
  const { shape } = o.net;
  return Array.from({ length: o.net.seeds }, (_, i) => {
    const seed = `${o.seed}/net/${i}`;
    const data = teacherStudentData(seed, shape);
    const net = buildNet({ kind: 'mlp', inputDim: shape.d, widths: [shape.width], activation: { kind: 'relu' } });
    const L = net.degree!;
    const norms = Object.fromEntries(NET_NORMS.map((p) => [p, makeNorm(p, net.layout)])) as Record<NetNorm, Norm>;
    const r = train(net, data, make, o, o.net.init, `${seed}/init`, o.net.steps, true);
    const late = r.checkpoints.filter((k) => k.late && k.theta);
    const nan = Object.fromEntries(NET_NORMS.map((p) => [p, NaN])) as Record<NetNorm, number>;
    const base = summary(seed, r);
    const last = late[late.length - 1];
    if (!last || !(base.qMin > 0) || last.step !== r.steps) {
      return { ...base, gamma: nan, growth: nan, decreases: { ...nan }, pairs: 0, kkt: null, curve: { l1: [], l2: [], linf: [], spectral: [] } };
    }
    const per = <T>(f: (p: NetNorm) => T) => Object.fromEntries(NET_NORMS.map((p) => [p, f(p)])) as Record<NetNorm, T>;
    const soft = late.map((k) => per((p) => softMargin(loss, k.logLoss, norms[p].value(k.theta!), L)));
    const tol = late.map((k) => {
      const qMax = net.margins(k.theta!, data).reduce((m, q) => Math.max(m, Math.abs(q)), 0);
      return softTolerance(qMax, -k.logLoss, net.layout.size, data.n, L);
    });
    const decreases = per((p) => {
      let count = 0;
      for (let j = 1; j < soft.length; j++) if (soft[j][p] < soft[j - 1][p] * (1 - tol[j] - tol[j - 1])) count++;
      return count;
    });
    const kkt = o.net.kkt
      ? per((p) => {
          const k = kktResidual(net, last.theta!, data, norms[p]);
          return { r: k.r, rLower: k.rLower, rUpper: k.rUpper };
        })
      : null;
    return {
      ...base,
      gamma: per((p) => normalizedMargin(last.qMin, norms[p].value(last.theta!), L)),
      growth: per((p) => soft[soft.length - 1][p] / soft[0][p]),
      decreases,
      pairs: soft.length - 1,
      kkt,
      curve: per((p) => late.map((k, j) => [k.step, Math.log(soft[j][p])] as const)),
    };
  });
}
