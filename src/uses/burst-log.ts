/**
 * One device's closed bursts, kept until they are judged: each burst is judged against the device's
 * baseline, and the baseline is learnt from all the bursts of its block of time, the later ones too
 * (baseline.ts: the periods of its keep-alives, the medians of its setups; device-judge.ts: the
 * blocks), so no burst can be judged and let go before its block ends. They are kept small:
 *
 * - a quiet burst (no application data, no connection setup) is judged by the kinds of packets it
 *   held alone and changes nothing else (classify.ts): it is counted, by its roles, and not kept;
 * - every other burst is packed into bytes: its times as variable-length whole numbers (7 bits a
 *   byte; its start as the gap from the previous burst's start), and its other fields (packets,
 *   bytes, roles, shape) as an index into the log's table of distinct ones, as a device's routine
 *   messages repeat them burst after burst. Past {@link MAX_TUPLES} distinct ones, a burst of a new
 *   one has its fields written out.
 *
 * Measured on 30 days of the family home simulated (2.0 M packets): 716 k bursts, 346 k of them
 * quiet; the 370 k others take 9.2 bytes each with the tables (24 bytes with every field written
 * out; a {@link BurstSummary} object takes about 150), and `peephole attack` peaked at 153-156 MB
 * (137-147 MB on 10 days) instead of 313-358 MB (196-217 MB) when every burst was an object.
 *
 * ```ts
 * const log = new BurstLog();
 * const grouper = new BurstGrouper(DEFAULT_BURST_GAP_US, (b) => log.add(b));
 * // ... grouper.add(...) per packet, then:
 * grouper.finish();
 * for (const b of log) console.log(b.startUs, b.dataBytesUp); // the kept bursts, in order
 * ```
 */
import { emptyBurst, hasRole, mix32, type BurstSummary } from './burst.js';
import { PACKET_ROLE_NAMES, PacketRole } from './packet-role.js';

const INITIAL_BYTES = 256;
const PACKET_ROLES = PACKET_ROLE_NAMES.length;
/** A whole number below 2^53 takes at most 8 bytes of 7 bits. */
const MAX_NUMBER_BYTES = 8;
/** Fields of a burst besides its times (the same from burst to burst for a device's routine messages). */
const TUPLE_FIELDS = 10;
/** Numbers written for a burst at most: three for its times, one for its tuple, the tuple itself. */
const MAX_BURST_BYTES = (4 + TUPLE_FIELDS) * MAX_NUMBER_BYTES;
/** Most distinct tuples a log keeps in its table; a burst of another tuple has it written out. */
export const MAX_TUPLES = 4096;
const INITIAL_TUPLES = 16;
const LOW_7_BITS = 0x7f;
const MORE = 0x80;
const BASE = 0x80;
const NONE = -1;
/** Slots of the cache of tuples by hash (a power of two), and the bits of a hash kept. */
const TUPLE_SLOTS = 256;
const HASH_MASK = 0x3fff_ffff;
/** An odd multiplier with its bits spread (2^32 / golden ratio). */
const HASH_MULTIPLIER = 0x9e37_79b1;

/** True when the burst is kept by a {@link BurstLog}: it holds application data or sets a connection up. */
export function isKeptBurst(b: BurstSummary): boolean {
  return b.dataPackets > 0 || hasRole(b, PacketRole.Setup);
}

/** The fields of a burst's tuple, in the order the table holds them. */
function tupleField(b: BurstSummary, i: number): number {
  switch (i) {
    case 0:
      return b.packets;
    case 1:
      return b.bytes;
    case 2:
      return b.packetsUp;
    case 3:
      return b.bytesUp;
    case 4:
      return b.dataPackets;
    case 5:
      return b.dataPacketsUp;
    case 6:
      return b.dataBytesUp;
    case 7:
      return b.dataBytesDown;
    case 8:
      return b.roles;
    default:
      return b.shape;
  }
}

