// Mutation testing of the numerical core (`npm run mutation [-- folder…]`; not part of `npm test`).
// StrykerJS 9.x (10.x needs Node 22). One folder per run, chosen by MARGINCHECK_MUTATION_FOLDER
// (scripts/mutation.mjs sets it): its mutants run against that folder's own tests
// (vitest.mutation.config.ts), each mutant only against the tests that cover it (perTest).
const folder = process.env.MARGINCHECK_MUTATION_FOLDER ?? 'nets';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [`src/${folder}/**/*.ts`],
  // Static mutants (module-level constants) need the whole test set per mutant; Stryker counts
  // them as ignored, and the score table lists them.
  ignoreStatic: true,
  // String literals in these folders are error messages and labels (their wording is tested by the
  // CLI's hostile-input tests, not by numerical properties); mutating them measures nothing here.
  mutator: { excludedMutations: ['StringLiteral'] },
  concurrency: 2,
  // A mutant that loops (an SVD sweep that never converges) is a timeout: detected. Net test time
  // × 1.5 + 10 s leaves room for a loaded 2-core machine.
  timeoutMS: 10_000,
  timeoutFactor: 1.5,
  // Results are reused for mutants whose code and covering tests did not change.
  incremental: true,
  incrementalFile: `out/mutation/${folder}.incremental.json`,
  reporters: ['progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `out/mutation/${folder}.json` },
  htmlReporter: { fileName: `out/mutation/${folder}.html` },
  tempDirName: `out/.stryker-tmp-${folder}`,
  cleanTempDir: 'always',
};
