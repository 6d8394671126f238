/**
 * One report on disk: every chart as SVG + PNG, the JSON record, the HTML page with the charts
 * inline, and the folder's index.html — each file written atomically, the page after its charts and
 * record, so an interrupted run never leaves a page pointing at files that are not there.
 */
import type { TopLevelSpec } from 'vega-lite';
import { join } from 'node:path';
import { chartFonts, type ChartFonts } from './fonts.js';
import { assertUniqueCharts, writeIndex, writePage, type PageBlock, type PageSection } from './html.js';
import { rendererVersions, writeChart, type WrittenChart } from './render.js';
import { writeAtomic } from './write.js';

export interface ChartBlock {
  readonly kind: 'chart';
  /** Unique within the report; the files are `<base>-<name>.svg|png`. */
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
  readonly caption?: string;
}

export type ReportBlock = Exclude<PageBlock, { kind: 'chart' }> | ChartBlock;

export interface ReportSpec {
  readonly title: string;
  readonly summary: string;
  readonly facts?: readonly (readonly [string, string])[];
  readonly sections: readonly { readonly heading: string; readonly blocks: readonly ReportBlock[] }[];
}

export interface WrittenReport {
  readonly html: string;
  readonly json: string | null;
  readonly index: string;
  readonly charts: readonly WrittenChart[];
}

/** JSON with typed arrays as arrays and ±Infinity/NaN kept as strings (JSON.stringify would write null). */
export function recordJson(record: unknown): string {
  return JSON.stringify(
    record,
    (_key, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      return v;
    },
    2,
  );
}

/** Writes `<dir>/<base>.html` (+ charts, + `<base>.json` when a record is given) and refreshes `<dir>/index.html`. */
export async function writeReport(dir: string, base: string, spec: ReportSpec, record?: unknown, fonts: ChartFonts = chartFonts()): Promise<WrittenReport> {
  assertUniqueCharts(spec.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'chart' ? [b.name] : []))));
  const charts: WrittenChart[] = [];
  const sections: PageSection[] = [];
  for (const section of spec.sections) {
    const blocks: PageBlock[] = [];
    for (const b of section.blocks) {
      if (b.kind !== 'chart') {
        blocks.push(b);
        continue;
      }
      const written = await writeChart(dir, `${base}-${b.name}`, b.spec, fonts);
      charts.push(written);
      blocks.push({ kind: 'chart', chart: { name: b.name, title: b.title, svg: written.svg, png: `${base}-${b.name}.png`, caption: b.caption } });
    }
    sections.push({ heading: section.heading, blocks });
  }
  const json = record === undefined ? null : join(dir, `${base}.json`);
  if (json) writeAtomic(json, recordJson(record));
  const html = join(dir, `${base}.html`);
  const rendered: [string, string][] = charts.length
    ? [['charts rendered by', Object.entries(rendererVersions()).map(([name, v]) => `${name} ${v}`).join(', ')]]
    : [];
  writePage(html, { title: spec.title, summary: spec.summary, facts: [...(spec.facts ?? []), ...rendered], sections, record: json ? `${base}.json` : undefined });
  return { html, json, index: writeIndex(dir), charts };
}
