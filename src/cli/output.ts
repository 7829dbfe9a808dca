/**
 * Buffered text output to stdout (or any Writable): text is encoded straight into a 1 MiB byte
 * buffer (no string joining), handed to the stream when full, with back-pressure respected, and
 * writing stops quietly when the reader goes away (`peephole packets x.pcap | head`). Any other
 * write error (a full disk) stops the writing too, and `end()` throws it as a FileAccessError naming
 * the output: one line and exit 1, not a stack trace.
 */
import type { Writable } from 'node:stream';
import { FileAccessError } from '../core/bad-input-error.js';

const BUFFER_BYTES = 1 << 20;

/**
 * `Buffer#utf8Write` is Node's own unchecked encoder behind `Buffer#write`: about twice as fast per
 * row here (measured with `npm run bench:ingest`), and present on every Node version we support.
 */
interface Utf8Writable extends Buffer {
  utf8Write(text: string, offset: number): number;
}
/** Longest text encoded straight into the buffer; longer text is written on its own. */
const DIRECT_MAX_CHARS = BUFFER_BYTES / 8;

export class TextSink {
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private closed = false;
  private pending: Promise<void> | null = null;
  private failure: NodeJS.ErrnoException | null = null;

  /** `name` says what `out` is in an error message. */
  constructor(
    private readonly out: Writable = process.stdout,
    private readonly name = 'stdout',
  ) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      this.closed = true;
      if (err.code !== 'EPIPE') this.failure ??= err;
    });
  }

  /** True once the reader has gone away: callers may stop producing. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Adds text; returns a promise to await when a full buffer was handed to a busy stream. */
  write(text: string): Promise<void> | null {
    if (this.closed) return null;
    // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
    if (text.length > DIRECT_MAX_CHARS) {
      const p = this.flush();
      this.pass(Buffer.from(text, 'utf8'));
      return p ?? this.pending;
    }
    let p: Promise<void> | null = null;
    if (this.used + text.length * 3 > BUFFER_BYTES) p = this.flush();
    this.used += (this.buf as Utf8Writable).utf8Write(text, this.used);
    return p;
  }

  /** Hands bytes already encoded (e.g. by `TsvBytes`) to the stream, after any buffered text. */
  writeBytes(chunk: Uint8Array): Promise<void> | null {
    if (this.closed) return null;
    this.flush();
    this.pass(chunk);
    return this.pending;
  }

  /** Hands what is buffered to the stream; returns a promise when the stream asks to wait. */
  flush(): Promise<void> | null {
    if (this.used === 0 || this.closed) return this.pending;
    const chunk = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(BUFFER_BYTES);
    this.used = 0;
    this.pass(chunk);
    return this.pending;
  }

  private pass(chunk: Uint8Array): void {
    if (this.out.write(chunk) || this.pending) return;
    this.pending = new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('close', done);
        this.pending = null;
        resolve();
      };
      this.out.once('drain', done);
      this.out.once('close', done);
    });
  }

  /** Hands over the rest and waits for it; throws a FileAccessError when the stream failed. */
  async end(): Promise<void> {
    await this.flush();
    if (this.pending) await this.pending;
    // A failed write reports on the stream's 'error' event a few ticks after write() returned.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.failure !== null) throw new FileAccessError(this.name, this.failure, 'write');
  }
}
