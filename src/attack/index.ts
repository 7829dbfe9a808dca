/** The attack's public surface: events in, per-use class probabilities, the residents' day out. */
export { EventsCsvError, EVENTS_CSV_COLUMNS, parseEventsCsv, parseEventTime, readEventsCsv, shownCell, type EventsCsv } from './events-csv.js';
export { activityTimeline, EPISODE_GAP_US, groupUses, type TimelineEntry, type TimelineOptions, type UseGroup } from './episodes.js';
export type { ActivityPredictor } from './predictor.js';
export { DEFAULT_RULES_OPTIONS, RULE_NAMES, RulesPreset, ruleEpisodes, type Direction, type RuleEpisode, type RuleName, type RulesOptions } from './rules.js';
