/**
 * The duality contract every norm must satisfy (THEORY §2, §3), as fast-check properties that
 * are applied to every registered norm (DESIGN.md: one contract, every instance).
 *
 * Generators: a layout of 2–3 blocks (matrices up to 4×5, vectors up to 6), and vectors built
 * from a fast-check-chosen seed through makeRng(seed).fillGaussian, with exact zeros, exact ties
 * (entries copied to ±max|x|, and a matrix block replaced by a scaled signed permutation, whose
 * singular values are all equal) and extreme scales (×10^±150) planted on purpose. Tags count
 * the cases that really contained each situation; `required` turns a run without them into a
 * `vacuous` verdict.
 */
import fc from 'fast-check';
import type { LayerView, Layout, Norm } from '../src/core/types.js';
import { makeRng } from '../src/core/rng.js';
import { dot } from '../src/core/vec.js';
import { makeNorm, TIE_RTOL } from '../src/norms/index.js';
import type { PropertySpec } from './outcome.js';
import { dotErrorBound, gamma, normRelTol, U, Worst } from './norms-tolerance.js';

export interface NormSpec {
  /** Shown in property names: the registry name, or a family instance like `wl2`. */
  readonly id: string;
  readonly make: (layout: Layout) => Norm;
}

/** Weights of the weighted-ℓ2 instance: log-uniform in [1/100, 100], fixed by the layout size. */
export function testWeights(size: number): number[] {
  const rng = makeRng(`wl2-weights/${size}`);
  return Array.from({ length: size }, () => 10 ** (4 * rng.uniform() - 2));
}

/** Every registered norm, with two ℓp and one weighted-ℓ2 instance. */
export const NORM_SPECS: readonly NormSpec[] = [
  ...['l1', 'l2', 'linf', 'lp:1.5', 'lp:3', 'spectral', 'spectral-sign'].map((name) => ({
    id: name,
    make: (layout: Layout) => makeNorm(name, layout),
  })),
  { id: 'wl2', make: (layout: Layout) => makeNorm(`wl2:${testWeights(layout.size).join(',')}`, layout) },
];

// ---------------------------------------------------------------- generators

interface BlockShape {
  readonly kind: 'matrix' | 'vector';
  readonly rows: number;
  readonly cols: number;
}

const blockShape: fc.Arbitrary<BlockShape> = fc.oneof(
  fc.record({ kind: fc.constant<'matrix'>('matrix'), rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant<'vector'>('vector'), rows: fc.constant(1), cols: fc.integer({ min: 1, max: 6 }) }),
);

export function toLayout(shapes: readonly BlockShape[]): Layout {
  let offset = 0;
  const layers: LayerView[] = shapes.map((s, i) => {
    const view = { name: `${s.kind === 'matrix' ? 'W' : 'b'}${i}`, kind: s.kind, offset, rows: s.rows, cols: s.cols };
    offset += s.rows * s.cols;
    return view;
  });
  return { size: offset, layers };
}

export const layoutArb: fc.Arbitrary<Layout> = fc.array(blockShape, { minLength: 2, maxLength: 3 }).map(toLayout);

export interface VecRecipe {
  readonly seed: number;
  readonly zeros: 'none' | 'some' | 'block' | 'all';
  readonly ties: boolean;
  /** The vector is multiplied by 10^exp10. */
  readonly exp10: number;
}

export const vecRecipe: fc.Arbitrary<VecRecipe> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  zeros: fc.oneof(
    { weight: 4, arbitrary: fc.constant<'none'>('none') },
    { weight: 4, arbitrary: fc.constant<'some'>('some') },
    { weight: 3, arbitrary: fc.constant<'block'>('block') },
    { weight: 1, arbitrary: fc.constant<'all'>('all') },
  ),
  ties: fc.boolean(),
  exp10: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -150, max: 150 }) }),
});

