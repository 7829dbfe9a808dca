/**
 * Reading and writing pcapng options: `code(2) length(2) value`, the value padded to 4 bytes, the
 * list ended by opt_endofopt (code 0) or by the end of the block body.
 */
import { putU16be, putU16le, u16be, u16le } from '../core/bytes.js';
import { OPT_ENDOFOPT, padded4 } from './pcapng-format.js';

const OPTION_HEADER_BYTES = 4;
const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

/** One option as found in a block: its value is `buf[offset, offset + length)`. */
export interface PcapngOption {
  code: number;
  offset: number;
  length: number;
}

/**
 * The options in `buf[from, to)`. Stops at opt_endofopt, at the end, or at an option whose length
 * runs past the end (`complete` is then false).
 */
export function readOptions(buf: Uint8Array, from: number, to: number, le: boolean): { options: PcapngOption[]; complete: boolean } {
  const options: PcapngOption[] = [];
  let p = from;
  while (to - p >= OPTION_HEADER_BYTES) {
    const code = le ? u16le(buf, p) : u16be(buf, p);
    const length = le ? u16le(buf, p + 2) : u16be(buf, p + 2);
    if (code === OPT_ENDOFOPT) return { options, complete: true };
    if (p + OPTION_HEADER_BYTES + length > to) return { options, complete: false };
    options.push({ code, offset: p + OPTION_HEADER_BYTES, length });
    p += OPTION_HEADER_BYTES + padded4(length);
  }
  return { options, complete: p >= to };
}

/** The UTF-8 text of an option value (trailing NULs dropped). */
export function optionText(buf: Uint8Array, opt: PcapngOption): string {
  let end = opt.offset + opt.length;
  while (end > opt.offset && buf[end - 1] === 0) end--;
  return utf8.decode(buf.subarray(opt.offset, end));
}

/** Builds an option list; `bytes()` ends it with opt_endofopt (or returns nothing for no options). */
export class OptionsBuilder {
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  constructor(private readonly le: boolean) {}

  add(code: number, value: Uint8Array): this {
    if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} is ${value.length} bytes, above 65535`);
    const part = new Uint8Array(OPTION_HEADER_BYTES + padded4(value.length));
    (this.le ? putU16le : putU16be)(part, 0, code);
    (this.le ? putU16le : putU16be)(part, 2, value.length);
    part.set(value, OPTION_HEADER_BYTES);
    this.parts.push(part);
    this.length += part.length;
    return this;
  }

  addText(code: number, text: string | null | undefined): this {
    return text === null || text === undefined ? this : this.add(code, utf8Encoder.encode(text));
  }

  bytes(): Uint8Array {
    if (this.parts.length === 0) return new Uint8Array(0);
    const out = new Uint8Array(this.length + OPTION_HEADER_BYTES);
    let p = 0;
    for (const part of this.parts) {
      out.set(part, p);
      p += part.length;
    }
    return out; // the last 4 bytes stay zero: opt_endofopt
  }
}
