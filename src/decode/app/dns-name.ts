/**
 * Domain names inside a DNS message (RFC 1035 §3.1, §4.1.4): reading a possibly compressed name
 * into the text tshark 4.0 shows, and writing one, with optional compression.
 *
 * ```ts
 * const read = decodeDnsName(bytes, nameStart, messageStart, messageEnd, ctx);
 * if (read) console.log(read.name, 'continues at', read.end); // 'captive.apple.com'
 * const out = new Uint8Array(dnsNameEncodingLength('a.example'));
 * encodeDnsName('a.example', out, 0); // → 11
 * ```
 *
 * What tshark 4.0 shows, and so what `name` holds (checked with text2pcap captures):
 * - labels joined by dots, each byte as {@link formatDisplayText} shows it; a dot, space or comma
 *   inside a label is shown as is (`a.b` may be one label or two);
 * - the root name as `<Root>`;
 * - a name that loops as `<Name contains a pointer that loops>` (also when it is too long before it
 *   loops), and one longer than 255 bytes uncompressed (253 characters of text) as
 *   `<Name too long>`: in both cases the name's end is still known, so the message goes on being
 *   decoded, as tshark does.
 *
 * Pointers may point forward (tshark follows them; reported as `dns_forward_pointer`); a walk that
 * has read as many bytes as the message holds is a loop. tshark 4.0 also calls a pointer a loop
 * when it points 4 bytes past its own start (a slip in its self-pointer test); we do the same so that
 * the text matches. A pointer past the message end, a label running past it, and the label types
 * 0x40 (extended) and 0x80 (reserved) make the name unreadable: an anomaly and `null` (tshark marks
 * those packets malformed and shows no name).
 */
import type { DecodeContext } from '../context.js';
import { asciiText, formatDisplayText } from './display-text.js';
import { dnsCutAnomaly } from './dns-cut.js';

export const DNS_ROOT_TEXT = '<Root>';
export const DNS_NAME_LOOP_TEXT = '<Name contains a pointer that loops>';
export const DNS_NAME_TOO_LONG_TEXT = '<Name too long>';

/** Most bytes a name takes on the wire, uncompressed (RFC 1035 §2.3.4). */
export const DNS_MAX_NAME_BYTES = 255;
/** Most bytes in one label. */
export const DNS_MAX_LABEL_BYTES = 63;
/** Pointers are 14-bit offsets from the message start. */
const MAX_POINTER_TARGET = 0x3fff;
const LABEL_TYPE_MASK = 0xc0;
const LABEL_TYPE_POINTER = 0xc0;
const LABEL_TYPE_NORMAL = 0x00;
/**
 * After the first pointer, a name that has read this many bytes is a loop even when the message is
 * longer: a real name reads at most 255 bytes plus its pointers. Bounds the work per name in a large
 * (TCP) message to a constant.
 */
const MAX_WALK_AFTER_POINTER_BYTES = 4096;
/** tshark 4.0 takes a pointer to (its own offset + this) for a loop. */
const TSHARK_SELF_POINTER_SLIP = 4;
const DOT = 0x2e;

export const DNS_NAME_ANOMALIES: Readonly<Record<string, string>> = {
  dns_truncated: 'a name runs past the end of the DNS message',
  dns_snapped: 'the capture snap length cut the DNS message: decoded what was captured',
  dns_bad_pointer: 'a compression pointer points past the end of the message',
  dns_forward_pointer: 'a compression pointer points past itself (followed, as tshark does)',
  dns_pointer_loop: 'compression pointers make a name loop',
  dns_name_too_long: 'a name is longer than 255 bytes uncompressed',
  dns_bad_label_type: 'a label has the type bits 01 (extended label) or 10 (reserved)',
};

/** A name read from a message, and the index just past it in its original place. */
export interface DnsNameRead {
  readonly name: string;
  readonly end: number;
}

/**
 * Names already read in one message, by the absolute index where they start. Compressed names point
 * to the same few places (the question name, a `local` suffix) again and again; with a cache each
 * of those is read once. Only plain names (printable ASCII, not the root, no anomaly) are kept, so
 * a name's uncompressed length is its text length + 2; a name found too long is kept as `''`. One
 * per message.
 */
export class DnsNameCache {
  private readonly names = new Map<number, string>();
  get(at: number): string | undefined {
    return this.names.get(at);
  }
  set(at: number, text: string): void {
    this.names.set(at, text);
  }
}

