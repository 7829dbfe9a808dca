/**
 * An IEEE 802.11 MAC header (LINKTYPE_IEEE802_11, 105, or after radiotap): frame control, duration,
 * one to four addresses, sequence control, QoS control and HT control as the frame type calls for,
 * and the FCS trailer when the capture keeps it (radiotap Flags, or the driver's choice: pass
 * `hasFcs` to {@link decodeIeee80211}). Header sizes: management 24, data 24 (+6 with four
 * addresses, +2 QoS, +4 HT control), control 16 (RA and TA) or 10 (RA only: CTS, ACK, reserved
 * subtypes and DMG control frame extensions), extension 10.
 *
 * `receiver`, `transmitter`, `source`, `destination` and `bssid` are the addresses as tshark 4.0 gives
 * wlan.ra, wlan.ta, wlan.sa, wlan.da and wlan.bssid (the first occurrence; null when tshark has none).
 * For an A-MSDU, tshark takes SA/DA from the subframes; this layer leaves them null where the header
 * does not hold them.
 *
 * `payloadKind` says what the body is: 'llc' for a data frame with a plaintext MSDU, 'encrypted' for a
 * protected data frame (`payloadLength` is then the encrypted size: cipher header, data and MIC),
 * 'none' for frames without data (null function, management, control, plaintext A-MSDU).
 */
import { need, type DecodeContext } from '../context.js';
import { putU16le, putU32le, putU48be, u16le, u32le, u48be } from '../../core/bytes.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import type { ReportedEndContext } from '../net/reported-end.js';

export const IEEE80211_TYPE = { MANAGEMENT: 0, CONTROL: 1, DATA: 2, EXTENSION: 3 } as const;
export const IEEE80211_CONTROL_SUBTYPE = {
  /** Subtypes 0 and 1 are reserved: decoded as RA-only headers, as tshark does. */
  TRIGGER: 2,
  TACK: 3,
  BEAMFORMING_REPORT_POLL: 4,
  NDP_ANNOUNCEMENT: 5,
  /** DMG (60 GHz) frames whose layout depends on an extension type: only FC, duration and RA decoded. */
  CONTROL_FRAME_EXTENSION: 6,
  CONTROL_WRAPPER: 7,
  BLOCK_ACK_REQUEST: 8,
  BLOCK_ACK: 9,
  PS_POLL: 10,
  RTS: 11,
  CTS: 12,
  ACK: 13,
  CF_END: 14,
  CF_END_CF_ACK: 15,
} as const;
export const IEEE80211_DATA_SUBTYPE = { DATA: 0, NULL: 4, QOS_DATA: 8, QOS_NULL: 12 } as const;

const FLAG_TO_DS = 0x01;
const FLAG_FROM_DS = 0x02;
const FLAG_MORE_FRAGMENTS = 0x04;
const FLAG_RETRY = 0x08;
const FLAG_POWER_MANAGEMENT = 0x10;
const FLAG_MORE_DATA = 0x20;
const FLAG_PROTECTED = 0x40;
const FLAG_ORDER = 0x80;
/** Data subtypes with this bit carry no frame body (null function, CF-Ack, CF-Poll ...). */
const DATA_SUBTYPE_NO_DATA = 0x4;
/** Data subtypes with this bit have a QoS control field. */
const DATA_SUBTYPE_QOS = 0x8;
const QOS_AMSDU_PRESENT = 0x0080;

const DURATION_OFFSET = 2;
const ADDR1_OFFSET = 4;
const ADDR2_OFFSET = 10;
const ADDR3_OFFSET = 16;
const SEQUENCE_OFFSET = 22;
const ADDR4_OFFSET = 24;
const CARRIED_FC_OFFSET = 10;
const WRAPPER_HT_OFFSET = 12;
const FRAME_CONTROL_BYTES = 2;
const SHORT_CONTROL_BYTES = 10;
const LONG_CONTROL_BYTES = 16;
const THREE_ADDRESS_BYTES = 24;
const ADDR4_BYTES = 6;
const QOS_BYTES = 2;
const HT_CONTROL_BYTES = 4;
const FCS_BYTES = 4;
const PAD_ALIGN = 4;
const FRAGMENT_MASK = 0x000f;
const SEQUENCE_SHIFT = 4;

export type Ieee80211PayloadKind = 'llc' | 'encrypted' | 'none';

