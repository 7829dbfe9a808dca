// The study as a library: runStudy() returns every number study.txt shows, the data behind its
// figures, the files it wrote (each one there, holding what the result says) and its stages' times;
// report.html, opened in headless Chromium from file:// with the network blocked, shows every section
// and figure, loads and runs nothing; report.json and summary.md hold the result's numbers; and
// `peephole study --from STAGE` resumes from the kept stages with the same numbers. One quick study
// serves every test here, of two observed days (the default preset, structured, decodes whole days:
// in one day of the family home it reads no activity at all).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { confusionCsv } from '../src/evaluate/metrics.js';
import { timelineToCsv } from '../src/observe/timeline-series.js';
import { inferredDayTable } from '../src/report/inferred-day.js';
import { namedUse, presetScoresCsv, renderStudyText, STUDY_DAY_LINES } from '../src/report/study-text.js';
import { renderStudyReport, STUDY_SECTIONS } from '../src/report/study-html.js';
import type { DefencesSection } from '../src/report/study-report-input.js';
import { runStudy } from '../src/study/run-study.js';
import { STRATEGIES } from '../src/defend/registry.js';
import { developmentHomes, STUDY_SETTINGS, STUDY_STAGES } from '../src/study/settings.js';
import type { StudyResult } from '../src/study/result.js';
import { chromiumMissing, closeBrowser, figureSizes, openReport } from './support/browser.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The real labelled homes recorded by others beside the repository (../shared/activities), when there: what `peephole study` reads by default. */
const labelled = developmentHomes(REPO_ROOT);

const out = path.join(mkdtempSync(path.join(tmpdir(), 'peephole-study-')), 'study');
const reported: [string, number, boolean][] = [];
const started: string[] = [];
let r: StudyResult;
const read = (...parts: string[]): string => readFileSync(path.join(out, ...parts), 'utf8');
const browserMissing = chromiumMissing();

before(async () => {
  r = await runStudy({ out, seed: 1, days: 2, quick: true, labelled, onStageStart: (stage) => started.push(stage), onStage: (stage, seconds, kept) => reported.push([stage, seconds, kept]) });
});
after(() => closeBrowser());

