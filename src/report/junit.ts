/**
 * `margincheck verify --junit FILE`: the verdict rows as JUnit XML, so CI systems list them as tests.
 * One <testsuite> per suite, one <testcase> per row; a row that does not pass (HOLDS, FOUND or
 * REPORTED by its kind) is a <failure> whose type is the verdict (violated / missed / vacuous) and
 * whose body is the evidence and the replay command.
 * Passing rows keep their evidence in <system-out>. Per-row times are not measured, only per suite.
 */
import { fmt, passes, type Outcome } from './verdicts.js';
import type { SuiteRows } from './table.js';

/** XML 1.0 text: the five entities escaped, characters XML cannot carry (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F) dropped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The evidence of a row: verdict detail, runs and worst residual, coverage against its minima, replay. */
function evidence(o: Outcome): string {
  const coverage = Object.entries(o.coverage).map(([tag, n]) => `${tag} ${n}${o.required[tag] === undefined ? '' : ` (needs ≥ ${o.required[tag]})`}`);
  // A passing row's detail carries its evidence already.
  const worst = passes(o) ? '' : `, worst residual ${fmt(o.worst)} × tolerance`;
  return [
    `${o.verdict.toUpperCase()}: ${o.detail}`,
    `${o.runs} runs (seed ${o.seed})${worst}`,
    ...(coverage.length ? [`coverage: ${coverage.join(', ')}`] : []),
    `replay: ${o.replay}`,
  ].join('\n');
}

function testcase(suite: SuiteRows, o: Outcome): string {
  const open = `    <testcase classname="margincheck.${escapeXml(suite.id)}" name="${escapeXml(o.property)}">`;
  const body = escapeXml(evidence(o));
  if (passes(o)) return `${open}\n      <system-out>${body}</system-out>\n    </testcase>`;
  const message = escapeXml(`${o.verdict.toUpperCase()}: ${o.detail}`);
  return `${open}\n      <failure type="${o.verdict}" message="${message}">${body}</failure>\n    </testcase>`;
}

export function renderJunit(suites: readonly SuiteRows[], meta: { readonly profile: string; readonly seed: number }): string {
  const failures = (rows: readonly Outcome[]) => rows.filter((o) => !passes(o)).length;
  const all = suites.flatMap((s) => s.rows);
  const seconds = suites.reduce((t, s) => t + s.seconds, 0);
  const properties = `    <properties>\n      <property name="profile" value="${escapeXml(meta.profile)}"/>\n      <property name="seed" value="${meta.seed}"/>\n    </properties>`;
  const blocks = suites.map(
    (s) =>
      `  <testsuite name="${escapeXml(s.id)}" tests="${s.rows.length}" failures="${failures(s.rows)}" errors="0" skipped="0" time="${s.seconds.toFixed(3)}">\n` +
      `${properties}\n${s.rows.map((o) => testcase(s, o)).join('\n')}\n  </testsuite>`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="margincheck verify (profile ${escapeXml(meta.profile)}, seed ${meta.seed})" tests="${all.length}" failures="${failures(all)}" errors="0" time="${seconds.toFixed(3)}">\n` +
    `${blocks.join('\n')}\n</testsuites>\n`
  );
}
