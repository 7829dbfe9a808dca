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
