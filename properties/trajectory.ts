/**
 * Properties of recorded trajectories (THEORY §1, §3, §4, §5): late-phase growth, scale invariance of
 * γ, the soft-margin sandwich, the steepest-descent step identities and the signs of the slacks,
 * checked at every checkpoint of seeded runs (small homogeneous nets, steepest descent with the
 * loss-based schedule η = α/𝓛 and rollback, down to 𝓛 = 1e-1000). Each tolerance is derived next to
 * its check and the worst residual is reported in units of it.
 *
 * `TrajectoryVariant` is the mutation point: a test passes a wrong margin convention (mean loss,
 * ‖θ‖ instead of ‖θ‖^L) or a wrapped optimizer and shows that the matching property fails.
 */
import type { Layout } from '../src/core/types.js';
import { minMargin, normalizedMargin, type MarginConvention } from '../src/metrics/margins.js';
import { makeNorm } from '../src/norms/index.js';
import { lossBased, makeOptimizer, type Optimizer } from '../src/optimizers/index.js';
import { runTrajectory, type TrajectoryResult } from '../src/trajectory/run.js';
import type { Checkpoint } from '../src/trajectory/checkpoint.js';
import { gamma, normRelTol, U, Worst } from './norms-tolerance.js';
import type { Check, PropertySpec } from './outcome.js';
import { EPS, forwardErrorBound, forwardMagnitude } from './roundoff.js';
import { buildCase, describeRun, runCaseArbitrary, type BuiltCase, type RunCase } from './trajectory-cases.js';

export interface TrajectoryVariant {
  /** Suffix for the property name, e.g. `mutant: mean loss`. */
  readonly label?: string;
  readonly convention?: MarginConvention;
  readonly optimizer?: (name: string, layout: Layout) => Optimizer<any>;
}

/** 𝓛 = 1e-1000: log 𝓛 = −1000·ln 10. */
export const LOG_LOSS_TARGET = -1000 * Math.LN10;
/** α of η = α/𝓛; rollback shrinks it (×1/2) when a step would raise 𝓛, regrows it ×1.1 up to α. */
const SCHEDULE = { eta0: 0.05 };
const STEP_CAP = 20_000;
const MAX_REJECTIONS = 40;

export function runCase(c: RunCase, variant: TrajectoryVariant = {}): { built: BuiltCase; result: TrajectoryResult } {
  const built = buildCase(c);
  const optimizer = (variant.optimizer ?? ((name, layout) => makeOptimizer(name, layout)))(c.algorithm, built.net.layout);
  const result = runTrajectory({
    net: built.net,
    data: built.data,
    optimizer,
    schedule: lossBased(SCHEDULE),
    init: built.theta,
    budget: { steps: STEP_CAP, logLoss: LOG_LOSS_TARGET },
    maxRejections: MAX_REJECTIONS,
    keepTheta: true,
    convention: variant.convention,
  });
  return { built, result };
}

function tagsOf(r: TrajectoryResult): string[] {
  const t: string[] = [];
  if (r.lateStep !== null) t.push('late phase');
  if (r.stop.kind === 'budget' && r.stop.which === 'loss') t.push('reached 1e-1000');
  return t;
}

/** Shared wrapper: run the case, fail on a non-finite stop, then apply `check` to the run. */
function trajectoryProperty(
  name: string,
  variant: TrajectoryVariant,
  required: Record<string, number>,
  /** Returns extra coverage tags, if any. */
  check: (c: RunCase, built: BuiltCase, r: TrajectoryResult, w: Worst) => string[] | void,
): PropertySpec<RunCase> {
  return {
    name: variant.label ? `${name} [${variant.label}]` : name,
    arbitrary: runCaseArbitrary(),
    describe: describeRun,
    runs: 20,
    required,
    check(c): Check {
      const { built, result } = runCase(c, variant);
      const w = new Worst();
      // A NaN/Inf is never an acceptable end of a run (THEORY §9): infinite residual.
      w.exact(`run ended: ${result.diagnostic}`, result.stop.kind !== 'non-finite');
      const extra = check(c, built, result, w) ?? [];
      return { ratio: w.ratio, tags: [...tagsOf(result), ...extra], note: w.note };
    },
  };
}

const lateCheckpoints = (r: TrajectoryResult) => r.checkpoints.filter((k) => k.late);

/** A run counts as deep in the late phase once 𝓛 ≤ e^{−50}. */
const DEEP = -50;

