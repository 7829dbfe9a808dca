/**
 * gzip input (RFC 1952) decompressed on the fly for the capture reader, with its damage said the way
 * a capture's is: every byte that could be decompressed is delivered, and a problem (the stream cut
 * short, corrupt compressed data, a CRC-32 or length that does not match, bytes after the end that
 * are not gzip) ends the output and is kept as a {@link GzipDamage} naming its offset in the
 * compressed input, for the reader to report after what could be read.
 *
 * The header and trailer are read here; the deflate data goes to zlib's raw inflater, which runs in
 * the thread pool while the capture is parsed. Node's gunzip stream was not used for it: it checks a
 * member's CRC-32 in the same call that decompresses the member's last bytes, and when the check
 * fails the stream drops those bytes with the error (a 147,161-byte capture with a bad CRC-32 gave
 * 131,072 bytes, then "incorrect data check"), and its errors carry no offset.
 *
 * ```ts
 * const gz = new GunzipInput(createReadStream('home.pcap.gz')[Symbol.asyncIterator](), toBytes);
 * for await (const chunk of gz.output()) parser.push(chunk);
 * gz.damage;             // null, or { offset: 27394, cut: false, message: 'corrupt gzip data: …' }
 * gz.decompressedBytes;  // 147161
 * ```
 */
import * as zlib from 'node:zlib';

/** A problem in the gzip stream: the message names its offset, and how many bytes were decompressed when it cut data short. */
export interface GzipDamage {
  /** Offset in the compressed input where the problem is (where the input ends, when it is cut). */
  offset: number;
  /** True when the input ends early; false when bytes are wrong or left over. */
  cut: boolean;
  /** One clause for a message line: what is wrong, with the offsets and byte counts. */
  message: string;
}

/** The 10 fixed bytes of a member header, and the 8 of its trailer (CRC-32, length mod 2^32). */
const HEADER_BYTES = 10;
const TRAILER_BYTES = 8;
const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const FLAG_RESERVED = 0xe0;
const METHOD_DEFLATE = 8;
/**
 * Compressed bytes handed to the inflater per write, writes queued ahead of the one being inflated,
 * and decompressed bytes held before more is written. The output is collected as it comes (so that
 * nothing decompressed is lost when the inflater then fails), and deflate expands at most 1032 to 1:
 * at most OUTPUT_AHEAD_BYTES + PIECES_AHEAD * PIECE_BYTES * 1032 bytes (about 67 MiB) are held, a
 * few hundred KiB for real captures. Measured with `peephole inspect` of a 141 MB pcapng gzipped to
 * 89 MB, 15 interleaved runs on 2 busy cores (medians): Node's gunzip stream 1.83-2.06 s; 64 KiB
 * pieces one ahead 1.70-1.78 s; two or four ahead, or 128 or 256 KiB pieces, no faster; 16 KiB
 * pieces 2.14-2.25 s.
 */
const PIECE_BYTES = 64 * 1024;
const PIECES_AHEAD = 1;
const OUTPUT_AHEAD_BYTES = 1024 * 1024;

type Crc32 = (data: Uint8Array, value?: number) => number;

