/** Hyper-parameter tables: one place for ranges, defaults and the InputError wording. */
import { describe, InputError } from '../core/errors.js';

export interface Range {
  readonly min: number;
  /** Infinity for "no upper bound"; the bound itself is excluded when maxOpen. */
  readonly max: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  /** Used when the option is absent; absent and without default ⇒ InputError. */
  readonly default?: number;
}

function rangeText(key: string, r: Range): string {
  if (r.max === Infinity) return `${key} ${r.minOpen ? '>' : '≥'} ${r.min}`;
  return `${key} ∈ ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
}

function inRange(x: unknown, r: Range): x is number {
  return (
    typeof x === 'number' &&
    Number.isFinite(x) &&
    (r.minOpen ? x > r.min : x >= r.min) &&
    (r.maxOpen ? x < r.max : x <= r.max)
  );
}

/**
 * Validates `given` against `table`: unknown keys, missing required values, non-numbers,
 * non-finite or out-of-range values throw one InputError line listing every valid range.
 */
export function resolveParams<K extends string>(
  owner: string,
  table: Readonly<Record<K, Range>>,
  given: Readonly<Record<string, unknown>> = {},
): Record<K, number> {
  const keys = Object.keys(table) as K[];
  const valid = `valid: ${keys.map((k) => rangeText(k, table[k])).join(', ') || 'no options'}`;
  for (const k of Object.keys(given)) {
    if (!(keys as string[]).includes(k)) throw new InputError(`${owner}: unknown option ${JSON.stringify(k)} (${valid})`);
  }
  const out = {} as Record<K, number>;
  for (const k of keys) {
    const value = given[k] ?? table[k].default;
    if (value === undefined) throw new InputError(`${owner}.${k} is required (${valid})`);
    if (!inRange(value, table[k])) throw new InputError(`${owner}.${k} = ${describe(value)}: out of range (${valid})`);
    out[k] = value;
  }
  return out;
}

/** A momentum / moving-average coefficient. */
export const unitInterval = (defaultValue: number): Range => ({ min: 0, max: 1, maxOpen: true, default: defaultValue });
