/**
 * Draws a {@link TimelineSeries} as a figure: one strip per device (its name above the strip, its id
 * at the right), a shared UTC time axis at the bottom, bytes per bin up each strip. Made with
 * vega-lite → vega (headless: no browser, no canvas) → SVG, then resvg → PNG with the font files of
 * {@link plotFont} and no system fonts, so the same series gives the same bytes on any machine.
 *
 * The byte axis is symlog (log of 1 + bytes), shared by all strips: a heartbeat of ~10² B per bin and
 * a burst of ~10⁶ B differ by 10⁴, which a linear or square-root axis flattens into a hairline (on a
 * sqrt axis 100 B is 1% of 1 MB); a plain log axis cannot draw the empty bins (log 0). Symlog puts 0
 * on the baseline, gives each decade the same height, and keeps strips comparable.
 *
 * Names that came off the wire are untrusted: control and bidi characters are shown as `\xNN` /
 * `\u{NNNN}`, characters XML cannot hold are replaced, long names end in `…`, and the text reaches
 * the SVG only as data (escaped by vega's SVG writer), never inside a vega expression.
 *
 * vega and vega-lite are loaded on first use (they take ~0.3 s to import).
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotFont } from './fonts.js';
import { DEFAULT_LABEL_CHARS, plotLabel } from './plot-label.js';
import { vegaLiteToSvg } from './vega-render.js';

export { plotLabel };
import { binStartMs } from '../observe/timeline-series.js';
import type { TimelineSeries } from '../observe/timeline-series.js';

export interface TimelinePlotOptions {
  format: 'svg' | 'png';
  /** Width of the whole figure in px (default {@link DEFAULT_WIDTH_PX}). */
  width?: number;
  /** The figure's title (default "Traffic per device"); untrusted text is made safe. */
  title?: string;
}

export const DEFAULT_WIDTH_PX = 1000;
export const MIN_WIDTH_PX = 400;
export const MAX_WIDTH_PX = 10_000;
const ROW_HEIGHT_PX = 52;
/** Space between strips; the next strip's name is written in it. */
const ROW_GAP_PX = 24;
/** First guess of what the y axis, its title and the padding take beside the strips (measured: 89). */
const GUESS_SIDES_PX = 89;
/** vega measures text without a canvas as 0.8 em per character (an overestimate for DejaVu Sans). */
const VEGA_EM_PER_CHAR = 0.8;
const SUBTITLE_FONT_PX = 11;
const MAX_TITLE_CHARS = 90;
const MAX_LABEL_CHARS = DEFAULT_LABEL_CHARS;
const LABEL_FONT_PX = 12;
const ID_FONT_PX = 10;
/** Room kept between a strip's name and its id. */
const LABEL_GAP_PX = 16;
const AREA_COLOR = '#9dbbdc';
const LINE_COLOR = '#1f4e82';
const MUTED_COLOR = '#666666';
const DEFAULT_TITLE = 'Traffic per device';

/** A bin width in the largest unit that keeps it whole: `5 min`, `10 s`, `2 h`, `1 d`, `20 ms`. */
export function binWidthText(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
    [0.001, 'ms'],
  ];
  for (const [size, name] of units) {
    const n = seconds / size;
    if (n >= 1 && Math.abs(n - Math.round(n)) < 1e-9) return `${Math.round(n)} ${name}`;
  }
  return `${Number((seconds * 1000).toPrecision(6))} ms`;
}

