// Fuzzing every command that reads a capture with seeded mutations of the real captures in
// ../shared/captures (support/fuzz-mutations.ts: bits flipped, cuts at and around header and record
// boundaries, absurd record and block lengths, duplicated section headers, gzip-wrapped variants with
// the gzip stream damaged). Each mutation goes through packets, inspect, devices, timeline and attack
// (each in one of its output variants) by the built CLI's own main() in a worker thread (a new one
// after a run that hangs or kills it; `npm run build` first, as for the other end-to-end tests);
// every sixth is also spawned through `peephole` as a user runs it (from stdin for a quarter of
// those, timeline with --plot too), and must end as it did in-process.
//
// Every run must exit 0 or 1 with nothing on stderr at 0 and one line `peephole: FILE: ...` at 1, no
// stack trace and no internal error, output in its format and free of control characters, within
// RUN_TIMEOUT_MS and the memory bounds below.
//
// PEEPHOLE_FUZZ_RUNS sets the number of mutations (default 300; 5000 for a long run),
// PEEPHOLE_FUZZ_SEED the seed (default 1), PEEPHOLE_FUZZ_ONLY=12,40 replays those mutations alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { baseCaptures, mutation } from './support/fuzz-mutations.js';
import { commandLines, runProblems } from './support/fuzz-run.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const RUNS = Number(process.env.PEEPHOLE_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.PEEPHOLE_FUZZ_SEED ?? 1);
const ONLY = process.env.PEEPHOLE_FUZZ_ONLY ? process.env.PEEPHOLE_FUZZ_ONLY.split(',').map(Number) : null;
const SPAWN_EVERY = 6;
// The bounds are far above what a run takes, so that they never fail on a loaded 2-core machine, and
// far below what a runaway loop or allocation reaches. Measured on 5,000 mutations of seed 1 (2
// cores shared with other work, load average about 5, 7.5 min): the slowest in-process run took
// 0.64 s, the slowest spawned 1.64 s; the worker's process peaked at 377 MiB RSS, a spawned command
// at 131 MiB. At a load average of about 12, the slowest spawned run took 5.9 s.
const RUN_TIMEOUT_MS = 60_000;
const HEAP_LIMIT_MB = 1024;
const WORKER_RSS_LIMIT_MB = 2048;
const SPAWNED_RSS_LIMIT_MB = 1024;

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-fuzz-'));
const indices = ONLY ?? Array.from({ length: RUNS }, (_, i) => i);

interface Finding {
  index: number;
  text: string;
}

function describe(index: number, argv: readonly string[], problem: string, steps?: readonly string[], base?: string): Finding {
  const what = steps ? ` (${base}: ${steps.join(' | ') || 'unchanged'})` : '';
  return { index, text: `mutation ${index}${what}: peephole ${argv.join(' ')}: ${problem}` };
}

/** In-process results by mutation and command name, to hold the spawned runs against. */
type InProcess = Map<string, { code: number; stderr: string; file: string }>;

interface WorkerResult {
  code: number;
  stdout: ArrayBuffer;
  stderr: string;
  ms: number;
  rss: number;
}

/** The worker thread that runs command lines by the CLI's main(); a new one after a run that failed it. */
class CliWorker {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  /** Settles the run in progress in the current worker. */
  private settle: ((r: WorkerResult | string) => void) | null = null;

