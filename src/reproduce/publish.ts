/**
 * Where a reproduction's report goes, written so that no reader ever sees half of it:
 *  - the output folder is checked before any computing (a folder that cannot be written is bad input);
 *  - nothing is written while training runs (a Ctrl-C there leaves the folder untouched);
 *  - the report is written into a hidden staging folder beside its final place and swapped in by
 *    renames; SIGINT/SIGTERM during that phase remove the staging folder before exiting.
 * No worker processes are started, so an interrupted run leaves none behind.
 */
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { writeIndex } from '../report/html.js';

/** Throws an InputError (one line naming --out) unless `out` is, or can be created as, a writable folder. */
export function assertWritableFolder(out: string): void {
  let p = resolve(out);
  if (existsSync(p) && !statSync(p).isDirectory()) throw new InputError(`--out = ${JSON.stringify(out)}: not a folder`);
  while (!existsSync(p)) p = dirname(p);
  if (!statSync(p).isDirectory()) throw new InputError(`--out = ${JSON.stringify(out)}: ${p} is not a folder`);
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new InputError(`--out = ${JSON.stringify(out)}: cannot write to ${p} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs `write(staging)` and moves the staging folder to `<out>/<name>` (replacing an older report),
 * then refreshes `<out>/index.html`. Returns the final folder.
 */
export async function publishFolder(out: string, name: string, write: (dir: string) => Promise<void>): Promise<string> {
  mkdirSync(out, { recursive: true });
  const final = join(out, name);
  const staging = join(out, `.${name}.${process.pid}.staging`);
  const old = join(out, `.${name}.${process.pid}.old`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(staging, { recursive: true, force: true });
    process.exit(SIGNAL_EXIT[signal] ?? 1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await write(staging);
    if (existsSync(final)) renameSync(final, old);
    renameSync(staging, final);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  writeIndex(out, 'margincheck reproductions');
  return final;
}