const BYTE_UNITS: [number, string][] = [
  [1e12, 'TB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'kB'],
];

/** The vega expression that writes a power of ten of bytes as `1 B`, `100 kB`, `10 MB`. */
const BYTE_TICK_EXPR =
  BYTE_UNITS.map(([size, unit]) => `datum.value >= ${size} ? format(datum.value / ${size}, '~g') + ' ${unit}' : `).join('') +
  `format(datum.value, '~g') + ' B'`;

/** Powers of ten for the byte axis, from the top down, at most three (a strip is short), always the top. */
function byteTicks(top: number): number[] {
  const k = Math.round(Math.log10(top));
  const step = Math.max(1, Math.ceil(k / 2));
  const ticks: number[] = [];
  for (let e = k; e >= 0; e -= step) ticks.push(10 ** e);
  return ticks;
}

/** d3 time formats for the time axis: a date at midnight, a time of day otherwise, finer for short spans. */
function timeFormats(spanMs: number): { date: string; time: string } {
  const DAY_MS = 86_400_000;
  const date = spanMs > 400 * DAY_MS ? '%b %Y' : spanMs > 40 * DAY_MS ? '%d %b' : '%a %d %b';
  const time = spanMs >= 600_000 ? '%H:%M' : spanMs >= 10_000 ? '%H:%M:%S' : '%H:%M:%S.%L';
  return { date, time };
}

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** The vega-lite spec of the figure with strips `cellWidthPx` wide (exported for tests). */
export function timelineVegaLiteSpec(series: TimelineSeries, options: { cellWidthPx: number; title?: string }): TopLevelSpec {
  const font = plotFont();
  const bins = series.rows.reduce((m, r) => Math.max(m, r.bytes.length), 0);
  const title = plotLabel(options.title ?? DEFAULT_TITLE, MAX_TITLE_CHARS);
  const config = {
    font: font.cssFamily,
    background: 'white',
    view: { stroke: '#d0d0d0', fill: '#fafafa' },
    axis: { labelFontSize: 10, titleFontSize: 11, labelColor: '#333333', titleColor: '#222222', gridColor: '#e6e6e6' },
    title: {
      anchor: 'start' as const,
      fontSize: 15,
      subtitleFontSize: SUBTITLE_FONT_PX,
      subtitleColor: '#444444',
      offset: 14,
      limit: options.cellWidthPx,
    },
  };
  if (series.rows.length === 0 || bins === 0) {
    return {
      title: { text: title, subtitle: series.rows.length === 0 ? 'no devices' : 'no traffic' },
      width: options.cellWidthPx,
      height: ROW_HEIGHT_PX,
      data: { values: [{}] },
      mark: { type: 'text', text: 'nothing to draw', color: MUTED_COLOR },
      config,
    };
  }

  const startMs = binStartMs(series, 0);
  const endMs = binStartMs(series, bins);
  const binText = binWidthText(series.binSeconds);
  const maxBytes = series.rows.reduce((m, r) => r.bytes.reduce((a, b) => Math.max(a, b), m), 0);
  const top = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(1, maxBytes))));
  const formats = timeFormats(endMs - startMs);

  const values: Record<string, string | number>[] = [];
  series.rows.forEach((row, r) => {
    const id = plotLabel(row.id, 40);
    const named = row.label !== '' && row.label !== row.id;
    const idChars = named ? Array.from(id).length : 0;
    // Sized as vega measures text (it lays the figure out with that measure), so a name never widens it.
    const labelRoomPx = options.cellWidthPx - idChars * VEGA_EM_PER_CHAR * ID_FONT_PX - LABEL_GAP_PX;
    const labelChars = Math.min(MAX_LABEL_CHARS, Math.floor(labelRoomPx / (VEGA_EM_PER_CHAR * LABEL_FONT_PX)));
    values.push({ kind: 'head', row: r, label: named ? plotLabel(row.label, labelChars) : id, id: named ? id : '' });
    // Step-after points where the value changes, and one at the end so the last bin has its width.
    let previous = -1;
    for (let i = 0; i < row.bytes.length; i++) {
      if (row.bytes[i] !== previous) values.push({ kind: 'bin', row: r, t: binStartMs(series, i), bytes: row.bytes[i] });
      previous = row.bytes[i];
    }
    values.push({ kind: 'bin', row: r, t: binStartMs(series, row.bytes.length), bytes: Math.max(0, previous) });
  });

  const devices = series.rows.length === 1 ? '1 device' : `${series.rows.length} devices`;
  const what = `${devices} · bytes per ${binText} bin, log scale`;
  const when = `${isoMinute(startMs)} to ${isoMinute(endMs)} UTC`;
  const oneLine = `${what} · ${when}`;
  const fits = oneLine.length * VEGA_EM_PER_CHAR * SUBTITLE_FONT_PX <= options.cellWidthPx;
  return {
    title: { text: title, subtitle: fits ? oneLine : [what, when] },
    data: { values },
    facet: {
      row: {
        field: 'row',
        type: 'ordinal',
        title: `bytes per ${binText}`,
        header: { labels: false, titleFontSize: 11, titleFontWeight: 'normal', titleColor: '#222222', titlePadding: 4 },
      },
    },
    spacing: ROW_GAP_PX,
    spec: {
      width: options.cellWidthPx,
      height: ROW_HEIGHT_PX,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'bin'" }],
          mark: { type: 'area', interpolate: 'step-after', color: AREA_COLOR, line: { color: LINE_COLOR, strokeWidth: 1 } },
          encoding: {
            x: {
              field: 't',
              type: 'temporal',
              scale: { type: 'utc', domain: [startMs, endMs], nice: false },
              axis: {
                title: `time (UTC), bins of ${binText}`,
                labelExpr: `utcFormat(datum.value, '%H:%M:%S.%L') === '00:00:00.000' ? utcFormat(datum.value, '${formats.date}') : utcFormat(datum.value, '${formats.time}')`,
                labelFlush: true,
                labelOverlap: true,
                tickCount: Math.max(4, Math.round(options.cellWidthPx / 110)),
              },
            },
            y: {
              field: 'bytes',
              type: 'quantitative',
              scale: { type: 'symlog', domain: [0, top], nice: false },
              stack: null,
              axis: { title: null, values: byteTicks(top), labelExpr: BYTE_TICK_EXPR, minExtent: 44, maxExtent: 44, tickCount: 3 },
            },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'head'" }],
          mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -4, fontSize: LABEL_FONT_PX, fontWeight: 'bold', color: '#111111' },
          encoding: { x: { value: 0 }, y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
        },
        {
          transform: [{ filter: "datum.kind === 'head'" }],
          mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -4, fontSize: ID_FONT_PX, color: MUTED_COLOR },
          encoding: { x: { value: options.cellWidthPx }, y: { value: 0 }, text: { field: 'id', type: 'nominal' } },
        },
      ],
    },
    config,
  };
}

