/**
 * `margincheck reproduce <name>`: the THEORY §11 experiments. Checks the name and the output folder
 * before any training, trains, then writes `<out>/<name>/<name>.html` (+ PNG/SVG charts and the JSON
 * record) through a staging folder (publish.ts). Exit 0 when every asserted claim holds, else 1.
 */
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { writeReport } from '../report/report.js';
import { mnist2v7, mnist3v6 } from './mnist.js';
import { assertWritableFolder, publishFolder } from './publish.js';
import { teacherStudent } from './teacherStudent.js';
import { claimsHold, type Reproduction, type ReproductionResult } from './types.js';

export const REPRODUCTIONS: readonly Reproduction[] = [teacherStudent, mnist2v7, mnist3v6];

export interface ReproduceOptions {
  readonly quick?: boolean;
  readonly out: string;
  readonly engine?: string;
  readonly log?: (line: string) => void;
}

function findReproduction(name: string): Reproduction {
  const r = REPRODUCTIONS.find((x) => x.name === name);
  if (!r) throw new InputError(`reproduction = ${JSON.stringify(name)}: unknown (valid: ${REPRODUCTIONS.map((x) => x.name).join(', ')})`);
  return r;
}

export interface ReproduceOutcome extends ReproductionResult {
  readonly folder: string;
  readonly html: string;
  readonly ok: boolean;
}

export async function reproduce(name: string, opts: ReproduceOptions): Promise<ReproduceOutcome> {
  const repro = findReproduction(name);
  assertWritableFolder(opts.out);
  const result = await repro.run({ quick: opts.quick ?? false, engine: opts.engine, log: opts.log ?? (() => undefined) });
  const folder = await publishFolder(opts.out, name, async (dir) => {
    await writeReport(dir, name, result.report, result.record);
  });
  return { ...result, folder, html: join(folder, `${name}.html`), ok: claimsHold(result.claims) };
}