export function buildVector(layout: Layout, r: VecRecipe): Float64Array {
  const rng = makeRng(r.seed);
  const x = rng.fillGaussian(new Float64Array(layout.size));
  const blockOf = (i: number) => layout.layers[i];
  if (r.zeros === 'all') x.fill(0);
  if (r.zeros === 'some') for (let i = 0; i < x.length; i++) if (rng.uniform() < 0.3) x[i] = 0;
  if (r.zeros === 'block') {
    const b = blockOf(rng.int(layout.layers.length));
    x.fill(0, b.offset, b.offset + b.rows * b.cols);
  }
  const m = x.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  if (r.ties && m > 0) {
    // Two entries tied with the max magnitude, and a matrix block M·(signed permutation).
    for (let k = 0; k < 2; k++) x[rng.int(x.length)] = rng.uniform() < 0.5 ? m : -m;
    const matrices = layout.layers.filter((l) => l.kind === 'matrix');
    if (matrices.length > 0) {
      const b = matrices[rng.int(matrices.length)];
      x.fill(0, b.offset, b.offset + b.rows * b.cols);
      const used = new Set<number>();
      for (let i = 0; i < Math.min(b.rows, b.cols); i++) {
        let c = rng.int(b.cols);
        while (used.has(c)) c = (c + 1) % b.cols;
        used.add(c);
        x[b.offset + i * b.cols + c] = rng.uniform() < 0.5 ? m : -m;
      }
    }
  }
  const s = 10 ** r.exp10;
  for (let i = 0; i < x.length; i++) x[i] *= s;
  return x;
}

export interface NormCase {
  readonly layout: Layout;
  readonly rx: VecRecipe;
  readonly ry: VecRecipe;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export const normCaseArb: fc.Arbitrary<NormCase> = fc
  .record({ layout: layoutArb, rx: vecRecipe, ry: vecRecipe })
  .map(({ layout, rx, ry }) => ({ layout, rx, ry, x: buildVector(layout, rx), y: buildVector(layout, ry) }));

/** `layout [2×3,v4]`: matrix blocks rows×cols, vector blocks v<length>. */
export function describeLayout(layout: Layout): string {
  return `layout [${layout.layers.map((l) => (l.kind === 'matrix' ? `${l.rows}×${l.cols}` : `v${l.cols}`)).join(',')}]`;
}

export function describeNormCase(c: NormCase): string {
  return `${describeLayout(c.layout)} x=${JSON.stringify(c.rx)} y=${JSON.stringify(c.ry)}`;
}

/**
 * A matrix block whose nonzeros (at least two) share one magnitude, with no two in a row or a
 * column: a scaled signed partial permutation, so its nonzero singular values are all equal.
 */
function isScaledPartialPermutation(x: Float64Array, b: LayerView): boolean {
  const rows = new Set<number>();
  const cols = new Set<number>();
  let magnitude = -1;
  for (let i = 0; i < b.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      const v = Math.abs(x[b.offset + i * b.cols + j]);
      if (v === 0) continue;
      if ((magnitude >= 0 && v !== magnitude) || rows.has(i) || cols.has(j)) return false;
      magnitude = v;
      rows.add(i);
      cols.add(j);
    }
  }
  return rows.size >= 2;
}

/** Situations a case really contains (measured on x, not read from the recipe). */
export function vectorTags(layout: Layout, x: Float64Array, r: VecRecipe): string[] {
  const tags: string[] = [];
  const m = x.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  if (m === 0) return ['zero vector'];
  if (x.some((v) => v === 0)) tags.push('zeros');
  if (x.filter((v) => Math.abs(v) === m).length >= 2) tags.push('ties');
  if (layout.layers.some((l) => l.kind === 'matrix' && isScaledPartialPermutation(x, l))) tags.push('repeated σ');
  if (Math.abs(r.exp10) >= 100) tags.push('extreme scale');
  return tags;
}

// ---------------------------------------------------------------- checks

interface Ctx {
  readonly norm: Norm;
  readonly rel: number;
  readonly P: number;
}

function ctxOf(spec: NormSpec, c: NormCase): Ctx {
  const norm = spec.make(c.layout);
  return { norm, rel: normRelTol(norm, c.layout), P: c.layout.size };
}

/** Unit directions to compete with the steepest one: Gaussians, and u + δz for δ = 1e-1…1e-8. */
function competitors(c: NormCase, norm: Norm, u: Float64Array): Float64Array[] {
  const rng = makeRng(c.rx.seed).child('directions');
  const dirs: Float64Array[] = [];
  for (let k = 0; k < 6; k++) dirs.push(rng.fillGaussian(new Float64Array(c.layout.size)));
  if (u.some((v) => v !== 0)) {
    for (const delta of [1e-1, 1e-4, 1e-8]) {
      const z = rng.fillGaussian(new Float64Array(c.layout.size));
      dirs.push(u.map((v, i) => v + delta * z[i]));
    }
  }
  return dirs.map((d) => {
    const n = norm.value(d);
    return d.map((v) => v / n);
  });
}