/** Cached for a name that is too long (no plain name is empty: the root is not cached). */
const TOO_LONG_MARK = '';
/** Uncompressed bytes of a plain (printable ASCII) name of this text: a length byte per label, the root byte. */
const PLAIN_NAME_EXTRA_BYTES = 2;

/** The raw text of the name being read: label bytes and dots, at most 253 bytes. */
const scratch = new Uint8Array(DNS_MAX_NAME_BYTES + 1);

/**
 * Reads the name at absolute index `offset` of the message `bytes[messageStart, messageEnd)`.
 * Returns the name text (as tshark shows it) and the index after the name where it is written (after
 * its first pointer if compressed), or null with an anomaly when it cannot be read.
 */
export function decodeDnsName(
  bytes: Uint8Array,
  offset: number,
  messageStart: number,
  messageEnd: number,
  ctx: DecodeContext,
  cache?: DnsNameCache | null,
): DnsNameRead | null {
  const messageLength = messageEnd - messageStart;
  let firstTarget = -1;
  let suffixText = 0;
  let suffixWire = 0;
  let pos = offset;
  let end = -1;
  let processed = 0;
  let processedBeforePointer = 0;
  let wireBytes = 1;
  let textLength = 0;
  let plain = true;
  let tooLong = false;
  let forward = false;
  for (;;) {
    if (pos >= messageEnd) {
      dnsCutAnomaly(ctx, pos, messageEnd, 'name', 1);
      return null;
    }
    const len = bytes[pos];
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    const type = len & LABEL_TYPE_MASK;
    if (type === LABEL_TYPE_NORMAL) {
      if (pos + 1 + len > messageEnd) {
        dnsCutAnomaly(ctx, pos, messageEnd, 'label', 1 + len);
        return null;
      }
      processed += 1 + len;
      wireBytes += 1 + len;
      if (wireBytes > DNS_MAX_NAME_BYTES) {
        tooLong = true; // walk on all the same: a loop further on is what tshark shows then
      } else {
        if (textLength > 0) scratch[textLength++] = DOT;
        for (let i = pos + 1, e = pos + 1 + len; i < e; i++) {
          const c = bytes[i];
          if (c < 0x20 || c > 0x7e) plain = false;
          scratch[textLength++] = c;
        }
      }
      pos += 1 + len;
      continue;
    }
    if (type !== LABEL_TYPE_POINTER) {
      ctx.anomaly('dns_bad_label_type', pos, `label type 0x${type.toString(16)} at offset ${pos - ctx.base} is not supported`);
      return null;
    }
    if (pos + 2 > messageEnd) {
      dnsCutAnomaly(ctx, pos, messageEnd, 'compression pointer', 2);
      return null;
    }
    const target = ((len & ~LABEL_TYPE_MASK) << 8) | bytes[pos + 1];
    if (end < 0) {
      end = pos + 2;
      processedBeforePointer = processed;
    }
    if (target >= messageLength) {
      ctx.anomaly('dns_bad_pointer', pos, `pointer to message offset ${target}, past the message end (${messageLength} bytes)`);
      return null;
    }
    processed += 2;
    const here = pos - messageStart;
    if (
      target === here ||
      processed >= messageLength ||
      processed - processedBeforePointer >= MAX_WALK_AFTER_POINTER_BYTES ||
      target === here + TSHARK_SELF_POINTER_SLIP
    ) {
      ctx.anomaly('dns_pointer_loop', pos, `pointer at message offset ${here} to ${target} loops`);
      return { name: DNS_NAME_LOOP_TEXT, end };
    }
    if (target > here && !forward) {
      forward = true;
      ctx.anomaly('dns_forward_pointer', pos, `pointer at message offset ${here} points forward to ${target}`);
    }
    pos = messageStart + target;
    if (firstTarget < 0 && cache) {
      const hit = cache.get(pos);
      if (hit !== undefined) {
        if (hit === TOO_LONG_MARK || wireBytes + hit.length + PLAIN_NAME_EXTRA_BYTES - 1 > DNS_MAX_NAME_BYTES) {
          tooLong = true;
          break;
        }
        if (textLength === 0) return { name: hit, end };
        const prefix = plain ? asciiText(scratch, 0, textLength) : formatDisplayText(scratch, 0, textLength);
        const name = prefix + '.' + hit;
        if (plain && !forward) cache.set(offset, name);
        return { name, end };
      }
      firstTarget = pos; // read from here on, and cached at the end
      suffixText = textLength === 0 ? 0 : textLength + 1;
      suffixWire = wireBytes - 1;
    }
  }
  if (tooLong) {
    if (cache && !forward) {
      cache.set(offset, TOO_LONG_MARK);
      if (firstTarget >= 0 && wireBytes - suffixWire > DNS_MAX_NAME_BYTES) cache.set(firstTarget, TOO_LONG_MARK);
    }
    ctx.anomaly('dns_name_too_long', offset, `name longer than ${DNS_MAX_NAME_BYTES} bytes`);
    return { name: DNS_NAME_TOO_LONG_TEXT, end };
  }
  if (textLength === 0) return { name: DNS_ROOT_TEXT, end };
  const name = plain ? asciiText(scratch, 0, textLength) : formatDisplayText(scratch, 0, textLength);
  if (cache && plain && !forward) {
    cache.set(offset, name);
    if (firstTarget >= 0 && suffixText < textLength) cache.set(firstTarget, suffixText === 0 ? name : name.slice(suffixText));
  }
  return { name, end };
}

