/**
 * Bounded TCP reassembly for the few application messages we read across segments: a ClientHello
 * and DNS over TCP. Each followed direction of a connection (a "stream", named by a key the caller
 * builds, e.g. `10.0.0.2:51000>1.1.1.1:53`) puts its in-order bytes in one buffer that its consumer
 * reads and then consumes.
 *
 * ```ts
 * const r = new TcpReassembler();
 * const s = r.get(key) ?? r.open(key, seq);
 * r.push(s, seq, bytes, payloadStart, payloadEnd);  // → bytes newly in order (held ones included)
 * parse(s.data, 0, s.length);                        // the consumer reads from the front...
 * r.consume(s, used);                                // ...and drops what it has used
 * ```
 *
 * Segments are placed by sequence number (32-bit, wrapping): a segment wholly before the next
 * expected byte is a retransmission and is dropped; one that overlaps it gives only its new bytes;
 * one past a gap is held (copied) until the gap fills. Memory stays bounded whatever the capture:
 * - per stream, in-order plus held bytes never exceed `maxBytesPerStream` (past it the stream is
 *   marked `overflowed` and stops buffering) and at most `maxHeldSegments` segments are held;
 * - at most `maxStreams` streams are followed, and their buffers together stay under
 *   `maxTotalBytes`: past either bound the least recently used stream is dropped (LRU, kept
 *   CLOCK-style: a stream used since it was last looked at goes to the back of the queue once).
 *
 * tshark 4.0 (default preferences: `tcp.reassemble_out_of_order: FALSE`) does neither of the last
 * two: it loses a message whose segments come out of order, and it drops a segment that partly
 * overlaps data already seen. Set `holdOutOfOrder` and `trimOverlaps` to false to do as it does.
 */

export interface TcpReassemblyOptions {
  /** Most streams followed at once (default 4096). */
  readonly maxStreams?: number;
  /** Most bytes buffered per stream, in order and held (default 16 KiB). */
  readonly maxBytesPerStream?: number;
  /** Most bytes buffered by all streams together (default 16 MiB). */
  readonly maxTotalBytes?: number;
  /** Most out-of-order segments held per stream (default 8). */
  readonly maxHeldSegments?: number;
  /** Hold segments that arrive past a gap (default true). */
  readonly holdOutOfOrder?: boolean;
  /** Keep the new tail of a segment that overlaps bytes already seen (default true). */
  readonly trimOverlaps?: boolean;
}

const DEFAULT_MAX_STREAMS = 4096;
const DEFAULT_MAX_BYTES_PER_STREAM = 16 * 1024;
const DEFAULT_MAX_TOTAL_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_HELD_SEGMENTS = 8;
const MIN_BUFFER_BYTES = 2048;
const EMPTY = new Uint8Array(0);

interface HeldSegment {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** One followed direction of a TCP connection. Read `data[0, length)`; the rest is the reassembler's. */
export class TcpStream {
  /** In-order bytes not yet consumed are `data[0, length)`. */
  data: Uint8Array = EMPTY;
  length = 0;
  /** Sequence number of the byte after the last one received in order. */
  nextSeq: number;
  /** Set once the stream went past `maxBytesPerStream`: bytes past that point were not kept. */
  overflowed = false;
  /** Used since eviction last looked at it. */
  used = false;
  /** Free for the consumer: e.g. "this stream's message was decoded". */
  done = false;
  /** Segments dropped as wholly retransmitted. */
  retransmissions = 0;
  /** In-order bytes still to be skipped before buffering resumes (see `consume`). */
  skip = 0;
  held: HeldSegment[] = [];
  heldBytes = 0;
  constructor(
    readonly key: string,
    seq: number,
  ) {
    this.nextSeq = seq >>> 0;
  }
}

/** Signed distance from sequence number `b` to `a`, wrapping at 2^32. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpReassembler {
  private readonly streams = new Map<string, TcpStream>();
  private totalBytes = 0;
  readonly maxStreams: number;
  readonly maxBytesPerStream: number;
  readonly maxTotalBytes: number;
  readonly maxHeldSegments: number;
  readonly holdOutOfOrder: boolean;
  readonly trimOverlaps: boolean;
  /** Streams dropped to stay within the bounds. */
  evictions = 0;

