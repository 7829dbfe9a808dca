/**
 * What the pcap and pcapng push parsers share: the interface a reader drives (`push(chunk)` as
 * bytes arrive, `end()` at the end of input), the facts they gather, and the chunk bookkeeping.
 *
 * Records are parsed in place inside each chunk; only a record that straddles two chunks is copied,
 * into a carry buffer that never holds more than one record or block. That buffer is the parser's
 * only memory that grows with input, and it is bounded by the largest block accepted
 * ({@link MAX_BLOCK_BYTES} by default): a longer block is damage, never an allocation.
 *
 * ```ts
 * const parser = new PcapParser((rec) => count++, { file: 'a.pcap' });
 * for (const chunk of chunks) parser.push(chunk);
 * parser.end(); // throws DecodeError only when the file header itself is cut short
 * ```
 */
import type { CaptureRecord } from './record.js';
import type { TsResolution } from './timestamp.js';

/** Largest pcapng block, or pcap record, a parser accepts: 64 MiB. */
export const MAX_BLOCK_BYTES = 64 * 1024 * 1024;
/** Most damage reports kept as examples (all damage is counted). */
export const MAX_DAMAGE_EXAMPLES = 100;
const INITIAL_CARRY_BYTES = 64 * 1024;
/** A carry buffer grown past this is dropped once empty. */
const KEEP_CARRY_BYTES = 1024 * 1024;

export type RecordCallback = (rec: CaptureRecord) => void;
export type ByteOrder = 'le' | 'be';

export interface ParserOptions {
  /** File name put in DecodeError messages. */
  file?: string;
  /** Largest pcapng block / pcap record accepted, in bytes (default 64 MiB). */
  maxBlockBytes?: number;
}

/** One capture interface: the pcap file header, or a pcapng IDB. */
export interface CaptureInterface {
  /** Index across the whole file, as in `CaptureRecord.iface`. */
  index: number;
  /** 0-based section the interface belongs to (always 0 for pcap). */
  section: number;
  /** Interface id inside its section (what EPBs refer to). */
  id: number;
  linkType: number;
  /** Largest captured length; 0 means no limit. */
  snaplen: number;
  tsresol: TsResolution;
  /** if_tsoffset: seconds added to every timestamp. */
  tsOffsetSec: number;
  /** if_name, if_description, if_fcslen, if present. */
  name: string | null;
  description: string | null;
  fcsLength: number | null;
  /** Records delivered for this interface. */
  packets: number;
}

/** A pcapng section (one SHB) or, for pcap, the file header. */
export interface CaptureSection {
  index: number;
  fileOffset: number;
  byteOrder: ByteOrder;
  /** Format version from the header (pcap 2.4, pcapng 1.0). */
  version: string;
  /** shb_hardware, shb_os, shb_userappl, opt_comment when present. */
  hardware: string | null;
  os: string | null;
  userAppl: string | null;
  comment: string | null;
}

/** Bytes a parser stepped over because they could not be framed or made no sense. */
export interface DamageReport {
  /** File offset where the damage starts. */
  offset: number;
  /** Bytes skipped. */
  bytes: number;
  /** Why, e.g. `record length 4294967295 above limit 1048576`. */
  reason: string;
  /** Records delivered before this damage. */
  recordsBefore: number;
}

/** The file ends inside a record: `missing` more bytes would have completed what was started at `offset`. */
export interface Truncation {
  offset: number;
  /** Bytes missing to finish the record, or, when even its header is cut, to finish the header. */
  missing: number;
}

/** What a reader drives. */
export interface CaptureParser {
  readonly format: 'pcap' | 'pcapng';
  push(chunk: Uint8Array): void;
  /** Ends the input: delivers nothing more, fills `truncated`; throws DecodeError for a cut file header. */
  end(): void;
  readonly records: number;
  readonly bytesIn: number;
  readonly sections: readonly CaptureSection[];
  readonly interfaces: readonly CaptureInterface[];
  /** Blocks skipped by type (pcapng: NRB, ISB, DSB, custom, unknown). */
  readonly skippedBlocks: ReadonlyMap<number, number>;
  readonly damagedRecords: number;
  readonly damagedBytes: number;
  readonly damage: readonly DamageReport[];
  readonly truncated: Truncation | null;
  /** Bytes held in the carry buffer's allocation (what stays bounded). */
  readonly bufferedBytes: number;
}

