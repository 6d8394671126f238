/**
 * Choosing and initializing the tfjs backend. Preference order: `tensorflow` (the native
 * @tensorflow/tfjs-node binding, an optional dependency that installs only where libtensorflow can be
 * downloaded), then `wasm` (XNNPACK with SIMD, one thread; its .wasm files ship inside the npm
 * package and are read from disk, so no network is needed), then `cpu` (plain JavaScript).
 * tfjs keeps one active backend per process: the last engine created chooses it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InputError } from '../../core/errors.js';
import { TFJS_BACKENDS } from '../types.js';

export type TfjsBackend = (typeof TFJS_BACKENDS)[number];

/** A non-literal specifier: the binding is optional, so neither tsc nor the bundler may require it. */
const NODE_BINDING: string = '@tensorflow/tfjs-node';

let wasmPathsSet = false;

/** Registers `name` with tfjs (imports the binding, points wasm at its files); throws the reason on failure. */
async function register(name: TfjsBackend): Promise<void> {
  if (name === 'tensorflow') {
    try {
      await import(NODE_BINDING);
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new Error(code === 'ERR_MODULE_NOT_FOUND' ? `${NODE_BINDING} is not installed` : firstLine(e));
    }
  } else if (name === 'wasm' && !wasmPathsSet) {
    // The package's own dist/ folder holds tfjs-backend-wasm{,-simd}.wasm; Node reads them with fs.
    setWasmPaths(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    // One thread: the threaded build would start workers; the measurements in bench/engines.ts are single-core.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmPathsSet = true;
  }
}

/** Makes `name` the active backend; the reason it failed, or null. */
async function activate(name: TfjsBackend): Promise<string | null> {
  try {
    await register(name);
    if (!(await tf.setBackend(name))) return 'it did not initialize';
    await tf.ready();
    return null;
  } catch (e) {
    return firstLine(e);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** The backends that initialize on this machine (tries each, then restores the active one). */
async function availableBackends(): Promise<TfjsBackend[]> {
  const previous = tf.getBackend();
  const ok: TfjsBackend[] = [];
  for (const name of TFJS_BACKENDS) if ((await activate(name)) === null) ok.push(name);
  if (previous) await tf.setBackend(previous);
  return ok;
}

/**
 * Activates the requested backend, or the first that initializes in preference order.
 * An unknown name, or one that fails to initialize, is an InputError naming it and the available ones.
 */
export async function activateBackend(requested?: string): Promise<TfjsBackend> {
  // Production mode: no debug checks, and no "install the node backend" banner on stderr.
  tf.enableProdMode();
  if (requested === undefined) {
    for (const name of TFJS_BACKENDS) if ((await activate(name)) === null) return name;
    throw new InputError(`engine = "tfjs": no backend initialized (tried ${TFJS_BACKENDS.join(', ')})`);
  }
  const known = (TFJS_BACKENDS as readonly string[]).includes(requested);
  const why = known ? await activate(requested as TfjsBackend) : 'unknown tfjs backend';
  if (why === null) return requested as TfjsBackend;
  const available = await availableBackends();
  throw new InputError(`backend = ${JSON.stringify(requested)}: ${why} (available: ${available.join(', ') || 'none'})`);
}
