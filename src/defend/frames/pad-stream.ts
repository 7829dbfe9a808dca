/**
 * The `pad` strategy on a written capture, a frame at a time: the same frames, byte for byte, as
 * {@link padFrames} on the held capture, in memory that does not grow with the capture's length.
 *
 * Two reads of the capture. The first decides every padding (it needs no random bytes, only sizes):
 * which TCP connections are edited, how many random numbers each direction draws (the held defence
 * draws them connection after connection, so a direction's draws start where the directions before it
 * ended: mulberry32 jumps there), the capture's snap length, its vantage. The second decides again
 * and writes. Per connection and direction it keeps only what padding needs: the walk over its TLS
 * records (the record headers, bytes held only past a gap), the padding points near where the stream
 * is (each regenerated from its place in the random sequence), and the records still open; frames
 * go out through a queue in time order, a segment holding a record's header waiting until the record
 * is closed (its length follows the padding of its later segments).
 *
 * The held defence reads the whole capture before it pads: a segment's padding may depend on bytes
 * sent after it (a retransmission that fills a gap, an acknowledgement of bytes seen later). The
 * first read checks that this capture asks for none of that (time-ordered, each stream's segments
 * decided when they are sent, no padding behind an edge already written); when it does, it says why
 * and {@link padCaptureStreamed} returns null, and the capture is defended held.
 */
import { readCapture, type CaptureSummary } from '../../capture/reader.js';
import { PcapWriter } from '../../capture/pcap-writer.js';
import { PcapngWriter } from '../../capture/pcapng-writer.js';
import { TSRESOL_NANOSECONDS } from '../../capture/timestamp.js';
import { BadInputError } from '../../core/bad-input-error.js';
import { u16be } from '../../core/bytes.js';
import { LINKTYPE_ETHERNET, linkTypeName } from '../../core/link-type.js';
import { Random } from '../../core/random.js';
import { paddedLength } from '../strategies/pad.js';
import { capturedPayload, cutFrame, finishFrame, parseFrame, PROTO_TCP, PROTO_UDP, rewriteFrame, sackEdges, shiftSackEdges, synMss, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type FrameInfo } from './frame-bytes.js';
import type { FrameVantage, StreamedCapture } from './frame-defence.js';
import { connectionKey, firstAbove, TLS_MAX_RECORD_BODY, TLS_RECORD_HEADER_BYTES, wholePayload, withInserted } from './tcp-edits.js';

export const DEFAULT_MSS = 1448;
export const MAX_UDP_PAYLOAD_V4 = 1472;
export const MAX_UDP_PAYLOAD_V6 = 1452;
export const TLS_APPLICATION_DATA = 23;

const TWO_32 = 2 ** 32;
/** A longer length field is not TLS (as tcp-edits.ts). */
const TLS_MAX_LENGTH_FIELD = 2 ** 14 + 2048;
/**
 * Records and padding points further than this behind a direction's furthest byte are forgotten: a
 * retransmission or acknowledgement reaching back past them makes the capture one to defend held.
 * Padding the month of the family home peaked at 510 MB keeping 4 MiB of every stream, and every
 * connection's to the end; at 207 MB keeping 64 KiB and nothing of quiet connections (GNU time).
 */
const KEEP_BEHIND_BYTES = 64 << 10;
/**
 * Every this many frames, the connections quiet for {@link IDLE_US} forget all but their last record:
 * a month of the family home has 386 TCP connections, most of them over long before it ends.
 */
const IDLE_CHECK_FRAMES = 65_536;
const IDLE_US = 600e6;
/** Share of IP frames with a home address on either end past which a capture is a LAN one (as defend-capture.ts). */
const LAN_LOCAL_SHARE = 0.5;

/** Why a capture cannot be padded a frame at a time with the held defence's result. */
class NotStreamable extends Error {}

interface Rec {
  readonly start: number;
  readonly type: number;
  readonly bodyLength: number;
  growth: number;
}

/** What the first read learns of a direction, for the second. */
interface DirPlan {
  isn: number;
  maxPayload: number;
  synSeen: boolean;
  /** Random numbers (next() calls) drawn by the directions before this one. */
  randomBase: number;
}