/**
 * After the late-phase entry: every checkpoint has training accuracy 1 (𝓛 < 1 ⇒ every q_n > 0,
 * THEORY §1 — exact, no tolerance); log 𝓛 never rises between checkpoints (rollback accepts only
 * non-increasing steps; a coordinate-descent 2-cycle across a kink can leave it flat) and, once deep,
 * ends below its entry value; ‖θ‖ in the algorithm norm ends above its entry value (it need not rise
 * at every checkpoint: a frozen dead-unit weight can hold ‖θ‖_∞); for GD ‖θ‖₂ rises from checkpoint
 * to checkpoint (‖θ + Δ‖² − ‖θ‖² = 2ηW·L Σ p_n q_n + ‖Δ‖² > 0 by Euler) wherever that rise is above
 * round-off (gdNormRise). Strict comparisons of computed values otherwise.
 */
export function lateGrowthProperty(variant: TrajectoryVariant = {}): PropertySpec<RunCase> {
  return trajectoryProperty(
    'trajectory: after the late-phase entry ‖θ‖ grows, log 𝓛 falls, accuracy = 1',
    variant,
    { 'late phase': 10, 'reached 1e-1000': 8 },
    (c, built, r, w) => {
      const late = lateCheckpoints(r);
      let stalled = false;
      for (const k of late) w.exact(`accuracy ${k.accuracy} at late step ${k.step}`, k.accuracy === 1);
      for (let i = 1; i < late.length; i++) {
        w.exact(`log 𝓛 rose from step ${late[i - 1].step} to ${late[i].step}`, late[i].logLoss <= late[i - 1].logLoss);
        if (c.algorithm === 'gd' && gdNormRise(late[i - 1], late[i], w)) stalled = true;
      }
      const last = late[late.length - 1];
      if (last && last.logLoss <= DEEP) {
        w.exact(`log 𝓛 did not fall after entry`, last.logLoss < late[0].logLoss);
        w.exact(`‖θ‖_${built.norm} did not grow after entry`, last.norms[built.norm].rho > late[0].norms[built.norm].rho);
      }
      return stalled ? ['GD stalled at a kink'] : [];
    },
  );
}

/**
 * GD's ‖θ‖₂ between late checkpoints a and b, k = b.step − a.step steps apart. Each step's increment is
 * 2⟨θ, Δ⟩ + ‖Δ‖² ≥ ‖Δ‖² (Euler), so the exact rise is ≥ Σ‖Δ_j‖² ≥ ‖θ_b − θ_a‖²/k (Cauchy–Schwarz),
 * while rounding θ + Δ moves ‖θ‖² by ≤ 2u‖θ‖² per step and each computed ‖θ‖² carries γ_{P+2}:
 * where ‖θ_b − θ_a‖²/k > (2ku + 2γ_{P+2})·ρ², ρ_b > ρ_a is asserted strictly. Below that the steps
 * were lost to round-off — GD with rollback stalls on a kink (THEORY §5, kink sliding): the one-sided
 * gradient is no descent direction there, so η shrinks until θ + Δ rounds to θ (seed 2, leaky3
 * seed=836110391: frozen at log 𝓛 = −13.34 from step 1340 to the 20 000 cap, a 1e-16·‖θ‖ move
 * flipping a unit) — and only ρ_b ≥ ρ_a·(1 − ku − γ_{P+2}) is asserted. Returns true for a stall.
 */
function gdNormRise(a: Checkpoint, b: Checkpoint, w: Worst): boolean {
  const ta = a.theta!;
  const tb = b.theta!;
  const k = b.step - a.step;
  const rho = a.norms.l2.rho;
  let moved = 0;
  for (let i = 0; i < ta.length; i++) moved += (tb[i] - ta[i]) ** 2;
  const g = gamma(ta.length + 2);
  if (moved / k > (2 * k * U + 2 * g) * rho ** 2) {
    w.exact(`‖θ‖₂ did not rise at step ${b.step}`, b.norms.l2.rho > rho);
    return false;
  }
  w.atMost(`‖θ‖₂ fell at step ${b.step} (stalled)`, rho - b.norms.l2.rho, 0, (k * U + g) * rho);
  return true;
}

/** The factor ‖|x|‖/‖x‖ can reach for the norm (1 for entry-wise absolute norms, ≤ √P for spectral). */
function absoluteFactor(normName: string, layout: Layout): number {
  return normName.startsWith('spectral') ? Math.sqrt(layout.size) : 1;
}

