/**
 * Editing the TCP streams of a held capture without breaking them: bytes added at the end of a
 * segment (padding), whole segments added in a quiet moment (a cover burst), segments moved later
 * (a delayed use), and the TLS record headers whose lengths must follow. Every edit is recorded first;
 * {@link TcpEditor.emit} then writes each frame once, with the sequence and acknowledgement numbers
 * the edits make, in time order per connection, so a stack (and tshark) sees one consistent stream.
 *
 * Offsets are relative to a direction's first byte: the byte after its SYN, or (when the capture
 * began after the handshake) the first byte seen. A segment that starts at offset x is sent at
 * x + (bytes added at or before x): padding at x (the end of the segment before it) and the added
 * segments before it. An acknowledgement of offset a counts the padding at or before a and the added
 * segments sent before the acknowledgement.
 */
import { u16be } from '../../core/bytes.js';
import type { HeldFrame } from './held-capture.js';
import { capturedPayload, cutFrame, parseFrame, PROTO_TCP, rewriteFrame, shiftSackEdges, TCP_ACK, TCP_FIN, TCP_HEADER_BYTES, TCP_RST, TCP_SYN, type FrameInfo } from './frame-bytes.js';

const TWO_32 = 2 ** 32;
const TLS_HEADER_BYTES = 5;
/** The longest TLS record body (TLSCiphertext, RFC 8446 §5.2). */
export const TLS_MAX_RECORD_BODY = 2 ** 14 + 256;
/** A longer length field is not TLS (TLS 1.2 allows 2^14 + 2048). */
const TLS_MAX_LENGTH_FIELD = 2 ** 14 + 2048;
const TLS_APPLICATION_DATA = 23;

/** A segment added to a stream: its time, its flags, and its payload (empty for an ACK). */
export interface AddedSegment {
  readonly timeUs: number;
  readonly dir: 0 | 1;
  readonly flags: number;
  readonly payload: Uint8Array;
}

/** Segments added in one direction at one point of the stream. */
interface Chunk {
  readonly at: number;
  readonly startUs: number;
  /** The data segments' times and lengths, in order. */
  readonly times: number[];
  readonly lengths: number[];
  readonly bytes: number;
}

/** One TLS record of a direction's stream: where it starts (its header) and its body's length. */
export interface TlsRecord {
  readonly start: number;
  /** Content type: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application data. */
  readonly type: number;
  readonly bodyLength: number;
  /** Bytes added to its body. */
  growth: number;
}

export class Direction {
  /** Sequence number of offset 0. */
  isn = 0;
  synSeen = false;
  /** The frames carrying this direction's segments, in time order (indices into the capture). */
  readonly frames: number[] = [];
  /** The largest payload seen: a stand-in for the connection's MSS. */
  maxPayload = 0;
  private growthAt: number[] = [];
  private growthBytes: Uint8Array[] = [];
  private growthPrefix: number[] = [0];
  private readonly pendingGrowth = new Map<number, Uint8Array>();
  readonly chunks: Chunk[] = [];
  /** Header bytes to write instead of the ones read, by offset. */
  readonly patches = new Map<number, number>();
  private records: TlsRecord[] | null | undefined = undefined;

  /** The offset of a sequence number (negative just before offset 0: the SYN). */
  rel(seq: number): number {
    const d = (seq - this.isn + TWO_32) % TWO_32;
    return d >= TWO_32 / 2 ? d - TWO_32 : d;
  }

  /** Adds `bytes` at offset `at` (the end of a segment); a second addition at one offset is refused. */
  addGrowth(at: number, bytes: Uint8Array): void {
    if (this.pendingGrowth.has(at)) throw new RangeError(`TcpEditor: padding added twice at offset ${at}`);
    this.pendingGrowth.set(at, bytes);
    this.growthAt = [];
  }

  hasGrowth(at: number): boolean {
    return this.pendingGrowth.has(at);
  }

  private freeze(): void {
    if (this.growthAt.length === this.pendingGrowth.size) return;
    const at = [...this.pendingGrowth.keys()].sort((a, b) => a - b);
    this.growthAt = at;
    this.growthBytes = at.map((a) => this.pendingGrowth.get(a)!);
    this.growthPrefix = [0];
    for (const b of this.growthBytes) this.growthPrefix.push(this.growthPrefix[this.growthPrefix.length - 1] + b.length);
  }

  /** Padding bytes at offsets ≤ x. */
  growthUpTo(x: number): number {
    this.freeze();
    return this.growthPrefix[firstAbove(this.growthAt, x)];
  }

