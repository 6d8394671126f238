/** What a rendered chart holds, read from its SVG text. */

/** Line marks drawn with at least one segment: vega `mark-line role-mark` groups whose path has an L command. */
export const drawnLines = (svg: string): number =>
  [...svg.matchAll(/<g class="mark-line role-mark[^>]*>([\s\S]*?)<\/g>/g)].filter((m) => /\bd="M[^"]*L/.test(m[1])).length;

/** The inline SVG of the page's chart figure with this id, or null. */
export const figureSvg = (html: string, id: string): string | null =>
  new RegExp(`<figure class="chart" id="${id}">(<svg[\\s\\S]*?</svg>)`).exec(html)?.[1] ?? null;
