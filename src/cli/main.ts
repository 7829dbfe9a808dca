/**
 * The `peephole` command: parses arguments with commander, hands them to one command module each,
 * and maps errors to exit codes in one place (0 ok, 1 bad input, 2 usage error).
 */
import { Command, CommanderError, Option } from 'commander';
import { exitCodeFor, EXIT_USAGE, UsageError } from './errors.js';
// Each command's module is imported when the command runs: start-up stays short (it counts in
// every benchmark ratio) and a command never loads what another one needs.

function buildProgram(): Command {
  const program = new Command('peephole')
    .description('What a network observer learns about the people in a smart home from encrypted IoT traffic alone.')
    .version('0.1.0')
    .exitOverride()
    // Options after a command are that command's (`defend evaluate --out` is evaluate's, not defend's).
    .enablePositionalOptions()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('packets')
    .description('print one row per packet, with the columns and formatting of the tshark fields of the same names')
    .argument('<file>', 'capture file (pcap, pcapng, optionally .gz), or - for stdin')
    .addOption(new Option('--csv', 'CSV instead of TSV (cells from the wire neutralised)').conflicts('json'))
    .addOption(new Option('--json', 'NDJSON, one object per packet'))
    .option('--strict', 'treat the first decoding anomaly as an error (exit 1)')
    .action(async (file: string, opts: { csv?: boolean; json?: boolean; strict?: boolean }) => {
      const { packetsCommand } = await import('./packets.js');
      await packetsCommand(file, { format: opts.json ? 'json' : opts.csv ? 'csv' : 'tsv', strict: !!opts.strict });
    });

  program
    .command('inspect')
    .description('summarise a capture: format, link types, packets, bytes, time span, hosts, DNS names, TLS server names, anomalies')
    .argument('<file>', 'capture file (pcap, pcapng, optionally .gz), or - for stdin')
    .option('--json', 'machine-readable JSON')
    .option('--top <n>', 'rows per table in the text output', (v) => parsePositiveInt(v, '--top'), 15)
    .action(async (file: string, opts: { json?: boolean; top: number }) => {
      const { inspectCommand } = await import('./inspect.js');
      await inspectCommand(file, { json: !!opts.json, top: opts.top });
    });

  program
    .command('devices')
    .description("find the home's devices, say what each one is (vendor, category, confidence) and show the evidence")
    .argument('<file>', 'capture file (pcap, pcapng, optionally .gz), or - for stdin')
    .option('--json', 'machine-readable JSON')
    .option('--evidence', 'show why each device was named: which name matched which rule, first seen when')
    .addOption(new Option('--vantage <where>', 'where the capture was taken (default: detected)').choices(['lan', 'wan', 'wifi']))
    .option('--rules <file>', 'more vendor rules (TSV, as data/vendor-rules.tsv); they take precedence')
    .option('--known <file>', 'what you know of the devices (TSV: MAC or address, name, vendor, category); marked as known')
    .option('--device <id>', 'only this device (MAC, address or id; repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (file: string, opts: { json?: boolean; evidence?: boolean; vantage?: 'lan' | 'wan' | 'wifi'; rules?: string; known?: string; device: string[] }) => {
      const { devicesCommand } = await import('./devices.js');
      await devicesCommand(file, { json: !!opts.json, evidence: !!opts.evidence, vantage: opts.vantage, rules: opts.rules, known: opts.known, devices: opts.device });
    });

  program
    .command('timeline')
    .description("every device's traffic over time (bytes per bin, one row per device), as a plot and/or CSV")
    .argument('<file>', 'capture file (pcap, pcapng, optionally .gz), or - for stdin')
    .option('--plot <out>', 'write the plot: out.png or out.svg')
    .option('--csv <out>', 'write the series as CSV (time_utc,device,label,bytes); - for stdout')
    .option('--bin <seconds>', 'bin width in seconds (default: chosen from the span)', (v) => parsePositiveInt(v, '--bin'))
    .option('--width <px>', 'plot width in pixels', (v) => parsePositiveInt(v, '--width'))
    .option('--title <text>', 'plot title')
    .option('--rules <file>', 'more vendor rules (TSV, as data/vendor-rules.tsv)')
    .option('--device <id>', 'only this device (MAC or address; repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (file: string, opts: { plot?: string; csv?: string; bin?: number; width?: number; title?: string; rules?: string; device: string[] }) => {
      const { timelineCommand } = await import('./timeline.js');
      await timelineCommand(file, { plot: opts.plot, csv: opts.csv, binSeconds: opts.bin, width: opts.width, title: opts.title, rules: opts.rules, devices: opts.device });
    });

  program
    .command('study')
    .description('the main job: the published study regenerated, every preset on a home it never saw, and what an observer learns from a capture; with --capture, the observer\'s half on your own capture')
    .option('--out <dir>', 'where to write the data, models, figures and reports (report.html, report.json, summary.md)', 'out/study')
    .option('--seed <n>', 'random seed', (v) => parseSeed(v), 1)
    .option('--days <n>', 'days of the observed home written as a capture', (v) => parsePositiveInt(v, '--days'), 2)
    .option('--quick', 'fewer epochs and days: a look in about a minute, with worse numbers')
    .addOption(
      new Option('--labelled <dir>', 'a labelled home (a folder with events.csv and labels.csv) every preset is also scored on (repeatable; "none" for none)')
        .argParser((v: string, all: string[]) => [...all, v])
        .default([] as string[], 'the real development homes in ../shared/activities beside peephole, when there'),
    )
    .option('--from <stage>', 'start at this stage, reading the earlier ones back from what a run into the same --out kept')
    .option('--capture <file>', 'instead: the observer\'s half on your own LAN capture (what it infers, with confidence; no accuracy, as there is no truth)')
    .option('--model <dir>', 'with --capture: the model that infers the residents\' day (default: the bundled one)')
    .option('--known <file>', 'with --capture: what you know of the devices (TSV: MAC or address, name, vendor, category)')
    .action(async (opts: { out: string; seed: number; days: number; quick?: boolean; labelled: string[]; from?: string; capture?: string; model?: string; known?: string }, command: Command) => {
      const given = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
      const { studyCommand } = await import('./study.js');
      await studyCommand({ ...opts, quick: !!opts.quick, outGiven: given('out'), labelledGiven: given('labelled'), studyOnly: ['seed', 'days', 'quick', 'labelled'].filter(given) });
    });

  program
    .command('simulate')
    .description('simulate labelled smart-home life: activities.csv, events.csv and the capture an observer would record')
    .option('--home <name|file>', `a built-in home (paper, couple-shifts, family, night-shift, sensor-rich), a random one (random:SEED, its spec written as home.yaml) or a spec file (.json, .yaml)`, 'paper')
    .addOption(new Option('--preset <name>', 'instead: regenerate a published data set (the training set and the test scenarios)').choices(['paper']))
    .option('--days <n>', 'days of life to simulate', (v) => parsePositiveInt(v, '--days'), 7)
    .option('--seed <n>', 'random seed (same spec and seed: byte-identical files)', (v) => parseSeed(v), 1)
    .option('--out <dir>', 'where to write the files', 'out/simulate')
    .addOption(new Option('--format <format>', 'capture format, or none for the CSV files only').choices(['pcapng', 'pcap', 'none']).default('pcapng'))
    .addOption(new Option('--vantage <where>', "where the observer stands: the home's router, the ISP after NAT, or a Wi-Fi sniffer").choices(['lan', 'wan', 'wifi']).default('lan'))
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { home: string; preset?: 'paper'; days: number; seed: number; out: string; format: 'pcapng' | 'pcap' | 'none'; vantage: 'lan' | 'wan' | 'wifi'; json?: boolean }) => {
      const { simulateCommand } = await import('./simulate.js');
      await simulateCommand({ ...opts, json: !!opts.json });
    });

  program
    .command('train')
    .description('train an attack model (the published network, better presets, or the rules floor) and write it as a model folder')
    .option('--data <rows.csv>', 'rows in the published CSV format (peephole simulate --preset paper writes them)')
    .option('--home <name|file>', 'simulated homes to learn from (repeatable, or comma-separated)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--bundled', 'build the bundled model that peephole attack uses by default (structured preset, its priors from 200 random homes; with --preset NAME a network from the 4 built-in homes, sensor-rich left out)')
    .option('--preset <name>', 'paper | dense | sequence | rules | structured (default: paper with --data, structured with --bundled, dense otherwise)')
    .option('--days <n>', 'days of each simulated home', (v) => parsePositiveInt(v, '--days'), 60)
    .option('--epochs <n>', 'training epochs (default: the preset\'s)', (v) => parsePositiveInt(v, '--epochs'))
    .option('--batch-size <n>', 'rows per batch (default: the preset\'s)', (v) => parsePositiveInt(v, '--batch-size'))
    .option('--seed <n>', 'random seed: weights, shuffling and simulated life', (v) => parseSeed(v), 1)
    .addOption(new Option('--backend <name>', 'training backend: native (OpenBLAS addon), wasm, js; auto picks the fastest available').choices(['auto', 'native', 'wasm', 'js']).default('auto'))
    .option('--out <dir>', 'where to write the model folder (default for --bundled: models/bundled)')
    .option('--json', 'print the manifest and the per-epoch history as JSON')
    .action(async (opts: { data?: string; home: string[]; bundled?: boolean; preset?: string; days: number; epochs?: number; batchSize?: number; seed: number; backend: 'auto' | 'native' | 'wasm' | 'js'; out?: string; json?: boolean }) => {
      const { trainCommand } = await import('./train.js');
      await trainCommand({ ...opts, bundled: !!opts.bundled, json: !!opts.json });
    });

  program
    .command('evaluate')
    .description('score a model on labelled data: per use, per activity on a timeline (15 min), and on the paper\'s 8 scenarios; or on any labelled home (--events with --labels)')
    .option('--model <dir>', 'a model folder written by peephole train (default: the bundled model)')
    .option('--events <events.csv>', 'a labelled home\'s device uses (time,device,kind), scored against --labels')
    .option('--labels <labels.csv>', 'its true activities (time,activity)')
    .option('--tolerance <min>', 'with --events: score the timeline within this many minutes (default: 15 and 30)', (v) => parsePositiveNumber(v, '--tolerance'))
    .option('--model-sha256 <hex>', 'refuse the model folder unless its digest (printed on load) is this one', (v) => parseSha256(v))
    .option('--home <name|file>', 'a simulated home to test on')
    .option('--sim <dir>', 'a peephole simulate folder (events.csv, activities.csv)')
    .option('--data <rows.csv>', 'rows in the published CSV format (paper preset only)')
    .option('--scenarios <dir>', 'a peephole simulate --preset paper folder: score its 8 scenarios')
    .option('--days <n>', 'days of the simulated home', (v) => parsePositiveInt(v, '--days'), 30)
    .option('--seed <n>', 'seed of the simulated home (use another than training)', (v) => parseSeed(v), 1001)
    .option('--out <dir>', 'also write confusion matrices (CSV, SVG, PNG), the scenario chart and the report')
    .option('--json', 'machine-readable JSON')
    .action(async (opts: { model?: string; modelSha256?: string; events?: string; labels?: string; tolerance?: number; home?: string; sim?: string; data?: string; scenarios?: string; days: number; seed: number; out?: string; json?: boolean }) => {
      const { evaluateCommand } = await import('./evaluate.js');
      await evaluateCommand({ ...opts, json: !!opts.json });
    });

  program
    .command('attack')
    .description("infer the residents' day from a capture or an events CSV: time, activity, confidence, and the device uses behind it")
    .argument('<input>', 'a capture (pcap, pcapng, .gz; - for stdin) or an events CSV (time,device,kind)')
    .option('--model <dir>', 'a model folder (default: the bundled model, built by peephole train --bundled)')
    .option('--model-sha256 <hex>', 'refuse the model folder unless its digest (printed on load) is this one', (v) => parseSha256(v))
    .option('--known <file>', 'what you know of the devices (TSV as for peephole devices: MAC or address, name, vendor, category); the category sets the kind')
    .option('--residents <n|auto>', "how many residents the home has, or auto: estimated from the uses (the structured preset reads each one's day)", (v) => parseResidents(v), 'auto' as const)
    .option('--json', 'machine-readable JSON')
    .action(async (input: string, opts: { model?: string; modelSha256?: string; known?: string; residents: number | 'auto'; json?: boolean }) => {
      const { attackCommand } = await import('./attack.js');
      await attackCommand(input, { model: opts.model, modelSha256: opts.modelSha256, known: opts.known, residents: opts.residents, json: !!opts.json });
    });

  const defend = program
    .command('defend')
    .description('defend a capture or an events CSV against the observer (cover traffic, padding, delaying, tunnels, encrypted DNS, Encrypted ClientHello) and print what it costs')
    .argument('[input]', 'a capture (pcap, pcapng, .gz) or an events CSV (time,device,kind)')
    .option('--strategy <name>', 'the strategy (peephole defend --list), or several joined by +')
    .option('--param <k=v>', 'a parameter of the strategy (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--out <file>', 'where to write the defended capture or events CSV')
    .option('--seed <n>', 'random seed (same input, strategy, parameters and seed: the same bytes)', (v) => parseSeed(v), 1)
    .addOption(new Option('--vantage <where>', 'where the capture was taken (default: told from its addresses)').choices(['lan', 'wan']))
    .option('--list', 'list the strategies and their parameters')
    .enablePositionalOptions()
    .option('--json', 'machine-readable JSON')
    .action(async (input: string | undefined, opts: { strategy?: string; param: string[]; out?: string; seed: number; vantage?: 'lan' | 'wan'; list?: boolean; json?: boolean }) => {
      const { defendCommand } = await import('./defend.js');
      await defendCommand(input, { strategy: opts.strategy, params: opts.param, out: opts.out, seed: opts.seed, vantage: opts.vantage, json: !!opts.json, list: !!opts.list });
    });
  defend
    .command('evaluate')
    .description("every strategy over a sweep of its parameter on one simulated home: the naive, adaptive and aware observers' timeline macro-F1 against the cost, the frontier plotted, the cheapest strategy under a target")
    .option('--home <name|file>', 'a built-in home or a spec file')
    .option('--strategies <names>', 'all, or a comma-separated list (a combination such as encrypted-dns+ech is one strategy)', 'all')
    .option('--target <f1>', 'the macro-F1 the adaptive and aware observers must stay under, with the 95% upper bound of the strongest (a bootstrap over the test days)', (v) => parseFraction(v, '--target'), 0.3)
    .option('--out <dir>', 'where to write the frontier (CSV, JSON, text, SVG, PNG)')
    .option('--seed <n>', 'random seed', (v) => parseSeed(v), 1)
    .option('--train-days <n>', 'days the observers learn from', (v) => parsePositiveInt(v, '--train-days'), 21)
    .option('--test-days <n>', 'days they are scored on', (v) => parsePositiveInt(v, '--test-days'), 7)
    .option('--cost-days <n>', 'days written to measure each point\'s cost', (v) => parsePositiveInt(v, '--cost-days'), 1)
    .addOption(new Option('--preset <name>', 'the attack preset of the observers').choices(['sequence', 'dense']).default('sequence'))
    .option('--epochs <n>', 'epochs of each observer', (v) => parsePositiveInt(v, '--epochs'), 15)
    .option('--tolerance <min>', 'timeline tolerance in minutes', (v) => parsePositiveNumber(v, '--tolerance'), 15)
    .option('--capture-train-days <n>', 'days the observers of defended captures learn from (default: --train-days, at most 7)', (v) => parsePositiveInt(v, '--capture-train-days'))
    .option('--paper', "also regenerate the paper's Figures 5 and 6 (the published network on its scenarios with fake data injected)")
    .option('--paper-epochs <n>', 'epochs of the published network for --paper', (v) => parsePositiveInt(v, '--paper-epochs'), 10)
    .option('--json', 'machine-readable JSON')
    .action(async (opts: { home?: string; strategies: string; target: number; out?: string; seed: number; trainDays: number; testDays: number; costDays: number; preset: 'sequence' | 'dense'; epochs: number; tolerance: number; captureTrainDays?: number; paper?: boolean; paperEpochs: number; json?: boolean }) => {
      const { defendEvaluateCommand } = await import('./defend.js');
      await defendEvaluateCommand({ ...opts, paper: !!opts.paper, json: !!opts.json });
    });

  return program;
}

