/**
 * A capture held in memory for the frame-level defences: its frames (time, bytes, length on the
 * wire) in time order, read once and written back in the same format. A defence sees every frame at
 * once (a TCP stream's padding changes the sequence numbers of segments after it; a cover burst is a
 * copy of one seen earlier or later), so a capture is held whole: the real captures peephole defends
 * are megabytes, a simulated week of the family home about 100 MB. Padding alone does without
 * (pad-stream.ts).
 *
 * Times are whole µs since the epoch plus the nanoseconds a finer capture had within that µs, so a
 * frame a defence leaves in place is written at exactly the time it was read.
 */
import { readCapture, type CaptureSummary } from '../../capture/reader.js';
import { PcapWriter } from '../../capture/pcap-writer.js';
import { PcapngWriter } from '../../capture/pcapng-writer.js';
import { TSRESOL_NANOSECONDS } from '../../capture/timestamp.js';
import { BadInputError } from '../../core/bad-input-error.js';
import { LINKTYPE_ETHERNET, linkTypeName } from '../../core/link-type.js';
import type { CaptureFormat } from '../../core/vantage.js';

export interface HeldFrame {
  /** Whole µs since the epoch. */
  readonly timeUs: number;
  /** Nanoseconds within that µs (0..999), kept from a finer capture. */
  readonly subUsNs: number;
  readonly data: Uint8Array;
  /** Length on the wire (more than `data.length` when the capture cut the frame). */
  readonly origLen: number;
}

export interface HeldCapture {
  readonly file: string;
  readonly format: CaptureFormat;
  /** pcap: its timestamp precision; pcapng frames are written with nanoseconds. */
  readonly precision: 'us' | 'ns';
  readonly linkType: number;
  /** Frames in time order (stable: frames of one instant in file order). */
  readonly frames: HeldFrame[];
  readonly summary: CaptureSummary;
}

/**
 * Frames' bytes copied into shared slabs of {@link SLAB_BYTES}, each frame a view of its slab: a copy
 * of its own per frame costs an ArrayBuffer and a separate allocation each. Padding a week of the
 * family home (103 MB, 480,000 frames) peaked at 1,144 MB with a copy per frame and 1,041 MB with
 * slabs; a month (423 MB, 2.0 million frames) at 4,531 MB and 3,953 MB (GNU time, the same bytes
 * written). The rest is the frames held and each defence's own state over all of them (the TCP
 * editor's parsed frames, the padded frames' new bytes): see docs/architecture.md.
 */
const SLAB_BYTES = 4 << 20;

class FrameSlabs {
  private slab = new Uint8Array(0);
  private used = 0;

  copy(buf: Uint8Array, offset: number, length: number): Uint8Array {
    if (length > SLAB_BYTES / 4) return buf.slice(offset, offset + length);
    if (this.used + length > this.slab.length) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const view = this.slab.subarray(this.used, this.used + length);
    view.set(buf.subarray(offset, offset + length));
    this.used += length;
    return view;
  }
}

/** A frame at a time (µs), with nothing below the µs. */
export function frameAt(timeUs: number, data: Uint8Array, origLen = data.length): HeldFrame {
  return { timeUs: Math.round(timeUs), subUsNs: 0, data, origLen };
}

/**
 * Reads a capture whole. Frame-level defences rewrite Ethernet frames: a capture of another link
 * type, or of several, is refused (a BadInputError naming the file and the link types found).
 */
export async function readHeldCapture(path: string, task: string): Promise<HeldCapture> {
  const frames: HeldFrame[] = [];
  const slabs = new FrameSlabs();
  let sorted = true;
  let last = -Infinity;
  const summary = await readCapture(path, (rec) => {
    const timeUs = rec.tsSec * 1e6 + Math.floor(rec.tsNsec / 1000);
    if (timeUs < last) sorted = false;
    last = timeUs;
    frames.push({ timeUs, subUsNs: rec.tsNsec % 1000, data: slabs.copy(rec.buf, rec.offset, rec.capLen), origLen: rec.origLen });
  });
  if (summary.linkTypes.length !== 1 || summary.linkTypes[0] !== LINKTYPE_ETHERNET) {
    const found = summary.linkTypes.length === 0 ? 'no frames' : summary.linkTypes.map((t) => `${linkTypeName(t)} (${t})`).join(', ');
    throw new BadInputError(`${path}: ${task} rewrites Ethernet frames (a LAN or WAN capture); this capture has ${found}`, { file: path });
  }
  if (!sorted) frames.sort((a, b) => a.timeUs - b.timeUs || a.subUsNs - b.subUsNs);
  const precision = summary.pcap?.precision ?? 'ns';
  return { file: path, format: summary.format, precision, linkType: LINKTYPE_ETHERNET, frames, summary };
}

/** Writes frames (sorted here by time, stably) as a capture of `like`'s format; returns the frames and bytes on the wire written. */
export function writeHeldCapture(path: string, like: Pick<HeldCapture, 'format' | 'precision' | 'linkType'>, frames: readonly HeldFrame[], description?: string): { frames: number; bytes: number } {
  const ordered = [...frames].sort((a, b) => a.timeUs - b.timeUs || a.subUsNs - b.subUsNs);
  const writer =
    like.format === 'pcap'
      ? new PcapWriter({ to: path, linkType: like.linkType, precision: like.precision })
      : new PcapngWriter({ to: path, interfaces: [{ linkType: like.linkType, tsresol: TSRESOL_NANOSECONDS, name: 'defended', ...(description ? { description } : {}) }] });
  let bytes = 0;
  try {
    for (const f of ordered) {
      const tsSec = Math.floor(f.timeUs / 1e6);
      writer.writePacket({ tsSec, tsNsec: (f.timeUs - tsSec * 1e6) * 1000 + f.subUsNs, data: f.data, origLen: f.origLen });
      bytes += f.origLen;
    }
  } finally {
    writer.close();
  }
  return { frames: ordered.length, bytes };
}
