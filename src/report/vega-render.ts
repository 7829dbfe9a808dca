/**
 * vega-lite spec → vega (headless: no browser, no canvas) → SVG, and SVG → PNG with resvg and the
 * font files of {@link plotFont} only (no system fonts), so the same spec gives the same bytes on any
 * machine. Every figure (timeline-plot.ts, confusion-plot.ts, prediction-chart.ts) draws through here.
 *
 * Untrusted text must reach a spec only as data values (vega's SVG writer escapes them) and be made
 * readable first with {@link plotLabel}; never put it in a vega expression, a sort list or a scale
 * domain (vega-lite turns those into expressions).
 *
 * vega and vega-lite are loaded on first use (they take ~0.3 s to import).
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotFont } from './fonts.js';
import { plotLabel } from './plot-label.js';

interface VegaModules {
  vl: typeof import('vega-lite');
  vega: typeof import('vega');
}

let modules: Promise<VegaModules> | undefined;

function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega-lite'), import('vega')]).then(([vl, vega]) => ({ vl, vega }));
  return modules;
}

/** The SVG of a vega-lite spec; vega-lite's warnings are dropped (errors still throw). */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const { vl, vega } = await loadVega();
  const compiled = vl.compile(spec, { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return stableDefIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

const TAG = /<[^>]*>/g;
const DEF_ID = /(id="|url\(#)(p_)?(gradient_|clip)(\d+)(?=[")])/g;

/**
 * vega numbers gradients (`gradient_N`) and clip paths (`clipN`) with counters that live as long as
 * the process, so the second drawing of a figure would name its legend gradient differently from the
 * first. Renumbers them in order of first appearance, inside tags only (text content is left alone;
 * vega escapes `<` and `>` in attributes, so a tag ends at the first `>`).
 */
export function stableDefIds(svg: string): string {
  const ids = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(TAG, (tag) =>
    tag.replace(DEF_ID, (_, lead: string, pattern: string | undefined, kind: string, n: string) => {
      const key = kind + n;
      let id = ids.get(key);
      if (id === undefined) {
        const k = counts.get(kind) ?? 0;
        counts.set(kind, k + 1);
        ids.set(key, (id = kind + String(kind === 'clip' ? k + 1 : k)));
      }
      return lead + (pattern ?? '') + id;
    }),
  );
}

/** A PNG of an SVG, `scale` device pixels per SVG pixel, drawn with the plot font only. */
export async function svgToPng(svg: string, scale: number): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const font = plotFont();
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: [...font.files], loadSystemFonts: false, defaultFontFamily: font.family, sansSerifFamily: font.family },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Device pixels per SVG pixel in PNGs: 2 keeps 10 px text crisp on a screen. */
export const DEFAULT_PNG_SCALE = 2;
const MAX_PNG_SCALE = 8;

/** The figure as SVG text or PNG bytes. */
export async function renderVegaLite(spec: TopLevelSpec, format: 'svg' | 'png', scale: number = DEFAULT_PNG_SCALE): Promise<string | Uint8Array> {
  if (!(scale > 0 && scale <= MAX_PNG_SCALE)) throw new RangeError(`Cannot draw a plot at scale ${scale}: the scale must be above 0 and at most ${MAX_PNG_SCALE}`);
  const svg = await vegaLiteToSvg(spec);
  return format === 'svg' ? svg : svgToPng(svg, scale);
}

/**
 * Untrusted names made safe ({@link plotLabel}) and distinct, so an axis gives each its own place:
 * a name that repeats an earlier one gets ` (2)`, ` (3)`, … (empty names become `(empty)`).
 */
export function distinctLabels(names: readonly string[], maxChars: number): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    const base = name === '' ? '(empty)' : plotLabel(name, maxChars);
    let label = base;
    for (let n = 2; seen.has(label); n++) label = `${base} (${n})`;
    seen.add(label);
    return label;
  });
}

/** The plot font as CSS and the shared look of the evaluation figures. */
export function evaluationConfig(): Record<string, unknown> {
  return {
    font: plotFont().cssFamily,
    background: 'white',
    padding: 12,
    view: { stroke: null },
    axis: { labelFontSize: 12, titleFontSize: 13, labelColor: '#222222', titleColor: '#111111', titlePadding: 10 },
    legend: { labelFontSize: 12, titleFontSize: 12, titleColor: '#111111', labelColor: '#222222' },
    title: { anchor: 'start', fontSize: 16, subtitleFontSize: 12, subtitleColor: '#444444', offset: 12 },
  };
}
