/**
 * What the study's report (report.html, report.json, summary.md) reads: a study's result (study/
 * result.ts `StudyResult` is one) or the result of the observer's half on a user's own capture
 * (`CaptureStudyResult`). The report stage comes before the study stage, so it names here only what
 * it shows; the study's result types are checked against these where the report is written.
 */
import type { TimelineEntry } from '../attack/episodes.js';
import type { ClassificationReport } from '../evaluate/metrics.js';
import type { ScenarioResults } from '../evaluate/scenarios.js';
import type { TimelineMatch } from '../evaluate/timeline-match.js';
import type { IdentifiedDevice } from '../observe/identify.js';
import type { TimelineSeries } from '../observe/timeline-series.js';
import type { PredictionItem } from './prediction-chart.js';

/** How the report was made: the program, where it ran, and each stage's time. */
export interface ReportMade {
  /** peephole's version (package.json). */
  readonly peephole: string;
  readonly node: string;
  readonly platform: string;
  /** ISO 8601, when the run began. */
  readonly startedAt: string;
  /** The stage a run resumed from (`--from`), or null when every stage ran. */
  readonly resumedFrom: string | null;
}

export interface ReportStage {
  readonly name: string;
  /** What the stage does, in words. */
  readonly does: string;
  readonly seconds: number;
  /** True when this run took the stage's result from the files an earlier run kept (`--from`). */
  readonly kept: boolean;
}

export interface ReportFile {
  readonly role: string;
  readonly path: string;
}

export interface ReportFit {
  readonly epochs: number;
  readonly batchSize: number;
  readonly backend: string;
  /** Why that trainer ran (the native addon, or why not). */
  readonly backendReason: string;
  readonly samplesPerSecond: number;
  readonly trainSeconds: number;
  readonly validationAccuracy: number | null;
}

export interface ReportLifeScore {
  readonly source: string;
  readonly perUse: ClassificationReport;
  readonly timeline: TimelineMatch;
}

/** A preset scored on a labelled home read from files (a real home recorded by others). */
export interface ReportLabelledScore {
  readonly preset: string;
  /** One per tolerance (15 and 30 min). */
  readonly scores: readonly { readonly toleranceMinutes: number; readonly macroF1: number; readonly precision: number; readonly recall: number }[];
}

export interface ReportLabelledHome {
  readonly name: string;
  readonly dir: string;
  readonly uses: number;
  readonly labels: number;
  readonly days: number;
  readonly presets: readonly ReportLabelledScore[];
}

/** One observer's timeline macro-F1 against a defended home. */
export interface DefenceObserverScore {
  /** `naive` (trained undefended), `adaptive` (trained on the same defence), `aware` (knows the defence, sets likely cover aside). */
  readonly observer: string;
  readonly macroF1: number;
}

/** One strategy at one setting of its main parameter. */
export interface DefenceSetting {
  readonly strategy: string;
  /** The parameter as text, e.g. `rate=4/h`. */
  readonly setting: string;
  readonly observers: readonly DefenceObserverScore[];
  /** What the observers read: the defended uses, or the defended capture read back by the use detection (absent: not said). */
  readonly scoredOn?: 'uses' | 'capture';
  /** What the defence must hold down: the best of the observers that know it is there (adaptive, aware, size-aware). */
  readonly strongestMacroF1: number;
  /** Its upper bound on days the sweep did not score (a bootstrap over the test days; absent: not said): what the recommendation holds under the target. */
  readonly strongestBoundMacroF1?: number;
  readonly cost: {
    /** Extra bytes as a percentage of the real traffic. */
    readonly extraBytesPercent: number;
    readonly extraMBPerMonth: number;
    /** Delay added to real uses, seconds. */
    readonly delayMeanSeconds: number;
    readonly delayP95Seconds: number;
  };
}

/**
 * What each defence costs: every strategy and setting with each observer's score and its cost, and
 * the recommendation (study/run-study.ts fills it from defend/evaluate's sweep); null on a user's own
 * capture, where the report's section says why nothing is scored.
 */
export interface DefencesSection {
  readonly home: string;
  /** The macro-F1 the strongest observer must stay under. */
  readonly targetMacroF1: number;
  readonly undefendedMacroF1: number;
  readonly chanceMacroF1: number;
  readonly settings: readonly DefenceSetting[];
  /** The cheapest setting under the target, or null when none is. */
  readonly recommendation: { readonly strategy: string; readonly setting: string; readonly why: string } | null;
  /** How the sweep was made (absent: not said). */
  readonly sweep?: {
    /** The attack preset the naive and adaptive observers use, and its epochs. */
    readonly observerPreset: string;
    readonly epochs: number;
    readonly trainDays: number;
    readonly testDays: number;
    readonly costDays: number;
    readonly toleranceMinutes: number;
    /** Each strategy's sweep values tried, out of those it has (null: all). */
    readonly valuesPerStrategy: number | null;
    readonly seconds: number;
  };
  /**
   * The paper's defence on its own 8 test scenarios: the published network (the one the study
   * trained) on the scenarios with fake data injected (its Figure 5 and Figure 6, bottom); null when not measured.
   */
  readonly paperInjection?: {
    /** Minutes between two fake uses of each device. */
    readonly periodMinutes: number;
    readonly scenarios: ScenarioResults;
    readonly predictedVsExpected: readonly PredictionItem[];
  } | null;
}

