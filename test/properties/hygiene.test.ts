/** Project rules that a grep can enforce: seeded randomness only, no focused or skipped tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Source lines with comments removed (line comments and block-comment lines). */
const code = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.replace(/\/\/.*$/, ''), at: `${path}:${i + 1}` }))
    .filter(({ line }) => !/^\s*(\*|\/\*)/.test(line));

describe('hygiene', () => {
  it('no unseeded randomness in src/ and properties/', () => {
    const scanned = [...files('src'), ...files('properties')];
    expect(scanned.length).toBeGreaterThan(40); // the scan really read the tree
    const hits = scanned.flatMap(code).filter(({ line }) => line.includes('Math.random'));
    expect(hits.map((h) => h.at)).toEqual([]);
  });
  it('no focused or skipped tests', () => {
    const scanned = files('test');
    expect(scanned.length).toBeGreaterThan(15);
    const hits = scanned
      .flatMap(code)
      .filter(({ line }) => /\b(it|describe|test)\.(only|skip)\(|\b(fit|xit|xdescribe|fdescribe)\(/.test(line));
    expect(hits.map((h) => h.at)).toEqual([]);
  });
});
