/**
 * Where a row's cells go, one value at a time: `StringCells` collects them as strings (for CSV and
 * NDJSON), `TsvBytes` encodes them straight into a byte buffer (for TSV, the default output of
 * `peephole packets`: no string per cell, no string per row; numbers, MACs, IPv4 addresses and
 * times are written as digits directly, which is what makes `packets` fast: see bench:ingest). A row
 * producer calls `cell()` before each cell, `more()` between several values in one cell (tshark's
 * `,` aggregator), the value methods, and `endRow()`.
 */
import { formatTimeEpoch } from '../capture/record.js';
import { formatIpv4, formatMac } from '../core/bytes.js';
import { visibleControls } from '../core/table-format.js';

export interface CellWriter {
  /** Starts the next cell. */
  cell(): void;
  /** Separates two values inside the current cell. */
  more(): void;
  /** A non-negative integer, in decimal. */
  int(n: number): void;
  /** `0x` and four lower-case hex digits (how tshark prints dns.id). */
  hex16(n: number): void;
  /** A MAC address held as a 48-bit number: `aa:bb:cc:dd:ee:ff`. */
  mac(mac: number): void;
  /** An IPv4 address held as an unsigned 32-bit number: dotted quad. */
  ipv4(ip: number): void;
  /** Seconds and nanoseconds as tshark prints frame.time_epoch. */
  epoch(sec: number, nsec: number): void;
  /** Text the program made (addresses, numbers): written as it is. */
  text(s: string): void;
  /**
   * Text that came off the wire. `TsvBytes` makes its control characters visible; `StringCells` keeps
   * it as it is, for the CSV and NDJSON formatters to make safe in their own way.
   */
  wireText(s: string): void;
  endRow(): void;
}

/** Collects a row's cells as strings (cell i of the last row is `cells[i]`). */
export class StringCells implements CellWriter {
  cells: string[] = [];
  private index = -1;
  private current = '';

  cell(): void {
    if (this.index >= 0) this.cells[this.index] = this.current;
    this.index++;
    this.current = '';
  }
  more(): void {
    this.current += ',';
  }
  int(n: number): void {
    this.current += String(n);
  }
  hex16(n: number): void {
    this.current += '0x' + (n | 0x10000).toString(16).slice(1);
  }
  mac(mac: number): void {
    this.current += formatMac(mac);
  }
  ipv4(ip: number): void {
    this.current += formatIpv4(ip);
  }
  epoch(sec: number, nsec: number): void {
    this.current += formatTimeEpoch(sec, nsec);
  }
  text(s: string): void {
    this.current += s;
  }
  wireText(s: string): void {
    this.current += s;
  }
  endRow(): void {
    if (this.index >= 0) this.cells[this.index] = this.current;
    this.cells.length = this.index + 1;
    this.index = -1;
    this.current = '';
  }
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;
const X = 0x78;
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/**
 * Room kept free at the start of each row and after each text value: the fixed-size values
 * (numbers, addresses, times: at most 40 bytes each) are written without a check of their own.
 */
const ROW_ROOM_BYTES = 4096;
const NS_DIGITS = 9;

/** Writes `v` (0 to 255) as two lower-case hex digits at `buf[at]`. */
function hexOctet(buf: Uint8Array, at: number, v: number): void {
  buf[at] = HEX_DIGITS[v >>> 4];
  buf[at + 1] = HEX_DIGITS[v & 15];
}

/** Writes `v` (0 to 255) in decimal at `buf[at]`; returns the index after it. */
function octet(buf: Uint8Array, at: number, v: number): number {
  if (v >= 100) {
    buf[at++] = ZERO + ((v / 100) | 0);
    buf[at++] = ZERO + (((v / 10) | 0) % 10);
  } else if (v >= 10) {
    buf[at++] = ZERO + ((v / 10) | 0);
  }
  buf[at++] = ZERO + (v % 10);
  return at;
}

/**
 * Encodes TSV rows into a byte buffer, handing each full buffer to `flush`. The buffer is at least
 * twice the row room, whatever `bufferBytes` asks for, so that every row starts with the room free.
 * When `flush` returns true it is done with the chunk (written out already), and the buffer is
 * filled again instead of a fresh one allocated (a fresh 1 MiB buffer per chunk showed as ~45 ms of
 * `drain` per GB of capture in a profile of `peephole packets`).
 */
export class TsvBytes implements CellWriter {
  private buf: Uint8Array;
  private at = 0;
  private first = true;
  private lastSec = -1;
  private lastSecBytes = new Uint8Array(0);
  private readonly bufferBytes: number;

  constructor(
    private readonly flush: (chunk: Uint8Array) => unknown,
    bufferBytes = 1 << 20,
  ) {
    this.bufferBytes = Math.max(bufferBytes, 2 * ROW_ROOM_BYTES);
    this.buf = new Uint8Array(this.bufferBytes);
  }

