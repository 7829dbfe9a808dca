/**
 * `peephole defend INPUT --strategy NAME [--param k=v]... --out DEFENDED`: a capture or an events CSV
 * defended (defend/), written to DEFENDED, with what it cost printed. `--list` prints the strategies
 * and their parameters.
 */
import { InputError, UsageError } from './errors.js';
import { TextSink } from './output.js';
import { isEventsCsv } from './attack.js';
import { reportReaderDamage } from './source.js';

export interface DefendCommandOptions {
  strategy?: string;
  params: string[];
  out?: string;
  seed: number;
  vantage?: 'lan' | 'wan';
  json: boolean;
  list: boolean;
}

export async function defendCommand(input: string | undefined, options: DefendCommandOptions): Promise<void> {
  const { STRATEGIES, createDefence, findStrategy, combinedParams } = await import('../defend/registry.js');
  const { DefenceParamError, parseParamPairs } = await import('../defend/params.js');
  const sink = new TextSink();
  if (options.list) {
    sink.write(options.json ? JSON.stringify(STRATEGIES.map(({ create: _, ...s }) => s), null, 2) + '\n' : (await import('../defend/strategy-text.js')).strategiesText(STRATEGIES));
    await sink.end();
    return;
  }
  if (input === undefined) throw new UsageError('defend needs a capture or an events CSV (or --list)');
  if (options.strategy === undefined) throw new UsageError('defend needs --strategy NAME (peephole defend --list shows them)');
  if (options.out === undefined) throw new UsageError('defend needs --out DEFENDED (the file to write)');
  if (input === '-') throw new UsageError('defend reads its input twice (the uses, then the frames): give a file, not -');
  let defence;
  let specs;
  try {
    const parts = findStrategy(options.strategy);
    specs = parts.length === 1 ? parts[0].params : combinedParams(parts);
    defence = createDefence(options.strategy, parseParamPairs(options.params));
  } catch (err) {
    if (err instanceof DefenceParamError) throw new UsageError(err.message);
    throw err;
  }
  const { costText } = await import('../defend/cost-text.js');
  if (isEventsCsv(input)) {
    if (defence.uses === null) throw new InputError(`${input}: ${defence.strategy} changes packets, and an events CSV has none: give a capture, or a strategy on uses (inject, random-cover, stp, slot-delay)`);
    const { defendEventsFile } = await import('../defend/defend-events.js');
    const r = defendEventsFile(input, options.out, defence, options.seed);
    if (options.json) sink.write(JSON.stringify({ input, out: r.out, strategy: defence.strategy, params: defence.params, seed: options.seed, cost: r.cost }, null, 2) + '\n');
    else sink.write(costText({ strategy: defence.strategy, params: defence.params, specs, input, out: r.out, what: 'events', seed: options.seed, cost: r.cost, ledger: null }));
    await sink.end();
    return;
  }
  const { defendCapture } = await import('../defend/defend-capture.js');
  const r = await defendCapture({ input, out: options.out, defence, seed: options.seed, vantage: options.vantage });
  const files: { path: string; holds: string }[] = [];
  if (r.uses !== null) {
    // The truth beside the capture: every use as made, cover marked, each real one with when it was lived.
    const { DEFENDED_EVENTS_HEADER, defendedEventLine } = await import('../defend/defend-events.js');
    const { writeFileSync } = await import('node:fs');
    const path = `${options.out}.uses.csv`;
    writeFileSync(path, [DEFENDED_EVENTS_HEADER, ...r.uses.made.map((u) => defendedEventLine(u.livedUs === null ? { ...u, cause: 'cover' } : u))].join('\n') + '\n');
    files.push({ path, holds: `${r.uses.made.length} uses as made, cover marked` });
  }
  if (options.json) {
    sink.write(JSON.stringify({ input, out: r.out, strategy: defence.strategy, params: defence.params, seed: options.seed, vantage: r.vantage, cost: r.cost, ledger: r.ledger, files }, null, 2) + '\n');
  } else {
    sink.write(costText({ strategy: defence.strategy, params: defence.params, specs, input, out: r.out, what: `capture (${r.vantage.toUpperCase()})`, seed: options.seed, cost: r.cost, ledger: r.ledger, files }));
  }
  await sink.end();
  reportReaderDamage(r.capture);
}

