/**
 * Norm registry (THEORY §2). Names: l1, l2, linf, spectral, spectral-sign, and the families
 * lp:<p> (1 < p < ∞) and wl2:<w1,...,wP>. Adding a norm touches this folder only.
 */
import { InputError } from '../core/errors.js';
import type { Layout, Norm } from '../core/types.js';
import { l1Norm } from './l1.js';
import { l2Norm } from './l2.js';
import { linfNorm } from './linf.js';
import { LP_FAMILY, makeLpNorm } from './lp.js';
import { makeSpectralNorm } from './spectral.js';
import { makeWeightedL2Norm, WL2_FAMILY } from './wl2.js';

export { TIE_RTOL } from './directions.js';
export { l1Norm } from './l1.js';
export { l2Norm } from './l2.js';
export { linfNorm } from './linf.js';
export { makeLpNorm } from './lp.js';
export { makeSpectralNorm, rankRtol, type VectorGeometry } from './spectral.js';
export { JACOBI_MAX_SWEEPS, jacobiThreshold, thinSvd, type ThinSvd } from './svd.js';
export { makeWeightedL2Norm } from './wl2.js';

const FIXED = new Map<string, (layout: Layout) => Norm>([
  ['l1', () => l1Norm],
  ['l2', () => l2Norm],
  ['linf', () => linfNorm],
  ['spectral', (layout) => makeSpectralNorm(layout, 'l2')],
  ['spectral-sign', (layout) => makeSpectralNorm(layout, 'linf')],
]);

/** The parameter-free names; see NORM_FAMILIES for the parameterized ones. */
export const NORM_NAMES: readonly string[] = [...FIXED.keys()];
export const NORM_FAMILIES: readonly string[] = [LP_FAMILY, WL2_FAMILY];

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A strict decimal parse: '', ' 3', '3x' and '0x10' are NaN (Number('') is 0, Number('0x10') is 16). */
function parseNumber(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

export function makeNorm(name: string, layout: Layout): Norm {
  const fixed = FIXED.get(name);
  if (fixed) return fixed(layout);
  if (name.startsWith('lp:')) {
    return makeLpNorm(parseNumber(name.slice(3)), name);
  }
  if (name.startsWith('wl2:')) {
    const weights = name.slice(4).split(',').map(parseNumber);
    if (weights.length !== layout.size) {
      throw new InputError(`norm = wl2: ${weights.length} weights for ${layout.size} parameters (valid: ${WL2_FAMILY})`);
    }
    return makeWeightedL2Norm(weights);
  }
  throw new InputError(
    `norm = ${JSON.stringify(name)}: unknown norm (valid: ${[...NORM_NAMES, ...NORM_FAMILIES].join('; ')})`,
  );
}
