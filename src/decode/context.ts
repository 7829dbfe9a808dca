import type { Anomaly } from './anomaly.js';

/**
 * What a layer decoder knows about the packet it is decoding. `base` is the index in `bytes` of the
 * packet's first byte: decoders receive absolute indices and store offsets relative to `base`.
 */
export interface DecodeContext {
  readonly frame: number;
  readonly base: number;
  /** Records an anomaly at absolute index `at` in the bytes being decoded. */
  anomaly(kind: string, at: number, message: string): void;
}

/** A context that collects anomalies in an array: for tests and one-off decoding. */
export class CollectingContext implements DecodeContext {
  readonly anomalies: Anomaly[] = [];
  constructor(
    readonly base = 0,
    readonly frame = 1,
  ) {}
  anomaly(kind: string, at: number, message: string): void {
    this.anomalies.push({ kind, frame: this.frame, offset: at - this.base, message });
  }
}

/**
 * Checks that `n` bytes are available at `offset` (before `end`); when they are not, reports
 * `${layer}_truncated` through the context and returns false.
 */
export function need(
  ctx: DecodeContext,
  layer: string,
  offset: number,
  end: number,
  n: number,
  what = 'header',
): boolean {
  if (end - offset >= n) return true;
  const have = Math.max(0, end - offset);
  ctx.anomaly(
    `${layer}_truncated`,
    offset,
    `Cannot decode ${layer} ${what}: need ${n} bytes at offset ${offset - ctx.base}, have ${have}`,
  );
  return false;
}
