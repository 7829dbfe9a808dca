/**
 * A PPPoE session-stage header (RFC 2516, EtherType 0x8864) and the PPP protocol field after it:
 * version/type (4 bits each, both 1), code (0 in the session stage), session id, length (of the PPP
 * frame: protocol field and payload) and the 2-byte PPP protocol (0x0021 IPv4, 0x0057 IPv6).
 * The payload is trimmed to the length field. PPP protocol-field compression (RFC 1661, forbidden for
 * PPPoE by RFC 2516) is not decoded.
 */
import { need, type DecodeContext } from '../context.js';
import { putU16be, u16be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';

/** PPPoE header (6 bytes) plus the PPP protocol field (2 bytes). */
export const PPPOE_HEADER_BYTES = 8;
const PPP_PROTOCOL_BYTES = 2;
const CODE_OFFSET = 1;
const SESSION_OFFSET = 2;
const LENGTH_OFFSET = 4;
const PROTOCOL_OFFSET = 6;
const PPPOE_VERSION = 1;
const PPPOE_TYPE = 1;
const CODE_SESSION_DATA = 0;

export const PPP_PROTOCOL_IPV4 = 0x0021;
export const PPP_PROTOCOL_IPV6 = 0x0057;
export const PPP_PROTOCOL_LCP = 0xc021;

export interface PppoeLayer extends LayerBase {
  readonly kind: 'pppoe';
  readonly version: number;
  readonly type: number;
  /** 0 for session data. */
  readonly code: number;
  readonly sessionId: number;
  /** The PPPoE length field: bytes of the PPP frame (protocol field included). */
  readonly length: number;
  /** The PPP protocol of the payload (0x0021 IPv4, 0x0057 IPv6). */
  readonly pppProtocol: number;
}

export const PPPOE_ANOMALIES: Readonly<Record<string, string>> = {
  pppoe_truncated: 'fewer than 8 bytes for the PPPoE header and PPP protocol field',
  pppoe_bad_version: 'PPPoE version or type is not 1',
  pppoe_bad_code: 'a session-stage frame whose code is not 0',
  pppoe_bad_length: 'the PPPoE length is shorter than the PPP protocol field',
  pppoe_length_exceeds_frame: 'the PPPoE length is larger than the bytes that follow the header',
};

function decode(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): PppoeLayer | null {
  if (!need(ctx, 'pppoe', offset, end, PPPOE_HEADER_BYTES)) return null;
  const version = bytes[offset] >>> 4;
  const type = bytes[offset] & 0x0f;
  const code = bytes[offset + CODE_OFFSET];
  const length = u16be(bytes, offset + LENGTH_OFFSET);
  if (version !== PPPOE_VERSION || type !== PPPOE_TYPE) {
    ctx.anomaly('pppoe_bad_version', offset, `PPPoE version ${version} type ${type}, expected 1 and 1`);
  }
  if (code !== CODE_SESSION_DATA) {
    ctx.anomaly('pppoe_bad_code', offset + CODE_OFFSET, `PPPoE session frame with code 0x${code.toString(16)}`);
  }
  const available = end - offset - PPPOE_HEADER_BYTES;
  let payloadLength = available;
  if (length < PPP_PROTOCOL_BYTES) {
    ctx.anomaly('pppoe_bad_length', offset + LENGTH_OFFSET, `PPPoE length ${length} < ${PPP_PROTOCOL_BYTES}`);
    payloadLength = 0;
  } else if (length - PPP_PROTOCOL_BYTES > available) {
    ctx.anomaly(
      'pppoe_length_exceeds_frame',
      offset + LENGTH_OFFSET,
      `PPPoE length ${length} exceeds the ${available + PPP_PROTOCOL_BYTES} bytes of the PPP frame`,
    );
  } else {
    payloadLength = length - PPP_PROTOCOL_BYTES;
  }
  return {
    kind: 'pppoe',
    offset: offset - ctx.base,
    headerLength: PPPOE_HEADER_BYTES,
    payloadLength,
    version,
    type,
    code,
    sessionId: u16be(bytes, offset + SESSION_OFFSET),
    length,
    pppProtocol: u16be(bytes, offset + PROTOCOL_OFFSET),
  };
}

function encode(layer: PppoeLayer, out: Uint8Array, offset: number): number {
  out[offset] = ((layer.version & 0x0f) << 4) | (layer.type & 0x0f);
  out[offset + CODE_OFFSET] = layer.code;
  putU16be(out, offset + SESSION_OFFSET, layer.sessionId);
  putU16be(out, offset + LENGTH_OFFSET, layer.length);
  putU16be(out, offset + PROTOCOL_OFFSET, layer.pppProtocol);
  return offset + PPPOE_HEADER_BYTES;
}

export const pppoeCodec: LayerCodec<PppoeLayer> = {
  kind: 'pppoe',
  decode,
  encode,
  encodingLength: (): number => PPPOE_HEADER_BYTES,
};
