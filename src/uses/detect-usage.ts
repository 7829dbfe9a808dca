/**
 * `detectUsage()`: reads a capture once and says when each device was used. It is
 * `observeDevices()`'s pass (the device table and identification as they are), with each packet's
 * facts also grouped into bursts per device (burst.ts); only the bursts' summaries are kept, and
 * only for a while: device by device, a block of time at a time (device-judge.ts), a baseline is
 * learnt from the bursts (baseline.ts) and each burst is judged against it (classify.ts), and what
 * is kept of a use is a few numbers. At the end, when the devices are named, the uses become
 * {@link DetectedUse}s, sorted by time.
 *
 * Every vantage: on a LAN a device is a MAC (or a home IP address where the frames have none); on a
 * Wi-Fi sniffer's capture a MAC, its bursts read from its encrypted frames' sizes and times
 * (packet-role.ts); on a WAN capture (after NAT) the bursts are kept per outside address (the far
 * end's view: per line of connections, see addByAddress), and a device cluster's uses
 * (observe/identify.ts) are those of the outside addresses its flows reached, a use that overlaps the
 * cluster's last one joined to it. A capture no device can be told from is refused
 * (observe/vantage-error.ts).
 *
 * ```ts
 * const { events, devices } = await detectUsage('home.pcap', { rules: defaultVendorRules() });
 * events[0]; // { timeUs, endUs, device: '78:9c:85:12:34:01', kind: 'lock', packets: 8, bytes: 1870, direction: 'both', confidence: 0.93 }
 * ```
 */
import type { CaptureSource, CaptureSummary, ReadCaptureOptions } from '../capture/reader.js';
import { parseMac } from '../core/bytes.js';
import { attackKind, type AttackKind } from '../core/kinds.js';
import { isGroupMac } from '../observe/address.js';
import { observeDevices } from '../observe/devices.js';
import type { IdentifyOptions } from '../observe/identify.js';
import { ObservedPacket } from '../observe/observed-packet.js';
import { IPV4_KEY_BASE, isAddressKey } from '../observe/address-keys.js';
import { BurstGrouper, DEFAULT_BURST_GAP_US } from './burst.js';
import { BurstLog } from './burst-log.js';
import type { DeviceBaseline } from './baseline.js';
import type { BurstLabel } from './classify.js';
import { DeviceJudge, judgeBursts, noLabels, type JudgeOptions } from './device-judge.js';
import { PacketFacts } from './packet-role.js';
import { HandshakeTracker, SealedHandshake } from './handshake.js';
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

/** Ports per address: a connection's end is its IPv4 address times this plus its port. */
const PORTS = 65536;
/**
 * WAN: a connection to a service continues the line of another to it that closed (FIN or RST), or
 * has been quiet this long. Measured on WAN captures of simulated homes (14 days, seed 7), uses found
 * within 5 s of their LAN capture's: per connection, the paper home 130 of 136 (the six missed, one
 * evening's lock uses, on a connection a few hours long: too few keep-alives to learn from) and the
 * family home 625 of 625 with 12 more; per line continued only after a minute's quiet, 136 of 136 but
 * 750 uses in all (a device connects again the moment its last connection closes: each connection
 * then began a line of its own); per line as here, 136 of 136 and 625 of 625, no other.
 */
const LINE_IDLE_US = 60e6;

