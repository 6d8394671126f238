/**
 * fast-check generators for nets, datasets and parameters (DESIGN.md "Generators").
 * Values are built from a fast-check-chosen integer seed through src/core/rng, not from raw
 * fc.double(): weights are Gaussians times an init scale, with exact zeros planted on purpose to
 * put pre-activations on ReLU kinks. Shrinking is structural: fewer layers, narrower layers,
 * fewer samples, smaller dimension (fast-check shrinks the integers and arrays below).
 */
import fc from 'fast-check';
import type { Dataset, Net } from '../src/core/types.js';
import { makeRng, type Rng } from '../src/core/rng.js';
import { type Activation, type NetSpec } from '../src/nets/index.js';
import { clusterDataset } from '../src/data/clusters.js';
import { gaussianDataset, type LabelRule } from '../src/data/synthetic.js';
import { buildNet } from '../src/engines/index.js';

export const homogeneousActivation: fc.Arbitrary<Activation> = fc.oneof(
  fc.constant<Activation>({ kind: 'relu' }),
  fc.constant<Activation>({ kind: 'leaky', alpha: 0.1 }),
  fc.constant<Activation>({ kind: 'identity' }),
  fc.constant<Activation>({ kind: 'relupow', p: 2 }),
);

/** Bias-free (optionally first-layer-bias) MLPs: depth 1–4, widths 1–16. */
export function homogeneousMlpSpec(inputDim: number, maxDepth = 4): fc.Arbitrary<NetSpec> {
  return fc.record({
    widths: fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 0, maxLength: maxDepth - 1 }),
    activation: homogeneousActivation,
    firstBias: fc.boolean(),
  }).map(({ widths, activation, firstBias }) => ({
    kind: 'mlp' as const,
    inputDim,
    widths,
    activation,
    bias: { first: firstBias && widths.length > 0 },
  }));
}

/** Every homogeneous architecture the project has. */
export function homogeneousNetSpec(inputDim: number): fc.Arbitrary<NetSpec> {
  return fc.oneof(
    { weight: 4, arbitrary: homogeneousMlpSpec(inputDim) },
    { weight: 1, arbitrary: fc.constant<NetSpec>({ kind: 'linear', inputDim }) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }).map((depth): NetSpec => ({ kind: 'diagonal', inputDim, depth })) },
  );
}

/** The non-homogeneous variants of the hunter (THEORY §10), one arbitrary each. */
export function nonHomogeneousVariants(inputDim: number): Record<string, fc.Arbitrary<NetSpec>> {
  const width = fc.integer({ min: 1, max: 8 });
  const relu: Activation = { kind: 'relu' };
  return {
    'output-bias': width.map((w): NetSpec => ({ kind: 'mlp', inputDim, widths: [w], activation: relu, bias: { output: true } })),
    'hidden-bias': fc
      .tuple(width, width)
      .map(([a, b]): NetSpec => ({ kind: 'mlp', inputDim, widths: [a, b], activation: relu, bias: { hidden: true } })),
    residual: width.map((w): NetSpec => ({ kind: 'residual', inputDim, width: w })),
    tanh: width.map((w): NetSpec => ({ kind: 'mlp', inputDim, widths: [w], activation: { kind: 'tanh' } })),
    softplus: width.map((w): NetSpec => ({ kind: 'mlp', inputDim, widths: [w], activation: { kind: 'softplus' } })),
    gelu: width.map((w): NetSpec => ({ kind: 'mlp', inputDim, widths: [w], activation: { kind: 'gelu' } })),
    ensemble: width.map((w): NetSpec => ({ kind: 'ensemble', inputDim, width: w })),
    layernorm: width.map((w): NetSpec => ({ kind: 'layernorm', inputDim, width: w })),
  };
}

/** Init scales from 1e-3 to 10, log-uniform on a grid (exact values shrink toward 1). */
export const initScale: fc.Arbitrary<number> = fc.integer({ min: -3, max: 1 }).map((e) => 10 ** e);

export interface NetCase {
  readonly spec: NetSpec;
  readonly net: Net;
  readonly theta: Float64Array;
  readonly data: Dataset;
  readonly seed: number;
  /** How many exact zeros were planted in θ (to hit kinks). */
  readonly zeros: number;
}