export interface Ieee80211Layer extends LayerBase {
  readonly kind: 'ieee80211';
  /** Protocol version (0; other versions are not decoded). */
  readonly version: number;
  /** 0 management, 1 control, 2 data, 3 extension. */
  readonly type: number;
  readonly subtype: number;
  readonly toDs: boolean;
  readonly fromDs: boolean;
  readonly moreFragments: boolean;
  readonly retry: boolean;
  readonly powerManagement: boolean;
  readonly moreData: boolean;
  readonly protected: boolean;
  /** +HTC/Order: in management and QoS data frames, an HT control field is present. */
  readonly order: boolean;
  /** The duration/ID field. */
  readonly duration: number;
  readonly addr1: number;
  /** Absent (null) in CTS, ACK and extension frames. */
  readonly addr2: number | null;
  /** Present in management and data frames. */
  readonly addr3: number | null;
  /** Present in data frames with both To DS and From DS (WDS, mesh). */
  readonly addr4: number | null;
  /** wlan.ra */
  readonly receiver: number;
  /** wlan.ta */
  readonly transmitter: number | null;
  /** wlan.sa */
  readonly source: number | null;
  /** wlan.da */
  readonly destination: number | null;
  /** wlan.bssid */
  readonly bssid: number | null;
  /** Sequence number (management and data frames). */
  readonly sequence: number | null;
  /** Fragment number (management and data frames). */
  readonly fragment: number | null;
  /** QoS control field (QoS data subtypes), little-endian. */
  readonly qosControl: number | null;
  /** The QoS control says the body is an A-MSDU. */
  readonly amsdu: boolean;
  /** HT control field, little-endian (order bit in management/QoS data frames; control wrapper). */
  readonly htControl: number | null;
  /** The carried frame's frame control, in a control wrapper frame. */
  readonly carriedFrameControl: number | null;
  /** Zero bytes between the header and the body (radiotap's data-pad flag). */
  readonly headerPadding: number;
  readonly payloadKind: Ieee80211PayloadKind;
  /** The frame check sequence as tshark shows wlan.fcs (little-endian), when the capture has it. */
  readonly fcs: number | null;
}

export const IEEE80211_ANOMALIES: Readonly<Record<string, string>> = {
  ieee80211_truncated: 'fewer bytes than the MAC header of this frame type needs',
  ieee80211_bad_version: 'protocol version is not 0; the header is not decoded',
  ieee80211_missing_fcs: 'the frame is said to end with an FCS but is too short to hold one after its header',
};

/** Header bytes (without padding) for a frame control; `flags` is the second frame control byte. */
export function ieee80211HeaderBytes(type: number, subtype: number, flags: number): number {
  switch (type) {
    case IEEE80211_TYPE.MANAGEMENT:
      return THREE_ADDRESS_BYTES + ((flags & FLAG_ORDER) !== 0 ? HT_CONTROL_BYTES : 0);
    case IEEE80211_TYPE.CONTROL:
      return subtype === IEEE80211_CONTROL_SUBTYPE.CTS ||
        subtype === IEEE80211_CONTROL_SUBTYPE.ACK ||
        subtype === IEEE80211_CONTROL_SUBTYPE.CONTROL_FRAME_EXTENSION ||
        subtype < IEEE80211_CONTROL_SUBTYPE.TRIGGER
        ? SHORT_CONTROL_BYTES
        : LONG_CONTROL_BYTES;
    case IEEE80211_TYPE.DATA: {
      let n = THREE_ADDRESS_BYTES;
      if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) === (FLAG_TO_DS | FLAG_FROM_DS)) n += ADDR4_BYTES;
      if ((subtype & DATA_SUBTYPE_QOS) !== 0) {
        n += QOS_BYTES;
        if ((flags & FLAG_ORDER) !== 0) n += HT_CONTROL_BYTES;
      }
      return n;
    }
    default:
      return SHORT_CONTROL_BYTES;
  }
}

/**
 * Decodes the 802.11 header at `offset`. `hasFcs`: the frame ends with its 4-byte FCS (not part of
 * the payload). `dataPad`: the header is padded to a multiple of 4 bytes (radiotap `dataPad`).
 */