/** CRC-32 (ISO 3309, as gzip uses it), table-driven: for Node versions before zlib.crc32 (20.15). */
export function crc32Table(data: Uint8Array, value = 0): number {
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const crc32: Crc32 = (zlib as { crc32?: Crc32 }).crc32 ?? crc32Table;

function hex32(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** The compressed input, buffered: read as far as needed, consumed from the front, with its offset. */
class InputQueue {
  private chunks: Uint8Array[] = [];
  private ended = false;
  /** Bytes buffered. */
  available = 0;
  /** Offset in the compressed input of the first buffered byte. */
  offset = 0;

  constructor(
    private readonly it: AsyncIterator<Uint8Array>,
    private readonly toBytes: (value: unknown) => Uint8Array,
  ) {}

  /** Reads until `n` bytes are buffered or the input ends; true when they are. */
  async fill(n: number): Promise<boolean> {
    while (this.available < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const chunk = this.toBytes(r.value);
      if (chunk.length === 0) continue;
      this.chunks.push(chunk);
      this.available += chunk.length;
    }
    return this.available >= n;
  }

  /** The `i`th buffered byte (`i` < available). */
  byte(i: number): number {
    for (const c of this.chunks) {
      if (i < c.length) return c[i];
      i -= c.length;
    }
    throw new RangeError(`byte ${i} past the ${this.available} buffered`);
  }

  /** Takes up to `max` buffered bytes from the front (one chunk or part of one). */
  take(max: number): Uint8Array {
    const first = this.chunks[0];
    const n = Math.min(max, first.length);
    const piece = first.subarray(0, n);
    if (n === first.length) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.available -= n;
    this.offset += n;
    return piece;
  }

  /** Puts bytes just taken back at the front. */
  untake(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.unshift(bytes);
    this.available += bytes.length;
    this.offset -= bytes.length;
  }

  /** Drops `n` buffered bytes, returning them run through `crc` (the header check). */
  skip(n: number, crc: number): number {
    while (n > 0) {
      const piece = this.take(n);
      crc = crc32(piece, crc);
      n -= piece.length;
    }
    return crc;
  }

  /** Lets the source go (a stream is destroyed) when reading stops early. */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.it.return?.();
    }
  }
}

/**
 * Decompresses a gzip stream (one member or several concatenated, as `cat a.gz b.gz` makes them)
 * from `input`. {@link output} yields the decompressed bytes; when it ends, {@link damage} says why
 * if it ended early. Errors of the input itself (an unreadable file) are thrown, not kept.
 */
export class GunzipInput {
  damage: GzipDamage | null = null;
  /** Complete members read (header, data and a trailer that matches). */
  members = 0;
  decompressedBytes = 0;
  private readonly queue: InputQueue;

  /** `toBytes` checks each chunk `input` yields (a stream with an encoding set yields strings). */
  constructor(input: AsyncIterator<Uint8Array>, toBytes: (value: unknown) => Uint8Array) {
    this.queue = new InputQueue(input, toBytes);
  }

  async *output(): AsyncGenerator<Uint8Array> {
    const q = this.queue;
    try {
      for (;;) {
        const start = q.offset;
        if (this.members > 0) {
          if (!(await q.fill(1))) return;
          if (!(await this.isMemberStart())) {
            await this.trailingBytes();
            return;
          }
        }
        if (!(await this.header(start))) return;
        const member = yield* this.inflate(start);
        if (member === null) return;
        if (!(await this.trailer(member.crc, member.bytes))) return;
        this.members++;
      }
    } finally {
      await q.close();
    }
  }

  private memberName(start: number): string {
    return this.members === 0 ? 'the gzip header' : `the header of gzip member ${this.members + 1} (at offset ${start})`;
  }

  private cut(at: number, message: string): false {
    this.damage = { offset: at, cut: true, message };
    return false;
  }

  private corrupt(at: number, message: string): false {
    this.damage = { offset: at, cut: false, message };
    return false;
  }

  private async isMemberStart(): Promise<boolean> {
    await this.queue.fill(2);
    return this.queue.byte(0) === 0x1f && (this.queue.available < 2 || this.queue.byte(1) === 0x8b);
  }

  /** After the last member: bytes that are all zero are padding (gzip(1) ignores them too); others are damage. */
  private async trailingBytes(): Promise<void> {
    const q = this.queue;
    const at = q.offset;
    let count = 0;
    let firstNonZero = -1;
    while (await q.fill(1)) {
      const piece = q.take(Number.MAX_SAFE_INTEGER);
      if (firstNonZero < 0) {
        const i = piece.findIndex((b) => b !== 0);
        if (i >= 0) firstNonZero = at + count + i;
      }
      count += piece.length;
    }
    if (firstNonZero >= 0) {
      const first = firstNonZero > at ? ` (zeros up to offset ${firstNonZero})` : '';
      this.corrupt(at, `${count} byte(s) after the end of the gzip stream at offset ${at} are not gzip data${first}`);
    }
  }

