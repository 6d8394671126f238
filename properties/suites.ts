/**
 * The verdict table: every suite contributes rows (Outcomes). `margincheck verify` and `npm start`
 * run these outside vitest; test/ runs the same definitions with assertions.
 */
import { HOMOGENEITY_PROPERTIES } from './homogeneity.js';
import { KKT_PROPERTIES } from './kkt.js';
import { LOSS_PROPERTIES } from './losses.js';
import { NORM_PROPERTIES } from './norms.js';
import { OPTIMIZER_PROPERTIES } from './optimizers.js';
import { ORACLE_PROPERTIES } from './oracles.js';
import { labelOf, runProperty, type BatchRow, type Outcome, type Profile, type PropertySpec } from './outcome.js';
import { THEOREM31_PROPERTIES, THEOREM31_ROWS } from './theorem31.js';
import { THEOREM38_PROPERTIES, THEOREM38_ROWS } from './theorem38.js';
import { TRAJECTORY_PROPERTIES } from './trajectory.js';

export interface Suite {
  readonly id: string;
  /** What the suite checks, for the table heading. */
  readonly title: string;
  /** Fast-check properties of the suite, addressable by label or name for replay. */
  readonly properties: readonly PropertySpec<any>[];
  /** Relative run time (default 1) for dealing suites to parallel workers and the ETA. */
  readonly cost?: number;
  /** Theorem suites: printed row by row in the compact terminal table. */
  readonly headline?: boolean;
  /** Rows computed by batch runs (theorem verdict counts), addressable by label. */
  readonly rows?: readonly BatchRow[];
}

export const SUITES: Suite[] = [
  { id: 'homogeneity', title: 'Homogeneity identities of the float64 engine (THEORY §6)', properties: HOMOGENEITY_PROPERTIES, headline: true },
  { id: 'losses', title: 'Log-domain losses and soft margins (THEORY §1, §4, §9)', properties: LOSS_PROPERTIES },
  { id: 'norms', title: 'Norm geometry: duality contract of every registered norm (THEORY §2)', properties: NORM_PROPERTIES },
  { id: 'optimizers', title: 'Steepest-descent optimizers: per-step identities and bindings (THEORY §3)', properties: OPTIMIZER_PROPERTIES },
  { id: 'oracles', title: 'Exact linear max-margin oracles (THEORY §8)', properties: ORACLE_PROPERTIES, cost: 2 },
  { id: 'kkt', title: 'KKT residual R of the margin problem (THEORY §7)', properties: KKT_PROPERTIES, cost: 3 },
  { id: 'trajectory', title: 'Trajectories: checkpoints, margins, sandwich, step identities, slacks (THEORY §3–§5)', properties: TRAJECTORY_PROPERTIES, cost: 4 },
  {
    id: 'theorem31',
    title: 'Theorem 3.1: the soft margin in the algorithm norm does not fall (THEORY §5 refinement protocol)',
    properties: THEOREM31_PROPERTIES,
    headline: true,
    cost: 20,
    rows: THEOREM31_ROWS,
  },
  {
    id: 'theorem38',
    title: 'Theorem 3.8: steepest flow approaches KKT points of the margin problem in its own norm (THEORY §7, §8: KKT residual R)',
    properties: THEOREM38_PROPERTIES,
    headline: true,
    cost: 17,
    rows: THEOREM38_ROWS,
  },
];

/** One addressable row of a suite: a fast-check property or a batch row. */
export interface RowSpec {
  readonly label: string;
  readonly run: (profile: Profile, seed: number, path?: string) => Outcome;
  /** Batch rows have no fast-check path. */
  readonly batch: boolean;
}

export function suiteRows(suite: Suite): RowSpec[] {
  return [
    ...suite.properties.map((p) => ({ label: labelOf(p), batch: false, run: (profile: Profile, seed: number, path?: string) => runProperty(p, { seed, profile, path }) })),
    ...(suite.rows ?? []).map((r) => ({ label: r.label, batch: true, run: (profile: Profile, seed: number) => r.run(profile, seed) })),
  ];
}

/**
 * Runs a suite's rows in table order; `onRow` sees each as it finishes and is awaited (a worker
 * sends the row to its parent there, which is what lets rows stream).
 */
export async function runSuite(suite: Suite, profile: Profile, seed: number, onRow: (o: Outcome) => Promise<void>): Promise<Outcome[]> {
  const rows: Outcome[] = [];
  for (const row of suiteRows(suite)) {
    const o = row.run(profile, seed);
    rows.push(o);
    await onRow(o);
  }
  return rows;
}

/** A row by its label (what the table shows) or, for fast-check properties, its full name. */
export function findRow(name: string): RowSpec | undefined {
  for (const s of SUITES) {
    for (const row of suiteRows(s)) if (row.label === name) return row;
    const p = s.properties.find((q) => q.name === name);
    if (p) return suiteRows(s).find((row) => row.label === labelOf(p));
  }
  return undefined;
}