class Dir {
  isn = 0;
  synSeen = false;
  seen = false;
  maxPayload = 0;
  /** The largest payload of the whole direction, when a read before this one found it. */
  knownMaxPayload: number | null = null;
  /** The smallest stand-in for the MSS a padding used (the largest payload so far, or 1448). */
  maxUsed = Infinity;
  /** The MSS the peer's first frame advertises (null: none); undefined until the peer has a frame. */
  mss: number | null | undefined = undefined;
  // The walk over the TLS records of the stream as first sent, from offset 0 up to the first gap.
  covered = 0;
  private gapPieces: { x: number; bytes: Uint8Array }[] = [];
  /** Where the next record header starts. */
  next = 0;
  private readonly header = new Uint8Array(TLS_RECORD_HEADER_BYTES);
  private headerLength = 0;
  broken = false;
  recordCount = 0;
  records: Rec[] = [];
  private recordsFrom = 0;
  /** Records ending at or before this offset were forgotten. */
  private forgottenRecordsTo = -Infinity;
  // Padding points: offset, bytes, the first random number they draw (counted within this direction).
  private at: number[] = [];
  private bytes: number[] = [];
  private draws: number[] = [];
  private cumulative: number[] = [];
  private pointsFrom = 0;
  private forgottenTo = -Infinity;
  private forgottenBytes = 0;
  randomCalls = 0;
  /** The furthest offset a frame of this direction reached (start, or end of its payload). */
  reach = -Infinity;
  /** The furthest offset of this direction the other one acknowledged (SACK edges too). */
  ackReach = -Infinity;
  /** The latest acknowledgement sent before this direction had a frame (its offsets unknown then). */
  earlyAck: number | null = null;
  /** Frames of the second read waiting for a record header of this direction to be walked. */
  readonly awaiting: Pending[] = [];
  /** The random sequence where this direction's draws begin (second read only). */
  random: Random | null = null;
  /** True once a FIN or RST was seen: no more padding may come (it would be behind what was sent). */
  finished = false;

  rel(seq: number): number {
    const d = (seq - this.isn + TWO_32) % TWO_32;
    return d >= TWO_32 / 2 ? d - TWO_32 : d;
  }

  /** Feeds a segment's captured bytes at offset x to the walk. */
  feed(x: number, piece: Uint8Array): void {
    if (this.broken || piece.length === 0) return;
    if (x > this.covered) {
      this.gapPieces.push({ x, bytes: piece.slice() });
      this.gapPieces.sort((a, b) => a.x - b.x);
      return;
    }
    this.extend(x, piece);
    while (this.gapPieces.length > 0 && this.gapPieces[0].x <= this.covered) {
      const p = this.gapPieces.shift()!;
      this.extend(p.x, p.bytes);
    }
  }

  private extend(x: number, piece: Uint8Array): void {
    const end = x + piece.length;
    if (end <= this.covered) return;
    const from = this.covered;
    this.covered = end;
    // Header bytes in [from, end).
    while (!this.broken) {
      const want = this.next + this.headerLength;
      if (want >= end) break;
      let o = Math.max(want, from);
      while (this.headerLength < TLS_RECORD_HEADER_BYTES && o < end) this.header[this.headerLength++] = piece[o++ - x];
      if (this.headerLength < TLS_RECORD_HEADER_BYTES) break;
      const h = this.header;
      const length = u16be(h, 3);
      if (h[0] < 20 || h[0] > 23 || h[1] !== 3 || h[2] > 4 || length > TLS_MAX_LENGTH_FIELD) {
        this.broken = true;
        break;
      }
      const r: Rec = { start: this.next, type: h[0], bodyLength: length, growth: 0 };
      this.records.push(r);
      this.recordCount++;
      for (const p of this.awaiting) if (r.start + 3 < p.end && r.start + 5 > p.x) p.records.push(r);
      this.next += TLS_RECORD_HEADER_BYTES + length;
      this.headerLength = 0;
    }
    this.settleAwaiting();
  }

  /** Frames whose every record header has been walked (or never will be) wait no more for the walk. */
  settleAwaiting(final = false): void {
    if (this.awaiting.length === 0) return;
    for (let k = this.awaiting.length - 1; k >= 0; k--) {
      const p = this.awaiting[k];
      if (final || this.broken || this.next >= p.end) {
        p.walking = false;
        this.awaiting.splice(k, 1);
      }
    }
  }

