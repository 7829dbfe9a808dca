/**
 * `runStudy()`: the main job, end to end on built-in simulated data, as one call that writes its
 * files under `out` and returns every number (result.ts).
 *
 * 1. **The published study, regenerated** (`paper/`): the paper's training set (135,668 records in
 *    its format) and its 8 test scenarios; the published network trained on it; its validation
 *    accuracy, the confusion matrices of the 8 scenarios (the paper's Figure 4) and the
 *    predicted-vs-expected chart (its Figure 6).
 * 2. **Beyond it** (`homes/`): every preset (the published network, the better ones, the rules floor)
 *    trained on four simulated homes and tested on a fifth none of them saw, and on new days of a
 *    home they did see: accuracy per use and macro-F1 of the activities on a timeline.
 * 3. **What an observer on the router learns** (`observer/`): a few days of the family home as a
 *    capture; the devices found and named; each one's traffic over time; the device uses found in the
 *    encrypted traffic; the residents' day inferred from them, scored against what really happened.
 *
 * Models are written to `models/` and each evaluation loads the folder written, so the numbers are
 * those of the files. `quick` trains for fewer epochs on fewer days (settings.ts). Labelled homes
 * (`labelled`: folders with events.csv and labels.csv, real homes recorded by others) are scored by
 * every preset too. The last stage writes study.txt, report.html, report.json and summary.md.
 *
 * Each stage's result is kept in `stages/<stage>.json` (stage-runner.ts): `from` starts a run at a
 * later stage, reading the earlier ones back from an earlier run's files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evaluateLabelledHome } from '../attack/evaluate-labelled.js';
import { evaluateLife, evaluateScenarios, lifeOfSimulation } from '../attack/evaluate-model.js';
import { fitPreset, type FitPresetOptions, type FittedModel } from '../attack/fit-preset.js';
import { readLabelledHome } from '../attack/labelled-home.js';
import { saveFittedModel } from '../attack/model-files.js';
import { writePaperPreset, type PaperPresetResult } from '../attack/paper-dataset.js';
import { inferredDay, loadPredictor } from '../attack/predictor.js';
import { NETWORK_PRESETS } from '../attack/presets.js';
import { lifeOfHome, type LabelledLife } from '../attack/simulated-life.js';
import { dataFromHomes, dataFromPaperCsv, type TrainingData } from '../attack/training-data.js';
import { activityId } from '../core/activities.js';
import { csvCell, wireJson } from '../core/table-format.js';
import { evaluateDefences } from '../defend/evaluate/run.js';
import { boundName, untestedText } from '../defend/evaluate/frontier.js';
import type { SweepPoint } from '../defend/evaluate/sweep.js';
import { createDefence, STRATEGIES, strategyOf } from '../defend/registry.js';
import { simulatorSeams } from '../defend/simulator-seams.js';
import type { Strategy } from '../defend/strategy.js';
import { confusionCsv } from '../evaluate/metrics.js';
import { matchTimeline } from '../evaluate/timeline-match.js';
import type { SimulateResult } from '../home/simulate.js';
import { simulateHome } from '../home/simulate.js';
import { loadHomeSpec } from '../home/spec.js';
import { registeredVendorLookup } from '../observe/oui.js';
import { deviceTimeline } from '../observe/timeline.js';
import { timelineToCsv } from '../observe/timeline-series.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { renderConfusion } from '../report/confusion-plot.js';
import { renderEvaluationText } from '../report/evaluation-text.js';
import { inferredDayText } from '../report/inferred-day.js';
import { renderPredictionChart } from '../report/prediction-chart.js';
import { renderStudyReport } from '../report/study-html.js';
import { renderReportJson } from '../report/study-json.js';
import { renderStudyMarkdown } from '../report/study-markdown.js';
import type { DefencesSection, ReportLabelledHome } from '../report/study-report-input.js';
import { namedUse, presetScoresCsv, renderStudyText, studyUseLabel } from '../report/study-text.js';
import { renderTimeline } from '../report/timeline-plot.js';
import type { DetectedUse } from '../uses/detected-use.js';
import { detectUsage, scoreUsageDetection, writeUsageCsv } from '../uses/index.js';
import { madeNow, methodHref } from './made.js';
import type { ObserverStudy, PaperStudy, PresetResult, PresetsStudy, StudyFit, StudyResult } from './result.js';
import { STUDY_SETTINGS, STUDY_STAGES, studyMode, type StudyStage } from './settings.js';
import { StageRunner, type StageEvents } from './stage-runner.js';

export interface StudyOptions extends StageEvents<StudyStage> {
  /** The folder to write everything under. */
  readonly out: string;
  /** Seeds every simulated life and every network. */
  readonly seed: number;
  /** Days of the observed home written as a capture. */
  readonly days: number;
  /** Fewer epochs and days (settings.ts `quick`): about a minute, with worse numbers. */
  readonly quick: boolean;
  /** Folders of labelled homes (events.csv and labels.csv each) every preset is scored on; none by default. */
  readonly labelled?: readonly string[];
  /** The first stage to run; the earlier ones are read back from `out/stages/` (stage-runner.ts). */
  readonly from?: StudyStage;
}

