/**
 * Trains a tfjs-layers Sequential of Dense layers on a fast backend: the OpenBLAS addon when it loads,
 * else the tfjs-wasm fallback, else plain JavaScript (or whichever is requested). The tfjs model stays the definition: the trainer
 * reads its architecture and weights, trains on its own buffers and writes the weights back.
 *
 * @example
 * const model = buildDenseModel(paperNetworkSpec(10, 5), 42);
 * const trainer = DenseTrainer.fromModel(model);
 * const result = trainer.fit(x, y, { loss: 'meanSquaredError', optimizer: { type: 'sgd', learningRate: 0.01 },
 *   batchSize: 128, epochs: 10, seed: 42, validationSplit: 0.2 });
 * trainer.writeTo(model); // model.predict(...) now gives trainer.predict(...)
 */
import { getBackend } from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { Random } from '../core/random.js';
import { configureTraining } from './dense-buffers.js';
import type { DenseBuffers } from './dense-buffers.js';
import type { DenseBackend, DenseBackendName, NativeThreadMode } from './dense-backend.js';
import type { DenseLoss, DenseOptimizer, Matrix } from './dense-spec.js';
import { PREDICT_CHUNK_ROWS } from './dense-predict.js';
import { JsDenseBackend, scoreRows } from './js-backend.js';
import { loadNativeAddon } from './native-addon.js';
import { readDenseModel, writeDenseWeights } from './tfjs-dense.js';
import { activateWasm, WasmDenseBackend } from './wasm-backend.js';

export type DenseBackendChoice = 'auto' | DenseBackendName;

export interface DenseTrainerOptions {
  /**
   * 'auto' (default): native when the addon loads, else wasm (made tfjs' active backend by
   * {@link DenseTrainer.create}; {@link DenseTrainer.fromModel} uses it only if already active), else js.
   */
  backend?: DenseBackendChoice;
  /** Threads for the native backend (process-wide setting); default: the cores, at most 4. */
  threads?: number;
  /** How the native backend uses them (see NativeThreadMode); default 'blas'. */
  threadMode?: NativeThreadMode;
}

export interface EpochLogs {
  epoch: number;
  /** Mean training loss over the epoch's batches (each before its update) plus the l2 penalty at epoch end. */
  loss: number;
  /** Categorical accuracy (argmax) over the epoch's batches. */
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
  /** Seconds spent training (not validating) so far in this fit. */
  trainSeconds: number;
  elapsedSeconds: number;
}

export interface FitOptions {
  loss: DenseLoss;
  optimizer: DenseOptimizer;
  batchSize: number;
  epochs: number;
  /** Seeds the per-epoch shuffle. */
  seed: number;
  /** Shuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** As Keras: the last `validationSplit` of the rows (taken before shuffling) are held out. */
  validationSplit?: number;
  /** Called after every epoch; return 'stop' to end the fit. */
  onEpochEnd?: (logs: EpochLogs) => void | 'stop';
}

export interface FitResult {
  backend: DenseBackendName;
  history: EpochLogs[];
  trainRows: number;
  validationRows: number;
  trainSeconds: number;
  /** CPU seconds (all threads of the process) spent in the training passes, validation excluded. */
  trainCpuSeconds: number;
  samplesPerSecond: number;
}

function l2Penalty(net: DenseBuffers): number {
  if (net.l2 === 0) return 0;
  let sum = 0;
  for (const kernel of net.kernels) for (let i = 0; i < kernel.length; i++) sum += kernel[i] * kernel[i];
  return sum * net.l2;
}

function checkData(net: DenseBuffers, x: Matrix, y: Matrix): void {
  const inputs = net.sizes[0], outputs = net.sizes[net.sizes.length - 1];
  if (x.columns !== inputs || x.data.length !== x.rows * inputs) {
    throw new RangeError(`x must be rows x ${inputs} (got ${x.rows} x ${x.columns})`);
  }
  if (y.columns !== outputs || y.rows !== x.rows || y.data.length !== y.rows * outputs) {
    throw new RangeError(`y must be ${x.rows} x ${outputs} (got ${y.rows} x ${y.columns})`);
  }
}