  /** The record holding offset y, or null when the final walk will have none there; throws when not known yet. */
  recordAt(y: number): Rec | null {
    if (y >= this.next) {
      if (this.broken || y < this.next + TLS_RECORD_HEADER_BYTES) return null;
      throw new NotStreamable('a segment beyond a gap in its stream');
    }
    if (y < this.forgottenRecordsTo) throw new NotStreamable('a segment far behind its stream');
    const rs = this.records;
    let lo = this.recordsFrom;
    let hi = rs.length - 1;
    if (hi < lo || y < rs[lo].start) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (rs[mid].start <= y) lo = mid;
      else hi = mid - 1;
    }
    const r = rs[lo];
    return y < r.start + TLS_RECORD_HEADER_BYTES + r.bodyLength ? r : null;
  }

  private check(x: number): void {
    if (x < this.forgottenTo) throw new NotStreamable('an edge far behind its stream');
  }

  hasGrowth(g: number): boolean {
    if (g <= this.forgottenTo) throw new NotStreamable('a segment far behind its stream');
    const i = firstAbove(this.at, g - 1, this.pointsFrom);
    return i < this.at.length && this.at[i] === g;
  }

  addGrowth(g: number, k: number): void {
    if (g <= this.reach || g <= this.ackReach || this.finished) throw new NotStreamable('padding behind an edge already sent');
    this.at.push(g);
    this.bytes.push(k);
    this.draws.push(this.randomCalls);
    this.cumulative.push((this.cumulative.length > this.pointsFrom ? this.cumulative[this.cumulative.length - 1] : this.forgottenBytes) + k);
    this.randomCalls += Math.ceil(k / 4);
  }

  get grown(): boolean {
    return this.at.length > 0 || this.forgottenBytes > 0;
  }

  /** Padding bytes at offsets ≤ x. */
  growthUpTo(x: number): number {
    if (x === Infinity) return this.cumulative.length > this.pointsFrom ? this.cumulative[this.cumulative.length - 1] : this.forgottenBytes;
    this.check(x);
    const i = firstAbove(this.at, x, this.pointsFrom);
    return i === this.pointsFrom ? this.forgottenBytes : this.cumulative[i - 1];
  }

  /** The padding points in (from, to]: offset, bytes, first draw. */
  growthBetween(from: number, to: number): { at: number; k: number; draw: number }[] {
    this.check(from);
    const out = [];
    for (let i = firstAbove(this.at, from, this.pointsFrom); i < this.at.length && this.at[i] <= to; i++) out.push({ at: this.at[i], k: this.bytes[i], draw: this.draws[i] });
    return out;
  }

  /** The random bytes of a padding point (its draws, from this direction's place in the sequence). */
  fill(k: number, draw: number): Uint8Array {
    return this.random!.fork(draw).bytes(k);
  }

  /** Forgets records and padding points far behind both edges (`behind` bytes; all behind them once the connection is idle). */
  forget(behind = KEEP_BEHIND_BYTES): void {
    const edge = Math.min(this.reach, this.ackReach === -Infinity ? this.reach : this.ackReach) - behind;
    let r = this.recordsFrom;
    while (r < this.records.length - 1 && this.records[r].start + TLS_RECORD_HEADER_BYTES + this.records[r].bodyLength <= edge) r++;
    if (r > this.recordsFrom) {
      const last = this.records[r - 1];
      this.forgottenRecordsTo = last.start + TLS_RECORD_HEADER_BYTES + last.bodyLength;
      this.recordsFrom = r;
      if (r > 256 && r * 2 > this.records.length) {
        this.records = this.records.slice(r);
        this.recordsFrom = 0;
      }
    }
    let p = this.pointsFrom;
    while (p < this.at.length && this.at[p] < edge) p++;
    if (p > this.pointsFrom) {
      this.forgottenTo = this.at[p - 1];
      this.forgottenBytes = this.cumulative[p - 1];
      this.pointsFrom = p;
      if (p > 256 && p * 2 > this.at.length) {
        this.at = this.at.slice(p);
        this.bytes = this.bytes.slice(p);
        this.draws = this.draws.slice(p);
        this.cumulative = this.cumulative.slice(p);
        this.pointsFrom = 0;
      }
    }
  }
}

