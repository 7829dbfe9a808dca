/**
 * The DecodeErrors a capture reader throws: every error a user can get for bad input names the file
 * and the byte offset. Messages read `home.pcap: Not a pcap or pcapng capture: starts with 3c 68 74 6d
 * ("<htm") at offset 0`.
 */
import { errnoText } from '../core/bad-input-error.js';
import { DecodeError } from '../core/decode-error.js';

const SHOWN_BYTES = 8;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

/** The input does not start with a pcap, pcapng or gzip magic number. */
export function notCaptureError(head: Uint8Array, file?: string): DecodeError {
  const seen = head.subarray(0, SHOWN_BYTES);
  return new DecodeError({
    layer: 'capture',
    offset: 0,
    needed: 4,
    available: head.length,
    file,
    message:
      `Not a pcap or pcapng capture: starts with ${hex(seen)} (${JSON.stringify(printable(seen))}) at offset 0; ` +
      'expected a pcap magic (d4 c3 b2 a1, 4d 3c b2 a1 or swapped), pcapng 0a 0d 0d 0a, or gzip 1f 8b',
  });
}

/** The input holds no byte at all. */
export function emptyInputError(file?: string): DecodeError {
  return new DecodeError({
    layer: 'capture',
    offset: 0,
    needed: 4,
    available: 0,
    file,
    message: 'Empty file: no capture header at offset 0',
  });
}

/** The input ends inside the file header (pcap) or first section header block (pcapng). */
export function headerCutError(what: string, offset: number, needed: number, available: number, file?: string): DecodeError {
  return new DecodeError({
    layer: what,
    offset,
    needed,
    available,
    file,
    message: `Capture ends inside the ${what}: need ${needed} bytes at offset ${offset}, have ${available}`,
  });
}

/** The file header is there but makes no sense. */
export function badHeaderError(what: string, offset: number, detail: string, file?: string): DecodeError {
  return new DecodeError({ layer: what, offset, file, message: `Bad ${what} at offset ${offset}: ${detail}` });
}

/** An operating-system error while opening or reading a capture, as a DecodeError. */
export function unreadableError(error: unknown, file: string, offset: number): DecodeError {
  return new DecodeError({ layer: 'file', offset, file, message: `Cannot read capture: ${errnoText(error)}` });
}
