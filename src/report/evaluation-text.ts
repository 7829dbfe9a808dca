/**
 * The evaluation as text a person reads at a glance: the headline (accuracy, macro-F1), the per-class
 * table, the confusion matrix (rows = true class, columns = predicted, columns headed by class id to
 * stay narrow), and when given, how activities on a timeline were found and which scenarios were
 * right. Class, scenario and resident names are untrusted: control and bidi characters are shown
 * escaped (core/table-format.ts), and {@link visibleLines} is the backstop over the whole text.
 */
import type { ClassificationReport, ClassMetrics } from '../evaluate/metrics.js';
import type { ScenarioResult } from '../evaluate/scenarios.js';
import type { TimedActivity, TimelineMatch } from '../evaluate/timeline-match.js';
import { plotLabel } from './timeline-plot.js';
import { duration, table } from './text.js';
import { median } from '../core/median.js';
import { visibleLines } from '../core/table-format.js';

export interface EvaluationTextInput {
  /** What was evaluated (a model, a capture); untrusted. */
  title?: string;
  report: ClassificationReport;
  timeline?: TimelineMatch;
  scenarios?: readonly ScenarioResult[];
}

/** How many missed and false activities are listed before "… and N more". */
export const MAX_LISTED = 10;
const MAX_NAME_CHARS = 40;
const US_PER_S = 1_000_000;

function name(text: string): string {
  return plotLabel(text, MAX_NAME_CHARS);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}

function fixed(x: number): string {
  return x.toFixed(3);
}

function metricsTable(perClass: readonly ClassMetrics[], macroClasses: readonly number[], supportTitle: string): string {
  return table(
    ['class', 'precision', 'recall', 'F1', supportTitle, 'predicted', 'right', ''],
    perClass.map((m, i) => [
      `${i} ${name(m.name)}`,
      fixed(m.precision),
      fixed(m.recall),
      fixed(m.f1),
      String(m.support),
      String(m.predicted),
      String(m.correct),
      macroClasses.includes(i) ? '' : '(absent: not in macro-F1)',
    ]),
    [false, true, true, true, true, true, true, false],
  );
}

function confusionTable(report: ClassificationReport): string {
  const ids = report.classes.map((_, i) => String(i));
  return table(
    ['true \\ predicted', ...ids, 'total'],
    report.confusion.map((row, t) => [`${t} ${name(report.classes[t])}`, ...row.map(String), String(report.perClass[t].support)]),
    [false, ...ids.map(() => true), true],
  );
}

function utcText(timeUs: number): string {
  const d = new Date(Math.floor(timeUs / 1000));
  return Number.isNaN(d.getTime()) ? `${timeUs} µs` : d.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

function activityList(what: string, items: readonly TimedActivity[], classes: readonly string[]): string[] {
  if (items.length === 0) return [`  ${what}: none`];
  const listed = items.slice(0, MAX_LISTED);
  const residents = listed.some((a) => a.resident !== undefined && a.resident !== '');
  const rows = listed.map((a) => [utcText(a.timeUs), name(classes[a.activity]), ...(residents ? [name(a.resident ?? '')] : [])]);
  const header = ['time', 'activity', ...(residents ? ['resident'] : [])];
  const out = [`  ${what}: ${items.length}`, table(header, rows).trimEnd().replace(/^/gm, '  ')];
  if (items.length > MAX_LISTED) out.push(`    … and ${items.length - MAX_LISTED} more`);
  return out;
}

/** A span as `15 min`, `2 h`, `90 s` when it is whole in that unit, else as {@link duration} writes it. */
function span(us: number): string {
  const s = Math.abs(us) / US_PER_S;
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s < 3600 && s % 60 === 0) return `${s / 60} min`;
  return duration(s);
}

function signedSpan(us: number): string {
  return `${us < 0 ? '−' : us > 0 ? '+' : ''}${span(us)}`;
}

/** The timeline section of the report, as lines: the headline, the per-class table, the missed and false activities. */
export function timelineSection(m: TimelineMatch): string[] {
  const truths = m.pairs.length + m.missed.length;
  const predictions = m.pairs.length + m.falseAlarms.length;
  const out = [
    `Activities on the timeline (right when within ${span(m.toleranceUs)} of a true one of the same class)`,
    `  ${truths} true, ${predictions} predicted, ${m.pairs.length} found · precision ${fixed(m.precision)} · recall ${fixed(m.recall)} · macro-F1 ${fixed(m.macroF1)} (over ${m.macroClasses.length} classes)`,
  ];
  if (m.pairs.length > 0) {
    const offsets = m.pairs.map((p) => p.offsetUs);
    const late = offsets.filter((o) => o > 0).length;
    const early = offsets.filter((o) => o < 0).length;
    out.push(
      `  found ones were off by ${span(median(offsets.map(Math.abs)))} in the median (median offset ${signedSpan(median(offsets))}; ${early} early, ${late} late)`,
    );
  }
  out.push('', metricsTable(m.perClass, m.macroClasses, 'true').trimEnd(), '');
  out.push(...activityList('missed (true, not found)', m.missed, m.classes));
  out.push(...activityList('false (predicted, not true)', m.falseAlarms, m.classes));
  return out;
}

function scenarioSection(scenarios: readonly ScenarioResult[], classes: readonly string[]): string[] {
  const right = scenarios.filter((s) => s.correct).length;
  const wrong = scenarios.filter((s) => !s.correct).map((s) => name(s.label));
  return [
    `Scenarios: ${right} of ${scenarios.length} right (${percent(right, scenarios.length)})${wrong.length > 0 ? `; wrong: ${wrong.join(', ')}` : ''}`,
    table(
      ['scenario', 'expected', 'predicted', 'mean p', 'rows', ''],
      scenarios.map((s) => [
        name(s.label),
        name(classes[s.expected]),
        name(classes[s.predicted]),
        s.meanProbabilities[s.predicted].toFixed(3),
        String(s.rows),
        s.correct ? 'right' : 'WRONG',
      ]),
      [false, false, false, true, true, false],
    ).trimEnd(),
  ];
}

/**
 * The plain-text evaluation report.
 *
 * @example
 * process.stdout.write(renderEvaluationText({ title: 'paper preset', report: results.report, scenarios: results.scenarios }));
 */
export function renderEvaluationText(input: EvaluationTextInput): string {
  const r = input.report;
  const out = [
    `peephole evaluation${input.title === undefined ? '' : `: ${name(input.title)}`}`,
    `  ${r.total} sample(s) · accuracy ${percent(r.correct, r.total)} (${r.correct} of ${r.total} right) · macro-F1 ${fixed(r.macroF1)} (over ${r.macroClasses.length} of ${r.classes.length} classes)`,
    '',
    'Per class',
    metricsTable(r.perClass, r.macroClasses, 'support').trimEnd(),
    '',
    'Confusion matrix (rows: true class, columns: predicted class id)',
    confusionTable(r).trimEnd(),
  ];
  if (input.timeline !== undefined) out.push('', ...timelineSection(input.timeline));
  if (input.scenarios !== undefined) out.push('', ...scenarioSection(input.scenarios, r.classes));
  return visibleLines(out.join('\n') + '\n');
}
