/**
 * Replays of the counterexamples the thorough profile once found (seed 20241029 unless stated), pinned
 * so that they keep holding for the reason they were fixed (properties/roundoff.ts,
 * properties/roundoff-layernorm.ts, properties/optimizers.ts).
 */
import { describe, expect, it } from 'vitest';
import type { NetCase } from '../../properties/arbitraries.js';
import { finiteDifferenceLayerNormProperty, finiteDifferenceProperty } from '../../properties/homogeneity.js';
import { momentsMatchTextbook } from '../../properties/optimizers.js';
import { runProperty, type PropertySpec } from '../../properties/outcome.js';
import { roundoffOf } from '../../properties/roundoff-kinds.js';
import { makeRng } from '../../src/core/rng.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('replays of former thorough-profile counterexamples', () => {
  it('relu^2 stencil across a planted kink (mlp[1-1-1,relu^2]): the kink is seen and skipped', () => {
    const o = runProperty(finiteDifferenceProperty, { seed: CI_SEED, profile: 'thorough', path: '201:0:0:1:1:1:1:5:3:1:2:1:3:7:10' });
    expectHolds(o);
    expect(o.coverage['kink in stencil']).toBeGreaterThan(0);
  });

  it('LayerNorm adjoint identity with planted zeros (layernorm[4-2-1], seed 2): a derived, nonzero tolerance bounds it', () => {
    // The magnitude net (|θ|, |x|) centres this case's hidden units to ẑ = 0, so its adjoint
    // tolerance was 0 and the round-off residual read Infinity × tolerance; the LayerNorm bound
    // (roundoff-layernorm.ts) propagates |·| through the actual normalization instead.
    const cases: { c: NetCase; adjoint: number; magnitudeNet: number }[] = [];
    const p = finiteDifferenceLayerNormProperty;
    const spy: PropertySpec<NetCase> = {
      ...p,
      check(c) {
        const r = p.check(c);
        const rng = makeRng(c.seed).child('fd');
        const v = rng.fillGaussian(new Float64Array(c.theta.length));
        const w = rng.fillGaussian(new Float64Array(c.data.n));
        const magnitudeNet = roundoffOf({ kind: 'mlp', inputDim: c.data.d, widths: [], activation: { kind: 'relu' } }).adjointTolerance(c.net, c.theta, c.data, w, v);
        cases.push({ c, adjoint: Number(/adjoint (\S+)/.exec(r.note ?? '')?.[1]), magnitudeNet });
        return r;
      },
    };
    const o = runProperty(spy, { seed: 2, profile: 'thorough', path: '55:2:10:21:8' });
    expectHolds(o);
    const pinned = cases.find(({ c }) => c.net.name === 'layernorm[4-2-1]' && c.zeros === 2 && c.data.n === 1);
    expect(pinned).toBeDefined();
    expect(pinned!.magnitudeNet).toBe(0);
    expect(pinned!.adjoint).toBeGreaterThan(0);
    expect(pinned!.adjoint).toBeLessThanOrEqual(1);
  });

  it('Adam v after a 10^−11 then a 10^143 frame: √v keeps the decayed entry to full precision', () => {
    const o = runProperty(momentsMatchTextbook, { seed: CI_SEED, profile: 'thorough', path: '282:0:0:0:0:0:0:0:0:1:1:0:0:1:1:1:0:3:0:13:14:14:15' });
    expectHolds(o);
    expect(o.worst).toBeLessThan(0.1);
  });
});
