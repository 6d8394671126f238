/**
 * Theorem 3.1 is never `violated` on random homogeneous nets (THEORY §5), CI profile, one test per
 * algorithm printing its verdict counts. Split over two test files so vitest spreads the cost over
 * its two workers (coordinate and spectral descent cost ≈ as much as the other three together).
 */
import { describe, it } from 'vitest';
import { sweepAlgorithm } from '../../properties/theorem31.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

export function sweepTests(algorithms: readonly string[]): void {
  describe('Theorem 3.1 never violated on homogeneous nets (CI profile)', () => {
    for (const algorithm of algorithms) {
      it(algorithm, () => {
        const o = sweepAlgorithm(algorithm, 'ci', CI_SEED);
        console.log(`${o.property}: ${JSON.stringify(o.coverage)}; ${o.detail}`);
        expectHolds(o);
      });
    }
  });
}
