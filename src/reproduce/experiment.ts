/**
 * One reproduction run = one algorithm trained from a given θ₀ by the trajectory runner (the one
 * step loop, src/trajectory), summarized as plain data: the chart series (γ_1, γ_2, γ_∞ and the soft
 * margins at every checkpoint, judged in float64), the separation and late-phase steps, and the end.
 */
import type { Dataset, Net } from '../core/types.js';
import { trajectorySeries, type TrajectorySeries } from '../report/series.js';
import { runTrajectory, type Budget } from '../trajectory/run.js';
import type { Algorithm } from './algorithms.js';

export const MARGIN_NORMS = ['l1', 'l2', 'linf'] as const;
export type MarginNorm = (typeof MARGIN_NORMS)[number];
export type PerNorm = Readonly<Record<MarginNorm, number>>;

export interface Problem {
  readonly net: Net;
  readonly data: Dataset;
  readonly theta0: Float64Array;
}

export interface RunSummary {
  readonly algorithm: string;
  readonly label: string;
  readonly ownNorm: string | null;
  readonly steps: number;
  /** Why the run ended (the runner's diagnostic). */
  readonly stop: string;
  readonly seconds: number;
  /** First checkpoint at 100 % train accuracy / in the late phase (𝓛 < 1 for the exponential loss). */
  readonly separationStep: number | null;
  readonly lateStep: number | null;
  readonly end: { readonly logLoss: number; readonly accuracy: number; readonly gamma: PerNorm; readonly soft: PerNorm };
  readonly series: TrajectorySeries;
}

/** Checkpoints at steps growing by this factor (plus the late-phase entry and the last step). */
const CHECKPOINT_RATIO = 1.15;

const perNorm = (f: (n: MarginNorm) => number): PerNorm => Object.fromEntries(MARGIN_NORMS.map((n) => [n, f(n)])) as Record<MarginNorm, number>;

export function train(problem: Problem, algorithm: Algorithm, budget: Budget): RunSummary {
  const started = performance.now();
  const result = runTrajectory({
    net: problem.net,
    data: problem.data,
    optimizer: algorithm.optimizer(problem.net.layout),
    schedule: algorithm.schedule(),
    init: problem.theta0,
    budget,
    maxRejections: algorithm.maxRejections,
    checkpoints: { ratio: CHECKPOINT_RATIO },
  });
  const seconds = (performance.now() - started) / 1000;
  const series = trajectorySeries(algorithm.label, result.checkpoints, algorithm.ownNorm);
  const last = result.checkpoints[result.checkpoints.length - 1];
  return {
    algorithm: algorithm.name,
    label: algorithm.label,
    ownNorm: algorithm.ownNorm,
    steps: result.steps,
    stop: result.diagnostic,
    seconds,
    separationStep: series.separation?.step ?? null,
    lateStep: series.latePhase?.step ?? null,
    end: {
      logLoss: last.logLoss,
      accuracy: last.accuracy,
      gamma: perNorm((n) => last.norms[n].gamma),
      soft: perNorm((n) => last.norms[n].soft),
    },
    series,
  };
}
