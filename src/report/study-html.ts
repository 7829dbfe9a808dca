/**
 * report.html: the study as one page a person reads first, from its result alone
 * (study-report-input.ts): what the observer saw, what it learned about the residents, how it holds
 * up on homes it never saw, what each defence costs, and how the report was made. On a user's own
 * capture the same page says what was inferred and how sure the observer is, and never an accuracy
 * it cannot know (no ground truth).
 *
 * One self-contained file: figures are inline SVG, there is no script and nothing to load, and a
 * strict Content-Security-Policy says so (html.ts). Every text goes through html.ts's one escaping
 * function; text from the wire and ids from a user's files are made visible, never markup.
 *
 * Each figure has a caption that says what it shows and what to notice, and its data goes into
 * report.json beside the page's numbers ({@link RenderedReport.figures}).
 */
import type { TimelineEntry } from '../attack/episodes.js';
import type { ClassificationReport } from '../evaluate/metrics.js';
import type { TimelineMatch } from '../evaluate/timeline-match.js';
import type { IdentifiedDevice } from '../observe/identify.js';
import type { TimelineSeries } from '../observe/timeline-series.js';
import { renderConfusion } from './confusion-plot.js';
import { html, htmlPage, inlineSvg, type HtmlValue, type SafeHtml } from './html.js';
import { renderPredictionChart } from './prediction-chart.js';
import { PUBLISHED, publishedFigure4 } from './published.js';
import { dayChartSpec, figureSvg, frontierSpec, presetScoresSpec, type DayChartItem, type FrontierPoint } from './study-figures.js';
import type { CaptureReportInput, DefencesSection, ReportFile, ReportFit, ReportMade, ReportStage, StudyReportInput } from './study-report-input.js';
import { binWidthText, renderTimeline } from './timeline-plot.js';

/** A figure of the page: its id (the element's), caption, and the data it draws (for report.json). */
export interface ReportFigure {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly shows: string;
  readonly notice: string;
  readonly data: unknown;
}

export interface RenderedReport {
  readonly html: string;
  readonly figures: readonly ReportFigure[];
}

export interface ReportOptions {
  /** Where docs/method.md is, relative to the report (null when this install has no docs/). */
  readonly methodHref: string | null;
}

/** The sections of each page, by element id, in order (the browser test checks each one). */
export const STUDY_SECTIONS = ['observed', 'learned', 'holds-up', 'defences', 'made'] as const;
export const CAPTURE_SECTIONS = ['observed', 'learned', 'sure', 'defences', 'made'] as const;

