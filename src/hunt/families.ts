/**
 * The hunter's search space (THEORY §10): net families outside homogeneity, the steepest-descent
 * algorithms of THEORY §3 and the datasets, plus homogeneous control families (the soundness checks:
 * Theorem 3.1 covers them, so a sound hunter confirms nothing there). A candidate's discrete
 * structure is a fast-check value (generated and shrunk by fast-check); the continuous knobs are the
 * targeted phase's (src/hunt/search.ts).
 */
import fc from 'fast-check';
import { InputError } from '../core/errors.js';
import type { Activation, NetSpec } from '../nets/index.js';

/** Hunter families (CLI names), in the order of reports and of `--family all`. */
export const HUNT_FAMILIES = ['output-bias', 'hidden-bias', 'residual', 'tanh', 'softplus', 'gelu', 'ensemble', 'layernorm'] as const;
/** Homogeneous controls (bias-free MLPs, first-layer bias, diagonal, linear): never part of `all`. */
export const CONTROL_FAMILIES = ['control-mlp', 'control-first-bias', 'control-diagonal', 'control-linear'] as const;
export type Family = (typeof HUNT_FAMILIES)[number] | (typeof CONTROL_FAMILIES)[number];
export const FAMILIES: readonly Family[] = [...HUNT_FAMILIES, ...CONTROL_FAMILIES];

/** Steepest-descent algorithms (optimizer-registry names, THEORY §3). */
export const HUNT_ALGORITHMS = ['gd', 'sign', 'coord', 'lp:3', 'spectral'] as const;
export type HuntAlgorithm = (typeof HUNT_ALGORITHMS)[number];
export const HUNT_DATA = ['teacher', 'clusters', 'random', 'positive'] as const;
export type HuntData = (typeof HUNT_DATA)[number];

/** The discrete part of a candidate: what fast-check generates and shrinks. */
export interface Structure {
  readonly family: Family;
  readonly algorithm: HuntAlgorithm;
  readonly data: HuntData;
  /** L: the layer count (weight layers on the longest path), the degree used for S and γ̃. */
  readonly depth: number;
  readonly width: number;
  readonly n: number;
  readonly d: number;
  /** Init scale 10^(−initExp); shrinking moves it toward the standard scale 1. */
  readonly initExp: number;
  readonly dataSeed: number;
  readonly thetaSeed: number;
}

interface FamilyDef {
  /** Layer counts the family takes (the first is the smallest, where shrinking goes). */
  readonly depths: readonly number[];
  readonly spec: (s: Structure) => NetSpec;
  /** True when the net is homogeneous (a control): L is then its true degree. */
  readonly control: boolean;
}

const relu: Activation = { kind: 'relu' };
const hidden = (s: Structure) => Array.from({ length: s.depth - 1 }, () => s.width);
const mlp = (activation: Activation, bias?: { first?: boolean; hidden?: boolean; output?: boolean }) => (s: Structure): NetSpec => ({
  kind: 'mlp',
  inputDim: s.d,
  widths: hidden(s),
  activation,
  ...(bias ? { bias } : {}),
});

const DEFS: Readonly<Record<Family, FamilyDef>> = {
  'output-bias': { depths: [2, 3], spec: mlp(relu, { output: true }), control: false },
  // Hidden biases b_2…b_{L−1} need at least three layers.
  'hidden-bias': { depths: [3], spec: mlp(relu, { hidden: true }), control: false },
  // h = relu(W1 x), s = h + relu(W2 h), f = ⟨v, s⟩: three weight layers on the block path.
  residual: { depths: [3], spec: (s) => ({ kind: 'residual', inputDim: s.d, width: s.width }), control: false },
  tanh: { depths: [2, 3], spec: mlp({ kind: 'tanh' }), control: false },
  softplus: { depths: [2, 3], spec: mlp({ kind: 'softplus' }), control: false },
  gelu: { depths: [2, 3], spec: mlp({ kind: 'gelu' }), control: false },
  // ⟨w, x⟩ + a 2-layer ReLU net: the longest path has two layers.
  ensemble: { depths: [2], spec: (s) => ({ kind: 'ensemble', inputDim: s.d, width: s.width }), control: false },
  layernorm: { depths: [2], spec: (s) => ({ kind: 'layernorm', inputDim: s.d, width: s.width }), control: false },
  'control-mlp': { depths: [2, 3], spec: mlp(relu), control: true },
  'control-first-bias': { depths: [2], spec: mlp(relu, { first: true }), control: true },
  'control-diagonal': { depths: [2, 3], spec: (s) => ({ kind: 'diagonal', inputDim: s.d, depth: s.depth }), control: true },
  'control-linear': { depths: [1], spec: (s) => ({ kind: 'linear', inputDim: s.d }), control: true },
};

export function familySpec(s: Structure): NetSpec {
  return DEFS[s.family].spec(s);
}

export function isControl(family: Family): boolean {
  return DEFS[family].control;
}

/** Sizes of the generated structures (small on purpose: the hunter looks for minimal cases). */
export const SIZE_RANGES = { width: [2, 8], n: [2, 16], d: [2, 6], initExp: [0, 3] } as const;

const int = ([min, max]: readonly [number, number]) => fc.integer({ min, max });
const seedArb = fc.noShrink(fc.integer({ min: 0, max: 2 ** 31 - 1 }));

/**
 * The structure arbitrary of one family over the allowed algorithms and datasets. Family, algorithm,
 * data kind and seeds do not shrink: shrinking moves depth, width, N, d and the init scale only.
 */
export function structureArbitrary(family: Family, algorithms: readonly HuntAlgorithm[], data: readonly HuntData[]): fc.Arbitrary<Structure> {
  const depths = DEFS[family].depths;
  return fc
    .record({
      algorithm: fc.noShrink(fc.constantFrom(...algorithms)),
      data: fc.noShrink(fc.constantFrom(...data)),
      depthIndex: fc.integer({ min: 0, max: depths.length - 1 }),
      width: int(SIZE_RANGES.width),
      n: int(SIZE_RANGES.n),
      d: int(SIZE_RANGES.d),
      initExp: int(SIZE_RANGES.initExp),
      dataSeed: seedArb,
      thetaSeed: seedArb,
    })
    .map(({ depthIndex, ...rest }) => ({ family, depth: depths[depthIndex], ...rest }));
}

/** Parses a list of names against `valid`, expanding `all` to `expandAll`; an unknown name is an InputError. */
export function parseNames<T extends string>(field: string, names: readonly string[], valid: readonly T[], expandAll?: readonly T[]): T[] {
  const out: T[] = [];
  for (const raw of names.flatMap((n) => n.split(','))) {
    const name = raw.trim();
    if (expandAll && name === 'all') out.push(...expandAll);
    else if ((valid as readonly string[]).includes(name)) out.push(name as T);
    else throw new InputError(`${field} = ${JSON.stringify(raw)}: unknown (valid: ${expandAll ? 'all, ' : ''}${valid.join(', ')})`);
  }
  if (out.length === 0) throw new InputError(`${field}: empty list`);
  return [...new Set(out)];
}
