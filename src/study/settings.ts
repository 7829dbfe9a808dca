/**
 * The study's settings as data: the homes, the presets, the days and epochs of each mode (`quick`
 * trades worse numbers for a run of about a minute), and its stages in the order they run, each with
 * what it does (for progress and for a report that shows how the numbers were made); the stages of
 * the observer's half on a user's own capture likewise.
 */
import { NETWORK_PRESETS } from '../attack/presets.js';
import { OBSERVED_HOME, TRAINING_HOMES, UNSEEN_HOME } from '../attack/training-homes.js';

/** The presets compared on the homes, in the order they are reported: the rules floor first. */
export const STUDY_PRESETS = ['rules', 'paper', 'dense', 'sequence'] as const;
export type StudyPreset = (typeof STUDY_PRESETS)[number];
/** The presets that learn (all but the rules floor). */
export type LearnedStudyPreset = Exclude<StudyPreset, 'rules'>;

export interface StudyModeSettings {
  /** Epochs of the published network on the regenerated published data. */
  readonly paperEpochs: number;
  /** Days of each training home's simulated life. */
  readonly trainDays: number;
  /** Days of each test home's simulated life (the observed home's new days, the unseen home). */
  readonly testDays: number;
  /** Epochs of each learned preset on the homes. */
  readonly presetEpochs: Readonly<Record<LearnedStudyPreset, number>>;
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
  /** The preset that infers the observed home's day (its model is the one trained on the homes). */
  observerPreset: 'sequence',
  /** The test lives are seeded this far from the training seed, so their days are new ones. */
  testSeedOffset: 1000,
  full: {
    paperEpochs: 10,
    trainDays: 120,
    testDays: 60,
    presetEpochs: { paper: NETWORK_PRESETS.paper.epochs, dense: NETWORK_PRESETS.dense.epochs, sequence: NETWORK_PRESETS.sequence.epochs },
  },
  quick: { paperEpochs: 2, trainDays: 30, testDays: 14, presetEpochs: { paper: 5, dense: 5, sequence: 5 } },
} as const satisfies {
  homes: { train: readonly string[]; unseen: string; observed: string };
  presets: readonly StudyPreset[];
  observerPreset: LearnedStudyPreset;
  testSeedOffset: number;
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
  { name: 'labelled-homes', does: 'scoring every preset on the labelled homes given (--labelled)' },
  { name: 'observer-capture', does: 'simulating the observed home as a capture' },
  { name: 'observer-devices', does: 'finding and naming the devices, and their traffic over time' },
  { name: 'observer-uses', does: 'finding device uses in the encrypted traffic' },
  { name: 'observer-day', does: "inferring the residents' day and scoring it" },
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
