/**
 * My optimizer's test suite: margincheck checks the contract, the margin it should maximize (ℓ∞, since
 * it claims sign descent) and the architecture it trains.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lossBased, runTrajectory, validateOptimizerModule } from 'margincheck';
import { buildCase, homogeneousNetSpec, netCase, runCaseArbitrary } from 'margincheck/arbitraries';
import 'margincheck/vitest';
import * as mySign from '../my-sign.js';

describe('my-sign', () => {
  it('meets the optimizer contract on every homogeneous architecture', () => {
    fc.assert(
      fc.property(netCase(homogeneousNetSpec), ({ net }) => {
        expect(validateOptimizerModule(mySign, net.layout).norm?.name).toBe('linf');
      }),
      { seed: 1, numRuns: 25 },
    );
  });

  it('drives a 2-layer ReLU net toward a KKT point of the ℓ∞ max-margin problem', () => {
    const c = buildCase({ arch: 'relu2', algorithm: 'sign', data: 'clusters', seed: '2', n: 8, d: 3, width: 4, initScale: 0.5 });
    const run = runTrajectory({
      net: c.net,
      data: c.data,
      optimizer: validateOptimizerModule(mySign, c.net.layout),
      schedule: lossBased({ eta0: 0.05 }),
      init: c.theta,
      budget: { steps: 2000 },
      kkt: true,
    });
    expect(run).toApproachKkt({ norm: 'linf', below: 0.01 });
  });

  it('trains an architecture that is homogeneous (and a biased one that is not)', () => {
    expect({ kind: 'mlp', inputDim: 3, widths: [8, 8], activation: { kind: 'relu' } }).toBeHomogeneous();
    expect({ kind: 'mlp', inputDim: 3, widths: [8], activation: { kind: 'relu' }, bias: { output: true } }).not.toBeHomogeneous();
  });

  it('follows a geometry whose soft margin never falls (Theorem 3.1 for the ℓ∞ steepest flow)', () => {
    fc.assert(
      fc.property(runCaseArbitrary(['sign']), (runCase) => {
        expect(runCase).toHoldTheorem31();
      }),
      { seed: 4, numRuns: 3 },
    );
  });
});
