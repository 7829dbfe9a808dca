/**
 * What `runStudy` returns: every number of the study, the data behind every figure, the files it
 * wrote and the time each stage took. report/study-text.ts makes study.txt from it alone, and
 * report/study-html.ts report.html (its input types, report/study-report-input.ts, are what it reads
 * of these). `CaptureStudyResult` is what `runCaptureStudy` returns: the observer's half on a user's
 * own capture, with no ground truth.
 */
import type { TimelineEntry } from '../attack/episodes.js';
import type { ClassificationReport } from '../evaluate/metrics.js';
import type { ScenarioResults } from '../evaluate/scenarios.js';
import type { TimelineMatch } from '../evaluate/timeline-match.js';
import type { EpochLogs } from '../model/dense-trainer.js';
import type { DenseBackendName } from '../model/dense-backend.js';
import type { IdentifiedDevice } from '../observe/identify.js';
import type { TimelineSeries } from '../observe/timeline-series.js';
import type { PredictionItem } from '../report/prediction-chart.js';
import type { CaptureReportInput, DefencesSection, ReportLabelledHome, ReportMade } from '../report/study-report-input.js';
import type { UsageScore } from '../uses/score.js';
import type { CaptureStage, LearnedStudyPreset, StudyModeSettings, StudyPreset, StudyStage } from './settings.js';
import type { StageFile, StageFileRole, StageTime } from './stage-runner.js';

/**
 * What a written file is for. `data` and `model` are folders (the published data set, a simulated
 * home's events and activities; a model folder); `stage` is a stage's kept result
 * (`stages/<stage>.json`, what `--from` reads back); the others are files.
 */
export type StudyFileRole = StageFileRole;

/** A file written, its path under the study's `out` folder. */
export type StudyFile = StageFile;

/** How a network was trained. */
export interface StudyFit {
  readonly epochs: number;
  readonly batchSize: number;
  readonly backend: DenseBackendName;
  /** Why that trainer ran (the native OpenBLAS addon, or why not). */
  readonly backendReason: string;
  readonly samplesPerSecond: number;
  readonly trainSeconds: number;
  /** Accuracy on the held-out last 20% of rows after the last epoch (null without such rows). */
  readonly validationAccuracy: number | null;
  /** Every epoch's loss and accuracy. */
  readonly history: readonly EpochLogs[];
}

/** 1. The published study, regenerated. */
export interface PaperStudy {
  /** The published training set as regenerated: its CSV, its records and the days of life they took. */
  readonly training: { readonly path: string; readonly records: number; readonly days: number };
  readonly model: string;
  /** The model folder's digest as loaded (what `--model-sha256` pins). */
  readonly modelSha256: string;
  readonly fit: StudyFit;
  /** The classes, by id (the five activities). */
  readonly classes: readonly string[];
  /** The 8 test scenarios: each one's prediction and the confusion matrix over them (Figure 4). */
  readonly scenarios: ScenarioResults;
  /** The predicted-vs-expected chart's series (Figure 6). */
  readonly predictedVsExpected: readonly PredictionItem[];
}

/** A preset scored on a home's life: per use and on the timeline. */
export interface LifeScore {
  readonly source: string;
  /** Per use, with its confusion matrix (the unseen home's is a figure). */
  readonly perUse: ClassificationReport;
  readonly timeline: TimelineMatch;
}

export interface PresetResult {
  readonly preset: StudyPreset;
  readonly model: string;
  /** The model folder's digest as loaded (what `--model-sha256` pins). */
  readonly modelSha256: string;
  /** How it was trained; null for the rules preset. */
  readonly fit: StudyFit | null;
  /** On new days of the observed home, which it learnt from. */
  readonly seen: LifeScore;
  /** On the home it never saw. */
  readonly unseen: LifeScore;
}

/** 2. Every preset, trained on the homes and tested on a seen and an unseen home. */
export interface PresetsStudy {
  readonly trainHomes: readonly string[];
  readonly trainDays: number;
  readonly seenHome: string;
  readonly unseenHome: string;
  readonly testDays: number;
  readonly testSeed: number;
  readonly presets: readonly PresetResult[];
  /** Every preset on each labelled home given (`labelled`): real homes recorded and labelled by others. */
  readonly labelled: readonly ReportLabelledHome[];
  /** The default preset (the bundled model's, what `peephole attack` uses), which also infers the observed home's day. */
  readonly defaultPreset: LearnedStudyPreset;
}

/** 3. What an observer on the router learns from the observed home's capture. */
export interface ObserverStudy {
  readonly home: string;
  readonly days: number;
  readonly capture: string;
  readonly packets: number;
  /** The uses the simulated residents really made. */
  readonly trueUses: number;
  /** The devices found and named. */
  readonly devices: readonly IdentifiedDevice[];
  /** Each device's traffic over time (the timeline figure's series). */
  readonly traffic: TimelineSeries;
  /** The uses found in the encrypted traffic, scored against the true ones (uses/score.ts). */
  readonly uses: { readonly found: number; readonly score: UsageScore };
  /** Each device that had uses, as the observer names it: vendor and category, then the MAC. */
  readonly deviceNames: readonly { readonly id: string; readonly name: string }[];
  /** The preset that inferred the day. */
  readonly preset: LearnedStudyPreset;
  /** The residents' day inferred from the uses found. */
  readonly inferred: readonly TimelineEntry[];
  /** How many activities really happened. */
  readonly trueActivities: number;
  /** The inferred day against the true one (right when within 15 min). */
  readonly timeline: TimelineMatch;
  /** The preset per use on the home's true uses. */
  readonly perUse: ClassificationReport;
}

export interface StudyResult {
  readonly settings: StudyModeSettings & { readonly out: string; readonly seed: number; readonly days: number; readonly quick: boolean; readonly labelled: readonly string[] };
  /** The program and run that made it. */
  readonly made: ReportMade;
  readonly paper: PaperStudy;
  readonly presets: PresetsStudy;
  readonly observer: ObserverStudy;
  /**
   * What each defence costs (defend/evaluate's sweep on the observed home, with the recommendation)
   * and the paper's fake-data injection on its scenarios.
   */
  readonly defences: DefencesSection;
  readonly files: readonly StudyFile[];
  /** Each stage's wall-clock seconds, in the order they ran (a kept stage: when it ran). */
  readonly stages: readonly StageTime<StudyStage>[];
}

/** The observer's half on a user's own capture: what was inferred, with confidence; no ground truth. */
export interface CaptureStudyResult extends CaptureReportInput {
  readonly model: { readonly dir: string; readonly preset: string; readonly featureSet: string; readonly classes: readonly string[]; readonly trainedOn: string };
  readonly inferred: readonly TimelineEntry[];
  readonly deviceNames: readonly { readonly id: string; readonly name: string }[];
  /** Null: a defence is scored against what really happened, which a user's own capture does not say. */
  readonly defences: DefencesSection | null;
  readonly files: readonly StudyFile[];
  readonly stages: readonly StageTime<CaptureStage>[];
}
