/**
 * `node --import tsx bench/train.ts [--data rows.csv] [--rows N] [--epochs E] [--lr LR] [--batch B]
 *   [--target ACC] [--native blas:1,blas:2,split:2] [--threads 1,2,default] [--fallback-rows N] [--python python3] [--seed S]`
 *
 * Trains the paper network (inputs → 3 × Dense 500 relu → Dense 5, SGD, mean squared error, batch 128,
 * validation split 0.2) on the paper-shaped rows (synthetic by default, or a CSV with a `user_activity`
 * column) with peephole's native backend (per thread mode:count, see NativeThreadMode), its wasm and
 * JavaScript fallbacks and tfjs-layers' own model.fit on the wasm backend (those three on the first
 * --fallback-rows rows, one epoch: they are slow) and PyTorch (bench/train-torch.py, same rows, same
 * initial weights, same hyper-parameters), then prints samples/s, seconds to reach the target validation
 * accuracy, inference rows/s and the ratios peephole/PyTorch at the same thread count (PyTorch runs
 * per --threads entry: N sets torch.set_num_threads(N) and OPENBLAS_NUM_THREADS=N, 'default' neither). Besides
 * the mean over all epochs, the fastest epoch's samples/s is printed: on a busy machine it is the
 * closer estimate of what the code can do, and samples per CPU-second (all threads; spinning counts)
 * the steadier one for single-threaded runs. The load average is printed too.
 */
import '../src/attack/tfjs-quiet.js';
import { fitNormalisation, normalise } from '../src/attack/scaler.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { tensor2d, train } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { activateWasm, buildDenseModel, DenseTrainer, loadNativeAddon, paperNetworkSpec, readDenseModel } from '../src/model/index.js';
import type { DenseBackendName, FitOptions, Matrix, NativeThreadMode } from '../src/model/index.js';
import { PAPER_CLASSES, PAPER_FEATURES, PAPER_ROWS, readLabelledCsv, synthesisePaperRows } from './paper-data.js';

interface Measured {
  name: string;
  threads: number;
  samplesPerSecond: number;
  bestEpochSamplesPerSecond: number;
  /** Training samples per second of CPU time used (all threads): steadier than wall time on a busy machine. */
  samplesPerCpuSecond: number;
  secondsToTarget: number | null;
  inferenceRowsPerSecond: number;
  finalValAcc: number | null;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const dataPath = flag('--data', '');
const rows = Number(flag('--rows', String(PAPER_ROWS)));
const epochs = Number(flag('--epochs', '4'));
const learningRate = Number(flag('--lr', '0.1'));
const batchSize = Number(flag('--batch', '128'));
const target = Number(flag('--target', '0.9881'));
const seed = Number(flag('--seed', '1'));
/** PyTorch runs: a thread count (torch.set_num_threads and OPENBLAS_NUM_THREADS/OMP_NUM_THREADS), or 'default' (neither). */
const torchThreads = flag('--threads', '1,2,default').split(',');
const nativeRuns = flag('--native', 'blas:1,blas:2,split:2').split(',').map((item) => {
  const [mode, count] = item.split(':');
  if (mode !== 'blas' && mode !== 'split') throw new Error(`--native ${item}: mode must be blas or split`);
  return { threadMode: mode as NativeThreadMode, threads: Number(count) };
});
const fallbackRows = Number(flag('--fallback-rows', '4000'));
const python = flag('--python', 'python3');
const validationSplit = 0.2;

const data = dataPath ? readLabelledCsv(dataPath) : synthesisePaperRows(rows, seed);
const { y } = data;
// Inputs normalised per column (z-score) as the paper preset does, for every run alike: raw minutes
// of the day (0..1439) beside 0/1 bits make SGD diverge.
const x = { ...data.x, data: normalise(data.x.data, data.x.columns, fitNormalisation(data.x.data, data.x.columns)) };
const spec = paperNetworkSpec(x.columns, y.columns);
if (!dataPath && (x.columns !== PAPER_FEATURES || y.columns !== PAPER_CLASSES)) throw new Error('synthetic data has the wrong shape');
const fitOptions: FitOptions = {
  loss: 'meanSquaredError',
  optimizer: { type: 'sgd', learningRate },
  batchSize,
  epochs,
  seed,
  validationSplit,
};
const say = (line: string): void => void process.stdout.write(`${line}\n`);
say(`data: ${data.source}; ${x.rows} rows x ${x.columns} features, ${y.columns} classes`);
say(`network: ${x.columns} → ${spec.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}; SGD lr ${learningRate}, MSE, batch ${batchSize}, ${epochs} epochs, validation split ${validationSplit}, target ${target}`);
say(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

function bestPredictRate(trainer: DenseTrainer, input: Matrix): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    trainer.predict(input);
    best = Math.min(best, performance.now() - start);
  }
  return input.rows / (best / 1000);
}