/** The study's result as the report reads it. */
export interface StudyReportInput {
  readonly settings: {
    readonly out: string;
    readonly seed: number;
    readonly days: number;
    readonly quick: boolean;
    readonly paperEpochs: number;
    readonly trainDays: number;
    readonly testDays: number;
    readonly presetEpochs: Readonly<Record<string, number>>;
    readonly labelled: readonly string[];
  };
  readonly made: ReportMade;
  readonly paper: {
    readonly training: { readonly path: string; readonly records: number; readonly days: number };
    readonly model: string;
    readonly fit: ReportFit;
    readonly classes: readonly string[];
    readonly scenarios: ScenarioResults;
    readonly predictedVsExpected: readonly PredictionItem[];
  };
  readonly presets: {
    readonly trainHomes: readonly string[];
    readonly trainDays: number;
    readonly seenHome: string;
    readonly unseenHome: string;
    readonly testDays: number;
    readonly testSeed: number;
    readonly presets: readonly { readonly preset: string; readonly model: string; readonly fit: ReportFit | null; readonly seen: ReportLifeScore; readonly unseen: ReportLifeScore }[];
    readonly labelled: readonly ReportLabelledHome[];
    /** The default preset (the bundled model's, what `peephole attack` uses), which also inferred the observed home's day. */
    readonly defaultPreset: string;
  };
  readonly observer: {
    readonly home: string;
    readonly days: number;
    readonly capture: string;
    readonly packets: number;
    readonly trueUses: number;
    readonly devices: readonly IdentifiedDevice[];
    readonly traffic: TimelineSeries;
    readonly uses: { readonly found: number; readonly score: { readonly overall: { readonly tp: number; readonly fp: number; readonly fn: number; readonly precision: number; readonly recall: number } } };
    readonly deviceNames: readonly { readonly id: string; readonly name: string }[];
    readonly preset: string;
    readonly inferred: readonly TimelineEntry[];
    readonly trueActivities: number;
    readonly timeline: TimelineMatch;
    readonly perUse: ClassificationReport;
  };
  /** Null when the study measured no defence. */
  readonly defences: DefencesSection | null;
  readonly files: readonly ReportFile[];
  readonly stages: readonly ReportStage[];
}

/** A device with uses, as the capture's report lists it. */
export interface CaptureDeviceUses {
  readonly id: string;
  /** Vendor and category (or kind), then the id. */
  readonly name: string;
  readonly kind: string;
  readonly uses: number;
  /** Mean confidence of its uses, 0..1 (null without uses). */
  readonly meanConfidence: number | null;
}

/** The observer's half on a user's own capture, as the report reads it: no ground truth anywhere. */
export interface CaptureReportInput {
  readonly settings: { readonly out: string; readonly capture: string; readonly model: string; readonly known: string | null };
  readonly made: ReportMade;
  readonly capture: {
    readonly file: string;
    readonly format: string;
    readonly linkTypes: readonly number[];
    readonly records: number;
    readonly bytes: number;
    /** First and last packet time of the devices, epoch seconds (null without devices). */
    readonly first: number | null;
    readonly last: number | null;
    readonly vantage: string;
    readonly vantageDetected: string;
    readonly damagedRecords: number;
  };
  readonly devices: readonly IdentifiedDevice[];
  readonly devicesNotKept: number;
  /** Entries of `--known` given. */
  readonly knownEntries: number;
  readonly traffic: TimelineSeries;
  readonly uses: {
    readonly found: number;
    readonly devices: readonly CaptureDeviceUses[];
    /** Each use's confidence, 0..1. */
    readonly confidences: readonly number[];
    /** Packets left out of the uses for a time the detector cannot place (before 1970, after 2112-09-17; absent: none counted). */
    readonly packetsOutOfTime?: number;
  };
  readonly model: { readonly dir: string; readonly preset: string; readonly featureSet: string; readonly classes: readonly string[]; readonly trainedOn: string };
  readonly inferred: readonly TimelineEntry[];
  readonly deviceNames: readonly { readonly id: string; readonly name: string }[];
  readonly defences: DefencesSection | null;
  readonly files: readonly ReportFile[];
  readonly stages: readonly ReportStage[];
}
