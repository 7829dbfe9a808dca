/**
 * Reading a whole capture: a file path, `'-'` for stdin, or any readable stream. The format is told by
 * the magic number, gzip input is decompressed on the fly, and every packet is handed to `onRecord`
 * as one reused {@link CaptureRecord} (valid only during the call).
 *
 * Plain files are read into a few reused 1 MiB buffers in turn (one parsed while the next ones are
 * read, at known offsets; 1 MiB measured fastest with bench:ingest): no stream machinery
 * per chunk. Streams and gzip go through async iteration. Memory stays bounded either way.
 *
 * ```ts
 * const summary = await readCapture('home.pcapng', (rec) => {
 *   total += rec.origLen;
 * }, { onProgress: (bytes) => bar.update(bytes) });
 * summary.records;    // 2448
 * summary.truncated;  // { offset: 444004, missing: 40 } when the last record is cut off
 * ```
 *
 * Errors for bad input are DecodeErrors naming the file and the offset: not a capture (bad magic),
 * empty file, file header cut short, unreadable file, gzip damage before any capture could be read.
 * Damage after that (records stepped over, a last record cut short, a gzip stream cut or corrupt) is
 * reported in the summary, after every record that could be read was delivered.
 */
import { closeSync, createReadStream, fstatSync, openSync, read, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { DecodeError } from '../core/decode-error.js';
import type {
  CaptureInterface,
  CaptureParser,
  CaptureSection,
  DamageReport,
  RecordCallback,
  Truncation,
} from './capture-parser.js';
import { emptyInputError, notCaptureError, unreadableError } from './capture-errors.js';
import { createCaptureParser, detectFormat, MAGIC_BYTES } from './format-detect.js';
import { type CaptureFormat } from '../core/vantage.js';
import { PcapParser, type PcapHeaderInfo } from './pcap-parser.js';
import { blockTypeName } from './pcapng-format.js';
import { GunzipInput, type GzipDamage } from './gzip.js';

/** A file path, `'-'` for stdin, or a stream of bytes with a name for messages. */
export type CaptureSource = string | { stream: Readable | AsyncIterable<Uint8Array>; name: string };

export interface ReadCaptureOptions {
  /** Called with the bytes read so far (after gunzip), at most once per {@link PROGRESS_STEP_BYTES}, and at the end. */
  onProgress?: (bytesRead: number) => void;
  /**
   * Called after each chunk (a few MiB) has been parsed; a promise it returns is awaited before the
   * next chunk is read (a consumer can flush its output there, with back-pressure).
   */
  afterChunk?: () => Promise<void> | void | null;
  /** Stops reading between chunks; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Largest pcapng block / pcap record accepted (default 64 MiB). */
  maxBlockBytes?: number;
  /** Size of each of the reused read buffers for files (default 1 MiB; a few are in use at once). */
  readBufferBytes?: number;
}

export interface CaptureSummary {
  /** The path, or the stream's name. */
  file: string;
  format: CaptureFormat;
  /**
   * `gzip` when the input was compressed; `truncated` when the compressed stream ends early, `damage`
   * what ended the decompressed data early (cut, corrupt, a trailer that does not match), if anything.
   */
  compression: { format: 'gzip'; truncated: boolean; damage: GzipDamage | null } | null;
  /** The pcap file header (byte order, ns or µs, ...), null for pcapng. */
  pcap: PcapHeaderInfo | null;
  sections: CaptureSection[];
  interfaces: CaptureInterface[];
  /** Link types of the interfaces that carried at least one record, ascending. */
  linkTypes: number[];
  records: number;
  /** Bytes of the (decompressed) capture read. */
  bytesRead: number;
  /** Blocks skipped, by type (pcapng NRB, ISB, DSB, custom, unknown). */
  skippedBlocks: { type: number; name: string; count: number }[];
  /** Records that could not be read and the bytes stepped over; the first reports as examples. */
  damaged: { records: number; bytes: number; examples: DamageReport[] };
  /** Where the capture ends inside its last record, or null. */
  truncated: Truncation | null;
}

export const DEFAULT_READ_BUFFER_BYTES = 1024 * 1024;
/** Chunks of a regular file read at once while one is parsed (see readFd). */
const READS_IN_FLIGHT = 4;
export const PROGRESS_STEP_BYTES = 4 * 1024 * 1024;
/** A synchronous read loop lets other work run after this many bytes. */
const YIELD_EVERY_BYTES = 64 * 1024 * 1024;
const MIN_READ_BUFFER_BYTES = 16;
const STDIN_NAME = '<stdin>';

/** Reads a capture, calling `onRecord` for every packet, and resolves to what was seen. */
export async function readCapture(
  source: CaptureSource,
  onRecord: RecordCallback,
  options: ReadCaptureOptions = {},
): Promise<CaptureSummary> {
  options.signal?.throwIfAborted();
  if (typeof source !== 'string') return readStream(source.stream, source.name, onRecord, options);
  if (source === '-') {
    // A file is read like a file. A pipe goes through the stream: it is read while the last chunk is
    // parsed (blocking reads of a pipe's 64 KiB at a time measured 30% slower on a 1 GB pipe).
    if (isRegularFile(0)) return readFd(0, STDIN_NAME, onRecord, options, false);
    return readStream(process.stdin, STDIN_NAME, onRecord, options);
  }
  let fd: number;
  try {
    fd = openSync(source, 'r');
  } catch (error) {
    throw unreadableError(error, source, 0);
  }
  return readFd(fd, source, onRecord, options, true);
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

class Progress {
  bytes = 0;
  private next = PROGRESS_STEP_BYTES;
  constructor(private readonly callback: ((bytesRead: number) => void) | undefined) {}
  add(n: number): void {
    this.bytes += n;
    if (this.callback && this.bytes >= this.next) {
      this.next = this.bytes + PROGRESS_STEP_BYTES;
      this.callback(this.bytes);
    }
  }
  done(): void {
    this.callback?.(this.bytes);
  }
}

function readChunk(fd: number, buf: Uint8Array, from: number, file: string, offset: number): number {
  try {
    return readSync(fd, buf, from, buf.length - from, null);
  } catch (error) {
    throw unreadableError(error, file, offset);
  }
}

async function readFd(
  fd: number,
  file: string,
  onRecord: RecordCallback,
  options: ReadCaptureOptions,
  close: boolean,
): Promise<CaptureSummary> {
  let closed = !close;
  const pending: PendingRead[] = [];
  try {
    const buf = new Uint8Array(Math.max(MIN_READ_BUFFER_BYTES, options.readBufferBytes ?? DEFAULT_READ_BUFFER_BYTES));
    // The first read: at least the magic number, unless the input is shorter.
    let n = 0;
    for (;;) {
      const got = readChunk(fd, buf, n, file, n);
      n += got;
      if (got === 0 || n >= MAGIC_BYTES) break;
    }
    if (n === 0) throw emptyInputError(file);
    const format = detectFormat(buf.subarray(0, n));
    if (format === 'gzip') {
      if (!close) return await readStream(bytesThenStream(buf.slice(0, n), process.stdin), file, onRecord, options);
      closeSync(fd);
      closed = true;
      return await readStream(createReadStream(file), file, onRecord, options);
    }
    if (format === null) throw notCaptureError(buf.subarray(0, n), file);
    const parser = createCaptureParser(format, onRecord, { file, maxBlockBytes: options.maxBlockBytes });
    const progress = new Progress(options.onProgress);
    // The next chunks are read (by libuv's thread pool, on another core) while this one is parsed.
    // A regular file we opened is read at known offsets, READS_IN_FLIGHT chunks at a time: one read
    // in flight kept the parser waiting (node reading the 1 GB bench:ingest capture in 1 MiB chunks:
    // 0.22 s with one read in flight, 0.12 s with three; inspect ran fastest with four). Anything
    // else (stdin, a named pipe) is read in order, one read ahead.
    const positional = close && isRegularFile(fd);
    const inFlight = positional ? READS_IN_FLIGHT : 1;
    const free: Uint8Array[] = Array.from({ length: inFlight }, () => new Uint8Array(buf.length));
    let nextOffset = n;
    let current: Uint8Array = buf;
    let sinceYield = 0;
    while (n > 0) {
      while (free.length > 0) {
        const target = free.pop()!;
        // Without positions, one read is in flight and it starts where the chunk being parsed ends.
        const at = positional ? nextOffset : progress.bytes + n;
        pending.push({ buf: target, at, bytes: readChunkAsync(fd, target, file, at, positional ? at : null) });
        nextOffset += target.length;
      }
      parser.push(current.subarray(0, n));
      progress.add(n);
      sinceYield += n;
      const afterChunk = options.afterChunk?.();
      if (afterChunk) await afterChunk;
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      options.signal?.throwIfAborted();
      free.push(current);
      const head = pending.shift()!;
      n = await head.bytes;
      current = head.buf;
      if (n < current.length && pending.length > 0) {
        // A short read: the end of the file (or of what a growing file holds so far). The reads
        // queued behind it asked for offsets past its end: wait them out, go on from where it ended.
        for (const p of pending.splice(0)) {
          await p.bytes.catch(() => 0);
          free.push(p.buf);
        }
        nextOffset = head.at + n;
      }
    }
    parser.end();
    progress.done();
    return summarize(parser, file, progress.bytes, null);
  } finally {
    for (const p of pending) await p.bytes.catch(() => 0);
    if (!closed) closeSync(fd);
  }
}

/** A chunk being read: into `buf`, from file offset `at`. */
interface PendingRead {
  buf: Uint8Array;
  at: number;
  bytes: Promise<number>;
}

function readChunkAsync(fd: number, buf: Uint8Array, file: string, offset: number, position: number | null): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, 0, buf.length, position, (error, bytesRead) => (error ? reject(unreadableError(error, file, offset)) : resolve(bytesRead)));
  });
}