  constructor(options: TcpReassemblyOptions = {}) {
    this.maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
    this.maxBytesPerStream = options.maxBytesPerStream ?? DEFAULT_MAX_BYTES_PER_STREAM;
    this.maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
    this.maxHeldSegments = options.maxHeldSegments ?? DEFAULT_MAX_HELD_SEGMENTS;
    this.holdOutOfOrder = options.holdOutOfOrder ?? true;
    this.trimOverlaps = options.trimOverlaps ?? true;
  }

  /** Streams followed now. */
  get size(): number {
    return this.streams.size;
  }

  /** Bytes buffered by all streams (buffer capacity plus held segments). */
  get bufferedBytes(): number {
    return this.totalBytes;
  }

  /**
   * The stream for `key`, marked as used; undefined when not followed. (Eviction gives used streams
   * a second chance, CLOCK-style: nearly LRU, without reordering the map on every packet.)
   */
  get(key: string): TcpStream | undefined {
    const s = this.streams.get(key);
    if (s !== undefined) s.used = true;
    return s;
  }

  /** Starts following `key` with `seq` as the next expected byte (replacing any stream it had). */
  open(key: string, seq: number): TcpStream {
    this.close(key);
    while (this.streams.size >= this.maxStreams) this.evictOldest();
    const s = new TcpStream(key, seq);
    this.streams.set(key, s);
    return s;
  }

  /** Stops following `key` and frees its buffers. */
  close(key: string): void {
    const s = this.streams.get(key);
    if (s === undefined) return;
    this.release(s);
    this.streams.delete(key);
  }

  /**
   * Adds the segment `bytes[offset, end)` starting at sequence number `seq` to stream `s` and returns
   * how many bytes became available in order (0 for a retransmission, a held or dropped segment).
   */
  push(s: TcpStream, seq: number, bytes: Uint8Array, offset: number, end: number): number {
    const len = end - offset;
    if (len <= 0) return 0;
    let d = seqDiff(seq, s.nextSeq);
    if (d + len <= 0) {
      s.retransmissions++;
      return 0;
    }
    if (d < 0) {
      if (!this.trimOverlaps) return 0;
      offset -= d;
      d = 0;
    }
    if (d > 0) {
      this.hold(s, seq, bytes, offset, end);
      return 0;
    }
    let added = this.append(s, bytes, offset, end);
    if (s.held.length > 0) added += this.drainHeld(s);
    this.enforceTotal(s);
    return added;
  }

  /**
   * Drops `n` bytes from the front of the stream's data. When `n` is more than it holds, the rest
   * is skipped as it arrives (a message too large to keep can be stepped over).
   */
  consume(s: TcpStream, n: number): void {
    if (n >= s.length) {
      s.skip += n - s.length;
      s.length = 0;
      if (s.skip > 0) this.dropHeldBefore(s);
      return;
    }
    s.data.copyWithin(0, n, s.length);
    s.length -= n;
  }

  /** Frees the stream's buffer but keeps following its sequence numbers (to spot retransmissions). */
  shrink(s: TcpStream): void {
    this.release(s);
  }

  /**
   * Moves the next expected byte past the segment without keeping it: for a stream whose consumer
   * no longer buffers. True when the segment held bytes past those seen (not a retransmission).
   */
  advance(s: TcpStream, seq: number, len: number): boolean {
    const d = seqDiff(seq, s.nextSeq);
    if (d + len <= 0) {
      if (len > 0) s.retransmissions++;
      return false;
    }
    s.nextSeq = (seq + len) >>> 0;
    return true;
  }