  /** The padding points in (from, to], with their bytes. */
  growthBetween(from: number, to: number): { at: number; bytes: Uint8Array }[] {
    this.freeze();
    const out = [];
    for (let i = firstAbove(this.growthAt, from); i < this.growthAt.length && this.growthAt[i] <= to; i++) out.push({ at: this.growthAt[i], bytes: this.growthBytes[i] });
    return out;
  }

  private patchAt: number[] | null = null;

  /** The header patches at offsets in [from, to), in order. */
  patchesIn(from: number, to: number): { at: number; value: number }[] {
    if (this.patchAt === null || this.patchAt.length !== this.patches.size) this.patchAt = [...this.patches.keys()].sort((a, b) => a - b);
    const out = [];
    for (let i = firstAbove(this.patchAt, from - 1); i < this.patchAt.length && this.patchAt[i] < to; i++) out.push({ at: this.patchAt[i], value: this.patches.get(this.patchAt[i])! });
    return out;
  }

  addChunk(at: number, startUs: number, times: number[], lengths: number[]): Chunk {
    const chunk = { at, startUs, times, lengths, bytes: lengths.reduce((s, n) => s + n, 0) };
    this.chunks.push(chunk);
    return chunk;
  }

  /** Bytes added before a segment that starts at offset x and is sent at t. */
  seqShift(x: number, t: number): number {
    let s = this.growthUpTo(x);
    for (const c of this.chunks) if (c.at < x || (c.at === x && c.startUs <= t)) s += c.bytes;
    return s;
  }

  /** Bytes added before offset a, as an acknowledgement sent at t counts them. */
  ackShift(a: number, t: number): number {
    let s = this.growthUpTo(a);
    for (const c of this.chunks) {
      if (c.at < a) s += c.bytes;
      else if (c.at === a) for (let i = 0; i < c.times.length; i++) if (c.times[i] < t) s += c.lengths[i];
    }
    return s;
  }

  /** Where an added chunk's first byte goes: after what was added before it at its offset. */
  chunkBase(chunk: Chunk): number {
    let s = this.growthUpTo(chunk.at);
    for (const c of this.chunks) {
      if (c === chunk) continue;
      if (c.at < chunk.at || (c.at === chunk.at && c.startUs < chunk.startUs)) s += c.bytes;
    }
    return (this.isn + chunk.at + s) % TWO_32;
  }

  /** The TLS records of this direction, or null when its stream cannot be walked as TLS from its start. */
  tlsRecords(capture: readonly HeldFrame[], infos: readonly (FrameInfo | null)[]): TlsRecord[] | null {
    if (this.records !== undefined) return this.records;
    this.records = null;
    if (!this.synSeen) return null;
    // The stream as first sent, from offset 0 up to the first gap.
    const pieces: { x: number; bytes: Uint8Array }[] = [];
    for (const i of this.frames) {
      const info = infos[i]!;
      if (info.payloadLen === 0) continue;
      pieces.push({ x: this.rel(info.seq), bytes: capturedPayload(capture[i].data, info) });
    }
    pieces.sort((a, b) => a.x - b.x);
    let covered = 0;
    const parts: Uint8Array[] = [];
    for (const p of pieces) {
      if (p.x > covered) break;
      const end = p.x + p.bytes.length;
      if (end <= covered) continue;
      parts.push(p.bytes.subarray(covered - p.x));
      covered = end;
    }
    const stream = new Uint8Array(covered);
    let o = 0;
    for (const part of parts) {
      stream.set(part, o);
      o += part.length;
    }
    const records: TlsRecord[] = [];
    let p = 0;
    while (p + TLS_HEADER_BYTES <= stream.length) {
      const type = stream[p];
      if (type < 20 || type > 23 || stream[p + 1] !== 3 || stream[p + 2] > 4) break;
      const length = u16be(stream, p + 3);
      if (length > TLS_MAX_LENGTH_FIELD) break;
      records.push({ start: p, type, bodyLength: length, growth: 0 });
      p += TLS_HEADER_BYTES + length;
    }
    if (records.length === 0) return null;
    this.records = records;
    return records;
  }
}

/** Which way a segment goes in its connection. */
export interface SegmentOf {
  readonly conn: Connection;
  readonly dir: 0 | 1;
}

