/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113): 16 bytes of packet type, ARPHRD_ type, address
 * length, an 8-byte address field and the protocol, all big-endian. `protocol` is the EtherType of
 * the payload; a field value of `ETH_P_802_2` (4) reads as `ETHERTYPE_8023_LLC` (an 802.2 LLC
 * header follows), and on netlink, GRE and radiotap interfaces the raw value is kept (it is not an
 * EtherType there; see `linux-cooked.ts`).
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, u16be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import {
  SLL_ADDRESS_FIELD_BYTES,
  readSllAddress,
  sllProtocolFromField,
  sllProtocolToField,
  writeSllAddress,
} from './linux-cooked.js';

export const SLL_HEADER_BYTES = 16;
const ARPHRD_OFFSET = 2;
const ADDRESS_LENGTH_OFFSET = 4;
const ADDRESS_OFFSET = 6;
const PROTOCOL_OFFSET = 14;

export interface SllLayer extends LayerBase {
  readonly kind: 'sll';
  /** 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us (see `SLL_PACKET_TYPE`). */
  readonly packetType: number;
  /** The interface's ARPHRD_ type (1 Ethernet, 772 loopback, 803 radiotap, 824 netlink ...). */
  readonly arphrdType: number;
  /** The address length field (bytes of the sender's link-layer address). */
  readonly addressLength: number;
  /** A 48-bit number when `addressLength` is 6, otherwise the address bytes (at most 8) as hex. */
  readonly address: number | string;
  /** The payload's EtherType; `ETHERTYPE_8023_LLC` for 802.2 LLC; raw for non-EtherType fields. */
  readonly protocol: number;
}

export const SLL_ANOMALIES: Readonly<Record<string, string>> = {
  sll_truncated: 'fewer than 16 bytes for the Linux cooked header',
  sll_bad_address_length: 'the address length is larger than the 8-byte address field',
};

function decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): SllLayer | null {
  if (!need(ctx, 'sll', offset, end, SLL_HEADER_BYTES)) return null;
  const arphrdType = u16be(bytes, offset + ARPHRD_OFFSET);
  const addressLength = u16be(bytes, offset + ADDRESS_LENGTH_OFFSET);
  if (addressLength > SLL_ADDRESS_FIELD_BYTES) {
    ctx.anomaly(
      'sll_bad_address_length',
      offset + ADDRESS_LENGTH_OFFSET,
      `Address length ${addressLength} > ${SLL_ADDRESS_FIELD_BYTES}`,
    );
  }
  return {
    kind: 'sll',
    offset: offset - ctx.base,
    headerLength: SLL_HEADER_BYTES,
    payloadLength: end - offset - SLL_HEADER_BYTES,
    packetType: u16be(bytes, offset),
    arphrdType,
    addressLength,
    address: readSllAddress(bytes, offset + ADDRESS_OFFSET, addressLength),
    protocol: sllProtocolFromField(arphrdType, u16be(bytes, offset + PROTOCOL_OFFSET)),
  };
}

function encode(layer: SllLayer, out: Uint8Array, offset: number): number {
  putU16be(out, offset, layer.packetType);
  putU16be(out, offset + ARPHRD_OFFSET, layer.arphrdType);
  putU16be(out, offset + ADDRESS_LENGTH_OFFSET, layer.addressLength);
  writeSllAddress(out, offset + ADDRESS_OFFSET, layer.address);
  putU16be(out, offset + PROTOCOL_OFFSET, sllProtocolToField(layer.protocol));
  return offset + SLL_HEADER_BYTES;
}

export const sllCodec: LayerCodec<SllLayer> = {
  kind: 'sll',
  decode,
  encode,
  encodingLength: (): number => SLL_HEADER_BYTES,
};