test('runStudy() --quick: the result holds every number study.txt shows, and the files hold what the result says', () => {
  // Stages: all of them, in order, each reported as it started and as it ended with the time the result keeps.
  assert.deepEqual(r.stages.map((s) => s.name), STUDY_STAGES.map((s) => s.name));
  assert.deepEqual(started, STUDY_STAGES.map((s) => s.name));
  assert.deepEqual(reported, r.stages.map((s) => [s.name, s.seconds, false]));
  assert.ok(r.stages.every((s) => s.seconds >= 0 && !s.kept));
  assert.ok(r.stages.filter((s) => s.name !== 'labelled-homes').every((s) => s.seconds > 0));
  assert.deepEqual(r.settings, { out, seed: 1, days: 2, quick: true, labelled, ...STUDY_SETTINGS.quick });

  // Files: every one listed is there, under out, once; the ones study.txt names are listed with their role.
  assert.equal(new Set(r.files.map((f) => f.path)).size, r.files.length);
  for (const f of r.files) assert.ok(existsSync(f.path) && f.path.startsWith(out + path.sep), f.path);
  const role = (p: string): string | undefined => r.files.find((f) => f.path === path.join(out, p))?.role;
  assert.equal(role('paper/figures/figure4-confusion.png'), 'figure');
  assert.equal(role('paper/figures/figure4-confusion-normalised.csv'), 'figure-data');
  assert.equal(role('homes/presets.csv'), 'table');
  assert.equal(role('observer/capture.pcapng'), 'capture');
  assert.equal(role('observer/inferred-day.txt'), 'report');
  for (const f of ['study.txt', 'report.html', 'report.json', 'summary.md']) assert.equal(role(f), 'report', f);
  for (const s of STUDY_STAGES) assert.equal(role(`stages/${s.name}.json`), 'stage', s.name);
  assert.deepEqual(r.files.filter((f) => f.role === 'model').map((f) => path.relative(out, f.path)), ['models/paper', 'models/homes-rules', 'models/homes-paper', 'models/homes-dense', 'models/homes-sequence', 'models/homes-structured']);
  for (const f of ['defences/frontier.csv', 'defences/frontier.svg', 'defences/figure5-confusion.svg', 'defences/paper-injected.txt']) assert.ok(role(f) !== undefined, f);

  // 1. The published study: the training set, the fit (as the model folder records it), the scenarios and their figures' data.
  assert.equal(r.paper.training.records, 135_668);
  assert.equal(r.paper.fit.epochs, STUDY_SETTINGS.quick.paperEpochs);
  assert.equal(r.paper.fit.history.length, r.paper.fit.epochs);
  assert.equal(r.paper.fit.backendReason.length > 0, true);
  const paperManifest = JSON.parse(read('models', 'paper', 'peephole-model.json'));
  assert.equal(paperManifest.training.validationAccuracy, r.paper.fit.validationAccuracy);
  assert.equal(paperManifest.training.batchSize, r.paper.fit.batchSize);
  assert.equal(r.paper.scenarios.scenarios.length, 8);
  assert.equal(r.paper.scenarios.correct, r.paper.scenarios.scenarios.filter((s) => s.correct).length);
  assert.deepEqual(r.paper.predictedVsExpected, r.paper.scenarios.scenarios.map(({ label, expected, predicted }) => ({ label, expected, predicted })));
  assert.equal(read('paper', 'figures', 'figure4-confusion.csv'), confusionCsv(r.paper.scenarios.report, false));
  assert.equal(read('paper', 'figures', 'figure4-confusion-normalised.csv'), confusionCsv(r.paper.scenarios.report, true));

  // 2. Every preset, in order, with the epochs of the quick mode; presets.csv is the result's numbers.
  assert.deepEqual(r.presets.presets.map((p) => p.preset), [...STUDY_SETTINGS.presets]);
  assert.equal(r.presets.testSeed, 1 + STUDY_SETTINGS.testSeedOffset);
  // The default (the bundled model's preset) is among them, and it is the one that infers the observed home's day.
  assert.equal(r.presets.defaultPreset, 'structured');
  assert.equal(r.observer.preset, r.presets.defaultPreset);
  assert.equal(JSON.parse(read('models', 'homes-structured', 'peephole-model.json')).preset, 'structured');
  for (const p of r.presets.presets) {
    if (p.preset === 'rules' || p.preset === 'structured') assert.equal(p.fit, null);
    else assert.equal(p.fit!.epochs, STUDY_SETTINGS.quick.presetEpochs[p.preset]);
    assert.match(p.unseen.source, new RegExp(`^home ${STUDY_SETTINGS.homes.unseen}, ${r.presets.testDays} days`));
    assert.match(p.seen.source, new RegExp(`^home ${STUDY_SETTINGS.homes.observed}, ${r.presets.testDays} days`));
  }
  assert.equal(read('homes', 'presets.csv'), presetScoresCsv(r.presets.presets));
  const csvRows = read('homes', 'presets.csv').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.deepEqual(csvRows.map((c) => Number(c[3])), r.presets.presets.map((p) => p.unseen.perUse.accuracy));

  // 3. The observer: devices.json, timeline.csv, uses.csv and inferred-day.txt are the result's.
  const o = r.observer;
  assert.deepEqual(JSON.parse(read('observer', 'devices.json')).devices, JSON.parse(JSON.stringify(o.devices)));
  assert.ok(o.devices.length >= 5, `${o.devices.length} devices`);
  assert.equal(read('observer', 'timeline.csv'), timelineToCsv(o.traffic));
  assert.equal(read('observer', 'uses.csv').trim().split('\n').length, o.uses.found + 1);
  assert.equal(o.uses.score.overall.tp + o.uses.score.overall.fp, o.uses.found, 'every use found is right or a false positive');
  assert.ok(o.uses.score.overall.recall > 0.8, JSON.stringify(o.uses.score.overall));
  assert.equal(read('observer', 'activities.csv').trim().split('\n').length, o.trueActivities + 1);
  const day = inferredDayTable(o.inferred, { useLabel: namedUse(o.deviceNames) });
  assert.equal(read('observer', 'inferred-day.txt'), [day.header, ...day.rows].join('\n') + '\n');
  assert.ok(o.inferred.length > 0 && o.timeline.pairs.length <= o.inferred.length);

  // Labelled real homes (when ../shared/activities is there): every preset at 15 and 30 min.
  assert.equal(r.presets.labelled.length, labelled.length);
  for (const h of r.presets.labelled) {
    assert.deepEqual(h.presets.map((p) => p.preset), [...STUDY_SETTINGS.presets]);
    assert.ok(h.uses > 1000 && h.labels > 10 && h.days > 7, JSON.stringify(h));
    for (const p of h.presets) assert.deepEqual(p.scores.map((s) => s.toleranceMinutes), [15, 30]);
  }
  if (labelled.length > 0) assert.equal(read('homes', 'labelled-homes.csv').trim().split('\n').length, 1 + labelled.length * STUDY_SETTINGS.presets.length * 2);
  // The structured preset is the default for what it does on the real homes: better than every other preset there.
  for (const h of r.presets.labelled) {
    const at30 = (preset: string): number => h.presets.find((p) => p.preset === preset)!.scores.find((s) => s.toleranceMinutes === 30)!.macroF1;
    for (const p of STUDY_SETTINGS.presets.filter((x) => x !== 'structured')) assert.ok(at30('structured') > at30(p), `${h.name}: structured ${at30('structured')} against ${p} ${at30(p)}`);
  }

  // 4. The defences: every strategy swept (the quick mode's values of each), each point as defend/evaluate scored it, the recommendation the cheapest under the target.
  const d = r.defences;
  const frontier = JSON.parse(read('defences', 'frontier.json'));
  assert.equal(d.home, STUDY_SETTINGS.homes.observed);
  assert.equal(d.targetMacroF1, STUDY_SETTINGS.defenceTarget);
  assert.equal(d.undefendedMacroF1, frontier.references.undefended);
  assert.equal(d.settings.length, frontier.points.length);
  // Every strategy, those scored only combined as their combination (ech as encrypted-dns+ech).
  const studied = STRATEGIES.map((s) => STUDY_SETTINGS.defenceCombinations.find((c) => c.instead === s.name)?.combination ?? s.name);
  assert.deepEqual([...new Set(d.settings.map((s) => s.strategy))].sort(), [...studied].sort());
  assert.ok(d.settings.length <= STRATEGIES.length * STUDY_SETTINGS.quick.defences.valuesPerStrategy, `${d.settings.length} points`);
  d.settings.forEach((s, i) => {
    const p = frontier.points[i];
    assert.equal(s.strongestMacroF1, p.strongest);
    assert.equal(s.strongestBoundMacroF1, p.strongestBound);
    assert.ok(s.strongestBoundMacroF1! >= s.strongestMacroF1);
    assert.equal(s.strongestMacroF1, Math.max(...s.observers.filter((o) => o.observer !== 'naive').map((o) => o.macroF1)));
    assert.equal(s.cost.extraMBPerMonth, p.cost.extraMbPerMonth);
  });
  if (d.recommendation !== null) {
    const rec = d.settings.find((s) => s.strategy === d.recommendation!.strategy && s.setting === d.recommendation!.setting)!;
    assert.ok(rec.strongestMacroF1 < d.targetMacroF1 && rec.strongestBoundMacroF1! < d.targetMacroF1);
    for (const s of d.settings) if (s.strongestBoundMacroF1! < d.targetMacroF1) assert.ok(s.cost.extraMBPerMonth >= rec.cost.extraMBPerMonth, `${s.strategy} ${s.setting} is cheaper`);
  }
  const inj = d.paperInjection!;
  assert.equal(inj.scenarios.scenarios.length, 8);
  assert.equal(inj.scenarios.correct, inj.scenarios.scenarios.filter((x) => x.correct).length);
  assert.match(read('defences', 'paper-injected.txt'), new RegExp(`${inj.scenarios.correct}/8|${inj.scenarios.correct} of 8`));

  // study.txt's numbers, each from the result; the file is the text.
  assert.equal(read('study.txt'), renderStudyText(r));
  const text = renderStudyText(r).split('\n');
  const line = (start: RegExp): string => text.find((l) => start.test(l)) ?? assert.fail(`no line ${start} in\n${text.join('\n')}`);
  assert.equal(text[0], `peephole study (seed 1, quick) → ${out}`);
  assert.match(line(/^ {3}training set/), /135,668 records/);
  assert.match(line(/^ {3}network/), new RegExp(`batch ${r.paper.fit.batchSize}, ${r.paper.fit.epochs} epochs on ${r.paper.fit.backend} `));
  assert.ok(line(/^ {3}validation/).includes(pct(r.paper.fit.validationAccuracy!)));
  assert.ok(line(/^ {3}8 scenarios/).includes(`${r.paper.scenarios.correct} of 8 right`));
  for (const p of r.presets.presets) {
    const cells = line(new RegExp(`^ {3}${p.preset} `)).trim().split(/\s+/);
    assert.deepEqual(cells, [p.preset, pct(p.seen.perUse.accuracy), p.seen.timeline.macroF1.toFixed(3), pct(p.unseen.perUse.accuracy), p.unseen.timeline.macroF1.toFixed(3)]);
  }
  assert.ok(line(/^ {3}device uses/).includes(`${o.uses.found} found in the encrypted traffic (${o.trueUses} true uses)`));
  assert.ok(line(/^ {3}activities/).includes(`${o.inferred.length} inferred, ${o.trueActivities} true: ${o.timeline.pairs.length} right within 15 min`));
  assert.ok(line(/^3\. /).includes(`${o.packets.toLocaleString('en-US')} packets`));
  const first = text.indexOf('The first hours of the inferred day (observer/inferred-day.txt):');
  assert.deepEqual(text.slice(first + 1, -1), day.rows.slice(0, STUDY_DAY_LINES).map((l) => `   ${l}`));
});

