/** The study as a library: `runStudy(options)` and its settings, stages and result; `runCaptureStudy()` on a user's own capture. */
export { runStudy, type StudyOptions } from './run-study.js';
export { runCaptureStudy, type CaptureStudyOptions } from './run-capture-study.js';
export { CAPTURE_STAGES, STUDY_PRESETS, STUDY_SETTINGS, STUDY_STAGES, studyMode, type CaptureStage, type LearnedStudyPreset, type StudyModeSettings, type StudyPreset, type StudyStage } from './settings.js';
export { STAGES_DIR, type StageEvents, type StageTime } from './stage-runner.js';
export type { CaptureStudyResult, LifeScore, ObserverStudy, PaperStudy, PresetResult, PresetsStudy, StudyFile, StudyFileRole, StudyFit, StudyResult } from './result.js';
