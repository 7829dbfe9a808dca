/**
 * The study's settings as data: the homes, the presets, the days and epochs of each mode (`quick`
 * trades worse numbers for a run of about a minute), the defences' sweep of each mode, and its stages
 * in the order they run, each with what it does (for progress and for a report that shows how the
 * numbers were made); the stages of the observer's half on a user's own capture likewise.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK_PRESETS } from '../attack/presets.js';
import { BUNDLED_MODEL, OBSERVED_HOME, TRAINING_HOMES, UNSEEN_HOME } from '../attack/training-homes.js';
import { packageRoot } from '../core/data-file.js';

/** The presets compared on the homes, in the order they are reported: the rules floor first, the default (the bundled model's) last. */
export const STUDY_PRESETS = ['rules', 'paper', 'dense', 'sequence', 'structured'] as const;
export type StudyPreset = (typeof STUDY_PRESETS)[number];
/** The presets that learn (all but the rules floor). */
export type LearnedStudyPreset = Exclude<StudyPreset, 'rules'>;
/** The presets with a network, trained for some epochs. */
export type NetworkStudyPreset = Exclude<StudyPreset, 'rules' | 'structured'>;

/**
 * How the study sweeps the defences (defend/evaluate): the observers' days and epochs, and how many
 * of each strategy's sweep values it tries (spread from the least protection to the most; null: all).
 */
export interface StudyDefenceSettings {
  readonly trainDays: number;
  readonly testDays: number;
  readonly costDays: number;
  readonly epochs: number;
  readonly valuesPerStrategy: number | null;
  /**
   * The strategies scored on their defended capture (written, read back by the use detection, then
   * attacked) instead of on the defended uses; the others are scored on uses. Capture scoring costs
   * minutes a strategy here, so the study keeps it to the strategies whose uses-level view is a model
   * (`peephole defend evaluate` scores every such strategy, and every cover's size-aware observer, on captures).
   */
  readonly captureStrategies: readonly string[];
}

export interface StudyModeSettings {
  /** Epochs of the published network on the regenerated published data. */
  readonly paperEpochs: number;
  /** Days of each training home's simulated life. */
  readonly trainDays: number;
  /** Days of each test home's simulated life (the observed home's new days, the unseen home). */
  readonly testDays: number;
  /** Epochs of each network preset on the homes. */
  readonly presetEpochs: Readonly<Record<NetworkStudyPreset, number>>;
  /** The defences' sweep. */
  readonly defences: StudyDefenceSettings;
}

export const STUDY_SETTINGS = {
  homes: {
    /** The homes every preset learns from. */
    train: TRAINING_HOMES,
    /** The home no preset saw, for the test of a home never seen. */
    unseen: UNSEEN_HOME,
    /** A training home on new days (its second test), and the home observed as a capture. */
    observed: OBSERVED_HOME,
  },
  presets: STUDY_PRESETS,
  /**
   * The preset that infers the observed home's day (its model is the one trained on the homes): the
   * default, the bundled model's preset (attack/training-homes.ts says why; the report shows the
   * figures behind it).
   */
  observerPreset: BUNDLED_MODEL.preset,
  /** The test lives are seeded this far from the training seed, so their days are new ones. */
  testSeedOffset: 1000,
  /**
   * The defences are swept on the observed home, and the one the recommendation must hold the
   * adaptive and aware observers under (as `peephole defend evaluate --target`).
   */
  defenceTarget: 0.3,
  /** The paper's injection period for its Figures 5 and 6 (bottom), minutes: as `peephole defend evaluate --paper`. */
  paperInjectionPeriod: 60,
  /**
   * Strategies the study scores only combined, as the combination: ECH alone leaves the names the DNS
   * questions carry (a real client fetches its ECH config from DNS, and Firefox offers ECH only with
   * encrypted DNS), so `ech` is scored as `encrypted-dns+ech`: one point, 3 s (measured with the
   * full budget below, `peephole defend evaluate --home family --strategies encrypted-dns+ech`).
   */
  defenceCombinations: [{ combination: 'encrypted-dns+ech', instead: 'ech' }],
  // The defences' budgets, measured on 2 cores at load 10-12 (`peephole defend evaluate --home family
  // --train-days 14 --test-days 7 --epochs 8`, every strategy, 43 points): 62 s; the quick sweep
  // (3 values of each strategy, 7 + 3 days, 4 epochs) takes about a quarter of that.
  full: {
    paperEpochs: 10,
    trainDays: BUNDLED_MODEL.days,
    testDays: 60,
    presetEpochs: { paper: NETWORK_PRESETS.paper.epochs, dense: NETWORK_PRESETS.dense.epochs, sequence: NETWORK_PRESETS.sequence.epochs },
    defences: { trainDays: 14, testDays: 7, costDays: 1, epochs: 8, valuesPerStrategy: null, captureStrategies: ['tunnel', 'pad', 'slot-delay'] },
  },
  quick: {
    paperEpochs: 2,
    trainDays: 30,
    testDays: 14,
    presetEpochs: { paper: 5, dense: 5, sequence: 5 },
    defences: { trainDays: 5, testDays: 2, costDays: 1, epochs: 3, valuesPerStrategy: 2, captureStrategies: [] },
  },
} as const satisfies {
  homes: { train: readonly string[]; unseen: string; observed: string };
  presets: readonly StudyPreset[];
  observerPreset: LearnedStudyPreset;
  testSeedOffset: number;
  defenceTarget: number;
  paperInjectionPeriod: number;
  defenceCombinations: readonly { readonly combination: string; readonly instead: string }[];
  full: StudyModeSettings;
  quick: StudyModeSettings;
};

