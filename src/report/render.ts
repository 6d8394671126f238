/**
 * Server-side rendering: vega-lite compiles a spec to vega, vega draws it to an SVG string in Node
 * (renderer 'none' + toSVG: no browser, no canvas), resvg rasterizes the SVG to PNG with the chart
 * fonts loaded explicitly (fonts.ts). Warnings of both compilers are collected, not printed.
 */
import { Resvg } from '@resvg/resvg-js';
import { parse, version as vegaVersion, View, type LoggerInterface } from 'vega';
import { compile, version as vegaLiteVersion, type TopLevelSpec } from 'vega-lite';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chartFonts, FONT_FAMILY, type ChartFonts } from './fonts.js';
import { writeAtomic } from './write.js';

/** The renderer's package versions, for records and pages (a chart depends on them). */
export function rendererVersions(): Record<string, string> {
  const resvg = (createRequire(import.meta.url)('@resvg/resvg-js/package.json') as { version: string }).version;
  return { vega: vegaVersion, 'vega-lite': vegaLiteVersion, '@resvg/resvg-js': resvg };
}

export interface SvgChart {
  readonly svg: string;
  /** Warnings of vega-lite and vega (an empty list for a well-formed chart). */
  readonly warnings: readonly string[];
}

/** A logger that keeps warnings and turns errors into exceptions. */
function collectingLogger(warnings: string[]): LoggerInterface {
  let level = 2; // vega-util's Warn
  const logger: LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(`chart: ${args.map(String).join(' ')}`);
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** The vega-lite spec drawn as an SVG string with its text in `fontFamily` (no font file is read). */
export async function specToSvg(spec: TopLevelSpec, fontFamily: string = FONT_FAMILY): Promise<SvgChart> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const vg = compile(spec, { logger, config: { font: fontFamily } }).spec;
  const view = new View(parse(vg), { renderer: 'none', logger });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

/** Default PNG scale: 2 device pixels per SVG pixel (sharp text on high-density screens and in the README). */
export const PNG_SCALE = 2;

/** The SVG rasterized on white with only the chart fonts (no system font lookup). */
export function svgToPng(svg: string, fonts: ChartFonts = chartFonts(), scale = PNG_SCALE): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: false, fontFiles: [...fonts.files], defaultFontFamily: fonts.family, sansSerifFamily: fonts.family },
  });
  return resvg.render().asPng();
}

export interface WrittenChart extends SvgChart {
  readonly name: string;
  readonly svgPath: string;
  readonly pngPath: string;
}

/** Renders `spec` and writes `<dir>/<name>.svg` and `<dir>/<name>.png`, each atomically. */
export async function writeChart(dir: string, name: string, spec: TopLevelSpec, fonts: ChartFonts = chartFonts()): Promise<WrittenChart> {
  const chart = await specToSvg(spec, fonts.family);
  const png = svgToPng(chart.svg, fonts);
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  writeAtomic(svgPath, chart.svg);
  writeAtomic(pngPath, png);
  return { ...chart, name, svgPath, pngPath };
}
