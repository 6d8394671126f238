/** What every reproduction returns: its claims, the report to write and the record behind it. */
import type { ReportSpec } from '../report/report.js';
import type { Claim } from './claims.js';
import type { RunSummary } from './experiment.js';

export interface ReproductionContext {
  readonly quick: boolean;
  /** Engine override (the reproduction's own default otherwise). */
  readonly engine?: string;
  /** Progress lines (the CLI prints them; tests drop them). */
  readonly log: (line: string) => void;
}

export interface ReproductionResult {
  readonly claims: readonly Claim[];
  readonly report: ReportSpec;
  /** The JSON record: configuration, engine, versions, every run's series and the claims' numbers. */
  readonly record: Readonly<Record<string, unknown>>;
  readonly runs: readonly RunSummary[];
}

export interface Reproduction {
  readonly name: string;
  run(ctx: ReproductionContext): Promise<ReproductionResult>;
}

/** Asserted claims decide the exit code; `measured` ones are reported only. */
export const claimsHold = (claims: readonly Claim[]): boolean => claims.every((c) => c.verdict === 'holds' || c.verdict === 'measured');