export class Connection {
  readonly dirs: [Direction, Direction] = [new Direction(), new Direction()];
  /** Every frame of the connection, in time order. */
  readonly frames: number[] = [];
  /** Segments added to the connection, and the chunk of each that carries data. */
  readonly added: AddedSegment[] = [];
  readonly chunkOf = new Map<AddedSegment, Chunk>();
  /** A template frame of each direction (the headers added segments copy). */
  readonly template: [number, number] = [-1, -1];
  /** True once a FIN or RST was seen. */
  closedAtUs = Infinity;
  firstUs = Infinity;
  lastUs = -Infinity;

  constructor(readonly key: string) {}
}

/** A TCP frame's connection (its two ends, the lesser first) and its direction on it (0: from the lesser end). */
export function connectionKey(info: FrameInfo): { key: string; dir: 0 | 1 } {
  const a = `${info.srcIp}#${info.srcPort}`;
  const b = `${info.dstIp}#${info.dstPort}`;
  return a < b ? { key: `${a}>${b}`, dir: 0 } : { key: `${b}>${a}`, dir: 1 };
}

/** A segment's payload as sent: the bytes captured, zero-filled to its length where the capture cut it short. */
export function wholePayload(data: Uint8Array, info: FrameInfo): Uint8Array {
  const captured = capturedPayload(data, info);
  if (captured.length >= info.payloadLen) return captured;
  const whole = new Uint8Array(info.payloadLen);
  whole.set(captured);
  return whole;
}

/** `payload` (a segment's, from stream offset `x`) with each piece's bytes inserted at its stream offset, in order. */
export function withInserted(payload: Uint8Array, x: number, pieces: readonly { readonly at: number; readonly bytes: Uint8Array }[]): Uint8Array {
  const out = new Uint8Array(payload.length + pieces.reduce((s, g) => s + g.bytes.length, 0));
  let o = 0;
  let from = 0;
  for (const g of pieces) {
    const upto = g.at - x;
    out.set(payload.subarray(from, upto), o);
    o += upto - from;
    out.set(g.bytes, o);
    o += g.bytes.length;
    from = upto;
  }
  out.set(payload.subarray(from), o);
  return out;
}

/**
 * The TCP connections of a held capture, and the edits made to them. Frames that are not whole
 * TCP/IP frames (see frame-bytes.ts) are never touched.
 */
export class TcpEditor {
  readonly infos: (FrameInfo | null)[];
  readonly segmentOf: (SegmentOf | null)[];
  readonly connections = new Map<string, Connection>();
  /** New times of frames moved later, by frame index. */
  readonly movedUs = new Map<number, number>();
  /** Frames (not of TCP connections being edited) replaced by other bytes, by index. */
  readonly replaced = new Map<number, Uint8Array>();
  /** Frames left out, by index. */
  readonly dropped = new Set<number>();
  /** Frames added outside any connection (whole frames). */
  readonly addedFrames: HeldFrame[] = [];
  /** The capture's snap length when it cut frames (the longest cut frame), else null: rewritten frames are cut as short. */
  readonly snap: number | null;

  constructor(readonly frames: readonly HeldFrame[]) {
    this.infos = frames.map((f) => parseFrame(f.data, f.origLen));
    let snap: number | null = null;
    for (const f of frames) if (f.data.length < f.origLen && (snap === null || f.data.length > snap)) snap = f.data.length;
    this.snap = snap;
    this.segmentOf = frames.map(() => null);
    this.infos.forEach((info, i) => {
      if (info === null || info.proto !== PROTO_TCP) return;
      const { key, dir } = connectionKey(info);
      let conn = this.connections.get(key);
      if (conn === undefined) this.connections.set(key, (conn = new Connection(key)));
      const d = conn.dirs[dir];
      if (d.frames.length === 0) {
        d.isn = (info.flags & TCP_SYN) !== 0 ? (info.seq + 1) % TWO_32 : info.seq;
        d.synSeen = (info.flags & TCP_SYN) !== 0;
      }
      d.frames.push(i);
      if (info.payloadLen > d.maxPayload) d.maxPayload = info.payloadLen;
      conn.frames.push(i);
      // Added segments copy the headers (and options, such as timestamps) of a segment that is not a SYN.
      if (conn.template[dir] < 0 || ((this.infos[conn.template[dir]]!.flags & TCP_SYN) !== 0 && (info.flags & TCP_SYN) === 0)) conn.template[dir] = i;
      const t = frames[i].timeUs;
      conn.firstUs = Math.min(conn.firstUs, t);
      conn.lastUs = Math.max(conn.lastUs, t);
      if ((info.flags & (TCP_FIN | TCP_RST)) !== 0) conn.closedAtUs = Math.min(conn.closedAtUs, t);
      this.segmentOf[i] = { conn, dir };
    });
  }

