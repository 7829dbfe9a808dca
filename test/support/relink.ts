/**
 * A capture of Ethernet frames written again under another link type, as a capture taken elsewhere
 * would frame the same IP packets: raw IP (LINKTYPE_RAW, no link header), Linux cooked v2 (SLL2, the
 * sender's MAC in its address field, as `tcpdump -i any` records), BSD loopback (LINKTYPE_NULL) or
 * PPPoE session frames (the Ethernet header kept, a PPPoE and a PPP header before the IP packet, as
 * on a DSL line). Only IPv4 frames are kept (ARP has no IP packet to carry). The headers are written
 * with the decoders' own encoders; the tests check with tshark that the result reads as IP.
 */
import { readCapture } from '../../src/capture/reader.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { LINKTYPE_ETHERNET, LINKTYPE_NULL, LINKTYPE_RAW } from '../../src/core/link-type.js';
import { nullCodec } from '../../src/decode/link/loopback.js';
import { pppoeCodec } from '../../src/decode/link/pppoe.js';
import { sll2Codec } from '../../src/decode/link/sll2.js';

export type Relink = 'raw' | 'sll2' | 'null' | 'pppoe';

/** LINKTYPE_LINUX_SLL2. */
export const LINKTYPE_LINUX_SLL2 = 276;
const ETHERNET_HEADER_BYTES = 14;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const PPP_IPV4 = 0x0021;
const ARPHRD_ETHER = 1;
/** SLL2 packet types: sent by us (the capturing host) or to us. */
const SLL_OUTGOING = 4;
const SLL_HOST = 0;
/** BSD loopback's family for IPv4 (AF_INET), in the capturing host's byte order. */
const AF_INET = 2;

const LINK_TYPES: Readonly<Record<Relink, number>> = { raw: LINKTYPE_RAW, sll2: LINKTYPE_LINUX_SLL2, null: LINKTYPE_NULL, pppoe: LINKTYPE_ETHERNET };

/** Writes `input`'s IPv4 frames to `output` (pcap) under `how`; returns how many frames were written. */
export async function relinkCapture(input: string, output: string, how: Relink): Promise<number> {
  const w = new PcapWriter({ linkType: LINK_TYPES[how], precision: 'ns', to: output });
  let written = 0;
  await readCapture(input, (rec) => {
    const b = rec.buf;
    const o = rec.offset;
    if (rec.capLen < ETHERNET_HEADER_BYTES || ((b[o + 12] << 8) | b[o + 13]) !== ETHERTYPE_IPV4) return;
    const ip = b.subarray(o + ETHERNET_HEADER_BYTES, o + rec.capLen);
    const ipLength = rec.origLen - ETHERNET_HEADER_BYTES;
    let head: Uint8Array;
    if (how === 'raw') head = new Uint8Array(0);
    else if (how === 'sll2') {
      head = new Uint8Array(sll2Codec.encodingLength({} as never));
      const src = b.subarray(o + 6, o + 12).reduce((n, x) => n * 256 + x, 0);
      sll2Codec.encode({ kind: 'sll2', offset: 0, headerLength: 20, payloadLength: ip.length, protocol: ETHERTYPE_IPV4, reserved: 0, interfaceIndex: 1, arphrdType: ARPHRD_ETHER, packetType: written % 2 === 0 ? SLL_OUTGOING : SLL_HOST, addressLength: 6, address: src }, head, 0);
    } else if (how === 'null') {
      head = new Uint8Array(nullCodec.encodingLength({} as never));
      nullCodec.encode({ kind: 'loopback', offset: 0, headerLength: 4, payloadLength: ip.length, family: AF_INET, byteOrder: 'le', network: 'ipv4' } as never, head, 0);
    } else {
      const pppoe = new Uint8Array(pppoeCodec.encodingLength({} as never));
      pppoeCodec.encode({ kind: 'pppoe', offset: 0, headerLength: 8, payloadLength: ip.length, version: 1, type: 1, code: 0, sessionId: 0x1234, length: ipLength + 2, pppProtocol: PPP_IPV4 }, pppoe, 0);
      head = new Uint8Array(ETHERNET_HEADER_BYTES + pppoe.length);
      head.set(b.subarray(o, o + 12), 0);
      head[12] = ETHERTYPE_PPPOE_SESSION >> 8;
      head[13] = ETHERTYPE_PPPOE_SESSION & 0xff;
      head.set(pppoe, ETHERNET_HEADER_BYTES);
    }
    const data = new Uint8Array(head.length + ip.length);
    data.set(head, 0);
    data.set(ip, head.length);
    w.writePacket({ tsSec: rec.tsSec, tsNsec: rec.tsNsec, data, origLen: head.length + ipLength });
    written++;
  });
  w.close();
  return written;
}
