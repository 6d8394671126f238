/**
 * The user-optimizer contract (src/optimizers/userModule.ts), in process: a valid module (normalized
 * sign descent, on the module or on its default export) validates and steps like the registry's sign
 * descent; every single breach of the contract is rejected with one line naming it. The CLI tests
 * reach this code only through a subprocess, where mutation testing cannot see it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { Layout } from '../../src/core/types.js';
import type { GradFrame } from '../../src/optimizers/types.js';
import { validateOptimizerModule } from '../../src/optimizers/userModule.js';
import { toLayout } from '../../properties/norms.js';
import { CI_SEED } from '../support/outcome.js';

type Mod = Record<string, unknown>;

/** Normalized sign descent: Δθ = η·sign(−∇𝓛). */
const signModule = (): Mod => ({
  name: 'user-sign',
  norm: 'linf',
  init: () => ({ steps: 0 }),
  update(frame: GradFrame, state: { steps: number }, _ctx: unknown, logLr: number, out: Float64Array) {
    const eta = Math.exp(logLr);
    for (let i = 0; i < out.length; i++) out[i] = eta * Math.sign(frame.negGrad[i]);
    return { steps: state.steps + 1 };
  },
});

/** One breach each, with the words its error line must contain. */
const BREACHES: Readonly<Record<string, { readonly make: () => unknown; readonly says: string }>> = {
  'not a module': { make: () => 42, says: 'not a module' },
  null: { make: () => null, says: 'not a module' },
  'init missing': { make: () => ({ ...signModule(), init: undefined }), says: 'export `init` is missing' },
  'update not a function': { make: () => ({ ...signModule(), update: 3 }), says: 'export `update` is 3, not a function' },
  'direction not a function': { make: () => ({ ...signModule(), direction: 'x' }), says: 'export `direction` is' },
  'empty name': { make: () => ({ ...signModule(), name: '' }), says: 'export `name`' },
  'norm not a string': { make: () => ({ ...signModule(), norm: 7 }), says: 'export `norm` = 7' },
  'unknown norm': { make: () => ({ ...signModule(), norm: 'l7' }), says: 'unknown norm' },
  'init throws': { make: () => ({ ...signModule(), init: () => { throw new Error('boom'); } }), says: 'init(theta, layout) threw: boom' },
  'leaves a coordinate unwritten': {
    make: () => ({ ...signModule(), update: (_f: GradFrame, s: unknown, _c: unknown, lr: number, out: Float64Array) => { out.fill(Math.exp(lr)); out[out.length - 1] = NaN; return s; } }),
    says: 'Δθ must be written, finite',
  },
  'returns no state': { make: () => ({ ...signModule(), update: (_f: GradFrame, _s: unknown, _c: unknown, _lr: number, out: Float64Array) => { out.fill(1); return undefined; } }), says: 'must return the next state' },
  'mutates the gradient': {
    make: () => ({ ...signModule(), update: (f: GradFrame, s: unknown, _c: unknown, lr: number, out: Float64Array) => { out.fill(Math.exp(lr)); f.negGrad[0] += 1; return s; } }),
    says: 'changed frame.negGrad',
  },
  'mutates its state': {
    make: () => {
      const m = signModule();
      return { ...m, update: (_f: GradFrame, s: { steps: number }, _c: unknown, lr: number, out: Float64Array) => { s.steps++; out.fill(s.steps * Math.exp(lr)); return s; } };
    },
    says: 'must not mutate its state',
  },
  'not linear in η': { make: () => ({ ...signModule(), update: (_f: GradFrame, s: unknown, _c: unknown, lr: number, out: Float64Array) => { out.fill(1 + lr); return s; } }), says: 'not twice it' },
  'overflows in the late phase': {
    make: () => ({ ...signModule(), update: (f: GradFrame, s: unknown, _c: unknown, lr: number, out: Float64Array) => { out.fill(Math.exp(lr) / Math.exp(f.logScale)); return s; } }),
    says: 'late-phase frame',
  },
  'direction with a bad magnitude': { make: () => ({ ...signModule(), direction: (_f: GradFrame, s: unknown, _c: unknown, out: Float64Array) => { out.fill(1); return { state: s, logMagnitude: NaN }; } }), says: 'logMagnitude = NaN' },
};

const layoutArb = fc
  .array(fc.record({ rows: fc.integer({ min: 1, max: 3 }), cols: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 })
  .map((shapes) => toLayout(shapes.map((s) => ({ kind: 'matrix' as const, ...s }))));

describe('user optimizer modules (the contract of src/optimizers/userModule.ts)', () => {
  it('a valid module validates, on the module or its default export, and steps as sign descent', () => {
    fc.assert(
      fc.property(layoutArb, fc.boolean(), fc.double({ min: -5, max: 5, noNaN: true }), (layout: Layout, asDefault, logLr) => {
        const opt = validateOptimizerModule(asDefault ? { default: signModule() } : signModule(), layout, 'mod.js');
        expect(opt.name).toBe('user-sign');
        expect(opt.norm?.name).toBe('linf');
        const negGrad = Float64Array.from({ length: layout.size }, (_, i) => (i % 3) - 1);
        const out = new Float64Array(layout.size);
        const state = opt.init(new Float64Array(layout.size));
        opt.update({ negGrad, logScale: 0 }, state, { step: 0, theta: new Float64Array(layout.size), logLoss: 0 }, logLr, out);
        expect([...out]).toEqual([...negGrad].map((g) => Math.exp(logLr) * Math.sign(g)));
      }),
      { seed: CI_SEED, numRuns: 50 },
    );
  });

  it('without `direction`, a step is update at η = 1 (zero magnitude for a zero step)', () => {
    const layout = toLayout([{ kind: 'matrix', rows: 2, cols: 2 }]);
    const opt = validateOptimizerModule({ ...signModule(), name: undefined, norm: undefined }, layout);
    expect(opt.name).toBe('user optimizer');
    expect(opt.norm).toBeNull();
    const ctx = { step: 0, theta: new Float64Array(4), logLoss: 0 };
    const out = new Float64Array(4);
    expect(opt.direction({ negGrad: Float64Array.of(1, -2, 0, 3), logScale: 0 }, opt.init(new Float64Array(4)), ctx, out).logMagnitude).toBe(0);
    expect([...out]).toEqual([1, -1, 0, 1]);
    expect(opt.direction({ negGrad: new Float64Array(4), logScale: 0 }, opt.init(new Float64Array(4)), ctx, out).logMagnitude).toBe(-Infinity);
  });

  it('every single breach is rejected with one line naming it', () => {
    fc.assert(
      fc.property(layoutArb, fc.constantFrom(...Object.keys(BREACHES)), (layout: Layout, breach) => {
        const { make, says } = BREACHES[breach];
        const run = () => validateOptimizerModule(make(), layout, 'mod.js');
        expect(run).toThrow(InputError);
        try {
          run();
        } catch (err) {
          const message = (err as Error).message;
          expect(message).toContain('mod.js');
          expect(message).toContain(says);
          expect(message).not.toContain('\n');
        }
      }),
      { seed: CI_SEED, numRuns: 120 },
    );
  });
});
