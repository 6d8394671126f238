#!/usr/bin/env node
/**
 * A real browser looks at the HTML reports (issue 10): every *.html under the given folders is opened
 * in headless Debian chromium (driven by playwright-core), screenshotted, and the check FAILS when
 *   - the page logs an error (console error, uncaught exception, failed request),
 *   - a chart is missing (fewer inline <svg> charts than the page's data-charts, or a local link
 *     such as a chart's PNG that does not exist),
 *   - a chart is blank: no drawn vega mark with a nonzero box, or its screenshot has (almost) no ink,
 *   - the page itself renders blank.
 *
 * Usage: node scripts/browser-check.mjs [--shots DIR] [--self-test] FOLDER...
 *   --shots DIR   where the page screenshots go (default out/browser-check)
 *   --self-test   first build broken pages (blank chart, missing chart, console error, missing PNG)
 *                 and require the check to fail on each, and a good page to pass
 * Environment: CHROMIUM (default /usr/bin/chromium; install with `apt-get install -y chromium`).
 * Exit 0 when every page passes, 1 otherwise; the last line is `browser check: N passed, N failed`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** A chart screenshot with less than this share of pixels off the background is blank (axes and grid alone give several %). */
const MIN_INK = 0.01;
/** A pixel counts as ink when a channel differs from the background by more than this (anti-aliasing noise is below). */
const INK_DELTA = 24;

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Share of pixels that differ from the most common color (the background) by more than INK_DELTA. */
function inkFraction(buffer) {
  const png = PNG.sync.read(buffer);
  const { data, width, height } = png;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let bg = 0;
  let best = -1;
  for (const [key, n] of counts) if (n > best) [bg, best] = [key, n];
  const rgb = [(bg >> 16) & 255, (bg >> 8) & 255, bg & 255];
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - rgb[0]) > INK_DELTA || Math.abs(data[i + 1] - rgb[1]) > INK_DELTA || Math.abs(data[i + 2] - rgb[2]) > INK_DELTA) ink++;
  }
  return ink / (width * height);
}

/** One screenshot file per page: the page's path with separators flattened. */
const shotPath = (shotsDir, path) => join(shotsDir, `${path.replace(/^(\.\.[\\/])+/, '').replace(/[\\/]/g, '__')}.png`);

/** DOM facts of the loaded page (runs in the browser). */
function pageFacts() {
  const charts = [...document.querySelectorAll('figure.chart')].map((figure, index) => {
    const svg = figure.querySelector('svg');
    if (!svg) return { index, id: figure.id, svg: false, width: 0, height: 0, marks: 0 };
    const box = svg.getBoundingClientRect();
    // vega draws data as children of `.role-mark` groups (axes and legends have their own roles).
    const marks = [...svg.querySelectorAll('.role-mark > *')].filter((el) => {
      const b = el.getBBox();
      return b.width > 0 || b.height > 0;
    }).length;
    return { index, id: figure.id, svg: true, width: box.width, height: box.height, marks };
  });
  const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
  const images = [...document.querySelectorAll('img')].map((img) => ({ src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0 }));
  return { expected: Number(document.body.dataset.charts ?? 0), charts, links, images, textLength: document.body.innerText.trim().length };
}

/** Checks one page; its full-page screenshot goes to `shot`. */
async function checkPage(context, file, shot) {
  const problems = [];
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 30_000 });
    const facts = await page.evaluate(pageFacts);
    if (facts.charts.length < facts.expected) problems.push(`missing chart: ${facts.charts.length} of ${facts.expected} declared`);
    for (const c of facts.charts) {
      const name = c.id || `#${c.index}`;
      if (!c.svg) problems.push(`chart ${name}: no <svg>`);
      else if (!(c.width > 0 && c.height > 0)) problems.push(`chart ${name}: zero-size box ${c.width}×${c.height}`);
      else if (c.marks === 0) problems.push(`chart ${name}: no drawn marks`);
    }
    for (const href of facts.links) {
      if (/^[a-z]+:/i.test(href) || href.startsWith('#')) continue;
      if (!existsSync(resolve(dirname(file), decodeURIComponent(href.split('#')[0])))) problems.push(`broken link: ${href}`);
    }
    for (const img of facts.images) if (!img.ok) problems.push(`image not loaded: ${img.src}`);
    for (const c of facts.charts) {
      if (!(c.svg && c.width > 0 && c.height > 0)) continue; // already reported
      const svg = page.locator('figure.chart').nth(c.index).locator('svg').first();
      const ink = inkFraction(await svg.screenshot({ timeout: 10_000 }));
      if (ink < MIN_INK) problems.push(`chart ${c.id || `#${c.index}`}: blank screenshot (${(100 * ink).toFixed(2)} % ink)`);
    }
    mkdirSync(dirname(shot), { recursive: true });
    const full = await page.screenshot({ fullPage: true });
    writeFileSync(shot, full);
    if (inkFraction(full) === 0 || facts.textLength === 0) problems.push('page renders blank');
    return { file, problems, charts: facts.charts.length, shot };
  } catch (err) {
    problems.push(`could not check: ${err.message.split('\n')[0]}`);
    return { file, problems, charts: 0, shot: null };
  } finally {
    await page.close();
  }
}

