/**
 * Layer values with everyday defaults, for the packet builder, tests and the simulator: give the
 * fields that matter, the rest is a plain, valid header (TTL 64, no options, flags from `flags`).
 * Length, protocol and checksum fields are left for {@link buildPacket} to fill.
 *
 * ```ts
 * const syn = buildPacket([
 *   makeIpv4({ src: parseIpv4('192.168.1.10'), dst: parseIpv4('93.184.216.34') }),
 *   makeTcp({ srcPort: 40000, dstPort: 443, flags: TCP_SYN, options: [{ kind: 'mss', mss: 1460 }] }),
 * ]);
 * ```
 */
import type { IcmpLayer } from './icmp.js';
import { icmpEmbedsDatagram } from './icmp.js';
import type { Icmpv6Layer } from './icmpv6.js';
import { icmpv6EmbedsPacket } from './icmpv6.js';
import type { Ipv4Layer } from './ipv4.js';
import type { Ipv6Extension, Ipv6Layer } from './ipv6.js';
import { IPV6_FRAGMENT, ipv6ExtensionLength } from './ipv6.js';
import type { TcpLayer } from './tcp.js';
import { TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from './tcp.js';
import type { UdpLayer } from './udp.js';

type Fields<L> = Omit<L, 'kind' | 'offset' | 'headerLength' | 'payloadLength'>;
type Init<L, Required extends keyof Fields<L>> = Pick<Fields<L>, Required> & Partial<Fields<L>>;

const DEFAULT_TTL = 64;
const NONE = new Uint8Array(0);
const PLACEMENT = { offset: 0, headerLength: 0, payloadLength: 0 } as const;

export function makeIpv4(init: Init<Ipv4Layer, 'src' | 'dst'>): Ipv4Layer {
  const options = init.options ?? NONE;
  const moreFragments = init.moreFragments ?? false;
  const fragmentOffset = init.fragmentOffset ?? 0;
  return {
    kind: 'ipv4',
    ...PLACEMENT,
    version: 4,
    ihl: 20 + Math.ceil(options.length / 4) * 4,
    dscp: 0,
    ecn: 0,
    totalLength: 0,
    identification: 0,
    reservedFlag: false,
    dontFragment: false,
    ttl: DEFAULT_TTL,
    protocol: 0,
    checksum: 0,
    ...init,
    options,
    moreFragments,
    fragmentOffset,
    isFragment: moreFragments || fragmentOffset !== 0,
  };
}

/** An extension header of `type` carrying `data` (ignored for a fragment header). */
export function makeIpv6Extension(type: number, init: Partial<Omit<Ipv6Extension, 'type'>> = {}): Ipv6Extension {
  const data = type === IPV6_FRAGMENT ? NONE : (init.data ?? NONE);
  return {
    type,
    length: ipv6ExtensionLength(type, data.length),
    nextHeader: 0,
    routingType: 0,
    segmentsLeft: 0,
    fragmentOffset: 0,
    moreFragments: false,
    identification: 0,
    ...init,
    data,
  };
}

export function makeIpv6(init: Init<Ipv6Layer, 'src' | 'dst'>): Ipv6Layer {
  const extensions = init.extensions ?? [];
  const fragment = extensions.find((e) => e.type === IPV6_FRAGMENT);
  const fragmentOffset = fragment?.fragmentOffset ?? 0;
  const moreFragments = fragment?.moreFragments ?? false;
  return {
    kind: 'ipv6',
    ...PLACEMENT,
    version: 6,
    trafficClass: 0,
    flowLabel: 0,
    payloadLengthField: 0,
    nextHeader: extensions.length > 0 ? extensions[0].type : 0,
    hopLimit: DEFAULT_TTL,
    protocol: 0,
    ...init,
    extensions,
    fragmentOffset,
    moreFragments,
    identification: fragment?.identification ?? 0,
    isFragment: moreFragments || fragmentOffset !== 0,
  };
}

export function makeUdp(init: Init<UdpLayer, 'srcPort' | 'dstPort'>): UdpLayer {
  return { kind: 'udp', ...PLACEMENT, length: 0, checksum: 0, ...init };
}

/** A TCP header; the flag booleans are derived from `flags` (default ACK). */
export function makeTcp(
  init: Init<Omit<TcpLayer, 'fin' | 'syn' | 'rst' | 'psh' | 'ack' | 'urg' | 'ece' | 'cwr'>, 'srcPort' | 'dstPort'>,
): TcpLayer {
  const flags = init.flags ?? TCP_ACK;
  return {
    kind: 'tcp',
    ...PLACEMENT,
    seq: 0,
    ackNumber: 0,
    dataOffset: 20,
    window: 65535,
    checksum: 0,
    urgentPointer: 0,
    options: [],
    ...init,
    flags,
    fin: (flags & TCP_FIN) !== 0,
    syn: (flags & TCP_SYN) !== 0,
    rst: (flags & TCP_RST) !== 0,
    psh: (flags & TCP_PSH) !== 0,
    ack: (flags & TCP_ACK) !== 0,
    urg: (flags & TCP_URG) !== 0,
    ece: (flags & TCP_ECE) !== 0,
    cwr: (flags & TCP_CWR) !== 0,
  };
}

/** An ICMP header; `identifier` and `sequence` make up `restOfHeader` unless it is given. */
export function makeIcmp(init: Init<Omit<IcmpLayer, 'embedded'>, 'type'>): IcmpLayer {
  const identifier = init.identifier ?? 0;
  const sequence = init.sequence ?? 0;
  const restOfHeader = init.restOfHeader ?? ((identifier << 16) | sequence) >>> 0;
  return {
    kind: 'icmp',
    ...PLACEMENT,
    code: 0,
    checksum: 0,
    ...init,
    restOfHeader,
    identifier: restOfHeader >>> 16,
    sequence: restOfHeader & 0xffff,
    embedded: icmpEmbedsDatagram(init.type),
  };
}

/**
 * An ICMPv6 header; `identifier` and `sequence` make up `restOfHeader` unless it is given. The
 * neighbour-discovery views default to null: they describe the body, which is the builder's payload.
 */
export function makeIcmpv6(init: Init<Omit<Icmpv6Layer, 'embedded'>, 'type'>): Icmpv6Layer {
  const identifier = init.identifier ?? 0;
  const sequence = init.sequence ?? 0;
  const restOfHeader = init.restOfHeader ?? ((identifier << 16) | sequence) >>> 0;
  return {
    kind: 'icmpv6',
    ...PLACEMENT,
    code: 0,
    checksum: 0,
    targetAddress: null,
    sourceLinkLayer: null,
    targetLinkLayer: null,
    ...init,
    restOfHeader,
    identifier: restOfHeader >>> 16,
    sequence: restOfHeader & 0xffff,
    embedded: icmpv6EmbedsPacket(init.type),
  };
}
