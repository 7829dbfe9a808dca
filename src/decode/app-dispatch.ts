/**
 * Hands UDP and TCP payloads to the application decoders, the part of decoding that needs state
 * across packets: one message per UDP datagram (DNS on 53, mDNS on 5353, LLMNR on 5355, DHCP on 67,
 * 68 and 4011, SSDP on 1900, NTP on 123: whatever the bindings table binds), HTTP request and response heads
 * on the TCP ports bound to HTTP (80, 8080), DNS over TCP (length-prefixed,
 * several messages per segment, messages split across segments) and TLS ClientHellos (on the ports
 * the bindings table binds to TLS; on every other port no other protocol claims, by content, as
 * tshark's heuristic does; split across segments and records).
 *
 * Memory stays bounded: the stream decoders cap their streams and bytes (see app/tcp-reassembly.ts),
 * and the set of directions with a ClientHello in progress here is capped too.
 */
import type { DecodeContext } from './context.js';
import type { Layer, LayerDecoder } from './layer.js';
import type { TcpLayer } from './net/tcp.js';
import type { UdpLayer } from './net/udp.js';
import { formatIpv4 } from '../core/bytes.js';
import { dnsCodec, llmnrCodec, mdnsCodec } from './app/dns.js';
import { dhcpCodec } from './app/dhcp.js';
import { ssdpCodec } from './app/ssdp.js';
import { ntpCodec } from './app/ntp.js';
import { HttpHeads } from './app/http.js';
import { DnsTcpStreams } from './app/dns-tcp.js';
import { TlsClientHelloStreams } from './app/tls-client-hello-streams.js';
import { clientHelloExtent, probeTlsClientHello, TLS_NEED_MORE } from './app/tls-client-hello.js';
import type { TcpReassemblyOptions } from './app/tcp-reassembly.js';
import { portsClaimedFromTls } from './tls-ports.js';
import { partialHeader } from './partial-header.js';
import { DEFAULT_BINDINGS, DNS_UDP_PORTS, type Binding, type UdpAppName } from './bindings.js';

const TLS_HANDSHAKE = 0x16;
const TLS_RECORD_HEADER_BYTES = 5;
/** Most directions with a ClientHello in progress followed at once. */
const MAX_HELLOS_IN_PROGRESS = 1024;
/** Segments a direction may carry while its hello is in progress before it is given up here. */
const MAX_SEGMENTS_PER_HELLO = 64;

type UdpDecoder = LayerDecoder<Layer>;
const as = <L extends Layer>(codec: LayerDecoder<L>): UdpDecoder => codec as unknown as UdpDecoder;

/** DNS ports whose messages are read as mDNS or LLMNR; any other port bound to DNS reads plain DNS. */
const DNS_VARIANT_BY_PORT = new Map<number, UdpDecoder>([
  [DNS_UDP_PORTS[1], as(mdnsCodec)],
  [DNS_UDP_PORTS[2], as(llmnrCodec)],
]);
const UDP_DECODERS: Readonly<Record<UdpAppName, UdpDecoder>> = { dns: as(dnsCodec), dhcp: as(dhcpCodec), ssdp: as(ssdpCodec), ntp: as(ntpCodec) };

function isUdpApp(name: string): name is UdpAppName {
  return Object.hasOwn(UDP_DECODERS, name);
}

/**
 * Port → decoder for the UDP port rows of `bindings` that name a UDP application decoder: the same
 * rows the packet decoder follows, so the two never disagree on a port.
 */
function udpDecodersByPort(bindings: readonly Binding[]): Map<number, UdpDecoder> {
  const byPort = new Map<number, UdpDecoder>();
  for (const b of bindings) {
    if (b.from !== 'udp' || b.field !== 'port' || typeof b.value !== 'number' || !isUdpApp(b.to)) continue;
    byPort.set(b.value, (b.to === 'dns' ? DNS_VARIANT_BY_PORT.get(b.value) : undefined) ?? UDP_DECODERS[b.to]);
  }
  return byPort;
}

export interface AppDispatchOptions {
  /** Reassembly bounds (and tshark-exact mode: `holdOutOfOrder: false, trimOverlaps: false`). */
  reassembly?: TcpReassemblyOptions;
  /** The bindings whose UDP port rows pick the datagram decoders (default: DEFAULT_BINDINGS). */
  bindings?: readonly Binding[];
}

export class AppDispatch {
  private readonly dnsTcp: DnsTcpStreams;
  private readonly tls: TlsClientHelloStreams;
  /** HTTP heads split over segments, per direction. */
  private readonly http = new HttpHeads();
  /** 1 for each TCP port another protocol claims: a flat table, no hashing on the hot path. */
  private readonly claimed = portTable(portsClaimedFromTls());
  /** Directions whose ClientHello is incomplete → segments seen since it started. */
  private readonly hellosInProgress = new Map<string, number>();
  /** UDP port → the decoder of one message per datagram. */
  private readonly udpByPort: Map<number, UdpDecoder>;

  constructor(options: AppDispatchOptions = {}) {
    this.udpByPort = udpDecodersByPort(options.bindings ?? DEFAULT_BINDINGS);
    this.dnsTcp = new DnsTcpStreams(options.reassembly);
    this.tls = new TlsClientHelloStreams(options.reassembly);
  }