  /** A frame's time after the edits. */
  timeOf(i: number): number {
    return this.movedUs.get(i) ?? this.frames[i].timeUs;
  }

  /**
   * Adds segments to a connection: `segments` (times in order, both directions); each direction's
   * data goes at the offset that direction has reached when the first of them is sent.
   */
  addSegments(conn: Connection, segments: readonly AddedSegment[]): void {
    for (const dir of [0, 1] as const) {
      const mine = segments.filter((s) => s.dir === dir && s.payload.length > 0);
      if (mine.length === 0) continue;
      const d = conn.dirs[dir];
      const startUs = mine[0].timeUs;
      let at = 0;
      for (const i of d.frames) {
        if (this.timeOf(i) >= startUs) continue;
        const info = this.infos[i]!;
        const end = d.rel(info.seq) + info.payloadLen;
        if (end > at) at = end;
      }
      const chunk = d.addChunk(
        at,
        startUs,
        mine.map((s) => s.timeUs),
        mine.map((s) => s.payload.length),
      );
      for (const s of mine) conn.chunkOf.set(s, chunk);
    }
    conn.added.push(...segments);
  }

  /**
   * Every frame after the edits, in no particular order: frames of edited connections rewritten,
   * added segments built on their connection's template, other frames as they were (at their new
   * time when moved).
   */
  emit(): HeldFrame[] {
    const out: HeldFrame[] = [];
    const edited = new Set<Connection>();
    for (const conn of this.connections.values()) {
      const d = conn.dirs;
      const touched = conn.added.length > 0 || d[0].patches.size > 0 || d[1].patches.size > 0 || d[0].growthUpTo(Infinity) > 0 || d[1].growthUpTo(Infinity) > 0;
      if (touched) edited.add(conn);
    }
    this.frames.forEach((f, i) => {
      const seg = this.segmentOf[i];
      if (this.dropped.has(i) || (seg !== null && edited.has(seg.conn))) return;
      const t = this.timeOf(i);
      const full = this.replaced.get(i);
      if (full !== undefined) out.push({ timeUs: t, subUsNs: t === f.timeUs ? f.subUsNs : 0, ...cutFrame(full, this.snap) });
      else out.push(t === f.timeUs ? f : { ...f, timeUs: t, subUsNs: 0 });
    });
    for (const conn of edited) out.push(...this.emitConnection(conn));
    out.push(...this.addedFrames);
    return out;
  }

  private emitConnection(conn: Connection): HeldFrame[] {
    interface Item {
      readonly t: number;
      readonly frame: number;
      readonly added: AddedSegment | null;
      readonly order: number;
    }
    const items: Item[] = conn.frames.map((i, order) => ({ t: this.timeOf(i), frame: i, added: null, order }));
    conn.added.forEach((s, k) => items.push({ t: s.timeUs, frame: -1, added: s, order: conn.frames.length + k }));
    items.sort((a, b) => a.t - b.t || a.order - b.order);
    // Where each direction's next new byte goes (for added segments), and each added chunk's next byte.
    const sndNxt: [number, number] = [conn.dirs[0].isn, conn.dirs[1].isn];
    const chunkNext = new Map<Chunk, number>();
    const out: HeldFrame[] = [];
    for (const item of items) {
      if (item.added === null) {
        const i = item.frame;
        const info = this.infos[i]!;
        const dir = this.segmentOf[i]!.dir;
        const mine = conn.dirs[dir];
        const other = conn.dirs[1 - dir];
        const x = mine.rel(info.seq);
        const seq = (info.seq + mine.seqShift(x, item.t)) % TWO_32;
        const ack = (info.flags & TCP_ACK) !== 0 && other.frames.length > 0 ? (info.ack + other.ackShift(other.rel(info.ack), item.t)) % TWO_32 : info.ack;
        const payload = this.payloadOf(i, info, mine, x);
        const f = this.frames[i];
        const full = rewriteFrame(f.data, info, { payload, seq, ack });
        if ((info.flags & TCP_ACK) !== 0 && other.frames.length > 0) shiftSackEdges(full, info, (edge) => (edge + other.ackShift(other.rel(edge), item.t)) % TWO_32);
        out.push({ timeUs: item.t, subUsNs: item.t === f.timeUs ? f.subUsNs : 0, ...cutFrame(full, this.snap) });
        const len = payload.length + ((info.flags & (TCP_SYN | TCP_FIN)) !== 0 ? 1 : 0);
        sndNxt[dir] = laterSeq(sndNxt[dir], (seq + len) % TWO_32);
      } else {
        const s = item.added;
        const dir = s.dir;
        const mine = conn.dirs[dir];
        const tpl = conn.template[dir] >= 0 ? conn.template[dir] : conn.template[1 - dir];
        const tplInfo = this.infos[tpl]!;
        let seq = sndNxt[dir];
        const chunk = conn.chunkOf.get(s);
        if (chunk !== undefined) {
          seq = chunkNext.get(chunk) ?? mine.chunkBase(chunk);
          chunkNext.set(chunk, (seq + s.payload.length) % TWO_32);
        }
        const ack = sndNxt[1 - dir];
        const full = this.buildAdded(tpl, tplInfo, conn.template[dir] >= 0, s.payload, seq, ack, s.flags);
        out.push({ timeUs: s.timeUs, subUsNs: 0, ...cutFrame(full, this.snap) });
        if (s.payload.length > 0) sndNxt[dir] = laterSeq(sndNxt[dir], (seq + s.payload.length) % TWO_32);
      }
    }
    return out;
  }

