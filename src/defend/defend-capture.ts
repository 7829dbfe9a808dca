/**
 * A defence on a written capture (a real one, or a simulated one): transformed, written in the same
 * format, and its cost measured on what was written. A defence whose only step can be applied a frame
 * at a time (pad: frames/pad-stream.ts) is, in memory that does not grow with the capture; the others
 * read the capture whole (frames/held-capture.ts):
 *
 * 1. The use defence, when the defence has one, on the uses found in the capture (uses/: a LAN capture
 *    is needed to tell devices apart): bursts copied as cover, bursts moved (frames/use-edits.ts).
 * 2. The packet defence on the frames (`packetsOnCapture`: padding a real capture's packets).
 * 3. The frame defence (`frames`: a tunnel, encrypted DNS, constant-rate shaping).
 *
 * Each step states what it added and removed (frames/frame-defence.ts); the total must be what was
 * written. Whether the capture is a LAN or a WAN one is told from its addresses, as `peephole devices`
 * does, unless given.
 */
import type { CaptureSummary } from '../capture/reader.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { registeredVendorLookup } from '../observe/oui.js';
import { BadInputError } from '../core/bad-input-error.js';
import { seamRandom } from '../home/seams.js';
import { detectUsage } from '../uses/detect-usage.js';
import { packetDelayCost, trafficCost, useCost, type DefenceCost } from './cost.js';
import type { DefendedUse } from './defend-events.js';
import { applyFrameDefence, FrameLedger, type FrameContext, type FrameVantage, type StreamedFrameDefence } from './frames/frame-defence.js';
import { parseFrame } from './frames/frame-bytes.js';
import { readHeldCapture, writeHeldCapture, type HeldCapture, type HeldFrame } from './frames/held-capture.js';
import { applyUsesToCapture } from './frames/use-edits.js';
import type { Defence } from './strategy.js';

export interface DefendCaptureOptions {
  readonly input: string;
  readonly out: string;
  readonly defence: Defence;
  readonly seed: number;
  /** Where the capture was taken (default: told from its addresses). */
  readonly vantage?: FrameVantage;
}

export interface DefendedCapture {
  readonly input: string;
  readonly out: string;
  readonly vantage: FrameVantage;
  readonly ledger: FrameLedger;
  readonly cost: DefenceCost;
  /** What the reader saw of the input (damage it stepped over included). */
  readonly capture: CaptureSummary;
  /** The uses as lived and as made, when the defence works on uses. */
  readonly uses: { readonly lived: readonly DefendedUse[]; readonly made: readonly DefendedUse[] } | null;
}

/** Share of IP frames with a home address on both ends past which a capture is a LAN one (as observe/identify.ts). */
const LAN_LOCAL_SHARE = 0.5;

/** LAN or WAN, from the frames' addresses. */
export function frameVantage(frames: readonly HeldFrame[]): FrameVantage {
  let ip = 0;
  let local = 0;
  for (const f of frames) {
    const info = parseFrame(f.data, f.origLen);
    if (info === null) continue;
    ip++;
    if (info.srcLocal || info.dstLocal) local++;
  }
  return ip === 0 || local / ip >= LAN_LOCAL_SHARE ? 'lan' : 'wan';
}

const DAY_US = 86_400e6;

export async function defendCapture(options: DefendCaptureOptions): Promise<DefendedCapture> {
  const { defence, input } = options;
  // A defence that can be applied a frame at a time is, when it is the only step: the capture is not
  // held. It reads the capture twice, so standard input (read once) is held.
  const streamed = defence.uses === null && defence.frames === null && input !== '-' ? defence.packetsOnCapture?.streamed : undefined;
  if (streamed !== undefined) {
    const done = await defendStreamed(options, streamed);
    if (done !== null) return done;
  }
  return defendHeld(options);
}

/**
 * Pads (so far the one defence that streams) a frame at a time; null when the capture needs the held
 * path (frames out of time order, a stream whose padding depends on what comes later).
 */
