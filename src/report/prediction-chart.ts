/**
 * The published "predicted vs expected" graph (Figure 6) made readable: one column per scenario along
 * the bottom, the classes up the side by name (the first class at the bottom, as the paper's 0..4
 * axis), a hollow ring where the scenario truly is, a dot where the model put it: green inside the
 * ring when right, a red cross joined to the ring by a red line when wrong. The subtitle counts them.
 *
 * Scenario and class names are untrusted: they reach the SVG only as data values, made safe and
 * distinct by {@link distinctLabels}; the title goes through {@link plotLabel}.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotLabel } from './timeline-plot.js';
import { distinctLabels, evaluationConfig, renderVegaLite } from './vega-render.js';

export interface PredictionItem {
  /** The scenario's name (untrusted). */
  label: string;
  /** Class ids, indices into `classes`. */
  expected: number;
  predicted: number;
}

export interface PredictionChartOptions {
  format: 'svg' | 'png';
  /** The figure's title; untrusted text is made safe. */
  title: string;
  /** Class names, the class id's index (untrusted). */
  classes: readonly string[];
  /** PNG device pixels per SVG pixel (default 2). */
  scale?: number;
}

const COLUMN_PX = 72;
const MIN_PLOT_WIDTH_PX = 240;
const ROW_PX = 52;
const MAX_SCENARIO_CHARS = 24;
const MAX_CLASS_CHARS = 28;
const MAX_TITLE_CHARS = 80;
const LABEL_FONT_PX = 12;
const SLANT_DEG = 35;
const SLANT_PAST_CHARS = 8;
/** Label character width as a share of the font size, for axis extents (see confusion-plot.ts). */
const LABEL_EM_PER_CHAR = 0.65;

const SERIES = ['expected', 'predicted, right', 'predicted, wrong'] as const;
const SERIES_STROKE = ['#333333', '#1a7f37', '#c62828'];
const SERIES_FILL = ['transparent', '#2ea043', '#c62828'];
const SERIES_SHAPE = ['circle', 'circle', 'cross'];
const SERIES_SIZE = [360, 90, 160];
const MISS_COLOR = '#c62828';
const GRID_COLOR = '#e3e3e3';

/** How many wrong scenarios the subtitle names before `+N more`. */
const MAX_WRONG_NAMED = 6;

function wrongText(wrong: readonly string[]): string {
  if (wrong.length === 0) return '';
  const named = wrong.slice(0, MAX_WRONG_NAMED).join(', ');
  return ` · wrong: ${named}${wrong.length > MAX_WRONG_NAMED ? ` +${wrong.length - MAX_WRONG_NAMED} more` : ''}`;
}

