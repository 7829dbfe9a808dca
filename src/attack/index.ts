/**
 * The attack's public surface: events in, per-use class probabilities, the residents' day out; and
 * the presets trained on labelled rows (sourced, scaled, fitted in memory, saved and loaded as model
 * folders).
 */
export { EventsCsvError, EVENTS_CSV_COLUMNS, eventsCsvUses, parseEventsCsv, parseEventTime, readEventsCsv, scanEventsCsv, shownCell, type EventsCsv, type EventsCsvScan } from './events-csv.js';
export { activityTimeline, EPISODE_GAP_US, groupUses, TimelineBuilder, type TimelineEntry, type TimelineOptions, type UseGroup } from './episodes.js';
export { inferredDay, loadPredictor, predictorFor, type ActivityPredictor, type ModelPredictor } from './predictor.js';
export { inferDay, predictBlocks, STREAM_BLOCK_USES, type PredictedBlock, type PredictBlocksOptions } from './use-stream.js';
export { DEFAULT_RULES_OPTIONS, RULE_NAMES, RulesPreset, ruleEpisodes, type Direction, type RuleEpisode, type RuleName, type RulesOptions } from './rules.js';
export { isPresetName, NETWORK_PRESETS, PRESET_NAMES, RULES_MODEL, type NetworkPreset, type PresetName } from './presets.js';
export { BUNDLED_MODEL, OBSERVED_HOME, TRAINING_HOMES, UNSEEN_HOME } from './training-homes.js';
export { dataFromHomes, dataFromPaperCsv, type TrainingData } from './training-data.js';
export { fitNormalisation, normalise, type Normalisation } from './scaler.js';
export { fitPreset, type FitPresetOptions, type FittedModel, type TrainingRun } from './fit-preset.js';
export { folderDigest, loadModel, loadPresetModel, ModelFileError, PRESET_FILES, readManifest, saveFittedModel, saveModel, type LoadedModel, type LoadModelOptions, type ModelDescription, type ModelManifest } from './model-files.js';
export { parseLabelsCsv, readLabelledHome, LABELS_CSV_COLUMNS, type LabelledHome } from './labelled-home.js';
export { DEFAULT_LABELLED_TOLERANCES_US, evaluateLabelledHome, type LabelledEvaluation, type LabelledToleranceScore, type SideBySideRow } from './evaluate-labelled.js';
export { DEFAULT_STRUCTURE, structuredDay, STATE_NAMES, type DurationLaw, type StructuredActivity, type StructuredDay, type StructureParams } from './structured-day.js';
export { fitStructure, homeSegments } from './fit-structure.js';
export { parseStructure, STRUCTURE_FILE, StructuredPreset, StructureFileError, structureJson, type ResidentsOption } from './structured-preset.js';
export { estimateBasis, estimateResidents, type ResidentEstimate } from './resident-estimate.js';
