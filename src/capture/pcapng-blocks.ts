/**
 * Reading the pcapng blocks that describe the capture rather than hold packets: the Section Header
 * Block and the Interface Description Block (with its options: if_name, if_description, if_tsresol,
 * if_tsoffset, if_fcslen). Called once per block, so they may allocate.
 */
import { u16be, u16le, u32be, u32le } from '../core/bytes.js';
import type { CaptureInterface, CaptureSection } from './capture-parser.js';
import {
  IF_DESCRIPTION,
  IF_FCSLEN,
  IF_NAME,
  IF_TSOFFSET,
  IF_TSRESOL,
  OPT_COMMENT,
  SHB_HARDWARE,
  SHB_OS,
  SHB_USERAPPL,
} from './pcapng-format.js';
import { optionText, readOptions, type PcapngOption } from './pcapng-options.js';
import { parseTsresol, TimestampConverter, TSRESOL_MICROSECONDS } from './timestamp.js';

/** Offset of the options inside an SHB (after version and section length). */
const SHB_OPTIONS_OFFSET = 24;
/** Offset of the options inside an IDB (after link type, reserved and snap length). */
const IDB_OPTIONS_OFFSET = 16;
const TSOFFSET_BYTES = 8;

function firstText(buf: Uint8Array, options: PcapngOption[], code: number): string | null {
  const opt = options.find((o) => o.code === code);
  return opt ? optionText(buf, opt) : null;
}

/** The SHB at `buf[p, p + len)`, in the byte order its magic gave. */
export function readSectionHeader(
  buf: Uint8Array,
  p: number,
  len: number,
  le: boolean,
  index: number,
  fileOffset: number,
): CaptureSection {
  const u16 = le ? u16le : u16be;
  const { options } = readOptions(buf, p + SHB_OPTIONS_OFFSET, p + len - 4, le);
  return {
    index,
    fileOffset,
    byteOrder: le ? 'le' : 'be',
    version: `${u16(buf, p + 12)}.${u16(buf, p + 14)}`,
    hardware: firstText(buf, options, SHB_HARDWARE),
    os: firstText(buf, options, SHB_OS),
    userAppl: firstText(buf, options, SHB_USERAPPL),
    comment: firstText(buf, options, OPT_COMMENT),
  };
}

/** Reads a signed 64-bit integer as a number (exact up to 2^53). */
function readInt64(buf: Uint8Array, o: number, le: boolean): number {
  const hi = le ? u32le(buf, o + 4) : u32be(buf, o);
  const lo = le ? u32le(buf, o) : u32be(buf, o + 4);
  return Number((BigInt(hi | 0) << 32n) | BigInt(lo));
}

/** The IDB at `buf[p, p + len)`, numbered `id` in its section and `index` in the file. */
export function readInterfaceBlock(
  buf: Uint8Array,
  p: number,
  len: number,
  le: boolean,
  section: number,
  id: number,
  index: number,
): { info: CaptureInterface; ts: TimestampConverter } {
  const { options } = readOptions(buf, p + IDB_OPTIONS_OFFSET, p + len - 4, le);
  let tsresol = TSRESOL_MICROSECONDS;
  let tsOffsetSec = 0;
  let fcsLength: number | null = null;
  for (const opt of options) {
    if (opt.code === IF_TSRESOL && opt.length >= 1) tsresol = parseTsresol(buf[opt.offset]);
    else if (opt.code === IF_TSOFFSET && opt.length >= TSOFFSET_BYTES) tsOffsetSec = readInt64(buf, opt.offset, le);
    else if (opt.code === IF_FCSLEN && opt.length >= 1) fcsLength = buf[opt.offset];
  }
  const info: CaptureInterface = {
    index,
    section,
    id,
    linkType: le ? u16le(buf, p + 8) : u16be(buf, p + 8),
    snaplen: le ? u32le(buf, p + 12) : u32be(buf, p + 12),
    tsresol,
    tsOffsetSec,
    name: firstText(buf, options, IF_NAME),
    description: firstText(buf, options, IF_DESCRIPTION),
    fcsLength,
    packets: 0,
  };
  return { info, ts: new TimestampConverter(tsresol, tsOffsetSec) };
}
