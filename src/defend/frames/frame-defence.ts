/**
 * The frame-level side of a defence: it is given a held capture's frames and returns the frames as
 * the defence makes them (any order: they are written sorted by time). It states what it added and
 * removed in a {@link FrameLedger}, by what for, and {@link applyFrameDefence} holds it to that: the
 * ledger must add up to the difference between the frames written and the frames read.
 */
import type { CaptureSummary } from '../../capture/reader.js';
import type { Random } from '../../core/random.js';
import type { HeldFrame } from './held-capture.js';

/** Where the capture was taken, as far as the frame defences care: the home's router (LAN) or past NAT (WAN). */
export type FrameVantage = 'lan' | 'wan';

export interface FrameContext {
  readonly random: Random;
  readonly ledger: FrameLedger;
  readonly vantage: FrameVantage;
  /** The capture's name, for messages. */
  readonly file: string;
}

export interface FrameDefence {
  apply(frames: readonly HeldFrame[], context: FrameContext): HeldFrame[];
  /** The same defence on a capture file a frame at a time, when it has one (memory that does not grow with the capture). */
  readonly streamed?: StreamedFrameDefence;
}

/** What a streamed defence read and wrote. */
export interface StreamedCapture {
  readonly summary: CaptureSummary;
  /** Told from the frames' addresses, as defend-capture.ts's frameVantage. */
  readonly vantage: FrameVantage;
  readonly read: { readonly frames: number; readonly bytes: number; readonly firstUs: number; readonly lastUs: number };
  readonly written: { readonly frames: number; readonly bytes: number };
}

export interface StreamedFrameDefence {
  /**
   * Reads `input` and writes `out` (in its format, `description` naming the pcapng interface), the
   * frames byte for byte those {@link FrameDefence.apply} gives on the held capture, stating in
   * `ledger` what it added and advancing `random` as `apply` would. Null, with nothing written, when
   * this capture needs the held path; `why` says what made it so.
   */
  defendFile(input: string, out: string, options: { readonly random: Random; readonly ledger: FrameLedger; readonly task: string; readonly description: string; readonly why?: (reason: string) => void }): Promise<StreamedCapture | null>;
}

/** Frames and bytes (on the wire) a defence added (positive) or removed (negative), by what for. */
export class FrameLedger {
  readonly entries = new Map<string, { frames: number; bytes: number }>();
  /** Things a user should know about what was not done (streams left unpadded, cover not placed). */
  readonly notes: string[] = [];
  /** How long each real packet waited (shaping), µs. */
  readonly packetDelaysUs: number[] = [];

  add(what: string, frames: number, bytes: number): void {
    const e = this.entries.get(what) ?? { frames: 0, bytes: 0 };
    e.frames += frames;
    e.bytes += bytes;
    this.entries.set(what, e);
  }

  get frames(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.frames;
    return n;
  }

  get bytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes;
    return n;
  }

  toJSON(): { entries: Record<string, { frames: number; bytes: number }>; notes: string[]; delayedPackets: number } {
    return { entries: Object.fromEntries(this.entries), notes: this.notes, delayedPackets: this.packetDelaysUs.length };
  }
}

function totals(frames: readonly HeldFrame[]): { frames: number; bytes: number } {
  let bytes = 0;
  for (const f of frames) bytes += f.origLen;
  return { frames: frames.length, bytes };
}

/** Applies a frame defence and checks that its ledger accounts for every frame and byte it changed. */
export function applyFrameDefence(defence: FrameDefence, name: string, frames: readonly HeldFrame[], context: FrameContext): HeldFrame[] {
  const before = totals(frames);
  const ledgerBefore = { frames: context.ledger.frames, bytes: context.ledger.bytes };
  const out = defence.apply(frames, context);
  const after = totals(out);
  const stated = { frames: context.ledger.frames - ledgerBefore.frames, bytes: context.ledger.bytes - ledgerBefore.bytes };
  if (stated.frames !== after.frames - before.frames || stated.bytes !== after.bytes - before.bytes) {
    throw new RangeError(`${name}: its ledger says ${stated.frames} frames and ${stated.bytes} bytes added, the frames written differ by ${after.frames - before.frames} and ${after.bytes - before.bytes}`);
  }
  return out;
}
