/** Atomic report writing: a temp file in the target folder, then rename (a crash loses nothing). */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';

let tempCounter = 0;

/**
 * Writes `content` to `path` through a temp file in the same folder and a rename, so a reader sees
 * the old file or the whole new one, never a part. A folder that cannot be created or written is an
 * InputError naming it (one line); the temp file never outlives a failed write.
 */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${tempCounter++}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable (not a directory, no access): no temp file exists there.
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new InputError(`report path ${JSON.stringify(path)}: cannot write (${code})`);
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
