import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine, NetSpec } from '../../src/engines/index.js';
import { loadEngine } from '../../src/engines/index.js';
import { buildTfjsNet, type TfjsMutant } from '../../src/engines/tfjs/index.js';
import { runProperty } from '../../properties/outcome.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';
import { differentialProperty, hiddenUnits, mlpCases, newStats, type SampleStats } from './differential.js';

type MlpSpec = Extract<NetSpec, { kind: 'mlp' }>;

// tfjs (float32, wasm here) against the float64 reference, within the bounds of properties/roundoff.ts.
let tfjs: Engine;
beforeAll(async () => {
  tfjs = await loadEngine('tfjs', { backend: 'wasm' });
});

/**
 * Coverage beyond the per-tag counts: at least 90% of the samples are kept (not excluded at a kink),
 * and at most 10% of the cases leave float32's normal range (deep relu² nets at init scale 1e−3).
 */
function expectCoverage(s: SampleStats): void {
  const keptFraction = s.kept / (s.kept + s.excluded);
  expect(keptFraction, `kept ${s.kept} samples, excluded ${s.excluded} at kinks`).toBeGreaterThanOrEqual(0.9);
  expect(s.outOfRange / s.cases, `${s.outOfRange} of ${s.cases} cases outside float32 range`).toBeLessThanOrEqual(0.1);
}

describe('the kink bookkeeping', () => {
  it('reads the same hidden pre-activations as the f64 net (its activation pattern is their sign)', () => {
    fc.assert(
      fc.property(mlpCases, (c) => {
        const ev = c.net.at(c.theta, c.data);
        const pattern = ev.pattern?.();
        ev.dispose();
        if (!pattern) return;
        const spec = c.spec as MlpSpec;
        const units = hiddenUnits(spec, c.net, c.theta, c.data, tfjs.info);
        // Pattern layout: per hidden layer, samples × units.
        let k = 0;
        let first = 0;
        for (const width of spec.widths) {
          const layer = units.slice(first, first + width);
          for (let i = 0; i < c.data.n; i++) for (const u of layer) expect(pattern[k++], `layer ${u.layer} unit ${u.unit} sample ${i}`).toBe(u.z[i] > 0 ? 1 : 0);
          first += width;
        }
      }),
      { seed: CI_SEED, numRuns: 60 },
    );
  });
});

describe('tfjs agrees with f64 within float32 round-off', () => {
  for (const quantity of ['margins', 'vjp', 'jvp'] as const) {
    it(quantity, () => {
      const stats = newStats();
      expectHolds(runProperty(differentialProperty(quantity, tfjs.info, (spec) => tfjs.build(spec), stats), { seed: CI_SEED }));
      expectCoverage(stats);
    });
  }
});

describe('a wrong tfjs kernel fails the differential properties', () => {
  const caught: [TfjsMutant, 'margins' | 'vjp' | 'jvp'][] = [
    ['untransposed-weights', 'margins'],
    ['untransposed-gradient', 'vjp'],
    ['relu-prime-at-zero', 'vjp'],
    ['relu-prime-at-zero', 'jvp'],
    ['jvp-drops-chain', 'jvp'],
  ];
  for (const [mutant, quantity] of caught) {
    it(`${mutant} is caught by the ${quantity} property`, () => {
      const o = runProperty(differentialProperty(quantity, tfjs.info, (spec) => buildTfjsNet(spec, tfjs.info, mutant), newStats()), { seed: CI_SEED });
      expect(o.verdict, o.detail).toBe('violated');
    });
  }
});
