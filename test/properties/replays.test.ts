/**
 * Replays of the counterexamples the thorough profile once found at seed 20241029, pinned so that
 * they keep holding for the reason they were fixed (properties/roundoff.ts, properties/optimizers.ts).
 */
import { describe, expect, it } from 'vitest';
import { finiteDifferenceProperty } from '../../properties/homogeneity.js';
import { momentsMatchTextbook } from '../../properties/optimizers.js';
import { runProperty } from '../../properties/outcome.js';
import { CI_SEED, expectHolds } from '../support/outcome.js';

describe('replays of former thorough-profile counterexamples', () => {
  it('relu^2 stencil across a planted kink (mlp[1-1-1,relu^2]): the kink is seen and skipped', () => {
    const o = runProperty(finiteDifferenceProperty, { seed: CI_SEED, profile: 'thorough', path: '201:0:0:1:1:1:1:5:3:1:2:1:3:7:10' });
    expectHolds(o);
    expect(o.coverage['kink in stencil']).toBeGreaterThan(0);
  });

  it('Adam v after a 10^−11 then a 10^143 frame: √v keeps the decayed entry to full precision', () => {
    const o = runProperty(momentsMatchTextbook, { seed: CI_SEED, profile: 'thorough', path: '282:0:0:0:0:0:0:0:0:1:1:0:0:1:1:1:0:3:0:13:14:14:15' });
    expectHolds(o);
    expect(o.worst).toBeLessThan(0.1);
  });
});
