/**
 * The study report's own figures (the others are the timeline, the confusion matrices and the
 * predicted-vs-expected chart): the residents' days drawn day by day, the presets' scores on a seen
 * and an unseen home, and a defence's privacy against its cost. Each is a vega-lite spec drawn to SVG
 * by report/vega-render.ts; names that may come from a file (classes, presets, strategies) reach a
 * spec only as data values made safe by {@link distinctLabels} / {@link plotLabel}.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotLabel } from './plot-label.js';
import { distinctLabels, evaluationConfig, vegaLiteToSvg } from './vega-render.js';

const ROW_PX = 22;
const DAY_WIDTH_PX = 720;
const MAX_CLASS_CHARS = 28;
const MAX_TITLE_CHARS = 90;
/** One colour per activity, in the published order, then one for a sixth class; a seventh and later reuse them. */
const ACTIVITY_COLOURS = ['#e6a700', '#1f77b4', '#2ca02c', '#9467bd', '#444444', '#8c564b'];

/** One activity on a day's lane: a true one, or one the observer inferred. */
export interface DayChartItem {
  readonly timeUs: number;
  /** Index into the classes. */
  readonly activity: number;
  /** Which lane: `true` (what happened) or `inferred`. */
  readonly lane: 'true' | 'inferred';
  /** An inferred activity's confidence, 0..1. */
  readonly confidence?: number;
  /** An inferred activity a true one backs (within the tolerance), or a true one the observer found. */
  readonly matched?: boolean;
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The residents' days, one row per UTC day and lane (the true day above the inferred one when the
 * truth is known), the hour of the day across: each activity a mark coloured by its class; an
 * inferred one filled when a true activity backs it, hollow when none does.
 */
export function dayChartSpec(items: readonly DayChartItem[], options: { readonly title: string; readonly classes: readonly string[]; readonly subtitle?: string }): TopLevelSpec {
  const classes = distinctLabels(options.classes, MAX_CLASS_CHARS);
  const lanes = (['true', 'inferred'] as const).filter((l) => items.some((i) => i.lane === l));
  const days = [...new Set(items.map((i) => utcDay(i.timeUs / 1000)))].sort();
  const rows = days.flatMap((d) => lanes.map((l) => (lanes.length > 1 ? `${d} ${l}` : d)));
  const values = items.map((i) => {
    const ms = i.timeUs / 1000;
    const day = utcDay(ms);
    const hour = (ms - Date.parse(`${day}T00:00:00Z`)) / 3_600_000;
    const row = lanes.length > 1 ? `${day} ${i.lane}` : day;
    const state = i.lane === 'true' ? (i.matched === false ? 'true, missed' : 'true') : i.matched === false ? 'inferred, no true one near' : 'inferred';
    return { row, ri: rows.indexOf(row), hour, activity: classes[i.activity] ?? `class ${i.activity}`, ai: i.activity, state, confidence: i.confidence ?? 1 };
  });
  const states = ['true', 'true, missed', 'inferred', 'inferred, no true one near'].filter((s) => values.some((v) => v.state === s));
  const shapeOf: Record<string, string> = { true: 'circle', 'true, missed': 'circle', inferred: 'diamond', 'inferred, no true one near': 'diamond' };
  const filledOf: Record<string, boolean> = { true: true, 'true, missed': false, inferred: true, 'inferred, no true one near': false };
  const colour = { field: 'activity', type: 'nominal' as const, title: 'activity', scale: { domain: classes, range: classes.map((_, i) => ACTIVITY_COLOURS[i % ACTIVITY_COLOURS.length]) } };
  const x = { field: 'hour', type: 'quantitative' as const, title: 'hour of the day (UTC)', scale: { domain: [0, 24], nice: false }, axis: { values: [0, 3, 6, 9, 12, 15, 18, 21, 24], labelExpr: "datum.value + ':00'", grid: true, gridColor: '#e6e6e6' } };
  const y = { field: 'row', type: 'ordinal' as const, title: null, sort: rows, scale: { domain: rows }, axis: { labelLimit: 0, ticks: false, domain: false } };
  const layer = states.map((state) => ({
    transform: [{ filter: { field: 'state', equal: state } }],
    mark: { type: 'point' as const, shape: shapeOf[state], filled: filledOf[state], size: 110, strokeWidth: 2, opacity: 0.9 },
    encoding: { x, y, color: colour },
  }));
  return {
    title: { text: plotLabel(options.title, MAX_TITLE_CHARS), subtitle: options.subtitle ?? `${items.length} activities · ${states.map((s) => `${shapeOf[s] === 'circle' ? '●' : '◆'}${filledOf[s] ? '' : ' hollow'}: ${s}`).join(' · ')}` },
    width: DAY_WIDTH_PX,
    height: Math.max(1, rows.length) * ROW_PX,
    data: { values: values.length > 0 ? values : [{ row: rows[0] ?? 'no day', hour: 0, activity: classes[0], state: 'true' }] },
    layer: values.length > 0 ? layer : [{ mark: { type: 'text', text: 'no activity', color: '#666666' }, encoding: { x: { value: DAY_WIDTH_PX / 2 }, y: { value: ROW_PX / 2 } } }],
    config: { ...evaluationConfig(), legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 12, titleFontSize: 12, labelLimit: 0 } },
  } as TopLevelSpec;
}