  /** Reads a member header (magic, method, flags, and the optional fields); false on damage. */
  private async header(start: number): Promise<boolean> {
    const q = this.queue;
    const what = this.memberName(start);
    const need = async (n: number, field?: string): Promise<boolean> => {
      if (await q.fill(n)) return true;
      const which = field ? ` (${field})` : '';
      return this.cut(q.offset + q.available, `the gzip stream ends inside ${what}: need ${n} bytes${which} at offset ${q.offset}, have ${q.available}`);
    };
    if (!(await need(HEADER_BYTES))) return false;
    if (q.byte(0) !== 0x1f || q.byte(1) !== 0x8b) return this.corrupt(start, `${what} does not start with 1f 8b`);
    const method = q.byte(2);
    if (method !== METHOD_DEFLATE) return this.corrupt(start + 2, `${what} names compression method ${method}, not 8 (deflate)`);
    const flags = q.byte(3);
    if (flags & FLAG_RESERVED) return this.corrupt(start + 3, `${what} sets reserved flags (${flags.toString(2).padStart(8, '0')})`);
    let crc = q.skip(HEADER_BYTES, 0);
    if (flags & FLAG_EXTRA) {
      if (!(await need(2, 'the extra field length'))) return false;
      const length = q.byte(0) | (q.byte(1) << 8);
      crc = q.skip(2, crc);
      if (!(await need(length, 'the extra field'))) return false;
      crc = q.skip(length, crc);
    }
    for (const [flag, field] of [[FLAG_NAME, 'file name'], [FLAG_COMMENT, 'comment']] as const) {
      if (!(flags & flag)) continue;
      const from = q.offset;
      for (;;) {
        if (!(await q.fill(1))) {
          return this.cut(q.offset, `the gzip stream ends inside ${what}: its ${field} from offset ${from} has no end by offset ${q.offset}`);
        }
        const piece = q.take(q.available);
        const end = piece.indexOf(0);
        if (end < 0) {
          crc = crc32(piece, crc);
          continue;
        }
        crc = crc32(piece.subarray(0, end + 1), crc);
        q.untake(piece.subarray(end + 1));
        break;
      }
    }
    if (flags & FLAG_HCRC) {
      if (!(await need(2, 'the header CRC'))) return false;
      const stored = q.byte(0) | (q.byte(1) << 8);
      if (stored !== (crc & 0xffff)) {
        return this.corrupt(q.offset, `${what} has the CRC ${stored.toString(16).padStart(4, '0')} at offset ${q.offset}, not ${(crc & 0xffff).toString(16).padStart(4, '0')}`);
      }
      q.skip(2, 0);
    }
    return true;
  }

