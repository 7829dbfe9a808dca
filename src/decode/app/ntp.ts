/**
 * NTP messages (RFC 5905, and SNTP, RFC 4330) on UDP port 123: the 48-byte header, which says who
 * asks (mode 3, a client; 4 is the server's answer) and, in a server's answer, its stratum and
 * reference id. Which servers a device asks for the time is a clue to its maker: firmware ships with
 * its maker's pool (`ntp.homematic.com`, `ntp1.dlink.com`, `time.nist.gov`).
 *
 * ```ts
 * const ntp = ntpCodec.decode(bytes, udpPayloadStart, udpPayloadEnd, ctx); // NtpLayer | null
 * if (ntp?.mode === NTP_MODE.CLIENT) console.log('asks', dstIp, 'for the time');
 * ```
 *
 * The fields are tshark 4.0's `ntp.flags.li`, `ntp.flags.vn`, `ntp.flags.mode`, `ntp.stratum`,
 * `ntp.ppoll`, `ntp.precision`, `ntp.refid` (4 bytes, hex) and the four timestamps (8 bytes each,
 * hex). Extension fields and a MAC after the header are the payload. A datagram shorter than the
 * header gives no layer and no anomaly: NTP is read for its clue only, and tshark's `packets`
 * columns hold no NTP field, so what a damaged message holds changes no output.
 */
import type { DecodeContext } from '../context.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { bytesToHex, hexToBytes } from '../hex.js';

export interface NtpLayer extends LayerBase {
  readonly kind: 'ntp';
  /** Leap indicator (0-3). */
  readonly leap: number;
  /** Version number (1-4 seen; 3 bits). */
  readonly version: number;
  /** 1 symmetric active, 2 symmetric passive, 3 client, 4 server, 5 broadcast, 6 control, 7 private. */
  readonly mode: number;
  readonly stratum: number;
  /** Poll interval and precision, as log2 seconds (signed). */
  readonly poll: number;
  readonly precision: number;
  /** Root delay and dispersion, NTP short format (16.16 fixed point) as the raw 32-bit word. */
  readonly rootDelay: number;
  readonly rootDispersion: number;
  /** Reference id, 4 bytes as hex (an address, or ASCII such as `GPS` for stratum 1). */
  readonly refId: string;
  /** Reference, origin, receive and transmit timestamps, 8 bytes each as hex. */
  readonly referenceTime: string;
  readonly originTime: string;
  readonly receiveTime: string;
  readonly transmitTime: string;
}

export const NTP_HEADER_BYTES = 48;
export const NTP_MODE = { CLIENT: 3, SERVER: 4, BROADCAST: 5 } as const;

const i8 = (x: number): number => (x << 24) >> 24;
const u32 = (b: Uint8Array, p: number): number => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;

export function decodeNtp(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): NtpLayer | null {
  if (end - offset < NTP_HEADER_BYTES) return null;
  const b = bytes;
  const p = offset;
  return {
    kind: 'ntp',
    offset: offset - ctx.base,
    headerLength: NTP_HEADER_BYTES,
    payloadLength: end - offset - NTP_HEADER_BYTES,
    leap: b[p] >> 6,
    version: (b[p] >> 3) & 7,
    mode: b[p] & 7,
    stratum: b[p + 1],
    poll: i8(b[p + 2]),
    precision: i8(b[p + 3]),
    rootDelay: u32(b, p + 4),
    rootDispersion: u32(b, p + 8),
    refId: bytesToHex(b, p + 12, p + 16),
    referenceTime: bytesToHex(b, p + 16, p + 24),
    originTime: bytesToHex(b, p + 24, p + 32),
    receiveTime: bytesToHex(b, p + 32, p + 40),
    transmitTime: bytesToHex(b, p + 40, p + 48),
  };
}

function putU32(out: Uint8Array, p: number, v: number): void {
  out[p] = v >>> 24;
  out[p + 1] = (v >>> 16) & 0xff;
  out[p + 2] = (v >>> 8) & 0xff;
  out[p + 3] = v & 0xff;
}

/** Writes the header `layer` describes at `offset`; returns the end index. */
export function encodeNtp(layer: NtpLayer, out: Uint8Array, offset: number): number {
  const p = offset;
  out[p] = ((layer.leap & 3) << 6) | ((layer.version & 7) << 3) | (layer.mode & 7);
  out[p + 1] = layer.stratum;
  out[p + 2] = layer.poll & 0xff;
  out[p + 3] = layer.precision & 0xff;
  putU32(out, p + 4, layer.rootDelay);
  putU32(out, p + 8, layer.rootDispersion);
  const fixed = (hex: string, at: number, n: number): void => {
    const bytes = hexToBytes(hex);
    if (bytes.length !== n) throw new RangeError(`NTP field of ${bytes.length} bytes, expected ${n}`);
    out.set(bytes, at);
  };
  fixed(layer.refId, p + 12, 4);
  fixed(layer.referenceTime, p + 16, 8);
  fixed(layer.originTime, p + 24, 8);
  fixed(layer.receiveTime, p + 32, 8);
  fixed(layer.transmitTime, p + 40, 8);
  return offset + NTP_HEADER_BYTES;
}

export const ntpCodec: LayerCodec<NtpLayer> = {
  kind: 'ntp',
  decode: decodeNtp,
  encode: encodeNtp,
  encodingLength: () => NTP_HEADER_BYTES,
};

/** An NTP client request (mode 3, version 4) as SNTP clients send it: only the transmit time set. */
export function makeNtpRequest(transmitTime = '0000000000000000', version = 4): NtpLayer {
  const zero8 = '0000000000000000';
  return {
    kind: 'ntp',
    offset: 0,
    headerLength: NTP_HEADER_BYTES,
    payloadLength: 0,
    leap: 0,
    version,
    mode: NTP_MODE.CLIENT,
    stratum: 0,
    poll: 0,
    precision: 0,
    rootDelay: 0,
    rootDispersion: 0,
    refId: '00000000',
    referenceTime: zero8,
    originTime: zero8,
    receiveTime: zero8,
    transmitTime,
  };
}