/** u = steepest(g): returns ‖g‖_*, ‖u‖ = 1, ⟨u, g⟩ = ‖g‖_* (up to TIE_RTOL), u = 0 iff g = 0. */
function checkSteepest({ norm, rel }: Ctx, g: Float64Array, w: Worst): void {
  const u = new Float64Array(g.length);
  const ret = norm.steepest(g, u);
  const d = norm.dual(g);
  // Same computation in exact arithmetic; each side carries ≤ rel.
  w.close('returned ‖g‖_* vs dual(g)', ret, d, 2 * rel * d);
  if (d === 0) {
    w.exact('g = 0 ⇒ u = 0 and returns 0', ret === 0 && u.every((v) => v === 0));
    return;
  }
  w.close('‖u‖ = 1', norm.value(u), 1, rel);
  // ⟨u, g⟩: the dot's own error plus rel on ‖g‖_* plus the tie tolerance of the selection.
  w.close('⟨u, g⟩ = ‖g‖_*', dot(u, g), d, (rel + TIE_RTOL) * d + dotErrorBound(u, g));
}

function checkHolder({ norm, rel }: Ctx, x: Float64Array, g: Float64Array, w: Worst): void {
  // True ⟨x,g⟩ ≤ ‖x‖‖g‖_*; computed sides err by the dot bound and by ≤ 3·rel (two values, product).
  const bound = norm.value(x) * norm.dual(g);
  w.atMost('Hölder ⟨x, g⟩ ≤ ‖x‖‖g‖_*', dot(x, g), bound, 3 * rel * bound + dotErrorBound(x, g));
}

function checkOptimality(c: NormCase, { norm, rel }: Ctx, g: Float64Array, w: Worst): void {
  const u = new Float64Array(g.length);
  norm.steepest(g, u);
  const best = dot(u, g);
  const d = norm.dual(g);
  for (const v of competitors(c, norm, u)) {
    // ⟨v̂, g⟩ ≤ ‖v̂‖‖g‖_* ≤ (1 + rel)‖g‖_* while ⟨u, g⟩ ≥ (1 − rel − TIE_RTOL)‖g‖_*.
    const tol = (2 * rel + TIE_RTOL) * d + dotErrorBound(v, g) + dotErrorBound(u, g);
    w.atMost('⟨v̂, g⟩ ≤ ⟨u, g⟩ for unit v̂', dot(v, g), best, tol);
  }
}

function checkDualSupremum(c: NormCase, { norm, rel }: Ctx, g: Float64Array, w: Worst): void {
  const d = norm.dual(g);
  const u = new Float64Array(g.length);
  norm.steepest(g, u);
  for (const v of competitors(c, norm, u)) {
    // v is unit up to rounding of v/‖v‖ (1 + rel relative) and the dual carries rel.
    w.atMost('⟨v̂, g⟩ ≤ ‖g‖_*', dot(v, g), d, 2 * rel * d + dotErrorBound(v, g));
  }
}

function checkSubgradient({ norm, rel }: Ctx, theta: Float64Array, w: Worst): void {
  const sub = norm.subgradHalfSq(theta, new Float64Array(theta.length));
  const a = norm.value(theta);
  if (a === 0) {
    w.exact('θ = 0 ⇒ w = 0', sub.every((v) => v === 0));
    return;
  }
  // w = a·v with ‖v‖_* = 1 ± rel, then the dual of w is computed with rel: 3·rel (+ rounding of a·v).
  w.close('‖w‖_* = ‖θ‖', norm.dual(sub), a, (3 * rel + U) * a);
  // ⟨v, θ⟩ = ‖θ_k‖ ≥ ‖θ‖(1 − TIE_RTOL) on the selected block/coordinate, each norm value ± rel.
  w.close('⟨w, θ⟩ = ‖θ‖²', dot(sub, theta), a * a, (3 * rel + TIE_RTOL) * a * a + dotErrorBound(sub, theta));
}

