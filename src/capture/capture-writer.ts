/**
 * The one interface both capture writers implement, so the simulator and the defences can write
 * either format:
 *
 * ```ts
 * const w: CaptureWriter = new PcapWriter({ to: 'out.pcap', linkType: LINKTYPE_ETHERNET });
 * w.writePacket({ tsSec: 1_700_000_000, tsNsec: 123_456_789, data: frame });
 * w.close();
 * ```
 *
 * A packet longer than the interface's snap length is cut to it (`origLen` keeps the full length).
 * Without a target, the bytes stay in memory and `toBytes()` returns them.
 */
import type { CaptureRecord } from './record.js';

export interface PacketToWrite {
  /** Whole seconds since the epoch. */
  tsSec: number;
  /** Nanoseconds within the second (truncated to the file's resolution). */
  tsNsec: number;
  /** The packet bytes, starting with the link-layer header. */
  data: Uint8Array;
  /** Length on the wire; defaults to `data.length`, never less than what is written. */
  origLen?: number;
  /** pcapng: interface id in the current section (default 0); pcap: must be 0 or absent. */
  iface?: number;
}

export interface CaptureWriter {
  readonly format: 'pcap' | 'pcapng';
  writePacket(packet: PacketToWrite): void;
  /** Writes a record as read (its bytes, times, lengths, and its `iface` for pcapng) without copying it first. */
  writeRecord(rec: CaptureRecord): void;
  /** Flushes and closes the file; the writer takes no more packets. */
  close(): void;
  /** The file's bytes (in-memory writers only). */
  toBytes(): Uint8Array;
  readonly packetsWritten: number;
  readonly bytesWritten: number;
}

/** Checks a timestamp a writer is given; throws RangeError for one no capture can hold. */
export function checkTime(tsSec: number, tsNsec: number): void {
  if (!Number.isInteger(tsSec) || !Number.isInteger(tsNsec) || tsNsec < 0 || tsNsec > 999_999_999) {
    throw new RangeError(`Bad packet time ${tsSec} s ${tsNsec} ns: need integers, 0 <= ns < 1e9`);
  }
}

/** The captured length for `length` bytes under `snaplen` (0: no limit), and checks `origLen`. */
export function capturedLength(length: number, snaplen: number, origLen: number): number {
  const capLen = snaplen !== 0 && length > snaplen ? snaplen : length;
  if (!Number.isInteger(origLen) || origLen < capLen || origLen > 0xffff_ffff) {
    throw new RangeError(`Bad original length ${origLen} for ${capLen} captured bytes`);
  }
  return capLen;
}
