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
import { runProperty, type Outcome, type Profile, type PropertySpec } from './outcome.js';
import { theorem31Batches, THEOREM31_PROPERTIES } from './theorem31.js';
import { theorem38Batches, THEOREM38_PROPERTIES } from './theorem38.js';
import { TRAJECTORY_PROPERTIES } from './trajectory.js';

export interface Suite {
  readonly id: string;
  /** What the suite checks, for the table heading. */
  readonly title: string;
  /** Fast-check properties of the suite, addressable by name for replay. */
  readonly properties: readonly PropertySpec<any>[];
  /** Relative run time (default 1) for dealing suites to parallel workers. */
  readonly cost?: number;
  /** Theorem suites: printed row by row in the compact terminal table. */
  readonly headline?: boolean;
  /** Extra rows computed by batch runs (theorem verdict counts); optional. */
  readonly batches?: (profile: Profile, seed: number) => Promise<Outcome[]>;
}

export const SUITES: Suite[] = [
  { id: 'homogeneity', title: 'Homogeneity identities of the float64 engine (THEORY §6)', properties: HOMOGENEITY_PROPERTIES, headline: true },
  { id: 'losses', title: 'Log-domain losses and soft margins (THEORY §1, §4, §9)', properties: LOSS_PROPERTIES },
  { id: 'norms', title: 'Norm geometry: duality contract of every registered norm (THEORY §2)', properties: NORM_PROPERTIES },
  { id: 'optimizers', title: 'Steepest-descent optimizers: per-step identities and bindings (THEORY §3)', properties: OPTIMIZER_PROPERTIES },
  { id: 'oracles', title: 'Exact linear max-margin oracles (THEORY §8)', properties: ORACLE_PROPERTIES },
  { id: 'kkt', title: 'KKT residual R of the margin problem (THEORY §7)', properties: KKT_PROPERTIES },
  { id: 'trajectory', title: 'Trajectories: checkpoints, margins, sandwich, step identities, slacks (THEORY §3–§5)', properties: TRAJECTORY_PROPERTIES },
  {
    id: 'theorem31',
    title: 'Theorem 3.1: the soft margin in the algorithm norm does not fall (THEORY §5 refinement protocol)',
    properties: THEOREM31_PROPERTIES,
    headline: true,
    cost: 20,
    batches: theorem31Batches,
  },
  {
    id: 'theorem38',
    title: 'Theorem 3.8: steepest flow approaches KKT points of the margin problem in its own norm (THEORY §7, §8: KKT residual R)',
    properties: THEOREM38_PROPERTIES,
    headline: true,
    cost: 17,
    batches: theorem38Batches,
  },
];

export async function runSuite(suite: Suite, profile: Profile, seed: number): Promise<Outcome[]> {
  const rows = suite.properties.map((p) => runProperty(p, { seed, profile }));
  if (suite.batches) rows.push(...(await suite.batches(profile, seed)));
  return rows;
}

export function findProperty(name: string): PropertySpec<any> | undefined {
  for (const s of SUITES) for (const p of s.properties) if (p.name === name) return p;
  return undefined;
}
