#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm run build`; `npm install` and `npm ci` run it as `prepare`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('margincheck: dist/ is missing: run `npm run build` (npm install runs it unless scripts are ignored)');
  process.exit(2);
}
await import(main.href);
