/**
 * ARP (RFC 826). For Ethernet/IPv4 ARP (6-byte hardware and 4-byte protocol addresses) the addresses
 * are numbers: MACs as 48-bit numbers and IPv4 addresses as unsigned 32-bit numbers (see bytes.ts);
 * addresses of any other size are kept as lower-case hex strings.
 *
 * ```ts
 * const arp = arpCodec.decode(bytes, 14, bytes.length, ctx);
 * if (arp && typeof arp.senderIp === 'number') table.set(arp.senderIp, arp.senderMac);
 * ```
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, putU32be, putU48be, u16be, u32be, u48be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';

export interface ArpLayer extends LayerBase {
  readonly kind: 'arp';
  readonly hardwareType: number;
  readonly protocolType: number;
  /** Hardware address length in bytes. */
  readonly hlen: number;
  /** Protocol address length in bytes. */
  readonly plen: number;
  /** 1 request, 2 reply (RARP and others keep their numbers). */
  readonly operation: number;
  readonly senderMac: number | string;
  readonly senderIp: number | string;
  readonly targetMac: number | string;
  readonly targetIp: number | string;
}

export const ARP_ANOMALIES: Readonly<Record<string, string>> = {
  arp_truncated: 'the captured bytes end inside the ARP header or its addresses',
  arp_bad_address_length: 'Ethernet hardware with an address length other than 6, or IPv4 with one other than 4',
};

export const ARP_FIXED_BYTES = 8;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
const HARDWARE_ETHERNET = 1;
const PROTOCOL_IPV4 = 0x0800;
const MAC_BYTES = 6;
const IPV4_BYTES = 4;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += HEX[bytes[i]];
  return s;
}

function readHardware(bytes: Uint8Array, at: number, size: number): number | string {
  return size === MAC_BYTES ? u48be(bytes, at) : hex(bytes, at, at + size);
}

function readProtocol(bytes: Uint8Array, at: number, size: number): number | string {
  return size === IPV4_BYTES ? u32be(bytes, at) : hex(bytes, at, at + size);
}

function writeAddress(value: number | string, out: Uint8Array, at: number, size: number): void {
  if (typeof value === 'number') {
    if (size === MAC_BYTES) putU48be(out, at, value);
    else if (size === IPV4_BYTES) putU32be(out, at, value);
    else throw new RangeError(`ARP address ${value} is a number but its length is ${size} bytes`);
    return;
  }
  if (value.length !== size * 2 || !/^[0-9a-f]*$/i.test(value)) {
    throw new RangeError(`ARP address ${JSON.stringify(value)} is not ${size} bytes of hex`);
  }
  for (let i = 0; i < size; i++) out[at + i] = parseInt(value.slice(2 * i, 2 * i + 2), 16);
}

function decodeArp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): ArpLayer | null {
  if (!need(ctx, 'arp', offset, end, ARP_FIXED_BYTES)) return null;
  const hardwareType = u16be(bytes, offset);
  const protocolType = u16be(bytes, offset + 2);
  const hlen = bytes[offset + 4];
  const plen = bytes[offset + 5];
  const headerLength = ARP_FIXED_BYTES + 2 * hlen + 2 * plen;
  if (!need(ctx, 'arp', offset, end, headerLength, 'addresses')) return null;
  if ((hardwareType === HARDWARE_ETHERNET && hlen !== MAC_BYTES) || (protocolType === PROTOCOL_IPV4 && plen !== IPV4_BYTES)) {
    ctx.anomaly('arp_bad_address_length', offset + 4, `hardware ${hardwareType} length ${hlen}, protocol 0x${protocolType.toString(16)} length ${plen}`);
  }
  const senderAt = offset + ARP_FIXED_BYTES;
  const targetAt = senderAt + hlen + plen;
  return {
    kind: 'arp',
    offset: offset - ctx.base,
    headerLength,
    payloadLength: 0,
    hardwareType,
    protocolType,
    hlen,
    plen,
    operation: u16be(bytes, offset + 6),
    senderMac: readHardware(bytes, senderAt, hlen),
    senderIp: readProtocol(bytes, senderAt + hlen, plen),
    targetMac: readHardware(bytes, targetAt, hlen),
    targetIp: readProtocol(bytes, targetAt + hlen, plen),
  };
}

function encodeArp(layer: ArpLayer, out: Uint8Array, offset: number): number {
  putU16be(out, offset, layer.hardwareType);
  putU16be(out, offset + 2, layer.protocolType);
  out[offset + 4] = layer.hlen;
  out[offset + 5] = layer.plen;
  putU16be(out, offset + 6, layer.operation);
  let at = offset + ARP_FIXED_BYTES;
  writeAddress(layer.senderMac, out, at, layer.hlen);
  writeAddress(layer.senderIp, out, (at += layer.hlen), layer.plen);
  writeAddress(layer.targetMac, out, (at += layer.plen), layer.hlen);
  writeAddress(layer.targetIp, out, (at += layer.hlen), layer.plen);
  return at + layer.plen;
}

export const arpCodec: LayerCodec<ArpLayer> = {
  kind: 'arp',
  decode: decodeArp,
  encode: encodeArp,
  encodingLength: (layer: ArpLayer): number => ARP_FIXED_BYTES + 2 * layer.hlen + 2 * layer.plen,
};