class Conn {
  readonly dirs: [Dir, Dir] = [new Dir(), new Dir()];
  lastUs = -Infinity;
  constructor(readonly index: number) {}
}

/** A frame of the second read on its way out. */
interface Pending {
  readonly timeUs: number;
  readonly subUsNs: number;
  /** 0: written as read (or a padded datagram); 1 + n: of the n-th edited connection (the held defence writes those after, at one instant). */
  readonly group: number;
  readonly index: number;
  data: Uint8Array;
  origLen: number;
  // A segment of an edited connection carrying record headers: the frame before its header patches.
  full: Uint8Array | null;
  info: FrameInfo | null;
  dir: Dir | null;
  x: number;
  end: number;
  records: Rec[];
  walking: boolean;
  /** The padding points inside the segment (all decided when it is read). */
  growth: { at: number; k: number }[];
}

export interface PaddedCapture extends StreamedCapture {
  /** TCP stream directions left unpadded (not TLS, or begun before the capture). */
  readonly unpadded: number;
  /** Random numbers drawn in all. */
  readonly randomCalls: number;
}

interface Plan {
  /** False for a second first read (the largest payloads known): decide, write nothing. */
  readonly write: boolean;
  readonly touched: Set<string>;
  readonly dirs: Map<string, [DirPlan, DirPlan]>;
  readonly snap: number | null;
  readonly summary: CaptureSummary;
}

/**
 * One read of the capture deciding every padding; with `plan` (the first read's), also writing the
 * padded frames to `out`.
 */
class PadRun {
  readonly conns = new Map<string, Conn>();
  unsorted = false;
  snap: number | null = null;
  ip = 0;
  local = 0;
  frames = 0;
  bytes = 0;
  firstUs = NaN;
  lastUs = NaN;
  writtenFrames = 0;
  writtenBytes = 0;
  private lastTime = -Infinity;
  private readonly queue: Pending[] = [];
  private head = 0;
  private done = false;
  private writer: PcapWriter | PcapngWriter | null = null;

  constructor(
    readonly mode: string,
    readonly bucket: number,
    readonly random: Random,
    readonly plan: Plan | null,
  ) {}

  open(out: string, description: string): void {
    const s = this.plan!.summary;
    this.writer =
      s.format === 'pcap'
        ? new PcapWriter({ to: out, linkType: LINKTYPE_ETHERNET, precision: s.pcap?.precision ?? 'ns' })
        : new PcapngWriter({ to: out, interfaces: [{ linkType: LINKTYPE_ETHERNET, tsresol: TSRESOL_NANOSECONDS, name: 'defended', description }] });
  }

  close(): void {
    this.writer?.close();
  }

  private conn(key: string): Conn {
    let c = this.conns.get(key);
    if (c === undefined) {
      c = new Conn(this.conns.size);
      this.conns.set(key, c);
      const planned = this.plan?.dirs.get(key);
      if (planned !== undefined) {
        for (const k of [0, 1] as const) {
          const d = c.dirs[k];
          d.isn = planned[k].isn;
          d.synSeen = planned[k].synSeen;
          d.knownMaxPayload = planned[k].maxPayload;
          if (this.plan!.write) d.random = this.random.fork(planned[k].randomBase);
        }
      }
    }
    return c;
  }

  frame(timeUs: number, subUsNs: number, data: Uint8Array, origLen: number): void {
    const index = this.frames++;
    this.bytes += origLen;
    if (timeUs < this.lastTime) {
      this.unsorted = true;
      throw new NotStreamable('frames out of time order');
    }
    if (index === 0) this.firstUs = timeUs;
    this.lastUs = timeUs;
    this.lastTime = timeUs;
    if (index % IDLE_CHECK_FRAMES === 0) for (const c of this.conns.values()) if (c.lastUs < timeUs - IDLE_US) for (const d of c.dirs) d.forget(0);
    if (data.length < origLen && (this.snap === null || data.length > this.snap)) this.snap = data.length;
    const info = parseFrame(data, origLen);
    if (info !== null) {
      this.ip++;
      if (info.srcLocal || info.dstLocal) this.local++;
    }
    let pending: Pending | null = null;
    if (info !== null && info.proto === PROTO_TCP) pending = this.tcp(timeUs, subUsNs, data, origLen, info, index);
    else if (info !== null && info.proto === PROTO_UDP && info.payloadLen > 0) {
      const max = info.ipv6 ? MAX_UDP_PAYLOAD_V6 : MAX_UDP_PAYLOAD_V4;
      const to = paddedLength(info.payloadLen, max, this.mode, this.bucket);
      if (to !== info.payloadLen && this.writer !== null) {
        const payload = new Uint8Array(to);
        payload.set(capturedPayload(data, info));
        const cut = cutFrame(rewriteFrame(data, info, { payload }), this.plan!.snap);
        pending = this.pending(timeUs, subUsNs, 0, index, cut.data, cut.origLen);
      }
    }
    if (this.writer === null) return;
    this.queue.push(pending ?? this.pending(timeUs, subUsNs, 0, index, data.slice(), origLen));
    this.flush();
  }

