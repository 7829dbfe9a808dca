/**
 * Text of raw protocol bytes as tshark 4.0 shows it (its `format_text()`): what `dns.qry.name`,
 * `dns.cname`, `dns.txt` and other string fields print for bytes that are not plain ASCII.
 *
 * Rules, each checked against tshark 4.0.17 with captures made by text2pcap:
 * - printable ASCII (0x20..0x7e) as is, backslash and quotes included (`a\b`, `q"t`);
 * - `\a \b \f \n \r \t \v` for 0x07..0x0d, and three octal digits for other control bytes
 *   (`\000`, `\033`, `\177`);
 * - a UTF-8 sequence is decoded by its lead byte (2 to 6 bytes, overlong forms accepted: `c0 80` is
 *   U+0000); a code point that is printable is shown as is, one that is not (Unicode categories Cc,
 *   Cf, Cn, Cs) as `\uXXXX` or `\UXXXXXXXX` in upper-case hex (`\u200B`, `\uFEFF`, `\U000E0001`);
 * - a byte that cannot start a sequence, and a sequence cut short by a byte that does not continue
 *   it (or by the end), becomes one U+FFFD; so does a complete sequence for a surrogate or a value
 *   past U+10FFFF.
 *
 * ```ts
 * formatDisplayText(Uint8Array.of(0x61, 0x01, 0xff), 0, 3); // 'a\\001\uFFFD'
 * ```
 */

const REPLACEMENT = '\uFFFD';
const ASCII_SPACE = 0x20;
const ASCII_TILDE = 0x7e;
/** C escapes tshark uses for the control bytes 0x07..0x0d. */
const C_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
};
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]$/u;
const MAX_CODE_POINT = 0x10ffff;

/** True when every byte of `bytes[start, end)` is printable ASCII. */
export function isPrintableAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c < ASCII_SPACE || c > ASCII_TILDE) return false;
  }
  return true;
}

const utf8Decoder = new TextDecoder('utf-8');

/** `b[start, end)` read as UTF-8 (an invalid sequence as U+FFFD), control characters kept; printable ASCII without a decoder. */
export function utf8Text(b: Uint8Array, start: number, end: number): string {
  return isPrintableAscii(b, start, end) ? asciiText(b, start, end) : utf8Decoder.decode(b.subarray(start, end));
}

/** Index of the first `byte` in `b[p, end)`, or `end` (a loop: `indexOf` would search past `end`). */
export function findByte(b: Uint8Array, byte: number, p: number, end: number): number {
  while (p < end && b[p] !== byte) p++;
  return p;
}

/**
 * `bytes[start, end)`, known to be printable ASCII, as a string. Eight characters per
 * `String.fromCharCode` call: faster than a TextDecoder for the short strings of names (no view to
 * make) and portable (no Buffer).
 */
export function asciiText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  for (; i + 8 <= end; i += 8) {
    s += String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
  }
  for (; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** `bytes[start, end)` as tshark 4.0 displays a string field (see the module comment). */
export function formatDisplayText(bytes: Uint8Array, start: number, end: number): string {
  if (isPrintableAscii(bytes, start, end)) return asciiText(bytes, start, end);
  let s = '';
  let i = start;
  while (i < end) {
    const c = bytes[i];
    if (c < 0x80) {
      s += c >= ASCII_SPACE && c <= ASCII_TILDE ? String.fromCharCode(c) : controlEscape(c);
      i++;
      continue;
    }
    const length = sequenceLength(c);
    if (length === 0) {
      s += REPLACEMENT;
      i++;
      continue;
    }
    let cp = c & (0xff >> (length + 1));
    let k = 1;
    for (; k < length; k++) {
      if (i + k >= end || (bytes[i + k] & 0xc0) !== 0x80) break;
      cp = cp * 64 + (bytes[i + k] & 0x3f);
    }
    i += k;
    if (k < length || cp > MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff)) {
      s += REPLACEMENT;
      continue;
    }
    const ch = String.fromCodePoint(cp);
    s += NOT_PRINTABLE.test(ch) ? unicodeEscape(cp) : ch;
  }
  return s;
}

function controlEscape(c: number): string {
  return C_ESCAPES[c] ?? `\\${c.toString(8).padStart(3, '0')}`;
}

function unicodeEscape(cp: number): string {
  const hex = cp.toString(16).toUpperCase();
  return cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
}

/** Bytes in the UTF-8 sequence a lead byte starts (old 5- and 6-byte forms included), 0 if none. */
function sequenceLength(lead: number): number {
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  if ((lead & 0xfc) === 0xf8) return 5;
  if ((lead & 0xfe) === 0xfc) return 6;
  return 0;
}

/**
 * `bytes[start, end)` as tshark 4.0 holds a string field read with ASCII encoding (the TLS server
 * name and ALPN fields): the bytes up to the first NUL, each byte at or above 0x80 replaced by
 * U+FFFD, control bytes kept as they are. (`tshark -T fields` then prints `\b \f \n \r \t` as those
 * two-character escapes: a printing matter, not part of the value.)
 */
export function formatAsciiField(bytes: Uint8Array, start: number, end: number): string {
  if (isPrintableAscii(bytes, start, end)) return asciiText(bytes, start, end);
  let s = '';
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === 0) break;
    s += c < 0x80 ? String.fromCharCode(c) : REPLACEMENT;
  }
  return s;
}
