/**
 * The study as text (study.txt, and what `peephole study` prints), from its result alone
 * (study/result.ts has all of it; this reads what it shows), and the presets table (homes/presets.csv).
 * Names in it (homes, scenarios, classes, vendors, devices) go through the rule for text from
 * elsewhere (core/table-format.ts), as in every other report.
 */
import { relative } from 'node:path';
import type { DeviceUse } from '../core/device-use.js';
import type { DefencesSection } from './study-report-input.js';
import { inferredDayTable, type InferredActivity } from './inferred-day.js';
import { csvCell, visibleControls as v, visibleLines } from '../core/table-format.js';

/** A score on one home's life: accuracy per use and macro-F1 of the activities on a timeline. */
export interface StudyLifeScore {
  readonly perUse: { readonly accuracy: number };
  readonly timeline: { readonly macroF1: number };
}

export interface StudyPresetScores {
  readonly preset: string;
  /** The preset's model folder and its digest. */
  readonly model: string;
  readonly modelSha256: string;
  readonly seen: StudyLifeScore;
  readonly unseen: StudyLifeScore;
}

/** What the study's text shows of its result. */
export interface StudyTextInput {
  readonly settings: { readonly out: string; readonly seed: number; readonly quick: boolean };
  readonly paper: {
    readonly training: { readonly records: number; readonly days: number };
    readonly model: string;
    readonly modelSha256: string;
    readonly fit: { readonly batchSize: number; readonly epochs: number; readonly backend: string; readonly samplesPerSecond: number; readonly validationAccuracy: number | null };
    readonly classes: readonly string[];
    readonly scenarios: { readonly correct: number; readonly scenarios: readonly { readonly label: string; readonly correct: boolean; readonly predicted: number }[] };
  };
  readonly presets: {
    readonly trainHomes: readonly string[];
    readonly trainDays: number;
    readonly seenHome: string;
    readonly unseenHome: string;
    readonly testDays: number;
    readonly presets: readonly StudyPresetScores[];
    readonly defaultPreset: string;
  };
  readonly observer: {
    readonly home: string;
    readonly days: number;
    readonly packets: number;
    readonly trueUses: number;
    readonly devices: readonly { readonly vendor: string | null; readonly category: string | null }[];
    readonly uses: { readonly found: number };
    readonly deviceNames: readonly { readonly id: string; readonly name: string }[];
    readonly inferred: readonly InferredActivity[];
    readonly trueActivities: number;
    readonly timeline: { readonly pairs: { readonly length: number }; readonly precision: number; readonly recall: number; readonly macroF1: number };
  };
  readonly defences: DefencesSection | null;
}

/** Lines of the inferred day shown in the text: the first hours. */
export const STUDY_DAY_LINES = 12;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** A device as the observer names it in the study: vendor and category (or kind), then its id (MAC). */
export function studyUseLabel(device: { readonly id: string; readonly vendor: string | null; readonly category: string | null; readonly kind: string }): string {
  return `${device.vendor ?? '?'} ${device.category ?? device.kind} ${device.id}`;
}

/** How the study names a use in the inferred day: by its device's name in `deviceNames`, else its device id. */
export function namedUse(deviceNames: readonly { readonly id: string; readonly name: string }[]): (use: DeviceUse) => string {
  const names = new Map(deviceNames.map((d) => [d.id, d.name]));
  return (use) => names.get(use.device) ?? use.device;
}

/** homes/presets.csv: each preset's accuracy per use and timeline macro-F1 on the seen and the unseen home. */
export function presetScoresCsv(presets: readonly StudyPresetScores[]): string {
  const rows = presets.map((p) => `${csvCell(p.preset)},${p.seen.perUse.accuracy},${p.seen.timeline.macroF1},${p.unseen.perUse.accuracy},${p.unseen.timeline.macroF1}`);
  return `preset,seen_use_accuracy,seen_timeline_macro_f1,unseen_use_accuracy,unseen_timeline_macro_f1\n${rows.join('\n')}\n`;
}

/** Part 4 of study.txt: the defences swept, the recommendation, the paper's own defence on its scenarios. */
function defenceLines(d: DefencesSection): string[] {
  const strategies = new Set(d.settings.map((s) => s.strategy)).size;
  const sw = d.sweep;
  const inj = d.paperInjection;
  return [
    `4. What each defence costs (defences/): ${d.settings.length} settings of ${strategies} strategies on the ${v(d.home)} home${sw === undefined ? '' : ` (observers learn ${sw.trainDays} days, scored on ${sw.testDays}; cost on ${sw.costDays})`}`,
    `   undefended     timeline macro-F1 ${d.undefendedMacroF1.toFixed(3)}, chance ${d.chanceMacroF1.toFixed(3)}; target: the adaptive and aware observers under ${d.targetMacroF1}`,
    `   recommended    ${d.recommendation === null ? 'none: no setting tried holds both observers under the target' : `${v(d.recommendation.strategy)} ${v(d.recommendation.setting)}: ${v(d.recommendation.why)}`}`,
    ...(inj === undefined || inj === null ? [] : [`   the paper's    fake data injected every ${inj.periodMinutes} min: ${inj.scenarios.correct} of ${inj.scenarios.scenarios.length} scenarios right (published: 2 of 8)`]),
    `   files          frontier.csv, frontier.txt, frontier.svg, frontier.png, figure5-confusion.svg, paper-injected.txt`,
    '',
  ];
}

