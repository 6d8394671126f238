/**
 * `reproduce mnist-2v7` / `mnist-3v6` (THEORY §11): a seeded, class-balanced subset of two real MNIST
 * digits (the `mnist` package, src/data/mnist.ts), a one-hidden-layer bias-free ReLU net from a small
 * init, trained from the same θ₀ by GD, sign descent, coordinate descent, Adam (defaults) and Adam
 * with ε = 0. Asserted: after separation each steepest-descent algorithm raises its own margin.
 * Measured: where each Adam run sits between sign descent and GD in ℓ∞ and ℓ2 margins over training.
 * Training runs on the engine named (float32 tfjs by default when it is available); every margin is
 * judged in float64 by the reference net (the runner's checkpoints).
 */
import { makeRng } from '../core/rng.js';
import { mnistPair } from '../data/mnist.js';
import { buildNet, loadEngine } from '../engines/index.js';
import { comparisonChart } from '../report/charts.js';
import { positionChart, type PositionPoint } from '../report/reproduction.js';
import type { Budget } from '../trajectory/run.js';
import { ADAM, ADAM_EPS0, steepestDescent, type Algorithm } from './algorithms.js';
import { adamBetween, adamPosition, ownMarginRises } from './claims.js';
import { train } from './experiment.js';
import { claimLine, claimsTable, engineFact, packageVersions, runsTable } from './report.js';
import type { Reproduction, ReproductionContext, ReproductionResult } from './types.js';

export interface MnistConfig {
  readonly perClass: number;
  readonly width: number;
  readonly init: number;
  /** Budget of the steepest-descent runs (loss-based steps) and of the Adam runs (constant η). */
  readonly steepestBudget: Budget;
  readonly adamBudget: Budget;
  readonly engine: string;
}

export const MNIST_SEED = 20241029;

export const MNIST: Readonly<Record<'full' | 'quick', MnistConfig>> = {
  full: { perClass: 125, width: 20, init: 0.1, steepestBudget: { steps: 2500, logLoss: -300 }, adamBudget: { steps: 5000 }, engine: 'tfjs' },
  quick: { perClass: 20, width: 20, init: 0.1, steepestBudget: { steps: 300, logLoss: -100 }, adamBudget: { steps: 400 }, engine: 'f64' },
};

// α of η = α/𝓛 (algorithms.ts): coordinate descent moves one of ~10⁴ weights per step.
const ALGORITHMS: readonly Algorithm[] = [steepestDescent('gd', 0.5), steepestDescent('sign', 0.02), steepestDescent('coord', 5), ADAM, ADAM_EPS0];

const NAMING_TRAP =
  'Naming (THEORY §11): the paper describes Adam as "increasing γ1" like sign descent. Its "γ1" names sign descent’s margin by the dual norm (ℓ1 is the dual of ℓ∞); ' +
  'here margins are named by the parameter norm that normalizes them, so that curve is γ∞ (ℓ∞ panel).';