const SCALES = [2, 0.37, 3.1];

/**
 * γ(cθ) = γ(θ) at the first, the late-entry and the last checkpoint, every recorded norm, c ∈ {2, 0.37, 3.1}.
 * Tolerance: q_min at θ and at cθ each carry the forward error e_f = L·K·ε·F_abs (roundoff.ts; it
 * scales like c^L, so both are 2·max e_f after dividing by c^L), rounding cθ moves q by ≤ L·ε·F_abs,
 * and the ratio of the two ‖·‖^L carries L·(2·relTol + ε·a) + 4ε relative (a = absoluteFactor).
 */
export function scaleInvarianceProperty(variant: TrajectoryVariant = {}): PropertySpec<RunCase> {
  return trajectoryProperty('trajectory: γ is scale-invariant, γ(cθ) = γ(θ)', variant, { 'late phase': 10 }, (_c, built, r, w) => {
    const { net, data } = built;
    const L = net.degree!;
    const picks = [r.checkpoints[0], r.checkpoints.find((k) => k.late), r.checkpoints[r.checkpoints.length - 1]];
    for (const k of picks) {
      if (!k?.theta) continue;
      const theta = k.theta;
      const maxE = Math.max(...forwardErrorBound(net, theta, data));
      const maxF = Math.max(...forwardMagnitude(net, theta, data));
      for (const [name, rec] of Object.entries(k.norms)) {
        const norm = makeNorm(name, net.layout);
        const rel = L * (2 * normRelTol(norm, net.layout) + EPS * absoluteFactor(name, net.layout)) + 4 * EPS;
        for (const s of SCALES) {
          const scaled = theta.map((t) => s * t);
          const g = normalizedMargin(minMargin(net.margins(scaled, data)), norm.value(scaled), L, variant.convention);
          const tol = (2 * maxE + L * EPS * maxF) / rec.rho ** L + rel * Math.abs(rec.gamma);
          w.close(`γ_${name}(${s}θ) at step ${k.step}`, g, rec.gamma, tol);
        }
      }
    }
  });
}

/**
 * Sandwich (exponential loss, THEORY §4): γ − log N/‖θ‖^L ≤ γ̃ ≤ γ at every checkpoint in every norm.
 * Tolerance: log(1/𝓛) = q_min − log Σ e^{−(q_n − q_min)} errs by (N + 4)ε + 2ε|q_min| (losses), the
 * two quotients by the same ‖θ‖^L add ε|γ| + ε|γ̃|, and log N/‖θ‖^L two more roundings.
 */
export function sandwichProperty(variant: TrajectoryVariant = {}): PropertySpec<RunCase> {
  return trajectoryProperty('trajectory: sandwich γ − log N/‖θ‖^L ≤ γ̃ ≤ γ at every checkpoint', variant, { 'late phase': 10 }, (_c, built, r, w) => {
    const n = built.data.n;
    const L = built.net.degree!;
    for (const k of r.checkpoints) {
      for (const [name, rec] of Object.entries(k.norms)) {
        const rl = rec.rho ** L;
        const tol = ((n + 6) * EPS + 2 * EPS * Math.abs(k.qMin) + 2 * EPS * Math.log(n)) / rl + 2 * EPS * (Math.abs(rec.gamma) + Math.abs(rec.soft));
        w.atMost(`γ̃_${name} ≤ γ_${name} at step ${k.step}`, rec.soft, rec.gamma, tol);
        w.atMost(`γ_${name} − log N/‖θ‖^L ≤ γ̃_${name} at step ${k.step}`, rec.gamma - Math.log(n) / rl, rec.soft, tol);
      }
    }
  });
}

/**
 * Unnormalized steepest descent (THEORY §3): ‖Δθ‖ = η‖g‖_* and ⟨−g, Δθ⟩ = ‖Δθ‖‖g‖_* for every recorded
 * step, i.e. log(‖Δθ‖/(ηW‖G‖_*)) = 0 and ⟨G, Δθ⟩/(‖Δθ‖‖G‖_*) = 1. Tolerances: Δθ = e^{log η + log m}·u
 * (exp of a rounded exponent: ε(|x| + 1) relative), u has norm 1 and the recomputed ‖Δθ‖ and ‖G‖_*
 * each carry relTol (norms-tolerance.ts), and four logarithms add ε|·| each; the dot product errs by
 * γ_P Σ|G_i Δ_i| ≤ γ_P·a·‖Δθ‖‖G‖_* (a = absoluteFactor).
 */