export class BurstLog implements Iterable<BurstSummary> {
  /** Bursts added, quiet ones included. */
  count = 0;
  /** Bursts packed (those {@link isKeptBurst} keeps). */
  kept = 0;
  /** Quiet bursts by their roles (the {@link BurstSummary.roles} bits, one per {@link PacketRole}). */
  private readonly quiet = new Float64Array(1 << PACKET_ROLES);
  private bytes = new Uint8Array(INITIAL_BYTES);
  private end = 0;
  private lastStartUs = 0;
  /** Distinct tuples, {@link TUPLE_FIELDS} numbers each; by hash, the first with it and the next with the same. */
  private tuples = new Float64Array(INITIAL_TUPLES * TUPLE_FIELDS);
  private tupleCount = 0;
  private readonly tupleByHash = new Map<number, number>();
  private nextWithHash = new Int32Array(INITIAL_TUPLES);
  private readonly slotTuple = new Int32Array(TUPLE_SLOTS).fill(NONE);

  /** Quiet bursts, by their roles (the {@link BurstSummary.roles} bits) → how many. */
  get quietByRoles(): Map<number, number> {
    const out = new Map<number, number>();
    for (let roles = 0; roles < this.quiet.length; roles++) if (this.quiet[roles] > 0) out.set(roles, this.quiet[roles]);
    return out;
  }

  /** Bytes the packed bursts and their table of tuples take. */
  get byteLength(): number {
    return this.end + this.tupleCount * TUPLE_FIELDS * Float64Array.BYTES_PER_ELEMENT;
  }

