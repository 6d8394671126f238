/**
 * The margincheck command line. Bad input — commander's usage errors included — ends with one
 * readable line on stderr and exit code 2; anything else that escapes is a bug and keeps its stack.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../core/errors.js';
import { list } from './list.js';
import { run } from './run.js';
import { verify } from './verify.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
// Set before the subcommands: they inherit it. Usage errors become CommanderErrors handled below.
program.exitOverride().configureOutput({ outputError: () => {} });
program
  .name('margincheck')
  .description('Property-based verification of the implicit bias of steepest descent (Flavors of Margin).')
  .version(version, '-V, --version');

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
  .addOption(new Option('--worker').hideHelp())
  .action(async (opts) => {
    const given = (name: string) => verifyCommand.getOptionValueSource(name) === 'cli';
    process.exitCode = await verify(opts, { suite: given('suite'), out: given('out'), full: given('full'), jobs: given('jobs'), path: given('path') });
  });

program
  .command('run')
  .description('one seeded Theorem 3.1 check on a configured dataset, net and algorithm (JSON config)')
  .argument('[config]', 'JSON config file (see README); omitted: the embedded default')
  .option('--out <dir>', 'report folder', 'out')
  .action((config: string | undefined, opts: { out: string }) => {
    process.exitCode = run(config, opts.out);
  });

program
  .command('list')
  .description('the suites and their rows, norms, optimizers and non-homogeneous families')
  .action(() => {
    process.exitCode = list();
  });

program
  .command('bench')
  .description('benchmarks side by side: engine, segment, checkpoint, oracle, kkt (default: all)')
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
  if (process.argv.length <= 2) throw new InputError('missing command (verify, run, list, bench; see margincheck --help)');
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