async function runPeephole(name: string, backend: DenseBackendName, threads: number, threadMode: NativeThreadMode | undefined, input: Matrix, labels: Matrix, options: FitOptions): Promise<Measured> {
  const trainer = await DenseTrainer.create(buildDenseModel(spec, seed), backend === 'native' ? { backend, threads, threadMode } : { backend });
  let secondsToTarget: number | null = null;
  const result = trainer.fit(input, labels, {
    ...options,
    onEpochEnd: (logs) => {
      say(`  ${name} epoch ${logs.epoch}: loss ${logs.loss.toFixed(5)} acc ${logs.acc.toFixed(4)} val_acc ${logs.valAcc?.toFixed(4)} at ${logs.elapsedSeconds.toFixed(2)} s`);
      if (secondsToTarget === null && logs.valAcc !== null && logs.valAcc >= target) secondsToTarget = logs.elapsedSeconds;
    },
  });
  const epochSeconds = result.history.map((h, i) => h.trainSeconds - (i > 0 ? result.history[i - 1].trainSeconds : 0));
  return {
    name: `${name} (${trainer.backendReason})`,
    threads,
    samplesPerSecond: result.samplesPerSecond,
    bestEpochSamplesPerSecond: result.trainRows / Math.min(...epochSeconds),
    samplesPerCpuSecond: (result.trainRows * result.history.length) / result.trainCpuSeconds,
    secondsToTarget,
    inferenceRowsPerSecond: bestPredictRate(trainer, input),
    finalValAcc: result.history[result.history.length - 1].valAcc,
  };
}

function head(m: Matrix, count: number): Matrix {
  const n = Math.min(count, m.rows);
  return { data: m.data.subarray(0, n * m.columns), rows: n, columns: m.columns };
}

const results: Measured[] = [];
const native = loadNativeAddon();
if (native.ok) {
  for (const run of nativeRuns) results.push(await runPeephole(`peephole native ${run.threadMode}:${run.threads}`, 'native', run.threads, run.threadMode, x, y, fitOptions));
} else {
  say(`peephole native: skipped: ${native.reason}`);
}
const fallbackX = head(x, fallbackRows), fallbackY = head(y, fallbackRows);
const oneEpoch = { ...fitOptions, epochs: 1 };
for (const backend of ['wasm', 'js'] as const) {
  results.push(await runPeephole(`peephole ${backend} fallback, first ${fallbackX.rows} rows, 1 epoch`, backend, 1, undefined, fallbackX, fallbackY, oneEpoch));
}
results.push(await runTfjsFit(fallbackX, fallbackY));