export interface CaseOptions {
  readonly maxN?: number;
  readonly maxD?: number;
  /** Probability of planting exact zeros in θ. */
  readonly zeroRate?: number;
}

/** θ from the net's init at the given scale, with a few exact zeros planted. */
export function plantedTheta(net: Net, rng: Rng, scale: number, zeroRate: number): { theta: Float64Array; zeros: number } {
  const theta = net.init(scale, rng.child('init'));
  const z = rng.child('zeros');
  let zeros = 0;
  for (let i = 0; i < theta.length; i++) {
    if (z.uniform() < zeroRate) {
      theta[i] = 0;
      zeros++;
    }
  }
  return { theta, zeros };
}

/** A (net, θ, data) case from a spec arbitrary: the spec shrinks structurally, the seed fixes values. */
export function netCase(
  specOf: (inputDim: number) => fc.Arbitrary<NetSpec>,
  opts: CaseOptions = {},
): fc.Arbitrary<NetCase> {
  const maxN = opts.maxN ?? 40;
  const maxD = opts.maxD ?? 10;
  // No .chain: fast-check shrinks a chained source poorly. Specs are drawn for inputDim 1 and
  // re-targeted to the drawn d (no generator here depends on d otherwise).
  return fc
    .record({
      d: fc.integer({ min: 1, max: maxD }),
      n: fc.integer({ min: 1, max: maxN }),
      spec: specOf(1),
      scale: initScale,
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      labels: fc.constantFrom<'random' | 'teacher'>('random', 'teacher'),
      plantZeros: fc.boolean(),
    })
    .map(({ d, n, spec: spec1, scale, seed, labels, plantZeros }) => {
      const spec = { ...spec1, inputDim: d } as NetSpec;
      const rng = makeRng(seed);
      const net = buildNet(spec);
      const data = gaussianDataset(rng.child('data'), n, d, labels);
      const { theta, zeros } = plantedTheta(net, rng, scale, plantZeros ? (opts.zeroRate ?? 0.15) : 0);
      return { spec, net, theta, data, seed, zeros };
    });
}

/** Short description for counterexample messages. */
export function describeCase(c: NetCase): string {
  return `${c.net.name} N=${c.data.n} d=${c.data.d} seed=${c.seed} zeros=${c.zeros}`;
}

export type DatasetKind = LabelRule | 'clusters';

export interface DatasetOptions {
  readonly maxN?: number;
  /** Fixed input dimension (to match a net), or drawn in 1..maxD. */
  readonly d?: number;
  readonly maxD?: number;
  /** Label rules to draw from (default: all four). */
  readonly kinds?: readonly DatasetKind[];
}

/**
 * Datasets from a fast-check-chosen seed: Gaussian inputs with random, teacher or all-positive labels,
 * or separable clusters (src/data). Shrinks toward fewer samples, a smaller dimension and the first kind.
 */
export function datasetArbitrary(opts: DatasetOptions = {}): fc.Arbitrary<Dataset> {
  const kinds = opts.kinds ?? ['random', 'teacher', 'positive', 'clusters'];
  return fc
    .record({
      kind: fc.constantFrom(...kinds),
      n: fc.integer({ min: 1, max: opts.maxN ?? 40 }),
      d: opts.d === undefined ? fc.integer({ min: 1, max: opts.maxD ?? 10 }) : fc.constant(opts.d),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ kind, n, d, seed }) => {
      const rng = makeRng(seed).child('data');
      return kind === 'clusters' ? clusterDataset(rng, n, d) : gaussianDataset(rng, n, d, kind);
    });
}

/**
 * Registry names of the norms defined on every layout (THEORY §2): ℓ1, ℓ2, ℓ∞, ℓp for p on a grid
 * in (1, ∞), spectral and spectral-sign. `makeNorm(name, net.layout)` builds one; weighted ℓ2 needs
 * one weight per parameter and is left out.
 */
export const normName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('l2', 'linf', 'l1', 'spectral', 'spectral-sign'),
  fc.constantFrom(1.5, 3, 4, 1.25).map((p) => `lp:${p}`),
);
