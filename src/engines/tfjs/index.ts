/**
 * The tfjs engine (float32, a system under test; the f64 engine judges it). Loaded on demand by the
 * registry (src/engines/index.ts) because tfjs and its backends are heavy.
 */
import type { EngineInfo, Net } from '../../core/types.js';
import { InputError } from '../../core/errors.js';
import type { NetSpec } from '../../nets/index.js';
import type { Engine, EngineOptions } from '../types.js';
import { activateBackend } from './backend.js';
import { tfjsMlp, type TfjsMutant } from './mlp.js';

export type { TfjsMutant } from './mlp.js';

/** float32 unit round-off. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

export async function createTfjsEngine(opts: EngineOptions = {}): Promise<Engine> {
  const backend = await activateBackend(opts.backend);
  const info: EngineInfo = { name: 'tfjs', backend, unitRoundoff: FLOAT32_UNIT_ROUNDOFF };
  return { info, build: (spec) => buildTfjsNet(spec, info) };
}

/** The tfjs net of `spec`; `mutant` (tests only) swaps in a deliberately wrong kernel (see TfjsMutant). */
export function buildTfjsNet(spec: NetSpec, info: EngineInfo, mutant?: TfjsMutant): Net {
  if (spec.kind !== 'mlp') throw new InputError(`engine tfjs does not support net kind ${spec.kind} (supported: mlp)`);
  return tfjsMlp(spec, info, mutant);
}
