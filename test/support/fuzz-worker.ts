// The fuzz test's worker: each mutation through every command by the CLI's own main(), in this
// thread, with stdout and stderr caught per run. The test watches the time each run takes and the
// memory (a worker's heap is capped by its resourceLimits; a run that hangs is ended from outside).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { baseCaptures, mutation } from './fuzz-mutations.js';
import { commandLines, runProblems } from './fuzz-run.js';

export interface WorkerInput {
  seed: number;
  indices: number[];
  dir: string;
  model: string;
}

export type WorkerMessage =
  | { type: 'start'; index: number; argv: string[] }
  | { type: 'result'; index: number; argv: string[]; code: number; stderr: string; ms: number; rss: number; problems: string[]; steps: string[]; base: string }
  | { type: 'done' };

const input = workerData as WorkerInput;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

/** A stream that keeps what is written, as stdout or stderr for one run. */
function catcher(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
}

function setStdio(out: Buffer[], err: Buffer[]): void {
  Object.defineProperty(process, 'stdout', { value: catcher(out), configurable: true, writable: true });
  Object.defineProperty(process, 'stderr', { value: catcher(err), configurable: true, writable: true });
}

// main.ts runs the command line it was started with when it is imported: `--version` (the worker's
// argv) prints the version, and its main() is then called once per run.
setStdio([], []);
const { main } = (await import('../../src/cli/main.js')) as { main: (argv: string[]) => Promise<number> };

const bases = baseCaptures();
mkdirSync(input.dir, { recursive: true });
for (const index of input.indices) {
  const m = mutation(bases, input.seed, index);
  const file = path.join(input.dir, `m${index}${m.extension}`);
  writeFileSync(file, m.bytes);
  for (const argv of commandLines(input.model, index, file)) {
    post({ type: 'start', index, argv });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    setStdio(out, err);
    const started = performance.now();
    const code = await main(argv);
    const ms = performance.now() - started;
    const result = { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
    const problems = runProblems(argv, result, file);
    post({ type: 'result', index, argv, code, stderr: result.stderr, ms, rss: process.memoryUsage.rss(), problems, steps: m.steps, base: m.base });
  }
  rmSync(file, { force: true });
}
post({ type: 'done' });
