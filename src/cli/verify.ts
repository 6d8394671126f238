/** `margincheck verify`: run the suites, print the verdict table, write the report atomically. */
import { join } from 'node:path';
import os from 'node:os';
import { InputError } from '../core/errors.js';
import { PROFILES, runProperty, type Profile } from '../../properties/outcome.js';
import { findProperty, runSuite, SUITES } from '../../properties/suites.js';
import { renderHtml, renderTable, type SuiteRows } from '../../properties/table.js';
import { writeAtomic } from '../report/write.js';

export interface VerifyOptions {
  profile: string;
  seed: string;
  suite?: string[];
  property?: string;
  path?: string;
  out: string;
  full?: boolean;
}

function parseSeed(s: string): number {
  const seed = Number(s);
  if (!Number.isInteger(seed)) throw new InputError(`--seed = ${JSON.stringify(s)}: must be an integer`);
  return seed;
}

export async function verify(opts: VerifyOptions): Promise<number> {
  if (!PROFILES.includes(opts.profile as Profile)) {
    throw new InputError(`--profile = ${JSON.stringify(opts.profile)}: unknown profile (valid: ${PROFILES.join(', ')})`);
  }
  const profile = opts.profile as Profile;
  const seed = parseSeed(opts.seed);
  if (opts.property) return replay(opts.property, seed, opts.path, profile);
  const wanted = opts.suite?.length ? opts.suite : SUITES.map((s) => s.id);
  for (const id of wanted) {
    if (!SUITES.some((s) => s.id === id)) {
      throw new InputError(`--suite = ${JSON.stringify(id)}: unknown suite (valid: ${SUITES.map((s) => s.id).join(', ')})`);
    }
  }
  const started = Date.now();
  console.log(`margincheck verify — profile ${profile}, seed ${seed}\n`);
  const results: SuiteRows[] = [];
  for (const suite of SUITES.filter((s) => wanted.includes(s.id))) {
    const t0 = Date.now();
    const rows = await runSuite(suite, profile, seed);
    results.push({ id: suite.id, title: suite.title, rows, seconds: (Date.now() - t0) / 1000, headline: suite.headline });
  }
  const all = results.flatMap((r) => r.rows);
  const bad = all.filter((o) => o.verdict !== 'holds');
  const summary = `${all.length - bad.length} of ${all.length} properties hold (profile ${profile}, seed ${seed}, ${(
    (Date.now() - started) /
    1000
  ).toFixed(1)} s)`;
  console.log(renderTable(results, opts.full));
  console.log(`\n${summary}`);
  const meta = { profile, seed: String(seed), node: process.version, cpu: os.cpus()[0]?.model ?? '?', date: new Date().toISOString(), summary };
  const base = join(opts.out, `verify-${profile}`);
  writeAtomic(`${base}.json`, JSON.stringify({ meta, suites: results }, null, 2));
  writeAtomic(`${base}.html`, renderHtml(results, meta));
  console.log(`report: ${base}.html (and .json)`);
  return bad.length === 0 ? 0 : 1;
}

function replay(name: string, seed: number, path: string | undefined, profile: Profile): number {
  const spec = findProperty(name);
  if (!spec) throw new InputError(`--property = ${JSON.stringify(name)}: no such property (see the verdict table for names)`);
  const o = runProperty(spec, { seed, path, profile });
  console.log(`${o.verdict.toUpperCase()}  ${o.property}\n  ${o.detail}\n  replay: ${o.replay}`);
  return o.verdict === 'holds' ? 0 : 1;
}
