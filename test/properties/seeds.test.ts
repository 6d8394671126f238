/** `npm run verify:seeds`: the row-by-seed table and its argument checks. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { seedTable, type SeedRun } from '../../properties/seeds.js';

const exec = promisify(execFile);
const script = join(import.meta.dirname, '../../properties/seeds.ts');
const tsx = join(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');

describe('verify:seeds', () => {
  it('tables every row at every seed and counts the rows that pass at all of them', () => {
    const runs: SeedRun[] = [
      { seed: 1, seconds: 10, rows: [{ property: 'a', kind: 'claim', verdict: 'holds', worst: 0.31 }, { property: 'b', kind: 'claim', verdict: 'holds', worst: 0.5 }] },
      { seed: 22, seconds: 12, rows: [{ property: 'a', kind: 'claim', verdict: 'holds', worst: 0.29 }, { property: 'b', kind: 'claim', verdict: 'violated', worst: 'Infinity' }] },
    ];
    const { lines, held, rows } = seedTable(runs);
    expect([held, rows]).toEqual([1, 2]);
    expect(lines[0]).toMatch(/^row\s+1\s+22$/);
    expect(lines[1]).toMatch(/^a\s+0\.310\s+0\.290$/);
    expect(lines[2]).toMatch(/^b\s+0\.500\s+VIOL inf$/);
    expect(lines.at(-1)).toBe('1 of 2 rows pass at all 2 seeds (1, 22)');
  });

  it('bad arguments: exit 2 and one line naming the value', async () => {
    const err = await exec(process.execPath, [tsx, script, '--seeds', '1,x']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toEqual(['verify:seeds: --seeds = "1,x": must be comma-separated integers']);
  });
});
