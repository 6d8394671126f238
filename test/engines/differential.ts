/**
 * Differential properties: the tfjs engine (float32) against the float64 reference on the same spec,
 * θ and data, within the first-order bounds of properties/roundoff.ts evaluated at the engine's unit
 * round-off (the f64 engine's own error is added: the reference is not exact either).
 *
 * Kinks. Where a hidden pre-activation z is within its own round-off bound of 0, float32 can put it
 * on the other side of a ReLU kink than float64 (an activation flip): then φ' differs and vjp/jvp of
 * that sample legitimately disagree. Such samples are counted and excluded (c_n = 0 in the vjp, skipped
 * in the jvp); a flip where |z| exceeds its bound is a failure, and samples on an exact kink in both
 * engines (z = 0, relu'(0) = 0) are kept. Margins are continuous across kinks: nothing is excluded.
 * A case whose magnitudes leave float32's normal range (roundoff.ts inNormalRange) is counted, not
 * checked: the bounds are relative.
 */
import fc from 'fast-check';
import type { Dataset, EngineInfo, Evaluation, Net } from '../../src/core/types.js';
import { makeRng } from '../../src/core/rng.js';
import { buildNet, type NetSpec } from '../../src/engines/index.js';
import { F64_INFO } from '../../src/engines/f64.js';
import { describeCase, homogeneousMlpSpec, netCase, nonHomogeneousVariants, type NetCase } from '../../properties/arbitraries.js';
import type { Check, PropertySpec } from '../../properties/outcome.js';
import {
  forwardErrorBound,
  forwardMagnitude,
  inNormalRange,
  jvpErrorBound,
  jvpMagnitude,
  vjpErrorBound,
  vjpMagnitude,
} from '../../properties/roundoff.js';

type MlpSpec = Extract<NetSpec, { kind: 'mlp' }>;

/** Every MLP the generators make: homogeneous (depth 1–4, four activations, b₁ or not) and the biased hunter variants. */
export const mlpCases = netCase((d) => {
  const v = nonHomogeneousVariants(d);
  return fc.oneof({ weight: 4, arbitrary: homogeneousMlpSpec(d) }, { weight: 1, arbitrary: v['output-bias'] }, { weight: 1, arbitrary: v['hidden-bias'] });
});

/** Counts across the runs of one property: cases checked or out of float32 range, samples kept or excluded at kinks. */
export interface SampleStats {
  cases: number;
  outOfRange: number;
  kept: number;
  excluded: number;
}

export const newStats = (): SampleStats => ({ cases: 0, outOfRange: 0, kept: 0, excluded: 0 });

/** Largest residual / tolerance (0/0 counts as exact agreement), and where. */
function worst(res: ArrayLike<number>, tol: ArrayLike<number>, skip?: Set<number>): { ratio: number; at: number } {
  let ratio = 0;
  let at = -1;
  for (let i = 0; i < res.length; i++) {
    if (skip?.has(i)) continue;
    const r = res[i] === 0 ? 0 : res[i] / tol[i];
    if (!(r <= ratio)) {
      ratio = r;
      at = i;
    }
  }
  return { ratio, at };
}

const sum = (a: Float64Array, b: Float64Array): Float64Array => a.map((x, i) => x + b[i]);
const absDiff = (a: Float64Array, b: Float64Array): Float64Array => a.map((x, i) => Math.abs(x - b[i]));

/** Bound on |tfjs − f64| for a quantity: the tfjs engine's bound plus the reference's own. */
function both(bound: (engine: EngineInfo) => Float64Array, tfjs: EngineInfo): Float64Array {
  return sum(bound(tfjs), bound(F64_INFO));
}

/** Per hidden unit: the f64 pre-activation z over the samples, its two-engine bound, and its magnitude. */
interface Unit {
  readonly layer: number;
  readonly unit: number;
  readonly z: Float64Array;
  readonly bound: Float64Array;
  readonly magnitude: Float64Array;
}

/**
 * Hidden pre-activations from the float64 engine itself: unit j of hidden layer l is the output of the
 * truncated MLP made of layers 1..l−1 and row j of W_l (+ b_l[j]), a real net with its own bound.
 */