/** study.txt. */
export function renderStudyText(study: StudyTextInput): string {
  const { settings, paper, presets, observer, defences } = study;
  const scenarioCount = paper.scenarios.scenarios.length;
  const scenarioList = paper.scenarios.scenarios.map((s) => `${v(s.label)} ${s.correct ? 'right' : `→ ${v(paper.classes[s.predicted])}`}`).join(', ');
  const score = (s: StudyLifeScore): string => `${pct(s.perUse.accuracy).padStart(8)} ${s.timeline.macroF1.toFixed(3).padStart(11)}`;
  const match = observer.timeline;
  const folder = (dir: string, sha256: string): string => `${relative(settings.out, dir)}, sha256 ${sha256}`;
  const lines = [
    `peephole study (seed ${settings.seed}${settings.quick ? ', quick' : ''}) → ${v(settings.out)}`,
    '',
    '1. The published study, regenerated (paper/)',
    `   training set   ${thousands(paper.training.records)} records (${thousands(paper.training.days)} simulated days of the paper home)`,
    `   network        Dense 500-500-500 relu + 5, SGD, MSE, batch ${paper.fit.batchSize}, ${paper.fit.epochs} epochs on ${paper.fit.backend} (${thousands(Math.round(paper.fit.samplesPerSecond))} samples/s)`,
    `   validation     ${pct(paper.fit.validationAccuracy ?? 0)} accuracy on the last 20% of rows (published: 98.81%; see data/paper-choices.md for why this data caps it lower)`,
    `   ${scenarioCount} scenarios    ${paper.scenarios.correct} of ${scenarioCount} right (published: 7 of 8): ${scenarioList}`,
    `   figures        paper/figures/figure4-confusion*.png, figure6-predicted-vs-expected.png`,
    `   model folder   ${folder(paper.model, paper.modelSha256)}`,
    '',
    `2. Every preset, trained on ${v(presets.trainHomes.join(', '))} (${presets.trainDays} days each) (homes/)`,
    `   ${''.padEnd(10)} ${`${v(presets.seenHome)}, new days`.padStart(20)}   ${`${v(presets.unseenHome)}, never seen`.padStart(20)}`,
    `   ${'preset'.padEnd(10)} ${'per use'.padStart(8)} ${'timeline F1'.padStart(11)}   ${'per use'.padStart(8)} ${'timeline F1'.padStart(11)}`,
    ...presets.presets.map((p) => `   ${v(p.preset).padEnd(10)} ${score(p.seen)}   ${score(p.unseen)}`),
    `   (${presets.testDays} test days each; a predicted activity is right when a true one of its class is within 15 min)`,
    `   default        ${v(presets.defaultPreset)} (the bundled model, which peephole attack uses; it infers the observed home's day below)`,
    ...presets.presets.map((p, i) => `   ${(i === 0 ? 'model folders' : '').padEnd(14)} ${folder(p.model, p.modelSha256)}`),
    '',
    `3. What an observer on the router learns (observer/): ${observer.days} day(s) of the ${v(observer.home)} home, ${thousands(observer.packets)} packets`,
    `   devices        ${observer.devices.length} found: ${observer.devices.map((d) => v(`${d.vendor ?? '?'} ${d.category ?? '?'}`)).join(', ')}`,
    `   device uses    ${observer.uses.found} found in the encrypted traffic (${observer.trueUses} true uses)`,
    `   activities     ${observer.inferred.length} inferred, ${observer.trueActivities} true: ${match.pairs.length} right within 15 min (precision ${match.precision.toFixed(2)}, recall ${match.recall.toFixed(2)}, macro-F1 ${match.macroF1.toFixed(3)})`,
    `   files          capture.pcapng, devices.json, timeline.png, uses.csv, inferred-day.txt, attack.txt`,
    '',
    ...(defences === null ? [] : defenceLines(defences)),
    `The first hours of the inferred day (observer/inferred-day.txt):`,
    ...inferredDayTable(observer.inferred, { useLabel: namedUse(observer.deviceNames) }).rows.slice(0, STUDY_DAY_LINES).map((l) => `   ${l}`),
  ];
  return visibleLines(lines.join('\n') + '\n');
}
