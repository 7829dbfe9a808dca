/**
 * `peephole defend evaluate` as a library: the sweep of every strategy on one home (sweep.ts), written
 * as the privacy/cost frontier (frontier.csv, frontier.json, frontier.svg, frontier.png, frontier.txt)
 * with the recommendation for the target macro-F1; and, when asked, the paper's Figures 5 and 6
 * regenerated beside their undefended counterparts (paper-figures.ts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HomeSpec } from '../../home/spec.js';
import type { Strategy } from '../strategy.js';
import { frontierCsv, frontierText, renderFrontier } from './frontier.js';
import { paperFigures, type PaperFigures } from './paper-figures.js';
import { recommend, sweepDefences, type SweepPoint, type SweepResult } from './sweep.js';
import type { ObserverSettings } from './observers.js';

export interface DefenceEvaluationOptions {
  readonly spec: HomeSpec;
  readonly source: string;
  readonly out: string;
  readonly seed: number;
  readonly strategies: readonly Strategy[];
  /** The macro-F1 the adaptive and aware observers must stay under. */
  readonly target: number;
  readonly trainDays: number;
  readonly testDays: number;
  readonly costDays: number;
  readonly observers: ObserverSettings;
  readonly toleranceMinutes: number;
  /** Strategies observed on defended captures too, and the days their observers learn from (sweep.ts). */
  readonly captureStrategies?: 'default' | readonly string[];
  readonly captureTrainDays?: number;
  /** Regenerate the paper's Figures 5 and 6 too (the published network's epochs, and optionally fewer training records). */
  readonly paper?: { readonly epochs: number; readonly period: number; readonly trainingRows?: number } | null;
  readonly onPoint?: (point: SweepPoint, done: number, total: number) => void;
}

export interface DefenceEvaluation {
  readonly sweep: SweepResult;
  readonly target: number;
  readonly recommended: SweepPoint | null;
  readonly paper: PaperFigures | null;
  readonly files: readonly string[];
}

export async function evaluateDefences(options: DefenceEvaluationOptions): Promise<DefenceEvaluation> {
  mkdirSync(options.out, { recursive: true });
  const work = join(options.out, 'work');
  const sweep = await sweepDefences({
    spec: options.spec,
    source: options.source,
    strategies: options.strategies,
    seed: options.seed,
    trainDays: options.trainDays,
    testDays: options.testDays,
    costDays: options.costDays,
    observers: options.observers,
    toleranceUs: options.toleranceMinutes * 60e6,
    work,
    ...(options.captureStrategies !== undefined ? { captureStrategies: options.captureStrategies } : {}),
    ...(options.captureTrainDays !== undefined ? { captureTrainDays: options.captureTrainDays } : {}),
    onPoint: options.onPoint,
  });
  rmSync(work, { recursive: true, force: true });
  const recommended = recommend(sweep.points, options.target);
  const files: string[] = [];
  const write = (name: string, content: string | Uint8Array): void => {
    const path = join(options.out, name);
    writeFileSync(path, content);
    files.push(path);
  };
  write('frontier.csv', frontierCsv(sweep));
  write('frontier.json', JSON.stringify({ ...sweep, target: options.target, recommended }, null, 2) + '\n');
  write('frontier.txt', frontierText(sweep, options.target, recommended));
  write('frontier.svg', await renderFrontier(sweep, options.target, 'svg'));
  write('frontier.png', await renderFrontier(sweep, options.target, 'png'));
  let paper: PaperFigures | null = null;
  if (options.paper) {
    paper = await paperFigures({ out: join(options.out, 'paper'), seed: options.seed, ...options.paper });
    files.push(...paper.files);
  }
  return { sweep, target: options.target, recommended, paper, files };
}