/**
 * FY(θ, w) ≥ 0 for any pair, it equals the textbook ½‖θ‖² + ½‖w‖_*² − ⟨θ, w⟩ (no overflow for
 * the ≤ 1e152 magnitudes generated), and FY(θ, ∂ψ(θ)) = 0. The computed gap ½(a − b)² + ab(1 − c)
 * (kernel.ts) errs by ≤ rel·(a + b)|a − b| + 2·rel·ab + dot error ≤ rel·(a + b)² + dot error; the
 * textbook form by 2·rel·(a² + b²)/2 + γ_3(a² + b²) + dot error. At w ∈ ∂ψ(θ) the identities of
 * checkSubgradient hold only to δ = 3·rel + TIE_RTOL, which leaves a true gap ≤ ½δ²a² + 2δa² ≤ 3δa².
 */
function checkFenchelYoung({ norm, rel }: Ctx, theta: Float64Array, other: Float64Array, w: Worst): void {
  const a = norm.value(theta);
  const b = norm.dual(other);
  const tolPair = rel * (a + b) ** 2 + dotErrorBound(theta, other);
  const gap = norm.fyGap(theta, other);
  w.atMost('FY(θ, w) ≥ 0', -gap, 0, tolPair);
  const textbook = 0.5 * a * a + 0.5 * b * b - dot(theta, other);
  w.close('FY = ½‖θ‖² + ½‖w‖_*² − ⟨θ, w⟩', gap, textbook, tolPair + (rel + gamma(3)) * (a * a + b * b) + dotErrorBound(theta, other));
  const sub = norm.subgradHalfSq(theta, new Float64Array(theta.length));
  const tolSub = 4 * rel * a * a + dotErrorBound(theta, sub) + 3 * (3 * rel + TIE_RTOL) * a * a;
  w.close('FY(θ, ∂ψ(θ)) = 0', norm.fyGap(theta, sub), 0, tolSub);
}

/**
 * Absolute homogeneity. c = ±2^k: exact (scaling by a power of two commutes with rounding, and
 * every norm here rescales by its max entry before squaring), including steepest(cg) =
 * sign(c)·steepest(g) bit for bit — which also pins down that the tie rules are scale-free.
 * Other c: forming c·x rounds each entry by u, moving the value by ≤ √P·u (spectral blocks:
 * ‖E‖₂ ≤ ‖E‖_F ≤ u‖cA‖_F ≤ u√n‖cA‖₂), plus rel on each of the two evaluations.
 */
function checkHomogeneity(c: NormCase, { norm, rel, P }: Ctx, x: Float64Array, w: Worst): void {
  const rng = makeRng(c.rx.seed).child('scale');
  const k = rng.int(81) - 40;
  const pow2 = (rng.uniform() < 0.5 ? -1 : 1) * 2 ** k;
  const px = x.map((v) => pow2 * v);
  w.exact('value(±2^k x) = 2^k value(x)', norm.value(px) === Math.abs(pow2) * norm.value(x));
  w.exact('dual(±2^k x) = 2^k dual(x)', norm.dual(px) === Math.abs(pow2) * norm.dual(x));
  const u = new Float64Array(P);
  const up = new Float64Array(P);
  norm.steepest(x, u);
  norm.steepest(px, up);
  w.exact('steepest(±2^k g) = ±steepest(g)', up.every((v, i) => v === Math.sign(pow2) * u[i]));

  const s = (rng.uniform() < 0.5 ? -1 : 1) * (0.5 + rng.uniform()) * 10 ** (rng.int(11) - 5);
  const sx = x.map((v) => s * v);
  const tol = (2 * rel + Math.sqrt(P) * U) * Math.abs(s);
  w.close('value(cx) = |c| value(x)', norm.value(sx), Math.abs(s) * norm.value(x), tol * norm.value(x));
  w.close('dual(cx) = |c| dual(x)', norm.dual(sx), Math.abs(s) * norm.dual(x), tol * norm.dual(x));
}

/** fl(x + y) errs by u|x + y| entry-wise (√P·u on the value), plus rel on each of three values. */
function checkTriangle({ norm, rel, P }: Ctx, x: Float64Array, y: Float64Array, w: Worst): void {
  const sum = x.map((v, i) => v + y[i]);
  for (const [what, f] of [['value', norm.value], ['dual', norm.dual]] as const) {
    const bound = f(x) + f(y);
    w.atMost(`${what}(x + y) ≤ ${what}(x) + ${what}(y)`, f(sum), bound, (3 * rel + Math.sqrt(P) * U + gamma(1)) * bound);
  }
}

