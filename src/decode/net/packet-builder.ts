/**
 * Builds valid IP packets from layer values: every header-length, length and protocol field is made
 * to fit what follows, then every checksum is filled, innermost first (an ICMP error's checksum covers
 * the datagram it quotes). The values' own `offset`, `headerLength`, `payloadLength` and checksum
 * fields are ignored. Layers are outermost first; any mix nests (IPv4 in IPv6, an ICMP error quoting
 * an IPv4/UDP header, ...).
 *
 * ```ts
 * const bytes = buildPacket([makeIpv4({ src, dst }), makeUdp({ srcPort: 5555, dstPort: 53 })], dnsQuery);
 * ```
 */
import type { LayerCodec } from '../layer.js';
import {
  fillChecksum,
  fillIpv4HeaderChecksum,
  ipv4PseudoHeaderSum,
  ipv6PseudoHeaderSum,
  ICMP_CHECKSUM_OFFSET,
  TCP_CHECKSUM_OFFSET,
  UDP_CHECKSUM_OFFSET,
} from './checksum.js';
import { icmpCodec, type IcmpLayer } from './icmp.js';
import { icmpv6Codec, type Icmpv6Layer } from './icmpv6.js';
import { IPV4_MIN_HEADER_BYTES, ipv4Codec, type Ipv4Layer } from './ipv4.js';
import { ipv6Codec, ipv6ExtensionLength, type Ipv6Extension, type Ipv6Layer } from './ipv6.js';
import { TCP_MIN_HEADER_BYTES, tcpCodec, tcpOptionsLength, type TcpLayer } from './tcp.js';
import { UDP_HEADER_BYTES, udpCodec, type UdpLayer } from './udp.js';

/** The layers the builder knows. */
export type BuildableLayer = Ipv4Layer | Ipv6Layer | UdpLayer | TcpLayer | IcmpLayer | Icmpv6Layer;
type Kind = BuildableLayer['kind'];
type Of<K extends Kind> = Extract<BuildableLayer, { kind: K }>;

/** The IP header around a layer, for pseudo-header checksums. */
interface Enclosing {
  readonly kind: 'ipv4' | 'ipv6';
  readonly offset: number;
}

interface Builder<L extends BuildableLayer> {
  readonly codec: LayerCodec<L>;
  /** IP protocol number of this layer, when an IP header names it. */
  readonly protocol: number;
  /** `layer` with its own header length fixed. */
  fitHeader(layer: L): L;
  /** `layer` with its length fields set for `inner` bytes after its header, and its protocol for `next`. */
  fitLengths(layer: L, inner: number, next: BuildableLayer | undefined): L;
  /** Fills the layer's checksum over `out[offset..end)`, the layer and everything after it. */
  fillChecksum(out: Uint8Array, offset: number, end: number, ip: Enclosing | undefined): void;
}

const PROTOCOL_ICMP = 1;
const PROTOCOL_IPV4 = 4;
const PROTOCOL_TCP = 6;
const PROTOCOL_UDP = 17;
const PROTOCOL_IPV6 = 41;
const PROTOCOL_ICMPV6 = 58;

const roundUp4 = (n: number): number => Math.ceil(n / 4) * 4;

function pseudoSum(out: Uint8Array, ip: Enclosing | undefined, protocol: number, length: number): number {
  if (ip === undefined) return 0;
  return ip.kind === 'ipv4'
    ? ipv4PseudoHeaderSum(out, ip.offset, protocol, length)
    : ipv6PseudoHeaderSum(out, ip.offset, protocol, length);
}

function protocolOf(next: BuildableLayer | undefined, fallback: number): number {
  return next === undefined ? fallback : BUILDERS[next.kind].protocol;
}