function shuffleInPlace(order: Int32Array, random: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

export class DenseTrainer {
  private constructor(
    readonly net: DenseBuffers,
    private readonly engine: DenseBackend,
    /** The backend in use. */
    readonly backend: DenseBackendName,
    /** Why this backend (e.g. why native is unavailable). */
    readonly backendReason: string,
  ) {}

  /**
   * Like {@link fromModel}, but when the wasm backend is chosen (requested, or 'auto' without the
   * addon) first makes tfjs' wasm backend the active one, process-wide.
   */
  static async create(model: Sequential, options: DenseTrainerOptions = {}): Promise<DenseTrainer> {
    const choice = options.backend ?? 'auto';
    if (choice === 'wasm' || (choice === 'auto' && !loadNativeAddon().ok)) await activateWasm();
    return DenseTrainer.fromModel(model, options);
  }

  /** A trainer holding a copy of `model`'s architecture and weights (synchronous: see {@link create}). */
  static fromModel(model: Sequential, options: DenseTrainerOptions = {}): DenseTrainer {
    const choice = options.backend ?? 'auto';
    const net = readDenseModel(model);
    if (choice === 'js') return new DenseTrainer(net, new JsDenseBackend(), 'js', 'js backend requested');
    if (choice === 'wasm') return new DenseTrainer(net, new WasmDenseBackend(), 'wasm', 'wasm backend requested');
    const native = loadNativeAddon();
    if (native.ok) {
      if (options.threads !== undefined || options.threadMode !== undefined) {
        native.addon.setThreads(options.threads ?? native.addon.getThreads(), options.threadMode ?? native.addon.getThreadMode());
      }
      const reason = `OpenBLAS addon, ${native.addon.getThreads()} thread(s), ${native.addon.getThreadMode()} mode`;
      return new DenseTrainer(net, native.addon, 'native', reason);
    }
    if (choice === 'native') throw new Error(`The native backend is unavailable: ${native.reason}`);
    if (getBackend() === 'wasm') return new DenseTrainer(net, new WasmDenseBackend(), 'wasm', `${native.reason}; tfjs wasm active`);
    return new DenseTrainer(net, new JsDenseBackend(), 'js', `${native.reason}; tfjs wasm not active`);
  }

  /** Trains in place; the tfjs model is untouched until {@link writeTo}. */
  fit(x: Matrix, y: Matrix, options: FitOptions): FitResult {
    const net = this.net;
    checkData(net, x, y);
    if (!(options.batchSize >= 1) || !Number.isInteger(options.batchSize)) throw new RangeError('batchSize must be a positive integer');
    const split = options.validationSplit ?? 0;
    if (!(split >= 0 && split < 1)) throw new RangeError('validationSplit must be in [0, 1)');
    configureTraining(net, options.loss, options.optimizer);
    const trainRows = Math.floor(x.rows * (1 - split));
    const validationRows = x.rows - trainRows;
    if (trainRows === 0) throw new RangeError('No rows left to train on');
    const outputs = y.columns;
    const order = Int32Array.from({ length: trainRows }, (_, i) => i);
    const random = new Random(options.seed);
    const stats = new Float64Array(2);
    const validationX = x.data.subarray(trainRows * x.columns);
    const validationY = y.data.subarray(trainRows * outputs);
    const validationOut = new Float32Array(validationRows * outputs);
    const history: EpochLogs[] = [];
    const started = performance.now();
    let trainMs = 0;
    let trainCpuMicros = 0;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const epochStart = performance.now();
      if (options.shuffle ?? true) shuffleInPlace(order, random);
      stats.fill(0);
      const cpuBefore = process.cpuUsage();
      this.engine.trainEpoch(net, x.data, y.data, order, 0, trainRows, options.batchSize, stats);
      const cpu = process.cpuUsage(cpuBefore);
      trainCpuMicros += cpu.user + cpu.system;
      trainMs += performance.now() - epochStart;
      const penalty = l2Penalty(net);
      let valLoss: number | null = null, valAcc: number | null = null;
      if (validationRows > 0) {
        const valStats = new Float64Array(2);
        this.engine.predict(net, validationX, validationRows, validationOut, PREDICT_CHUNK_ROWS);
        scoreRows(net.loss, validationOut, validationY, validationRows, outputs, valStats);
        valLoss = valStats[0] / validationRows + penalty;
        valAcc = valStats[1] / validationRows;
      }
      const logs: EpochLogs = {
        epoch,
        loss: stats[0] / trainRows + penalty,
        acc: stats[1] / trainRows,
        valLoss,
        valAcc,
        trainSeconds: trainMs / 1000,
        elapsedSeconds: (performance.now() - started) / 1000,
      };
      history.push(logs);
      if (options.onEpochEnd?.(logs) === 'stop') break;
    }
    const samples = trainRows * history.length;
    return {
      backend: this.backend,
      history,
      trainRows,
      validationRows,
      trainSeconds: trainMs / 1000,
      trainCpuSeconds: trainCpuMicros / 1e6,
      samplesPerSecond: samples / (trainMs / 1000),
    };
  }

  /** The network's outputs for every row of x. */
  predict(x: Matrix): Matrix {
    const inputs = this.net.sizes[0], outputs = this.net.sizes[this.net.sizes.length - 1];
    if (x.columns !== inputs || x.data.length !== x.rows * inputs) throw new RangeError(`x must be rows x ${inputs}`);
    const out = new Float32Array(x.rows * outputs);
    this.engine.predict(this.net, x.data, x.rows, out, PREDICT_CHUNK_ROWS);
    return { data: out, rows: x.rows, columns: outputs };
  }

  /** Gradients of the mean loss (plus l2) over all rows of x/y, without changing the weights. */
  gradients(x: Matrix, y: Matrix, loss: DenseLoss): { kernels: Float32Array[]; biases: Float32Array[]; loss: number } {
    checkData(this.net, x, y);
    configureTraining(this.net, loss, { type: 'sgd', learningRate: 0 });
    const stats = new Float64Array(2);
    this.engine.computeGradients(this.net, x.data, y.data, x.rows, stats);
    return {
      kernels: this.net.gradKernels.map((g) => g.slice()),
      biases: this.net.gradBiases.map((g) => g.slice()),
      loss: stats[0] / x.rows + l2Penalty(this.net),
    };
  }

  /** Copies the trained weights into `model` (the one read, or one of the same architecture). */
  writeTo(model: Sequential): void {
    writeDenseWeights(model, this.net);
  }
}

/** Reads `model`, trains it and writes the weights back: one call for the common case. */
export async function trainDense(model: Sequential, x: Matrix, y: Matrix, options: FitOptions & DenseTrainerOptions): Promise<FitResult & { backendReason: string }> {
  const trainer = await DenseTrainer.create(model, options);
  const result = trainer.fit(x, y, options);
  trainer.writeTo(model);
  return { ...result, backendReason: trainer.backendReason };
}

/** One-hot rows for class indices in [0, classes). */
export function oneHot(labels: ArrayLike<number>, classes: number): Matrix {
  const data = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < classes) || !Number.isInteger(label)) throw new RangeError(`Label ${label} at row ${i} is not in [0, ${classes})`);
    data[i * classes + label] = 1;
  }
  return { data, rows: labels.length, columns: classes };
}
