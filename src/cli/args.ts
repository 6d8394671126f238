/** Strict parsing of command-line values: every rejection names the option and the value. */
import { InputError } from '../core/errors.js';

/** A seed: a decimal safe integer (no empty string, no 1e3, no 0x10, no 2^53 + 1). */
export function parseSeed(text: string, field = '--seed'): number {
  const seed = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(seed)) {
    throw new InputError(`${field} = ${JSON.stringify(text)}: must be a decimal integer with |seed| ≤ 2^53 − 1`);
  }
  return seed;
}

/** A positive decimal integer at most `max` (stated in the message). */
export function parsePositiveInt(text: string, field: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !(n >= 1 && n <= max)) throw new InputError(`${field} = ${JSON.stringify(text)}: must be an integer from 1 to ${max}`);
  return n;
}

/** Rejects options that the chosen mode would ignore (given explicitly, not defaults). */
export function rejectIgnored(given: Readonly<Record<string, boolean>>, mode: string): void {
  for (const [option, isGiven] of Object.entries(given)) {
    if (isGiven) throw new InputError(`${option}: not used ${mode}; drop it`);
  }
}
