/** The HTML stage: a self-contained page embedding its charts inline, the folder index, atomic writes. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { comparisonChart } from '../../src/report/charts.js';
import { indexEntries, renderPage, scopeSvgIds, writeIndex, writePage, type ReportPage } from '../../src/report/html.js';
import { specToSvg } from '../../src/report/render.js';
import { recordJson, writeReport } from '../../src/report/report.js';
import { trajectorySeries } from '../../src/report/series.js';
import { writeAtomic } from '../../src/report/write.js';
import { syntheticCheckpoints } from '../support/checkpoints.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `margincheck-${prefix}-`));
const runs = ['GD', 'Adam'].map((name) => ({ name, series: trajectorySeries(name, syntheticCheckpoints()) }));
const spec = comparisonChart(runs, { norms: ['l2'] });

describe('renderPage', () => {
  let svg: string;
  beforeAll(async () => {
    ({ svg } = await specToSvg(spec));
  });
  const page = (s: string): ReportPage => ({
    title: 'Run <1> & "two"',
    summary: 'holds: D = 0',
    facts: [['seed', '7']],
    record: 'run.json',
    sections: [
      {
        heading: 'Charts',
        blocks: [
          { kind: 'chart', chart: { name: 'a', title: 'first', svg: s, png: 'run-a.png' } },
          { kind: 'text', text: 'between <charts>' },
          { kind: 'chart', chart: { name: 'b', title: 'second', svg: s } },
          { kind: 'table', header: ['verdict'], rows: [[{ text: 'violated', color: '#c62828', href: 'run-b.html' }]] },
        ],
      },
    ],
  });

  it('embeds every chart as inline SVG, declares their number and links the PNG and the record', () => {
    const html = renderPage(page(svg));
    expect(html.match(/<svg\b/g)).toHaveLength(2);
    expect(html).toContain('data-charts="2"');
    expect(html).toMatch(/<figure class="chart" id="a"><svg role="img" aria-label="first"/);
    expect(html).toContain('<a href="run-a.png">PNG</a>');
    expect(html).toContain('<a href="run.json">run.json</a>');
    // Self-contained: no script, no stylesheet or image fetched.
    expect(html).not.toMatch(/<script|<link|<img|src=/);
    // Escaped text; the SVG's own text (the run names) is inside the page.
    expect(html).toContain('<title>Run &lt;1&gt; &amp; &quot;two&quot;</title>');
    expect(html).toContain('<p>between &lt;charts&gt;</p>');
    expect(html).toContain('<td style="color:#c62828;font-weight:bold"><a href="run-b.html">violated</a></td>');
    expect(html).toContain('>Adam</text>');
  });

  it('refuses two charts with one name', () => {
    const p = page(svg);
    const dup = { ...p, sections: [{ heading: 'x', blocks: [p.sections[0].blocks[0], p.sections[0].blocks[0]] }] };
    expect(() => renderPage(dup)).toThrow(/chart name "a" used twice/);
  });

  it('scopes SVG ids so that inline charts never resolve each other’s references', () => {
    const clipped = '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"></g></svg>';
    expect(scopeSvgIds(clipped, 'a')).toBe('<svg><defs><clipPath id="a-clip1"><rect/></clipPath></defs><g clip-path="url(#a-clip1)"></g></svg>');
  });
});

describe('index', () => {
  it('lists the pages and subfolder indexes by name, with their titles and summaries', () => {
    const dir = tmp('index');
    const plain = (title: string, summary: string): ReportPage => ({ title, summary, sections: [] });
    writePage(join(dir, 'b-run.html'), plain('Run B', 'violated: D = 0.17 > τ'));
    writePage(join(dir, 'a-run.html'), plain('Run <A>', 'holds'));
    mkdirSync(join(dir, 'mnist-2v7'));
    writePage(join(dir, 'mnist-2v7', 'index.html'), plain('MNIST 2 vs 7', 'five optimizers'));
    writeFileSync(join(dir, 'other.html'), '<html><body>hand-made</body></html>');
    expect(indexEntries(dir)).toEqual([
      { href: 'a-run.html', title: 'Run <A>', summary: 'holds' },
      { href: 'b-run.html', title: 'Run B', summary: 'violated: D = 0.17 > τ' },
      { href: 'mnist-2v7/index.html', title: 'MNIST 2 vs 7', summary: 'five optimizers' },
      { href: 'other.html', title: 'other.html', summary: '' },
    ]);
    const index = readFileSync(writeIndex(dir), 'utf8');
    expect(index).toContain('<a href="mnist-2v7/index.html">MNIST 2 vs 7</a>');
    expect(index).toContain('4 reports in this folder');
    // Rewriting the index does not list the index itself.
    expect(indexEntries(dir)).toHaveLength(4);
  });
});

describe('writeAtomic', () => {
  it('writes text and bytes, replaces the old file and leaves no temp file', () => {
    const dir = tmp('atomic');
    const path = join(dir, 'deep', 'r.png');
    writeAtomic(path, 'old');
    writeAtomic(path, new Uint8Array([137, 80, 78, 71]));
    expect([...readFileSync(path)]).toEqual([137, 80, 78, 71]);
    expect(readdirSync(join(dir, 'deep'))).toEqual(['r.png']);
  });

  it('an unwritable folder is one InputError line, and nothing is left behind', () => {
    const dir = tmp('blocked');
    writeFileSync(join(dir, 'file'), 'x');
    const attempt = () => writeAtomic(join(dir, 'file', 'r.html'), '<html>');
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/^report path ".*file\/r.html": cannot write \((ENOTDIR|EEXIST)\)$/);
    expect(readdirSync(dir)).toEqual(['file']);
  });
});

describe('writeReport', () => {
  it('writes the charts (SVG + PNG), the record, the page embedding the charts, and the index', async () => {
    const dir = tmp('report');
    const written = await writeReport(
      dir,
      'cmp',
      {
        title: 'Comparison',
        summary: '2 runs',
        sections: [{ heading: 'Margins', blocks: [{ kind: 'chart', name: 'gamma', title: 'γ₂ per run', spec }, { kind: 'text', text: 'done' }] }],
      },
      { theta: new Float64Array([1, -2]), logFlowTime: -Infinity, gap: NaN },
    );
    expect(readdirSync(dir).sort()).toEqual(['cmp-gamma.png', 'cmp-gamma.svg', 'cmp.html', 'cmp.json', 'index.html']);
    const html = readFileSync(written.html, 'utf8');
    expect(html).toContain(readFileSync(join(dir, 'cmp-gamma.svg'), 'utf8').replace(/^<svg\b/, '<svg role="img" aria-label="γ₂ per run"'));
    expect(html).toContain('href="cmp-gamma.png"');
    expect(html).toMatch(/<td>charts rendered by<\/td><td>vega 6\.[\d.]+, vega-lite 6\.4\.[\d]+, @resvg\/resvg-js 2\.[\d.]+<\/td>/);
    expect(readFileSync(join(dir, 'cmp-gamma.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(JSON.parse(readFileSync(written.json!, 'utf8'))).toEqual({ theta: [1, -2], logFlowTime: '-Infinity', gap: 'NaN' });
    expect(readFileSync(written.index, 'utf8')).toContain('<a href="cmp.html">Comparison</a>');
    expect(existsSync(join(dir, 'cmp.html'))).toBe(true);
  });

  it('recordJson keeps non-finite numbers and typed arrays as data', () => {
    expect(JSON.parse(recordJson({ a: Infinity, b: [NaN, 1], c: new Float64Array([0.5]) }))).toEqual({ a: 'Infinity', b: ['NaN', 1], c: [0.5] });
  });
});
