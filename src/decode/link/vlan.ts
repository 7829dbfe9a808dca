/**
 * An IEEE 802.1Q / 802.1ad VLAN tag: the 4 bytes after a TPID (0x8100, 0x88a8, 0x9100, 0x9200) that the
 * previous header named as its EtherType. Stacked tags (Q-in-Q) are one vlan layer per tag. As in
 * Ethernet, an inner type/length value up to 1500 is an 802.3 length and an LLC header follows.
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, u16be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { ETHERTYPE_8023_LLC, MAX_8023_LENGTH, MIN_ETHERTYPE } from './ether-type.js';

export const VLAN_TAG_BYTES = 4;
const TYPE_OFFSET = 2;
const PRIORITY_SHIFT = 13;
const DEI_BIT = 0x1000;
const VLAN_ID_MASK = 0x0fff;

export interface VlanLayer extends LayerBase {
  readonly kind: 'vlan';
  /** Priority code point (802.1p), 0..7. */
  readonly priority: number;
  /** Drop eligible indicator (formerly CFI). */
  readonly dei: boolean;
  /** VLAN identifier, 0..4095 (0: priority tag only). */
  readonly vlanId: number;
  /** The EtherType of what follows, or {@link ETHERTYPE_8023_LLC} for an 802.3 length. */
  readonly etherType: number;
  /** The 802.3 length field when `etherType` is {@link ETHERTYPE_8023_LLC}, else null. */
  readonly length8023: number | null;
}

export const VLAN_ANOMALIES: Readonly<Record<string, string>> = {
  vlan_truncated: 'fewer than 4 bytes for the VLAN tag',
  vlan_invalid_type: 'type/length field between 1501 and 1535: neither an 802.3 length nor an EtherType',
  vlan_8023_length_exceeds_frame: 'the 802.3 length field is larger than the bytes that follow the tag',
};

function decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): VlanLayer | null {
  if (!need(ctx, 'vlan', offset, end, VLAN_TAG_BYTES)) return null;
  const tci = u16be(bytes, offset);
  const typeField = u16be(bytes, offset + TYPE_OFFSET);
  const available = end - offset - VLAN_TAG_BYTES;
  let etherType = typeField;
  let length8023: number | null = null;
  let payloadLength = available;
  if (typeField <= MAX_8023_LENGTH) {
    etherType = ETHERTYPE_8023_LLC;
    length8023 = typeField;
    if (typeField > available) {
      ctx.anomaly(
        'vlan_8023_length_exceeds_frame',
        offset + TYPE_OFFSET,
        `802.3 length ${typeField} exceeds the ${available} bytes after the tag`,
      );
    } else {
      payloadLength = typeField;
    }
  } else if (typeField < MIN_ETHERTYPE) {
    ctx.anomaly('vlan_invalid_type', offset + TYPE_OFFSET, `Invalid length/type 0x${typeField.toString(16)}`);
  }
  return {
    kind: 'vlan',
    offset: offset - ctx.base,
    headerLength: VLAN_TAG_BYTES,
    payloadLength,
    priority: tci >>> PRIORITY_SHIFT,
    dei: (tci & DEI_BIT) !== 0,
    vlanId: tci & VLAN_ID_MASK,
    etherType,
    length8023,
  };
}

function encode(layer: VlanLayer, out: Uint8Array, offset: number): number {
  const tci = ((layer.priority & 7) << PRIORITY_SHIFT) | (layer.dei ? DEI_BIT : 0) | (layer.vlanId & VLAN_ID_MASK);
  putU16be(out, offset, tci);
  const typeField = layer.etherType === ETHERTYPE_8023_LLC ? (layer.length8023 ?? 0) : layer.etherType;
  putU16be(out, offset + TYPE_OFFSET, typeField);
  return offset + VLAN_TAG_BYTES;
}

export const vlanCodec: LayerCodec<VlanLayer> = {
  kind: 'vlan',
  decode,
  encode,
  encodingLength: (): number => VLAN_TAG_BYTES,
};