export function hiddenUnits(spec: MlpSpec, net: Net, theta: Float64Array, data: Dataset, tfjs: EngineInfo): Unit[] {
  const views = net.layout.layers;
  const units: Unit[] = [];
  let w = -1;
  for (let l = 0; l < spec.widths.length; l++) {
    while (views[++w].kind !== 'matrix');
    const W = views[w];
    const b = views[w + 1]?.kind === 'vector' ? views[w + 1] : null;
    const truncated: MlpSpec = {
      ...spec,
      widths: spec.widths.slice(0, l),
      bias: { first: spec.bias?.first, hidden: spec.bias?.hidden, output: l === 0 ? spec.bias?.first : spec.bias?.hidden },
    };
    const sub = buildNet(truncated);
    for (let j = 0; j < W.rows; j++) {
      const t = new Float64Array(sub.layout.size);
      t.set(theta.subarray(0, W.offset));
      t.set(theta.subarray(W.offset + j * W.cols, W.offset + (j + 1) * W.cols), W.offset);
      if (b) t[W.offset + W.cols] = theta[b.offset + j];
      units.push({
        layer: l,
        unit: j,
        z: sub.forward(t, data),
        bound: both((e) => forwardErrorBound(sub, t, data, e), tfjs),
        magnitude: forwardMagnitude(sub, t, data),
      });
    }
  }
  return units;
}

interface Kinks {
  /** Samples with a legitimate activation flip (excluded from vjp/jvp). */
  readonly excluded: Set<number>;
  /** A flip where |z| exceeds its bound: the engines disagree on a sign they must agree on. */
  readonly wrongFlip: string | null;
  /** Some kept sample sits on an exact kink (z = 0 in float64) of some hidden unit. */
  readonly exactKink: boolean;
}

function kinks(units: Unit[], ev32: Evaluation, ev64: Evaluation, n: number): Kinks {
  const excluded = new Set<number>();
  let wrongFlip: string | null = null;
  let exactKink = false;
  if (!ev32.pattern || !ev64.pattern) return { excluded, wrongFlip, exactKink };
  const p32 = ev32.pattern();
  const p64 = ev64.pattern();
  // Pattern layout (Evaluation.pattern): per hidden layer, samples × units, row-major.
  let offset = 0;
  let layer = -1;
  let width = 0;
  for (const u of units) {
    if (u.layer !== layer) {
      offset += layer < 0 ? 0 : n * width;
      layer = u.layer;
      width = units.filter((v) => v.layer === layer).length;
    }
    for (let i = 0; i < n; i++) {
      const k = offset + i * width + u.unit;
      if (p32[k] === p64[k]) continue;
      if (Math.abs(u.z[i]) <= u.bound[i]) excluded.add(i);
      else wrongFlip ??= `sample ${i}, layer ${u.layer + 1} unit ${u.unit}: flip with |z| = ${Math.abs(u.z[i])} > bound ${u.bound[i]}`;
    }
  }
  for (const u of units) for (let i = 0; i < n; i++) if (u.z[i] === 0 && !excluded.has(i)) exactKink = true;
  return { excluded, wrongFlip, exactKink };
}

function tags(c: NetCase, spec: MlpSpec): string[] {
  const t: string[] = [];
  if (c.zeros > 0) t.push('planted zeros');
  if (spec.widths.length >= 2) t.push('depth ≥ 3');
  if (spec.bias?.hidden || spec.bias?.output) t.push('hidden/output bias');
  t.push(spec.activation.kind);
  return t;
}

type Quantity = 'margins' | 'vjp' | 'jvp';

/** The two engines' values of a quantity, its tolerance, and the magnitudes its bound is relative to. */
interface Compared {
  readonly tfjs: Float64Array;
  readonly f64: Float64Array;
  readonly tol: () => Float64Array;
  readonly magnitude: () => Float64Array;
  readonly what: string;
}

