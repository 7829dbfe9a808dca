/**
 * The evaluation stage: how well activities were inferred. Metrics as scikit-learn computes them,
 * activities matched on a timeline within a tolerance, and per-scenario results as published.
 *
 * ```ts
 * import { scoreScenarios } from './evaluate/index.js';
 * const results = scoreScenarios({ probabilities, rowScenario, scenarios, classes: ACTIVITIES });
 * results.report.accuracy;
 * ```
 */
export { classMetrics, classificationReport, confusionCsv, macroF1, type ClassificationReport, type ClassMetrics } from './metrics.js';
export {
  DEFAULT_TOLERANCE_US,
  matchTimeline,
  sweepMatch,
  type MatchedPair,
  type TimedActivity,
  type TimelineMatch,
  type TimelineMatchOptions,
} from './timeline-match.js';
export { argmax, scoreScenarios, type ProbabilityRows, type ScenarioInput, type ScenarioResult, type ScenarioResults, type ScenarioTruth } from './scenarios.js';
export { timelineConfusion, type TimelineConfusion } from './timeline-confusion.js';