  /** Adds a closed burst (copied: the object may be reused). Bursts come in the order they began. */
  add(b: BurstSummary): void {
    this.count++;
    if (!isKeptBurst(b)) {
      if (!(b.roles >= 0 && b.roles < this.quiet.length)) throw new RangeError(`A burst's roles are bits of the ${PACKET_ROLES} packet roles, not ${b.roles}`);
      this.quiet[b.roles]++;
      return;
    }
    this.kept++;
    if (this.end + MAX_BURST_BYTES > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.end + MAX_BURST_BYTES));
      grown.set(this.bytes.subarray(0, this.end));
      this.bytes = grown;
    }
    this.signed(b.startUs - this.lastStartUs);
    this.lastStartUs = b.startUs;
    this.unsigned(b.endUs - b.startUs);
    this.unsigned(b.firstDataUs === -1 ? 0 : zigzag(b.firstDataUs - b.startUs) + 1);
    const tuple = this.tuple(b);
    this.unsigned(tuple + 1);
    if (tuple === NONE) for (let i = 0; i < TUPLE_FIELDS; i++) this.unsigned(tupleField(b, i));
  }

  /** The kept bursts in the order added, through one object refilled for each: keep what it holds, not it. */
  [Symbol.iterator](): Iterator<BurstSummary> {
    return new BurstLogReader([this]);
  }

  /** The kept bursts of several logs, one after the other, as {@link BurstLog}'s iterator gives each log's. */
  static readAll(logs: readonly BurstLog[]): Iterator<BurstSummary> {
    return new BurstLogReader(logs);
  }

  /** What a reader reads: the packed bytes, where they end, and the table of tuples. */
  packed(): { bytes: Uint8Array; end: number; tuples: Float64Array } {
    return { bytes: this.bytes, end: this.end, tuples: this.tuples };
  }

  /** The index of the burst's tuple in the table (added when new and there is room), or {@link NONE}. */
  private tuple(b: BurstSummary): number {
    // Hashed by the fields' low 32 bits (the shape is a hash already), kept to 30 bits (a small
    // integer as a map key); a match is checked field by field. A slot by the hash's low bits holds
    // the last tuple of that hash: a routine burst's tuple is found there without the map. With the
    // slots and the fields read one by one, the collector took 67 ns a packet instead of 72 (600 k
    // packets of the family home, best of 12 runs).
    let h = b.shape | 0;
    h = Math.imul(h ^ (b.packets | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.bytes | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.packetsUp | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.bytesUp | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.dataPackets | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.dataPacketsUp | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.dataBytesUp | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.dataBytesDown | 0), HASH_MULTIPLIER);
    h = Math.imul(h ^ (b.roles | 0), HASH_MULTIPLIER);
    const key = mix32(h) & HASH_MASK;
    const slot = key & (TUPLE_SLOTS - 1);
    const cached = this.slotTuple[slot];
    if (cached !== NONE && this.sameTuple(cached, b)) return cached;
    return this.tupleByKey(b, key, slot);
  }

  /**
   * {@link tuple} past its cache: the tuple by the map of hashes, or added. Apart from the cache, as
   * code that runs for few bursts: V8 compiled `tuple` with it all inlined in 31-49 ms (node
   * --trace-opt, `peephole attack` on the family home's month), on a core the capture's reading shares.
   */
  private tupleByKey(b: BurstSummary, key: number, slot: number): number {
    const first = this.tupleByHash.get(key);
    for (let id = first ?? NONE; id !== NONE; id = this.nextWithHash[id]) {
      if (this.sameTuple(id, b)) {
        this.slotTuple[slot] = id;
        return id;
      }
    }
    if (this.tupleCount >= MAX_TUPLES) return NONE;
    const id = this.tupleCount++;
    if (id * TUPLE_FIELDS >= this.tuples.length) {
      const grown = new Float64Array(this.tuples.length * 2);
      grown.set(this.tuples);
      this.tuples = grown;
      const chain = new Int32Array(this.nextWithHash.length * 2);
      chain.set(this.nextWithHash);
      this.nextWithHash = chain;
    }
    for (let i = 0; i < TUPLE_FIELDS; i++) {
      const v = tupleField(b, i);
      this.check(v);
      this.tuples[id * TUPLE_FIELDS + i] = v;
    }
    this.nextWithHash[id] = first ?? NONE;
    this.tupleByHash.set(key, id);
    this.slotTuple[slot] = id;
    return id;
  }

  private sameTuple(id: number, b: BurstSummary): boolean {
    const t = this.tuples;
    const at = id * TUPLE_FIELDS;
    return (
      t[at] === b.packets &&
      t[at + 1] === b.bytes &&
      t[at + 2] === b.packetsUp &&
      t[at + 3] === b.bytesUp &&
      t[at + 4] === b.dataPackets &&
      t[at + 5] === b.dataPacketsUp &&
      t[at + 6] === b.dataBytesUp &&
      t[at + 7] === b.dataBytesDown &&
      t[at + 8] === b.roles &&
      t[at + 9] === b.shape
    );
  }

  private signed(v: number): void {
    this.unsigned(zigzag(v));
  }

  private check(v: number): void {
    if (!(Number.isSafeInteger(v) && v >= 0)) throw new RangeError(`A burst log holds whole numbers from 0 to 2^53 - 1, not ${v}`);
  }

  private unsigned(v: number): void {
    this.check(v);
    const b = this.bytes;
    let e = this.end;
    while (v > LOW_7_BITS) {
      // `v & 0x7f` is exact above 2^32 too: the int32 conversion keeps v mod 2^32.
      b[e++] = (v & LOW_7_BITS) | MORE;
      v = Math.floor(v / BASE);
    }
    b[e++] = v;
    this.end = e;
  }
}

/**
 * Reads the kept bursts of several logs one after the other, as {@link BurstLog.readAll} does, but
 * only their times and their tuple's index in their log's table (device-judge.ts judges a burst of
 * a tuple once it has judged one: the verdict of a burst is a function of its tuple where the device
 * has no rough heartbeat, baseline.ts); {@link fill} gives every field of the burst read.
 *
 * ```ts
 * const c = new BurstCursor(logs);
 * while (c.next()) if (c.tuple < 0) c.fill(b); // c.log, c.startUs, c.endUs, c.firstDataUs
 * ```
 */
