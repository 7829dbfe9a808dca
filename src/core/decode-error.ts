/**
 * The one error a decoder or reader throws for bad input. It names the layer, the byte offset where
 * the problem starts, and how many bytes were needed and available, so a message reads like
 * `Cannot decode IPv4 header: need 20 bytes at offset 34, have 8`.
 *
 * Per-packet decoding never throws it out of `decodePacket()`: there it becomes an {@link Anomaly}.
 * Readers throw it (with `file` set) for damage they cannot step over.
 */
export class DecodeError extends RangeError {
  override readonly name = 'DecodeError';
  readonly layer: string;
  readonly offset: number;
  readonly needed: number;
  readonly available: number;
  readonly file: string | undefined;

  constructor(options: {
    layer: string;
    offset: number;
    needed?: number;
    available?: number;
    file?: string;
    message?: string;
  }) {
    const needed = options.needed ?? 0;
    const available = options.available ?? 0;
    const what =
      options.message ??
      `Cannot decode ${options.layer}: need ${needed} bytes at offset ${options.offset}, have ${available}`;
    super(options.file ? `${options.file}: ${what}` : what);
    this.layer = options.layer;
    this.offset = options.offset;
    this.needed = needed;
    this.available = available;
    this.file = options.file;
  }
}