export function stepIdentityProperty(variant: TrajectoryVariant = {}): PropertySpec<RunCase> {
  return trajectoryProperty('trajectory: steps satisfy ‖Δθ‖ = η‖g‖_* and ⟨−g, Δθ⟩ = ‖Δθ‖‖g‖_*', variant, { 'late phase': 10 }, (_c, built, r, w) => {
    const layout = built.net.layout;
    const norm = makeNorm(built.norm, layout);
    const rel = normRelTol(norm, layout);
    for (const k of r.checkpoints) {
      const s = k.stepRecord;
      if (!s) continue;
      const logW = s.logLength - s.logLengthRatio - s.logLr - s.logDual;
      const exponent = s.logLr + logW + s.logDual;
      const tolLen = 4 * rel + EPS * (Math.abs(exponent) + Math.abs(s.logLr) + Math.abs(logW) + Math.abs(s.logDual) + Math.abs(s.logLength) + 8);
      w.close(`log(‖Δθ‖/(η‖g‖_*)) at step ${k.step}`, s.logLengthRatio, 0, tolLen);
      const tolAl = gamma(layout.size) * absoluteFactor(built.norm, layout) + 3 * rel + 4 * EPS;
      w.close(`⟨G, Δθ⟩/(‖Δθ‖‖G‖_*) at step ${k.step}`, s.alignment, 1, tolAl);
    }
  });
}

/**
 * The slacks of THEORY §5 at late checkpoints: (a) = H(p)/log(1/𝓛) ≥ 0 (since q_n + log 𝓛 = −log p_n),
 * (b) = alignment ∈ [0, 1] (Hölder; ≤ 1 because ⟨θ, G⟩ = L Σ p_n q_n > 0), (c) ∈ [0, 2] (triangle
 * inequality). Tolerances: (a) Σ p_n q_n errs by (N + 4)ε·Σ p_n q_n and log(1/𝓛) by (N + 4)ε + 2ε q_min,
 * relative to log(1/𝓛); (b) the dot product γ_P·a plus 2·relTol for ρ and ‖G‖_*; (c) ρ before/after
 * and ‖Δθ‖ each relTol, plus rounding θ + Δθ (ε·a·ρ_after), relative to ‖Δθ‖.
 */
export function slackProperty(variant: TrajectoryVariant = {}): PropertySpec<RunCase> {
  return trajectoryProperty('trajectory: slacks (a), (b), (c) of Theorem 3.1 are ≥ 0 in the late phase', variant, { 'late phase': 10 }, (_c, built, r, w) => {
    const layout = built.net.layout;
    const n = built.data.n;
    const norm = makeNorm(built.norm, layout);
    const rel = normRelTol(norm, layout);
    const a = absoluteFactor(built.norm, layout);
    for (const k of lateCheckpoints(r)) {
      const phi = -k.logLoss;
      const mean = (k.slacks.a + 1) * phi;
      const tolA = ((n + 4) * EPS * (mean + 1) + 2 * EPS * k.qMin) / phi + 2 * EPS;
      w.atMost(`−(a) at step ${k.step}`, -k.slacks.a, 0, tolA);
      const tolB = gamma(layout.size) * a + 2 * rel + 3 * EPS;
      w.atMost(`−(b) at step ${k.step}`, -k.slacks.b, 0, tolB);
      w.atMost(`(b) − 1 at step ${k.step}`, k.slacks.b, 1, tolB);
      checkRate(k, built.norm, rel, a, w);
    }
  });
}

function checkRate(k: Checkpoint, normName: string, rel: number, a: number, w: Worst): void {
  const s = k.stepRecord;
  if (!s) return;
  const len = Math.exp(s.logLength);
  const rho = k.norms[normName].rho;
  const after = rho + len * (1 - k.slacks.c);
  const tolC = (rel * (rho + after + len) + EPS * a * after) / len + 2 * EPS;
  w.atMost(`−(c) at step ${k.step}`, -k.slacks.c, 0, tolC);
  w.atMost(`(c) − 2 at step ${k.step}`, k.slacks.c, 2, tolC);
}

export const TRAJECTORY_PROPERTIES: readonly PropertySpec<any>[] = [
  lateGrowthProperty(),
  scaleInvarianceProperty(),
  sandwichProperty(),
  stepIdentityProperty(),
  slackProperty(),
];
