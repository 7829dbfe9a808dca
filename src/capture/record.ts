/**
 * The record a capture reader hands to its consumer. For speed there is ONE mutable record per reader,
 * refilled for every packet: it is valid only during the callback. Keep what you need (copy the bytes
 * with {@link recordBytes}, the fields by value) before returning.
 *
 * ```ts
 * await readCapture('home.pcap', (rec) => {
 *   const first = rec.buf[rec.offset];           // packet bytes are buf[offset .. offset + capLen)
 *   const keep = recordBytes(rec);               // a copy that outlives the callback
 *   const ns = recordTimeNs(rec);                // 1698413468559085894n
 * });
 * ```
 *
 * Timestamps are kept to the nanosecond: a pcapng interface with a finer resolution (`if_tsresol`
 * 10^-12, 2^-40, ...) is truncated to whole nanoseconds, as Wireshark does.
 */
export interface CaptureRecord {
  /**
   * 1-based record number across the whole file (all sections): tshark's `frame.number`. pcapng
   * custom and systemd-journal blocks, which tshark shows as frames of their own, take a number too.
   */
  frame: number;
  /** Whole seconds since the epoch (if_tsoffset applied). */
  tsSec: number;
  /** Nanoseconds within the second, 0..999_999_999. */
  tsNsec: number;
  /** LINKTYPE_* of the interface the packet was captured on. */
  linkType: number;
  /** Interface index: pcapng interfaces numbered across the whole file in IDB order; 0 for pcap. */
  iface: number;
  /** The buffer holding the packet bytes: the reader's chunk, NOT only the packet. */
  buf: Uint8Array;
  /** Index in `buf` of the first packet byte. */
  offset: number;
  /** Captured bytes (in `buf`): tshark's `frame.cap_len`. */
  capLen: number;
  /** Length on the wire: tshark's `frame.len`. */
  origLen: number;
  /** Byte offset of the record header (pcap) or block (pcapng) in the file (after gunzip). */
  fileOffset: number;
}

const EMPTY = new Uint8Array(0);

/** A fresh record with every field set, so that all records share one hidden class. */
export function createRecord(): CaptureRecord {
  return {
    frame: 0,
    tsSec: 0,
    tsNsec: 0,
    linkType: 0,
    iface: 0,
    buf: EMPTY,
    offset: 0,
    capLen: 0,
    origLen: 0,
    fileOffset: 0,
  };
}

/** A copy of the packet bytes (a plain Uint8Array) that stays valid after the callback returns. */
export function recordBytes(rec: CaptureRecord): Uint8Array {
  // Not buf.slice(): on a Node Buffer that is a view, not a copy.
  const out = new Uint8Array(rec.capLen);
  out.set(rec.buf.subarray(rec.offset, rec.offset + rec.capLen));
  return out;
}

/** A view (no copy) of the packet bytes; valid only during the callback, like the record. */
export function recordView(rec: CaptureRecord): Uint8Array {
  return rec.buf.subarray(rec.offset, rec.offset + rec.capLen);
}

const NS_PER_SECOND = 1_000_000_000n;

/** The timestamp as nanoseconds since the epoch. */
export function recordTimeNs(rec: CaptureRecord): bigint {
  return BigInt(rec.tsSec) * NS_PER_SECOND + BigInt(rec.tsNsec);
}

/** The timestamp as (fractional) seconds since the epoch; loses the last digits past ~0.2 µs. */
export function recordTimeSeconds(rec: CaptureRecord): number {
  return rec.tsSec + rec.tsNsec / 1e9;
}

/**
 * The timestamp as tshark prints `frame.time_epoch`: `1698413468.559085894` (9 decimals). Like
 * tshark 4.0, a negative time prints its seconds and then the (positive) nanoseconds: -9 s + 0.25 s
 * prints `-9.250000000`.
 */
export function formatTimeEpoch(tsSec: number, tsNsec: number): string {
  // Consecutive packets mostly share their second: keep its text (measured: ~3% of `packets`).
  if (tsSec !== lastSec) {
    lastSec = tsSec;
    lastSecText = `${tsSec}.`;
  }
  return lastSecText + String(NS_PER_SECOND_NUMBER + tsNsec).slice(1);
}

const NS_PER_SECOND_NUMBER = 1_000_000_000;
let lastSec = NaN;
let lastSecText = '';
