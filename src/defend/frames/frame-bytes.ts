/**
 * The bytes of one Ethernet frame as the frame-level defences read and write them: where its IP
 * header, its TCP or UDP header and its payload are (after up to four VLAN tags), and new frames
 * with another payload, other sequence numbers, or from scratch, with every length and checksum
 * right (tshark checks neither by default, but a defended capture must be one a stack would send).
 *
 * Only what a defence can rewrite is parsed: IPv4 without fragments and IPv6 without extension
 * headers, carrying TCP or UDP, with every header in the capture. A frame the capture cut short (its
 * snap length) keeps its place: lengths are those on the wire, and a frame rewritten from it is cut
 * as short again ({@link cutFrame}); the bytes the capture never had are zeros in between. Anything
 * else is left as it is by the defences that need to rewrite it.
 */
import { putU16be, putU32be, putU48be, u16be, u32be, u48be } from '../../core/bytes.js';
import { fillChecksum, fillIpv4HeaderChecksum, ipv4PseudoHeaderSum, ipv6PseudoHeaderSum, TCP_CHECKSUM_OFFSET, UDP_CHECKSUM_OFFSET } from '../../decode/net/checksum.js';
import { isGroupIpv4, isGroupIpv6, isLocalIpv4, isLocalIpv6 } from '../../observe/address.js';
import { formatIpv6 } from '../../core/bytes.js';

export const ETHERNET_HEADER_BYTES = 14;
export const IPV4_HEADER_BYTES = 20;
export const IPV6_HEADER_BYTES = 40;
export const UDP_HEADER_BYTES = 8;
export const TCP_HEADER_BYTES = 20;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];
const MAX_VLAN_TAGS = 4;
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** Where a rewritable frame's parts are. */
export interface FrameInfo {
  readonly srcMac: number;
  readonly dstMac: number;
  /** Offset of the IP header (after Ethernet and VLAN tags). */
  readonly ip: number;
  readonly ipv6: boolean;
  /** Addresses as text keys: dotted IPv4, RFC 5952 IPv6. */
  readonly srcIp: string;
  readonly dstIp: string;
  /** True when the address is inside a home (private, link-local) or a group (multicast, broadcast). */
  readonly srcLocal: boolean;
  readonly dstLocal: boolean;
  readonly dstGroup: boolean;
  readonly proto: number;
  /** Offset of the TCP or UDP header, and its length. */
  readonly l4: number;
  readonly l4Header: number;
  readonly srcPort: number;
  readonly dstPort: number;
  /** TCP only (0 for UDP). */
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  /** Offset and length of the transport payload. */
  readonly payload: number;
  readonly payloadLen: number;
  /** One past the IP packet's last byte on the wire (Ethernet padding may follow). */
  readonly ipEnd: number;
  /** True when the capture holds less than the IP packet (cut by the snap length). */
  readonly cut: boolean;
}