/** The baseline: tfjs-layers' own model.fit on the wasm backend, same network and hyper-parameters. */
async function runTfjsFit(input: Matrix, labels: Matrix): Promise<Measured> {
  await activateWasm();
  const model = buildDenseModel(spec, seed);
  model.compile({ optimizer: train.sgd(learningRate), loss: 'meanSquaredError', metrics: ['accuracy'] });
  const xs = tensor2d(input.data, [input.rows, input.columns]);
  const ys = tensor2d(labels.data, [labels.rows, labels.columns]);
  const trainRows = Math.floor(input.rows * (1 - validationSplit));
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const history = await model.fit(xs, ys, { batchSize, epochs: 1, validationSplit, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const valAcc = Number(history.history.val_acc?.[0] ?? history.history.val_accuracy?.[0]);
  say(`  tfjs-layers model.fit (wasm) epoch 0: val_acc ${valAcc.toFixed(4)} in ${seconds.toFixed(2)} s (including validation)`);
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    (model.predict(xs) as Tensor).dataSync();
    best = Math.min(best, performance.now() - t);
  }
  return {
    name: `tfjs-layers model.fit, wasm backend, first ${input.rows} rows, 1 epoch`,
    threads: 1,
    samplesPerSecond: trainRows / seconds,
    bestEpochSamplesPerSecond: trainRows / seconds,
    samplesPerCpuSecond: trainRows / ((cpu.user + cpu.system) / 1e6),
    secondsToTarget: null,
    inferenceRowsPerSecond: input.rows / (best / 1000),
    finalValAcc: valAcc,
  };
}

// PyTorch on the same rows and the same initial weights.
const exchange = join(import.meta.dirname, '.data', `train-${seed}-${x.rows}`);
mkdirSync(exchange, { recursive: true });
const initial = readDenseModel(buildDenseModel(spec, seed));
const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(join(exchange, 'x.f32'), bytes(x.data));
writeFileSync(join(exchange, 'y.f32'), bytes(y.data));
initial.kernels.forEach((k, l) => writeFileSync(join(exchange, `kernel${l}.f32`), bytes(k)));
initial.biases.forEach((b, l) => writeFileSync(join(exchange, `bias${l}.f32`), bytes(b)));
writeFileSync(join(exchange, 'meta.json'), JSON.stringify({ rows: x.rows, inputs: x.columns, sizes: Array.from(initial.sizes), activations: spec.layers.map((l) => l.activation), validationSplit }));
const torchResults: Measured[] = [];
for (const setting of torchThreads) {
  const threads = setting === 'default' ? 0 : Number(setting);
  const script = join(import.meta.dirname, 'train-torch.py');
  const env = threads > 0 ? { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) } : process.env;
  const args = [script, exchange, '--threads', String(threads), '--epochs', String(epochs), '--batch', String(batchSize), '--lr', String(learningRate), '--target', String(target), '--seed', String(seed)];
  const run = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24, env });
  const line = run.stdout?.trim().split('\n').pop() ?? '';
  let parsed: { error?: string; torch?: string; threads?: number; samplesPerSecond?: number; samplesPerCpuSecond?: number; bestEpochSamplesPerSecond?: number; secondsToTarget?: number | null; inferenceRowsPerSecond?: number; history?: { epoch: number; loss: number; valAcc: number; elapsedSeconds: number }[] } = {};
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = { error: run.error?.message ?? (run.stderr || `exit ${run.status}`).trim().split('\n').pop() };
  }
  if (parsed.error || parsed.samplesPerSecond === undefined) {
    say(`PyTorch: absent or failed (${python}): ${parsed.error ?? 'no result'}; try --python /usr/bin/python3`);
    break;
  }
  for (const h of parsed.history ?? []) say(`  pytorch ${setting} thread(s) epoch ${h.epoch}: loss ${h.loss.toFixed(5)} val_acc ${h.valAcc.toFixed(4)} at ${h.elapsedSeconds.toFixed(2)} s`);
  const history = parsed.history ?? [];
  torchResults.push({
    name: `PyTorch ${parsed.torch}, ${threads > 0 ? `${threads} thread(s)` : `default threads (torch ${parsed.threads})`}`,
    threads,
    samplesPerSecond: parsed.samplesPerSecond,
    bestEpochSamplesPerSecond: parsed.bestEpochSamplesPerSecond ?? parsed.samplesPerSecond,
    samplesPerCpuSecond: parsed.samplesPerCpuSecond ?? 0,
    secondsToTarget: parsed.secondsToTarget ?? null,
    inferenceRowsPerSecond: parsed.inferenceRowsPerSecond ?? 0,
    finalValAcc: history.length > 0 ? history[history.length - 1].valAcc : null,
  });
}

say(`load average at end: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
say('');
const seconds = (v: number | null): string => (v === null ? 'not reached' : v.toFixed(2));
say(`${'run'.padEnd(88)} ${'samples/s'.padStart(10)} ${'best epoch'.padStart(10)} ${'per CPU-s'.padStart(10)} ${`s to ${target}`.padStart(11)} ${'predict rows/s'.padStart(15)} ${'val_acc'.padStart(8)}`);
for (const r of [...results, ...torchResults]) {
  say(`${r.name.padEnd(88)} ${Math.round(r.samplesPerSecond).toString().padStart(10)} ${Math.round(r.bestEpochSamplesPerSecond).toString().padStart(10)} ${Math.round(r.samplesPerCpuSecond).toString().padStart(10)} ${seconds(r.secondsToTarget).padStart(11)} ${Math.round(r.inferenceRowsPerSecond).toString().padStart(15)} ${(r.finalValAcc?.toFixed(4) ?? '-').padStart(8)}`);
}
say('');
for (const r of results.filter((m) => m.name.startsWith('peephole native'))) {
  for (const same of torchResults.filter((t) => t.threads === r.threads || t.threads === 0)) {
    const toTarget = r.secondsToTarget !== null && same.secondsToTarget !== null ? `×${(same.secondsToTarget / r.secondsToTarget).toFixed(2)}` : 'n/a';
    say(`${r.name.split(' (')[0]} / ${same.name}: samples/s ×${(r.samplesPerSecond / same.samplesPerSecond).toFixed(2)} (best epoch ×${(r.bestEpochSamplesPerSecond / same.bestEpochSamplesPerSecond).toFixed(2)}, per CPU-second ×${(r.samplesPerCpuSecond / same.samplesPerCpuSecond).toFixed(2)}), time-to-target speed-up ${toTarget}, inference ×${(r.inferenceRowsPerSecond / same.inferenceRowsPerSecond).toFixed(2)}`);
  }
}