  /**
   * Decodes the message a UDP datagram carries (`bytes[start, end)`) with the decoder bound to its
   * lower port, else to its higher one (as tshark tries them); nothing when neither is bound. A DNS
   * header cut short still gives the fields captured (a `partial` layer).
   */
  udp(udp: UdpLayer, bytes: Uint8Array, start: number, end: number, ctx: DecodeContext, layers: Layer[]): void {
    if (end <= start) return;
    const a = udp.srcPort;
    const b = udp.dstPort;
    const decoder = a < b ? (this.udpByPort.get(a) ?? this.udpByPort.get(b)) : (this.udpByPort.get(b) ?? this.udpByPort.get(a));
    if (decoder === undefined) return;
    const layer = decoder.decode(bytes, start, end, ctx) ?? (decoder.kind === 'dns' ? partialHeader('dns', bytes, start, end, ctx) : null);
    if (layer !== null) layers.push(layer);
  }

  /**
   * Decodes what a TCP segment carries (`bytes[start, end)`), given the IP layer around it and what
   * the bindings table bound the ports to (`dns-tcp`, `tls`, or nothing: then a ClientHello is looked
   * for by content unless another protocol claims one of the ports).
   */
  tcp(
    tcp: TcpLayer,
    ip: Layer | undefined,
    bound: 'dns-tcp' | 'tls' | 'http' | undefined,
    bytes: Uint8Array,
    start: number,
    end: number,
    ctx: DecodeContext,
    layers: Layer[],
  ): void {
    if (bound === 'http') {
      // A request or response head (the port is HTTP's: no ClientHello is looked for, as tshark's
      // HTTP dissector keeps its port; see app/http.ts).
      const key = directionKey(ip, tcp);
      if (end > start) {
        const http = this.http.push(key, tcp.seq, bytes, start, end, ctx);
        if (http !== null) layers.push(http);
      }
      if (tcp.fin || tcp.rst) this.http.close(key);
      return;
    }
    const closing = tcp.fin || tcp.rst;
    if (bound === 'dns-tcp') {
      if (end <= start && !closing) return;
      const key = directionKey(ip, tcp);
      if (end > start) for (const dns of this.dnsTcp.push(key, tcp.seq, bytes, start, end, ctx)) layers.push(dns);
      if (closing) this.dnsTcp.close(key);
      return;
    }
    if (end <= start) {
      if (!this.quietEmptySegment(closing)) this.forget(directionKey(ip, tcp));
      return;
    }
    const byPort = bound === 'tls';
    if (this.quietSegment(byPort, tcp.srcPort, tcp.dstPort, bytes, start, end)) return;
    const mayStart = byPort ? bytes[start] === TLS_HANDSHAKE : mayStartHello(bytes, start, end);
    const key = directionKey(ip, tcp);
    const seen = this.hellosInProgress.get(key);
    if (!mayStart && seen === undefined) return;
    const hello = this.tls.push(key, tcp.seq, bytes, start, end, ctx, byPort);
    if (hello !== null) {
      layers.push(hello);
      this.hellosInProgress.delete(key);
    } else if (seen === undefined) {
      if (clientHelloExtent(bytes, start, end) === TLS_NEED_MORE) {
        if (this.hellosInProgress.size >= MAX_HELLOS_IN_PROGRESS) this.hellosInProgress.delete(this.hellosInProgress.keys().next().value as string);
        this.hellosInProgress.set(key, 1);
      }
    } else if (seen + 1 >= MAX_SEGMENTS_PER_HELLO) {
      this.forget(key);
    } else {
      this.hellosInProgress.set(key, seen + 1);
    }
    if (closing) this.forget(key);
  }

  /**
   * True when {@link tcp} would change nothing for a segment without payload on ports not bound to
   * DNS: one that does not close its connection, or nothing in progress that closing would end.
   */
  quietEmptySegment(closing: boolean): boolean {
    return !closing || this.hellosInProgress.size === 0;
  }

  /**
   * True when {@link tcp} would neither read nor change anything for a segment with this payload
   * (`bytes[start, end)`, not empty) on ports bound to TLS (`byPort`) or to nothing: no ClientHello
   * starting and none in progress, or (unbound) a port another protocol claims. The common case
   * (bulk data): a byte or two compared, no key built. `PacketDecoder.commonShape()` asks it too,
   * so the two never disagree.
   */
  quietSegment(byPort: boolean, srcPort: number, dstPort: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (byPort) return this.hellosInProgress.size === 0 && bytes[start] !== TLS_HANDSHAKE;
    if (this.claimed[srcPort] === 1 || this.claimed[dstPort] === 1) return true;
    return this.hellosInProgress.size === 0 && !mayStartHello(bytes, start, end);
  }

  /** True while an HTTP head split over segments is being put together. */
  httpInProgress(): boolean {
    return this.http.size > 0;
  }

  private forget(key: string): void {
    this.hellosInProgress.delete(key);
    this.tls.close(key);
  }
}

/**
 * Whether a segment's payload may start a ClientHello, by content. A segment of exactly the 5-byte
 * record header may start one too (tshark's heuristic looks at the record header only); the stream
 * decoder checks that header.
 */
function mayStartHello(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start > TLS_RECORD_HEADER_BYTES
    ? probeTlsClientHello(bytes, start, end)
    : end - start === TLS_RECORD_HEADER_BYTES && bytes[start] === TLS_HANDSHAKE;
}

function portTable(ports: ReadonlySet<number>): Uint8Array {
  const table = new Uint8Array(65536);
  for (const port of ports) table[port] = 1;
  return table;
}

/** `src:port>dst:port`, naming one direction of a TCP connection. */
function directionKey(ip: Layer | undefined, tcp: TcpLayer): string {
  if (ip?.kind === 'ipv4') return `${formatIpv4(ip.src)}:${tcp.srcPort}>${formatIpv4(ip.dst)}:${tcp.dstPort}`;
  if (ip?.kind === 'ipv6') return `[${ip.src}]:${tcp.srcPort}>[${ip.dst}]:${tcp.dstPort}`;
  return `?:${tcp.srcPort}>?:${tcp.dstPort}`;
}
