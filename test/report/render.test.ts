/**
 * PNG rendering through resvg with the chart fonts loaded explicitly: the image has the SVG's size
 * times the scale, is not blank, and its text is drawn — shown against the same SVG rendered with no
 * font, where resvg silently drops every glyph (the failure the explicit loading prevents).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { comparisonChart } from '../../src/report/charts.js';
import { chartFonts, DEFAULT_FONT_DIR, FONT_FAMILY } from '../../src/report/fonts.js';
import { PNG_SCALE, specToSvg, svgToPng } from '../../src/report/render.js';
import { trajectorySeries } from '../../src/report/series.js';
import { syntheticCheckpoints } from '../support/checkpoints.js';

/** Pixels darker than near-white in any channel (anti-aliasing of a white background stays above). */
function inked(png: Buffer): { width: number; height: number; ink: number } {
  const { data, width, height } = PNG.sync.read(png);
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.min(data[i], data[i + 1], data[i + 2]) < 230) ink++;
  return { width, height, ink };
}

const NO_FONTS = { family: FONT_FAMILY, files: [] };

describe('svgToPng', () => {
  let svg: string;
  beforeAll(async () => {
    // One small panel with titles, axes, a legend and two lines.
    const runs = ['GD', 'sign descent'].map((name) => ({ name, series: trajectorySeries(name, syntheticCheckpoints()) }));
    ({ svg } = await specToSvg(comparisonChart(runs, { norms: ['l2'] })));
  });

  it('is the SVG at PNG_SCALE, and not blank', () => {
    const [, w, h] = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    const png = inked(svgToPng(svg));
    expect([png.width, png.height]).toEqual([w * PNG_SCALE, h * PNG_SCALE]);
    // Lines, axes, grid and labels: well above 1 % of the image.
    expect(png.ink / (png.width * png.height)).toBeGreaterThan(0.01);
  });

  it('draws text with the loaded fonts (and none without them)', () => {
    const text = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40"><text x="4" y="28" font-family="${FONT_FAMILY}" font-size="20">γ̃₁ ‖θ‖ ℒ Δq ∞</text></svg>`;
    expect(inked(svgToPng(text)).ink).toBeGreaterThan(200);
    expect(inked(svgToPng(text, NO_FONTS)).ink).toBe(0);
    // In the chart, the text's share of the ink is what the no-font render loses.
    expect(inked(svgToPng(svg, undefined, 1)).ink - inked(svgToPng(svg, NO_FONTS, 1)).ink).toBeGreaterThan(1000);
  });
});

describe('chartFonts', () => {
  const saved = process.env.MARGINCHECK_FONT_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.MARGINCHECK_FONT_DIR;
    else process.env.MARGINCHECK_FONT_DIR = saved;
  });

  it('finds DejaVu Sans in the default folder', () => {
    const fonts = chartFonts();
    expect(fonts.family).toBe(FONT_FAMILY);
    expect(fonts.files.every((f) => f.startsWith(saved ?? DEFAULT_FONT_DIR))).toBe(true);
  });

  it('a folder without the fonts is one InputError line naming the missing file', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-fonts-'));
    expect(() => chartFonts(empty)).toThrow(InputError);
    expect(() => chartFonts(empty)).toThrow(new RegExp(`^font file "${empty}/DejaVuSans.ttf": not found \\(install .*fonts-dejavu-core`));
    process.env.MARGINCHECK_FONT_DIR = empty;
    expect(() => chartFonts()).toThrow(/not found/);
  });
});
