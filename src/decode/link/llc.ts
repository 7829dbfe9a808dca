/**
 * An IEEE 802.2 LLC header: DSAP, SSAP and a control field of 1 byte (U-format, low bits 11) or 2 bytes
 * (I- and S-format, read little-endian as tshark's `llc.control` shows them). After AA AA 03 comes a
 * SNAP header: a 3-byte OUI and a 2-byte protocol id, which is an EtherType for the OUIs that carry one
 * (00-00-00 RFC 1042, 00-00-F8 802.1H bridge tunnel, 08-00-07 Apple AppleTalk).
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, putU16le, u16be, u16le } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { ETHERTYPE_8023_LLC } from './ether-type.js';

export const SAP_SNAP = 0xaa;
export const LLC_CONTROL_UI = 0x03;
const U_FORMAT_MASK = 0x03;
const SHORT_HEADER_BYTES = 3;
const LONG_HEADER_BYTES = 4;
export const LLC_SNAP_HEADER_BYTES = 8;
const CONTROL_OFFSET = 2;
const OUI_OFFSET = 3;
const PID_OFFSET = 6;

export const OUI_ENCAP_ETHER = 0x000000;
export const OUI_BRIDGE_TUNNEL = 0x0000f8;
export const OUI_APPLE_ATALK = 0x080007;

export interface LlcLayer extends LayerBase {
  readonly kind: 'llc';
  readonly dsap: number;
  readonly ssap: number;
  /** The control field: one byte for U-format frames, else two bytes read little-endian. */
  readonly control: number;
  /** The SNAP OUI, or null when the header is not SNAP. */
  readonly oui: number | null;
  /** The SNAP protocol id, or null when the header is not SNAP. */
  readonly pid: number | null;
  /** The SNAP protocol id when it is an EtherType (see the OUIs above), else -1. */
  readonly etherType: number;
}

export const LLC_ANOMALIES: Readonly<Record<string, string>> = {
  llc_truncated: 'fewer bytes than the LLC header (3 or 4 bytes) or its SNAP extension (8 bytes) needs',
};

/** Whether the SNAP protocol id under this OUI is an EtherType. */
function pidIsEtherType(oui: number): boolean {
  return oui === OUI_ENCAP_ETHER || oui === OUI_BRIDGE_TUNNEL || oui === OUI_APPLE_ATALK;
}

function isShortControl(control: number): boolean {
  return (control & U_FORMAT_MASK) === U_FORMAT_MASK;
}

function decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): LlcLayer | null {
  if (!need(ctx, 'llc', offset, end, SHORT_HEADER_BYTES)) return null;
  const dsap = bytes[offset];
  const ssap = bytes[offset + 1];
  const first = bytes[offset + CONTROL_OFFSET];
  let headerLength = SHORT_HEADER_BYTES;
  let control = first;
  let oui: number | null = null;
  let pid: number | null = null;
  let etherType = ETHERTYPE_8023_LLC;
  if (!isShortControl(first)) {
    if (!need(ctx, 'llc', offset, end, LONG_HEADER_BYTES)) return null;
    headerLength = LONG_HEADER_BYTES;
    control = u16le(bytes, offset + CONTROL_OFFSET);
  } else if (dsap === SAP_SNAP && ssap === SAP_SNAP && first === LLC_CONTROL_UI) {
    if (!need(ctx, 'llc', offset, end, LLC_SNAP_HEADER_BYTES, 'SNAP header')) return null;
    headerLength = LLC_SNAP_HEADER_BYTES;
    oui = (bytes[offset + OUI_OFFSET] << 16) | u16be(bytes, offset + OUI_OFFSET + 1);
    pid = u16be(bytes, offset + PID_OFFSET);
    if (pidIsEtherType(oui)) etherType = pid;
  }
  return {
    kind: 'llc',
    offset: offset - ctx.base,
    headerLength,
    payloadLength: end - offset - headerLength,
    dsap,
    ssap,
    control,
    oui,
    pid,
    etherType,
  };
}

function encodingLength(layer: LlcLayer): number {
  if (!isShortControl(layer.control)) return LONG_HEADER_BYTES;
  return layer.oui === null ? SHORT_HEADER_BYTES : LLC_SNAP_HEADER_BYTES;
}

function encode(layer: LlcLayer, out: Uint8Array, offset: number): number {
  out[offset] = layer.dsap;
  out[offset + 1] = layer.ssap;
  if (!isShortControl(layer.control)) {
    putU16le(out, offset + CONTROL_OFFSET, layer.control);
    return offset + LONG_HEADER_BYTES;
  }
  out[offset + CONTROL_OFFSET] = layer.control;
  if (layer.oui === null) return offset + SHORT_HEADER_BYTES;
  out[offset + OUI_OFFSET] = (layer.oui >>> 16) & 0xff;
  putU16be(out, offset + OUI_OFFSET + 1, layer.oui & 0xffff);
  putU16be(out, offset + PID_OFFSET, layer.pid ?? layer.etherType);
  return offset + LLC_SNAP_HEADER_BYTES;
}

export const llcCodec: LayerCodec<LlcLayer> = {
  kind: 'llc',
  decode,
  encode,
  encodingLength,
};