/**
 * Remembers where names were written in a message being encoded, so that a later name can point to
 * an earlier one that ends the same way. One per message; `messageStart` is the absolute index of the
 * message's first byte in the output.
 */
export class DnsNameCompressor {
  private readonly suffixes = new Map<string, number>();
  constructor(readonly messageStart: number) {}

  /** Message offset of a name written earlier, or undefined. */
  find(name: string): number | undefined {
    return this.suffixes.get(name);
  }

  /** Records that `name` was written at absolute index `at`, if a pointer can reach it. */
  remember(name: string, at: number): void {
    const rel = at - this.messageStart;
    if (rel <= MAX_POINTER_TARGET && !this.suffixes.has(name)) this.suffixes.set(name, rel);
  }
}

const utf8 = new TextEncoder();

/** The labels of a name as text: `<Root>`, `''` and `.` are the root; one trailing dot is allowed. */
function labelsOf(name: string): string[] {
  if (name === DNS_ROOT_TEXT || name === '' || name === '.') return [];
  const text = name.endsWith('.') ? name.slice(0, -1) : name;
  return text.split('.');
}

function labelBytes(label: string, name: string): Uint8Array {
  const b = utf8.encode(label);
  if (b.length === 0) throw new RangeError(`Empty label in DNS name ${JSON.stringify(name)}`);
  if (b.length > DNS_MAX_LABEL_BYTES) {
    throw new RangeError(`Label of ${b.length} bytes (> ${DNS_MAX_LABEL_BYTES}) in DNS name ${JSON.stringify(name)}`);
  }
  return b;
}

/**
 * Writes `name` at `offset` (labels as UTF-8, split at dots) and returns the end index. With a
 * compressor, the longest suffix already written becomes a pointer and the parts written here are
 * remembered. With `out` null nothing is written: the call only measures (and still remembers, so
 * that measuring a message with a fresh compressor gives the length that encoding it will give).
 *
 * Throws a RangeError for an empty label, a label over 63 bytes or a name over 255 bytes: those are
 * bugs in the caller, not bad input from a capture. Text is not unescaped: a name decoded from odd
 * bytes (`\001`, U+FFFD, a dot inside a label) does not encode back to the same bytes.
 */
export function encodeDnsName(
  name: string,
  out: Uint8Array | null,
  offset: number,
  compressor?: DnsNameCompressor | null,
): number {
  const labels = labelsOf(name);
  let pos = offset;
  let wireBytes = 1;
  for (let i = 0; i < labels.length; i++) {
    if (compressor) {
      const suffix = i === 0 ? (name.endsWith('.') ? name.slice(0, -1) : name) : labels.slice(i).join('.');
      const target = compressor.find(suffix);
      if (target !== undefined) {
        if (out) {
          out[pos] = LABEL_TYPE_POINTER | (target >> 8);
          out[pos + 1] = target & 0xff;
        }
        return pos + 2;
      }
      compressor.remember(suffix, pos);
    }
    const b = labelBytes(labels[i], name);
    wireBytes += 1 + b.length;
    if (wireBytes > DNS_MAX_NAME_BYTES) throw new RangeError(`DNS name longer than ${DNS_MAX_NAME_BYTES} bytes: ${name}`);
    if (out) {
      out[pos] = b.length;
      out.set(b, pos + 1);
    }
    pos += 1 + b.length;
  }
  if (out) out[pos] = 0;
  return pos + 1;
}

/** Bytes `name` takes uncompressed. */
export function dnsNameEncodingLength(name: string): number {
  return encodeDnsName(name, null, 0);
}