const BUILDERS: { readonly [K in Kind]: Builder<Of<K>> } = {
  ipv4: {
    codec: ipv4Codec,
    protocol: PROTOCOL_IPV4,
    fitHeader: (l) => ({ ...l, ihl: IPV4_MIN_HEADER_BYTES + roundUp4(l.options.length) }),
    fitLengths: (l, inner, next) => ({ ...l, totalLength: l.ihl + inner, protocol: protocolOf(next, l.protocol) }),
    fillChecksum: (out, offset) => {
      fillIpv4HeaderChecksum(out, offset);
    },
  },
  ipv6: {
    codec: ipv6Codec,
    protocol: PROTOCOL_IPV6,
    fitHeader: (l) => ({
      ...l,
      extensions: l.extensions.map((e): Ipv6Extension => ({ ...e, length: ipv6ExtensionLength(e.type, e.data.length) })),
    }),
    fitLengths: (l, inner, next) => {
      const protocol = protocolOf(next, l.protocol);
      const chain = [...l.extensions.map((e) => e.type), protocol];
      const extensions = l.extensions.map((e, i): Ipv6Extension => ({ ...e, nextHeader: chain[i + 1] }));
      const extBytes = extensions.reduce((n, e) => n + e.length, 0);
      return {
        ...l,
        nextHeader: extensions.length > 0 ? extensions[0].type : protocol,
        extensions,
        protocol,
        payloadLengthField: extBytes + inner,
      };
    },
    fillChecksum: () => {},
  },
  udp: {
    codec: udpCodec,
    protocol: PROTOCOL_UDP,
    fitHeader: (l) => l,
    fitLengths: (l, inner) => ({ ...l, length: UDP_HEADER_BYTES + inner }),
    fillChecksum: (out, offset, end, ip) => {
      fillChecksum(out, offset, end, offset + UDP_CHECKSUM_OFFSET, pseudoSum(out, ip, PROTOCOL_UDP, end - offset), true);
    },
  },
  tcp: {
    codec: tcpCodec,
    protocol: PROTOCOL_TCP,
    fitHeader: (l) => ({ ...l, dataOffset: TCP_MIN_HEADER_BYTES + roundUp4(tcpOptionsLength(l.options)) }),
    fitLengths: (l) => l,
    fillChecksum: (out, offset, end, ip) => {
      fillChecksum(out, offset, end, offset + TCP_CHECKSUM_OFFSET, pseudoSum(out, ip, PROTOCOL_TCP, end - offset));
    },
  },
  icmp: {
    codec: icmpCodec,
    protocol: PROTOCOL_ICMP,
    fitHeader: (l) => l,
    fitLengths: (l) => l,
    fillChecksum: (out, offset, end) => {
      fillChecksum(out, offset, end, offset + ICMP_CHECKSUM_OFFSET);
    },
  },
  icmpv6: {
    codec: icmpv6Codec,
    protocol: PROTOCOL_ICMPV6,
    fitHeader: (l) => l,
    fitLengths: (l) => l,
    fillChecksum: (out, offset, end, ip) => {
      fillChecksum(out, offset, end, offset + ICMP_CHECKSUM_OFFSET, pseudoSum(out, ip, PROTOCOL_ICMPV6, end - offset));
    },
  },
};

function builderFor<L extends BuildableLayer>(layer: L): Builder<L> {
  return BUILDERS[layer.kind] as unknown as Builder<L>;
}

/** The layers as {@link buildPacket} writes them: lengths, protocols and offsets filled; checksums not. */
export function fitLayers(layers: readonly BuildableLayer[], payloadLength: number): BuildableLayer[] {
  const fitted = layers.map((l) => builderFor(l).fitHeader(l));
  let inner = payloadLength;
  for (let i = fitted.length - 1; i >= 0; i--) {
    const l = fitted[i];
    const b = builderFor(l);
    fitted[i] = b.fitLengths(l, inner, fitted[i + 1]);
    inner += b.codec.encodingLength(fitted[i]);
  }
  let offset = 0;
  for (let i = 0; i < fitted.length; i++) {
    const headerLength = builderFor(fitted[i]).codec.encodingLength(fitted[i]);
    inner -= headerLength;
    fitted[i] = { ...fitted[i], offset, headerLength, payloadLength: inner };
    offset += headerLength;
  }
  return fitted;
}

/** The bytes of an IP packet made of `layers` (outermost first) and `payload`, every length and checksum right. */
export function buildPacket(layers: readonly BuildableLayer[], payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const fitted = fitLayers(layers, payload.length);
  const total = fitted.reduce((n, l) => n + l.headerLength, 0) + payload.length;
  const out = new Uint8Array(total);
  for (const l of fitted) builderFor(l).codec.encode(l, out, l.offset);
  out.set(payload, total - payload.length);
  for (let i = fitted.length - 1; i >= 0; i--) {
    let ip: Enclosing | undefined;
    for (let j = i - 1; j >= 0 && ip === undefined; j--) {
      const k = fitted[j].kind;
      if (k === 'ipv4' || k === 'ipv6') ip = { kind: k, offset: fitted[j].offset };
    }
    const l = fitted[i];
    builderFor(l).fillChecksum(out, l.offset, l.offset + l.headerLength + l.payloadLength, ip);
  }
  return out;
}