/** The settings of one mode. */
export function studyMode(quick: boolean): StudyModeSettings {
  return quick ? STUDY_SETTINGS.quick : STUDY_SETTINGS.full;
}

/** The study's stages in the order they run, with what each does. */
export const STUDY_STAGES = [
  { name: 'paper-data', does: 'regenerating the published data' },
  { name: 'paper-model', does: 'training the published network' },
  { name: 'paper-scenarios', does: 'scoring the published network on the 8 test scenarios' },
  { name: 'test-lives', does: 'simulating the test days of the seen and the unseen home' },
  { name: 'preset-rules', does: 'writing the rules preset and testing it on both homes' },
  { name: 'preset-paper', does: 'training the paper preset on the homes and testing it' },
  { name: 'preset-dense', does: 'training the dense preset on the homes and testing it' },
  { name: 'preset-sequence', does: 'training the sequence preset on the homes and testing it' },
  { name: 'preset-structured', does: 'learning the structured preset (the default) on the homes and testing it' },
  { name: 'labelled-homes', does: 'scoring every preset on the labelled homes given (--labelled)' },
  { name: 'observer-capture', does: 'simulating the observed home as a capture' },
  { name: 'observer-devices', does: 'finding and naming the devices, and their traffic over time' },
  { name: 'observer-uses', does: 'finding device uses in the encrypted traffic' },
  { name: 'observer-day', does: "inferring the residents' day and scoring it" },
  { name: 'defences', does: "sweeping every defence on the observed home, and the paper's fake-data injection on its scenarios" },
  { name: 'report', does: 'writing study.txt, report.html, report.json and summary.md' },
] as const;
export type StudyStage = (typeof STUDY_STAGES)[number]['name'];

/** The stages of the observer's half on a user's own capture (`peephole study --capture`), in order. */
export const CAPTURE_STAGES = [
  { name: 'capture-devices', does: 'finding and naming the devices, and their traffic over time' },
  { name: 'capture-uses', does: 'finding device uses in the encrypted traffic' },
  { name: 'capture-day', does: "inferring the residents' day" },
  { name: 'report', does: 'writing report.html, report.json and summary.md' },
] as const;
export type CaptureStage = (typeof CAPTURE_STAGES)[number]['name'];

/** The real development homes (labelled by others, converted to uses) the study scores every preset on by default. */
export const DEVELOPMENT_HOMES = ['kasteren_b', 'kasteren_c'] as const;

/**
 * The development homes beside the package (`../shared/activities/<home>`, where the project's
 * shared data sits next to its checkout, as in CI) that are there, each a folder with events.csv and
 * labels.csv; none on an install without them.
 */
export function developmentHomes(root: string = packageRoot()): string[] {
  return DEVELOPMENT_HOMES.map((h) => join(root, '..', 'shared', 'activities', h)).filter((dir) => existsSync(join(dir, 'events.csv')) && existsSync(join(dir, 'labels.csv')));
}