/** The vega-lite spec of the figure (exported for tests). */
export function predictionVegaLiteSpec(items: readonly PredictionItem[], options: { title: string; classes: readonly string[] }): TopLevelSpec {
  const classes = distinctLabels(options.classes, MAX_CLASS_CHARS);
  const scenarios = distinctLabels(
    items.map((i) => i.label),
    MAX_SCENARIO_CHARS,
  );
  items.forEach((item, i) => {
    for (const [side, id] of [
      ['expected', item.expected],
      ['predicted', item.predicted],
    ] as const) {
      if (!Number.isInteger(id) || id < 0 || id >= classes.length) {
        throw new RangeError(`Cannot draw predictions: item ${i} has ${side} class ${id}, not a class id from 0 to ${classes.length - 1}`);
      }
    }
  });

  const values: Record<string, string | number>[] = [];
  classes.forEach((c, ci) => values.push({ kind: 'class', cls: c, ci }));
  // Rings first, so dots and crosses are drawn over them.
  items.forEach((item, xi) => values.push({ kind: 'point', x: scenarios[xi], xi, cls: classes[item.expected], ci: item.expected, series: SERIES[0] }));
  items.forEach((item, xi) => {
    const right = item.predicted === item.expected;
    values.push({ kind: 'point', x: scenarios[xi], xi, cls: classes[item.predicted], ci: item.predicted, series: SERIES[right ? 1 : 2] });
    // The y domain is sorted by the least `ci` each class name has in any row, its own `cls` or `cls2`;
    // a line joins two classes, so it carries a `ci` past every class and leaves the order to the others.
    if (!right) values.push({ kind: 'miss', x: scenarios[xi], xi, cls: classes[item.expected], cls2: classes[item.predicted], ci: classes.length });
  });

  const right = items.filter((i) => i.predicted === i.expected).length;
  const subtitle =
    items.length === 0
      ? 'no scenarios'
      : `${right} of ${items.length} scenario${items.length === 1 ? '' : 's'} right (${((100 * right) / items.length).toFixed(1)} %)` +
        wrongText(items.flatMap((it, i) => (it.predicted === it.expected ? [] : [scenarios[i]])));

  const longestScenario = Math.max(1, ...scenarios.map((s) => Array.from(s).length));
  const slant = longestScenario > SLANT_PAST_CHARS;
  const scenarioPx = longestScenario * LABEL_EM_PER_CHAR * LABEL_FONT_PX;
  const xExtentPx = Math.ceil(slant ? scenarioPx * Math.sin((SLANT_DEG * Math.PI) / 180) + LABEL_FONT_PX * 1.5 : LABEL_FONT_PX * 2);
  const classPx = Math.ceil(Math.max(...classes.map((c) => Array.from(c).length)) * LABEL_EM_PER_CHAR * LABEL_FONT_PX) + 4;

  const sortBy = (field: string, order: 'ascending' | 'descending'): { field: string; op: 'min'; order: typeof order } => ({ field, op: 'min', order });
  const y = { field: 'cls', type: 'ordinal' as const, title: 'class', sort: sortBy('ci', 'descending'), scale: { type: 'point' as const, padding: 0.5 } };
  const x = { field: 'x', type: 'ordinal' as const, title: 'scenario', sort: sortBy('xi', 'ascending'), scale: { type: 'point' as const, padding: 0.5 } };
  const legend = { title: null, orient: 'bottom' as const, direction: 'horizontal' as const, symbolStrokeWidth: 2.5, labelFontSize: LABEL_FONT_PX };
  return {
    title: { text: plotLabel(options.title, MAX_TITLE_CHARS), subtitle },
    width: Math.max(MIN_PLOT_WIDTH_PX, items.length * COLUMN_PX),
    height: Math.max(1, classes.length) * ROW_PX,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'class'" }],
        mark: { type: 'rule', color: GRID_COLOR, strokeWidth: 1 },
        encoding: {
          y: {
            ...y,
            axis: { labelLimit: 0, labelFontSize: LABEL_FONT_PX, ticks: false, domain: false, minExtent: classPx, maxExtent: classPx },
          },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'miss'" }],
        mark: { type: 'rule', color: MISS_COLOR, strokeWidth: 2, strokeDash: [4, 3] },
        encoding: {
          x: {
            ...x,
            axis: {
              labelAngle: slant ? -SLANT_DEG : 0,
              labelAlign: slant ? 'right' : 'center',
              labelLimit: 0,
              labelFontSize: LABEL_FONT_PX,
              grid: true,
              gridColor: GRID_COLOR,
              minExtent: xExtentPx,
              maxExtent: xExtentPx,
            },
          },
          y,
          y2: { field: 'cls2' },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'point'" }],
        mark: { type: 'point', strokeWidth: 2.5, opacity: 1 },
        encoding: {
          x,
          y,
          shape: { field: 'series', type: 'nominal', scale: { domain: [...SERIES], range: SERIES_SHAPE }, legend },
          stroke: { field: 'series', type: 'nominal', scale: { domain: [...SERIES], range: SERIES_STROKE }, legend },
          fill: { field: 'series', type: 'nominal', scale: { domain: [...SERIES], range: SERIES_FILL }, legend },
          size: { field: 'series', type: 'ordinal', scale: { domain: [...SERIES], range: SERIES_SIZE }, legend },
        },
      },
    ],
    config: evaluationConfig(),
  } as TopLevelSpec;
}

/**
 * Renders expected against predicted classes per scenario as an SVG document (a string) or a PNG.
 *
 * @example
 * const png = await renderPredictionChart(results.scenarios, { format: 'png', title: 'Test scenarios', classes: ACTIVITIES });
 */
export async function renderPredictionChart(items: readonly PredictionItem[], options: PredictionChartOptions & { format: 'svg' }): Promise<string>;
export async function renderPredictionChart(items: readonly PredictionItem[], options: PredictionChartOptions & { format: 'png' }): Promise<Uint8Array>;
export async function renderPredictionChart(items: readonly PredictionItem[], options: PredictionChartOptions): Promise<string | Uint8Array>;
export async function renderPredictionChart(items: readonly PredictionItem[], options: PredictionChartOptions): Promise<string | Uint8Array> {
  return renderVegaLite(predictionVegaLiteSpec(items, options), options.format, options.scale);
}
