/**
 * Ethernet II and IEEE 802.3 headers (14 bytes: destination, source, type/length). A type/length value
 * up to 1500 is an 802.3 length: the layer then says `etherType: ETHERTYPE_8023_LLC` (an LLC header
 * follows), keeps the length in `length8023` and trims the payload to it (the rest is padding).
 *
 * ```ts
 * const eth = ethernetCodec.decode(bytes, 0, bytes.length, new CollectingContext());
 * if (eth && eth.etherType === ETHERTYPE_IPV4) formatMac(eth.src);
 * ```
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, putU48be, u16be, u48be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec, Refillable } from '../layer.js';
import { ETHERTYPE_8023_LLC, MAX_8023_LENGTH, MIN_ETHERTYPE } from './ether-type.js';

export { ETHERTYPE_8023_LLC } from './ether-type.js';

export const ETHERNET_HEADER_BYTES = 14;
const SRC_OFFSET = 6;
const TYPE_OFFSET = 12;

export interface EthernetLayer extends LayerBase {
  readonly kind: 'ethernet';
  /** Destination MAC address as a 48-bit number (see `formatMac`). */
  readonly dst: number;
  /** Source MAC address as a 48-bit number. */
  readonly src: number;
  /** The EtherType, or {@link ETHERTYPE_8023_LLC} when the field is an 802.3 length. */
  readonly etherType: number;
  /** The 802.3 length field when `etherType` is {@link ETHERTYPE_8023_LLC}, else null. */
  readonly length8023: number | null;
}

export const ETHERNET_ANOMALIES: Readonly<Record<string, string>> = {
  ethernet_truncated: 'fewer than 14 bytes for the Ethernet header',
  ethernet_invalid_type: 'type/length field between 1501 and 1535: neither an 802.3 length nor an EtherType',
  ethernet_8023_length_exceeds_frame: 'the 802.3 length field is larger than the bytes that follow the header',
};

/** Decodes an Ethernet header; with `into` (a layer it returned before), into that layer (see decodeTcp). */
export function decodeEthernet(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext, into?: EthernetLayer): EthernetLayer | null {
  if (!need(ctx, 'ethernet', offset, end, ETHERNET_HEADER_BYTES)) return null;
  const typeField = u16be(bytes, offset + TYPE_OFFSET);
  const available = end - offset - ETHERNET_HEADER_BYTES;
  let etherType = typeField;
  let length8023: number | null = null;
  let payloadLength = available;
  if (typeField <= MAX_8023_LENGTH) {
    etherType = ETHERTYPE_8023_LLC;
    length8023 = typeField;
    if (typeField > available) {
      ctx.anomaly(
        'ethernet_8023_length_exceeds_frame',
        offset + TYPE_OFFSET,
        `802.3 length ${typeField} exceeds the ${available} bytes after the header`,
      );
    } else {
      payloadLength = typeField;
    }
  } else if (typeField < MIN_ETHERTYPE) {
    ctx.anomaly('ethernet_invalid_type', offset + TYPE_OFFSET, `Invalid length/type 0x${typeField.toString(16)}`);
  }
  if (into === undefined) {
    return {
      kind: 'ethernet',
      offset: offset - ctx.base,
      headerLength: ETHERNET_HEADER_BYTES,
      payloadLength,
      dst: u48be(bytes, offset),
      src: u48be(bytes, offset + SRC_OFFSET),
      etherType,
      length8023,
    };
  }
  const l = into as Refillable<EthernetLayer>;
  l.offset = offset - ctx.base;
  l.headerLength = ETHERNET_HEADER_BYTES;
  l.payloadLength = payloadLength;
  l.dst = u48be(bytes, offset);
  l.src = u48be(bytes, offset + SRC_OFFSET);
  l.etherType = etherType;
  l.length8023 = length8023;
  return l;
}

function encode(layer: EthernetLayer, out: Uint8Array, offset: number): number {
  putU48be(out, offset, layer.dst);
  putU48be(out, offset + SRC_OFFSET, layer.src);
  const typeField = layer.etherType === ETHERTYPE_8023_LLC ? (layer.length8023 ?? 0) : layer.etherType;
  putU16be(out, offset + TYPE_OFFSET, typeField);
  return offset + ETHERNET_HEADER_BYTES;
}

export const ethernetCodec: LayerCodec<EthernetLayer> = {
  kind: 'ethernet',
  decode: decodeEthernet,
  encode,
  encodingLength: (): number => ETHERNET_HEADER_BYTES,
};