async function* bytesThenStream(head: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  yield* rest;
}

/** Reads `n` bytes' worth of chunks (or to the end), returning them joined and the iterator to go on with. */
async function readHead(
  it: AsyncIterator<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; done: boolean }> {
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < n) {
    const r = await it.next();
    if (r.done) return { head: Buffer.concat(parts, length), done: true };
    const chunk = toBytes(r.value);
    parts.push(chunk);
    length += chunk.length;
  }
  return { head: parts.length === 1 ? parts[0] : Buffer.concat(parts, length), done: false };
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new TypeError('Capture streams must yield bytes (Buffer or Uint8Array), not strings: do not set an encoding');
}

/** `head`, then the rest of `it`; returning early (an error, an abort) also ends `it`, which destroys a stream. */
async function* continueFrom(head: Uint8Array, done: boolean, it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = done;
  try {
    if (head.length > 0) yield head;
    while (!finished) {
      const r = await it.next();
      if (r.done) finished = true;
      else yield toBytes(r.value);
    }
  } finally {
    if (!finished) await it.return?.();
  }
}

async function readStream(
  stream: Readable | AsyncIterable<Uint8Array>,
  file: string,
  onRecord: RecordCallback,
  options: ReadCaptureOptions,
): Promise<CaptureSummary> {
  const it = (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let input: AsyncIterator<Uint8Array> = it;
  try {
    let { head, done } = await readHead(it, MAGIC_BYTES).catch((error: unknown) => {
      throw inputError(error, file, 0);
    });
    if (head.length === 0) throw emptyInputError(file);
    let format = detectFormat(head);
    input = continueFrom(head, done, it);
    let gzip: GunzipInput | null = null;
    if (format === 'gzip') {
      gzip = new GunzipInput(input, toBytes);
      input = gzip.output();
      ({ head, done } = await readHead(input, MAGIC_BYTES).catch((error: unknown) => {
        throw inputError(error, file, 0);
      }));
      // Damage before a capture's magic number could be read: there is nothing to summarise.
      if (head.length < MAGIC_BYTES && gzip.damage) throw gzipError(gzip.damage, file);
      if (head.length === 0) {
        throw new DecodeError({ layer: 'gzip', offset: 0, file, message: 'The gzip stream holds no data: no capture header at offset 0 of its contents' });
      }
      format = detectFormat(head);
      if (format === 'gzip') throw new DecodeError({ layer: 'gzip', offset: 0, file, message: 'gzip inside gzip is not read' });
      input = continueFrom(head, done, input);
    }
    if (format === null) throw notCaptureError(head, file);
    const parser = createCaptureParser(format, onRecord, { file, maxBlockBytes: options.maxBlockBytes });
    const progress = new Progress(options.onProgress);
    for (;;) {
      options.signal?.throwIfAborted();
      let r: IteratorResult<Uint8Array>;
      try {
        r = await input.next();
      } catch (error) {
        throw inputError(error, file, progress.bytes);
      }
      if (r.done) break;
      parser.push(r.value);
      progress.add(r.value.length);
      const pending = options.afterChunk?.();
      if (pending) await pending;
    }
    try {
      parser.end();
    } catch (error) {
      // The capture's own header is cut because the gzip stream is: the gzip damage is the cause.
      if (gzip?.damage && error instanceof DecodeError) throw gzipError(gzip.damage, file, error);
      throw error;
    }
    progress.done();
    const compression: CaptureSummary['compression'] = gzip && { format: 'gzip', truncated: gzip.damage?.cut ?? false, damage: gzip.damage };
    return summarize(parser, file, progress.bytes, compression);
  } finally {
    // Ends the source (and destroys a stream) when the reading stopped early; a no-op at its end.
    input.return?.().catch(() => {});
  }
}

/** gzip damage that leaves nothing to read (or not even a capture header) as the error thrown. */
function gzipError(damage: GzipDamage, file: string, headerError?: DecodeError): DecodeError {
  const message = damage.message[0].toUpperCase() + damage.message.slice(1);
  const prefix = `${file}: `;
  const cause = headerError ? `; ${headerError.message.startsWith(prefix) ? headerError.message.slice(prefix.length) : headerError.message}` : '';
  return new DecodeError({ layer: 'gzip', offset: damage.offset, file, message: message + cause });
}

/** An error from the input stream as a DecodeError where it is one (an OS error). */
function inputError(error: unknown, file: string, offset: number): unknown {
  if (error instanceof DecodeError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return unreadableError(error, file, offset);
  return error;
}

function summarize(
  parser: CaptureParser,
  file: string,
  bytesRead: number,
  compression: CaptureSummary['compression'],
): CaptureSummary {
  const linkTypes = [...new Set(parser.interfaces.filter((i) => i.packets > 0).map((i) => i.linkType))].sort((a, b) => a - b);
  return {
    file,
    format: parser.format,
    compression,
    pcap: parser instanceof PcapParser ? parser.header : null,
    sections: [...parser.sections],
    interfaces: [...parser.interfaces],
    linkTypes,
    records: parser.records,
    bytesRead,
    skippedBlocks: [...parser.skippedBlocks].map(([type, count]) => ({ type, name: blockTypeName(type), count })),
    damaged: { records: parser.damagedRecords, bytes: parser.damagedBytes, examples: [...parser.damage] },
    truncated: parser.truncated,
  };
}
