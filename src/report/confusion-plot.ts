/**
 * Draws a confusion matrix as scikit-learn's ConfusionMatrixDisplay does: true classes down the left
 * side (first at the top), predicted classes along the bottom, one square per pair shaded by its
 * count (or by its fraction of the true class's rows, `normalised`), the number written in each
 * square in white on dark squares and black on light ones, and a colour legend at the right.
 *
 * Class names are untrusted (a model file may name its classes): they reach the SVG only as data,
 * made safe by {@link distinctLabels}; the title goes through {@link plotLabel}. A row whose class
 * never occurs in the truth has no fractions: its squares show `–`.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ClassificationReport } from '../evaluate/metrics.js';
import { plotLabel } from './timeline-plot.js';
import { distinctLabels, evaluationConfig, renderVegaLite } from './vega-render.js';

export interface ConfusionPlotOptions {
  normalised: boolean;
  format: 'svg' | 'png';
  /** The figure's title; untrusted text is made safe. */
  title: string;
  /** PNG device pixels per SVG pixel (default 2). */
  scale?: number;
}

const CELL_PX = 64;
const MAX_CLASS_CHARS = 28;
const MAX_TITLE_CHARS = 80;
const CELL_FONT_PX = 14;
/** Fractions that 2 decimals round to 0.00 are written `<0.01`, so a square with samples never reads as empty. */
const ROUNDS_TO_ZERO_BELOW = 0.005;
/** Squares darker than this share of the colour scale get white text (the `blues` scheme darkens past it). */
const DARK_FROM = 0.5;
const INK_ON_DARK = '#ffffff';
const INK_ON_LIGHT = '#111111';
const INK_EMPTY = '#888888';
const INK_ZERO = '#555555';
/** Labels longer than this (in characters) slant on the predicted axis so neighbours do not collide. */
const SLANT_PAST_CHARS = 7;
const LABEL_FONT_PX = 12;
const SLANT_DEG = 35;
/**
 * Width of a label character as a share of the font size, for axis extents: DejaVu Sans averages
 * ~0.55 em on class names; vega without a canvas guesses 0.8 em and leaves a wide gap before the
 * axis title. A wider label (CJK) overlaps its axis title a little; it is never clipped.
 */
const LABEL_EM_PER_CHAR = 0.65;

/** A fraction in a square: `0` only when nothing, `<0.01` when something rounds to nothing, else 2 decimals. */
export function fractionText(x: number): string {
  if (x === 0) return '0';
  return x < ROUNDS_TO_ZERO_BELOW ? '<0.01' : x.toFixed(2);
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

/**
 * Whole-number legend values from 0 in steps of 1, 2 or 5 × 10^k (at most five steps), and `max`
 * itself when it lies more than half a step past the last one (their labels would crowd).
 */
export function countTicks(max: number): number[] {
  const rough = Math.max(1, max / 5);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  if (max - ticks[ticks.length - 1] > step / 2) ticks.push(max);
  return ticks;
}

/** The vega-lite spec of the figure (exported for tests). */
export function confusionVegaLiteSpec(report: ClassificationReport, options: { normalised: boolean; title: string }): TopLevelSpec {
  const labels = distinctLabels(report.classes, MAX_CLASS_CHARS);
  const matrix = options.normalised ? report.normalised : report.confusion;
  const max = options.normalised ? 1 : Math.max(1, ...report.confusion.flat());
  const values: Record<string, string | number>[] = [];
  let emptyRows = 0;
  matrix.forEach((row, t) => {
    const noRows = options.normalised && report.perClass[t].support === 0;
    if (noRows) emptyRows++;
    row.forEach((v, p) => {
      values.push({
        truth: labels[t],
        predicted: labels[p],
        ti: t,
        pi: p,
        value: v,
        text: noRows ? '–' : options.normalised ? fractionText(v) : String(v),
        ink: noRows ? INK_EMPTY : v / max > DARK_FROM ? INK_ON_DARK : v === 0 ? INK_ZERO : INK_ON_LIGHT,
      });
    });
  });
  const n = report.classes.length;
  const sizePx = n * CELL_PX;
  const longest = Math.max(...labels.map((l) => Array.from(l).length));
  const slant = longest > SLANT_PAST_CHARS;
  const labelPx = Math.ceil(longest * LABEL_EM_PER_CHAR * LABEL_FONT_PX);
  const xExtentPx = slant ? Math.ceil(labelPx * Math.sin((SLANT_DEG * Math.PI) / 180) + LABEL_FONT_PX * 1.5) : LABEL_FONT_PX * 2;
  const subtitle = [
    `${report.total} sample${report.total === 1 ? '' : 's'} · accuracy ${percent(report.accuracy)} · macro-F1 ${report.macroF1.toFixed(3)}`,
    options.normalised ? `each row divided by its true count${emptyRows > 0 ? '; – : no samples of that class' : ''}` : 'counts',
  ];
  const sortBy = (field: string): { field: string; op: 'min' } => ({ field, op: 'min' });
  return {
    title: { text: plotLabel(options.title, MAX_TITLE_CHARS), subtitle },
    width: sizePx,
    height: sizePx,
    data: { values },
    encoding: {
      x: {
        field: 'predicted',
        type: 'ordinal',
        sort: sortBy('pi'),
        title: 'predicted class',
        axis: { orient: 'bottom', labelAngle: slant ? -SLANT_DEG : 0,
          labelAlign: slant ? 'right' : 'center',
          labelLimit: 0,
          labelFontSize: LABEL_FONT_PX,
          ticks: false,
          domain: false,
          minExtent: xExtentPx,
          maxExtent: xExtentPx,
        },
      },
      y: {
        field: 'truth',
        type: 'ordinal',
        sort: sortBy('ti'),
        title: 'true class',
        axis: { labelLimit: 0, labelFontSize: LABEL_FONT_PX, ticks: false, domain: false, minExtent: labelPx + 4, maxExtent: labelPx + 4 },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, max], nice: false },
            legend: {
              title: options.normalised ? 'fraction' : 'count',
              gradientLength: sizePx,
              ...(options.normalised ? { values: [0, 0.25, 0.5, 0.75, 1], format: '.2f' } : { values: countTicks(max), format: 'd' }),
            },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: CELL_FONT_PX },
        encoding: {
          text: { field: 'text', type: 'nominal' },
          color: { field: 'ink', type: 'nominal', scale: null, legend: null },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
    config: evaluationConfig(),
  } as TopLevelSpec;
}

/**
 * Renders the confusion matrix of `report` as an SVG document (a string) or a PNG (bytes).
 *
 * @example
 * const png = await renderConfusion(report, { normalised: true, format: 'png', title: 'Test scenarios' });
 */
export async function renderConfusion(report: ClassificationReport, options: ConfusionPlotOptions & { format: 'svg' }): Promise<string>;
export async function renderConfusion(report: ClassificationReport, options: ConfusionPlotOptions & { format: 'png' }): Promise<Uint8Array>;
export async function renderConfusion(report: ClassificationReport, options: ConfusionPlotOptions): Promise<string | Uint8Array>;
export async function renderConfusion(report: ClassificationReport, options: ConfusionPlotOptions): Promise<string | Uint8Array> {
  return renderVegaLite(confusionVegaLiteSpec(report, options), options.format, options.scale);
}
