/**
 * Writes a small set of real reports through the report stage (src/report), for the browser check
 * and for looking at the charts: a GD trajectory with the KKT residual, the three optimizers compared,
 * two Theorem 3.1 checks (holds, violated), `margincheck run` on the shipped example, and a verify
 * page of real theorem rows (quick profile) with each row's closest-call chart.
 * Usage: npx tsx scripts/sample-reports.ts [OUT_DIR]
 */
import { comparisonChart, theorem31Chart, trajectoryChart } from '../src/report/charts.js';
import { fmt, normLabel } from '../src/report/labels.js';
import { writeReport } from '../src/report/report.js';
import { DEFAULT_THEOREM31 } from '../src/theorems/theorem31.js';
import { verifyReport } from '../src/report/verifyHtml.js';
import { run } from '../src/cli/run.js';
import { runProperty } from '../properties/outcome.js';
import { LOSS_PROPERTIES } from '../properties/losses.js';
import { firstBiasNeverViolated, outputBiasMustFind } from '../properties/theorem31.js';
import { NET_CONFIGS, netRow } from '../properties/theorem38.js';
import { SAMPLE_DATA, SAMPLE_NET, sampleTheorem31, sampleTrajectories } from './sample-runs.js';

const out = process.argv[2] ?? 'out/sample-reports';
const t0 = performance.now();
const runs = sampleTrajectories();
const facts: [string, string][] = [
  ['net', SAMPLE_NET.name],
  ['data', `Gaussian teacher, N = ${SAMPLE_DATA.n}, d = ${SAMPLE_DATA.d}, seed demo`],
];
const gd = runs[0];
await writeReport(
  out,
  'trajectory-gd',
  {
    title: `Trajectory: ${gd.series.label}`,
    summary: `${gd.result.steps} steps, ${gd.result.diagnostic}`,
    facts,
    sections: [{ heading: 'Margins, loss, norms and KKT residual', blocks: [{ kind: 'chart', name: 'trajectory', title: 'GD trajectory', spec: trajectoryChart(gd.series) }] }],
  },
  { series: gd.series },
);
await writeReport(
  out,
  'comparison',
  {
    title: 'GD, sign descent and coordinate descent',
    summary: runs.map((r) => `${r.name}: ${r.result.steps} steps`).join('; '),
    facts,
    sections: [
      {
        heading: 'Normalized margins',
        blocks: [
          { kind: 'chart', name: 'margins', title: 'γ per norm, one line per optimizer', spec: comparisonChart(runs) },
          { kind: 'chart', name: 'flow', title: 'sign descent on the flow clock', spec: trajectoryChart(runs[1].series, { clock: 'flow' }) },
        ],
      },
    ],
  },
  { runs: runs.map((r) => ({ name: r.name, series: r.series })) },
);
for (const c of sampleTheorem31()) {
  const { result } = c;
  await writeReport(
    out,
    c.base,
    {
      title: `Theorem 3.1 in ${normLabel(c.norm)}: ${c.label}`,
      summary: `${result.verdict}: ${result.reason}`,
      facts: [['net', c.net.name], ['data', `N = ${c.data.n}, d = ${c.data.d}`]],
      sections: [
        {
          heading: 'Evidence (THEORY §5)',
          blocks: [
            { kind: 'chart', name: 'evidence', title: `log γ̃ along s, ${result.levels.length} Δq levels`, spec: theorem31Chart(result, { tau: DEFAULT_THEOREM31.tau }) },
            {
              kind: 'table',
              header: ['Δq', 'steps', 'D', 'worst window'],
              rows: result.levels.map((l) => [String(l.dq), String(l.steps), fmt(l.d), l.worstWindow ? `[${l.worstWindow.map(fmt).join(', ')}]` : '—']),
            },
          ],
        },
      ],
    },
    result,
  );
  console.log(`${c.base}: ${result.verdict}`);
}
// The run command itself (its lines go to stdout), on the example the README shows.
await run('examples/run/config.json', out);
// Verify rows as the suites compute them, on the page verify writes (the CLI runs them in workers).
const seed = 1;
const timed = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  return [f(), (performance.now() - t) / 1000];
};
const [t31, s31] = timed(() => [outputBiasMustFind('quick', seed), firstBiasNeverViolated('quick', seed)]);
const [t38, s38] = timed(() => [netRow(NET_CONFIGS[0], 'quick', seed)]);
const [props, sp] = timed(() => [runProperty(LOSS_PROPERTIES[0], { seed, profile: 'quick' })]);
const suites = [
  { id: 'theorem31', title: 'Theorem 3.1 (two rows of the suite)', rows: t31, seconds: s31 },
  { id: 'theorem38', title: 'Theorem 3.8 (one row of the suite)', rows: t38, seconds: s38 },
  { id: 'losses', title: 'A property row (no run to draw)', rows: props, seconds: sp },
];
const meta = { summary: `${suites.flatMap((x) => x.rows).length} sample rows, profile quick, seed ${seed}`, profile: 'quick', seed: String(seed) };
await writeReport(out, 'verify-sample', verifyReport(suites, meta), { meta, suites });
console.log(`reports in ${out} (${((performance.now() - t0) / 1000).toFixed(1)} s: runs, checks and rendering)`);
