/**
 * `margincheck/arbitraries`: the fast-check arbitraries margincheck's own suites use, for your
 * properties. Values are built from fast-check-chosen integer seeds through margincheck's seeded
 * generators, so they shrink structurally (fewer layers, narrower layers, fewer samples, smaller
 * dimension) and every counterexample replays from fast-check's seed and path.
 *
 * ```ts
 * import fc from 'fast-check';
 * import { homogeneousNetSpec, netCase } from 'margincheck/arbitraries';
 * fc.assert(fc.property(netCase(homogeneousNetSpec), ({ net, theta, data }) => { … }));
 * ```
 * @module margincheck/arbitraries
 */
export {
  datasetArbitrary,
  describeCase,
  homogeneousActivation,
  homogeneousMlpSpec,
  homogeneousNetSpec,
  initScale,
  netCase,
  nonHomogeneousVariants,
  normName,
  type CaseOptions,
  type DatasetKind,
  type DatasetOptions,
  type NetCase,
} from '../properties/arbitraries.js';
export {
  ALGORITHMS,
  buildCase,
  describeRun,
  HOMOGENEOUS_ARCHS,
  runCaseArbitrary,
  type ArchKind,
  type BuiltCase,
  type DataKind,
  type RunCase,
} from '../properties/trajectory-cases.js';