export interface DefendEvaluateOptions {
  home?: string;
  strategies: string;
  target: number;
  out?: string;
  seed: number;
  trainDays: number;
  testDays: number;
  costDays: number;
  preset: 'sequence' | 'dense';
  epochs: number;
  tolerance: number;
  captureTrainDays?: number;
  paper: boolean;
  paperEpochs: number;
  json: boolean;
}

/** `peephole defend evaluate --home NAME --out DIR`: every strategy swept on one home, its privacy against its cost. */
export async function defendEvaluateCommand(options: DefendEvaluateOptions): Promise<void> {
  if (options.home === undefined) throw new UsageError('defend evaluate needs --home NAME|spec.yaml');
  if (options.out === undefined) throw new UsageError('defend evaluate needs --out DIR');
  const { STRATEGIES, strategyOf } = await import('../defend/registry.js');
  const { DefenceParamError } = await import('../defend/params.js');
  let strategies;
  try {
    strategies = options.strategies === 'all' ? STRATEGIES : options.strategies.split(',').map((name) => strategyOf(name.trim()));
  } catch (err) {
    if (err instanceof DefenceParamError) throw new UsageError(err.message);
    throw err;
  }
  const { loadHomeSpec } = await import('../home/spec.js');
  const { evaluateDefences } = await import('../defend/evaluate/run.js');
  const { sweepValues } = await import('../defend/evaluate/sweep.js');
  const { frontierText } = await import('../defend/evaluate/frontier.js');
  const { countProgress } = await import('./progress.js');
  const spec = loadHomeSpec(options.home);
  const total = strategies.reduce((n, s) => n + sweepValues(s).values.length, 0);
  const bar = countProgress(total, `defending ${spec.name}`, 'points');
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let result;
  try {
    result = await evaluateDefences({
      spec,
      source: options.home,
      out: options.out,
      seed: options.seed,
      strategies,
      target: options.target,
      trainDays: options.trainDays,
      testDays: options.testDays,
      costDays: options.costDays,
      observers: { preset: options.preset, epochs: options.epochs, seed: options.seed },
      toleranceMinutes: options.tolerance,
      ...(options.captureTrainDays !== undefined ? { captureTrainDays: options.captureTrainDays } : {}),
      paper: options.paper ? { epochs: options.paperEpochs, period: 60 } : null,
      onPoint: (point, done) => {
        bar.update(done);
        // Without a terminal: one line per strategy, when its last point is done.
        const s = strategies.find((x) => x.name === point.strategy)!;
        const values = sweepValues(s).values;
        if (!tty && point.value === values[values.length - 1]) {
          process.stderr.write(`peephole defend evaluate: ${point.strategy} done (${values.length} point(s), ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
        }
      },
    });
  } finally {
    bar.stop();
  }
  const sink = new TextSink();
  if (options.json) {
    sink.write(JSON.stringify({ ...result.sweep, target: result.target, recommended: result.recommended, paper: result.paper && { before: result.paper.before.correct, after: result.paper.after.correct }, files: result.files }, null, 2) + '\n');
  } else {
    sink.write(frontierText(result.sweep, result.target, result.recommended));
    if (result.paper !== null) sink.write(`\nThe paper's scenarios: the published network gets ${result.paper.before.correct} of 8 right as lived (Figure 4), ${result.paper.after.correct} of 8 with fake data injected (Figure 5)\n`);
    sink.write(`\nwrote ${result.files.length} files to ${options.out} (frontier.csv, frontier.json, frontier.txt, frontier.svg, frontier.png${result.paper ? ', paper/figures/' : ''}) in ${result.sweep.seconds.toFixed(0)} s\n`);
  }
  await sink.end();
}