// ---------------------------------------------------------------- properties

function property(
  spec: NormSpec,
  claim: string,
  runs: number,
  body: (c: NormCase, ctx: Ctx, w: Worst) => void,
  tagsOf: (c: NormCase) => string[] = (c) => vectorTags(c.layout, c.x, c.rx),
): PropertySpec<NormCase> {
  const spectral = spec.id.startsWith('spectral');
  return {
    name: `norm ${spec.id}: ${claim}`,
    arbitrary: normCaseArb,
    describe: describeNormCase,
    runs,
    required: { zeros: 5, ties: 5, 'extreme scale': 5, ...(spectral ? { 'repeated σ': 5 } : {}) },
    check(c) {
      const w = new Worst();
      body(c, ctxOf(spec, c), w);
      return w.result(tagsOf(c));
    },
  };
}

export function normProperties(spec: NormSpec): PropertySpec<NormCase>[] {
  return [
    property(spec, 'steepest u: ‖u‖ = 1, ⟨u, g⟩ = ‖g‖_*', 200, (c, ctx, w) => checkSteepest(ctx, c.x, w)),
    property(spec, 'Hölder ⟨x, g⟩ ≤ ‖x‖‖g‖_*', 150, (c, ctx, w) => checkHolder(ctx, c.y, c.x, w)),
    property(spec, 'no unit direction beats the steepest one', 150, (c, ctx, w) => checkOptimality(c, ctx, c.x, w)),
    property(spec, 'dual = sup ⟨v, g⟩/‖v‖ is never exceeded', 150, (c, ctx, w) => checkDualSupremum(c, ctx, c.x, w)),
    property(spec, 'w ∈ ∂½‖θ‖²: ‖w‖_* = ‖θ‖, ⟨w, θ⟩ = ‖θ‖²', 200, (c, ctx, w) => checkSubgradient(ctx, c.x, w)),
    property(spec, 'Fenchel–Young gap ≥ 0, = ½a² + ½b² − ⟨θ, w⟩, = 0 on ∂ψ', 150, (c, ctx, w) => checkFenchelYoung(ctx, c.x, c.y, w)),
    property(spec, 'absolute homogeneity (exact for ±2^k)', 150, (c, ctx, w) => checkHomogeneity(c, ctx, c.x, w)),
    property(spec, 'triangle inequality (norm and dual)', 150, (c, ctx, w) => checkTriangle(ctx, c.x, c.y, w)),
  ];
}

function specOf(id: string): NormSpec {
  return NORM_SPECS.find((s) => s.id === id)!;
}

/** ℓ1 steepest = coordinate descent at the lowest index within TIE_RTOL of max|g| (directions.ts). */
export const coordinateTieRule: PropertySpec<NormCase> = property(specOf('l1'), 'coordinate tie rule (lowest index)', 200, (c, { norm }, w) => {
  const g = c.x;
  const u = new Float64Array(g.length);
  norm.steepest(g, u);
  const m = g.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const expected = m === 0 ? -1 : g.findIndex((v) => Math.abs(v) >= m * (1 - TIE_RTOL));
  const support = [...u.keys()].filter((i) => u[i] !== 0);
  w.exact(`u supported on {${expected}} only (got {${support}})`, m === 0 ? support.length === 0 : support.length === 1 && support[0] === expected && u[expected] === Math.sign(g[expected]));
});

/** ℓ∞ steepest = sign(g) with sign(0) = 0, exactly. */
export const signRule: PropertySpec<NormCase> = property(specOf('linf'), 'sign rule u = sign(g), sign(0) = 0', 200, (c, { norm }, w) => {
  const u = new Float64Array(c.x.length);
  norm.steepest(c.x, u);
  w.exact('u = sign(g)', u.every((v, i) => v === Math.sign(c.x[i])));
});

export const NORM_PROPERTIES: readonly PropertySpec<NormCase>[] = [
  ...NORM_SPECS.flatMap(normProperties),
  coordinateTieRule,
  signRule,
];
