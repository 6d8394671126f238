/** What an engine is (src/engines/index.ts holds the registry). */
import type { EngineInfo, Net } from '../core/types.js';
import type { NetSpec } from '../nets/index.js';

export interface Engine {
  readonly info: EngineInfo;
  /** The net of `spec` on this engine; an InputError when the engine cannot evaluate that architecture. */
  build(spec: NetSpec): Net;
}

/** tfjs backends in the order tried when none is named: native (tfjs-node, optional), wasm, cpu. */
export const TFJS_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;

export interface EngineOptions {
  /** tfjs backend: `tensorflow` (tfjs-node), `wasm`, `cpu`; default: the first that initializes, in that order. */
  readonly backend?: string;
}
