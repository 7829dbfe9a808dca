/**
 * Bounded reassembly of fragmented IPv4 and IPv6 datagrams, so that what a fragmented datagram carries
 * (a large DNS answer over UDP, most often) is decoded as tshark decodes it: on the frame whose
 * fragment completes the datagram.
 *
 * Memory stays bounded: at most {@link IpReassemblyOptions.maxDatagrams} datagrams are pending (the
 * oldest is dropped first) and each holds at most 65 535 bytes of payload.
 */
const MAX_DATAGRAM_BYTES = 65_535;

export interface IpReassemblyOptions {
  /** Most datagrams pending at once (default 256). */
  maxDatagrams?: number;
}

interface Pending {
  /** Fragment byte ranges received, as [start, end) pairs, with their bytes. */
  parts: { start: number; bytes: Uint8Array }[];
  /** Total payload length, known once the last fragment (no more-fragments flag) arrives. */
  total: number;
}

export interface FragmentKey {
  readonly version: 4 | 6;
  readonly src: number | string;
  readonly dst: number | string;
  readonly protocol: number;
  readonly identification: number;
}

export class IpReassembly {
  private readonly pending = new Map<string, Pending>();
  private readonly maxDatagrams: number;

  constructor(options: IpReassemblyOptions = {}) {
    this.maxDatagrams = options.maxDatagrams ?? 256;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Adds one fragment's payload `bytes[start, end)` at byte `fragmentOffset` of the datagram's payload.
   * Returns the whole payload when this fragment completes the datagram, otherwise null.
   */
  add(
    key: FragmentKey,
    fragmentOffset: number,
    moreFragments: boolean,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): Uint8Array | null {
    const id = `${key.version}|${key.src}|${key.dst}|${key.protocol}|${key.identification}`;
    let p = this.pending.get(id);
    if (p === undefined) {
      if (this.pending.size >= this.maxDatagrams) {
        const oldest = this.pending.keys().next().value as string;
        this.pending.delete(oldest);
      }
      p = { parts: [], total: -1 };
      this.pending.set(id, p);
    }
    const length = end - start;
    if (fragmentOffset + length > MAX_DATAGRAM_BYTES) {
      this.pending.delete(id);
      return null;
    }
    p.parts.push({ start: fragmentOffset, bytes: bytes.slice(start, end) });
    if (!moreFragments) p.total = fragmentOffset + length;
    if (p.total < 0) return null;
    // Complete when the parts, sorted by start, cover [0, total) with no hole.
    p.parts.sort((a, b) => a.start - b.start);
    let covered = 0;
    for (const part of p.parts) {
      if (part.start > covered) return null;
      covered = Math.max(covered, part.start + part.bytes.length);
    }
    if (covered < p.total) return null;
    const out = new Uint8Array(p.total);
    for (const part of p.parts) out.set(part.bytes.subarray(0, Math.max(0, Math.min(part.bytes.length, p.total - part.start))), part.start);
    this.pending.delete(id);
    return out;
  }
}