  private pending(timeUs: number, subUsNs: number, group: number, index: number, data: Uint8Array, origLen: number): Pending {
    return { timeUs, subUsNs, group, index, data, origLen, full: null, info: null, dir: null, x: 0, end: 0, records: [], walking: false, growth: [] };
  }

  private tcp(timeUs: number, subUsNs: number, data: Uint8Array, origLen: number, info: FrameInfo, index: number): Pending | null {
    const { key, dir } = connectionKey(info);
    const conn = this.conn(key);
    const d = conn.dirs[dir];
    const o = conn.dirs[1 - dir];
    conn.lastUs = timeUs;
    const syn = (info.flags & TCP_SYN) !== 0;
    if (!d.seen) {
      d.seen = true;
      if (this.plan === null || !this.plan.write) {
        d.isn = syn ? (info.seq + 1) % TWO_32 : info.seq;
        d.synSeen = syn;
      }
      // The peer pads up to the MSS this direction's first frame advertises.
      o.mss = syn ? synMss(data, info.l4, info.l4Header) : null;
      if (d.earlyAck !== null) d.ackReach = Math.max(d.ackReach, d.rel(d.earlyAck));
    }
    if (info.payloadLen > d.maxPayload) d.maxPayload = info.payloadLen;
    // What this frame acknowledges of the other direction: no padding may come at or before it later.
    const acks = (info.flags & TCP_ACK) !== 0;
    if (acks) {
      const edges = [info.ack, ...sackEdges(data, info)];
      if (o.seen || this.plan?.write) {
        for (const e of edges) o.ackReach = Math.max(o.ackReach, o.rel(e));
      } else {
        for (const e of edges) o.earlyAck = o.earlyAck === null ? e : laterSeq(o.earlyAck, e);
      }
    }
    const x = d.rel(info.seq);
    const len = info.payloadLen;
    if (len > 0) {
      d.feed(x, capturedPayload(data, info));
      if (d.synSeen && x >= 0) this.decide(d, x, len);
    }
    d.reach = Math.max(d.reach, x + len);
    if ((info.flags & (TCP_FIN | TCP_RST)) !== 0) d.finished = true;
    d.forget();
    if (this.plan === null || !this.plan.write || !this.plan.touched.has(key)) return null;
    // An edited connection: every frame rewritten.
    const seq = (info.seq + d.growthUpTo(x)) % TWO_32;
    const otherHas = this.plan.dirs.get(key)![1 - dir].isn !== -1;
    const ack = acks && otherHas ? (info.ack + o.growthUpTo(o.rel(info.ack))) % TWO_32 : info.ack;
    const payload = this.payloadOf(data, info, d, x);
    const full = rewriteFrame(data, info, { payload, seq, ack });
    if (acks && otherHas) shiftSackEdges(full, info, (edge) => (edge + o.growthUpTo(o.rel(edge))) % TWO_32);
    const p = this.pending(timeUs, subUsNs, 1 + conn.index, index, full, full.length);
    if (len > 0) {
      p.full = full;
      p.info = info;
      p.dir = d;
      p.x = x;
      p.end = x + len;
      p.growth = d.growthBetween(x, x + len);
      for (let k = d.records.length - 1; k >= 0; k--) {
        const r = d.records[k];
        if (r.start + 5 <= x) break;
        if (r.start + 3 < p.end) p.records.push(r);
      }
      if (!d.broken && d.next < p.end) {
        p.walking = true;
        d.awaiting.push(p);
      }
    }
    return p;
  }

