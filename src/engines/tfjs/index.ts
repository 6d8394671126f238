/** Placeholder until the tfjs engine lands: naming it is an input error, never a crash. */
import { InputError } from '../../core/errors.js';
import type { Engine, EngineOptions } from '../types.js';

export async function createTfjsEngine(_opts: EngineOptions): Promise<Engine> {
  throw new InputError('engine = "tfjs": not available in this build (available: f64)');
}