export class BurstCursor {
  /** The log of the burst read (its index in `logs`), -1 before the first. */
  log = -1;
  startUs = 0;
  endUs = 0;
  /** The first application-data packet, -1 when the burst has none. */
  firstDataUs = -1;
  /** Its tuple's index in its log's table, or -1 when its fields were written out (see {@link fill}). */
  tuple = NONE;
  private bytes: Uint8Array = EMPTY_BYTES;
  private end = 0;
  private tuples: Float64Array = EMPTY_TUPLES;
  private at = 0;
  private lastStartUs = 0;
  /** The fields of a burst written out, read as {@link next} passes them. */
  private readonly written: BurstSummary = emptyBurst(0);

  /** `from`, `to`: the logs to read (from `from` up to `to`, excluded; by default all). */
  constructor(
    private readonly logs: readonly BurstLog[],
    from = 0,
    private readonly to = logs.length,
  ) {
    this.log = from - 1;
  }

  /** Reads the next burst; false past the last. */
  next(): boolean {
    while (this.at >= this.end) {
      if (this.log + 1 >= this.to) return false;
      const packed = this.logs[++this.log].packed();
      this.bytes = packed.bytes;
      this.end = packed.end;
      this.tuples = packed.tuples;
      this.at = 0;
      this.lastStartUs = 0;
    }
    const bytes = this.bytes;
    const startUs = this.lastStartUs + unzigzag(readNumber(bytes, this.at));
    this.lastStartUs = startUs;
    this.startUs = startUs;
    this.endUs = startUs + readNumber(bytes, readEnd);
    const firstData = readNumber(bytes, readEnd);
    this.firstDataUs = firstData === 0 ? -1 : startUs + unzigzag(firstData - 1);
    const tuple = readNumber(bytes, readEnd) - 1;
    this.tuple = tuple;
    if (tuple === NONE) {
      const w = this.written;
      w.packets = readNumber(bytes, readEnd);
      w.bytes = readNumber(bytes, readEnd);
      w.packetsUp = readNumber(bytes, readEnd);
      w.bytesUp = readNumber(bytes, readEnd);
      w.dataPackets = readNumber(bytes, readEnd);
      w.dataPacketsUp = readNumber(bytes, readEnd);
      w.dataBytesUp = readNumber(bytes, readEnd);
      w.dataBytesDown = readNumber(bytes, readEnd);
      w.roles = readNumber(bytes, readEnd);
      w.shape = readNumber(bytes, readEnd);
    }
    this.at = readEnd;
    return true;
  }

  /** Every field of the burst read into `b`, as {@link BurstLog.readAll} gives it. */
  fill(b: BurstSummary): void {
    b.startUs = this.startUs;
    b.endUs = this.endUs;
    b.firstDataUs = this.firstDataUs;
    const f = this.tuple === NONE ? null : this.tuples;
    const w = this.written;
    const at = this.tuple * TUPLE_FIELDS;
    b.packets = f === null ? w.packets : f[at];
    b.bytes = f === null ? w.bytes : f[at + 1];
    b.packetsUp = f === null ? w.packetsUp : f[at + 2];
    b.bytesUp = f === null ? w.bytesUp : f[at + 3];
    b.dataPackets = f === null ? w.dataPackets : f[at + 4];
    b.dataPacketsUp = f === null ? w.dataPacketsUp : f[at + 5];
    b.dataBytesUp = f === null ? w.dataBytesUp : f[at + 6];
    b.dataBytesDown = f === null ? w.dataBytesDown : f[at + 7];
    b.roles = f === null ? w.roles : f[at + 8];
    b.shape = f === null ? w.shape : f[at + 9];
  }
}

/** Signed to unsigned, small magnitudes small: 0, -1, 1, -2 → 0, 1, 2, 3. */
function zigzag(v: number): number {
  return v >= 0 ? 2 * v : -2 * v - 1;
}

