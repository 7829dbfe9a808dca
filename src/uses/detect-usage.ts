/**
 * `detectUsage()`: reads a capture once (LAN vantage) and says when each device was used. It is
 * `observeDevices()`'s pass (the device table and identification as they are), with each packet's
 * facts also grouped into bursts per device (burst.ts); only the bursts' summaries are kept, and
 * only for a while: device by device, a block of time at a time (device-judge.ts), a baseline is
 * learnt from the bursts (baseline.ts) and each burst is judged against it (classify.ts), and what
 * is kept of a use is a few numbers. A capture that is not a LAN capture of Ethernet frames is
 * refused (observe/vantage-error.ts). At the end, when the devices are named, the uses become
 * {@link DetectedUse}s, sorted by time.
 *
 * ```ts
 * const { events, devices } = await detectUsage('home.pcap', { rules: defaultVendorRules() });
 * events[0]; // { timeUs, endUs, device: '78:9c:85:12:34:01', kind: 'lock', packets: 8, bytes: 1870, direction: 'both', confidence: 0.93 }
 * ```
 */
import type { CaptureSource, CaptureSummary, ReadCaptureOptions } from '../capture/reader.js';
import { parseMac } from '../core/bytes.js';
import { attackKind, type AttackKind } from '../core/kinds.js';
import type { Vantage } from '../core/vantage.js';
import { isGroupMac } from '../observe/address.js';
import { observeDevices } from '../observe/devices.js';
import type { IdentifyOptions } from '../observe/identify.js';
import type { ObservedPacket } from '../observe/observed-packet.js';
import { BurstGrouper, DEFAULT_BURST_GAP_US } from './burst.js';
import { BurstLog } from './burst-log.js';
import type { DeviceBaseline } from './baseline.js';
import type { BurstLabel } from './classify.js';
import { DeviceJudge, judgeBursts, noLabels, type JudgeOptions } from './device-judge.js';
import { PacketFacts } from './packet-role.js';
import { HandshakeTracker } from './handshake.js';
import { compareUsageEvents, usageDirection, type DetectedUse } from './detected-use.js';
import type { PeriodOptions } from './period.js';

export interface DetectUsageOptions extends IdentifyOptions, JudgeOptions {
  /** The task, as a refusal of a capture names it ("usage detection needs a LAN capture ..."). */
  task?: string;
  /** Quiet time that ends a burst (default {@link DEFAULT_BURST_GAP_US}). */
  burstGapUs?: number;
  onProgress?: ReadCaptureOptions['onProgress'];
  signal?: AbortSignal;
}

const LAN_ONLY: readonly Vantage[] = ['lan'];

/** One device: what it was identified as, its baseline, and how its bursts were judged. */
export interface DeviceUsage {
  readonly id: string;
  readonly vendor: string | null;
  readonly category: string | null;
  readonly kind: AttackKind;
  /** The baseline of its first block of bursts (device-judge.ts): of all of them in a capture shorter than a block. */
  readonly baseline: DeviceBaseline;
  /** Blocks of its bursts judged, each against its own baseline. */
  readonly blocks: number;
  /** Bursts per verdict. */
  readonly labels: Readonly<Record<BurstLabel, number>>;
  readonly uses: number;
}

export interface UsageReport {
  readonly events: DetectedUse[];
  readonly devices: DeviceUsage[];
  readonly capture: CaptureSummary;
  /** Packets left out of the uses because their time is outside {@link USE_TIME_RANGE}; the first one's frame, offset and time. */
  readonly outOfTime: OutOfTimePackets;
}

/**
 * Packet times the use detector places: from the epoch to 2^52 µs after it (2112-09-17). Bursts
 * are logged as µs differences (burst-log.ts), which must stay exact doubles; a clock that far off
 * is a damaged record, not a day of the residents' life. The device table still counts the packet.
 */
export const USE_TIME_RANGE = { fromUs: 0, toUs: 2 ** 52 } as const;

export interface OutOfTimePackets {
  packets: number;
  first: { frame: number; offset: number; time: number } | null;
}

