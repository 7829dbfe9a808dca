// The study as a library: runStudy() returns every number study.txt shows, the data behind its
// figures, the files it wrote (each one there, holding what the result says) and its stages' times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { confusionCsv } from '../src/evaluate/metrics.js';
import { timelineToCsv } from '../src/observe/timeline-series.js';
import { inferredDayTable } from '../src/report/inferred-day.js';
import { namedUse, presetScoresCsv, renderStudyText, STUDY_DAY_LINES } from '../src/report/study-text.js';
import { runStudy } from '../src/study/run-study.js';
import { STUDY_SETTINGS, STUDY_STAGES } from '../src/study/settings.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

test('runStudy() --quick: the result holds every number study.txt shows, and the files hold what the result says', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'peephole-study-')), 'study');
  const reported: [string, number][] = [];
  const r = await runStudy({ out, seed: 1, days: 1, quick: true, onStage: (stage, seconds) => reported.push([stage, seconds]) });
  const read = (...parts: string[]): string => readFileSync(path.join(out, ...parts), 'utf8');

  // Stages: all of them, in order, each reported as it ended with the time the result keeps.
  assert.deepEqual(r.stages.map((s) => s.name), STUDY_STAGES.map((s) => s.name));
  assert.deepEqual(reported, r.stages.map((s) => [s.name, s.seconds]));
  assert.ok(r.stages.every((s) => s.seconds > 0));
  assert.deepEqual(r.settings, { out, seed: 1, days: 1, quick: true, ...STUDY_SETTINGS.quick });

  // Files: every one listed is there, under out, once; the ones study.txt names are listed with their role.
  assert.equal(new Set(r.files.map((f) => f.path)).size, r.files.length);
  for (const f of r.files) assert.ok(existsSync(f.path) && f.path.startsWith(out + path.sep), f.path);
  const role = (p: string): string | undefined => r.files.find((f) => f.path === path.join(out, p))?.role;
  assert.equal(role('paper/figures/figure4-confusion.png'), 'figure');
  assert.equal(role('paper/figures/figure4-confusion-normalised.csv'), 'figure-data');
  assert.equal(role('homes/presets.csv'), 'table');
  assert.equal(role('observer/capture.pcapng'), 'capture');
  assert.equal(role('observer/inferred-day.txt'), 'report');
  assert.deepEqual(r.files.filter((f) => f.role === 'model').map((f) => path.relative(out, f.path)), ['models/paper', 'models/homes-rules', 'models/homes-paper', 'models/homes-dense', 'models/homes-sequence']);

  // 1. The published study: the training set, the fit (as the model folder records it), the scenarios and their figures' data.
  assert.equal(r.paper.training.records, 135_668);
  assert.equal(r.paper.fit.epochs, STUDY_SETTINGS.quick.paperEpochs);
  assert.equal(r.paper.fit.history.length, r.paper.fit.epochs);
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
  for (const p of r.presets.presets) {
    if (p.preset === 'rules') assert.equal(p.fit, null);
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

  // study.txt's numbers, each from the result.
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
