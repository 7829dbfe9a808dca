/**
 * summary.md: the study (or the observer's half on a user's capture) in a few lines of Markdown, for
 * a terminal or a pull request: the headline numbers beside the published ones, the presets, what the
 * observer found, and where the full report is. Every text goes through {@link markdownText}, so a
 * name from the wire or a user's file cannot become a link, an image, HTML or a table cell break.
 */
import { plotLabel } from './plot-label.js';
import { PUBLISHED } from './published.js';
import { usesBehind } from './study-html.js';
import type { CaptureReportInput, StudyReportInput } from './study-report-input.js';

/**
 * Text as Markdown shows it: control and bidi characters visible, then a backslash before each
 * character that could start markup (code, emphasis, links and images, HTML, table cells, entities);
 * an underscore inside a word (`wake_up`) starts nothing and is left as it is.
 */
export function markdownText(text: string): string {
  return plotLabel(text, Number.POSITIVE_INFINITY)
    .replace(/[\\`*[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/_/g, (c, at: number, s: string) => (/[A-Za-z0-9]/.test(s[at - 1] ?? '') && /[A-Za-z0-9]/.test(s[at + 1] ?? '') ? c : `\\${c}`));
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function header(cells: readonly string[]): string[] {
  return [row(cells), row(cells.map(() => '---'))];
}

function kilobytes(n: number): string {
  return `${(n / 1000).toFixed(0)} kB`;
}

/** Lines of the inferred day shown in a capture's summary. */
const SUMMARY_DAY_LINES = 20;

/** summary.md of a study; `reportBytes` is report.html's size. */
export function renderStudyMarkdown(r: StudyReportInput, reportBytes: number): string {
  const t = markdownText;
  const o = r.observer;
  const fit = r.paper.fit;
  const seconds = r.stages.reduce((a, s) => a + s.seconds, 0);
  const p = r.presets;
  const lines = [
    `# peephole study (seed ${r.settings.seed}${r.settings.quick ? ', quick' : ''})`,
    '',
    ...header(['', 'here', 'published']),
    row(['validation accuracy (last 20% of rows)', fit.validationAccuracy === null ? '–' : pct(fit.validationAccuracy), `${(100 * PUBLISHED.validationAccuracy).toFixed(2)}%`]),
    row(['test scenarios right', `${r.paper.scenarios.correct} of ${r.paper.scenarios.scenarios.length}`, `${PUBLISHED.scenariosRight} of ${PUBLISHED.scenarios}`]),
    row([
      'scenarios right after fake data is injected',
      r.defences?.paperInjection ? `${r.defences.paperInjection.scenarios.correct} of ${r.defences.paperInjection.scenarios.scenarios.length}` : 'not measured',
      `${PUBLISHED.scenariosRightAfterInjection} of ${PUBLISHED.scenarios}`,
    ]),
    '',
    `**What the observer saw** (${t(o.home)} home, ${o.days} day(s), ${thousands(o.packets)} packets): ${o.devices.length} devices named; ` +
      `${thousands(o.uses.found)} device uses found (${thousands(o.trueUses)} true; precision ${o.uses.score.overall.precision.toFixed(2)}, recall ${o.uses.score.overall.recall.toFixed(2)}); ` +
      `${o.inferred.length} activities inferred by ${t(o.preset)}, ${o.trueActivities} true, ${o.timeline.pairs.length} right within 15 min (timeline macro-F1 ${o.timeline.macroF1.toFixed(3)}).`,
    '',
    `**Every preset on homes it never saw** (trained on ${p.trainHomes.map(t).join(', ')}, ${p.trainDays} days each; ${p.testDays} test days; the default is ${t(p.defaultPreset)}):`,
    '',
    ...header(['preset', `${t(p.seenHome)} per use`, `${t(p.seenHome)} timeline F1`, `${t(p.unseenHome)} (never seen) per use`, `${t(p.unseenHome)} timeline F1`]),
    ...p.presets.map((x) => row([t(x.preset), pct(x.seen.perUse.accuracy), x.seen.timeline.macroF1.toFixed(3), pct(x.unseen.perUse.accuracy), x.unseen.timeline.macroF1.toFixed(3)])),
    '',
    ...(p.labelled.length === 0
      ? ['Real labelled homes: none given (`--labelled DIR`).']
      : [
          '**Real labelled homes** (timeline macro-F1 within 15 / 30 min):',
          '',
          ...header(['home', ...p.presets.map((x) => t(x.preset))]),
          ...p.labelled.map((h) => row([t(h.name), ...p.presets.map((x) => (h.presets.find((y) => y.preset === x.preset)?.scores ?? []).map((s) => s.macroF1.toFixed(3)).join(' / ') || '–')])),
        ]),
    '',
    r.defences === null
      ? '**Defences:** not measured (no ground truth to score them against).'
      : `**Defences** (${r.defences.settings.length} settings on the ${t(r.defences.home)} home; undefended timeline macro-F1 ${r.defences.undefendedMacroF1.toFixed(3)}, chance ${r.defences.chanceMacroF1.toFixed(3)}): ${r.defences.recommendation === null ? `no setting keeps the adaptive and aware observers under ${r.defences.targetMacroF1.toFixed(2)}` : `recommended ${t(r.defences.recommendation.strategy)} ${t(r.defences.recommendation.setting)}: ${t(r.defences.recommendation.why)}`}`,
    '',
    `Trainer: ${t(fit.backend)} (${t(fit.backendReason)})${fit.backend === 'native' ? '' : '; the OpenBLAS trainer is several times faster (bash scripts/setup.sh)'}. Stages took ${seconds.toFixed(1)} s in all${r.made.resumedFrom === null ? '' : ` (resumed from ${t(r.made.resumedFrom)})`}. The full report: report.html (${kilobytes(reportBytes)}); every number: report.json.`,
  ];
  return lines.join('\n') + '\n';
}

/** summary.md of the observer's half on a user's capture: what was inferred and how sure, no accuracy. */
export function renderCaptureMarkdown(r: CaptureReportInput, reportBytes: number): string {
  const t = markdownText;
  const names = new Map(r.deviceNames.map((d) => [d.id, d.name]));
  const lines = [
    `# peephole on ${t(r.capture.file)}`,
    '',
    'No ground truth: nothing here is scored; every confidence is the observer’s own, not how often it is right.',
    '',
    `**Devices** (${r.devices.length}):`,
    '',
    ...header(['device', 'vendor', 'category', 'confidence']),
    ...r.devices.map((d) => row([t(d.id), t(d.vendor ?? '?'), t(d.category ?? '?'), d.confidence.toFixed(2) + (d.known ? ' (known)' : '')])),
    '',
    `**Device uses found:** ${thousands(r.uses.found)}.`,
    '',
    `**Activities inferred** by ${t(r.model.preset)}: ${r.inferred.length}${r.inferred.length > SUMMARY_DAY_LINES ? ` (the first ${SUMMARY_DAY_LINES})` : ''}`,
    '',
    ...header(['time (UTC)', 'activity', 'confidence', 'uses behind it']),
    ...r.inferred
      .slice(0, SUMMARY_DAY_LINES)
      .map((a) => row([new Date(Math.floor(a.timeUs / 1000)).toISOString().slice(0, 16).replace('T', ' '), t(a.activity), a.confidence.toFixed(2), usesBehind(a.events.map((e) => names.get(e.device) ?? e.device)).map(t).join(', ')])),
    '',
    `The full report: report.html (${kilobytes(reportBytes)}); every number: report.json.`,
  ];
  return lines.join('\n') + '\n';
}