async function withBrowser(fn) {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`browser check: chromium not found at ${executablePath} (apt-get install -y chromium, or set CHROMIUM)`);
    process.exit(2);
  }
  // A fresh profile per run (playwright adds --user-data-dir for a persistent context).
  const profile = mkdtempSync(join(tmpdir(), 'margincheck-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1500, height: 1000 },
  });
  try {
    return await fn(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function checkFolders(context, folders, shotsDir) {
  const results = [];
  for (const folder of folders) {
    if (!existsSync(folder)) {
      results.push({ file: folder, problems: ['folder not found'], charts: 0 });
      continue;
    }
    const files = htmlFiles(folder);
    if (files.length === 0) results.push({ file: folder, problems: ['no HTML reports in folder'], charts: 0 });
    for (const file of files) results.push(await checkPage(context, file, shotPath(shotsDir, relative(process.cwd(), file))));
  }
  return results;
}

const SVG_OK =
  '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="300" height="150" fill="white"/>' +
  '<g class="mark-group role-axis"><path d="M20,130h260" stroke="#888"/><path d="M20,10v120" stroke="#888"/></g>' +
  '<g class="mark-line role-mark"><path d="M20,120L100,60L180,80L280,20" stroke="#4c78a8" stroke-width="3" fill="none"/></g></svg>';
const SVG_BLANK = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="300" height="150" fill="white"/><g class="mark-line role-mark"></g></svg>';

function fixture(dir, name, { charts, body, declared = charts.length }) {
  const figures = charts.map((svg, i) => `<figure class="chart" id="c${i}">${svg}</figure>`).join('');
  writeFileSync(join(dir, `${name}.html`), `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${name}</title></head><body data-charts="${declared}"><h1>${name}</h1>${figures}${body ?? ''}</body></html>`);
}

/** Must-find: each broken page fails with the expected problem, the good page passes. */
async function selfTest(context, shotsDir) {
  const dir = mkdtempSync(join(tmpdir(), 'margincheck-browser-self-test-'));
  try {
    const cases = {
      good: { charts: [SVG_OK], want: null },
      'blank-chart': { charts: [SVG_BLANK], want: /no drawn marks/ },
      'hidden-chart': { charts: [SVG_OK.replace('<svg ', '<svg style="display:none" ')], want: /zero-size box/ },
      'white-chart': { charts: [SVG_OK.replace('stroke="#4c78a8"', 'stroke="white"').replace(/stroke="#888"/g, 'stroke="white"')], want: /blank screenshot/ },
      'missing-chart': { charts: [SVG_OK], declared: 2, want: /missing chart/ },
      'console-error': { charts: [SVG_OK], body: '<script>console.error("boom")</script>', want: /console error: boom/ },
      'missing-png': { charts: [SVG_OK], body: '<a href="nowhere.png">PNG</a>', want: /broken link: nowhere.png/ },
    };
    for (const [name, c] of Object.entries(cases)) fixture(dir, name, c);
    const failures = [];
    for (const [name, c] of Object.entries(cases)) {
      const { problems } = await checkPage(context, join(dir, `${name}.html`), shotPath(shotsDir, `self-test/${name}.html`));
      const ok = c.want === null ? problems.length === 0 : problems.some((p) => c.want.test(p));
      if (!ok) failures.push(`self-test ${name}: expected ${c.want ?? 'no problem'}, got [${problems.join('; ')}]`);
    }
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv) {
  let shotsDir = 'out/browser-check';
  let self = false;
  const folders = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--shots') shotsDir = argv[++i];
    else if (argv[i] === '--self-test') self = true;
    else if (argv[i].startsWith('-')) {
      console.error(`browser check: unknown option ${argv[i]}`);
      return 2;
    } else folders.push(argv[i]);
  }
  if (!self && folders.length === 0) {
    console.error('browser check: give at least one folder of HTML reports (or --self-test)');
    return 2;
  }
  return withBrowser(async (context) => {
    const t0 = performance.now();
    let failed = 0;
    let passed = 0;
    if (self) {
      const failures = await selfTest(context, shotsDir);
      for (const f of failures) console.log(`FAIL ${f}`);
      if (failures.length) failed++;
      else {
        passed++;
        console.log('ok   self-test: blank, missing and erroring pages are caught');
      }
    }
    for (const r of await checkFolders(context, folders, shotsDir)) {
      if (r.problems.length) {
        failed++;
        console.log(`FAIL ${r.file}: ${r.problems.join('; ')}`);
      } else {
        passed++;
        console.log(`ok   ${r.file}: ${r.charts} chart${r.charts === 1 ? '' : 's'}${r.shot ? ` (screenshot ${r.shot})` : ''}`);
      }
    }
    console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    console.log(`browser check: ${passed} passed, ${failed} failed`);
    return failed ? 1 : 0;
  });
}

process.exitCode = await main(process.argv.slice(2));