  private decide(d: Dir, x: number, len: number): void {
    const end = x + len;
    if (d.hasGrowth(end)) return;
    const r = d.recordAt(end - 1);
    if (r === null || r.type !== TLS_APPLICATION_DATA || end - 1 < r.start + TLS_RECORD_HEADER_BYTES) return;
    const room = TLS_MAX_RECORD_BODY - (r.bodyLength + r.growth);
    let max: number;
    if (d.mss === undefined) throw new NotStreamable('data before the peer sent a frame');
    if (d.mss !== null) max = d.mss;
    else {
      // The held defence pads up to the largest segment of the whole direction: the largest so far
      // on a first read (which says so when a larger one came after), the whole direction's after.
      max = Math.max(DEFAULT_MSS, d.knownMaxPayload ?? d.maxPayload);
      d.maxUsed = Math.min(d.maxUsed, max);
    }
    const k = Math.min(paddedLength(len, Math.max(max, len), this.mode, this.bucket) - len, room);
    if (k <= 0) return;
    d.addGrowth(end, k);
    r.growth += k;
  }

  private payloadOf(data: Uint8Array, info: FrameInfo, d: Dir, x: number): Uint8Array {
    const orig = wholePayload(data, info);
    const growth = info.payloadLen > 0 ? d.growthBetween(x, x + info.payloadLen) : [];
    if (growth.length === 0) return orig;
    return withInserted(orig, x, growth.map((g) => ({ at: g.at, bytes: d.fill(g.k, g.draw) })));
  }

  private ready(p: Pending): boolean {
    if (p.full === null) return true;
    if (this.done) return true;
    if (p.walking) return false;
    const d = p.dir!;
    if (d.finished) return true;
    for (const r of p.records) if (d.reach < r.start + TLS_RECORD_HEADER_BYTES + r.bodyLength) return false;
    return true;
  }

  /** A segment's record header lengths, now that their records are closed. */
  private finish(p: Pending): void {
    if (p.full === null) return;
    const full = p.full;
    const info = p.info!;
    let patched = false;
    for (const r of p.records) {
      if (r.growth === 0) continue;
      const length = r.bodyLength + r.growth;
      for (const [off, value] of [
        [r.start + 3, (length >> 8) & 0xff],
        [r.start + 4, length & 0xff],
      ] as const) {
        if (off < p.x || off >= p.end) continue;
        // Padding before the patch in this segment moves where it lands.
        let shift = 0;
        for (const g of p.growth) if (g.at <= off) shift += g.k;
        full[info.payload + off - p.x + shift] = value;
        patched = true;
      }
    }
    if (patched) finishFrame(full, info.ip, info.ipv6, info.proto, info.l4);
    const cut = cutFrame(full, this.plan!.snap);
    p.data = cut.data;
    p.origLen = cut.origLen;
  }

  /** Writes the frames at the head of the queue whose instant is complete and which are all ready. */
  flush(): void {
    const q = this.queue;
    while (this.head < q.length) {
      const first = q[this.head];
      let end = this.head + 1;
      while (end < q.length && q[end].timeUs === first.timeUs && q[end].subUsNs === first.subUsNs) end++;
      if (end === q.length && !this.done) return;
      for (let k = this.head; k < end; k++) if (!this.ready(q[k])) return;
      const run = q.slice(this.head, end);
      if (run.length > 1) run.sort((a, b) => a.group - b.group || a.index - b.index);
      for (const p of run) {
        this.finish(p);
        const tsSec = Math.floor(p.timeUs / 1e6);
        this.writer!.writePacket({ tsSec, tsNsec: (p.timeUs - tsSec * 1e6) * 1000 + p.subUsNs, data: p.data, origLen: p.origLen });
        this.writtenFrames++;
        this.writtenBytes += p.origLen;
      }
      this.head = end;
      if (this.head > 4096 && this.head * 2 > q.length) {
        q.splice(0, this.head);
        this.head = 0;
      }
    }
  }

  end(): void {
    this.done = true;
    for (const c of this.conns.values()) for (const d of c.dirs) d.settleAwaiting(true);
    if (this.writer !== null) this.flush();
  }
}

