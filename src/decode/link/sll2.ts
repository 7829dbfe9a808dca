/**
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276): 20 bytes of protocol, reserved (zero), interface
 * index, ARPHRD_ type, packet type, address length and an 8-byte address field, big-endian.
 * `protocol` follows the same rule as in v1 (see `sll.ts` and `linux-cooked.ts`).
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, putU32be, u16be, u32be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import {
  SLL_ADDRESS_FIELD_BYTES,
  readSllAddress,
  sllProtocolFromField,
  sllProtocolToField,
  writeSllAddress,
} from './linux-cooked.js';

export const SLL2_HEADER_BYTES = 20;
const RESERVED_OFFSET = 2;
const INTERFACE_OFFSET = 4;
const ARPHRD_OFFSET = 8;
const PACKET_TYPE_OFFSET = 10;
const ADDRESS_LENGTH_OFFSET = 11;
const ADDRESS_OFFSET = 12;

export interface Sll2Layer extends LayerBase {
  readonly kind: 'sll2';
  /** The payload's EtherType; `ETHERTYPE_8023_LLC` for 802.2 LLC; raw for non-EtherType fields. */
  readonly protocol: number;
  /** Reserved field, zero when well formed. */
  readonly reserved: number;
  /** The capturing interface's index (`sll2.if_index`). */
  readonly interfaceIndex: number;
  readonly arphrdType: number;
  /** 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us. */
  readonly packetType: number;
  readonly addressLength: number;
  /** A 48-bit number when `addressLength` is 6, otherwise the address bytes (at most 8) as hex. */
  readonly address: number | string;
}

export const SLL2_ANOMALIES: Readonly<Record<string, string>> = {
  sll2_truncated: 'fewer than 20 bytes for the Linux cooked v2 header',
  sll2_bad_address_length: 'the address length is larger than the 8-byte address field',
  sll2_reserved_not_zero: 'the reserved field is not zero',
};

function decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): Sll2Layer | null {
  if (!need(ctx, 'sll2', offset, end, SLL2_HEADER_BYTES)) return null;
  const reserved = u16be(bytes, offset + RESERVED_OFFSET);
  const arphrdType = u16be(bytes, offset + ARPHRD_OFFSET);
  const addressLength = bytes[offset + ADDRESS_LENGTH_OFFSET];
  if (reserved !== 0) {
    ctx.anomaly('sll2_reserved_not_zero', offset + RESERVED_OFFSET, `Reserved field 0x${reserved.toString(16)}`);
  }
  if (addressLength > SLL_ADDRESS_FIELD_BYTES) {
    ctx.anomaly(
      'sll2_bad_address_length',
      offset + ADDRESS_LENGTH_OFFSET,
      `Address length ${addressLength} > ${SLL_ADDRESS_FIELD_BYTES}`,
    );
  }
  return {
    kind: 'sll2',
    offset: offset - ctx.base,
    headerLength: SLL2_HEADER_BYTES,
    payloadLength: end - offset - SLL2_HEADER_BYTES,
    protocol: sllProtocolFromField(arphrdType, u16be(bytes, offset)),
    reserved,
    interfaceIndex: u32be(bytes, offset + INTERFACE_OFFSET),
    arphrdType,
    packetType: bytes[offset + PACKET_TYPE_OFFSET],
    addressLength,
    address: readSllAddress(bytes, offset + ADDRESS_OFFSET, addressLength),
  };
}

function encode(layer: Sll2Layer, out: Uint8Array, offset: number): number {
  putU16be(out, offset, sllProtocolToField(layer.protocol));
  putU16be(out, offset + RESERVED_OFFSET, layer.reserved);
  putU32be(out, offset + INTERFACE_OFFSET, layer.interfaceIndex);
  putU16be(out, offset + ARPHRD_OFFSET, layer.arphrdType);
  out[offset + PACKET_TYPE_OFFSET] = layer.packetType;
  out[offset + ADDRESS_LENGTH_OFFSET] = layer.addressLength;
  writeSllAddress(out, offset + ADDRESS_OFFSET, layer.address);
  return offset + SLL2_HEADER_BYTES;
}

export const sll2Codec: LayerCodec<Sll2Layer> = {
  kind: 'sll2',
  decode,
  encode,
  encodingLength: (): number => SLL2_HEADER_BYTES,
};