/** Rows of a long table shown before the rest is left to the text files. */
const MAX_TABLE_ROWS = 400;
/** Evidence items shown per device. */
const MAX_EVIDENCE = 30;
const DEVICE_ADDRESSES_SHOWN = 3;

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #1b1b1b; background: #ffffff; margin: 0; line-height: 1.5; }
main { max-width: 1060px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
header.top { border-bottom: 3px solid #1f4e82; margin-bottom: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 1px solid #d0d0d0; padding-bottom: 0.2rem; }
h3 { font-size: 1.08rem; margin-top: 1.6rem; }
p.lead { font-size: 1.05rem; color: #333333; }
p.trainer { font-size: 0.88rem; color: #444444; }
nav ol { margin: 0.4rem 0 1rem; padding-left: 1.4rem; }
.glance { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1rem 0; }
.glance div { border: 1px solid #c9d6e6; background: #f3f7fb; border-radius: 6px; padding: 0.5rem 0.8rem; min-width: 11rem; }
.glance b { display: block; font-size: 1.25rem; color: #1f4e82; }
.glance small { color: #555555; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.88rem; }
th, td { border: 1px solid #d6d6d6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 0.86em; overflow-wrap: anywhere; }
figure { margin: 1.2rem 0 1.8rem; }
figure .plot { overflow-x: auto; border: 1px solid #e3e3e3; padding: 0.3rem; background: #ffffff; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: #333333; margin-top: 0.4rem; }
figcaption .notice { display: block; margin-top: 0.2rem; }
.pair { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.pair figure { flex: 1 1 420px; margin-top: 0.4rem; }
.note { border-left: 4px solid #e6a700; background: #fff8e5; padding: 0.5rem 0.8rem; }
.none { color: #666666; }
details { margin: 0.2rem 0; }
summary { cursor: pointer; color: #1f4e82; }
ul.evidence { margin: 0.2rem 0 0.4rem; padding-left: 1.1rem; font-size: 0.84rem; }
footer { margin-top: 3rem; font-size: 0.85rem; color: #555555; }
`;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** A published percentage, as printed in the paper (two decimals). */
function pct2(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function f2(x: number): string {
  return x.toFixed(2);
}

function f3(x: number): string {
  return x.toFixed(3);
}

function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function seconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : s < 120 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function utcMinute(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

function utcMinuteUs(timeUs: number): string {
  return utcMinute(Math.floor(timeUs / 1000) / 1000);
}

function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 999.5 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** A path under the study's folder as the report names it (relative when it is under `out`). */
function shownPath(path: string, out: string): string {
  const prefix = out.endsWith('/') ? out : `${out}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function table(headers: readonly string[], rows: readonly (readonly HtmlValue[])[], numeric: readonly boolean[] = []): SafeHtml {
  return html`<table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr>${r.map((c, i) => (numeric[i] ? html`<td class="n">${c}</td>` : html`<td>${c}</td>`))}</tr>`,
  )}</tbody></table>`;
}

/** The figures of one page, numbered in order. */
class Figures {
  readonly list: ReportFigure[] = [];

  add(id: string, title: string, svg: string, caption: { shows: string; notice: string }, data: unknown): SafeHtml {
    const number = this.list.length + 1;
    this.list.push({ id, number, title, shows: caption.shows, notice: caption.notice, data });
    return html`<figure id="${id}"><div class="plot">${inlineSvg(svg, id)}</div><figcaption><strong>Figure ${number}. ${title}.</strong> ${caption.shows}<span class="notice"><em>What to notice:</em> ${caption.notice}</span></figcaption></figure>`;
  }
}

function deviceLabel(d: IdentifiedDevice): string {
  return `${d.vendor ?? 'unknown vendor'} ${d.category ?? 'device'}`;
}

function evidenceList(d: IdentifiedDevice): SafeHtml {
  if (d.evidence.length === 0) return html`<span class="none">none</span>`;
  const shown = d.evidence.slice(0, MAX_EVIDENCE);
  const more = d.evidence.length - shown.length;
  return html`<details><summary>${d.evidence.length} item${d.evidence.length === 1 ? '' : 's'}</summary><ul class="evidence">${shown.map(
    (e) =>
      html`<li><span class="mono">${e.kind}</span> <span class="mono">${e.value}</span>${
        e.rule === null ? '' : html` → ${e.rule.vendor} ${e.rule.category} (rule <span class="mono">${e.rule.pattern}</span>, ${e.rule.source}:${e.rule.line})`
      }, first ${utcMinute(e.first)}</li>`,
  )}${more > 0 ? html`<li>and ${more} more (devices.json has them all)</li>` : ''}</ul></details>`;
}

function devicesTable(devices: readonly IdentifiedDevice[]): SafeHtml {
  if (devices.length === 0) return html`<p class="none">No device was found.</p>`;
  const rows = devices.map((d) => [
    html`<span class="mono">${d.id}</span>${d.addresses.length > 0 ? html`<br><span class="mono">${d.addresses.slice(0, DEVICE_ADDRESSES_SHOWN).join(', ')}${d.addresses.length > DEVICE_ADDRESSES_SHOWN ? ` +${d.addresses.length - DEVICE_ADDRESSES_SHOWN}` : ''}</span>` : ''}`,
    d.vendor ?? html`<span class="none">unknown</span>`,
    d.category ?? html`<span class="none">unknown</span>`,
    f2(d.confidence) + (d.known ? ' (known)' : ''),
    d.names.length > 0 ? html`<span class="mono">${d.names.slice(0, 3).join(', ')}</span>` : html`<span class="none">none</span>`,
    `${thousands(d.packetsOut + d.packetsIn)} / ${bytes(d.bytesOut + d.bytesIn)}`,
    `${utcMinute(d.first)} to ${utcMinute(d.last)}`,
    evidenceList(d),
  ]);
  return table(['device (MAC, addresses)', 'vendor', 'category', 'confidence', 'its own names', 'packets / bytes', 'seen (UTC)', 'evidence'], rows);
}

async function timelineFigure(figures: Figures, series: TimelineSeries, title: string): Promise<SafeHtml> {
  const svg = await renderTimeline(series, { format: 'svg', title });
  const totals = series.rows.map((r) => ({ label: r.label, bytes: r.bytes.reduce((a, b) => a + b, 0) })).sort((a, b) => b.bytes - a.bytes);
  const busiest = totals[0];
  const quietest = totals.at(-1);
  const notice =
    series.rows.length === 0
      ? 'there is no traffic to draw.'
      : `the flat band along each strip is the device's heartbeat, sent whether or not anyone is home; the peaks above it are bursts, which is where uses hide. ` +
        `The busiest device is ${busiest.label} (${bytes(busiest.bytes)} in all)${quietest !== undefined && quietest !== busiest ? `, the quietest ${quietest.label} (${bytes(quietest.bytes)})` : ''}.`;
  return figures.add(
    'fig-traffic',
    'Each device’s traffic over time',
    svg,
    { shows: `One strip per device the observer found, bytes per ${binWidthText(series.binSeconds)} bin on a log scale, on one UTC time axis.`, notice },
    { start: series.start, binSeconds: series.binSeconds, rows: series.rows },
  );
}

/** The marks of a day chart: the true activities (from the match) and the inferred ones, each marked found or not. */
function dayItems(inferred: readonly TimelineEntry[], classes: readonly string[], match: TimelineMatch | null): DayChartItem[] {
  const key = (timeUs: number, activity: number): string => `${timeUs}:${activity}`;
  const backed = new Map<string, number>();
  for (const p of match?.pairs ?? []) backed.set(key(p.predicted.timeUs, p.predicted.activity), (backed.get(key(p.predicted.timeUs, p.predicted.activity)) ?? 0) + 1);
  const items: DayChartItem[] = [];
  if (match !== null) {
    for (const p of match.pairs) items.push({ timeUs: p.truth.timeUs, activity: p.truth.activity, lane: 'true', matched: true });
    for (const t of match.missed) items.push({ timeUs: t.timeUs, activity: t.activity, lane: 'true', matched: false });
  }
  for (const t of inferred) {
    const id = classes.indexOf(t.activity);
    const k = key(t.timeUs, id);
    const n = backed.get(k) ?? 0;
    if (n > 0) backed.set(k, n - 1);
    items.push({ timeUs: t.timeUs, activity: id, lane: 'inferred', confidence: t.confidence, matched: match === null ? undefined : n > 0 });
  }
  return items.sort((a, b) => a.timeUs - b.timeUs);
}

/** The devices behind an activity, each once, with how many of its uses: `Yale lock 00:17:… ×3`. */
export function usesBehind(devices: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const d of devices) counts.set(d, (counts.get(d) ?? 0) + 1);
  return [...counts].map(([d, n]) => (n === 1 ? d : `${d} ×${n}`));
}

function inferredTable(inferred: readonly TimelineEntry[], deviceNames: readonly { readonly id: string; readonly name: string }[]): SafeHtml {
  if (inferred.length === 0) return html`<p class="none">No activity was inferred.</p>`;
  const names = new Map(deviceNames.map((d) => [d.id, d.name]));
  const shown = inferred.slice(0, MAX_TABLE_ROWS);
  const rows = shown.map((t) => [utcMinuteUs(t.timeUs), t.activity, f2(t.confidence), usesBehind(t.events.map((e) => names.get(e.device) ?? `${e.device} (${e.kind})`)).join(', ')]);
  return html`${table(['time (UTC)', 'activity', 'confidence', 'the device uses behind it'], rows, [false, false, true, false])}${
    inferred.length > shown.length ? html`<p class="none">The first ${shown.length} of ${inferred.length}; inferred-day.txt has them all.</p>` : ''
  }`;
}

function perClassTable(report: { readonly perClass: readonly { readonly name: string; readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number; readonly predicted: number }[] }): SafeHtml {
  return table(
    ['class', 'precision', 'recall', 'F1', 'true', 'predicted'],
    report.perClass.map((c) => [c.name, f2(c.precision), f2(c.recall), f2(c.f1), c.support, c.predicted]),
    [false, true, true, true, true, true],
  );
}

function confusionNotice(report: ClassificationReport): string {
  let worst: { t: number; p: number; share: number } | null = null;
  report.normalised.forEach((row, t) =>
    row.forEach((share, p) => {
      if (t !== p && share > 0 && (worst === null || share > worst.share)) worst = { t, p, share };
    }),
  );
  const w = worst as { t: number; p: number; share: number } | null;
  return (
    `${thousands(report.total)} samples, ${pct(report.accuracy)} of them on the diagonal (right), macro-F1 ${f3(report.macroF1)}; ` +
    (w === null ? 'nothing off the diagonal.' : `the largest confusion is ${report.classes[w.t]} read as ${report.classes[w.p]} (${pct(w.share)} of ${report.classes[w.t]}).`)
  );
}

/** The defences section: measured (frontier, table, recommendation, the paper's injection), or, on a capture without truth, why not. */
async function defencesSection(figures: Figures, defences: DefencesSection | null): Promise<SafeHtml> {
  const heading = html`<h2>4. What each defence costs</h2>`;
  if (defences === null) {
    return html`<section id="defences">${heading}<p class="note">Not measured here: a defence is scored by how much of what really happened it hides, which only a simulated home knows, so the defences are not swept on this capture. <code>peephole study</code> sweeps every strategy on a simulated home (its privacy against the strongest observer, its cost in extra bytes a month and delay, the frontier and the cheapest setting under the target), and <code>peephole defend evaluate --home NAME</code> on any built-in home; <code>peephole defend</code> applies one to a capture and says what it cost.</p></section>`;
  }
  const worst = (s: DefencesSection['settings'][number]): number => s.strongestMacroF1;
  const points: FrontierPoint[] = defences.settings.map((s) => {
    const dominated = defences.settings.some(
      (o) => o !== s && o.cost.extraMBPerMonth <= s.cost.extraMBPerMonth && worst(o) <= worst(s) && (o.cost.extraMBPerMonth < s.cost.extraMBPerMonth || worst(o) < worst(s)),
    );
    return { strategy: s.strategy, setting: s.setting, extraMBPerMonth: s.cost.extraMBPerMonth, worstMacroF1: worst(s), onFrontier: !dominated };
  });
  const svg = await figureSvg(frontierSpec(points, { title: `Privacy against cost on the ${defences.home} home`, undefended: defences.undefendedMacroF1, chance: defences.chanceMacroF1, target: defences.targetMacroF1 }));
  const rec = defences.recommendation;
  const figure = figures.add(
    'fig-frontier',
    'What each defence buys and costs',
    svg,
    {
      shows:
        'Each strategy at each setting: the strongest observer’s timeline macro-F1 (the better of the adaptive and the aware one: lower is more private) against the extra data it sends a month (a delay sends none, so it sits at 0); the undefended attack, chance and the target as lines.',
      notice: `${frontierNotice(defences, points)} ${rec === null ? `No setting keeps both observers under ${f2(defences.targetMacroF1)}.` : `The recommended setting, ${rec.strategy} ${rec.setting}, is the cheapest under the target of ${f2(defences.targetMacroF1)}.`}`,
    },
    points,
  );
  const observers = [...new Set(defences.settings.flatMap((s) => s.observers.map((o) => o.observer)))];
  const rows = defences.settings.map((s) => [
    s.strategy,
    s.setting,
    s.scoredOn ?? '–',
    ...observers.map((o) => {
      const score = s.observers.find((x) => x.observer === o);
      return score === undefined ? '–' : f3(score.macroF1);
    }),
    f2(s.cost.extraBytesPercent) + '%',
    f2(s.cost.extraMBPerMonth),
    `${seconds(s.cost.delayMeanSeconds)} / ${seconds(s.cost.delayP95Seconds)}`,
  ]);
  const numeric = [false, false, false, ...observers.map(() => true), true, true, true];
  const sw = defences.sweep;
  const how =
    sw === undefined
      ? ''
      : html`<p>Each strategy is tried at ${sw.valuesPerStrategy === null ? 'every value of its main parameter' : `${sw.valuesPerStrategy} values of its main parameter (from its least protection to its most)`} on the simulated ${defences.home} home. Three observers read the defended uses: the <em>naive</em> one (the ${sw.observerPreset} preset trained on the home as lived, as in the paper), the <em>adaptive</em> one (the same preset retrained on ${sw.trainDays} days of the home with the defence on) the <em>aware</em> one (knows the defence and first sets aside the uses it takes for cover, by their timing) and, on a defended capture, the <em>size-aware</em> one (tells cover from real by each burst's bytes, packets, length and direction); each is scored on ${sw.testDays} other days (timeline macro-F1 within ${sw.toleranceMinutes} min, ${sw.epochs} epochs each). Most strategies are scored on the defended uses; those whose <em>scored on</em> reads <em>capture</em> are written as a defended capture and read back by the same use detection an observer runs. The cost is measured on ${sw.costDays} day${sw.costDays === 1 ? '' : 's'} of the home written as a capture with the defence, against the same day${sw.costDays === 1 ? '' : 's'} without it. The sweep took ${seconds(sw.seconds)}; <code>peephole defend evaluate</code> runs it with more days and epochs.</p>`;
  const injection = await paperInjectionFigures(figures, defences);
  return html`<section id="defences">${heading}
<p>Undefended, the observer reaches a timeline macro-F1 of ${f3(defences.undefendedMacroF1)} on the ${defences.home} home; chance is ${f3(defences.chanceMacroF1)}. A defence has to bring the observers that know it is there under the target of ${f2(defences.targetMacroF1)}, and is worth what it costs in extra traffic and delay.</p>
${how}
${figure}
<p><strong>Recommendation:</strong> ${rec === null ? `no strategy keeps both the adaptive and the aware observer under ${f2(defences.targetMacroF1)} within the settings tried.` : html`${rec.strategy} (${rec.setting}): ${rec.why}`}</p>
<details><summary>Every strategy and setting (${defences.settings.length})</summary>${table(['strategy', 'setting', 'scored on', ...observers.map((o) => `${o} observer F1`), 'extra bytes', 'extra MB a month', 'delay mean / p95'], rows, numeric)}</details>
${injection}</section>`;
}

/** What the frontier shows beyond the recommendation: which settings reach the target at all, and what the cheapest of each family costs. */
function frontierNotice(defences: DefencesSection, points: readonly FrontierPoint[]): string {
  const under = defences.settings.filter((s) => s.strongestMacroF1 < defences.targetMacroF1);
  const best = [...defences.settings].sort((a, b) => a.strongestMacroF1 - b.strongestMacroF1)[0];
  const onFrontier = points.filter((p) => p.onFrontier).length;
  return (
    `${under.length} of ${defences.settings.length} settings bring the strongest observer under the target; ` +
    (best === undefined ? '' : `the most private is ${best.strategy} ${best.setting} (${f3(best.strongestMacroF1)}, ${f2(best.cost.extraMBPerMonth)} MB a month). `) +
    `${onFrontier} setting${onFrontier === 1 ? ' is' : 's are'} on the frontier (nothing else is both cheaper and more private).`
  );
}

/** The paper's Figure 5 and Figure 6 (bottom) regenerated: its network on its scenarios with fake data injected. */
async function paperInjectionFigures(figures: Figures, defences: DefencesSection): Promise<SafeHtml | string> {
  const inj = defences.paperInjection;
  if (inj === undefined || inj === null) return '';
  const classes = inj.scenarios.report.classes;
  const right = inj.scenarios.correct;
  const count = inj.scenarios.scenarios.length;
  const [confusion, chart] = await Promise.all([
    renderConfusion(inj.scenarios.report, { format: 'svg', normalised: false, title: 'Regenerated: the 8 scenarios with fake data injected' }),
    renderPredictionChart(inj.predictedVsExpected, { format: 'svg', title: 'Regenerated: predicted vs expected, with fake data injected', classes }),
  ]);
  const wrong = inj.scenarios.scenarios.filter((x) => !x.correct).map((x) => `${x.label} read as ${classes[x.predicted]}`);
  const fig5 = figures.add(
    'fig-figure5',
    'The paper’s Figure 5, regenerated: its defence on its scenarios',
    confusion,
    {
      shows: `The published network trained in section 2 (on the undefended home: what the attacker learnt before the defence) on the 8 test scenarios with fake data injected: every device makes a fake use every ${inj.periodMinutes} minutes.`,
      notice: `${right} of ${count} right with the injection (the paper: ${PUBLISHED.scenariosRightAfterInjection} of ${PUBLISHED.scenarios}, scenarios 2 and 5)${wrong.length > 0 ? `; ${wrong.slice(0, 4).join(', ')}${wrong.length > 4 ? ` and ${wrong.length - 4} more` : ''}` : ''}.`,
    },
    { confusion: inj.scenarios.report.confusion, classes },
  );
  const fig6 = figures.add(
    'fig-figure6-injected',
    'The paper’s Figure 6 (bottom), regenerated',
    chart,
    {
      shows: 'For each test scenario with fake data injected, its true class (ring) and the class the network predicted (a green dot in the ring when right, a red cross when wrong).',
      notice: `${right} of ${count} rings hold their dot, against ${PUBLISHED.scenariosRightAfterInjection} of ${PUBLISHED.scenarios} in the paper; the injection costs the observer what the sweep above measures on a whole home.`,
    },
    inj.predictedVsExpected,
  );
  return html`<h3>The paper’s own defence on its scenarios</h3>
<p>The published study injected fake data among the real uses and scored its network again on the 8 test scenarios: ${PUBLISHED.scenariosRight} of ${PUBLISHED.scenarios} right became ${PUBLISHED.scenariosRightAfterInjection} (its Figures 5 and 6, bottom); it did not report the cost. Regenerated here with the network of section 2: ${right} of ${count}.</p>
<div class="pair">${fig5}${fig6}</div>`;
}

/** The default preset on the real homes (at 30 min) at the top of the page, when any was scored. */
function defaultGlance(p: StudyReportInput['presets']): SafeHtml | string {
  const scores = p.labelled.map((h) => h.presets.find((x) => x.preset === p.defaultPreset)?.scores.find((s) => s.toleranceMinutes === DEFAULT_JUDGED_AT_MIN)?.macroF1 ?? null);
  if (scores.length === 0 || scores.some((x) => x === null)) return '';
  return html`<div><b>${scores.map((x) => f3(x!)).join(' / ')}</b><small>the default (${p.defaultPreset}) on the real homes never seen (${p.labelled.map((h) => h.name).join(', ')}; timeline macro-F1 within ${DEFAULT_JUDGED_AT_MIN} min)</small></div>`;
}

/** The defences' headline numbers at the top of the page. */
function defenceGlance(d: DefencesSection): SafeHtml {
  const inj = d.paperInjection;
  return html`<div><b>${inj ? `${inj.scenarios.correct} of ${inj.scenarios.scenarios.length}` : '–'}</b><small>test scenarios right after fake data is injected (published ${PUBLISHED.scenariosRightAfterInjection} of ${PUBLISHED.scenarios})</small></div>
<div><b>${d.recommendation === null ? 'none' : d.recommendation.strategy}</b><small>${d.recommendation === null ? `no defence tried holds the observers under ${f2(d.targetMacroF1)}` : `recommended defence (${d.recommendation.setting})`}</small></div>`;
}

/** Which trainer ran, said once at the top: the fast one (the OpenBLAS addon) or a fallback and why. */
function trainerText(r: StudyReportInput): SafeHtml {
  const fits = [r.paper.fit, ...r.presets.presets.map((x) => x.fit)].filter((f): f is ReportFit => f !== null);
  const backends = [...new Set(fits.map((f) => f.backend))];
  const seconds_ = fits.reduce((a, f) => a + f.trainSeconds, 0);
  const reason = fits[0]?.backendReason ?? '';
  if (backends.length === 1 && backends[0] === 'native') return html`Networks trained on the native trainer (${reason}) in ${seconds(seconds_)} in all.`;
  return html`Networks trained on the ${backends.join(' and ')} trainer (${reason}) in ${seconds(seconds_)} in all: the OpenBLAS trainer was not there, and it is several times faster (<code>bash scripts/setup.sh</code> sets it up; section 5 has each network’s speed).`;
}

/** The tolerance the default preset is judged at on a real home (the wider one: real labels are written by hand, after the fact). */
const DEFAULT_JUDGED_AT_MIN = 30;

/**
 * Which preset is the default and why, from this run's figures: on the real homes (when given) and
 * on the simulated ones, its timeline macro-F1 against the best of the others; where another does
 * better, said too.
 */
export function defaultPresetText(p: StudyReportInput['presets']): SafeHtml {
  const name = p.defaultPreset;
  const others = p.presets.filter((x) => x.preset !== name);
  const mine = p.presets.find((x) => x.preset === name);
  if (mine === undefined || others.length === 0) return html``;
  const bestOther = (score: (x: (typeof p.presets)[number]) => number): { preset: string; f1: number } =>
    others.map((x) => ({ preset: x.preset, f1: score(x) })).sort((a, b) => b.f1 - a.f1)[0];
  const real = p.labelled.map((h) => {
    const at = (preset: string): number | null => h.presets.find((x) => x.preset === preset)?.scores.find((s) => s.toleranceMinutes === DEFAULT_JUDGED_AT_MIN)?.macroF1 ?? null;
    const ours = at(name);
    const rivals = h.presets.filter((x) => x.preset !== name).map((x) => ({ preset: x.preset, f1: at(x.preset) ?? 0 })).sort((a, b) => b.f1 - a.f1);
    return { home: h.name, ours, best: rivals[0] };
  });
  const realText =
    real.length === 0
      ? html`No real labelled home was given to this run, so the reason it is the default (how it does on real homes) is not measured here; with the development homes beside peephole (<code>../shared/activities</code>) or <code>--labelled DIR</code> it is.`
      : html`On the real homes, which no preset learnt from, it scores ${real.map((r) => `${r.ours === null ? '–' : f3(r.ours)} on ${r.home}`).join(' and ')} (timeline macro-F1 within ${DEFAULT_JUDGED_AT_MIN} min), against the best of the others’ ${real.map((r) => `${f3(r.best.f1)} (${r.best.preset})`).join(' and ')}.`;
  const unseen = bestOther((x) => x.unseen.timeline.macroF1);
  const seen = bestOther((x) => x.seen.timeline.macroF1);
  const simText = `On the simulated home none of them saw (${p.unseenHome}) it scores ${f3(mine.unseen.timeline.macroF1)} against the best other’s ${f3(unseen.f1)} (${unseen.preset}); on new days of ${p.seenHome}, which they all learnt from, ${f3(mine.seen.timeline.macroF1)} against ${f3(seen.f1)} (${seen.preset}).`;
  const worse = mine.seen.timeline.macroF1 < seen.f1 ? ` It reads how many residents are at home and asleep, with their number estimated from the uses (it seldom tells three to five from two): where several residents’ days overlap, as in ${p.seenHome}, a network that learnt that home reads it better.` : '';
  return html`<h3>The default preset: ${name}</h3>
<p><strong>${name}</strong> is the default: the bundled model (<code>peephole train --bundled</code>) that <code>peephole attack</code> and <code>peephole study --capture</code> use, and the preset that inferred the days of section 2. It was chosen for how it does on real homes while learning only from simulated ones. ${realText} ${simText}${worse}</p>`;
}

function fitLine(name: string, fit: ReportFit | null): HtmlValue[] {
  if (fit === null) return [name, 'no network to train', '–', '–', '–'];
  return [name, `${fit.backend} (${fit.backendReason})`, fit.epochs, thousands(fit.samplesPerSecond), seconds(fit.trainSeconds)];
}

function stagesTable(stages: readonly ReportStage[]): SafeHtml {
  const total = stages.reduce((a, s) => a + s.seconds, 0);
  return table(
    ['stage', 'what it does', 'time'],
    [...stages.map((s) => [s.name, s.does, seconds(s.seconds) + (s.kept ? ' (kept from an earlier run)' : '')]), [html`<strong>all</strong>`, '', html`<strong>${seconds(total)}</strong>`]],
    [false, false, true],
  );
}

function filesTable(files: readonly ReportFile[], out: string): SafeHtml {
  return html`<details><summary>${files.length} files and folders written</summary>${table(
    ['role', 'path'],
    files.map((f) => [f.role, html`<span class="mono">${shownPath(f.path, out)}</span>`]),
  )}</details>`;
}

function madeFacts(made: ReportMade): SafeHtml {
  return html`peephole ${made.peephole} on Node.js ${made.node} (${made.platform}), started ${made.startedAt}${made.resumedFrom === null ? '' : html`, resumed from stage <code>${made.resumedFrom}</code> (the stages before it were taken from the files an earlier run kept)`}`;
}

function methodLink(options: ReportOptions): SafeHtml {
  return options.methodHref === null
    ? html`The method in full is <code>docs/method.md</code> in peephole’s source.`
    : html`The method in full: <a href="${options.methodHref}">docs/method.md</a> (in peephole’s source).`;
}

const METHOD_IN_SHORT = html`<p><strong>The method in short.</strong> An observer on the path (here the home’s router) sees encrypted traffic. It names each device from what is sent in clear (DNS names asked for, TLS server names, DHCP and mDNS host names, the MAC vendor) against a table of vendors’ cloud names. It learns each device’s own keep-alive rhythm and calls every burst outside it a <em>use</em>: someone made the device act. From the uses alone (when, which device, what kind of device), a model infers the residents’ activities: wake_up, leave_home, return_home, leave_temporarily, go_to_bed. The published network (Al Ameedee &amp; Lee, SECURWARE 2018) reads ten features per use; peephole also trains a dense and a sequence model on richer features, a rules preset without learning as a floor, and the default, <em>structured</em>: the home’s day decoded whole (asleep, awake, out) with each device’s rates learnt on the home being read. Inferred activities are scored on a timeline: right when a true activity of the same class lies within 15 minutes. A defence is scored by what the strongest observer that knows it is there still infers, against what it costs in extra traffic and delay.</p>`;

/** report.html of a study, and its figures' data. */
export async function renderStudyReport(r: StudyReportInput, options: ReportOptions): Promise<RenderedReport> {
  const figures = new Figures();
  const o = r.observer;
  const out = r.settings.out;
  const classes = r.paper.classes;

  // 1. What the observer saw.
  const trafficFigure = await timelineFigure(figures, o.traffic, `The ${o.home} home: traffic of each device`);
  const uses = o.uses.score.overall;
  const observed = html`<section id="observed"><h2>1. What the observer saw</h2>
<p>An observer on the home’s router recorded ${o.days} day${o.days === 1 ? '' : 's'} of the simulated <strong>${o.home}</strong> home: ${thousands(o.packets)} packets (<span class="mono">${shownPath(o.capture, out)}</span>, LAN vantage: one MAC address per device). Everything it learns below comes from that capture; the simulator’s truth is used only to score it.</p>
<h3>The devices it found and named (${o.devices.length})</h3>
<p>Each device with the vendor and category the observer gave it, its confidence (0 to 1: how much of the evidence agrees, and how much there is) and the evidence behind it.</p>
${devicesTable(o.devices)}
${trafficFigure}
<h3>The device uses it found in the encrypted traffic</h3>
<p>${thousands(o.uses.found)} uses found; the residents really made ${thousands(o.trueUses)}. ${thousands(uses.tp)} found ones are real (precision ${f2(uses.precision)}), ${thousands(uses.fn)} real ones were missed (recall ${f2(uses.recall)}); a found use is right when a true one of the same device lies within 5 seconds.</p>
</section>`;

  // 2. What the observer learned.
  const items = dayItems(o.inferred, classes, o.timeline);
  const daySvg = await figureSvg(dayChartSpec(items, { title: `The ${o.home} home: the residents’ days, true and inferred`, classes }));
  const m = o.timeline;
  const dayFigure = figures.add(
    'fig-days',
    'The residents’ days, true and inferred',
    daySvg,
    {
      shows: `One pair of rows per day: above, what the residents really did (from the simulator); below, what the ${o.preset} preset inferred from the uses found in the capture, coloured by activity.`,
      notice: `${m.pairs.length} of ${o.inferred.length} inferred activities have a true one of the same class within 15 minutes (filled diamonds; hollow ones have none near), and ${m.missed.length} of ${o.trueActivities} true activities were missed (hollow circles): precision ${f2(m.precision)}, recall ${f2(m.recall)}, macro-F1 ${f3(m.macroF1)}.`,
    },
    items,
  );
  const fit = r.paper.fit;
  const [oursCounts, oursNormalised, published, chart] = await Promise.all([
    renderConfusion(r.paper.scenarios.report, { format: 'svg', normalised: false, title: 'Regenerated here' }),
    renderConfusion(r.paper.scenarios.report, { format: 'svg', normalised: true, title: 'Regenerated, normalised' }),
    renderConfusion(publishedFigure4(classes.slice(0, 5)), { format: 'svg', normalised: false, title: 'As published (Figure 4, top)' }),
    renderPredictionChart(r.paper.predictedVsExpected, { format: 'svg', title: 'Regenerated: predicted vs expected, 8 test scenarios', classes }),
  ]);
  const correct = r.paper.scenarios.correct;
  const scenarioCount = r.paper.scenarios.scenarios.length;
  const wrong = r.paper.scenarios.scenarios.filter((s) => !s.correct).map((s) => `${s.label} read as ${classes[s.predicted]}`);
  const fig4 = figures.add(
    'fig-figure4',
    'The paper’s Figure 4, regenerated beside the published one',
    oursCounts,
    {
      shows: 'The confusion matrix of the published network on the 8 test scenarios, as regenerated here (true class down, predicted class across).',
      notice: `${correct} of ${scenarioCount} right here${wrong.length > 0 ? ` (${wrong.join(', ')})` : ''}; the paper reports ${PUBLISHED.scenariosRight} of ${PUBLISHED.scenarios} (one leave_temporarily read as leave_home), in the next figure.`,
    },
    { confusion: r.paper.scenarios.report.confusion, classes: r.paper.scenarios.report.classes },
  );
  const fig4published = figures.add(
    'fig-figure4-published',
    'The paper’s Figure 4 as published',
    published,
    { shows: 'The published counts, redrawn from the paper’s Figure 4 (top) and its text.', notice: `${PUBLISHED.scenariosRight} of ${PUBLISHED.scenarios} right; its only error stays among the leave classes.` },
    { confusion: publishedFigure4(classes.slice(0, 5)).confusion, classes: classes.slice(0, 5) },
  );
  const fig4n = figures.add(
    'fig-figure4-normalised',
    'Figure 4, normalised',
    oursNormalised,
    { shows: 'The same matrix with each row divided by its true count (the paper’s Figure 4, bottom).', notice: `the published one is 1.00 on every class but leave_temporarily (0.50). Here: ${confusionNotice(r.paper.scenarios.report)}` },
    { normalised: r.paper.scenarios.report.normalised, classes: r.paper.scenarios.report.classes },
  );
  const fig6 = figures.add(
    'fig-figure6',
    'The paper’s Figure 6 (top), regenerated',
    chart,
    {
      shows: 'For each test scenario, the class it truly is (ring) and the class the network predicted (a green dot inside the ring when right, a red cross when wrong).',
      notice: `${correct} of ${scenarioCount} rings hold their dot; the published graph shows ${PUBLISHED.scenariosRight} of ${PUBLISHED.scenarios}.`,
    },
    r.paper.predictedVsExpected,
  );
  const learned = html`<section id="learned"><h2>2. What it learned about the residents</h2>
<p>From the uses alone (when, which device, what kind), the ${o.preset} preset, trained on ${r.presets.trainHomes.length} simulated homes’ lives (${o.home} among them, on other days), inferred ${o.inferred.length} activities over ${o.days} day${o.days === 1 ? '' : 's'}; ${o.trueActivities} really happened.</p>
${dayFigure}
<h3>Per activity, on the timeline</h3>
<p>An inferred activity is right when a true one of the same class lies within 15 minutes (each true one found once). Precision ${f2(m.precision)}, recall ${f2(m.recall)}, macro-F1 ${f3(m.macroF1)}.</p>
${perClassTable(m)}
<details><summary>The inferred day, activity by activity</summary>${inferredTable(o.inferred, o.deviceNames)}</details>
<h3>The published study, regenerated</h3>
<p>The paper’s training set rebuilt in its format (${thousands(r.paper.training.records)} records from ${thousands(r.paper.training.days)} simulated days of the paper’s home: a lock, a light, an alarm) and its network (Dense 500-500-500 relu + 5, SGD, mean squared error) trained on it for ${fit.epochs} epoch${fit.epochs === 1 ? '' : 's'}, batch ${fit.batchSize}.</p>
${table(
  ['', 'regenerated here', 'published'],
  [
    ['validation accuracy (last 20% of rows)', fit.validationAccuracy === null ? '–' : pct(fit.validationAccuracy), pct2(PUBLISHED.validationAccuracy)],
    ['test scenarios right', `${correct} of ${scenarioCount}`, `${PUBLISHED.scenariosRight} of ${PUBLISHED.scenarios}`],
  ],
  [false, true, true],
)}
<div class="pair">${fig4}${fig4published}</div>
${fig4n}
${fig6}
</section>`;

  // 3. How it holds up.
  const p = r.presets;
  const bars = p.presets.flatMap((x) => [
    { preset: x.preset, home: `${p.seenHome}, new days`, perUseAccuracy: x.seen.perUse.accuracy, timelineMacroF1: x.seen.timeline.macroF1 },
    { preset: x.preset, home: `${p.unseenHome}, never seen`, perUseAccuracy: x.unseen.perUse.accuracy, timelineMacroF1: x.unseen.timeline.macroF1 },
  ]);
  const barsSvg = await figureSvg(presetScoresSpec(bars, { title: 'Every preset on a home it saw and one it never saw', homes: [`${p.seenHome}, new days`, `${p.unseenHome}, never seen`] }));
  const best = [...p.presets].sort((a, b) => b.unseen.timeline.macroF1 - a.unseen.timeline.macroF1)[0];
  const paperPreset = p.presets.find((x) => x.preset === 'paper');
  const presetsFigure = figures.add(
    'fig-presets',
    'Every preset on homes it never saw',
    barsSvg,
    {
      shows: `Each preset’s accuracy per use and macro-F1 of the activities on a timeline, on ${p.testDays} new days of ${p.seenHome} (a home it learnt from) and on ${p.unseenHome} (a home none of them saw).`,
      notice:
        `on the home it never saw, ${best.preset} is best (timeline macro-F1 ${f3(best.unseen.timeline.macroF1)})` +
        (paperPreset !== undefined ? `; the published network’s features give ${f3(paperPreset.unseen.timeline.macroF1)} there, against ${f3(paperPreset.seen.timeline.macroF1)} on the home it learnt from.` : '.'),
    },
    bars,
  );
  const confusions: SafeHtml[] = [];
  for (const x of p.presets) {
    const svg = await renderConfusion(x.unseen.perUse, { format: 'svg', normalised: true, title: `${x.preset} on ${p.unseenHome} (never seen), per use` });
    confusions.push(
      figures.add(
        `fig-unseen-${x.preset}`,
        `${x.preset} on ${p.unseenHome}, per use`,
        svg,
        { shows: `The ${x.preset} preset’s predictions for each use of the unseen home, each row divided by its true count.`, notice: confusionNotice(x.unseen.perUse) },
        { normalised: x.unseen.perUse.normalised, confusion: x.unseen.perUse.confusion, classes: x.unseen.perUse.classes },
      ),
    );
  }
  const presetRows = p.presets.map((x) => [x.preset, pct(x.seen.perUse.accuracy), f3(x.seen.timeline.macroF1), pct(x.unseen.perUse.accuracy), f3(x.unseen.timeline.macroF1)]);
  const labelled =
    p.labelled.length === 0
      ? html`<p class="none">No labelled real home was given (<code>peephole study --labelled DIR</code>, a folder with <code>events.csv</code> and <code>labels.csv</code>), so only simulated homes are scored here.</p>`
      : html`<h3>Real homes, recorded and labelled by others</h3><p>Each preset’s inferred days against the labels of real homes none of them saw (their sensors’ events read as device uses), right within 15 and 30 minutes.</p>${table(
          ['home', 'days', 'uses', 'labelled activities', ...p.presets.map((x) => `${x.preset} F1 at 15 / 30 min`)],
          p.labelled.map((h) => [
            h.name,
            h.days.toFixed(1),
            thousands(h.uses),
            thousands(h.labels),
            ...p.presets.map((x) => {
              const s = h.presets.find((y) => y.preset === x.preset)?.scores ?? [];
              return s.map((t) => f3(t.macroF1)).join(' / ') || '–';
            }),
          ]),
          [false, true, true, true, ...p.presets.map(() => true)],
        )}`;
  const holdsUp = html`<section id="holds-up"><h2>3. How it holds up</h2>
<p>Every preset learnt from ${p.trainHomes.length} simulated homes (${p.trainHomes.join(', ')}; ${p.trainDays} days each) and was tested on ${p.testDays} new days of ${p.seenHome} and on ${p.unseenHome}, a home none of them saw: accuracy per use (each use’s activity) and macro-F1 of the activities on a timeline (right within 15 minutes).</p>
${table(['preset', `${p.seenHome}: per use`, `${p.seenHome}: timeline F1`, `${p.unseenHome}: per use`, `${p.unseenHome}: timeline F1`], presetRows, [false, true, true, true, true])}
${presetsFigure}
<div class="pair">${confusions}</div>
${labelled}
${defaultPresetText(p)}
</section>`;

  // 4. Defences; 5. How it was made.
  const defences = await defencesSection(figures, r.defences);
  const s = r.settings;
  const made = html`<section id="made"><h2>5. How this report was made</h2>
<p>${madeFacts(r.made)}. Command: <code>peephole study --seed ${s.seed} --days ${s.days}${s.quick ? ' --quick' : ''}${s.labelled.map((d) => ` --labelled ${d}`).join('')} --out ${s.out}</code>.</p>
${table(
  ['setting', 'value'],
  [
    ['seed (every simulated life and every network)', s.seed],
    ['mode', s.quick ? 'quick (fewer epochs and days: worse numbers)' : 'full'],
    ['published network: epochs', s.paperEpochs],
    ['training homes: days of life each', s.trainDays],
    ['test homes: days each (seed + 1000)', s.testDays],
    ['presets: epochs', Object.entries(s.presetEpochs).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['observed home: days as a capture', s.days],
    ...(r.defences?.sweep === undefined
      ? []
      : [
          [
            'defences: observers’ days (learnt / scored), cost days, epochs, values of each sweep',
            `${r.defences.sweep.trainDays} / ${r.defences.sweep.testDays}, ${r.defences.sweep.costDays}, ${r.defences.sweep.epochs}, ${r.defences.sweep.valuesPerStrategy ?? 'all'}`,
          ],
        ]),
  ],
)}
<h3>Which trainer ran</h3>
${table(['network', 'trainer', 'epochs', 'samples/s', 'training time'], [fitLine('published network on the published data', r.paper.fit), ...p.presets.map((x) => fitLine(`${x.preset} on the homes`, x.fit))], [false, false, true, true, true])}
<h3>Time of each stage</h3>
${stagesTable(r.stages)}
${filesTable(r.files, out)}
${METHOD_IN_SHORT}
<p>${methodLink(options)} The choices made where the paper is silent are in <code>data/paper-choices.md</code>.</p>
</section>`;

  const glance = html`<div class="glance">
<div><b>${o.devices.length}</b><small>devices found and named</small></div>
<div><b>${thousands(o.uses.found)}</b><small>device uses found (${thousands(o.trueUses)} true)</small></div>
<div><b>${f3(m.macroF1)}</b><small>timeline macro-F1 of the inferred days</small></div>
<div><b>${fit.validationAccuracy === null ? '–' : pct(fit.validationAccuracy)}</b><small>published network’s validation accuracy (published ${pct2(PUBLISHED.validationAccuracy)})</small></div>
<div><b>${correct} of ${scenarioCount}</b><small>test scenarios right (published ${PUBLISHED.scenariosRight} of ${PUBLISHED.scenarios})</small></div>
<div><b>${f3(best.unseen.timeline.macroF1)}</b><small>best timeline macro-F1 on the simulated home never seen (${best.preset})</small></div>
${defaultGlance(p)}
${r.defences === null ? '' : defenceGlance(r.defences)}
</div>
<p class="trainer">${trainerText(r)}</p>`;
  const body = html`<main>
<header class="top"><h1>What a network observer learns about the people in a smart home</h1>
<p class="lead">peephole’s study${s.quick ? ' (quick mode: fewer epochs and days, worse numbers)' : ''}: an observer who sees only encrypted traffic names the devices, finds when each was used, and infers the residents’ days. Seed ${s.seed}; all data simulated${p.labelled.length > 0 ? ', with real labelled homes in section 3' : ''}.</p>
${glance}
<nav><ol><li><a href="#observed">What the observer saw</a></li><li><a href="#learned">What it learned about the residents</a></li><li><a href="#holds-up">How it holds up</a></li><li><a href="#defences">What each defence costs</a></li><li><a href="#made">How this report was made</a></li></ol></nav>
</header>
${observed}
${learned}
${holdsUp}
${defences}
${made}
<footer>report.json has every number and each figure’s data; summary.md is the short version.</footer>
</main>`;
  return { html: htmlPage({ title: `peephole study (seed ${s.seed})`, css: CSS, body }), figures: figures.list };
}

/** report.html of the observer's half on a user's own capture (no ground truth), and its figures' data. */
export async function renderCaptureReport(r: CaptureReportInput, options: ReportOptions): Promise<RenderedReport> {
  const figures = new Figures();
  const c = r.capture;
  const out = r.settings.out;
  const span = c.first === null || c.last === null ? 'no device traffic' : `${utcMinute(c.first)} to ${utcMinute(c.last)} UTC (${seconds(c.last - c.first)})`;
  const trafficFigure = await timelineFigure(figures, r.traffic, 'Traffic of each device');
  const observed = html`<section id="observed"><h2>1. What the observer saw</h2>
${table(
  ['', ''],
  [
    ['capture', html`<span class="mono">${c.file}</span>`],
    ['format, link types', `${c.format}, ${c.linkTypes.join(', ') || 'none'}`],
    ['records, bytes', `${thousands(c.records)}, ${bytes(c.bytes)}`],
    ['span of the devices’ traffic', span],
    ['vantage', `${c.vantage} (the traffic suggests ${c.vantageDetected})`],
    ['damaged records', c.damagedRecords === 0 ? 'none' : thousands(c.damagedRecords)],
    ...(r.uses.packetsOutOfTime ? [['packets left out of the uses', `${thousands(r.uses.packetsOutOfTime)}, dated before 1970 or after 2112-09-17`] as const] : []),
    ['devices you named (--known)', r.knownEntries === 0 ? 'none given' : `${r.knownEntries} entries`],
  ],
)}
<h3>The devices it found and named (${r.devices.length}${r.devicesNotKept > 0 ? `, and ${r.devicesNotKept} not kept` : ''})</h3>
<p>Each device with the vendor and category the observer gave it, its confidence (0 to 1: how much of the evidence agrees, and how much there is; a device you named with --known is marked known) and the evidence behind it. Names in the evidence came off the wire as they are.</p>
${devicesTable(r.devices)}
${trafficFigure}
</section>`;

  const items = dayItems(r.inferred, r.model.classes, null);
  // A model's `none` class (a use with no activity behind it) is never on the timeline.
  const dayClasses = r.model.classes.filter((c) => c !== 'none');
  const daySvg = await figureSvg(dayChartSpec(items, { title: 'The residents’ days as the observer infers them', classes: dayClasses }));
  const meanConfidence = r.inferred.length === 0 ? null : r.inferred.reduce((a, t) => a + t.confidence, 0) / r.inferred.length;
  const days = new Set(items.map((i) => new Date(i.timeUs / 1000).toISOString().slice(0, 10))).size;
  const dayFigure = figures.add(
    'fig-days',
    'The residents’ days as the observer infers them',
    daySvg,
    {
      shows: `One row per day (UTC), the hour across: each activity the ${r.model.preset} model inferred from the device uses found, coloured by activity.`,
      notice:
        r.inferred.length === 0
          ? 'no activity was inferred.'
          : `${r.inferred.length} activities over ${days} day${days === 1 ? '' : 's'}, mean confidence ${f2(meanConfidence!)}. Nobody said what really happened in this home, so none of them is scored.`,
    },
    items,
  );
  const usesRows = r.uses.devices.map((d) => [html`<span class="mono">${d.name}</span>`, d.kind, d.uses, d.meanConfidence === null ? '–' : f2(d.meanConfidence)]);
  const learned = html`<section id="learned"><h2>2. What it inferred about the residents</h2>
<p>${thousands(r.uses.found)} device uses found in the encrypted traffic (bursts outside each device’s own keep-alive rhythm), by device:</p>
${r.uses.devices.length === 0 ? html`<p class="none">No device had a use.</p>` : table(['device', 'kind (as the model reads it)', 'uses', 'mean confidence'], usesRows, [false, false, true, true])}
${dayFigure}
${inferredTable(r.inferred, r.deviceNames)}
</section>`;

  const bands = [
    { name: 'at least 0.8', test: (x: number) => x >= 0.8 },
    { name: '0.5 to 0.8', test: (x: number) => x >= 0.5 && x < 0.8 },
    { name: 'under 0.5', test: (x: number) => x < 0.5 },
  ];
  const sure = html`<section id="sure"><h2>3. How sure it is</h2>
<p class="note">No ground truth: nobody told peephole what the residents of this home did, so this report scores nothing and claims no accuracy. The numbers below are the observer’s own confidence, not how often it is right.</p>
${table(
  ['confidence', 'devices named', 'uses found', 'activities inferred'],
  bands.map((b) => [
    b.name,
    r.devices.filter((d) => b.test(d.confidence)).length,
    r.uses.confidences.filter((x) => b.test(x)).length,
    r.inferred.filter((t) => b.test(t.confidence)).length,
  ]),
  [false, true, true, true],
)}
<ul>
<li>A device’s confidence says how much of its evidence agrees on one vendor and category, and how much evidence there is; a device with no name from the wire is named by its MAC vendor alone, or not at all.</li>
<li>A use’s confidence is the burst classifier’s: how far the burst stands from the device’s keep-alives.</li>
<li>An activity’s confidence is the model’s mean probability for it over the uses behind it. The model (${r.model.preset}, <span class="mono">${r.model.dir}</span>) learnt from ${r.model.trainedOn}; a home unlike those may be read with high confidence and still wrongly.</li>
<li>To measure how right it is on a home, label the residents’ activities (<code>time,activity</code>) and run <code>peephole evaluate --events uses.csv --labels labels.csv</code>.</li>
</ul>
</section>`;

  // A user's own capture: no scores of any kind on this page, not even the paper's.
  const defences = await defencesSection(figures, r.defences);
  const made = html`<section id="made"><h2>5. How this report was made</h2>
<p>${madeFacts(r.made)}. Command: <code>peephole study --capture ${r.settings.capture} --model ${r.settings.model}${r.settings.known === null ? '' : ` --known ${r.settings.known}`} --out ${out}</code>.</p>
<h3>Time of each stage</h3>
${stagesTable(r.stages)}
${filesTable(r.files, out)}
${METHOD_IN_SHORT}
<p>${methodLink(options)}</p>
</section>`;
  const glance = html`<div class="glance">
<div><b>${r.devices.length}</b><small>devices found and named</small></div>
<div><b>${thousands(r.uses.found)}</b><small>device uses found</small></div>
<div><b>${r.inferred.length}</b><small>activities inferred${meanConfidence === null ? '' : `, mean confidence ${f2(meanConfidence)}`}</small></div>
</div>`;
  const body = html`<main>
<header class="top"><h1>What a network observer learns from this capture</h1>
<p class="lead">peephole on <span class="mono">${c.file}</span>: the devices an observer on the path names, when each was used, and the residents’ days it infers, with how sure it is. There is no ground truth here, so nothing is scored.</p>
${glance}
<nav><ol><li><a href="#observed">What the observer saw</a></li><li><a href="#learned">What it inferred about the residents</a></li><li><a href="#sure">How sure it is</a></li><li><a href="#defences">What each defence costs</a></li><li><a href="#made">How this report was made</a></li></ol></nav>
</header>
${observed}
${learned}
${sure}
${defences}
${made}
<footer>report.json has every number and each figure’s data; summary.md is the short version.</footer>
</main>`;
  return { html: htmlPage({ title: 'peephole: what this capture gives away', css: CSS, body }), figures: figures.list };
}

