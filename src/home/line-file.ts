/**
 * A text file written line by line in 256 KiB chunks with synchronous writes: the simulator streams
 * a year of CSV rows beside its capture in bounded memory, and the bytes are on disk when `close()`
 * returns (the capture writers work the same way).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const CHUNK_CHARS = 1 << 18;

export class LineFile {
  private readonly fd: number;
  private parts: string[] = [];
  private chars = 0;
  private closed = false;
  /** Lines written, the header not counted. */
  lines = 0;

  constructor(
    readonly path: string,
    header: string,
  ) {
    this.fd = openSync(path, 'w');
    this.parts.push(header, '\n');
    this.chars = header.length + 1;
  }

  line(text: string): void {
    this.parts.push(text, '\n');
    this.chars += text.length + 1;
    this.lines++;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.chars = 0;
  }
}
