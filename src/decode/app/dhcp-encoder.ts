/**
 * Writes DHCP messages from {@link DhcpLayer} values (the encoding half of `dhcpCodec`, see dhcp.ts):
 * the fixed header, the sname/file fields (text, or the options option 52 puts there), the magic
 * cookie, the options of the options field, End and the padding; without the DHCP cookie, the raw
 * vendor area.
 */
import { putU16be, putU32be, putU48be } from '../../core/bytes.js';
import { hexToBytes } from '../hex.js';
import type { DhcpLayer, DhcpOption, DhcpOptionArea } from './dhcp.js';
import {
  DHCP_CHADDR_BYTES,
  DHCP_CHADDR_OFFSET,
  DHCP_FILE_BYTES,
  DHCP_FILE_OFFSET,
  DHCP_FIXED_HEADER_BYTES,
  DHCP_MAGIC_COOKIE,
  DHCP_MAGIC_COOKIE_BYTES,
  DHCP_OPTION,
  DHCP_OVERLOAD_FILE,
  DHCP_OVERLOAD_SNAME,
  DHCP_SNAME_BYTES,
  DHCP_SNAME_OFFSET,
} from './dhcp-constants.js';

/** Bytes the options of `area` take (code and length bytes included). */
function optionsBytes(options: readonly DhcpOption[], area: DhcpOptionArea): number {
  let n = 0;
  for (const o of options) if (o.area === area) n += 2 + (o.data.length >>> 1);
  return n;
}

function putOptions(options: readonly DhcpOption[], area: DhcpOptionArea, out: Uint8Array, at: number): number {
  for (const o of options) {
    if (o.area !== area) continue;
    const data = hexToBytes(o.data);
    out[at] = o.code;
    out[at + 1] = o.length;
    out.set(data, at + 2);
    at += 2 + data.length;
  }
  return at;
}

/** Writes a fixed text field (zero-filled before): ASCII, other characters as 0x80 (read back as U+FFFD). */
function putText(out: Uint8Array, at: number, size: number, text: string): void {
  const n = Math.min(text.length, size);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    out[at + i] = c < 0x80 ? c : 0x80;
  }
}

/** Writes sname or file (zero-filled before): the text, or the options that overload it and End. */
function putField(layer: DhcpLayer, bit: number, area: DhcpOptionArea, text: string, out: Uint8Array, at: number, size: number): void {
  if ((layer.overload & bit) === 0) return putText(out, at, size, text);
  const need = optionsBytes(layer.options, area) + 1;
  if (need > size) throw new RangeError(`DHCP options of the ${area} field take ${need} bytes, more than its ${size}`);
  out[putOptions(layer.options, area, out, at)] = DHCP_OPTION.END;
}

/**
 * Writes the message `layer` describes at `offset` and returns the end index. With the DHCP magic
 * cookie: the options of the options field, End and `paddingLength` zero bytes; without it,
 * `vendorData`. Throws a RangeError when the options of an overloaded field do not fit it.
 */
export function encodeDhcp(layer: DhcpLayer, out: Uint8Array, offset: number): number {
  out.fill(0, offset, offset + DHCP_FIXED_HEADER_BYTES);
  out[offset] = layer.op;
  out[offset + 1] = layer.htype;
  out[offset + 2] = layer.hlen;
  out[offset + 3] = layer.hops;
  putU32be(out, offset + 4, layer.xid);
  putU16be(out, offset + 8, layer.secs);
  putU16be(out, offset + 10, layer.flags);
  putU32be(out, offset + 12, layer.ciaddr);
  putU32be(out, offset + 16, layer.yiaddr);
  putU32be(out, offset + 20, layer.siaddr);
  putU32be(out, offset + 24, layer.giaddr);
  const chaddrAt = offset + DHCP_CHADDR_OFFSET;
  if (typeof layer.chaddr === 'number') putU48be(out, chaddrAt, layer.chaddr);
  else out.set(hexToBytes(layer.chaddr).subarray(0, DHCP_CHADDR_BYTES), chaddrAt);
  putField(layer, DHCP_OVERLOAD_SNAME, 'sname', layer.sname, out, offset + DHCP_SNAME_OFFSET, DHCP_SNAME_BYTES);
  putField(layer, DHCP_OVERLOAD_FILE, 'file', layer.file, out, offset + DHCP_FILE_OFFSET, DHCP_FILE_BYTES);
  const vendorAt = offset + DHCP_FIXED_HEADER_BYTES;
  if (layer.magicCookie !== DHCP_MAGIC_COOKIE) {
    const raw = hexToBytes(layer.vendorData);
    out.set(raw, vendorAt);
    return vendorAt + raw.length;
  }
  putU32be(out, vendorAt, DHCP_MAGIC_COOKIE);
  const at = putOptions(layer.options, 'options', out, vendorAt + DHCP_MAGIC_COOKIE_BYTES);
  out[at] = DHCP_OPTION.END;
  out.fill(0, at + 1, at + 1 + layer.paddingLength);
  return at + 1 + layer.paddingLength;
}

/** Bytes {@link encodeDhcp} writes for `layer`. */
export function dhcpEncodingLength(layer: DhcpLayer): number {
  if (layer.magicCookie !== DHCP_MAGIC_COOKIE) return DHCP_FIXED_HEADER_BYTES + (layer.vendorData.length >>> 1);
  return DHCP_FIXED_HEADER_BYTES + DHCP_MAGIC_COOKIE_BYTES + optionsBytes(layer.options, 'options') + 1 + layer.paddingLength;
}
