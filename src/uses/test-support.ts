/**
 * Helpers for the activity tests only: a small LAN (a device, its router, a cloud server) whose
 * frames are written with home/traffic/traffic-writer.ts, decoded, observed and read as {@link PacketFacts}.
 */
import type { PacketToWrite } from '../capture/capture-writer.js';
import { LINKTYPE_ETHERNET } from '../core/link-type.js';
import { createRecord } from '../capture/record.js';
import { parseIpv4, parseMac } from '../core/bytes.js';
import { PacketDecoder } from '../decode/packet.js';
import type { Endpoint, FrameSink } from '../home/traffic/traffic-writer.js';
import { ObservedPacket } from '../observe/observed-packet.js';
import { HandshakeTracker } from './handshake.js';
import { PacketFacts, PACKET_ROLE_NAMES } from './packet-role.js';
import { fillRecord } from '../capture/test-support.js';

export const DEVICE: Endpoint = { mac: parseMac('78:9c:85:12:34:01'), ip: parseIpv4('192.168.1.20') };
export const ROUTER: Endpoint = { mac: parseMac('b8:27:eb:4a:10:01'), ip: parseIpv4('192.168.1.1') };
/** A cloud server: beyond the router, so its frames carry the router's MAC. */
export const CLOUD: Endpoint = { mac: ROUTER.mac, ip: parseIpv4('52.44.10.21') };
export const MONDAY_US = Date.UTC(2026, 10, 2) * 1000;

/** Frames written by `write`, in the order written. */
export function framesOf(write: (sink: FrameSink) => void): PacketToWrite[] {
  const frames: PacketToWrite[] = [];
  write({ writePacket: (p) => frames.push(p) });
  return frames;
}

export interface FactsRow {
  role: string;
  payloadBytes: number;
  sent: boolean;
  clientHello: boolean;
}

/** Each frame's role (after the handshake tracker, unless `track` is false), payload and direction seen from DEVICE. */
export function rolesOf(frames: readonly PacketToWrite[], track = true): FactsRow[] {
  const decoder = new PacketDecoder();
  const observed = new ObservedPacket();
  const facts = new PacketFacts();
  const tracker = new HandshakeTracker();
  const rec = createRecord();
  return frames.map((f) => {
    fillRecord(rec, f, LINKTYPE_ETHERNET);
    observed.read(decoder.decode(rec), rec);
    if (!facts.read(observed)) return { role: 'none', payloadBytes: 0, sent: false, clientHello: false };
    if (track) tracker.adjust(facts);
    return { role: PACKET_ROLE_NAMES[facts.role], payloadBytes: facts.payloadBytes, sent: facts.srcMac === DEVICE.mac, clientHello: facts.clientHello };
  });
}

/** 802.11 protected QoS data: its header, and the body around the IP packet (CCMP header and MIC, LLC/SNAP). */
const QOS_DATA_HEADER_BYTES = 26;
const SEALED_AROUND_IP_BYTES = 8 + 8 + 8;
const ETHERNET_HEADER_BYTES = 14;

/**
 * Ethernet frames of IPv4 packets as a Wi-Fi sniffer would see them: each a protected QoS data frame
 * between its station and the access point `ap` (the router: its frames come from the AP, to the
 * station; the others go to it), its body as long as the CCMP header, LLC/SNAP header, IP packet
 * and MIC, with nothing of them readable (zeros).
 */
export function sealedFrames(frames: readonly PacketToWrite[], ap: number): PacketToWrite[] {
  const mac = (b: Uint8Array, at: number, v: number): void => {
    for (let i = 5; i >= 0; i--, v = Math.floor(v / 256)) b[at + i] = v % 256;
  };
  return frames.map((f) => {
    const e = f.data;
    const dst = e.subarray(0, 6).reduce((v, x) => v * 256 + x, 0);
    const src = e.subarray(6, 12).reduce((v, x) => v * 256 + x, 0);
    const ipBytes = (e[ETHERNET_HEADER_BYTES + 2] << 8) | e[ETHERNET_HEADER_BYTES + 3];
    const data = new Uint8Array(QOS_DATA_HEADER_BYTES + SEALED_AROUND_IP_BYTES + ipBytes);
    const fromAp = src === ap;
    data[0] = 0x88;
    data[1] = fromAp ? 0x42 : 0x41; // protected, from DS or to DS
    // To DS: receiver = BSSID, transmitter = source, then destination. From DS: receiver = destination, transmitter = BSSID, then source.
    mac(data, 4, fromAp ? dst : ap);
    mac(data, 10, fromAp ? ap : src);
    mac(data, 16, fromAp ? src : dst);
    return { tsSec: f.tsSec, tsNsec: f.tsNsec, data };
  });
}
