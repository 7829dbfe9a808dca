/**
 * Bounded reassembly of fragmented IPv4 and IPv6 datagrams, so that what a fragmented datagram carries
 * (a large DNS answer over UDP, most often) is decoded as tshark decodes it: on the frame whose
 * fragment completes the datagram.
 *
 * Where fragments overlap, the bytes are taken as tshark 4.0 takes them (reassemble.c): fragments in
 * offset order (at one offset, the first to arrive first), each only past the bytes already taken.
 *
 * Memory stays bounded: at most {@link IpReassemblyOptions.maxDatagrams} datagrams are pending (the
 * oldest is dropped first); each is at most 65 535 bytes long and holds at most twice that in
 * fragments (a fragment whose bytes could never be taken, such as a duplicate, is not kept).
 */
const MAX_DATAGRAM_BYTES = 65_535;
/** Fragment bytes one pending datagram may hold (overlaps included) before it is dropped. */
const MAX_HELD_BYTES = 2 * MAX_DATAGRAM_BYTES;

export interface IpReassemblyOptions {
  /** Most datagrams pending at once (default 256). */
  maxDatagrams?: number;
}

interface Pending {
  /** Fragment byte ranges received, as [start, end) pairs, with their bytes. */
  parts: { start: number; bytes: Uint8Array }[];
  /** Total payload length, known once the last fragment (no more-fragments flag) arrives. */
  total: number;
  /** Bytes of the parts. */
  held: number;
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
  private heldBytes = 0;

  constructor(options: IpReassemblyOptions = {}) {
    this.maxDatagrams = options.maxDatagrams ?? 256;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Fragment bytes held by all pending datagrams. */
  get pendingBytes(): number {
    return this.heldBytes;
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
    const length = end - start;
    const fragmentEnd = fragmentOffset + length;
    let p = this.pending.get(id);
    if (fragmentEnd > MAX_DATAGRAM_BYTES) {
      if (p !== undefined) this.forget(id, p);
      return null;
    }
    if (p === undefined) {
      if (this.pending.size >= this.maxDatagrams) {
        const oldest = this.pending.keys().next().value as string;
        this.forget(oldest, this.pending.get(oldest)!);
      }
      p = { parts: [], total: -1, held: 0 };
      this.pending.set(id, p);
    }
    if (!moreFragments) p.total = fragmentEnd;
    // A fragment inside one taken before it (lower offset, or the same offset and here first) adds
    // nothing; one it holds that would be taken after it never adds anything either.
    if (!p.parts.some((part) => part.start <= fragmentOffset && part.start + part.bytes.length >= fragmentEnd)) {
      let dropped = 0;
      p.parts = p.parts.filter((part) => {
        const inside = part.start > fragmentOffset && part.start + part.bytes.length <= fragmentEnd;
        if (inside) dropped += part.bytes.length;
        return !inside;
      });
      this.hold(p, -dropped);
      if (p.held + length > MAX_HELD_BYTES) {
        this.forget(id, p);
        return null;
      }
      p.parts.push({ start: fragmentOffset, bytes: bytes.slice(start, end) });
      this.hold(p, length);
    }
    if (p.total < 0) return null;
    // Complete when the parts, sorted by start (a stable sort: arrival order at one offset), cover
    // [0, total) with no hole; a stray fragment past the end does not matter.
    p.parts.sort((a, b) => a.start - b.start);
    let covered = 0;
    for (const part of p.parts) {
      if (covered >= p.total || part.start > covered) break;
      covered = Math.max(covered, part.start + part.bytes.length);
    }
    if (covered < p.total) return null;
    const out = new Uint8Array(p.total);
    let taken = 0;
    for (const part of p.parts) {
      if (taken >= p.total) break;
      const partEnd = Math.min(part.start + part.bytes.length, p.total);
      if (partEnd > taken) {
        out.set(part.bytes.subarray(taken - part.start, partEnd - part.start), taken);
        taken = partEnd;
      }
    }
    this.forget(id, p);
    return out;
  }

  private hold(p: Pending, bytes: number): void {
    p.held += bytes;
    this.heldBytes += bytes;
  }

  private forget(id: string, p: Pending): void {
    this.heldBytes -= p.held;
    this.pending.delete(id);
  }
}
