/**
 * The layer contract. Every protocol header is a value of one member of the {@link Layer} union,
 * keyed by `kind`; every layer module exports a codec object that decodes it from bytes and
 * encodes it back:
 *
 * ```ts
 * const ctx = new CollectingContext(start);
 * const eth = ethernetCodec.decode(bytes, start, bytes.length, ctx); // EthernetLayer | null
 * const out = new Uint8Array(ethernetCodec.encodingLength(eth!));
 * ethernetCodec.encode(eth!, out, 0); // → end offset
 * ```
 *
 * Rules every codec follows:
 * - `decode(bytes, offset, end, ctx)` reads the header starting at absolute index `offset` and never
 *   reads at or past `end`. It never throws for bad bytes: it reports an anomaly with `ctx.anomaly()`
 *   and returns null when the header cannot be read at all, or returns the layer with what it could
 *   read (and an anomaly) when the header is readable but odd.
 * - Offsets stored in a layer are relative to `ctx.base` (the packet's first byte).
 * - `payloadLength` is what follows the header inside this layer and inside `end` (IPv4 total length
 *   and UDP length trim Ethernet padding, for instance); the payload starts at `offset + headerLength`.
 * - A layer never imports the layer after it: which layer follows is decided by the bindings table
 *   (`bindings.ts`) from the fields named there.
 * - `encode(layer, out, offset)` writes the header exactly as the value says (length and checksum
 *   fields included) and returns the end offset; `encodingLength(layer)` is the header size.
 *   `decode(encode(v))` gives back `v`.
 */
import type { DecodeContext } from './context.js';
import type { EthernetLayer } from './link/ethernet.js';
import type { VlanLayer } from './link/vlan.js';
import type { PppoeLayer } from './link/pppoe.js';
import type { SllLayer } from './link/sll.js';
import type { Sll2Layer } from './link/sll2.js';
import type { LoopbackLayer } from './link/loopback.js';
import type { RadiotapLayer } from './link/radiotap.js';
import type { Ieee80211Layer } from './link/ieee80211.js';
import type { LlcLayer } from './link/llc.js';
import type { ArpLayer } from './net/arp.js';
import type { Ipv4Layer } from './net/ipv4.js';
import type { Ipv6Layer } from './net/ipv6.js';
import type { IcmpLayer } from './net/icmp.js';
import type { Icmpv6Layer } from './net/icmpv6.js';
import type { UdpLayer } from './net/udp.js';
import type { TcpLayer } from './net/tcp.js';
import type { DnsLayer } from './app/dns.js';
import type { TlsClientHelloLayer } from './app/tls-client-hello.js';
import type { DhcpLayer } from './app/dhcp.js';
import type { SsdpLayer } from './app/ssdp.js';
import type { NtpLayer } from './app/ntp.js';
import type { HttpLayer } from './app/http.js';
import type { PartialLayer } from './partial-header.js';

/** Fields every layer has. */
export interface LayerBase {
  /** Where the header starts, relative to the packet's first byte. */
  readonly offset: number;
  /** Header length in bytes; the payload starts at `offset + headerLength`. */
  readonly headerLength: number;
  /** Payload bytes that belong to this layer and were captured. */
  readonly payloadLength: number;
}

export type Layer =
  | EthernetLayer
  | VlanLayer
  | PppoeLayer
  | SllLayer
  | Sll2Layer
  | LoopbackLayer
  | RadiotapLayer
  | Ieee80211Layer
  | LlcLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | IcmpLayer
  | Icmpv6Layer
  | UdpLayer
  | TcpLayer
  | DnsLayer
  | TlsClientHelloLayer
  | DhcpLayer
  | SsdpLayer
  | NtpLayer
  | HttpLayer
  | PartialLayer;

export type LayerKind = Layer['kind'];

/** A layer's fields made writable: for a decoder refilling a layer it returned before. */
export type Refillable<L> = { -readonly [K in keyof L]: L[K] };

/** Decodes one kind of header. */
export interface LayerDecoder<L extends { kind: string }> {
  readonly kind: L['kind'];
  decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): L | null;
}

/** Decodes and encodes one kind of header. */
export interface LayerCodec<L extends { kind: string }> extends LayerDecoder<L> {
  encodingLength(layer: L): number;
  encode(layer: L, out: Uint8Array, offset: number): number;
}
