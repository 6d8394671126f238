import { defineConfig } from 'vitest/config';

/**
 * Test files per mutated folder (`npm run mutation`): each folder is scored by its own unit and
 * property tests — the tests that state its claims — not by every downstream suite that happens to
 * execute it (a mutant in a norm caught only by a Theorem 3.1 sweep would be "killed" without a
 * property about norms saying why). The theorem sweeps that take tens of seconds per run
 * (test/theorem31/sweep-costly, test/theorem38/nets) are left out so a mutant costs seconds.
 */
export const MUTATION_TESTS: Readonly<Record<string, readonly string[]>> = {
  nets: ['test/nets/**/*.test.ts'],
  losses: ['test/losses/**/*.test.ts', 'test/trajectory/**/*.test.ts'],
  norms: ['test/norms/**/*.test.ts'],
  optimizers: ['test/optimizers/**/*.test.ts'],
  metrics: ['test/metrics/**/*.test.ts', 'test/kkt/**/*.test.ts', 'test/oracles/**/*.test.ts', 'test/trajectory/**/*.test.ts'],
  theorems: [
    'test/theorem31/{rule,rule-properties,verdicts,known-cases,sweep-cheap}.test.ts',
    'test/theorem38/{units,linear}.test.ts',
    'test/engines/escalation.test.ts',
    'test/trajectory/trace.test.ts',
  ],
  trajectory: ['test/trajectory/**/*.test.ts', 'test/theorem31/{rule,verdicts,known-cases}.test.ts', 'test/theorem38/units.test.ts'],
};

const folder = process.env.MARGINCHECK_MUTATION_FOLDER ?? '';
const include = MUTATION_TESTS[folder];
if (!include) throw new Error(`MARGINCHECK_MUTATION_FOLDER = ${JSON.stringify(folder)}: expected one of ${Object.keys(MUTATION_TESTS).join(', ')}`);

export default defineConfig({
  test: {
    include: [...include],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