export function decodeIeee80211(
  bytes: Uint8Array,
  offset: number,
  end: number,
  ctx: DecodeContext,
  hasFcs: boolean,
  dataPad = false,
): Ieee80211Layer | null {
  if (end - offset < FRAME_CONTROL_BYTES) {
    need(ctx, 'ieee80211', offset, end, SHORT_CONTROL_BYTES);
    return null;
  }
  const fc0 = bytes[offset];
  const flags = bytes[offset + 1];
  const version = fc0 & 0x03;
  const type = (fc0 >>> 2) & 0x03;
  const subtype = fc0 >>> 4;
  if (version !== 0) {
    ctx.anomaly('ieee80211_bad_version', offset, `802.11 protocol version ${version}`);
    return null;
  }
  const macBytes = ieee80211HeaderBytes(type, subtype, flags);
  if (!need(ctx, 'ieee80211', offset, end, macBytes)) return null;

  const toDs = (flags & FLAG_TO_DS) !== 0;
  const fromDs = (flags & FLAG_FROM_DS) !== 0;
  const order = (flags & FLAG_ORDER) !== 0;
  const addr1 = u48be(bytes, offset + ADDR1_OFFSET);
  let addr2: number | null = null;
  let addr3: number | null = null;
  let addr4: number | null = null;
  let sequence: number | null = null;
  let fragment: number | null = null;
  let qosControl: number | null = null;
  let htControl: number | null = null;
  let carriedFrameControl: number | null = null;
  let transmitter: number | null = null;
  let source: number | null = null;
  let destination: number | null = null;
  let bssid: number | null = null;
  let amsdu = false;
  const isWrapper = type === IEEE80211_TYPE.CONTROL && subtype === IEEE80211_CONTROL_SUBTYPE.CONTROL_WRAPPER;
  if (macBytes >= LONG_CONTROL_BYTES && !isWrapper) {
    addr2 = u48be(bytes, offset + ADDR2_OFFSET);
    transmitter = addr2;
  }
  if (type === IEEE80211_TYPE.MANAGEMENT || type === IEEE80211_TYPE.DATA) {
    addr3 = u48be(bytes, offset + ADDR3_OFFSET);
    const seq = u16le(bytes, offset + SEQUENCE_OFFSET);
    sequence = seq >>> SEQUENCE_SHIFT;
    fragment = seq & FRAGMENT_MASK;
    let at = offset + THREE_ADDRESS_BYTES;
    if (type === IEEE80211_TYPE.DATA) {
      if (toDs && fromDs) {
        addr4 = u48be(bytes, offset + ADDR4_OFFSET);
        at += ADDR4_BYTES;
      }
      if ((subtype & DATA_SUBTYPE_QOS) !== 0) {
        qosControl = u16le(bytes, at);
        amsdu = (qosControl & QOS_AMSDU_PRESENT) !== 0;
        at += QOS_BYTES;
        if (order) htControl = u32le(bytes, at);
      }
    } else if (order) {
      htControl = u32le(bytes, at);
    }
  }
  switch (type) {
    case IEEE80211_TYPE.MANAGEMENT:
      destination = addr1;
      source = addr2;
      bssid = addr3;
      break;
    case IEEE80211_TYPE.DATA:
      if (!toDs && !fromDs) {
        destination = addr1;
        source = addr2;
        bssid = addr3;
      } else if (toDs && !fromDs) {
        bssid = addr1;
        source = addr2;
        destination = amsdu ? null : addr3;
      } else if (!toDs && fromDs) {
        destination = addr1;
        bssid = addr2;
        source = amsdu ? null : addr3;
      } else if (amsdu) {
        bssid = addr3;
      } else {
        destination = addr3;
        source = addr4;
      }
      break;
    case IEEE80211_TYPE.CONTROL:
      if (subtype === IEEE80211_CONTROL_SUBTYPE.PS_POLL) {
        bssid = addr1;
      } else if (subtype === IEEE80211_CONTROL_SUBTYPE.CF_END) {
        bssid = addr2;
        transmitter = null;
      } else if (subtype === IEEE80211_CONTROL_SUBTYPE.CONTROL_WRAPPER) {
        carriedFrameControl = u16le(bytes, offset + CARRIED_FC_OFFSET);
        htControl = u32le(bytes, offset + WRAPPER_HT_OFFSET);
      }
      break;
    default:
      bssid = addr1;
  }

  let bodyEnd = end;
  let fcs: number | null = null;
  if (hasFcs) {
    // The FCS ends the frame on the wire: when the snap length cut the frame, the FCS (or part of it)
    // was not captured, and every captured byte before it is body, as tshark reads it.
    const reported = (ctx as ReportedEndContext).reportedEnd;
    const wireEnd = reported !== undefined && reported > end ? reported : end;
    if (wireEnd - offset - macBytes >= FCS_BYTES) {
      const fcsAt = wireEnd - FCS_BYTES;
      bodyEnd = fcsAt < end ? fcsAt : end;
      if (wireEnd === end) fcs = u32le(bytes, fcsAt);
    } else {
      ctx.anomaly('ieee80211_missing_fcs', offset + macBytes, `No room for the FCS after the ${macBytes}-byte header`);
      bodyEnd = offset + macBytes;
    }
  }
  let headerPadding = dataPad ? -macBytes & (PAD_ALIGN - 1) : 0;
  if (headerPadding > bodyEnd - offset - macBytes) {
    // A data frame that carries data has a body after the padding: the frame was cut in the header.
    if (type === IEEE80211_TYPE.DATA && (subtype & DATA_SUBTYPE_NO_DATA) === 0) {
      ctx.anomaly('ieee80211_truncated', offset + macBytes, `The ${headerPadding}-byte padding after the ${macBytes}-byte header is cut short`);
    }
    headerPadding = bodyEnd - offset - macBytes;
  }
  const headerLength = macBytes + headerPadding;
  const payloadLength = bodyEnd - offset - headerLength;

  let payloadKind: Ieee80211PayloadKind = 'none';
  if (type === IEEE80211_TYPE.DATA && (subtype & DATA_SUBTYPE_NO_DATA) === 0 && payloadLength > 0) {
    if ((flags & FLAG_PROTECTED) !== 0) payloadKind = 'encrypted';
    else if (!amsdu) payloadKind = 'llc';
  }

  return {
    kind: 'ieee80211',
    offset: offset - ctx.base,
    headerLength,
    payloadLength,
    version,
    type,
    subtype,
    toDs,
    fromDs,
    moreFragments: (flags & FLAG_MORE_FRAGMENTS) !== 0,
    retry: (flags & FLAG_RETRY) !== 0,
    powerManagement: (flags & FLAG_POWER_MANAGEMENT) !== 0,
    moreData: (flags & FLAG_MORE_DATA) !== 0,
    protected: (flags & FLAG_PROTECTED) !== 0,
    order,
    duration: u16le(bytes, offset + DURATION_OFFSET),
    addr1,
    addr2,
    addr3,
    addr4,
    receiver: addr1,
    transmitter,
    source,
    destination,
    bssid,
    sequence,
    fragment,
    qosControl,
    amsdu,
    htControl,
    carriedFrameControl,
    headerPadding,
    payloadKind,
    fcs,
  };
}

