/**
 * The output folder of a command: checked and locked before any computation, written atomically.
 * The lock (`.margincheck.lock`, holding the owner's pid) keeps a second run out of a folder that a
 * running one will write, so a report file never holds another run's output; a lock whose owner is
 * gone is taken over.
 */
import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

const LOCK = '.margincheck.lock';

/** A locked output folder: reports are written into `dir` (src/report writes atomically); release() frees it. */
export interface OutputFolder {
  readonly dir: string;
  release(): void;
}

/** Nearest existing ancestor of `path` (itself if it exists). */
function existingAncestor(path: string): string {
  let p = resolve(path);
  for (;;) {
    try {
      statSync(p);
      return p;
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}

/** Throws unless `dir` is, or can be created as, a writable folder. Writes nothing. */
export function checkOutputFolder(dir: string, field = '--out'): void {
  const where = `${field} = ${JSON.stringify(dir)}`;
  if (dir.trim() === '') throw new InputError(`${where}: must name a folder`);
  const base = existingAncestor(dir);
  if (!statSync(base).isDirectory()) {
    throw new InputError(`${where}: ${base === resolve(dir) ? 'is a file, not a folder' : `${JSON.stringify(base)} is a file, not a folder`}`);
  }
  try {
    accessSync(base, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`${where}: ${JSON.stringify(base)} is not writable`);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Checks, creates and locks the folder; call release() when done (also on interrupt). */
export function claimOutputFolder(dir: string, field = '--out'): OutputFolder {
  checkOutputFolder(dir, field);
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lock, 'utf8'));
      if (attempt === 0 && !(Number.isInteger(owner) && owner > 0 && alive(owner))) {
        rmSync(lock, { force: true });
        continue;
      }
      throw new InputError(`${field} = ${JSON.stringify(dir)}: another margincheck run (pid ${owner}) is writing there; wait for it or choose another folder`);
    }
  }
  let held = true;
  return {
    dir,
    release() {
      if (held) rmSync(lock, { force: true });
      held = false;
    },
  };
}
