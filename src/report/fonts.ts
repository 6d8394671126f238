/**
 * The fonts charts are drawn with. resvg draws only glyphs it has been given (it loads no system
 * font here), so the files are named explicitly and checked up front: a missing file is one clear
 * line, never a PNG whose text silently vanished. DejaVu Sans covers every symbol the charts print
 * (γ, θ, ‖, ℒ, ∞, Δ, τ, subscript digits, the combining tilde of γ̃).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

/** Debian's fonts-dejavu-core location; MARGINCHECK_FONT_DIR overrides it. */
export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';
/** Regular for labels, bold for titles (vega-lite's default title weight). */
export const FONT_FILES: readonly string[] = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
export const FONT_FAMILY = 'DejaVu Sans';

export interface ChartFonts {
  readonly family: string;
  readonly files: readonly string[];
}

/** The chart fonts under `dir`; an InputError naming the first missing file. */
export function chartFonts(dir: string = process.env.MARGINCHECK_FONT_DIR ?? DEFAULT_FONT_DIR): ChartFonts {
  const files = FONT_FILES.map((f) => join(dir, f));
  const missing = files.find((f) => !existsSync(f));
  if (missing) {
    throw new InputError(
      `font file ${JSON.stringify(missing)}: not found (install Debian's fonts-dejavu-core, or set MARGINCHECK_FONT_DIR to a folder with ${FONT_FILES.join(', ')})`,
    );
  }
  return { family: FONT_FAMILY, files };
}