  /** The payload of an original segment: its bytes with the header patches, and the padding inside or at its end. */
  private payloadOf(i: number, info: FrameInfo, d: Direction, x: number): Uint8Array {
    const orig = wholePayload(this.frames[i].data, info);
    const growth = info.payloadLen > 0 ? d.growthBetween(x, x + info.payloadLen) : [];
    const patches = d.patches.size > 0 ? d.patchesIn(x, x + info.payloadLen) : [];
    if (growth.length === 0 && patches.length === 0) return orig;
    const out = withInserted(orig, x, growth);
    // Patches are at original offsets; padding before them in this segment shifts where they land.
    for (const { at: off, value } of patches) {
      let shift = 0;
      for (const g of growth) if (g.at <= off) shift += g.bytes.length;
      out[off - x + shift] = value;
    }
    return out;
  }

  /** A segment on the connection of template frame `tpl`, the way `sameDir` says it goes. */
  private buildAdded(tpl: number, info: FrameInfo, sameDir: boolean, payload: Uint8Array, seq: number, ack: number, flags: number): Uint8Array {
    // A SYN's options (MSS, window scale) belong to SYNs only: an added segment copied from one has none.
    const syn = (info.flags & TCP_SYN) !== 0;
    const shape = syn ? { ...info, l4Header: TCP_HEADER_BYTES, payload: info.l4 + TCP_HEADER_BYTES } : info;
    const header = this.frames[tpl].data.slice(0, shape.payload);
    if (syn) header[info.l4 + 12] = (TCP_HEADER_BYTES / 4) << 4;
    if (!sameDir) swapEnds(header, info);
    return rewriteFrame(header, shape, { payload, seq, ack, flags });
  }
}

/** The index of the first value above `x` in ascending `sorted`, looking from index `from` on (its length when none is). */
export function firstAbove(sorted: readonly number[], x: number, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Swaps a frame's MACs, IP addresses and ports in place (the template of the other direction). */
function swapEnds(data: Uint8Array, info: FrameInfo): void {
  const swap = (a: number, b: number, n: number): void => {
    for (let k = 0; k < n; k++) {
      const t = data[a + k];
      data[a + k] = data[b + k];
      data[b + k] = t;
    }
  };
  swap(0, 6, 6);
  if (info.ipv6) swap(info.ip + 8, info.ip + 24, 16);
  else swap(info.ip + 12, info.ip + 16, 4);
  swap(info.l4, info.l4 + 2, 2);
}

/** The later of two sequence numbers (modulo 2^32, within half the space of each other). */
function laterSeq(a: number, b: number): number {
  const d = (b - a + TWO_32) % TWO_32;
  return d > 0 && d < TWO_32 / 2 ? b : a;
}

/** A TLS application-data record of `length` bytes in all (header and body), its body from `fill`. */
export function tlsRecordBytes(length: number, fill: (out: Uint8Array) => void): Uint8Array {
  const out = new Uint8Array(length);
  fill(out);
  out[0] = TLS_APPLICATION_DATA;
  out[1] = 3;
  out[2] = 3;
  out[3] = ((length - TLS_HEADER_BYTES) >> 8) & 0xff;
  out[4] = (length - TLS_HEADER_BYTES) & 0xff;
  return out;
}

export const TLS_RECORD_HEADER_BYTES = TLS_HEADER_BYTES;
