/**
 * Names an 802.11 management frame gives in clear (its body is never encrypted): the network name
 * (SSID) an access point announces in its beacons and probe responses, and the Wi-Fi Protected Setup
 * attributes a device may put in its probe and association requests and an access point in its
 * beacons (WPS vendor-specific element, OUI 00:50:F2 type 4: device name, manufacturer, model name and
 * number; Wi-Fi Simple Configuration Technical Specification 2.0, table 28). The SSID a probe request
 * asks for is the network a station looks for, not its own name: it is not read.
 *
 * ```ts
 * const names: WlanName[] = [];
 * wlanManagementNames(buf, bodyStart, bodyEnd, 4, names); // [{ kind: 'wps_device_name', value: 'Living Room TV' }, ...]
 * ```
 */

export type WlanNameKind = 'ssid' | 'wps_device_name' | 'wps_manufacturer' | 'wps_model_name' | 'wps_model_number';

export interface WlanName {
  readonly kind: WlanNameKind;
  readonly value: string;
}

/** Management subtypes and the fixed fields before their elements (IEEE 802.11-2020, 9.3.3). */
const FIXED_FIELD_BYTES: ReadonlyMap<number, number> = new Map([
  [0, 4], // association request: capability, listen interval
  [1, 6], // association response: capability, status, AID
  [2, 10], // reassociation request: capability, listen interval, current AP
  [3, 6], // reassociation response
  [4, 0], // probe request
  [5, 12], // probe response: timestamp, beacon interval, capability
  [8, 12], // beacon
]);
const PROBE_RESPONSE = 5;
const BEACON = 8;
const ELEMENT_SSID = 0;
const ELEMENT_VENDOR = 221;
const WPS_OUI_TYPE = [0x00, 0x50, 0xf2, 0x04];
const WPS_ATTRIBUTES: ReadonlyMap<number, WlanNameKind> = new Map([
  [0x1011, 'wps_device_name'],
  [0x1021, 'wps_manufacturer'],
  [0x1023, 'wps_model_name'],
  [0x1024, 'wps_model_number'],
]);
/** Names longer than this are cut (an SSID is at most 32 bytes, WPS names at most 64). */
const MAX_NAME_BYTES = 64;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a name's bytes: UTF-8 where they are, else one character per byte; '' for none or only NULs. */
function nameText(buf: Uint8Array, start: number, end: number): string {
  const bytes = buf.subarray(start, Math.min(end, start + MAX_NAME_BYTES));
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = latin1.decode(bytes);
  }
  return text.replace(/\0+$/, '').trim();
}

/** Adds the names of a management frame of `subtype` whose body is `buf[start..end)` to `into`. */
export function wlanManagementNames(buf: Uint8Array, start: number, end: number, subtype: number, into: WlanName[]): void {
  const fixed = FIXED_FIELD_BYTES.get(subtype);
  if (fixed === undefined) return;
  let at = start + fixed;
  while (at + 2 <= end) {
    const id = buf[at];
    const len = buf[at + 1];
    const body = at + 2;
    if (body + len > end) return;
    if (id === ELEMENT_SSID && (subtype === BEACON || subtype === PROBE_RESPONSE) && len > 0) {
      const ssid = nameText(buf, body, body + len);
      if (ssid !== '') into.push({ kind: 'ssid', value: ssid });
    } else if (id === ELEMENT_VENDOR && len >= 4 && WPS_OUI_TYPE.every((b, i) => buf[body + i] === b)) {
      wpsNames(buf, body + 4, body + len, into);
    }
    at = body + len;
  }
}

/** The WPS attributes (2-byte type, 2-byte length, big-endian) that name the device. */
function wpsNames(buf: Uint8Array, start: number, end: number, into: WlanName[]): void {
  let at = start;
  while (at + 4 <= end) {
    const type = (buf[at] << 8) | buf[at + 1];
    const len = (buf[at + 2] << 8) | buf[at + 3];
    const body = at + 4;
    if (body + len > end) return;
    const kind = WPS_ATTRIBUTES.get(type);
    if (kind !== undefined && len > 0) {
      const value = nameText(buf, body, body + len);
      if (value !== '') into.push({ kind, value });
    }
    at = body + len;
  }
}