/** The later of two sequence numbers (as tcp-edits.ts). */
function laterSeq(a: number, b: number): number {
  const d = (b - a + TWO_32) % TWO_32;
  return d > 0 && d < TWO_32 / 2 ? b : a;
}

function subUs(tsNsec: number): number {
  return tsNsec % 1000;
}

/** What a first read decided, for the next read. */
function planOf(first: PadRun, summary: CaptureSummary, write: boolean): Plan & { unpadded: number; randomCalls: number } {
  let unpadded = 0;
  let calls = 0;
  const touched = new Set<string>();
  const dirs = new Map<string, [DirPlan, DirPlan]>();
  for (const [key, c] of first.conns) {
    const planned = c.dirs.map((d) => {
      if (d.maxPayload > 0 && (!d.synSeen || d.recordCount === 0)) unpadded++;
      const p: DirPlan = { isn: d.seen ? d.isn : -1, maxPayload: d.maxPayload, synSeen: d.synSeen, randomBase: calls };
      calls += d.randomCalls;
      return p;
    }) as [DirPlan, DirPlan];
    dirs.set(key, planned);
    if (c.dirs[0].grown || c.dirs[1].grown) touched.add(key);
  }
  return { write, touched, dirs, snap: first.snap, summary, unpadded, randomCalls: calls };
}

async function read(path: string, run: PadRun): Promise<CaptureSummary> {
  return readCapture(path, (rec) => {
    run.frame(rec.tsSec * 1e6 + Math.floor(rec.tsNsec / 1000), subUs(rec.tsNsec), rec.buf.subarray(rec.offset, rec.offset + rec.capLen), rec.origLen);
  });
}

/**
 * Pads `input` into `out` a frame at a time, as padFrames(mode, bucket) on the held capture with
 * `random` would (and advances `random` as it would); null, having written nothing, when the capture
 * needs the held defence (see the top of this file), with the reason in `why`.
 */
export async function padCaptureStreamed(input: string, out: string, options: { mode: string; bucket: number; random: Random; task: string; description: string; why?: (reason: string) => void }): Promise<PaddedCapture | null> {
  const { mode, bucket, random } = options;
  let first = new PadRun(mode, bucket, random, null);
  let summary: CaptureSummary;
  try {
    summary = await read(input, first);
    if (summary.linkTypes.length !== 1 || summary.linkTypes[0] !== LINKTYPE_ETHERNET) {
      const found = summary.linkTypes.length === 0 ? 'no frames' : summary.linkTypes.map((t) => `${linkTypeName(t)} (${t})`).join(', ');
      throw new BadInputError(`${input}: ${options.task} rewrites Ethernet frames (a LAN or WAN capture); this capture has ${found}`, { file: input });
    }
    first.end();
    // A stream whose MSS the capture did not show is padded up to its largest segment: when one
    // larger than those before came after a padding that depended on it, decide again knowing them all.
    let again = false;
    for (const c of first.conns.values()) for (const d of c.dirs) if (d.maxUsed !== Infinity && d.maxUsed !== Math.max(DEFAULT_MSS, d.maxPayload)) again = true;
    if (again) {
      const plan = planOf(first, summary, false);
      first = new PadRun(mode, bucket, random, plan);
      await read(input, first);
      first.end();
    }
  } catch (e) {
    if (!(e instanceof NotStreamable)) throw e;
    options.why?.(e.message);
    return null;
  }
  const plan = planOf(first, summary, true);
  const second = new PadRun(mode, bucket, random, plan);
  second.open(out, options.description);
  try {
    await read(input, second);
    second.end();
  } catch (e) {
    if (!(e instanceof NotStreamable)) throw e;
    throw new RangeError(`pad: the second read of ${input} met what the first did not (${e.message})`);
  } finally {
    second.close();
  }
  random.skip(plan.randomCalls);
  const vantage: FrameVantage = first.ip === 0 || first.local / first.ip >= LAN_LOCAL_SHARE ? 'lan' : 'wan';
  return {
    summary,
    vantage,
    read: { frames: first.frames, bytes: first.bytes, firstUs: first.firstUs, lastUs: first.lastUs },
    written: { frames: second.writtenFrames, bytes: second.writtenBytes },
    unpadded: plan.unpadded,
    randomCalls: plan.randomCalls,
  };
}
