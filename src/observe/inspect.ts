/**
 * `inspectCapture()`: reads a capture once, decodes every packet and summarises it: the capture
 * format, link types, packets, bytes, time span, hosts, DNS names, TLS server names and anomalies.
 *
 * ```ts
 * const report = await inspectCapture('home.pcapng');
 * report.traffic.dnsNames.map((n) => n.name); // ['a3.tuyaeu.com', ...]
 * ```
 */
import { readCapture, type CaptureSource, type CaptureSummary, type ReadCaptureOptions } from '../capture/reader.js';
import { newCommonShape, PacketDecoder } from '../decode/packet.js';
import type { CaptureRecord } from '../capture/record.js';
import { TrafficSummaryBuilder, type SummaryLimits, type TrafficSummary } from './traffic-summary.js';
import { parseIpv4 } from '../core/bytes.js';
import {
  LINKTYPE_DLT_RAW_12,
  LINKTYPE_DLT_RAW_14,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
  linkTypeName,
} from '../core/link-type.js';
import type { Vantage } from '../core/vantage.js';
import { isLocalIpv4, isLocalIpv6 } from './address.js';
import { isWifiLinkType } from './observed-packet.js';

export interface InspectReport {
  capture: CaptureSummary;
  traffic: TrafficSummary;
  /** The vantage the capture looks taken from, and why, where it is not a LAN capture of Ethernet frames (see {@link inspectVantage}). */
  vantage?: InspectVantage;
}

export interface InspectVantage {
  readonly vantage: Vantage;
  readonly why: string;
}

export interface InspectOptions extends SummaryLimits {
  /** False decodes every packet into layers (the same report, slower; for tests). Default true. */
  commonShape?: boolean;
  onProgress?: ReadCaptureOptions['onProgress'];
  signal?: AbortSignal;
}

export async function inspectCapture(source: CaptureSource, options: InspectOptions = {}): Promise<InspectReport> {
  // Each packet is summarised before the next is decoded: the decoder may refill one packet object.
  // A packet of the commonest shape (bulk TCP or UDP over Ethernet, VLAN tags or not, and DNS over
  // UDP) is summarised from what commonShape() reads, without layers; the decoder says when that
  // gives what decode() would.
  const decoder = new PacketDecoder({ reuse: true });
  const builder = new TrafficSummaryBuilder(options);
  const shape = newCommonShape();
  const onRecord =
    options.commonShape === false
      ? (rec: CaptureRecord) => builder.add(decoder.decode(rec))
      : (rec: CaptureRecord) => (decoder.commonShape(rec, shape) ? builder.addCommon(rec, shape) : builder.add(decoder.decode(rec)));
  const capture = await readCapture(source, onRecord, {
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const anomalies = decoder.anomalies.entries().map((e) => ({
    kind: e.kind,
    count: e.count,
    examples: e.examples.map((a) => ({ frame: a.frame, offset: a.offset, message: a.message })),
  }));
  const traffic = builder.finish(anomalies);
  const vantage = inspectVantage(traffic);
  return vantage === null ? { capture, traffic } : { capture, traffic, vantage };
}

/** Link types whose frames carry no link addresses: raw IP, BSD loopback, Linux cooked v1 and v2. */
const NO_LINK_ADDRESSES: ReadonlySet<number> = new Set([LINKTYPE_NULL, LINKTYPE_DLT_RAW_12, LINKTYPE_DLT_RAW_14, LINKTYPE_RAW, LINKTYPE_LOOP, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_IPV4, LINKTYPE_IPV6]);
/**
 * Below this share of the hosts' packets (each packet counted at its source and its destination) of
 * home addresses, a capture looks taken after NAT: a LAN packet to the internet has one home end of
 * two (a half), one within the home two; a WAN capture's packets have none.
 */
const LAN_SIGHTING_SHARE = 0.25;

/**
 * The vantage a capture looks taken from, told from its summary alone (inspect reads no devices:
 * `peephole devices` tells it from the frames themselves and says why too): a Wi-Fi sniffer's when
 * most frames are 802.11, no link addresses when most frames are raw IP, loopback or Linux cooked,
 * WAN when few of the hosts' packets are of home addresses. Null for a LAN capture of Ethernet frames.
 */
export function inspectVantage(t: TrafficSummary): InspectVantage | null {
  if (t.packets === 0) return null;
  const count = (pick: (linkType: number) => boolean): number => t.linkTypes.filter((l) => pick(l.linkType)).reduce((n, l) => n + l.packets, 0);
  const types = (pick: (linkType: number) => boolean): string =>
    t.linkTypes
      .filter((l) => pick(l.linkType))
      .map((l) => `${l.linkType}, ${linkTypeName(l.linkType)}`)
      .join('; ');
  const wifi = count(isWifiLinkType);
  if (wifi * 2 >= t.packets) {
    return { vantage: 'wifi', why: `${wifi} of ${t.packets} frame(s) are 802.11 (link type ${types(isWifiLinkType)}): a Wi-Fi sniffer's capture, devices told apart by MAC` };
  }
  let local = 0;
  let all = 0;
  for (const h of t.hosts) {
    const n = h.packetsSent + h.packetsReceived;
    all += n;
    const ip = h.address.includes(':') ? null : parseIpv4(h.address);
    if (ip === null ? isLocalIpv6(h.address) : isLocalIpv4(ip)) local += n;
  }
  const share = all === 0 ? 1 : local / all;
  const homeShare = `${Math.round(100 * share)} % of the hosts' packets are of home addresses`;
  const bare = count((l) => NO_LINK_ADDRESSES.has(l));
  if (bare * 2 >= t.packets) {
    const where = share >= LAN_SIGHTING_SHARE ? 'a LAN capture' : 'a WAN capture after NAT';
    return { vantage: share >= LAN_SIGHTING_SHARE ? 'lan' : 'wan', why: `no link addresses (link type ${types((l) => NO_LINK_ADDRESSES.has(l))}): devices told apart by IP address; ${homeShare}: ${where}` };
  }
  if (share < LAN_SIGHTING_SHARE) return { vantage: 'wan', why: `${homeShare}: a WAN capture after NAT, devices as clusters of the home's flows` };
  return null;
}