/** WAN: connections between the home and one service, one after another (see addByAddress). */
interface WanLine {
  readonly key: number;
  /** The address that sent the first packet of the line's first connection. */
  readonly firstIp: number;
  lastUs: number;
  /** Its connections not yet closed (no FIN or RST seen). */
  open: number;
}
/** WAN: a use of one of a cluster's outside addresses that starts within this long of the end of the cluster's last one is part of it. */
const CLUSTER_JOIN_US = 2e6;

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
  /** A Wi-Fi station's handshakes, followed in its encrypted frames (made at its first one). */
  sealed: SealedHandshake | null;
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
  /** WAN: each connection's line (by its two ends), the lines by one end and the other's address, and by each address (see addByAddress). */
  private readonly connectionIds = new Map<string, { line: WanLine; closed: boolean }>();
  private lineCount = 0;
  private readonly lines = new Map<string, WanLine[]>();
  private readonly connections = new Map<number, WanLine[]>();
  /** Packets {@link add} left out for their time (see {@link USE_TIME_RANGE}). */
  readonly outOfTime: OutOfTimePackets = { packets: 0, first: null };

  /**
   * `byAddress`: bursts per line of connections to an outside service rather than per link
   * address (a WAN capture's: add only packets between two outside addresses; see addByAddress),
   * with no router told by forwarding.
   */
  constructor(
    readonly gapUs: number = DEFAULT_BURST_GAP_US,
    private readonly judging: JudgeOptions = {},
    private readonly byAddress = false,
  ) {}

  /** Adds one packet, as observe/ read it (see observe/observed-packet.ts). */
  add(packet: ObservedPacket): void {
    if (!(packet.timeUs >= USE_TIME_RANGE.fromUs && packet.timeUs < USE_TIME_RANGE.toUs)) {
      if (this.outOfTime.packets++ === 0) this.outOfTime.first = { frame: packet.frame, offset: packet.recordOffset, time: packet.time };
      return;
    }
    const f = this.facts;
    if (!f.read(packet)) return;
    if (this.byAddress) {
      this.addByAddress(packet);
      return;
    }
    this.handshakes.adjust(f);
    if (f.station >= 0 && !isGroupMac(f.station)) {
      const s = this.state(f.station);
      (s.sealed ??= new SealedHandshake()).adjust(f);
    }
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

  /**
   * WAN: the packet's bursts are kept per line of connections between the home and one service:
   * after NAT each device's connection to a service has its own translated port, and one service
   * address may serve several devices at once (two lights of one maker), whose keep-alives would
   * interleave into what looks like use. A connection that begins once another to the same service
   * address and port has been quiet for {@link LINE_IDLE_US} continues that one's line (the device
   * connecting again), so that its bursts are judged against the baseline the line learnt (a
   * connection of a few hours has too few keep-alives of its own: its uses, alike, read as a
   * periodic shape). Which end is the service is known at the end (the address a cluster's flows
   * reached): a line's bursts are seen from the end that sent its first packet.
   */
  private addByAddress(packet: ObservedPacket): void {
    const f = this.facts;
    if (packet.ipVersion !== 4 || packet.srcGroup || packet.dstGroup || packet.protocol === 'other') return;
    const srcIp = packet.srcIp as number;
    const dstIp = packet.dstIp as number;
    const src = srcIp * PORTS + packet.srcPort;
    const dst = dstIp * PORTS + packet.dstPort;
    const name = src < dst ? `${src},${dst}` : `${dst},${src}`;
    let c = this.connectionIds.get(name);
    if (c === undefined) {
      const line = this.lineFor(src, dstIp, packet.timeUs) ?? this.lineFor(dst, srcIp, packet.timeUs) ?? this.newLine(src, dst, srcIp, dstIp);
      line.open++;
      c = { line, closed: false };
      this.connectionIds.set(name, c);
    }
    const line = c.line;
    line.lastUs = packet.timeUs;
    if (!c.closed && (packet.fin || packet.rst)) {
      c.closed = true;
      line.open--;
    }
    this.handshakes.adjust(f);
    this.state(line.key).grouper?.addPacket(f, srcIp === line.firstIp);
  }

  /**
   * The line between `end` (an address and port) and `other` (an address) that a new connection
   * continues: the one whose connections all closed most lately (the device connecting again), else
   * the one quiet longest, for {@link LINE_IDLE_US} at least; undefined when none.
   */
  private lineFor(end: number, other: number, timeUs: number): WanLine | undefined {
    const lines = this.lines.get(`${end},${other}`);
    if (lines === undefined) return undefined;
    let closed: WanLine | undefined;
    let quiet: WanLine | undefined;
    for (const l of lines) {
      if (l.open === 0 && (closed === undefined || l.lastUs > closed.lastUs)) closed = l;
      else if (timeUs - l.lastUs >= LINE_IDLE_US && (quiet === undefined || l.lastUs < quiet.lastUs)) quiet = l;
    }
    return closed ?? quiet;
  }

  private newLine(src: number, dst: number, srcIp: number, dstIp: number): WanLine {
    const line: WanLine = { key: this.lineCount++, firstIp: srcIp, lastUs: 0, open: 0 };
    for (const [end, other] of [
      [src, dstIp],
      [dst, srcIp],
    ]) {
      const k = `${end},${other}`;
      const had = this.lines.get(k);
      if (had === undefined) this.lines.set(k, [line]);
      else had.push(line);
    }
    for (const ip of [srcIp, dstIp]) {
      const had = this.connections.get(ip);
      if (had === undefined) this.connections.set(ip, [line]);
      else had.push(line);
    }
    return line;
  }

  /** WAN: the lines of connections kept with an address (a uint32): each one's key (see {@link finish}) and whether the address sent its first packet. */
  connectionsOf(address: number): { key: number; fromAddress: boolean }[] {
    return (this.connections.get(address) ?? []).map((l) => ({ key: l.key, fromAddress: l.firstIp === address }));
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
      const state: MacState = { grouper: null, judge, finished: false, sent: 0, forwarded: 0, sealed: null };
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

/** The uses of one device's judge, named; `farEnd`: the judge saw them from the far end (its up is the device's down). */
function namedUses(id: string, kind: AttackKind, judge: DeviceJudge, into: DetectedUse[], farEnd = false): void {
  for (let i = 0; i < judge.uses; i++) {
    const u = judge.useAt(i);
    const direction = farEnd && u.direction !== 'both' ? (u.direction === 'up' ? 'down' : 'up') : u.direction;
    into.push({ timeUs: u.timeUs, endUs: u.endUs, device: id, kind, packets: u.packets, bytes: u.bytes, direction, confidence: u.confidence });
  }
}

/** A cluster's uses in time order, a use that starts within {@link CLUSTER_JOIN_US} of the end of the one before joined to it. */
function joinedUses(uses: DetectedUse[]): DetectedUse[] {
  uses.sort(compareUsageEvents);
  const out: DetectedUse[] = [];
  for (const u of uses) {
    const last = out[out.length - 1];
    if (last !== undefined && u.timeUs <= last.endUs + CLUSTER_JOIN_US) {
      out[out.length - 1] = {
        ...last,
        endUs: Math.max(last.endUs, u.endUs),
        packets: last.packets + u.packets,
        bytes: last.bytes + u.bytes,
        direction: last.direction === u.direction ? last.direction : 'both',
        confidence: Math.max(last.confidence, u.confidence),
      };
    } else out.push(u);
  }
  return out;
}

/** Reads a capture (a path, `'-'` for stdin, or a stream) and finds every device's uses, from any vantage. */
export async function detectUsage(source: CaptureSource, options: DetectUsageOptions): Promise<UsageReport> {
  const gapUs = options.burstGapUs ?? DEFAULT_BURST_GAP_US;
  const collector = new DeviceBurstCollector(gapUs, options);
  // Packets between two outside addresses (a WAN capture's, after NAT) are also kept per outside
  // address; a LAN capture has next to none of them.
  const wan = new DeviceBurstCollector(gapUs, options, true);
  const observed = new ObservedPacket();
  // One pass: the device table and the bursts are fed from each packet's facts, read once.
  const { capture, ...report } = await observeDevices(source, {
    rules: options.rules,
    known: options.known,
    oui: options.oui,
    vantage: options.vantage,
    task: options.task ?? 'usage detection',
    observed,
    onPacket: (packet) => {
      collector.add(packet);
      if (!packet.srcLocal && !packet.dstLocal && packet.ipVersion !== 0) wan.add(packet);
    },
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const events: DetectedUse[] = [];
  const devices: DeviceUsage[] = [];
  const keys = observed.addressKeys;
  if (report.vantage === 'wan') {
    const taken = new Set<number>();
    for (const d of report.devices) {
      const kind = attackKind(d.category ?? 'other');
      const uses: DetectedUse[] = [];
      const labels = noLabels();
      let main: DeviceJudge | null = null;
      let blocks = 0;
      const services = new Set(d.flows.map((f) => keys.keyOfText(f.remoteAddress)));
      for (const { key, fromAddress } of [...services].flatMap((k) => (k !== undefined && isAddressKey(k) ? wan.connectionsOf(k - IPV4_KEY_BASE) : []))) {
        if (taken.has(key)) continue;
        taken.add(key);
        const judge = wan.finish(key);
        // A connection's bursts are seen from the end that sent its first packet: the device's view unless that was the service.
        namedUses(d.id, kind, judge, uses, fromAddress);
        for (const l of Object.keys(labels) as BurstLabel[]) labels[l] += judge.labels[l];
        blocks = Math.max(blocks, judge.blocks);
        if (main === null || judge.baseline!.bursts > main.baseline!.bursts) main = judge;
      }
      const joined = joinedUses(uses);
      events.push(...joined);
      main ??= wan.finish(-1);
      devices.push({ id: d.id, vendor: d.vendor, category: d.category, kind, baseline: main.baseline!, blocks, labels, uses: joined.length });
    }
  } else {
    for (const d of report.devices) {
      // A router's traffic is every device's: its bursts are not its own uses.
      const key = d.mac !== null ? parseMac(d.mac) : keys.keyOfText(d.id);
      if (key === undefined || d.category === 'router' || collector.isRouter(key)) continue;
      const judge = collector.finish(key);
      const kind = attackKind(d.category ?? 'other');
      namedUses(d.id, kind, judge, events);
      devices.push({ id: d.id, vendor: d.vendor, category: d.category, kind, baseline: judge.baseline!, blocks: judge.blocks, labels: { ...judge.labels }, uses: judge.uses });
    }
  }
  events.sort(compareUsageEvents);
  return { events, devices, capture, outOfTime: collector.outOfTime };
}
