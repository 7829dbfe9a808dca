// Fuzzing every command that reads a capture with seeded mutations of the real captures in
// ../shared/captures (support/fuzz-mutations.ts: bits flipped, cuts at and around header and record
// boundaries, absurd record and block lengths, duplicated section headers, gzip-wrapped variants with
// the gzip stream damaged). Each mutation goes through packets, inspect, devices, timeline and attack
// (each in one of its output variants) by the CLI's own main() in a worker thread; every sixth is also
// spawned through the built `peephole` as a user runs it (from stdin for a quarter of those, timeline
// with --plot too), and must end as it did in-process.
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
import type { WorkerInput, WorkerMessage } from './support/fuzz-worker.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const RUNS = Number(process.env.PEEPHOLE_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.PEEPHOLE_FUZZ_SEED ?? 1);
const ONLY = process.env.PEEPHOLE_FUZZ_ONLY ? process.env.PEEPHOLE_FUZZ_ONLY.split(',').map(Number) : null;
const SPAWN_EVERY = 6;
// The bounds are far above what a run takes, so that they never fail on a loaded 2-core machine, and
// far below what a runaway loop or allocation reaches. Measured on 5,000 mutations of seed 1 (2
// cores, load average about 12, 24 min): the slowest in-process run took 1.75 s, the slowest spawned
// 5.9 s; the worker's process peaked at 374 MiB, a spawned command at 127 MiB. The default 300 took
// 63 s on the same machine.
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

async function runWorker(model: string, findings: Finding[], results: InProcess): Promise<{ runs: number; maxMs: number; maxRssMb: number; codes: Map<number, number> }> {
  const input: WorkerInput = { seed: SEED, indices, dir: path.join(dir, 'w'), model };
  const worker = new Worker(new URL('./support/fuzz-worker.mjs', import.meta.url), {
    workerData: input,
    argv: ['--version'],
    resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
  });
  let current: { index: number; argv: string[]; since: number } | null = null;
  const stats = { runs: 0, maxMs: 0, maxRssMb: 0, codes: new Map<number, number>() };
  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      void worker.terminate().then(() => resolve(stats));
    };
    const watchdog = setInterval(() => {
      if (current && performance.now() - current.since > RUN_TIMEOUT_MS) {
        findings.push(describe(current.index, current.argv, `still running after ${RUN_TIMEOUT_MS / 1000} s`));
        finish();
      }
    }, 1000);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') current = { index: m.index, argv: m.argv, since: performance.now() };
      else if (m.type === 'result') {
        current = null;
        stats.runs++;
        stats.maxMs = Math.max(stats.maxMs, m.ms);
        stats.maxRssMb = Math.max(stats.maxRssMb, m.rss / 2 ** 20);
        stats.codes.set(m.code, (stats.codes.get(m.code) ?? 0) + 1);
        results.set(`${m.index} ${m.argv[0]}`, { code: m.code, stderr: m.stderr, file: m.argv[1] });
        for (const p of m.problems) findings.push(describe(m.index, m.argv, p, m.steps, m.base));
        if (m.rss > WORKER_RSS_LIMIT_MB * 2 ** 20) findings.push(describe(m.index, m.argv, `the process's RSS reached ${Math.round(m.rss / 2 ** 20)} MiB`, m.steps, m.base));
      } else finish();
    });
    worker.on('error', (error) => {
      const where = current ?? { index: -1, argv: ['?'] };
      findings.push(describe(where.index, where.argv, `the worker failed: ${String(error)}`));
      finish();
    });
    worker.on('exit', finish);
  });
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
  const [stats, spawned] = await Promise.all([runWorker(model, findings, results), runSpawned(model, findings)]);
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