function flagsByte(l: Ieee80211Layer): number {
  return (
    (l.toDs ? FLAG_TO_DS : 0) |
    (l.fromDs ? FLAG_FROM_DS : 0) |
    (l.moreFragments ? FLAG_MORE_FRAGMENTS : 0) |
    (l.retry ? FLAG_RETRY : 0) |
    (l.powerManagement ? FLAG_POWER_MANAGEMENT : 0) |
    (l.moreData ? FLAG_MORE_DATA : 0) |
    (l.protected ? FLAG_PROTECTED : 0) |
    (l.order ? FLAG_ORDER : 0)
  );
}

function encodingLength(l: Ieee80211Layer): number {
  return ieee80211HeaderBytes(l.type, l.subtype, flagsByte(l)) + l.headerPadding;
}

/** Writes the MAC header (and padding); the FCS is a trailer and is not written. */
function encode(l: Ieee80211Layer, out: Uint8Array, offset: number): number {
  const flags = flagsByte(l);
  const macBytes = ieee80211HeaderBytes(l.type, l.subtype, flags);
  out[offset] = ((l.subtype & 0x0f) << 4) | ((l.type & 0x03) << 2) | (l.version & 0x03);
  out[offset + 1] = flags;
  putU16le(out, offset + DURATION_OFFSET, l.duration);
  putU48be(out, offset + ADDR1_OFFSET, l.addr1);
  if (l.type === IEEE80211_TYPE.CONTROL && l.subtype === IEEE80211_CONTROL_SUBTYPE.CONTROL_WRAPPER) {
    putU16le(out, offset + CARRIED_FC_OFFSET, l.carriedFrameControl ?? 0);
    putU32le(out, offset + WRAPPER_HT_OFFSET, l.htControl ?? 0);
  } else if (macBytes >= LONG_CONTROL_BYTES) {
    putU48be(out, offset + ADDR2_OFFSET, l.addr2 ?? 0);
  }
  if (l.type === IEEE80211_TYPE.MANAGEMENT || l.type === IEEE80211_TYPE.DATA) {
    putU48be(out, offset + ADDR3_OFFSET, l.addr3 ?? 0);
    putU16le(out, offset + SEQUENCE_OFFSET, ((l.sequence ?? 0) << SEQUENCE_SHIFT) | ((l.fragment ?? 0) & FRAGMENT_MASK));
    let at = offset + THREE_ADDRESS_BYTES;
    if (l.type === IEEE80211_TYPE.DATA) {
      if (l.toDs && l.fromDs) {
        putU48be(out, at, l.addr4 ?? 0);
        at += ADDR4_BYTES;
      }
      if ((l.subtype & DATA_SUBTYPE_QOS) !== 0) {
        putU16le(out, at, l.qosControl ?? 0);
        at += QOS_BYTES;
        if (l.order) putU32le(out, at, l.htControl ?? 0);
      }
    } else if (l.order) {
      putU32le(out, at, l.htControl ?? 0);
    }
  }
  out.fill(0, offset + macBytes, offset + macBytes + l.headerPadding);
  return offset + macBytes + l.headerPadding;
}

/** The codec for frames without an FCS; use {@link decodeIeee80211} to say whether there is one. */
export const ieee80211Codec: LayerCodec<Ieee80211Layer> = {
  kind: 'ieee80211',
  decode: (bytes, offset, end, ctx) => decodeIeee80211(bytes, offset, end, ctx, false),
  encode,
  encodingLength,
};