function mnistRun(digits: readonly [number, number]) {
  const name = `mnist-${digits[0]}v${digits[1]}`;
  return async (ctx: ReproductionContext): Promise<ReproductionResult> => {
    const cfg = MNIST[ctx.quick ? 'quick' : 'full'];
    const data = mnistPair({ digits, perClass: cfg.perClass, seed: `${MNIST_SEED}/${name}/data` });
    const engine = await loadEngine(ctx.engine ?? cfg.engine);
    const net = buildNet({ kind: 'mlp', inputDim: data.d, widths: [cfg.width], activation: { kind: 'relu' } }, engine);
    const theta0 = net.init(cfg.init, makeRng(`${MNIST_SEED}/${name}/init`));
    const started = performance.now();
    const runs = ALGORITHMS.map((alg) => {
      const r = train({ net, data, theta0 }, alg, alg.ownNorm ? cfg.steepestBudget : cfg.adamBudget);
      ctx.log(`${r.label}: ${r.steps} steps, separated at ${r.separationStep ?? 'never'}, late phase at ${r.lateStep ?? 'never'}, ${r.stop} (${r.seconds.toFixed(1)} s)`);
      return r;
    });
    const seconds = (performance.now() - started) / 1000;
    const by = (a: Algorithm | string) => runs.find((r) => r.algorithm === (typeof a === 'string' ? a : a.name))!;
    const gd = by('gd');
    const sign = by('sign');
    const adams = [by(ADAM), by(ADAM_EPS0)];
    // GD and sign descent separate these digits within a few dozen steps (measured); coordinate
    // descent, one weight per step, may not within the budget: two of the three must be covered.
    const claims = [ownMarginRises(runs, 2), ...adams.map((a) => adamBetween(a, gd, sign))];
    claims.forEach((c) => ctx.log(claimLine(c)));

    const positions: PositionPoint[] = adams.flatMap((a) => {
      const pos = adamPosition(a, gd, sign);
      if (!pos) return [];
      return pos.steps.flatMap((step, i) => [
        { run: a.label, norm: 'ℓ∞ margin γ∞', step, position: pos.linf[i] },
        { run: a.label, norm: 'ℓ₂ margin γ₂', step, position: pos.l2[i] },
      ]);
    });
    const all = runs.map((r) => ({ name: r.label, series: r.series }));
    const setting = `digits ${digits[0]} (+1) vs ${digits[1]} (−1), N = ${data.n} (${cfg.perClass} per digit, seeded subset "${MNIST_SEED}/${name}/data" of the mnist package), pixels in [0, 1]; bias-free 1-hidden-layer ReLU net of width ${cfg.width} (L = 2, ${net.layout.size} parameters), init scale ${cfg.init}; exponential loss (sum)`;
    const versions = packageVersions(['mnist', 'vega-lite', 'vega', '@resvg/resvg-js', '@tensorflow/tfjs']);
    const verdicts = claims.filter((c) => c.verdict !== 'measured').map((c) => `${c.id}: ${c.verdict}`).join(', ');
    return {
      claims,
      runs,
      record: { reproduction: name, quick: ctx.quick, config: cfg, rootSeed: MNIST_SEED, algorithms: ALGORITHMS.map((a) => a.rule), engine: net.engine, versions, seconds, claims, runs },
      report: {
        title: `Reproduction: MNIST ${digits[0]} vs ${digits[1]}${ctx.quick ? ' (quick)' : ''}`,
        summary: `N = ${data.n}, GD, sign, coordinate descent, Adam, Adam ε = 0 — ${verdicts} (${seconds.toFixed(0)} s)`,
        facts: [
          ['setting', setting],
          ['algorithms', ALGORITHMS.map((a) => a.rule).join('; ')],
          ['budget per run', `steepest descent: ${cfg.steepestBudget.steps} steps or log 𝓛 ≤ ${cfg.steepestBudget.logLoss}; Adam: ${cfg.adamBudget.steps} steps`],
          ['engine', engineFact(net.engine)],
          ['versions', Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')],
          ['wall time', `${seconds.toFixed(1)} s of training (${ctx.quick ? 'quick' : 'full'} budget)`],
        ],
        sections: [
          { heading: 'Claims', blocks: [claimsTable(claims)] },
          {
            heading: 'Margins over training',
            blocks: [
              { kind: 'text', text: NAMING_TRAP },
              {
                kind: 'chart',
                name: 'margins',
                title: 'γ₁, γ₂, γ∞ per optimizer',
                caption:
                  'the paper’s "γ1" of sign descent is γ∞ here (named by the parameter norm); Adam and Adam (ε = 0) overlap wherever √v̂ ≫ 10⁻⁸ (the record has both series)',
                spec: comparisonChart(all, { title: `MNIST ${digits[0]} vs ${digits[1]}: normalized margins per norm` }),
              },
              { kind: 'chart', name: 'soft-margins', title: 'soft margins γ̃ per optimizer', spec: comparisonChart(all, { margin: 'soft', title: `MNIST ${digits[0]} vs ${digits[1]}: soft margins γ̃` }) },
            ],
          },
          {
            heading: 'Where Adam sits between sign descent and GD',
            blocks: [
              {
                kind: 'chart',
                name: 'adam-position',
                title: 'Adam’s position between sign descent (1) and GD (0)',
                caption: 'position = log(γ(Adam)/γ(GD end)) / log(γ(sign end)/γ(GD end)) per norm, from Adam’s separation (100 % train accuracy) on',
                spec: positionChart(positions, `MNIST ${digits[0]} vs ${digits[1]}: Adam between sign descent and GD`, [
                  'position 1: sign descent’s final margin in that norm; 0: GD’s (log scale between them)',
                  'ℓ∞ panel = the paper’s "γ1" of sign descent (THEORY §11 naming)',
                ]),
              },
            ],
          },
          { heading: 'Runs', blocks: [runsTable(runs)] },
        ],
      },
    };
  };
}

export const mnist2v7: Reproduction = { name: 'mnist-2v7', run: mnistRun([2, 7]) };
export const mnist3v6: Reproduction = { name: 'mnist-3v6', run: mnistRun([3, 6]) };
