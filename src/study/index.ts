/** The study as a library: `runStudy(options)` and its settings, stages and result. */
export { runStudy, type StudyOptions } from './run-study.js';
export { STUDY_PRESETS, STUDY_SETTINGS, STUDY_STAGES, studyMode, type LearnedStudyPreset, type StudyModeSettings, type StudyPreset, type StudyStage } from './settings.js';
export type { LifeScore, ObserverStudy, PaperStudy, PresetResult, PresetsStudy, StudyFile, StudyFileRole, StudyFit, StudyResult } from './result.js';
