/**
 * The one error a decoder or reader throws for bad input. It names the layer, the byte offset where
 * the problem starts, and how many bytes were needed and available, so a message reads like
 * `Cannot decode IPv4 header: need 20 bytes at offset 34, have 8`.
 *
 * Per-packet decoding never throws it out of `decodePacket()`: there it becomes an {@link Anomaly}.
 * Readers throw it (with `file` set) for damage they cannot step over. It is a {@link BadInputError}
 * (exit 1 at the command line), not a RangeError: a RangeError is a bug.
 */
import { BadInputError } from './bad-input-error.js';

export class DecodeError extends BadInputError {
  override readonly name: string = 'DecodeError';
  declare readonly offset: number;
  readonly layer: string;
  readonly needed: number;
  readonly available: number;

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
    super(options.file ? `${options.file}: ${what}` : what, { file: options.file, offset: options.offset });
    this.layer = options.layer;
    this.needed = needed;
    this.available = available;
  }
}