/** A MAC that sent this many packets from outside addresses, at least this share of all it sent, is a router. */
export const ROUTER_MIN_FORWARDED_PACKETS = 1000;
export const ROUTER_FORWARDED_SHARE = 0.2;

/** Slots of the collector's MAC cache (a power of two). */
const MAC_SLOTS = 1024;

interface MacState {
  /** Its bursts, closed into `judge`; null once the MAC is told to be a router. */
  grouper: BurstGrouper | null;
  judge: DeviceJudge;
  /** True once {@link DeviceBurstCollector.finish} closed its last burst. */
  finished: boolean;
  sent: number;
  forwarded: number;
}

/**
 * Collects bursts per unicast MAC from each packet's facts and judges them a block at a time
 * (device-judge.ts). A router (it sends packets from outside addresses: see the constants) carries
 * every device's traffic: once told, its bursts and uses are dropped and no more kept, so memory
 * follows the devices' bursts only, each closed burst kept small (see burst-log.ts) and for a block.
 */
export class DeviceBurstCollector {
  private readonly macs = new Map<number, MacState>();
  private readonly facts = new PacketFacts();
  private readonly handshakes = new HandshakeTracker();
  /**
   * A direct-mapped cache in front of `macs`, by the low bits of the MAC (it misses only when two
   * MACs share them): a lookup in a map keyed by 48-bit numbers hashes a heap number, and a cache of
   * the last two MACs would miss one lookup in four on the family home's 30 days (1.0 M of 4.1 M:
   * every device talks through the router, interleaved).
   */
  private readonly slotMac = new Float64Array(MAC_SLOTS).fill(-1);
  private readonly slotState: (MacState | undefined)[] = new Array<MacState | undefined>(MAC_SLOTS).fill(undefined);
  /** Packets {@link add} left out for their time (see {@link USE_TIME_RANGE}). */
  readonly outOfTime: OutOfTimePackets = { packets: 0, first: null };

  constructor(
    readonly gapUs: number = DEFAULT_BURST_GAP_US,
    private readonly judging: JudgeOptions = {},
  ) {}

  /** Adds one packet, as observe/ read it (see observe/observed-packet.ts). */
  add(packet: ObservedPacket): void {
    if (!(packet.timeUs >= USE_TIME_RANGE.fromUs && packet.timeUs < USE_TIME_RANGE.toUs)) {
      if (this.outOfTime.packets++ === 0) this.outOfTime.first = { frame: packet.frame, offset: packet.recordOffset, time: packet.time };
      return;
    }
    const f = this.facts;
    if (!f.read(packet)) return;
    this.handshakes.adjust(f);
    if (!isGroupMac(f.srcMac)) {
      const s = this.state(f.srcMac);
      s.sent++;
      if (f.srcOutside && ++s.forwarded >= ROUTER_MIN_FORWARDED_PACKETS && s.forwarded >= ROUTER_FORWARDED_SHARE * s.sent && s.grouper !== null) {
        s.grouper = null;
        s.judge = new DeviceJudge(this.judging);
      }
      s.grouper?.addPacket(f, true);
    }
    if (f.dstMac >= 0 && !isGroupMac(f.dstMac)) this.state(f.dstMac).grouper?.addPacket(f, false);
  }

  /** True when `mac` was told to be a router (its bursts are not kept). */
  isRouter(mac: number): boolean {
    const s = this.macs.get(mac);
    return s !== undefined && s.grouper === null;
  }

  /** The judged bursts of `mac` (closes its last burst and judges what is left); none for a MAC never seen or a router. */
  finish(mac: number): DeviceJudge {
    const s = this.macs.get(mac);
    if (s === undefined) {
      const none = new DeviceJudge(this.judging);
      none.finish();
      return none;
    }
    if (!s.finished) {
      s.finished = true;
      s.grouper?.finish();
      s.judge.finish();
    }
    return s.judge;
  }

