/**
 * Bad input (configs, data, names, hyper-parameters). The CLI prints `message` as one line and
 * exits non-zero; anything else that escapes is a bug and keeps its stack.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Throws an InputError naming the field and the value unless `ok`. */
export function require(ok: boolean, field: string, value: unknown, want: string): void {
  if (!ok) throw new InputError(`${field} = ${describe(value)}: ${want}`);
}

export function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

export function requirePositiveInt(value: number, field: string): void {
  require(Number.isInteger(value) && value > 0, field, value, 'must be a positive integer');
}