  private start(): Promise<void> {
    const worker = new Worker(new URL('./support/fuzz-worker.mjs', import.meta.url), { argv: ['--version'], resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: WorkerResult | 'ready') => {
        if (this.worker !== worker) return;
        if (m === 'ready') resolve();
        else this.settle?.(m);
      });
      // Exit code 13 is a promise that never settled with nothing left to wait for (a lost wake-up).
      const gone = (why: string): void => {
        if (this.worker !== worker) return;
        this.worker = this.ready = null;
        reject(new Error(why));
        this.settle?.(why);
      };
      worker.on('error', (error) => gone(`the worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
      worker.on('exit', (code) => gone(`the worker exited with code ${code}`));
    });
  }

  /** Runs one command line: its result, or why there is none (a failed worker, over the time limit). */
  async run(argv: string[]): Promise<WorkerResult | string> {
    this.ready ??= this.start();
    await this.ready;
    const worker = this.worker!;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle = null;
        this.stop();
        resolve(`still running after ${RUN_TIMEOUT_MS / 1000} s`);
      }, RUN_TIMEOUT_MS);
      this.settle = (r) => {
        clearTimeout(timer);
        this.settle = null;
        resolve(r);
      };
      worker.postMessage(argv);
    });
  }

  /** Ends the current worker; the next run starts a new one. */
  stop(): void {
    const worker = this.worker;
    this.worker = this.ready = null;
    void worker?.terminate();
  }
}

async function runInProcess(model: string, findings: Finding[], results: InProcess): Promise<{ runs: number; maxMs: number; maxRssMb: number; codes: Map<number, number> }> {
  const bases = baseCaptures();
  const out = path.join(dir, 'w');
  mkdirSync(out, { recursive: true });
  const cli = new CliWorker();
  const stats = { runs: 0, maxMs: 0, maxRssMb: 0, codes: new Map<number, number>() };
  try {
    for (const index of indices) {
      const m = mutation(bases, SEED, index);
      const file = path.join(out, `m${index}${m.extension}`);
      writeFileSync(file, m.bytes);
      for (const argv of commandLines(model, index, file)) {
        const r = await cli.run(argv).catch((error: unknown) => String(error));
        if (typeof r === 'string') {
          findings.push(describe(index, argv, r, m.steps, m.base));
          continue;
        }
        stats.runs++;
        stats.maxMs = Math.max(stats.maxMs, r.ms);
        stats.maxRssMb = Math.max(stats.maxRssMb, r.rss / 2 ** 20);
        stats.codes.set(r.code, (stats.codes.get(r.code) ?? 0) + 1);
        results.set(`${index} ${argv[0]}`, { code: r.code, stderr: r.stderr, file });
        for (const p of runProblems(argv, { code: r.code, stdout: Buffer.from(r.stdout), stderr: r.stderr }, file)) findings.push(describe(index, argv, p, m.steps, m.base));
        if (r.rss > WORKER_RSS_LIMIT_MB * 2 ** 20) findings.push(describe(index, argv, `the process's RSS reached ${Math.round(r.rss / 2 ** 20)} MiB`, m.steps, m.base));
      }
      rmSync(file, { force: true });
    }
  } finally {
    cli.stop();
  }
  return stats;
}

interface Spawned {
  index: number;
  argv: string[];
  stdin: boolean;
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: string;
  peakRssMb: number;
  ms: number;
}

function spawnPeephole(index: number, argv: string[], input: Uint8Array | null): Promise<Spawned> {
  const rssFile = path.join(dir, `rss-${index}`);
  const args = [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', pathToFileURL(path.join(REPO_ROOT, 'test', 'support', 'peak-rss.mjs')).href, PEEPHOLE_BIN, ...argv];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, timeout: RUN_TIMEOUT_MS, env: { ...process.env, PEEPHOLE_PEAK_RSS_FILE: rssFile } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {}); // a command that stops reading early closes its stdin
    child.stdin.end(input ?? undefined);
    child.on('close', (code, signal) => {
      let peakRssMb = 0;
      try {
        peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
        rmSync(rssFile);
      } catch {
        // no exit handler ran: the signal says why
      }
      resolve({ index, argv, stdin: input !== null, code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), peakRssMb, ms: performance.now() - started });
    });
  });
}

