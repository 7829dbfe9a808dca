/**
 * What a header cut short by the capture's snap length still tells. A decoder returns null for a
 * header it cannot read whole (and reports `<layer>_truncated`); tshark still shows the fields whose
 * bytes were captured (`ip.src` from the first 16 bytes of an IPv4 header, a UDP source port from 2
 * bytes, a DNS id from 2). {@link partialHeader} gives those fields as a `partial` layer, so that
 * `peephole packets` prints what tshark prints and nothing it cannot know.
 *
 * Only a cut is read this way: a header that is malformed (a bad version, a bad length) gives no
 * partial layer.
 */
import { formatIpv6, u16be, u32be } from '../core/bytes.js';
import type { DecodeContext } from './context.js';
import type { LayerBase } from './layer.js';

export type PartialOf = 'ipv4' | 'ipv6' | 'udp' | 'tcp' | 'dns';

export interface PartialLayer extends LayerBase {
  readonly kind: 'partial';
  /** The layer whose header the capture cut short. */
  readonly of: PartialOf;
  /** IPv4 protocol field, when captured. */
  readonly protocol: number | null;
  /** IPv4 (number) or IPv6 (text) addresses, when captured. */
  readonly src: number | string | null;
  readonly dst: number | string | null;
  /** UDP or TCP ports, when captured. */
  readonly srcPort: number | null;
  readonly dstPort: number | null;
  /** DNS id and QR bit, when captured. */
  readonly id: number | null;
  readonly isResponse: boolean | null;
}

/** Bytes a whole header needs before the decoder reads it (the fixed part). */
const WHOLE_HEADER_BYTES: Record<PartialOf, number> = { ipv4: 20, ipv6: 40, udp: 8, tcp: 20, dns: 12 };

/**
 * The fields of the `of` header at `bytes[offset, end)` that were captured, when the header is cut
 * short (fewer bytes than it needs); null when nothing of it is readable or it was not a cut.
 */
export function partialHeader(of: PartialOf, bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): PartialLayer | null {
  const n = end - offset;
  if (n <= 0) return null;
  let need = WHOLE_HEADER_BYTES[of];
  if (of === 'ipv4') {
    if (bytes[offset] >> 4 !== 4) return null;
    need = Math.max(need, (bytes[offset] & 0x0f) * 4);
  } else if (of === 'ipv6' && bytes[offset] >> 4 !== 6) {
    return null;
  } else if (of === 'tcp' && n >= 13) {
    need = Math.max(need, (bytes[offset + 12] >> 4) * 4);
  }
  if (n >= need) return null;
  const at = (fieldEnd: number): boolean => n >= fieldEnd;
  let protocol: number | null = null;
  let src: number | string | null = null;
  let dst: number | string | null = null;
  let srcPort: number | null = null;
  let dstPort: number | null = null;
  let id: number | null = null;
  let isResponse: boolean | null = null;
  switch (of) {
    case 'ipv4':
      if (at(10)) protocol = bytes[offset + 9];
      if (at(16)) src = u32be(bytes, offset + 12);
      if (at(20)) dst = u32be(bytes, offset + 16);
      break;
    case 'ipv6':
      if (at(24)) src = formatIpv6(bytes, offset + 8);
      break;
    case 'udp':
    case 'tcp':
      if (at(2)) srcPort = u16be(bytes, offset);
      if (at(4)) dstPort = u16be(bytes, offset + 2);
      break;
    case 'dns':
      if (at(2)) id = u16be(bytes, offset);
      if (at(4)) isResponse = (bytes[offset + 2] & 0x80) !== 0;
      break;
  }
  if (protocol === null && src === null && srcPort === null && id === null) return null;
  return {
    kind: 'partial',
    offset: offset - ctx.base,
    headerLength: n,
    payloadLength: 0,
    of,
    protocol,
    src,
    dst,
    srcPort,
    dstPort,
    id,
    isResponse,
  };
}