  private append(s: TcpStream, bytes: Uint8Array, offset: number, end: number): number {
    let len = end - offset;
    if (s.skip > 0) {
      const k = s.skip < len ? s.skip : len;
      s.skip -= k;
      offset += k;
      len -= k;
      s.nextSeq = (s.nextSeq + k) >>> 0;
    }
    if (len === 0) return 0;
    s.nextSeq = (s.nextSeq + len) >>> 0;
    if (s.overflowed || s.length + s.heldBytes + len > this.maxBytesPerStream) {
      s.overflowed = true;
      return 0;
    }
    this.reserve(s, s.length + len);
    s.data.set(bytes.subarray(offset, end), s.length);
    s.length += len;
    return len;
  }

  private reserve(s: TcpStream, needed: number): void {
    if (needed <= s.data.length) return;
    let size = s.data.length === 0 ? MIN_BUFFER_BYTES : s.data.length * 2;
    while (size < needed) size *= 2;
    if (size > this.maxBytesPerStream) size = this.maxBytesPerStream;
    const next = new Uint8Array(size);
    next.set(s.data.subarray(0, s.length));
    this.totalBytes += size - s.data.length;
    s.data = next;
  }

  private hold(s: TcpStream, seq: number, bytes: Uint8Array, offset: number, end: number): void {
    const len = end - offset;
    if (
      !this.holdOutOfOrder ||
      s.overflowed ||
      s.held.length >= this.maxHeldSegments ||
      s.length + s.heldBytes + len > this.maxBytesPerStream
    ) {
      return;
    }
    const seg: HeldSegment = { seq: seq >>> 0, bytes: bytes.slice(offset, end) };
    let i = s.held.length;
    while (i > 0 && seqDiff(s.held[i - 1].seq, seg.seq) > 0) i--;
    s.held.splice(i, 0, seg);
    s.heldBytes += len;
    this.totalBytes += len;
    this.enforceTotal(s);
  }

  /** Appends held segments that the stream has reached; returns the bytes appended. */
  private drainHeld(s: TcpStream): number {
    let added = 0;
    while (s.held.length > 0) {
      const seg = s.held[0];
      const d = seqDiff(seg.seq, s.nextSeq);
      if (d > 0) break;
      s.held.shift();
      s.heldBytes -= seg.bytes.length;
      this.totalBytes -= seg.bytes.length;
      if (d + seg.bytes.length > 0) added += this.append(s, seg.bytes, -d, seg.bytes.length);
    }
    return added;
  }

  private dropHeldBefore(s: TcpStream): void {
    const skipEnd = (s.nextSeq + s.skip) >>> 0;
    while (s.held.length > 0 && seqDiff(s.held[0].seq + s.held[0].bytes.length, skipEnd) <= 0) {
      const seg = s.held.shift()!;
      s.heldBytes -= seg.bytes.length;
      this.totalBytes -= seg.bytes.length;
    }
  }

  private release(s: TcpStream): void {
    this.totalBytes -= s.data.length + s.heldBytes;
    s.data = EMPTY;
    s.length = 0;
    s.held = [];
    s.heldBytes = 0;
  }

  /** Evicts least recently used streams (never `keep`) until the byte budget holds. */
  private enforceTotal(keep: TcpStream): void {
    while (this.totalBytes > this.maxTotalBytes && this.streams.size > 1) this.evictOldest(keep);
  }

  /** Drops the least recently used stream other than `keep`: the oldest one not used since its last chance. */
  private evictOldest(keep?: TcpStream): void {
    for (;;) {
      const first = this.streams.values().next();
      if (first.done) return;
      const s = first.value;
      this.streams.delete(s.key);
      if (s.used || s === keep) {
        s.used = false;
        this.streams.set(s.key, s); // a second chance: to the back of the queue
        continue;
      }
      this.release(s);
      this.evictions++;
      return;
    }
  }
}