  cell(): void {
    if (this.first) this.first = false;
    else this.buf[this.at++] = TAB;
  }
  more(): void {
    this.buf[this.at++] = COMMA;
    if (this.at + ROW_ROOM_BYTES > this.buf.length) this.ensure(0);
  }
  int(n: number): void {
    if (n >= 0x8000_0000) {
      this.text(String(n));
      return;
    }
    let digits = 1;
    for (let v = n; v >= 10; v = (v / 10) | 0) digits++;
    const buf = this.buf;
    let at = this.at + digits;
    this.at = at;
    do {
      const q = (n / 10) | 0;
      buf[--at] = ZERO + n - q * 10;
      n = q;
    } while (n > 0);
  }
  hex16(n: number): void {
    const buf = this.buf;
    const at = this.at;
    buf[at] = ZERO;
    buf[at + 1] = X;
    buf[at + 2] = HEX_DIGITS[(n >>> 12) & 15];
    buf[at + 3] = HEX_DIGITS[(n >>> 8) & 15];
    buf[at + 4] = HEX_DIGITS[(n >>> 4) & 15];
    buf[at + 5] = HEX_DIGITS[n & 15];
    this.at = at + 6;
  }
  mac(mac: number): void {
    const hi = Math.floor(mac / 0x1_0000_0000);
    const lo = mac >>> 0;
    const at = this.at;
    const buf = this.buf;
    hexOctet(buf, at, (hi >>> 8) & 0xff);
    hexOctet(buf, at + 3, hi & 0xff);
    hexOctet(buf, at + 6, lo >>> 24);
    hexOctet(buf, at + 9, (lo >>> 16) & 0xff);
    hexOctet(buf, at + 12, (lo >>> 8) & 0xff);
    hexOctet(buf, at + 15, lo & 0xff);
    buf[at + 2] = buf[at + 5] = buf[at + 8] = buf[at + 11] = buf[at + 14] = COLON;
    this.at = at + 17;
  }
  ipv4(ip: number): void {
    const buf = this.buf;
    let at = octet(buf, this.at, ip >>> 24);
    buf[at++] = DOT;
    at = octet(buf, at, (ip >>> 16) & 0xff);
    buf[at++] = DOT;
    at = octet(buf, at, (ip >>> 8) & 0xff);
    buf[at++] = DOT;
    this.at = octet(buf, at, ip & 0xff);
  }
  epoch(sec: number, nsec: number): void {
    if (sec < 0) {
      this.text(formatTimeEpoch(sec, nsec));
      return;
    }
    if (sec !== this.lastSec) {
      this.lastSec = sec;
      this.lastSecBytes = Uint8Array.from(`${sec}.`, (c) => c.charCodeAt(0));
    }
    const buf = this.buf;
    // A byte loop: `set()` of a dozen bytes costs more than it copies.
    const secBytes = this.lastSecBytes;
    for (let i = 0; i < secBytes.length; i++) buf[this.at + i] = secBytes[i];
    let at = this.at + secBytes.length + NS_DIGITS;
    this.at = at;
    for (let i = 0; i < NS_DIGITS; i++) {
      const q = (nsec / 10) | 0;
      buf[--at] = ZERO + nsec - q * 10;
      nsec = q;
    }
  }
  text(s: string): void {
    const n = s.length;
    if (this.at + n * 3 + ROW_ROOM_BYTES > this.buf.length) this.ensure(n * 3);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.at = at;
        this.utf8(s.slice(i));
        return;
      }
      buf[at++] = c;
    }
    this.at = at;
  }
  wireText(s: string): void {
    this.text(visibleControls(s));
  }
  endRow(): void {
    this.buf[this.at++] = NEWLINE;
    this.first = true;
    if (this.at + ROW_ROOM_BYTES > this.buf.length) this.drain();
  }
  /** Hands what is buffered to `flush`. */
  drain(): void {
    if (this.at === 0) return;
    const reusable = this.flush(this.buf.subarray(0, this.at)) === true && this.buf.length === this.bufferBytes;
    if (!reusable) this.buf = new Uint8Array(this.bufferBytes);
    this.at = 0;
  }

  private utf8(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.ensure(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }
  /**
   * Keeps `n` more bytes plus the row room free: hands over what is buffered (a chunk may end inside
   * a row: the bytes are the same), and grows the buffer only for a value longer than it. (Growing
   * whenever the room ran short let the buffer double again and again when every row has text.)
   */
  private ensure(n: number): void {
    if (this.at + n + ROW_ROOM_BYTES <= this.buf.length) return;
    if (this.at > 0 && n + ROW_ROOM_BYTES <= this.bufferBytes) {
      this.drain();
      if (this.at + n + ROW_ROOM_BYTES <= this.buf.length) return;
    }
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.at + n + ROW_ROOM_BYTES));
    bigger.set(this.buf.subarray(0, this.at));
    this.buf = bigger;
  }
}
