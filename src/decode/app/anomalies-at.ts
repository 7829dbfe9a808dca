/**
 * A context for bytes copied out of several packets (a reassembled DNS message or ClientHello):
 * their indices mean nothing in the packet, so every anomaly is reported at one packet index, the
 * start of the segment that completed them.
 */
import type { DecodeContext } from '../context.js';

export class AnomaliesAt implements DecodeContext {
  /** Indices in the copied bytes start at 0. */
  readonly base = 0;
  constructor(
    private readonly outer: DecodeContext,
    /** Absolute index in the packet where anomalies are reported. */
    private readonly at: number,
  ) {}
  get frame(): number {
    return this.outer.frame;
  }
  anomaly(kind: string, _at: number, message: string): void {
    this.outer.anomaly(kind, this.at, message);
  }
}