  /** Slices of bursts (device-judge.ts) held now by every MAC together. */
  get heldSlices(): number {
    let n = 0;
    for (const s of this.macs.values()) n += s.judge.heldSlices;
    return n;
  }

  private state(mac: number): MacState {
    // The int32 conversion of `mac` keeps its low 32 bits, the slot the low ones.
    const slot = mac & (MAC_SLOTS - 1);
    if (this.slotMac[slot] === mac) return this.slotState[slot]!;
    let s = this.macs.get(mac);
    if (s === undefined) {
      const judge = new DeviceJudge(this.judging);
      const state: MacState = { grouper: null, judge, finished: false, sent: 0, forwarded: 0 };
      state.grouper = new BurstGrouper(this.gapUs, (b) => state.judge.add(b));
      this.macs.set(mac, (s = state));
    }
    this.slotMac[slot] = mac;
    this.slotState[slot] = s;
    return s;
  }
}

/**
 * Judges one device's bursts, all as one block; returns its uses (unsorted) and its report. A quiet
 * burst (kept only as a count, see burst-log.ts) changes neither the baseline nor how the next bursts
 * are judged: it is counted under its label and among the baseline's bursts.
 */
export function judgeDevice(
  id: string,
  identity: { vendor: string | null; category: string | null },
  bursts: BurstLog,
  options: PeriodOptions = {},
): { events: DetectedUse[]; device: DeviceUsage } {
  const kind = attackKind(identity.category ?? 'other');
  const labels = noLabels();
  const events: DetectedUse[] = [];
  const baseline = judgeBursts(
    [bursts],
    0,
    1,
    labels,
    { verdict: (b, v) => {
      if (v.label !== 'use') return;
      events.push({
        timeUs: b.firstDataUs >= 0 ? b.firstDataUs : b.startUs,
        endUs: b.endUs,
        device: id,
        kind,
        packets: b.packets,
        bytes: b.bytes,
        direction: usageDirection(b.dataBytesUp, b.dataBytesDown),
        confidence: v.confidence,
      });
    } },
    options,
  );
  return { events, device: { id, vendor: identity.vendor, category: identity.category, kind, baseline, blocks: 1, labels, uses: events.length } };
}

/** The uses of one device's judge, named. */
function namedUses(id: string, kind: AttackKind, judge: DeviceJudge, into: DetectedUse[]): void {
  for (let i = 0; i < judge.uses; i++) {
    const u = judge.useAt(i);
    into.push({ timeUs: u.timeUs, endUs: u.endUs, device: id, kind, packets: u.packets, bytes: u.bytes, direction: u.direction, confidence: u.confidence });
  }
}

/** Reads a capture (a path, `'-'` for stdin, or a stream) and finds every device's uses. LAN vantage only. */
export async function detectUsage(source: CaptureSource, options: DetectUsageOptions): Promise<UsageReport> {
  const collector = new DeviceBurstCollector(options.burstGapUs ?? DEFAULT_BURST_GAP_US, options);
  // One pass: the device table and the bursts are fed from each packet's facts, read once.
  const { capture, ...report } = await observeDevices(source, {
    rules: options.rules,
    known: options.known,
    oui: options.oui,
    vantage: options.vantage,
    vantages: LAN_ONLY,
    task: options.task ?? 'usage detection',
    onPacket: (packet) => collector.add(packet),
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const events: DetectedUse[] = [];
  const devices: DeviceUsage[] = [];
  for (const d of report.devices) {
    // A router's traffic is every device's: its bursts are not its own uses.
    if (d.mac === null || d.category === 'router' || collector.isRouter(parseMac(d.mac))) continue;
    const judge = collector.finish(parseMac(d.mac));
    const kind = attackKind(d.category ?? 'other');
    namedUses(d.id, kind, judge, events);
    devices.push({ id: d.id, vendor: d.vendor, category: d.category, kind, baseline: judge.baseline!, blocks: judge.blocks, labels: { ...judge.labels }, uses: judge.uses });
  }
  events.sort(compareUsageEvents);
  return { events, devices, capture, outOfTime: collector.outOfTime };
}
