/**
 * What `peephole evaluate --events --labels` shows of a labelled home's evaluation
 * (attack/evaluate-labelled.ts): per tolerance the timeline scores (macro-F1, per-class precision and
 * recall, what was missed and what was false) and the confusion; then the true and the inferred day
 * side by side, one day after the other. Also the same as a JSON object. File names and device ids are
 * untrusted: control characters are shown escaped.
 */
import { widestScore, type LabelledEvaluation, type SideBySideRow } from '../attack/evaluate-labelled.js';
import type { TimelineConfusion } from '../evaluate/timeline-confusion.js';
import { csvCell, visibleControls, visibleLines, visibleStrings } from '../core/table-format.js';
import { timelineSection } from './evaluation-text.js';
import { table } from './text.js';

const US_PER_MIN = 60e6;

function minutes(us: number): string {
  return `${Number((us / US_PER_MIN).toFixed(3))} min`;
}

function isoTime(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString();
}

/** The confusion as a table: rows true class, columns predicted class id, "none" and the row total. */
export function confusionText(c: TimelineConfusion): string {
  const n = c.classes.length;
  const ids = c.classes.map((_, i) => String(i));
  const rowName = (t: number): string => (t === n ? '(nothing true)' : `${t} ${visibleControls(c.classes[t])}`);
  return table(
    ['true \\ predicted', ...ids, 'nothing', 'total'],
    c.counts.map((row, t) => [rowName(t), ...row.map(String), String(row.reduce((a, b) => a + b, 0))]),
    [false, ...ids.map(() => true), true, true],
  );
}

/** The confusion as CSV: a header of the inferred classes and `nothing`, a row per true class and `nothing true`. */
export function confusionCsv(c: TimelineConfusion): string {
  const rows = [['true \\ inferred', ...c.classes, 'nothing'], ...c.counts.map((row, t) => [t === c.classes.length ? 'nothing true' : c.classes[t], ...row.map(String)])];
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

function cellOf(time: number, activity: string, confidence?: number): string {
  return `${isoTime(time).slice(11, 16)} ${activity}${confidence === undefined ? '' : ` ${confidence.toFixed(2)}`}`;
}

/** Both days, one block per UTC date: true activity beside the prediction that found it. */
export function sideBySideText(rows: readonly SideBySideRow[], classes: readonly string[]): string[] {
  const byDay = new Map<string, SideBySideRow[]>();
  for (const r of rows) {
    const day = isoTime(r.timeUs).slice(0, 10);
    let list = byDay.get(day);
    if (list === undefined) byDay.set(day, (list = []));
    list.push(r);
  }
  const out: string[] = [];
  for (const [day, list] of byDay) {
    const cells = list.map((r) => [
      r.truth === null ? '–' : cellOf(r.truth.timeUs, classes[r.truth.activity]),
      r.predicted === null ? '–' : cellOf(r.predicted.timeUs, r.predicted.activity, r.predicted.confidence),
    ]);
    out.push(day, table(['true', 'inferred (confidence)'], cells).trimEnd().replace(/^/gm, '  '), '');
  }
  return out;
}

/** The text report. */
export function labelledEvaluationText(result: LabelledEvaluation, model: { readonly dir: string; readonly preset: string; readonly sha256: string }): string {
  const widest = widestScore(result.scores).match;
  const out = [
    `peephole evaluation: ${visibleControls(model.preset)} (${visibleControls(model.dir)}, sha256 ${model.sha256}) on the labelled home ${visibleControls(result.eventsFile)} + ${visibleControls(result.labelsFile)}`,
    `  ${result.uses} uses · ${result.truth.length} true activities · ${result.predicted.length} inferred`,
    `  macro-F1 on the timeline: ${result.scores.map((s) => `${s.match.macroF1.toFixed(3)} within ${minutes(s.match.toleranceUs)}`).join(' · ')}`,
  ];
  for (const s of result.scores) {
    out.push('', `## Within ${minutes(s.match.toleranceUs)}`, '', ...timelineSection(s.match), '');
    out.push(`Confusion within ${minutes(s.match.toleranceUs)} (rows: true class; columns: the class inferred nearest it, or nothing)`, confusionText(s.confusion).trimEnd());
  }
  out.push('', `## The true and the inferred day side by side (times as in the files, UTC; a row pairs a true activity with the inference that found it within ${minutes(widest.toleranceUs)})`, '');
  out.push(...sideBySideText(result.sideBySide, widest.classes));
  return visibleLines(out.join('\n').trimEnd() + '\n');
}

/** The evaluation as a JSON object: every score, the confusions, and both days side by side. */
export function labelledEvaluationJson(result: LabelledEvaluation, model: { readonly dir: string; readonly preset: string; readonly featureSet: string; readonly sha256: string }): Record<string, unknown> {
  const classes = result.scores[0].match.classes;
  // File names and the model's folder came from the user: every string goes out visible.
  return visibleStrings({
    model,
    events: result.eventsFile,
    labels: result.labelsFile,
    uses: result.uses,
    truth: result.truth.length,
    inferred: result.predicted.length,
    tolerances: result.scores.map(({ match, confusion }) => ({
      toleranceMinutes: match.toleranceUs / US_PER_MIN,
      macroF1: match.macroF1,
      precision: match.precision,
      recall: match.recall,
      found: match.pairs.length,
      perClass: match.perClass,
      confusion: { rows: [...classes, 'nothing true'], columns: [...classes, 'nothing inferred'], counts: confusion.counts },
    })),
    sideBySide: result.sideBySide.map((r) => ({
      truth: r.truth === null ? null : { time: isoTime(r.truth.timeUs), activity: classes[r.truth.activity] },
      inferred: r.predicted === null ? null : { time: isoTime(r.predicted.timeUs), activity: r.predicted.activity, confidence: Number(r.predicted.confidence.toFixed(4)) },
    })),
  });
}
