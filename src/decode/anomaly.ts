/**
 * Anomalies are the decoder's "weirds" (after Zeek): a malformed or unexpected packet never throws out
 * of the decoder; it becomes a named anomaly with the frame number and the byte offset inside the
 * packet where the problem starts, and the anomalies are counted per kind.
 *
 * Kinds are `layer_problem` in snake case (`ipv4_bad_header_length`, `dns_pointer_loop`). Each layer
 * module lists the kinds it may report in an exported `*_ANOMALIES` table (kind → one-line meaning).
 */
export interface Anomaly {
  /** `layer_problem`, e.g. `ipv4_bad_header_length`. */
  readonly kind: string;
  /** 1-based frame number in the capture. */
  readonly frame: number;
  /** Byte offset inside the packet (0 = first byte of the link-layer header). */
  readonly offset: number;
  /** Human-readable detail, e.g. `header length 12 < 20`. */
  readonly message: string;
}

/** Counts anomalies per kind and keeps the first few of each kind as examples. */
export class AnomalyCounter {
  private readonly counts = new Map<string, number>();
  private readonly examples = new Map<string, Anomaly[]>();
  constructor(private readonly examplesPerKind = 3) {}

  add(anomaly: Anomaly): void {
    this.counts.set(anomaly.kind, (this.counts.get(anomaly.kind) ?? 0) + 1);
    let list = this.examples.get(anomaly.kind);
    if (!list) this.examples.set(anomaly.kind, (list = []));
    if (list.length < this.examplesPerKind) list.push(anomaly);
  }

  /** Adds `count` occurrences of a kind without an example (e.g. counts merged from a reader). */
  addCount(kind: string, count: number): void {
    if (count > 0) this.counts.set(kind, (this.counts.get(kind) ?? 0) + count);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  count(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  /** Kinds sorted by count (descending), then name. */
  entries(): { kind: string; count: number; examples: Anomaly[] }[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([kind, count]) => ({ kind, count, examples: this.examples.get(kind) ?? [] }));
  }
}
