/**
 * The attack's public surface: events in, per-use class probabilities, the residents' day out; and
 * the presets trained on labelled rows (sourced, scaled, fitted in memory, saved and loaded as model
 * folders).
 */
export { EventsCsvError, EVENTS_CSV_COLUMNS, eventsCsvUses, parseEventsCsv, parseEventTime, readEventsCsv, scanEventsCsv, shownCell, type EventsCsv, type EventsCsvScan } from './events-csv.js';
export { activityTimeline, EPISODE_GAP_US, groupUses, TimelineBuilder, type TimelineEntry, type TimelineOptions, type UseGroup } from './episodes.js';
export { loadPredictor, predictorFor, type ActivityPredictor, type ModelPredictor } from './predictor.js';
export { inferDay, predictBlocks, STREAM_BLOCK_USES, type PredictedBlock, type PredictBlocksOptions } from './use-stream.js';
export { DEFAULT_RULES_OPTIONS, RULE_NAMES, RulesPreset, ruleEpisodes, type Direction, type RuleEpisode, type RuleName, type RulesOptions } from './rules.js';
export { isPresetName, NETWORK_PRESETS, PRESET_NAMES, type NetworkPreset, type PresetName } from './presets.js';
export { BUNDLED_MODEL, OBSERVED_HOME, TRAINING_HOMES, UNSEEN_HOME } from './training-homes.js';
export { dataFromHomes, dataFromPaperCsv, type TrainingData } from './training-data.js';
export { fitNormalisation, normalise, type Normalisation } from './scaler.js';
export { fitPreset, type FitPresetOptions, type FittedModel, type TrainingRun } from './fit-preset.js';
export { loadModel, loadPresetModel, ModelFileError, readManifest, saveFittedModel, saveModel, type LoadedModel, type ModelDescription, type ModelManifest } from './model-files.js';
