/**
 * Generators for trajectory and Theorem 3.1 cases (THEORY §5, §11): small homogeneous nets
 * (2- and 3-layer, ReLU and leaky ReLU, bias-free), teacher–student and separable-cluster datasets,
 * the steepest-descent algorithms of THEORY §3, and the known cases of §5 (output bias, first-layer
 * bias). Every value flows from an integer or string seed through src/core/rng, so a batch row is
 * replayed by its root seed and a fast-check case by its seed and path.
 */
import fc from 'fast-check';
import type { Dataset, Net } from '../src/core/types.js';
import { makeRng } from '../src/core/rng.js';
import { clusterDataset } from '../src/data/clusters.js';
import { gaussianDataset } from '../src/data/synthetic.js';
import { type Activation, type NetSpec } from '../src/nets/index.js';
import { makeOptimizer } from '../src/optimizers/index.js';
import { buildNet } from '../src/engines/index.js';

export type DataKind = 'teacher' | 'clusters' | 'positive';
export type ArchKind = 'relu2' | 'leaky2' | 'relu3' | 'leaky3' | 'output-bias' | 'first-bias';

export const HOMOGENEOUS_ARCHS: readonly ArchKind[] = ['relu2', 'leaky2', 'relu3', 'leaky3'];
/** Steepest-descent algorithms of THEORY §3 by optimizer-registry name. */
export const ALGORITHMS: readonly string[] = ['gd', 'sign', 'coord', 'lp:3', 'spectral'];
export const DATA_KINDS: readonly DataKind[] = ['teacher', 'clusters'];

/** The norm an algorithm descends in, read from the optimizer registry (one source of truth). */
export function algorithmNorm(algorithm: string, net: Net): string {
  const norm = makeOptimizer(algorithm, net.layout).norm;
  if (!norm) throw new Error(`${algorithm} is not a steepest-descent algorithm`);
  return norm.name;
}

export function archSpec(arch: ArchKind, inputDim: number, width: number): NetSpec {
  const relu: Activation = { kind: 'relu' };
  const leaky: Activation = { kind: 'leaky', alpha: 0.1 };
  switch (arch) {
    case 'relu2':
      return { kind: 'mlp', inputDim, widths: [width], activation: relu };
    case 'leaky2':
      return { kind: 'mlp', inputDim, widths: [width], activation: leaky };
    case 'relu3':
      return { kind: 'mlp', inputDim, widths: [width, width], activation: relu };
    case 'leaky3':
      return { kind: 'mlp', inputDim, widths: [width, width], activation: leaky };
    case 'output-bias':
      return { kind: 'mlp', inputDim, widths: [width], activation: relu, bias: { output: true } };
    case 'first-bias':
      return { kind: 'mlp', inputDim, widths: [width], activation: relu, bias: { first: true } };
  }
}

export function makeData(kind: DataKind, seed: string, n: number, d: number): Dataset {
  const rng = makeRng(seed).child('data');
  return kind === 'clusters' ? clusterDataset(rng, n, d, { separation: 1, spread: 0.5 }) : gaussianDataset(rng, n, d, kind);
}

export interface RunCase {
  readonly arch: ArchKind;
  readonly algorithm: string;
  readonly data: DataKind;
  readonly seed: string;
  readonly n: number;
  readonly d: number;
  readonly width: number;
  readonly initScale: number;
}

export interface BuiltCase {
  readonly net: Net;
  readonly data: Dataset;
  readonly theta: Float64Array;
  readonly norm: string;
}

export function buildCase(c: RunCase): BuiltCase {
  const net = buildNet(archSpec(c.arch, c.d, c.width));
  const data = makeData(c.data, c.seed, c.n, c.d);
  const theta = net.init(c.initScale, makeRng(c.seed).child('init'));
  return { net, data, theta, norm: algorithmNorm(c.algorithm, net) };
}

export function describeRun(c: RunCase): string {
  return `${c.arch} ${c.algorithm} ${c.data} N=${c.n} d=${c.d} width=${c.width} init=${c.initScale} seed=${c.seed}`;
}

/** fast-check arbitrary of small homogeneous trajectory cases (for checkpoint properties). */
export function runCaseArbitrary(algorithms: readonly string[] = ALGORITHMS): fc.Arbitrary<RunCase> {
  return fc.record({
    arch: fc.constantFrom(...HOMOGENEOUS_ARCHS),
    algorithm: fc.constantFrom(...algorithms),
    data: fc.constantFrom(...DATA_KINDS),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }).map(String),
    n: fc.integer({ min: 4, max: 12 }),
    d: fc.integer({ min: 2, max: 5 }),
    width: fc.integer({ min: 2, max: 8 }),
    initScale: fc.constantFrom(0.1, 0.5, 1),
  });
}