function dotted(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/**
 * The parts of an Ethernet frame carrying TCP or UDP over IPv4 (unfragmented) or IPv6 (no extension
 * header), its headers in `data` (`origLen` its length on the wire); null for anything else.
 */
export function parseFrame(data: Uint8Array, origLen: number): FrameInfo | null {
  if (data.length > origLen || data.length < ETHERNET_HEADER_BYTES) return null;
  let at = 12;
  let etherType = u16be(data, at);
  for (let tags = 0; ETHERTYPE_VLAN.includes(etherType) && tags < MAX_VLAN_TAGS; tags++) {
    at += 4;
    if (at + 2 > data.length) return null;
    etherType = u16be(data, at);
  }
  const ip = at + 2;
  let proto: number;
  let l4: number;
  let ipEnd: number;
  let srcIp: string;
  let dstIp: string;
  let srcLocal: boolean;
  let dstLocal: boolean;
  let dstGroup: boolean;
  const ipv6 = etherType === ETHERTYPE_IPV6;
  if (etherType === ETHERTYPE_IPV4) {
    if (ip + IPV4_HEADER_BYTES > data.length || data[ip] >> 4 !== 4) return null;
    const ihl = (data[ip] & 0x0f) * 4;
    const total = u16be(data, ip + 2);
    if (ihl < IPV4_HEADER_BYTES || total < ihl || ip + total > origLen) return null;
    if ((u16be(data, ip + 6) & 0x3fff) !== 0) return null; // a fragment
    proto = data[ip + 9];
    l4 = ip + ihl;
    ipEnd = ip + total;
    const s = u32be(data, ip + 12);
    const d = u32be(data, ip + 16);
    srcIp = dotted(s);
    dstIp = dotted(d);
    srcLocal = isLocalIpv4(s) || isGroupIpv4(s);
    dstGroup = isGroupIpv4(d) || (d & 0xff) === 0xff;
    dstLocal = isLocalIpv4(d) || dstGroup;
  } else if (ipv6) {
    if (ip + IPV6_HEADER_BYTES > data.length || data[ip] >> 4 !== 6) return null;
    proto = data[ip + 6];
    l4 = ip + IPV6_HEADER_BYTES;
    ipEnd = l4 + u16be(data, ip + 4);
    if (ipEnd > origLen) return null;
    srcIp = formatIpv6(data, ip + 8);
    dstIp = formatIpv6(data, ip + 24);
    srcLocal = isLocalIpv6(srcIp) || isGroupIpv6(srcIp);
    dstGroup = isGroupIpv6(dstIp);
    dstLocal = isLocalIpv6(dstIp) || dstGroup;
  } else {
    return null;
  }
  let l4Header: number;
  let seq = 0;
  let ack = 0;
  let flags = 0;
  if (proto === PROTO_TCP) {
    if (l4 + TCP_HEADER_BYTES > ipEnd || l4 + TCP_HEADER_BYTES > data.length) return null;
    l4Header = (data[l4 + 12] >> 4) * 4;
    if (l4Header < TCP_HEADER_BYTES || l4 + l4Header > ipEnd || l4 + l4Header > data.length) return null;
    seq = u32be(data, l4 + 4);
    ack = u32be(data, l4 + 8);
    flags = data[l4 + 13];
  } else if (proto === PROTO_UDP) {
    l4Header = UDP_HEADER_BYTES;
    if (l4 + UDP_HEADER_BYTES > ipEnd || l4 + UDP_HEADER_BYTES > data.length || u16be(data, l4 + 4) !== ipEnd - l4) return null;
  } else {
    return null;
  }
  return {
    srcMac: u48be(data, 6),
    dstMac: u48be(data, 0),
    ip,
    ipv6,
    srcIp,
    dstIp,
    srcLocal,
    dstLocal,
    dstGroup,
    proto,
    l4,
    l4Header,
    srcPort: u16be(data, l4),
    dstPort: u16be(data, l4 + 2),
    seq,
    ack,
    flags,
    payload: l4 + l4Header,
    payloadLen: ipEnd - (l4 + l4Header),
    ipEnd,
    cut: data.length < ipEnd,
  };
}

/** The transport payload as captured: all of it, or what the snap length left (then shorter than `payloadLen`). */
export function capturedPayload(data: Uint8Array, info: FrameInfo): Uint8Array {
  return data.subarray(info.payload, Math.min(info.ipEnd, data.length));
}

/** A frame's bytes as a capture of snap length `snap` holds them (all of them when null or long enough). */
export function cutFrame(full: Uint8Array, snap: number | null): { data: Uint8Array; origLen: number } {
  return { data: snap !== null && full.length > snap ? full.subarray(0, snap) : full, origLen: full.length };
}

/**
 * A copy of a parsed frame with `payload` as its transport payload (default: its own, zeros where the
 * capture cut it) and, for TCP, `seq`, `ack` and `flags` (default: its own); the IP length, the UDP
 * length and every checksum are set anew, and Ethernet padding after the IP packet is dropped. The
 * whole frame is returned: {@link cutFrame} cuts it as the capture would.
 */
export function rewriteFrame(data: Uint8Array, info: FrameInfo, options: { payload?: Uint8Array; seq?: number; ack?: number; flags?: number } = {}): Uint8Array {
  let payload = options.payload;
  if (payload === undefined) {
    payload = capturedPayload(data, info);
    if (payload.length < info.payloadLen) {
      const whole = new Uint8Array(info.payloadLen);
      whole.set(payload);
      payload = whole;
    }
  }
  const out = new Uint8Array(info.payload + payload.length);
  out.set(data.subarray(0, info.payload), 0);
  out.set(payload, info.payload);
  if (info.proto === PROTO_TCP) {
    putU32be(out, info.l4 + 4, (options.seq ?? info.seq) >>> 0);
    putU32be(out, info.l4 + 8, (options.ack ?? info.ack) >>> 0);
    if (options.flags !== undefined) out[info.l4 + 13] = options.flags;
  }
  finishFrame(out, info.ip, info.ipv6, info.proto, info.l4);
  return out;
}

/** Sets the IP length (and IPv4 header checksum), the UDP length and the transport checksum of a frame built up to its end. */
export function finishFrame(out: Uint8Array, ip: number, ipv6: boolean, proto: number, l4: number): void {
  const l4Length = out.length - l4;
  let pseudo: number;
  if (ipv6) {
    putU16be(out, ip + 4, l4Length);
    pseudo = ipv6PseudoHeaderSum(out, ip, proto, l4Length);
  } else {
    putU16be(out, ip + 2, out.length - ip);
    fillIpv4HeaderChecksum(out, ip);
    pseudo = ipv4PseudoHeaderSum(out, ip, proto, l4Length);
  }
  if (proto === PROTO_UDP) {
    putU16be(out, l4 + 4, l4Length);
    fillChecksum(out, l4, out.length, l4 + UDP_CHECKSUM_OFFSET, pseudo, true);
  } else {
    fillChecksum(out, l4, out.length, l4 + TCP_CHECKSUM_OFFSET, pseudo, false);
  }
}

/** A new IPv4 frame: Ethernet (MACs as numbers), IPv4 (addresses as numbers), UDP or TCP, the payload. */
export interface NewFrame {
  readonly srcMac: number;
  readonly dstMac: number;
  readonly srcIp: number;
  readonly dstIp: number;
  readonly ttl: number;
  readonly ipId: number;
  readonly proto: typeof PROTO_TCP | typeof PROTO_UDP;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq?: number;
  readonly ack?: number;
  readonly flags?: number;
  readonly payload: Uint8Array;
}

const TCP_WINDOW = 64240;

export function buildFrame(f: NewFrame): Uint8Array {
  const ip = ETHERNET_HEADER_BYTES;
  const l4 = ip + IPV4_HEADER_BYTES;
  const header = f.proto === PROTO_UDP ? UDP_HEADER_BYTES : TCP_HEADER_BYTES;
  const out = new Uint8Array(l4 + header + f.payload.length);
  putU48be(out, 0, f.dstMac);
  putU48be(out, 6, f.srcMac);
  putU16be(out, 12, ETHERTYPE_IPV4);
  out[ip] = 0x45;
  putU16be(out, ip + 4, f.ipId & 0xffff);
  putU16be(out, ip + 6, 0x4000);
  out[ip + 8] = f.ttl;
  out[ip + 9] = f.proto;
  putU32be(out, ip + 12, f.srcIp >>> 0);
  putU32be(out, ip + 16, f.dstIp >>> 0);
  putU16be(out, l4, f.srcPort);
  putU16be(out, l4 + 2, f.dstPort);
  if (f.proto === PROTO_TCP) {
    putU32be(out, l4 + 4, (f.seq ?? 0) >>> 0);
    putU32be(out, l4 + 8, (f.ack ?? 0) >>> 0);
    out[l4 + 12] = (TCP_HEADER_BYTES / 4) << 4;
    out[l4 + 13] = f.flags ?? TCP_ACK;
    putU16be(out, l4 + 14, TCP_WINDOW);
  }
  out.set(f.payload, l4 + header);
  finishFrame(out, ip, false, f.proto, l4);
  return out;
}

const TCP_OPTION_END = 0;
const TCP_OPTION_NOP = 1;
const TCP_OPTION_MSS = 2;
const TCP_OPTION_SACK = 5;

/**
 * Where a TCP header's first option of `kind` starts (its kind byte), or -1. The options are walked as
 * RFC 9293 §3.1 lays them out (end of list 0, no-operation 1, every other kind-length-value); a length
 * under 2 or past the header (or past the bytes captured) ends the walk, as in a damaged header.
 */
export function tcpOptionAt(data: Uint8Array, l4: number, headerLength: number, kind: number): number {
  const end = Math.min(l4 + headerLength, data.length);
  for (let o = l4 + TCP_HEADER_BYTES; o < end; ) {
    const k = data[o];
    if (k === TCP_OPTION_END) break;
    if (k === TCP_OPTION_NOP) {
      o++;
      continue;
    }
    const len = data[o + 1];
    if (len < 2 || o + len > end) break;
    if (k === kind) return o;
    o += len;
  }
  return -1;
}

/** The MSS a SYN frame's options advertise, or null. */
export function synMss(data: Uint8Array, l4: number, headerLength: number): number | null {
  const o = tcpOptionAt(data, l4, headerLength, TCP_OPTION_MSS);
  return o >= 0 && data[o + 1] === 4 ? u16be(data, o + 2) : null;
}

/** The edges of a frame's SACK blocks (RFC 2018), in the order they are written. */
export function sackEdges(data: Uint8Array, info: FrameInfo): number[] {
  const out: number[] = [];
  const o = tcpOptionAt(data, info.l4, info.l4Header, TCP_OPTION_SACK);
  if (o >= 0) for (let e = o + 2; e + 4 <= o + data[o + 1]; e += 4) out.push(u32be(data, e));
  return out;
}

/**
 * Moves the edges of a rewritten frame's SACK blocks (RFC 2018: sequence numbers of the other
 * direction, as its acknowledgement is) by `shift`, and sets its checksums anew when one moved: a
 * block left where it was would acknowledge bytes the edits moved (tshark: "D-SACK Sequence").
 */
export function shiftSackEdges(full: Uint8Array, info: FrameInfo, shift: (edge: number) => number): void {
  const o = tcpOptionAt(full, info.l4, info.l4Header, TCP_OPTION_SACK);
  if (o < 0) return;
  let moved = false;
  for (let e = o + 2; e + 4 <= o + full[o + 1]; e += 4) {
    const edge = u32be(full, e);
    const to = shift(edge) >>> 0;
    if (to !== edge) {
      putU32be(full, e, to);
      moved = true;
    }
  }
  if (moved) finishFrame(full, info.ip, info.ipv6, info.proto, info.l4);
}
