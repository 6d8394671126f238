/**
 * The margincheck command line. Bad input — commander's usage errors included — ends with one
 * readable line on stderr and exit code 2; anything else that escapes is a bug and keeps its stack.
 * Commands load their modules (solvers, fast-check suites, mathjs) only when they run, so
 * `--version`, `--help` and argument errors start fast (bench/startup.ts measures it).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../core/errors.js';

// The package's own package.json by self-reference (the same from src/ under tsx and from dist/).
const { version } = createRequire(import.meta.url)('margincheck/package.json') as { version: string };

const program = new Command();
// Set before the subcommands: they inherit it. Usage errors become CommanderErrors handled below.
program.exitOverride().configureOutput({ outputError: () => {} });
program
  .name('margincheck')
  .description('Property-based verification of the implicit bias of steepest descent (Flavors of Margin).')
  .version(version);

const verifyCommand = program
  .command('verify')
  .description('run the theorem and identity suites and print the verdict table')
  .option('--profile <profile>', 'quick | ci | thorough', 'quick')
  .option('--seed <seed>', 'root seed of every generator', '20241029')
  .option('--suite <id...>', 'only these suites')
  .option('--property <row>', 'replay one row by the name shown in the table (with --profile and --seed from its replay line)')
  .option('--path <path>', 'fast-check counterexample path for --property')
  .option('--out <dir>', 'report folder', 'out')
  .option('--full', 'print every row with its full claim and coverage (the report always has them all)')
  .option('--jobs <n>', 'worker processes for the suites', String(Math.min(2, os.availableParallelism())))
  .option('--junit <file>', 'also write the rows as JUnit XML (one test case per row, for CI)')
  .addOption(new Option('--worker').hideHelp())
  .action(async (opts) => {
    const { verify } = await import('./verify.js');
    const given = (name: string) => verifyCommand.getOptionValueSource(name) === 'cli';
    process.exitCode = await verify(opts, { suite: given('suite'), out: given('out'), full: given('full'), jobs: given('jobs'), path: given('path') });
  });

program
  .command('run')
  .description('one seeded Theorem 3.1 check on a configured dataset, net and algorithm (JSON config)')
  .argument('[config]', 'JSON config file (see README); omitted: the embedded default')
  .option('--out <dir>', 'report folder', 'out')
  .action(async (config: string | undefined, opts: { out: string }) => {
    const { run } = await import('./run.js');
    process.exitCode = await run(config, opts.out);
  });

program
  .command('reproduce')
  .description('a THEORY §11 experiment of the paper: teacher-student | mnist-2v7 | mnist-3v6')
  .argument('<name>', 'reproduction name')
  .option('--quick', 'the small version (≤ 1 min; the one npm test runs)')
  .option('--out <dir>', 'report folder (the report goes to <dir>/<name>/)', 'out/reproduce')
  .option('--engine <name>', "training engine (default: the reproduction's own)")
  .action(async (name: string, opts: { quick?: boolean; out: string; engine?: string }) => {
    const { reproduceCommand } = await import('./reproduce.js');
    process.exitCode = await reproduceCommand(name, opts);
  });

program
  .command('fingerprint')
  .description('which margin does an optimizer maximize? linear and network batteries beside calibrated references')
  .requiredOption('--optimizer <name|path>', 'a registered optimizer (gd, sign, coord, lp:<p>, spectral, adam, signum, muon, momentum) or a module path')
  .option('--options <json>', 'hyper-parameters of a registered optimizer, e.g. {"beta1":0}')
  .option('--quick', 'the quick battery (3 seeds, short runs)')
  .option('--seed <seed>', 'root seed of the batteries', '20241029')
  .option('--out <dir>', 'report folder', 'out')
  .option('--time-limit <seconds>', 'wall-clock limit: runs stop at their next step after it', '1200')
  .option('--dq <dq>', 'margin move per step of the common schedule (default 0.5; −ln(β)/2 for registered optimizers with momentum β)')
  .action(async (opts) => {
    const { fingerprintCommand } = await import('../fingerprint/cli.js');
    process.exitCode = await fingerprintCommand(opts);
  });

program
  .command('hunt')
  .description('search non-homogeneous nets for confirmed Theorem 3.1 counterexamples (THEORY §10); corpus + report')
  .option('--family <name...>', 'output-bias hidden-bias residual tanh softplus gelu ensemble layernorm | all (controls: control-mlp control-first-bias control-diagonal control-linear)', ['all'])
  .option('--budget <candidates>', 'candidates screened per family', '40')
  .option('--seed <seed>', 'root seed of the hunt', '1')
  .option('--jobs <n>', 'worker processes', String(Math.min(2, os.availableParallelism())))
  .option('--shard <i/n>', 'run block ordinals ≡ i−1 (mod n) only (CI matrix); merge with `corpus merge`', '1/1')
  .option('--out <dir>', 'report folder', 'out/hunt')
  .option('--corpus <file>', 'corpus to replay first and extend (default: <out>/corpus.json)')
  .option('--algorithm <name...>', 'gd sign coord lp:3 spectral', ['gd', 'sign', 'coord', 'lp:3', 'spectral'])
  .option('--data <kind...>', 'teacher clusters random positive', ['teacher', 'clusters', 'random', 'positive'])
  .option('--targeted <share>', 'share of each block spent hill-climbing D/τ (0 = generation only)', '0.4')
  .option('--shrink-budget <n>', 'confirmation checks per minimization', '12')
  .option('--json', 'print the report as JSON on stdout (progress stays on stderr)')
  .action(async (opts) => {
    const { huntCommand } = await import('../hunt/cli.js');
    process.exitCode = await huntCommand(opts);
  });

program
  .command('replay')
  .description('re-run one stored counterexample of a hunt corpus and compare it bit-for-bit')
  .argument('<file>', 'corpus JSON')
  .option('--index <k>', 'entry index', '0')
  .action(async (file: string, opts: { index: string }) => {
    const { replayCommandAction } = await import('../hunt/cli.js');
    process.exitCode = replayCommandAction(file, opts);
  });

program
  .command('corpus')
  .description('hunt corpus tools')
  .command('merge')
  .description('merge hunt corpora (e.g. from CI shards) without duplicates')
  .argument('<files...>', 'corpus JSON files')
  .requiredOption('-o, --output <file>', 'merged corpus')
  .action(async (files: string[], opts: { output: string }) => {
    const { corpusMergeAction } = await import('../hunt/cli.js');
    process.exitCode = corpusMergeAction(files, opts);
  });

program
  .command('list')
  .description('the suites and their rows, norms, optimizers and non-homogeneous families')
  .action(async () => {
    const { list } = await import('./list.js');
    process.exitCode = list();
  });

program
  .command('bench')
  .description('benchmarks side by side: engine, engines, segment, checkpoint, oracle, kkt, render, startup (default: all)')
  .argument('[groups...]', 'only these groups')
  .action(async (groups: string[]) => {
    const { BENCH_GROUPS, runBenchmarks } = await import('../../bench/index.js');
    for (const g of groups) {
      if (!(BENCH_GROUPS as readonly string[]).includes(g)) {
        throw new InputError(`bench group ${JSON.stringify(g)}: unknown (valid: ${BENCH_GROUPS.join(', ')})`);
      }
    }
    await runBenchmarks(groups.length ? (groups as typeof BENCH_GROUPS[number][]) : BENCH_GROUPS);
  });

/** Exit 2 with one line. */
function badInput(message: string): never {
  console.error(`margincheck: ${message.replace(/\s*\n\s*/g, ' ')}`);
  process.exit(2);
}

try {
  if (process.argv.length <= 2) throw new InputError(`missing command (${program.commands.map((c) => c.name()).join(', ')}; see margincheck --help)`);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof InputError) badInput(err.message);
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    if (err.exitCode === 0) process.exit(0);
    badInput(`${err.message.replace(/^error: /, '')} (see margincheck --help)`);
  }
  throw err;
}
