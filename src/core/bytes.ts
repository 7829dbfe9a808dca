/**
 * Byte helpers shared by every decoder and encoder. Decoders check the length they need once per
 * header (see `need` in decode/context.ts) and then read without further checks; these helpers do no bounds checks.
 */
export function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
export function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
/** A 48-bit big-endian integer (a MAC address) as an exact JavaScript number. */
export function u48be(b: Uint8Array, o: number): number {
  return (((b[o] << 8) | b[o + 1]) >>> 0) * 0x1_0000_0000 + u32be(b, o + 2);
}
export function putU16be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}
export function putU16le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}
export function putU32be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}
export function putU32le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}
export function putU48be(b: Uint8Array, o: number, v: number): void {
  const hi = Math.floor(v / 0x1_0000_0000);
  putU16be(b, o, hi);
  putU32be(b, o + 2, v >>> 0);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `aa:bb:cc:dd:ee:ff` for a MAC address held as a 48-bit number. */
export function formatMac(mac: number): string {
  const hi = Math.floor(mac / 0x1_0000_0000);
  const lo = mac >>> 0;
  return `${HEX[(hi >>> 8) & 0xff]}:${HEX[hi & 0xff]}:${HEX[lo >>> 24]}:${HEX[(lo >>> 16) & 0xff]}:${HEX[(lo >>> 8) & 0xff]}:${HEX[lo & 0xff]}`;
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-` separated) into a 48-bit number; throws on bad input. */
export function parseMac(text: string): number {
  const m = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(text);
  if (!m) throw new TypeError(`Not a MAC address: ${JSON.stringify(text)}`);
  let v = 0;
  for (let i = 1; i <= 6; i++) v = v * 256 + parseInt(m[i], 16);
  return v;
}

/** Dotted quad for an IPv4 address held as an unsigned 32-bit number. */
export function formatIpv4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Parses a dotted quad into an unsigned 32-bit number; throws on bad input. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new TypeError(`Not an IPv4 address: ${JSON.stringify(text)}`);
  }
  return ((Number(parts[0]) << 24) | (Number(parts[1]) << 16) | (Number(parts[2]) << 8) | Number(parts[3])) >>> 0;
}

/**
 * RFC 5952 text of the 16-byte IPv6 address at `b[o..o+16)`: lower case, leading zeros dropped, the
 * longest run of two or more zero groups (the first on a tie) written `::`. IPv4-mapped and
 * IPv4-compatible forms are written with a dotted tail as Wireshark does (`::ffff:1.2.3.4`).
 */
export function formatIpv6(b: Uint8Array, o: number): string {
  const g: number[] = new Array(8);
  for (let i = 0; i < 8; i++) g[i] = (b[o + 2 * i] << 8) | b[o + 2 * i + 1];
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => {
    let s = '';
    for (let i = from; i < to; i++) s += (i > from ? ':' : '') + g[i].toString(16);
    return s;
  };
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
    const v4 = `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
    return bestLen === 6 ? `::${v4}` : `::ffff:${v4}`;
  }
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** Parses IPv6 text (with `::` and an optional dotted IPv4 tail) into 16 bytes; throws on bad input. */
export function parseIpv6(text: string): Uint8Array {
  const bad = (): never => {
    throw new TypeError(`Not an IPv6 address: ${JSON.stringify(text)}`);
  };
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.includes('.', lastColon)) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) bad();
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((h) => (/^[0-9a-f]{1,4}$/i.test(h) ? parseInt(h, 16) : bad()));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) bad();
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) putU16be(out, 2 * i, groups[i]);
  return out;
}