/** The tolerances a labelled home is scored at, minutes (as `peephole evaluate --labels`). */
const LABELLED_TOLERANCES_MIN = [15, 30];

/** What the study needs of a fitted network for its result. */
function studyFit(model: FittedModel): StudyFit {
  const fit = model.fit!;
  return {
    epochs: fit.history.length,
    batchSize: model.manifest.training.batchSize as number,
    backend: fit.backend,
    backendReason: fit.backendReason,
    samplesPerSecond: fit.samplesPerSecond,
    trainSeconds: fit.trainSeconds,
    validationAccuracy: fit.history.at(-1)?.valAcc ?? null,
    history: fit.history,
  };
}

/**
 * `strategy` with `values` of its sweep's values, spread from the least protection to the most (the
 * first and the last among them), or the whole sweep when `values` is null or covers it.
 */
function thinnedSweep(strategy: Strategy, values: number | null): Strategy {
  const sweep = strategy.sweep;
  if (values === null || sweep === null || sweep.values.length <= values) return strategy;
  const n = sweep.values.length;
  const picked = Array.from({ length: values }, (_, k) => sweep.values[Math.round((k * (n - 1)) / Math.max(1, values - 1))]);
  return { ...strategy, sweep: { param: sweep.param, values: [...new Set(picked)] } };
}

/** The strategies the study sweeps: every one, those it scores only combined as their combination (settings.ts `defenceCombinations`). */
function studyStrategies(): Strategy[] {
  const instead = new Map<string, string>(STUDY_SETTINGS.defenceCombinations.map((c) => [c.instead, c.combination]));
  return STRATEGIES.map((s) => (instead.has(s.name) ? strategyOf(instead.get(s.name)!) : s));
}

/** The observed home's capture as the later stages need it. */
interface ObservedCapture {
  readonly sim: SimulateResult;
  readonly capture: string;
}

