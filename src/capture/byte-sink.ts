/**
 * Where a capture writer's bytes go: a file (synchronous writes from one reused 1 MiB buffer, so a
 * simulator can stream a year of traffic without holding it), stdout (`'-'`), or memory (`toBytes()`).
 *
 * Writers fill the buffer in place: `reserve(n)` returns the index in `buf` where `n` bytes may be
 * written (flushing first when they do not fit), and `copy()` appends bytes of any length.
 *
 * ```ts
 * const sink = new ByteSink('out.pcap');
 * const at = sink.reserve(16);
 * putU32le(sink.buf, at, 42);
 * sink.copy(packet, 0, packet.length);
 * sink.close();
 * ```
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { FileAccessError } from '../core/bad-input-error.js';

export const SINK_BUFFER_BYTES = 1024 * 1024;
const STDOUT_FD = 1;
const RETRY_WAIT_MS = 1;

export class ByteSink {
  /** The write buffer: valid from the index `reserve()` returned for the bytes reserved. */
  readonly buf: Uint8Array;
  /** Bytes handed to the sink so far. */
  bytesWritten = 0;
  private used = 0;
  private readonly fd: number | null;
  private readonly ownsFd: boolean;
  private readonly memory: Uint8Array[] | null;
  private closed = false;

  /** `target`: a file path, `'-'` for stdout, or undefined to keep the bytes in memory. */
  constructor(
    readonly target?: string,
    bufferBytes = SINK_BUFFER_BYTES,
  ) {
    this.buf = new Uint8Array(bufferBytes);
    if (target === undefined) {
      this.fd = null;
      this.ownsFd = false;
      this.memory = [];
    } else if (target === '-') {
      this.fd = STDOUT_FD;
      this.ownsFd = false;
      this.memory = null;
    } else {
      try {
        this.fd = openSync(target, 'w');
      } catch (error) {
        throw new FileAccessError(target, error, 'write');
      }
      this.ownsFd = true;
      this.memory = null;
    }
  }

  /** Index in `buf` where `n` (at most the buffer size) bytes may be written now; counts them as written. */
  reserve(n: number): number {
    if (this.closed) throw new Error('Capture writer is closed');
    if (this.used + n > this.buf.length) this.flush();
    const at = this.used;
    this.used += n;
    this.bytesWritten += n;
    return at;
  }

  /** Appends `src[from, from + length)`. */
  copy(src: Uint8Array, from: number, length: number): void {
    if (this.closed) throw new Error('Capture writer is closed');
    this.bytesWritten += length;
    if (this.used + length <= this.buf.length) {
      this.buf.set(src.subarray(from, from + length), this.used);
      this.used += length;
      return;
    }
    this.flush();
    if (length <= this.buf.length) {
      this.buf.set(src.subarray(from, from + length), 0);
      this.used = length;
    } else {
      this.emit(src.subarray(from, from + length));
    }
  }

  /** Appends `n` zero bytes (padding, at most 3 in practice). */
  zeros(n: number): void {
    const at = this.reserve(n);
    this.buf.fill(0, at, at + n);
  }

  /** Hands the buffered bytes to the file, stdout or memory. */
  flush(): void {
    if (this.used === 0) return;
    this.emit(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  /** Flushes and closes the file (stdout stays open). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.ownsFd && this.fd !== null) closeSync(this.fd);
  }

  /** Everything written so far (memory sinks only). */
  toBytes(): Uint8Array {
    if (this.memory === null) throw new Error('toBytes() is only for in-memory writers (no target given)');
    this.flush();
    if (this.memory.length === 1) return this.memory[0];
    const out = new Uint8Array(this.memory.reduce((n, part) => n + part.length, 0));
    let p = 0;
    for (const part of this.memory) {
      out.set(part, p);
      p += part.length;
    }
    this.memory.length = 0;
    this.memory.push(out);
    return out;
  }

  private emit(bytes: Uint8Array): void {
    if (this.memory !== null) {
      const copy = new Uint8Array(bytes.length); // not slice(): a Buffer would give a view
      copy.set(bytes);
      this.memory.push(copy);
      return;
    }
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(this.fd as number, bytes, done, bytes.length - done);
      } catch (error) {
        // stdout may be a non-blocking pipe: wait for the reader and try again.
        if ((error as { code?: string }).code !== 'EAGAIN') throw new FileAccessError(this.target === '-' ? 'stdout' : (this.target as string), error, 'write');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_WAIT_MS);
      }
    }
  }
}