  /**
   * Inflates one member's deflate data, yielding its output; returns the output's CRC-32 and length,
   * or null on damage. What the inflater does not take (the trailer, the next member) is left queued.
   */
  private async *inflate(start: number): AsyncGenerator<Uint8Array, { crc: number; bytes: number } | null> {
    const q = this.queue;
    const dataStart = q.offset;
    const inflater = zlib.createInflateRaw();
    const out: Buffer[] = [];
    let error: (Error & { code?: string }) | null = null;
    let wake: (() => void) | null = null;
    const signal = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    // One listener each for the whole member: a listener per wait was left behind after every wait.
    let outBytes = 0;
    inflater.on('data', (chunk: Buffer) => {
      out.push(chunk);
      outBytes += chunk.length;
      signal();
    });
    inflater.on('error', (e: Error) => {
      error = e;
      signal();
    });
    // The end of the input is settled by 'close', which follows 'end' (the data was complete) or
    // 'error' (it was not): the callback of end() came before the error in Node 20.
    let closed = false;
    inflater.on('close', () => {
      closed = true;
      signal();
    });
    /** Pieces written and not yet known to be taken whole, with where each starts among the bytes written. */
    const held: { bytes: Uint8Array; start: number }[] = [];
    let fed = 0;
    let completed = 0;
    let pending = 0;
    let inputDone = false;
    let ended = false;
    let crc = 0;
    let bytes = 0;
    const wait = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
    try {
      for (;;) {
        const taken = inflater.bytesWritten;
        while (held.length > 0 && held[0].start + held[0].bytes.length <= taken) held.shift();
        // The deflate data ended inside a piece written: the rest is the trailer and what follows.
        if (taken < completed) ended = true;
        // Pieces are written ahead while the consumer parses the output of those before.
        // (A failed inflater is destroyed at once and says why a tick later: nothing more is written.)
        if (!ended && !inputDone && !inflater.destroyed && pending < PIECES_AHEAD && outBytes < OUTPUT_AHEAD_BYTES) {
          if (await q.fill(1)) {
            const piece = q.take(PIECE_BYTES);
            held.push({ bytes: piece, start: fed });
            fed += piece.length;
            pending++;
            inflater.write(piece, (e?: Error | null) => {
              pending--;
              if (e) error ??= e;
              else completed += piece.length;
              signal();
            });
            continue;
          }
          if (pending === 0) {
            inputDone = true;
            inflater.end();
          }
        }
        if (out.length > 0) {
          const chunk = out.shift()!;
          outBytes -= chunk.length;
          crc = crc32(chunk, crc);
          bytes += chunk.length;
          this.decompressedBytes += chunk.length;
          yield chunk;
          continue;
        }
        if (error !== null) break;
        if (ended) {
          for (let i = held.length - 1; i >= 0; i--) q.untake(held[i].bytes.subarray(Math.max(0, taken - held[i].start)));
          return { crc, bytes };
        }
        if (pending > 0 || ((inputDone || inflater.destroyed) && !closed)) {
          await wait();
          continue;
        }
        // The data ended cleanly with the input: the trailer is missing (the caller says so).
        if (inputDone) return { crc, bytes };
        // Closed with no error and no end: not something zlib does, but it would otherwise wait forever.
        error = new Error('the inflater closed before the end of the data');
        break;
      }
      const e = error as Error & { code?: string };
      const from = dataStart + inflater.bytesWritten;
      // The piece zlib failed on: the first one not taken whole.
      const failed = held.find((h) => h.start + h.bytes.length > inflater.bytesWritten);
      const to = dataStart + (failed ? failed.start + failed.bytes.length : fed);
      const member = this.members === 0 ? '' : ` of gzip member ${this.members + 1} (from offset ${start})`;
      if (e.code === 'Z_BUF_ERROR') {
        this.cut(q.offset, `the gzip stream ends early at offset ${q.offset}, inside the compressed data${member}, after ${this.decompressedBytes} decompressed bytes`);
      } else {
        // zlib says which call failed, not which byte: the damage was found in that call's input.
        this.corrupt(from, `corrupt gzip data${member}, found in the compressed bytes from offset ${from} to ${to} (${e.message}), after ${this.decompressedBytes} decompressed bytes`);
      }
      return null;
    } finally {
      inflater.destroy();
    }
  }

  /** Reads a member's trailer and checks it against the member's output; false on damage. */
  private async trailer(crc: number, bytes: number): Promise<boolean> {
    const q = this.queue;
    const at = q.offset;
    if (!(await q.fill(TRAILER_BYTES))) {
      return this.cut(at + q.available, `the gzip stream ends inside the ${TRAILER_BYTES}-byte trailer at offset ${at} (have ${q.available}), after ${this.decompressedBytes} decompressed bytes`);
    }
    const word = (i: number): number => (q.byte(i) | (q.byte(i + 1) << 8) | (q.byte(i + 2) << 16) | (q.byte(i + 3) << 24)) >>> 0;
    const storedCrc = word(0);
    const storedLength = word(4);
    q.skip(TRAILER_BYTES, 0);
    const member = this.members === 0 ? '' : ` of gzip member ${this.members + 1}`;
    if (storedCrc !== crc) {
      return this.corrupt(at, `corrupt gzip data: the CRC-32 of the ${bytes} decompressed bytes${member} is ${hex32(crc)}, the trailer at offset ${at} says ${hex32(storedCrc)}`);
    }
    if (storedLength !== bytes % 2 ** 32) {
      return this.corrupt(at + 4, `corrupt gzip data: ${bytes} bytes decompressed${member}, the trailer at offset ${at + 4} says ${storedLength}`);
    }
    return true;
  }
}