/** A preset's two scores on one home. */
export interface PresetScoreBars {
  readonly preset: string;
  readonly home: string;
  readonly perUseAccuracy: number;
  readonly timelineMacroF1: number;
}

/** The presets side by side: accuracy per use and timeline macro-F1, one bar per home (seen, unseen). */
export function presetScoresSpec(items: readonly PresetScoreBars[], options: { readonly title: string; readonly homes: readonly string[] }): TopLevelSpec {
  const presets = distinctLabels([...new Set(items.map((i) => i.preset))], 24);
  const homes = distinctLabels(options.homes, 40);
  const presetIndex = new Map([...new Set(items.map((i) => i.preset))].map((p, k) => [p, k]));
  const homeIndex = new Map(options.homes.map((h, k) => [h, k]));
  const measures = ['accuracy per use', 'timeline macro-F1'];
  const values = items.flatMap((i) => {
    const p = presets[presetIndex.get(i.preset)!];
    const h = homes[homeIndex.get(i.home) ?? 0];
    return [
      { preset: p, home: h, measure: measures[0], value: i.perUseAccuracy, label: i.perUseAccuracy.toFixed(2) },
      { preset: p, home: h, measure: measures[1], value: i.timelineMacroF1, label: i.timelineMacroF1.toFixed(2) },
    ];
  });
  const x = { field: 'preset', type: 'nominal' as const, title: null, sort: presets, axis: { labelAngle: 0 } };
  return {
    title: { text: plotLabel(options.title, MAX_TITLE_CHARS), subtitle: 'higher is better; 1 is every use (or activity) right' },
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spacing: 28,
    spec: {
      width: Math.max(200, presets.length * 70),
      height: 220,
      encoding: { x, xOffset: { field: 'home', type: 'nominal', sort: homes }, y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } } },
      layer: [
        { mark: { type: 'bar' }, encoding: { color: { field: 'home', type: 'nominal', title: 'tested on', sort: homes, scale: { domain: homes, range: ['#6baed6', '#08519c'] } } } },
        { mark: { type: 'text', dy: -6, fontSize: 10, color: '#222222' }, encoding: { text: { field: 'label', type: 'nominal' } } },
      ],
    },
    config: { ...evaluationConfig(), legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 12, titleFontSize: 12, labelLimit: 0 } },
  } as TopLevelSpec;
}

/** One defended setting: what it costs and the strongest observer's macro-F1 against it. */
export interface FrontierPoint {
  readonly strategy: string;
  readonly setting: string;
  readonly extraMBPerMonth: number;
  readonly worstMacroF1: number;
  readonly onFrontier: boolean;
}

/** Privacy against cost: each setting a point, the frontier joined, the undefended attack and chance as lines. */
export function frontierSpec(points: readonly FrontierPoint[], options: { readonly title: string; readonly undefended: number; readonly chance: number; readonly target: number }): TopLevelSpec {
  const strategies = distinctLabels([...new Set(points.map((p) => p.strategy))], 32);
  const index = new Map([...new Set(points.map((p) => p.strategy))].map((s, k) => [s, k]));
  const values = points.map((p) => ({ kind: 'point', strategy: strategies[index.get(p.strategy)!], setting: plotLabel(p.setting, 32), mb: Math.max(0, p.extraMBPerMonth), f1: p.worstMacroF1, frontier: p.onFrontier ? 1 : 0 }));
  const lines = [
    { kind: 'line', name: 'undefended', f1: options.undefended },
    { kind: 'line', name: 'chance', f1: options.chance },
    { kind: 'line', name: 'target', f1: options.target },
  ];
  const x = { field: 'mb', type: 'quantitative' as const, title: 'extra MB a month', scale: { type: 'symlog' as const } };
  const y = { field: 'f1', type: 'quantitative' as const, title: "strongest observer's timeline macro-F1", scale: { domain: [0, 1] } };
  return {
    title: { text: plotLabel(options.title, MAX_TITLE_CHARS), subtitle: 'lower and further left is better; the joined points are the frontier (nothing is both cheaper and more private)' },
    width: 560,
    height: 300,
    data: { values: [...values, ...lines] },
    layer: [
      { transform: [{ filter: "datum.kind === 'line'" }], mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' }, encoding: { y } },
      { transform: [{ filter: "datum.kind === 'line'" }], mark: { type: 'text', align: 'right', dy: -5, fontSize: 11, color: '#555555' }, encoding: { y, x: { value: 560 }, text: { field: 'name', type: 'nominal' } } },
      { transform: [{ filter: "datum.kind === 'point' && datum.frontier === 1" }], mark: { type: 'line', color: '#111111', strokeWidth: 1.5 }, encoding: { x, y, order: { field: 'mb', type: 'quantitative' } } },
      { transform: [{ filter: "datum.kind === 'point'" }], mark: { type: 'point', filled: true, size: 90 }, encoding: { x, y, color: { field: 'strategy', type: 'nominal', title: 'strategy', sort: strategies } } },
    ],
    config: { ...evaluationConfig(), legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 12, titleFontSize: 12, labelLimit: 0 } },
  } as TopLevelSpec;
}

/** A spec drawn as SVG text. */
export function figureSvg(spec: TopLevelSpec): Promise<string> {
  return vegaLiteToSvg(spec);
}