test('report.json holds the result and each figure of report.html with its data; summary.md the headline numbers beside the published ones', () => {
  const json = JSON.parse(read('report.json'));
  assert.equal(json.format, 'peephole-report');
  assert.equal(json.kind, 'study');
  // The result as it was when the report was written (the report stage's own time comes after).
  const { stages, files, ...numbers } = JSON.parse(JSON.stringify(r));
  const { stages: jsonStages, files: jsonFiles, ...jsonNumbers } = json.result;
  assert.deepEqual(jsonNumbers, numbers);
  assert.deepEqual(jsonStages, stages.slice(0, -1));
  assert.ok(jsonFiles.length > 0 && jsonFiles.length <= files.length);
  const html = read('report.html');
  const figureIds = [...html.matchAll(/<figure id="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(json.figures.map((f: { id: string }) => f.id), figureIds);
  for (const f of json.figures) {
    assert.ok(f.shows.length > 20 && f.notice.length > 20, f.id);
    assert.ok(f.data !== null && typeof f.data === 'object', f.id);
  }
  const days = json.figures.find((f: { id: string }) => f.id === 'fig-days');
  assert.equal(days.data.filter((i: { lane: string }) => i.lane === 'inferred').length, r.observer.inferred.length);
  assert.equal(days.data.filter((i: { lane: string }) => i.lane === 'true').length, r.observer.trueActivities);

  const md = read('summary.md');
  assert.ok(md.includes(`| validation accuracy (last 20% of rows) | ${pct(r.paper.fit.validationAccuracy!)} | 98.81% |`), md);
  assert.ok(md.includes(`| test scenarios right | ${r.paper.scenarios.correct} of 8 | 7 of 8 |`));
  assert.ok(md.includes(`| scenarios right after fake data is injected | ${r.defences.paperInjection!.scenarios.correct} of 8 | 2 of 8 |`), md);
  assert.ok(md.includes(`**Defences** (${r.defences.settings.length} settings on the family home;`), md);
  for (const p of r.presets.presets) assert.ok(md.includes(`| ${p.preset} | ${pct(p.seen.perUse.accuracy)} | ${p.seen.timeline.macroF1.toFixed(3)} | ${pct(p.unseen.perUse.accuracy)} | ${p.unseen.timeline.macroF1.toFixed(3)} |`), p.preset);
  assert.ok(md.includes(`report.html (${(statSync(path.join(out, 'report.html')).size / 1000).toFixed(0)} kB)`));
});

test('report.html in headless Chromium: every section and figure there and drawn, nothing requested, no console error, no CSP violation', { skip: browserMissing ?? false }, async (t) => {
  const page = await openReport(path.join(out, 'report.html'));
  try {
    assert.deepEqual(page.requests, [], 'no request leaves the page');
    assert.deepEqual(page.problems, []);
    assert.deepEqual(page.violations, []);
    assert.deepEqual(page.dialogs, []);
    const sections = (await page.page.evaluate("[...document.querySelectorAll('main > section')].map((s) => s.id)")) as string[];
    assert.deepEqual(sections, [...STUDY_SECTIONS]);
    const figures = await figureSizes(page.page);
    const expected = [
      'fig-traffic',
      'fig-days',
      'fig-figure4',
      'fig-figure4-published',
      'fig-figure4-normalised',
      'fig-figure6',
      'fig-presets',
      ...STUDY_SETTINGS.presets.map((p) => `fig-unseen-${p}`),
      'fig-frontier',
      'fig-figure5',
      'fig-figure6-injected',
    ];
    assert.deepEqual(figures.map((f) => f.id), expected);
    for (const f of figures) assert.ok(f.width > 100 && f.height > 100 && f.paths > 10 && f.texts > 3, JSON.stringify(f));
    const captions = (await page.page.evaluate("[...document.querySelectorAll('figure figcaption')].map((c) => c.textContent)")) as string[];
    assert.equal(captions.length, figures.length);
    for (const c of captions) assert.match(c, /^Figure \d+\. .+What to notice: .{20,}/s);
    const text = (await page.page.evaluate('document.body.innerText')) as string;
    assert.doesNotMatch(text, /Not measured/);
    assert.match(text, /98\.81%/);
    // Which preset is the default and why, with this run's figures; which trainer ran; the recommendation.
    assert.match(text, /The default preset: structured\n/);
    assert.match(text, new RegExp(`On the simulated home none of them saw \\(sensor-rich\\) it scores ${r.presets.presets.find((p) => p.preset === 'structured')!.unseen.timeline.macroF1.toFixed(3)} `));
    for (const h of r.presets.labelled) assert.match(text, new RegExp(`${h.presets.find((p) => p.preset === 'structured')!.scores[1].macroF1.toFixed(3)} on ${h.name}`));
    assert.match(text, new RegExp(`Networks trained on the ${r.paper.fit.backend} trainer`));
    assert.match(text, r.defences.recommendation === null ? /Recommendation: no strategy keeps/ : new RegExp(`Recommendation: ${r.defences.recommendation.strategy} \\(`));
    assert.match(text, new RegExp(`Regenerated here with the network of section 2: ${r.defences.paperInjection!.scenarios.correct} of 8`));
    assert.match(text, new RegExp(`${r.paper.scenarios.correct} of 8`));
    const shot = path.join(out, 'report.png');
    await page.page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}; report.html ${statSync(path.join(out, 'report.html')).size} bytes`);
  } finally {
    await page.close();
  }
});

test('the defences section from any sweep: the frontier drawn, every setting in the table, the recommendation said', { skip: browserMissing ?? false }, async () => {
  const defences: DefencesSection = {
    home: 'family',
    targetMacroF1: 0.2,
    undefendedMacroF1: 0.47,
    chanceMacroF1: 0.1,
    settings: [
      { strategy: 'fake-injection', setting: 'rate=2/h', observers: [{ observer: 'naive', macroF1: 0.3 }, { observer: 'adaptive', macroF1: 0.35 }], strongestMacroF1: 0.35, cost: { extraBytesPercent: 4, extraMBPerMonth: 12, delayMeanSeconds: 0, delayP95Seconds: 0 } },
      { strategy: 'fake-injection', setting: 'rate=8/h', observers: [{ observer: 'naive', macroF1: 0.15 }, { observer: 'adaptive', macroF1: 0.18 }], strongestMacroF1: 0.18, cost: { extraBytesPercent: 16, extraMBPerMonth: 48, delayMeanSeconds: 0, delayP95Seconds: 0 } },
      { strategy: 'constant-rate', setting: '2 kB/s', scoredOn: 'capture', observers: [{ observer: 'naive', macroF1: 0.12 }, { observer: 'adaptive', macroF1: 0.12 }], strongestMacroF1: 0.12, cost: { extraBytesPercent: 900, extraMBPerMonth: 5200, delayMeanSeconds: 1.5, delayP95Seconds: 4 } },
    ],
    recommendation: { strategy: 'fake-injection', setting: 'rate=8/h', why: 'the cheapest setting under 0.20 for every observer' },
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'peephole-defences-'));
  const file = path.join(dir, 'report.html');
  const rendered = await renderStudyReport({ ...r, defences }, { methodHref: null });
  (await import('node:fs')).writeFileSync(file, rendered.html);
  const frontier = rendered.figures.find((f) => f.id === 'fig-frontier')!;
  assert.deepEqual((frontier.data as { onFrontier: boolean }[]).map((p) => p.onFrontier), [true, true, true]);
  const page = await openReport(file);
  try {
    assert.deepEqual([page.requests, page.problems, page.violations], [[], [], []]);
    const sizes = await figureSizes(page.page);
    const f = sizes.find((s) => s.id === 'fig-frontier')!;
    assert.ok(f.width > 100 && f.height > 100 && f.paths > 5, JSON.stringify(f));
    await page.page.evaluate("document.querySelectorAll('#defences details').forEach((d) => { d.open = true; })");
    const text = (await page.page.evaluate("document.querySelector('#defences').innerText")) as string;
    assert.match(text, /Recommendation: fake-injection \(rate=8\/h\): the cheapest setting under 0\.20/);
    assert.match(text, /constant-rate\s+2 kB\/s\s+capture\s+0\.120\s+0\.120\s+900\.00%\s+5200\.00/);
    // A setting that does not say what it was scored on shows a dash there.
    assert.match(text, /fake-injection\s+rate=2\/h\s+–\s+0\.300\s+0\.350/);
    assert.doesNotMatch(text, /Not measured/);
  } finally {
    await page.close();
  }
});

test('peephole study --from STAGE: earlier stages kept, later ones run again, the same numbers; a kept stage of other settings is refused', () => {
  // No --labelled: the command reads the development homes beside the repository by default, the
  // ones the library run above was given (a kept stage of other settings would be refused).
  const run = (args: string[]) => spawnSync(process.execPath, [PEEPHOLE_BIN, 'study', '--quick', '--days', '2', '--out', out, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  const before = JSON.parse(read('report.json')).result;
  const resumed = run(['--from', 'defences']);
  assert.equal(resumed.status, 0, resumed.stderr);
  const lines = resumed.stderr.trim().split('\n');
  // Off a terminal: one line per stage (kept or run, with its time), then where the report is.
  assert.equal(lines.length, STUDY_STAGES.length + 1, resumed.stderr);
  STUDY_STAGES.forEach((s, i) => assert.match(lines[i], s.name === 'defences' || s.name === 'report' ? new RegExp(`^study: ${s.does.replace(/[()]/g, '\\$&')} took \\d+\\.\\d s$`) : /: kept from an earlier run \(took \d+\.\d s then\)$/, lines[i]));
  assert.match(lines.at(-1)!, /^study: wrote .*report\.html \(\d+ kB\), report\.json and summary\.md$/);
  assert.equal(resumed.stdout, renderStudyText(r), 'stdout is study.txt');
  const after = JSON.parse(read('report.json')).result;
  assert.equal(after.made.resumedFrom, 'defences');
  for (const key of ['paper', 'presets', 'observer', 'settings']) assert.deepEqual(after[key], before[key], key);
  // The defences ran again with the same seed: the same points (only the sweep's own time differs).
  const { sweep: sweepAfter, ...defencesAfter } = after.defences;
  const { sweep: sweepBefore, ...defencesBefore } = before.defences;
  assert.deepEqual(defencesAfter, defencesBefore);
  assert.deepEqual({ ...sweepAfter, seconds: 0 }, { ...sweepBefore, seconds: 0 });
  assert.deepEqual(after.stages.map((s: { kept: boolean }) => s.kept), STUDY_STAGES.slice(0, -1).map((s) => s.name !== 'defences'));

  const other = run(['--seed', '2', '--from', 'report']);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /^peephole: .*stages\/paper-data\.json: made with other settings .*"seed":1.*"seed":2/m);
  // On a terminal: a live line for the running stage (its place, what it does, seconds so far), then its line.
  const tty = spawnSync('script', ['-qec', `node "${PEEPHOLE_BIN}" study --quick --days 2 --out "${out}" --from report > /dev/null`, '/dev/null'], { encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stdout);
  assert.match(tty.stdout, /\r\x1b\[2Kstudy \[16\/16\] writing study\.txt, report\.html, report\.json and summary\.md… 0 s/);
  assert.match(tty.stdout, /\r\x1b\[2Kstudy: writing study\.txt, report\.html, report\.json and summary\.md took \d+\.\d s\r?\n/);
  const nonsense = run(['--from', 'nowhere']);
  assert.equal(nonsense.status, 2);
  assert.match(nonsense.stderr, /--from: no stage nowhere; the stages are paper-data, /);
});
