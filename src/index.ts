/**
 * margincheck's typed public API (the `margincheck` entry point): build nets, data, norms, losses and
 * optimizers from plain-data specs; run a trajectory; check Theorem 3.1; compute the KKT residual of
 * Theorem 3.8; solve the exact linear max-margin oracle; load a user optimizer module. Everything is
 * float64 and seeded (`makeRng`). The maths is in THEORY.md (sections cited in each module).
 *
 * ```ts
 * import { buildNet, checkTheorem31, gaussianDataset, makeRng } from 'margincheck';
 * const net = buildNet({ kind: 'mlp', inputDim: 4, widths: [8], activation: { kind: 'relu' } });
 * const data = gaussianDataset(makeRng(1).child('data'), 12, 4, 'teacher');
 * const theta = net.init(0.5, makeRng(1).child('init'));
 * const result = checkTheorem31({ net, data, theta, norm: 'linf' });   // result.verdict: 'holds', …
 * ```
 * Other entry points: `margincheck/arbitraries` (fast-check generators), `margincheck/vitest` (matchers).
 * @module margincheck
 */

// Shapes that flow between modules, errors and seeded randomness.
export type { Dataset, EngineInfo, Evaluation, LayerView, Layout, Net, Norm } from './core/types.js';
export { InputError } from './core/errors.js';
export { makeRng, type Rng } from './core/rng.js';

// Nets from specs, built by an engine (f64, the float64 reference, by default; tfjs float32 on demand).
export { buildNet, ENGINE_NAMES, f64Engine, loadEngine, withEvaluation, type Engine, type EngineOptions } from './engines/index.js';
export { NET_KINDS, type Activation, type NetSpec } from './nets/index.js';
export type { MlpOptions } from './nets/mlp.js';

// Data: from arrays, generators, files, or a `margincheck run` data spec.
export { makeDataset } from './data/dataset.js';
export { gaussianDataset, type LabelRule } from './data/synthetic.js';
export { clusterDataset, type ClusterOptions } from './data/clusters.js';
export { loadDataset, parseCsvDataset, parseJsonDataset } from './data/load.js';
export { buildData, type DataConfig } from './config/run.js';

// Norms, losses, margins.
export { makeNorm, NORM_FAMILIES, NORM_NAMES } from './norms/index.js';
export { getLoss, LOSS_NAMES, type Loss, type LossName } from './losses/index.js';
export { minMargin, normalizedMargin, softMargin, trainAccuracy, type MarginConvention } from './metrics/margins.js';

// Optimizers and schedules; the user optimizer contract.
export {
  constant,
  lossBased,
  makeOptimizer,
  OPTIMIZER_NAMES,
  power,
  relativeArclength,
  steepestNormName,
  type Direction,
  type GradFrame,
  type Optimizer,
  type OptimizerOptions,
  type LossBasedSchedule,
  type Schedule,
  type ScheduleContext,
  type StepContext,
} from './optimizers/index.js';
export { validateOptimizerModule, type OptimizerModule } from './optimizers/userModule.js';

// Trajectories.
export {
  describeTrajectoryStop,
  runTrajectory,
  type Budget,
  type TrajectoryResult,
  type TrajectorySpec,
  type TrajectoryStop,
} from './trajectory/run.js';
export type { Checkpoint, NormMargins, StepRecord } from './trajectory/checkpoint.js';
export type { KktEnds, KktRecord, KktRecording } from './trajectory/kktRecord.js';
export type { PrePhaseResult, PrePhaseSetup } from './trajectory/segment.js';
export type { FlowStop } from './trajectory/flow.js';

// Theorem 3.1 (THEORY §5).
export {
  CERTIFIED,
  checkTheorem31,
  DEFAULT_THEOREM31,
  THEOREM31_VERDICTS,
  type LevelEvidence,
  type NormEvidence,
  type Theorem31Case,
  type Theorem31Mutation,
  type Theorem31Options,
  type Theorem31Result,
  type Theorem31Verdict,
} from './theorems/theorem31.js';

// KKT residual and Theorem 3.8 (THEORY §7), the exact linear oracle (THEORY §8).
export { kktResidual, type KktMethod, type KktOptions, type KktResult } from './metrics/kkt.js';
export {
  DEFAULT_SEGMENT_KKT,
  segmentKkt,
  type SegmentKktCase,
  type SegmentKktOptions,
  type SegmentKktResult,
  type SegmentKktStatus,
} from './theorems/theorem38.js';
export { maxMarginLinear, type MaxMargin, type OracleNorm } from './oracles/linear.js';
export { ORACLE_NORMS } from './oracles/maxMargin.js';