const SVG_WIDTH = /^<svg[^>]*?\swidth="([\d.]+)"/;

async function toSvg(spec: TopLevelSpec): Promise<{ svg: string; widthPx: number }> {
  const svg = await vegaLiteToSvg(spec);
  const m = SVG_WIDTH.exec(svg);
  if (m === null) throw new Error('Cannot draw a plot: vega wrote an SVG without a width');
  return { svg, widthPx: Number(m[1]) };
}

/**
 * Renders the series as an SVG document (a string) or a PNG (bytes) `width` px wide.
 *
 * @example
 * const png = await renderTimeline(series, { format: 'png', title: 'home.pcap' });
 */
export async function renderTimeline(series: TimelineSeries, options: TimelinePlotOptions & { format: 'svg' }): Promise<string>;
export async function renderTimeline(series: TimelineSeries, options: TimelinePlotOptions & { format: 'png' }): Promise<Uint8Array>;
export async function renderTimeline(series: TimelineSeries, options: TimelinePlotOptions): Promise<Uint8Array | string>;
export async function renderTimeline(series: TimelineSeries, options: TimelinePlotOptions): Promise<Uint8Array | string> {
  const width = options.width ?? DEFAULT_WIDTH_PX;
  if (!Number.isInteger(width) || width < MIN_WIDTH_PX || width > MAX_WIDTH_PX) {
    throw new RangeError(`Cannot draw a plot ${width} px wide: the width must be a whole number from ${MIN_WIDTH_PX} to ${MAX_WIDTH_PX}`);
  }
  // The space left of the strips depends on vega's layout: draw, measure, and correct once or twice.
  let cellWidthPx = width - GUESS_SIDES_PX;
  let drawn = await toSvg(timelineVegaLiteSpec(series, { cellWidthPx, title: options.title }));
  for (let tries = 0; tries < 2 && drawn.widthPx !== width; tries++) {
    cellWidthPx += width - drawn.widthPx;
    drawn = await toSvg(timelineVegaLiteSpec(series, { cellWidthPx, title: options.title }));
  }
  if (options.format === 'svg') return drawn.svg;

  const { Resvg } = await import('@resvg/resvg-js');
  const font = plotFont();
  const resvg = new Resvg(drawn.svg, {
    background: 'white',
    fitTo: { mode: 'width', value: width },
    font: { fontFiles: [...font.files], loadSystemFonts: false, defaultFontFamily: font.family, sansSerifFamily: font.family },
  });
  return new Uint8Array(resvg.render().asPng());
}