function unzigzag(u: number): number {
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_TUPLES = new Float64Array(0);

/** Where the last {@link readNumber} ended. */
let readEnd = 0;

/** The whole number that starts at `bytes[at]`; sets {@link readEnd} past it. */
function readNumber(bytes: Uint8Array, at: number): number {
  let byte = bytes[at++];
  if (byte < MORE) {
    readEnd = at;
    return byte;
  }
  let v = byte & LOW_7_BITS;
  let scale = BASE;
  do {
    byte = bytes[at++];
    v += (byte & LOW_7_BITS) * scale;
    scale *= BASE;
  } while (byte >= MORE);
  readEnd = at;
  return v;
}

/**
 * The end of a reading: one object, so that a loop over the bursts compiled while the first log was
 * read does not meet a new object (or a property read never run) at its end.
 */
const DONE: IteratorResult<BurstSummary> = { done: true, value: undefined };

/**
 * Reads logs one after the other (one log: its iterator; several: a device's slices, device-judge.ts).
 * The next log is opened by the same code that opens the first, at the first call of {@link next}: a
 * loop over several logs read through a chain of iterators, one per log, was compiled while the first
 * log was read (on-stack replacement), and thrown away at the second, where a property read had never
 * run ("insufficient type feedback"): learnBaseline and judgeBursts, on 30 days of the family home
 * (node --trace-deopt).
 */
class BurstLogReader implements Iterator<BurstSummary> {
  private log = -1;
  private bytes: Uint8Array = EMPTY_BYTES;
  private end = 0;
  private tuples: Float64Array = EMPTY_TUPLES;
  private at = 0;
  private startUs = 0;
  private readonly burst: BurstSummary = emptyBurst(0);
  private readonly result: IteratorResult<BurstSummary> = { done: false, value: this.burst };

  constructor(private readonly logs: readonly BurstLog[]) {}

  /** Opens the log after the current one; false past the last. */
  private openNext(): boolean {
    if (this.log + 1 >= this.logs.length) return false;
    const packed = this.logs[++this.log].packed();
    this.bytes = packed.bytes;
    this.end = packed.end;
    this.tuples = packed.tuples;
    this.at = 0;
    this.startUs = 0;
    return true;
  }

  next(): IteratorResult<BurstSummary> {
    while (this.at >= this.end) if (!this.openNext()) return DONE;
    const bytes = this.bytes;
    const b = this.burst;
    const startUs = this.startUs + unzigzag(readNumber(bytes, this.at));
    this.startUs = startUs;
    b.startUs = startUs;
    b.endUs = startUs + readNumber(bytes, readEnd);
    const firstData = readNumber(bytes, readEnd);
    b.firstDataUs = firstData === 0 ? -1 : startUs + unzigzag(firstData - 1);
    const tuple = readNumber(bytes, readEnd) - 1;
    if (tuple !== NONE) {
      const t = this.tuples;
      const at = tuple * TUPLE_FIELDS;
      b.packets = t[at];
      b.bytes = t[at + 1];
      b.packetsUp = t[at + 2];
      b.bytesUp = t[at + 3];
      b.dataPackets = t[at + 4];
      b.dataPacketsUp = t[at + 5];
      b.dataBytesUp = t[at + 6];
      b.dataBytesDown = t[at + 7];
      b.roles = t[at + 8];
      b.shape = t[at + 9];
    } else {
      b.packets = readNumber(bytes, readEnd);
      b.bytes = readNumber(bytes, readEnd);
      b.packetsUp = readNumber(bytes, readEnd);
      b.bytesUp = readNumber(bytes, readEnd);
      b.dataPackets = readNumber(bytes, readEnd);
      b.dataPacketsUp = readNumber(bytes, readEnd);
      b.dataBytesUp = readNumber(bytes, readEnd);
      b.dataBytesDown = readNumber(bytes, readEnd);
      b.roles = readNumber(bytes, readEnd);
      b.shape = readNumber(bytes, readEnd);
    }
    this.at = readEnd;
    return this.result;
  }
}