/**
 * Chunk bookkeeping for a push parser. A subclass implements {@link parse}: parse whole units (file
 * header, records, blocks, resynchronisation steps) in `buf[start, end)`, return the index of the
 * first byte not consumed, and leave in `need` how many bytes from there it needs before it can go
 * on (always more than it was left with).
 */
export abstract class ChunkedParser {
  records = 0;
  bytesIn = 0;
  damagedRecords = 0;
  damagedBytes = 0;
  readonly damage: DamageReport[] = [];
  truncated: Truncation | null = null;
  readonly skippedBlocks = new Map<number, number>();
  protected readonly file: string | undefined;
  protected readonly maxBlockBytes: number;
  /** Bytes needed from the first unconsumed byte before `parse()` can make progress. */
  protected need = 1;
  /** File offset of the first unconsumed byte. */
  protected consumed = 0;
  private carry = new Uint8Array(INITIAL_CARRY_BYTES);
  private carryLength = 0;
  private ended = false;
  private lastDamageKept = false;

  constructor(options: ParserOptions = {}) {
    this.file = options.file;
    this.maxBlockBytes = options.maxBlockBytes ?? MAX_BLOCK_BYTES;
  }

  get bufferedBytes(): number {
    return this.carry.length;
  }

  /**
   * Parses whole units in `buf[start, end)`, `fileOffset` being the file offset of `buf[start]`.
   * With `final` no more bytes will come: resolve what can be resolved.
   */
  protected abstract parse(buf: Uint8Array, start: number, end: number, fileOffset: number, final: boolean): number;

  /** Called by `end()` with the unconsumed tail (`length` bytes at file offset `offset`). */
  protected abstract finish(length: number, offset: number): void;

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('push() after end()');
    const length = chunk.length;
    this.bytesIn += length;
    let pos = 0;
    while (this.carryLength > 0) {
      const take = Math.min(this.need - this.carryLength, length - pos);
      this.appendCarry(chunk, pos, take);
      pos += take;
      if (this.carryLength < this.need) return;
      this.parseCarry(false);
      if (this.carryLength >= this.need) throw new Error(`${this.constructor.name} made no progress at ${this.consumed}`);
    }
    if (pos < length) {
      const used = this.parse(chunk, pos, length, this.consumed, false);
      this.consumed += used - pos;
      if (used < length) {
        if (length - used >= this.need) throw new Error(`${this.constructor.name} made no progress at ${this.consumed}`);
        this.appendCarry(chunk, used, length - used);
      }
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.carryLength > 0) this.parseCarry(true);
    this.finish(this.carryLength, this.consumed);
    this.carryLength = 0;
    this.carry = new Uint8Array(0);
  }

  /** Counts `bytes` damaged bytes starting at `offset`, keeping the first reports as examples. */
  protected reportDamage(offset: number, bytes: number, reason: string, record: boolean): void {
    if (record) this.damagedRecords++;
    this.damagedBytes += bytes;
    this.lastDamageKept = this.damage.length < MAX_DAMAGE_EXAMPLES;
    if (this.lastDamageKept) this.damage.push({ offset, bytes, reason, recordsBefore: this.records });
  }

  /** Adds bytes to the last damage report (a scan that went on over several chunks). */
  protected extendDamage(bytes: number): void {
    this.damagedBytes += bytes;
    const last = this.damage.at(-1);
    if (last && this.lastDamageKept) last.bytes += bytes;
  }

  protected countSkipped(type: number): void {
    this.skippedBlocks.set(type, (this.skippedBlocks.get(type) ?? 0) + 1);
  }

  private parseCarry(final: boolean): void {
    const used = this.parse(this.carry, 0, this.carryLength, this.consumed, final);
    this.consumed += used;
    const rest = this.carryLength - used;
    if (rest > 0 && used > 0) this.carry.copyWithin(0, used, this.carryLength);
    this.carryLength = rest;
    if (rest === 0 && this.carry.length > KEEP_CARRY_BYTES) this.carry = new Uint8Array(INITIAL_CARRY_BYTES);
  }

  private appendCarry(src: Uint8Array, from: number, count: number): void {
    const required = this.carryLength + count;
    if (required > this.carry.length) {
      let size = this.carry.length * 2;
      while (size < required) size *= 2;
      const bigger = new Uint8Array(Math.min(size, Math.max(required, this.maxBlockBytes + 64)));
      bigger.set(this.carry.subarray(0, this.carryLength));
      this.carry = bigger;
    }
    this.carry.set(src.subarray(from, from + count), this.carryLength);
    this.carryLength = required;
  }
}