/** A number above 0 and below 1 (a macro-F1). */
function parseFraction(value: string, flag: string): number {
  const n = /^\s*\d*(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n < 1)) throw new UsageError(`${flag} needs a number between 0 and 1, got ${JSON.stringify(value)}`);
  return n;
}

/** A finite number above 0, decimals allowed (a tolerance in minutes). */
function parsePositiveNumber(value: string, flag: string): number {
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} needs a number above 0, got ${JSON.stringify(value)}`);
  return n;
}

/** A model folder's digest: 64 hex digits (either case), as lower case. */
function parseSha256(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new UsageError(`--model-sha256 needs 64 hex digits (a SHA-256 as peephole prints it on loading the model), got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** A whole number from 1 up: 0 days, rows or pixels is a mistake, not an empty answer. */
function parsePositiveInt(value: string, flag: string): number {
  const n = parseWholeNumber(value, flag);
  if (n === 0) throw new UsageError(`${flag} needs a whole number above 0, got ${JSON.stringify(value)}`);
  return n;
}

/** `--residents`: auto, or a whole number from 1 (a home of up to {@link MAX_RESIDENTS}). */
function parseResidents(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_RESIDENTS) throw new UsageError(`--residents needs auto or a whole number from 1 to ${MAX_RESIDENTS}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The most residents `--residents` takes: the count decoder's states grow as (R + 1)(R + 2) / 2, its moves faster. */
const MAX_RESIDENTS = 10;

function parseWholeNumber(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`${flag} needs a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function parseSeed(value: string): number {
  const n = parseWholeNumber(value, '--seed');
  if (n > 0xffff_ffff) throw new UsageError(`--seed must be below 2^32, got ${value}`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    const { code, message } = exitCodeFor(err);
    process.stderr.write(message + '\n');
    return code;
  }
}

process.exitCode = await main(process.argv.slice(2));