function compare(quantity: Quantity, c: NetCase, ev32: Evaluation, ev64: Evaluation, excluded: Set<number>, tfjs: EngineInfo): Compared {
  const { net, theta, data } = c;
  const rng = makeRng(c.seed).child('differential');
  switch (quantity) {
    case 'margins':
      return {
        tfjs: ev32.margins,
        f64: ev64.margins,
        tol: () => both((e) => forwardErrorBound(net, theta, data, e), tfjs),
        magnitude: () => forwardMagnitude(net, theta, data),
        what: 'sample',
      };
    case 'vjp': {
      // Random loss weights; the samples excluded at kinks get weight 0.
      const weights = rng.fillGaussian(new Float64Array(data.n));
      for (const i of excluded) weights[i] = 0;
      return {
        tfjs: ev32.vjp(weights),
        f64: ev64.vjp(weights),
        tol: () => both((e) => vjpErrorBound(net, theta, data, weights, e), tfjs),
        magnitude: () => vjpMagnitude(net, theta, data, weights),
        what: 'coordinate',
      };
    }
    case 'jvp': {
      const v = rng.fillGaussian(new Float64Array(theta.length));
      return {
        tfjs: ev32.jvp(v),
        f64: ev64.jvp(v),
        tol: () => both((e) => jvpErrorBound(net, theta, data, v, e), tfjs),
        magnitude: () => jvpMagnitude(net, theta, data, v),
        what: 'sample',
      };
    }
  }
}

/**
 * One differential property. `build` makes the tfjs net (the engine's, or a test-only mutant);
 * `stats` collects sample and case counts over the runs for the coverage-fraction assertions.
 */
export function differentialProperty(quantity: Quantity, tfjs: EngineInfo, build: (spec: NetSpec) => Net, stats: SampleStats, runs = 120): PropertySpec<NetCase> {
  return {
    name: `tfjs ≈ f64 within float32 round-off: ${quantity}`,
    arbitrary: mlpCases,
    describe: describeCase,
    runs,
    required: {
      'planted zeros': Math.floor(runs / 4),
      'depth ≥ 3': Math.floor(runs / 5),
      'hidden/output bias': Math.floor(runs / 10),
      relupow: Math.floor(runs / 10),
      leaky: Math.floor(runs / 10),
      // Exact kinks need a zero row of W_l (planted zeros); ~6% of the generated cases have one.
      ...(quantity === 'margins' ? {} : { 'exact kink kept': Math.floor(runs / 25) }),
    },
    check(c): Check {
      const spec = c.spec as MlpSpec;
      const { net, theta, data } = c;
      const t = tags(c, spec);
      const units = hiddenUnits(spec, net, theta, data, tfjs);
      const ev32 = build(spec).at(theta, data);
      const ev64 = net.at(theta, data);
      try {
        // Margins are continuous across kinks: only vjp and jvp exclude flipped samples.
        const k = quantity === 'margins' ? null : kinks(units, ev32, ev64, data.n);
        if (k?.wrongFlip) return { ratio: Infinity, tags: t, note: k.wrongFlip };
        const excluded = k?.excluded ?? new Set<number>();
        const q = compare(quantity, c, ev32, ev64, excluded, tfjs);
        stats.cases++;
        if (![q.magnitude(), ...units.map((u) => u.magnitude)].every((m) => inNormalRange(tfjs, m))) {
          stats.outOfRange++;
          return { ratio: 0, tags: [...t, 'outside float32 range'] };
        }
        if (k?.exactKink) t.push('exact kink kept');
        if (excluded.size > 0) t.push('near-kink excluded');
        stats.kept += data.n - excluded.size;
        stats.excluded += excluded.size;
        const tol = q.tol();
        const w = worst(absDiff(q.tfjs, q.f64), tol, quantity === 'jvp' ? excluded : undefined);
        return { ratio: w.ratio, tags: t, note: `${q.what} ${w.at}: tfjs ${q.tfjs[w.at]}, f64 ${q.f64[w.at]}, tol ${tol[w.at]}` };
      } finally {
        ev32.dispose();
        ev64.dispose();
      }
    },
  };
}