async function defendStreamed(options: DefendCaptureOptions, streamed: StreamedFrameDefence): Promise<DefendedCapture | null> {
  const { defence, input } = options;
  const ledger = new FrameLedger();
  const random = seamRandom('packets', options.seed);
  const r = await streamed.defendFile(input, options.out, { random, ledger, task: `defending with ${defence.strategy}`, description: `${input} defended by ${defence.strategy}` });
  if (r === null) return null;
  if (ledger.frames !== r.written.frames - r.read.frames || ledger.bytes !== r.written.bytes - r.read.bytes) throw new RangeError(`${defence.strategy}: its ledger does not account for the frames written`);
  const undefended = r.read;
  const days = Math.max(undefended.lastUs - undefended.firstUs, 1) / DAY_US;
  const cost: DefenceCost = {
    days,
    // A streamed defence moves no frame in time.
    traffic: trafficCost(undefended, { frames: r.written.frames, bytes: r.written.bytes, firstUs: undefended.firstUs, lastUs: undefended.lastUs }, days),
    uses: null,
    packets: packetDelayCost(ledger.packetDelaysUs),
  };
  return { input, out: options.out, vantage: options.vantage ?? r.vantage, ledger, cost, uses: null, capture: r.summary };
}

async function defendHeld(options: DefendCaptureOptions): Promise<DefendedCapture> {
  const { defence, input } = options;
  const capture: HeldCapture = await readHeldCapture(input, `defending with ${defence.strategy}`);
  const vantage = options.vantage ?? frameVantage(capture.frames);
  const ledger = new FrameLedger();
  const context: FrameContext = { random: seamRandom('packets', options.seed), ledger, vantage, file: input };
  let frames: HeldFrame[] = capture.frames;
  let uses: DefendedCapture['uses'] = null;
  if (defence.uses !== null) {
    if (vantage !== 'lan') throw new BadInputError(`${input}: ${defence.strategy} works on device uses, which need a LAN capture (one MAC address per device); this one looks like a WAN capture`, { file: input });
    const report = await detectUsage(input, { rules: defaultVendorRules(), oui: registeredVendorLookup(), task: `defending with ${defence.strategy}` });
    const ledgerBefore = { frames: ledger.frames, bytes: ledger.bytes };
    const before = frames;
    const edited = applyUsesToCapture(frames, report.events, defence, options.seed, context.random, ledger);
    checkLedger('uses', before, edited.frames, ledger, ledgerBefore);
    frames = edited.frames;
    uses = { lived: edited.lived, made: edited.made };
  }
  if (defence.packetsOnCapture !== null) frames = applyFrameDefence(defence.packetsOnCapture, defence.strategy, frames, context);
  if (defence.frames !== null) frames = applyFrameDefence(defence.frames, defence.strategy, frames, context);
  const written = writeHeldCapture(options.out, capture, frames, `${capture.file} defended by ${defence.strategy}`);
  const undefended = totals(capture.frames);
  const days = Math.max(undefended.lastUs - undefended.firstUs, 1) / DAY_US;
  const defended = totals(frames);
  if (defended.frames !== written.frames || defended.bytes !== written.bytes) throw new RangeError('defendCapture: the frames written are not the frames defended');
  const cost: DefenceCost = {
    days,
    traffic: trafficCost(undefended, defended, days),
    uses: uses === null ? null : useCost(uses.lived, uses.made.map((u) => (u.livedUs === null ? { ...u, cause: 'cover' as const } : u))),
    packets: packetDelayCost(ledger.packetDelaysUs),
  };
  return { input, out: options.out, vantage, ledger, cost, uses, capture: capture.summary };
}

function totals(frames: readonly HeldFrame[]): { frames: number; bytes: number; firstUs: number; lastUs: number } {
  let bytes = 0;
  let firstUs = Infinity;
  let lastUs = -Infinity;
  for (const f of frames) {
    bytes += f.origLen;
    if (f.timeUs < firstUs) firstUs = f.timeUs;
    if (f.timeUs > lastUs) lastUs = f.timeUs;
  }
  return { frames: frames.length, bytes, firstUs: frames.length ? firstUs : NaN, lastUs: frames.length ? lastUs : NaN };
}

function checkLedger(step: string, before: readonly HeldFrame[], after: readonly HeldFrame[], ledger: FrameLedger, was: { frames: number; bytes: number }): void {
  const a = totals(before);
  const b = totals(after);
  if (ledger.frames - was.frames !== b.frames - a.frames || ledger.bytes - was.bytes !== b.bytes - a.bytes) {
    throw new RangeError(`${step}: the ledger does not account for the frames written`);
  }
}