/** Runs the study (see the module comment), writing its files under `options.out`. */
export async function runStudy(options: StudyOptions): Promise<StudyResult> {
  const { out, seed, days, quick } = options;
  const labelledDirs = options.labelled ?? [];
  const mode = studyMode(quick);
  const { train: trainHomes, unseen: unseenHome, observed: observedHome } = STUDY_SETTINGS.homes;
  const made = madeNow(options.from ?? null);
  // A setting counts from the first stage it changes (every later stage reads that one's result): a
  // new --labelled home or another --days keeps the stages before it.
  const firstUse = (stage: StudyStage): number => STUDY_STAGES.findIndex((s) => s.name === stage);
  const settingsOf = (stage: StudyStage): Record<string, unknown> => {
    const at = firstUse(stage);
    return { seed, quick, ...(at >= firstUse('labelled-homes') ? { labelled: labelledDirs } : {}), ...(at >= firstUse('observer-capture') ? { days } : {}) };
  };
  const runner = new StageRunner<StudyStage>(out, STUDY_STAGES, settingsOf, options.from ?? null, options);
  const stage = <T>(name: StudyStage, run: () => T | Promise<T>): Promise<T> => runner.run(name, run);
  const wrote = runner.wrote.bind(runner);
  const write = runner.write.bind(runner);
  const fitAndSave = async (data: TrainingData | null, fitOptions: FitPresetOptions, dir: string): Promise<FittedModel> => {
    const model = await fitPreset(data, fitOptions);
    await saveFittedModel(wrote('model', dir), model);
    return model;
  };

  // 1. The published study, regenerated.
  const paperDir = join(out, 'paper');
  const paperData = join(paperDir, 'data');
  const published = await stage('paper-data', (): PaperPresetResult => writePaperPreset({ out: wrote('data', paperData), seed, vantage: 'lan', format: 'pcapng' }));
  const paperModel = join(out, 'models', 'paper');
  const paperFit = await stage('paper-model', async () => studyFit(await fitAndSave(dataFromPaperCsv(published.training.path), { preset: 'paper', seed, epochs: mode.paperEpochs }, paperModel)));
  const paper = await stage('paper-scenarios', async (): Promise<PaperStudy> => {
    const { predictor, sha256: modelSha256 } = await loadPredictor(paperModel);
    const scenarios = evaluateScenarios(predictor, paperData);
    const figures = join(paperDir, 'figures');
    mkdirSync(figures, { recursive: true });
    for (const normalised of [false, true]) {
      const name = join(figures, `figure4-confusion${normalised ? '-normalised' : ''}`);
      const title = `The published network on the 8 test scenarios${normalised ? ' (normalised)' : ''}`;
      write('figure', `${name}.png`, await renderConfusion(scenarios.report, { format: 'png', normalised, title }));
      write('figure', `${name}.svg`, await renderConfusion(scenarios.report, { format: 'svg', normalised, title }));
      write('figure-data', `${name}.csv`, confusionCsv(scenarios.report, normalised));
    }
    const items = scenarios.scenarios.map((s) => ({ label: s.label, expected: s.expected, predicted: s.predicted }));
    const chart = { title: 'The published network: predicted vs expected, 8 test scenarios', classes: predictor.classes };
    write('figure', join(figures, 'figure6-predicted-vs-expected.png'), await renderPredictionChart(items, { format: 'png', ...chart }));
    write('figure', join(figures, 'figure6-predicted-vs-expected.svg'), await renderPredictionChart(items, { format: 'svg', ...chart }));
    const text = renderEvaluationText({ title: 'The published network on the 8 test scenarios', report: scenarios.report, scenarios: scenarios.scenarios });
    write('report', join(paperDir, 'scenarios.txt'), text);
    const { path, records, days: trainingDays } = published.training;
    return { training: { path, records, days: trainingDays }, model: paperModel, modelSha256, fit: paperFit, classes: predictor.classes, scenarios, predictedVsExpected: items };
  });

  // 2. Beyond it: every preset on a home it never saw.
  const homesDir = join(out, 'homes');
  mkdirSync(homesDir, { recursive: true });
  const testSeed = seed + STUDY_SETTINGS.testSeedOffset;
  const [unseen, seen] = await stage('test-lives', (): LabelledLife[] => [lifeOfHome(unseenHome, mode.testDays, testSeed), lifeOfHome(observedHome, mode.testDays, testSeed)]);
  const results: PresetResult[] = [];
  for (const name of STUDY_SETTINGS.presets) {
    results.push(
      await stage(`preset-${name}`, async (): Promise<PresetResult> => {
        const dir = join(out, 'models', `homes-${name}`);
        // The structured preset learns its priors from the homes' labelled lives, as `peephole train
        // --bundled` does (the same homes, days and seed in the full study: the bundled model itself).
        const data = name === 'rules' || name === 'structured' ? null : dataFromHomes(trainHomes, NETWORK_PRESETS[name].featureSet, { days: mode.trainDays, seed });
        const lives = name === 'structured' ? { source: `homes ${trainHomes.join(', ')}, ${mode.trainDays} days, seed ${seed}`, lives: trainHomes.map((h) => lifeOfHome(h, mode.trainDays, seed)) } : undefined;
        const epochs = name === 'rules' || name === 'structured' ? undefined : mode.presetEpochs[name];
        const model = await fitAndSave(data, { preset: name, seed, epochs, lives }, dir);
        const { predictor, sha256: modelSha256 } = await loadPredictor(dir);
        const a = evaluateLife(predictor, seen);
        const b = evaluateLife(predictor, unseen);
        write('report', join(homesDir, `${name}-on-${unseenHome}.txt`), renderEvaluationText({ title: `${name} on ${b.source}`, report: b.perUse, timeline: b.timeline }));
        write('report', join(homesDir, `${name}-on-${observedHome}.txt`), renderEvaluationText({ title: `${name} on ${a.source}`, report: a.perUse, timeline: a.timeline }));
        const confusionTitle = `${name} on ${unseenHome} (never seen), per use`;
        write('figure', join(homesDir, `${name}-on-${unseenHome}-confusion.png`), await renderConfusion(b.perUse, { format: 'png', normalised: true, title: confusionTitle }));
        return {
          preset: name,
          model: dir,
          modelSha256,
          fit: model.fit === null ? null : studyFit(model),
          seen: { source: a.source, perUse: a.perUse, timeline: a.timeline },
          unseen: { source: b.source, perUse: b.perUse, timeline: b.timeline },
        };
      }),
    );
  }
  write('table', join(homesDir, 'presets.csv'), presetScoresCsv(results));
  const labelled = await stage('labelled-homes', async (): Promise<ReportLabelledHome[]> => {
    const homes: ReportLabelledHome[] = [];
    const rows: string[] = [];
    for (const dir of labelledDirs) {
      const home = readLabelledHome(join(dir, 'events.csv'), join(dir, 'labels.csv'));
      const name = basename(dir.replace(/[\\/]+$/, '')) || dir;
      const times = [...home.events.map((e) => e.timeUs), ...home.labels.map((l) => l.timeUs)];
      const spanDays = (Math.max(...times) - Math.min(...times)) / 86_400e6;
      const scored = [];
      for (const preset of STUDY_SETTINGS.presets) {
        const { predictor } = await loadPredictor(join(out, 'models', `homes-${preset}`));
        const evaluation = evaluateLabelledHome(predictor, home, LABELLED_TOLERANCES_MIN.map((m) => m * 60e6));
        const scores = evaluation.scores.map((s, k) => ({ toleranceMinutes: LABELLED_TOLERANCES_MIN[k], macroF1: s.match.macroF1, precision: s.match.precision, recall: s.match.recall }));
        for (const s of scores) rows.push([name, preset, s.toleranceMinutes, s.macroF1, s.precision, s.recall].map((c) => csvCell(String(c))).join(','));
        scored.push({ preset, scores });
      }
      homes.push({ name, dir, uses: home.events.length, labels: home.labels.length, days: spanDays, presets: scored });
    }
    if (homes.length > 0) write('table', join(homesDir, 'labelled-homes.csv'), `home,preset,tolerance_min,timeline_macro_f1,precision,recall\n${rows.join('\n')}\n`);
    return homes;
  });
  const presets: PresetsStudy = { trainHomes, trainDays: mode.trainDays, seenHome: observedHome, unseenHome, testDays: mode.testDays, testSeed, presets: results, labelled, defaultPreset: STUDY_SETTINGS.observerPreset };

  // 3. What an observer on the home's router learns from the encrypted traffic alone.
  const observerDir = join(out, 'observer');
  const spec = loadHomeSpec(observedHome);
  const { sim, capture } = await stage('observer-capture', async (): Promise<ObservedCapture> => {
    const sim = await simulateHome({ spec, source: observedHome, days, seed, out: observerDir, vantage: 'lan', format: 'pcapng' });
    wrote('data', sim.files.events);
    wrote('data', sim.files.activities);
    return { sim, capture: wrote('capture', sim.files.capture!) };
  });
  const rules = defaultVendorRules();
  const oui = registeredVendorLookup();
  const found = await stage('observer-devices', async () => {
    const timeline = await deviceTimeline(capture, { rules, oui });
    const devices = { ...timeline.report, capture: timeline.capture };
    write('report', join(observerDir, 'devices.json'), wireJson(devices, 2) + '\n');
    write('figure', join(observerDir, 'timeline.png'), await renderTimeline(timeline.series, { format: 'png', title: `The ${observedHome} home: traffic of each device` }));
    write('figure-data', join(observerDir, 'timeline.csv'), timelineToCsv(timeline.series));
    return { devices: devices.devices, traffic: timeline.series };
  });
  const { usage, life } = await stage('observer-uses', async () => {
    const usage = await detectUsage(capture, { rules, oui });
    writeUsageCsv(wrote('table', join(observerDir, 'uses.csv')), usage.events);
    // What the next stage reads: the uses and how the devices with uses are named (not the detector's baselines).
    const events: DetectedUse[] = usage.events;
    const devices = usage.devices.map((d) => ({ id: d.id, vendor: d.vendor, category: d.category, kind: d.kind }));
    return { usage: { events, devices }, life: lifeOfSimulation(observerDir) };
  });
  const observer = await stage('observer-day', async (): Promise<ObserverStudy> => {
    const preset = STUDY_SETTINGS.observerPreset;
    const { predictor } = await loadPredictor(join(out, 'models', `homes-${preset}`));
    // Only when, which device and what kind reach the model.
    const uses = usage.events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
    const inferred = inferredDay(predictor, uses);
    const timeline = matchTimeline(life.activities, inferred.map((t) => ({ timeUs: t.timeUs, activity: activityId(t.activity) })));
    const deviceNames = usage.devices.map((d) => ({ id: d.id, name: studyUseLabel(d) }));
    write('report', join(observerDir, 'inferred-day.txt'), inferredDayText(inferred, { useLabel: namedUse(deviceNames) }));
    // Per use needs each use's label: it is scored on the home's true uses; the timeline comes from the uses found in the capture.
    const perUse = evaluateLife(predictor, life).perUse;
    const title = `the ${preset} preset: per use on the true uses of ${observerDir}, timeline from the uses found in its capture`;
    write('report', join(observerDir, 'attack.txt'), renderEvaluationText({ title, report: perUse, timeline }));
    return {
      home: observedHome,
      days,
      capture,
      packets: sim.packets,
      trueUses: sim.events,
      devices: found.devices,
      traffic: found.traffic,
      uses: { found: usage.events.length, score: scoreUsageDetection(usage.events, life.events, spec) },
      deviceNames,
      preset,
      inferred,
      trueActivities: life.activities.length,
      timeline,
      perUse,
    };
  });

  // 4. What each defence costs: every strategy swept on the observed home (defend/evaluate), and the
  // paper's own defence on its scenarios, read by the published network trained in part 1.
  const defences = await stage('defences', async (): Promise<DefencesSection> => {
    const dir = join(out, 'defences');
    const budget = mode.defences;
    const evaluation = await evaluateDefences({
      spec,
      source: observedHome,
      out: dir,
      seed,
      strategies: studyStrategies().map((s) => thinnedSweep(s, budget.valuesPerStrategy)),
      target: STUDY_SETTINGS.defenceTarget,
      trainDays: budget.trainDays,
      testDays: budget.testDays,
      costDays: budget.costDays,
      observers: { preset: 'sequence', epochs: budget.epochs, seed },
      toleranceMinutes: 15,
      captureStrategies: budget.captureStrategies,
    });
    for (const f of evaluation.files) wrote(f.endsWith('.svg') || f.endsWith('.png') ? 'figure' : f.endsWith('.csv') ? 'table' : 'report', f);
    const period = STUDY_SETTINGS.paperInjectionPeriod;
    const injected = join(dir, 'paper-injected');
    writePaperPreset({ out: wrote('data', injected), seed, vantage: 'lan', format: 'pcapng', seams: simulatorSeams(createDefence('inject', { period })) });
    const { predictor } = await loadPredictor(paperModel);
    const after = evaluateScenarios(predictor, injected);
    const title = `The published network on the 8 test scenarios with fake data injected (every device every ${period} min)`;
    write('figure', join(dir, 'figure5-confusion.svg'), await renderConfusion(after.report, { format: 'svg', normalised: false, title }));
    write('figure-data', join(dir, 'figure5-confusion.csv'), confusionCsv(after.report, false));
    write('report', join(dir, 'paper-injected.txt'), renderEvaluationText({ title, report: after.report, scenarios: after.scenarios }));
    const sweep = evaluation.sweep;
    const settingText = (p: SweepPoint): string => (p.param === null ? 'defaults' : `${p.param}=${p.value}`);
    const rec = evaluation.recommended;
    return {
      home: sweep.home,
      targetMacroF1: evaluation.target,
      undefendedMacroF1: sweep.references.undefended,
      chanceMacroF1: sweep.references.chance,
      settings: sweep.points.map((p) => ({
        strategy: p.strategy,
        setting: settingText(p),
        observers: [
          { observer: 'naive', macroF1: p.f1.naive },
          { observer: 'adaptive', macroF1: p.f1.adaptive },
          ...(p.f1.aware === null ? [] : [{ observer: 'aware', macroF1: p.f1.aware }]),
          ...(p.f1.awareSizes === null ? [] : [{ observer: 'size-aware', macroF1: p.f1.awareSizes }]),
        ],
        scoredOn: p.observedOn,
        strongestMacroF1: p.strongest,
        strongestBoundMacroF1: p.strongestBound,
        cost: { extraBytesPercent: p.cost.extraPercent, extraMBPerMonth: p.cost.extraMbPerMonth, delayMeanSeconds: p.cost.delayMeanS, delayP95Seconds: p.cost.delayP95S },
      })),
      recommendation:
        rec === null
          ? null
          : {
              strategy: rec.strategy,
              setting: settingText(rec),
              why:
                `the cheapest setting that keeps the adaptive and aware observers (timing and sizes) under ${evaluation.target} (the strongest at ${rec.strongest.toFixed(3)}, its ${boundName(sweep)} ${rec.strongestBound.toFixed(3)}), ` +
                `for ${rec.cost.extraMbPerMonth.toFixed(1)} MB a month (${rec.cost.extraPercent.toFixed(0)}% more traffic) and ${rec.cost.delayP95S.toFixed(0)} s of delay (p95).` +
                untestedText(rec.strategy),
            },
      sweep: {
        observerPreset: sweep.settings.preset,
        epochs: sweep.settings.epochs,
        trainDays: sweep.settings.trainDays,
        testDays: sweep.settings.testDays,
        costDays: sweep.settings.costDays,
        toleranceMinutes: sweep.settings.toleranceMinutes,
        valuesPerStrategy: budget.valuesPerStrategy,
        seconds: sweep.seconds,
      },
      paperInjection: { periodMinutes: period, scenarios: after, predictedVsExpected: after.scenarios.map((x) => ({ label: x.label, expected: x.expected, predicted: x.predicted })) },
    };
  });

  // The report: the result's files and stages are the runner's, so they grow as the report stage ends.
  const result: StudyResult = {
    settings: { out, seed, days, quick, labelled: labelledDirs, ...mode },
    made,
    paper,
    presets,
    observer,
    defences,
    files: runner.files,
    stages: runner.stages,
  };
  await stage('report', async () => {
    const paths = { text: join(out, 'study.txt'), html: join(out, 'report.html'), json: join(out, 'report.json'), summary: join(out, 'summary.md') };
    for (const path of Object.values(paths)) wrote('report', path);
    const rendered = await renderStudyReport(result, { methodHref: methodHref(out) });
    writeFileSync(paths.text, renderStudyText(result));
    writeFileSync(paths.html, rendered.html);
    writeFileSync(paths.json, renderReportJson('study', result, rendered.figures));
    writeFileSync(paths.summary, renderStudyMarkdown(result, Buffer.byteLength(rendered.html)));
  });
  return result;
}
