/**
 * What a training backend does, on {@link DenseBuffers} it does not own: the native addon
 * (native/addon.cc), the tfjs-wasm fallback (wasm-backend.ts) and the plain JavaScript one
 * (js-backend.ts) all implement it.
 */
import type { DenseBuffers } from './dense-buffers.js';

export type DenseBackendName = 'native' | 'wasm' | 'js';

export interface DenseBackend {
  /**
   * Trains on rows order[from..to) of x/y in batches of batchSize (forward, loss, backward, update
   * per batch); adds the sum of per-row losses to stats[0] and the correctly classified rows to stats[1].
   */
  trainEpoch(
    net: DenseBuffers,
    x: Float32Array,
    y: Float32Array,
    order: Int32Array,
    from: number,
    to: number,
    batchSize: number,
    stats: Float64Array,
  ): void;
  /** Gradients of the mean loss over the first `rows` rows into net.gradKernels/gradBiases; no update. */
  computeGradients(net: DenseBuffers, x: Float32Array, y: Float32Array, rows: number, stats: Float64Array): void;
  /** Forward pass of `rows` rows into out (rows x outputs), chunkRows rows at a time. */
  predict(net: DenseBuffers, x: Float32Array, rows: number, out: Float32Array, chunkRows: number): void;
}

/**
 * How the native backend uses threads: 'blas' (default) makes one sgemm call at a time with OpenBLAS
 * running `threads` threads inside it; 'split' shares every batch among `threads` threads of the
 * addon (rows for the forward pass and input gradients, output columns for the weight updates), each
 * calling single-threaded OpenBLAS, with a spinning barrier between phases. Measured on 2 cores
 * (bench/train.ts): split 43k samples/s, blas 38k at load average 1–2; but on a machine busier than
 * its cores the spinning barrier suffers more (split 8–17k, blas 18–28k at load 5–10), hence 'blas'.
 */
export type NativeThreadMode = 'split' | 'blas';

/** The native addon adds thread control. */
export interface NativeDenseBackend extends DenseBackend {
  /** Without a mode the current one stays. */
  setThreads(threads: number, mode?: NativeThreadMode): void;
  getThreads(): number;
  getThreadMode(): NativeThreadMode;
  /** OpenBLAS' build configuration (version, kernels). */
  config(): string;
}
