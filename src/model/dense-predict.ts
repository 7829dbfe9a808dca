/**
 * The forward pass of a dense network held in {@link DenseBuffers}, for prediction only: on the
 * OpenBLAS addon when it loads, else in plain JavaScript. It imports no TensorFlow.js, so a command
 * that only predicts (`peephole attack`) never loads it. (The trainer, dense-trainer.ts, may also use
 * tfjs' wasm backend; prediction does not: the attack predicts a few thousand rows, which JavaScript
 * does in milliseconds.)
 */
import type { DenseBackend, DenseBackendName } from './dense-backend.js';
import type { DenseBuffers } from './dense-buffers.js';
import type { Matrix } from './dense-spec.js';
import { JsDenseBackend } from './js-backend.js';
import { loadNativeAddon } from './native-addon.js';

/** Rows per forward call: the trainer's validation passes use the same chunks, so both give the same floats. */
export const PREDICT_CHUNK_ROWS = 2048;

export class DenseForward {
  private readonly engine: DenseBackend;
  /** The backend in use: native when the addon loads, else js. */
  readonly backend: Extract<DenseBackendName, 'native' | 'js'>;

  constructor(readonly net: DenseBuffers) {
    const native = loadNativeAddon();
    this.engine = native.ok ? native.addon : new JsDenseBackend();
    this.backend = native.ok ? 'native' : 'js';
  }

  /** The network's outputs for every row of x. */
  predict(x: Matrix): Matrix {
    const inputs = this.net.sizes[0], outputs = this.net.sizes[this.net.sizes.length - 1];
    if (x.columns !== inputs || x.data.length !== x.rows * inputs) throw new RangeError(`x must be rows x ${inputs}`);
    const out = new Float32Array(x.rows * outputs);
    this.engine.predict(this.net, x.data, x.rows, out, PREDICT_CHUNK_ROWS);
    return { data: out, rows: x.rows, columns: outputs };
  }
}
