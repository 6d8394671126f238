/**
 * The conventions the norm contract leaves open, stated as properties (THEORY §3 ties): the lowest
 * index wins among entries within TIE_RTOL of the maximum — an entry exactly at the threshold
 * included —, a NaN selects no coordinate, and every invalid weight or block shape is named.
 * Written after mutation testing (npm run mutation) showed these branches were never decided.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { Layout } from '../../src/core/types.js';
import { lowestNearMaxAbs, TIE_RTOL, unitCoordinateInto } from '../../src/norms/directions.js';
import { makeNorm, makeWeightedL2Norm } from '../../src/norms/index.js';
import { toLayout } from '../../properties/norms.js';
import { CI_SEED } from '../support/outcome.js';

const params = { seed: CI_SEED, numRuns: 300 };

/** A vector whose entries are all below the tie band of `max`, with `max` planted at index k. */
const tieCase = fc
  .record({
    n: fc.integer({ min: 2, max: 12 }),
    max: fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
    fill: fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 12, maxLength: 12 }),
    at: fc.nat(),
    tieAt: fc.nat(),
    signs: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
  })
  .map(({ n, max, fill, at, tieAt, signs }) => {
    const x = Float64Array.from({ length: n }, (_, i) => fill[i] * max);
    const k = at % n;
    x[k] = signs[0] ? max : -max;
    return { x, k, tie: tieAt % n, max, negativeTie: signs[1] };
  });

describe('coordinate ties (lowest index within TIE_RTOL of the maximum)', () => {
  it('the maximum alone is selected, with its sign', () => {
    fc.assert(
      fc.property(tieCase, ({ x, k }) => {
        expect(lowestNearMaxAbs(x)).toBe(k);
        const out = new Float64Array(x.length);
        expect(unitCoordinateInto(x, out)).toBe(k);
        expect(out[k]).toBe(Math.sign(x[k]));
        expect(out.reduce((s, v) => s + Math.abs(v), 0)).toBe(1);
      }),
      params,
    );
  });

  it('an entry exactly at the tie threshold ties with the maximum: the lower index wins', () => {
    fc.assert(
      fc.property(tieCase, ({ x, k, tie, max, negativeTie }) => {
        fc.pre(tie !== k);
        // The same product the selection forms: |a_i| ≥ max·(1 − TIE_RTOL) counts as tied.
        const threshold = max * (1 - TIE_RTOL);
        x[tie] = negativeTie ? -threshold : threshold;
        expect(lowestNearMaxAbs(x)).toBe(Math.min(tie, k));
        // Just below the threshold is not a tie.
        x[tie] = negativeTie ? -threshold * (1 - Number.EPSILON) : threshold * (1 - Number.EPSILON);
        expect(lowestNearMaxAbs(x)).toBe(k);
      }),
      params,
    );
  });

  it('a NaN entry selects no coordinate (no step is taken from a NaN gradient)', () => {
    fc.assert(
      fc.property(tieCase, ({ x, tie }) => {
        x[tie] = NaN;
        expect(lowestNearMaxAbs(x)).toBe(-1);
        const out = new Float64Array(x.length).fill(7);
        expect(unitCoordinateInto(x, out)).toBe(-1);
        expect([...out].every((v) => v === 0)).toBe(true);
      }),
      params,
    );
  });
});

describe('invalid norm parameters are named', () => {
  const badWeight = fc.constantFrom(0, -1, -1e-300, NaN, Infinity, -Infinity);

  it('weighted ℓ2: the first invalid weight is named, wherever it sits (the first position included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), badWeight, (n, at, bad) => {
        const j = at % n;
        const weights = Array.from({ length: n }, (_, i) => (i === j ? bad : i + 1));
        const call = () => makeWeightedL2Norm(weights);
        expect(call).toThrow(InputError);
        expect(call).toThrow(`weight ${j + 1} = ${bad}`);
      }),
      params,
    );
    expect(() => makeWeightedL2Norm([])).toThrow('no weights');
  });

  it('ℓp: p written with spaces or outside (1, ∞) is rejected, naming what was written', () => {
    const layout: Layout = toLayout([{ kind: 'vector', rows: 1, cols: 3 }]);
    for (const text of ['lp: 3', 'lp:3 ', 'lp:1', 'lp:-2', 'lp:1e400']) {
      expect(() => makeNorm(text, layout)).toThrow(`norm = ${JSON.stringify(text)}: p must be a finite number > 1`);
    }
    expect(makeNorm('lp:1.0000001', layout).name).toBe('lp:1.0000001');
  });

  it('block norms reject empty blocks (0 rows or 0 columns) of any shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.constantFrom('spectral', 'spectral-sign'), (k, zeroRows, name) => {
        const layout: Layout = {
          size: 6,
          layers: [
            { name: 'W0', kind: 'matrix', offset: 0, rows: 2, cols: 3 },
            { name: 'W1', kind: 'matrix', offset: 6, rows: zeroRows ? 0 : k, cols: zeroRows ? k : 0 },
          ],
        };
        expect(() => makeNorm(name, layout)).toThrow(InputError);
        expect(() => makeNorm(name, layout)).toThrow('positive integer shapes');
      }),
      params,
    );
  });
});