/** Every SPAWN_EVERY-th mutation through one command of the built `peephole`, in turn. */
async function runSpawned(model: string, findings: Finding[]): Promise<Spawned[]> {
  const bases = baseCaptures();
  const out = path.join(dir, 'c');
  mkdirSync(out, { recursive: true });
  const spawned: Spawned[] = [];
  const sample = indices.filter((i) => ONLY !== null || i % SPAWN_EVERY === 0);
  for (const [n, index] of sample.entries()) {
    const m = mutation(bases, SEED, index);
    const file = path.join(out, `m${index}${m.extension}`);
    writeFileSync(file, m.bytes);
    const lines = commandLines(model, index, file);
    const argv = lines[n % lines.length];
    const stdin = n % 4 === 3;
    if (stdin) argv[1] = '-';
    if (argv[0] === 'timeline' && n % 2 === 0) argv.push('--plot', path.join(out, `m${index}.svg`));
    const r = await spawnPeephole(index, argv, stdin ? m.bytes : null);
    spawned.push(r);
    const shown = stdin ? '<stdin>' : file;
    const problems = r.signal ? [`ended by ${r.signal} (over ${RUN_TIMEOUT_MS / 1000} s?)`] : runProblems(argv, { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr }, shown);
    if (r.peakRssMb > SPAWNED_RSS_LIMIT_MB) problems.push(`peak RSS ${Math.round(r.peakRssMb)} MiB`);
    for (const p of problems) findings.push(describe(index, argv, `(spawned) ${p}`, m.steps, m.base));
    rmSync(file, { force: true });
  }
  return spawned;
}

test(`fuzz: ${ONLY ? `mutations ${ONLY.join(', ')}` : `${RUNS} mutations`} of the real captures (seed ${SEED}) through every command that reads a capture`, async (t) => {
  const model = path.join(dir, 'rules-model');
  const trained = spawnSync(process.execPath, [PEEPHOLE_BIN, 'train', '--preset', 'rules', '--out', model], { cwd: REPO_ROOT });
  assert.equal(trained.status, 0, trained.stderr.toString());
  const findings: Finding[] = [];
  const results: InProcess = new Map();
  const started = performance.now();
  const [stats, spawned] = await Promise.all([runInProcess(model, findings, results), runSpawned(model, findings)]);
  // A spawned run ends as the same command line did in-process: the same exit code, and the same
  // message (the file named as it was given).
  for (const s of spawned) {
    const own = results.get(`${s.index} ${s.argv[0]}`);
    if (!own || s.signal) continue;
    if (own.code !== s.code) findings.push(describe(s.index, s.argv, `(spawned) exit ${s.code}, in-process ${own.code}: ${JSON.stringify(s.stderr || own.stderr)}`));
    else if (!s.stdin && own.stderr.split(own.file).join('FILE') !== s.stderr.split(s.argv[1]).join('FILE')) {
      findings.push(describe(s.index, s.argv, `(spawned) stderr ${JSON.stringify(s.stderr)}, in-process ${JSON.stringify(own.stderr)}`));
    }
  }
  const codes = [...stats.codes].sort((a, b) => a[0] - b[0]).map(([c, n]) => `exit ${c}: ${n}`).join(', ');
  t.diagnostic(
    `${indices.length} mutations, ${stats.runs} in-process runs (${codes}; slowest ${(stats.maxMs / 1000).toFixed(2)} s, RSS up to ${Math.round(stats.maxRssMb)} MiB), ` +
      `${spawned.length} spawned (slowest ${(Math.max(0, ...spawned.map((s) => s.ms)) / 1000).toFixed(2)} s, peak RSS up to ${Math.round(Math.max(0, ...spawned.map((s) => s.peakRssMb)))} MiB), ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  rmSync(dir, { recursive: true, force: true });
  const replay = [...new Set(findings.map((f) => f.index))].slice(0, 20).join(',');
  assert.equal(
    findings.length,
    0,
    `${findings.length} finding(s); replay with PEEPHOLE_FUZZ_SEED=${SEED} PEEPHOLE_FUZZ_ONLY=${replay}:\n` + findings.slice(0, 20).map((f) => f.text).join('\n'),
  );
  assert.equal(stats.runs, indices.length * 5, 'every mutation went through the five commands');
});
