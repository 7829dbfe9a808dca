/**
 * Buffered text output to stdout (or any Writable) that respects back-pressure and stops quietly when
 * the reader goes away (`peephole packets x.pcap | head`).
 */
import type { Writable } from 'node:stream';

const FLUSH_BYTES = 1 << 20;

export class TextSink {
  private parts: string[] = [];
  private size = 0;
  private closed = false;
  private pending: Promise<void> | null = null;

  constructor(private readonly out: Writable = process.stdout) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
      else throw err;
    });
  }

  /** True once the reader has gone away: callers may stop producing. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Adds text; returns a promise to await when the buffer was handed to a busy stream. */
  write(text: string): Promise<void> | null {
    if (this.closed) return null;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_BYTES) return this.flush();
    return null;
  }

  flush(): Promise<void> | null {
    if (this.size === 0 || this.closed) return this.pending;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const ok = this.out.write(chunk);
    if (ok) return null;
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
    return this.pending;
  }

  async end(): Promise<void> {
    await this.flush();
    if (this.pending) await this.pending;
  }
}
