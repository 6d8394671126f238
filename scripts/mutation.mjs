#!/usr/bin/env node
/**
 * `npm run mutation [-- folder…]`: StrykerJS over the numerical core, one folder at a time (default:
 * all seven), then a score table per folder written to reports/mutation/scores.md.
 * Score = (killed + timeout) / (killed + timeout + survived + no coverage); static mutants are
 * ignored (stryker.config.mjs) and counted separately. Reports: out/mutation/<folder>.{json,html}.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FOLDERS = ['nets', 'losses', 'norms', 'optimizers', 'metrics', 'theorems', 'trajectory'];
const root = fileURLToPath(new URL('..', import.meta.url));
// `--scores`: only rebuild the table from the reports already in out/mutation.
const scoresOnly = process.argv.includes('--scores');
const args = process.argv.slice(2).filter((a) => a !== '--scores');
const unknown = args.filter((a) => !FOLDERS.includes(a));
if (unknown.length) {
  console.error(`mutation: folder ${JSON.stringify(unknown[0])} is not mutated (valid: ${FOLDERS.join(', ')})`);
  process.exit(2);
}
const chosen = scoresOnly ? [] : args.length ? args : FOLDERS;
const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
if (!existsSync(stryker)) {
  console.error('mutation: @stryker-mutator/core is not installed (npm install)');
  process.exit(2);
}

let failed = false;
for (const folder of chosen) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [stryker, 'run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MARGINCHECK_MUTATION_FOLDER: folder },
  });
  console.log(`mutation: ${folder} finished in ${((Date.now() - t0) / 1000).toFixed(0)} s (exit ${r.status})`);
  if (r.status !== 0) failed = true;
}

/** Counts per status over every file of a Stryker JSON report. */
function counts(folder) {
  const file = join(root, 'out', 'mutation', `${folder}.json`);
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, CompileError: 0, RuntimeError: 0 };
  // String-literal mutants are excluded (stryker.config.mjs); a report from before the exclusion
  // may still hold some, so they are left out here too.
  for (const f of Object.values(report.files)) for (const m of f.mutants) if (m.mutatorName !== 'StringLiteral') c[m.status] = (c[m.status] ?? 0) + 1;
  return c;
}

const lines = [
  '| folder | mutants | killed | timeout | survived | no coverage | ignored (static) | errors | score |',
  '|---|---|---|---|---|---|---|---|---|',
];
const out = join(root, 'reports', 'mutation', 'scores.md');
// A folder without a report in out/mutation (not run on this machine) keeps its row from the
// committed table, and any section after the table (e.g. the scores before) is kept as written.
const previous = existsSync(out) ? readFileSync(out, 'utf8').split('\n') : [];
const previousRow = (folder) => previous.find((l) => l.startsWith(`| ${folder} |`));
const tableEnd = previous.findIndex((l, i) => i > 0 && l.startsWith('## '));
const trailer = tableEnd >= 0 ? `\n${previous.slice(tableEnd).join('\n').trimEnd()}\n` : '';
for (const folder of FOLDERS) {
  const c = counts(folder);
  if (!c) {
    const row = previousRow(folder);
    if (row) lines.push(row);
    continue;
  }
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  const total = valid + c.Ignored + c.CompileError + c.RuntimeError;
  const score = valid ? ((100 * detected) / valid).toFixed(1) : 'n/a';
  lines.push(`| ${folder} | ${total} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.Ignored} | ${c.CompileError + c.RuntimeError} | ${score} % |`);
}
console.log(`\n${lines.join('\n')}`);
mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
writeFileSync(`${out}.tmp`, `# Mutation scores per folder (npm run mutation)\n\n${lines.join('\n')}\n${trailer}`);
renameSync(`${out}.tmp`, out);
process.exit(failed ? 1 : 0);
