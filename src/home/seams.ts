/**
 * The simulator's seams: the two places where a defence (cover traffic, padding, delaying uses,
 * tunnelling) changes a simulated home before anyone observes it.
 *
 *     life ─▶ UseTransform ─▶ each device's traffic ─▶ PacketTransform ─▶ vantage view ─▶ capture
 *            (a day's uses)    (as the device sends it)  (each packet)     (LAN, WAN, Wi-Fi)
 *
 * - A {@link UseTransform} sees each day's device uses as lived and returns the uses the devices
 *   make: it may add uses (cover traffic: cause `cover`, so events.csv stays the truth), move them
 *   (delaying uses) or leave some out. events.csv and the traffic both follow what it returns.
 * - A {@link PacketTransform} sees every packet a device sends or receives, before the vantage is
 *   applied, and may make it larger (padding) or send it to another far end (a tunnel's endpoint):
 *   the LAN, the WAN after NAT and the Wi-Fi sniffer all see what it made of the packet.
 *
 * Each gets a seeded generator (core/random.ts) drawn from the simulation's seed, so a transformed
 * home is as reproducible as any other: same spec, seed and transforms, same bytes. The defaults do
 * nothing, and the simulator then skips the seam altogether (the outputs are those of a home without
 * seams, at the same speed).
 *
 * ```ts
 * const pad: PacketTransform = {
 *   transformPacket(p) {
 *     if (p.kind === 'tls-data') p.payloadBytes = Math.min(p.maxPayloadBytes, Math.ceil(p.payloadBytes / 256) * 256);
 *   },
 * };
 * simulateHome({ spec, source: 'family', days: 7, seed: 1, out: 'padded', vantage: 'wan', format: 'pcapng', seams: { packets: pad } });
 * ```
 */
import { Random } from '../core/random.js';
import type { HomeSpec } from './spec.js';
import type { DayOfLife, SimulatedUse } from './types.js';

/** Changes a home's device uses, day by day, before its devices act on them. */
export interface UseTransform {
  /**
   * The uses the devices make on `day`, given the uses as lived (`day.events`, in time order). A use
   * it adds must name a device of `home` with its kind and an action the device's profile knows, and
   * say cause `cover` with resident `''`; a use it moves keeps its cause. The result is put in time
   * order (stable) by the simulator. Called once per day, days in order, with the same `random`
   * every day (seeded from the simulation's seed).
   */
  transformDay(day: DayOfLife, random: Random, home: HomeSpec): readonly SimulatedUse[];
}

/** What a device packet carries, as the simulator made it. */
export type PayloadKind =
  /** DHCP (UDP 67/68, on the LAN only). */
  | 'dhcp'
  /** A DNS query or answer (UDP 53). */
  | 'dns'
  /** An NTP request or reply (UDP 123). */
  | 'ntp'
  /** A TCP segment without payload: SYN, ACK or FIN. */
  | 'tcp-control'
  /** TCP payload of a TLS handshake: the ClientHello, the server's first flight. */
  | 'tls-handshake'
  /** TCP payload of TLS application data: keep-alives, a use's messages, the client's Finished. */
  | 'tls-data';

/**
 * One packet of one device, between the device and the far end, as the device sends it (`up`) or
 * receives it, before any vantage sees it. One object is refilled for every packet: read it and
 * change it within {@link PacketTransform.transformPacket}, do not keep it.
 */
export interface DevicePacket {
  /** The network device's id in the spec (a sensor's reports are packets of its hub). */
  readonly device: string;
  /** µs since the epoch. */
  readonly timeUs: number;
  /** True when the device sends it, false when it comes to the device. */
  readonly up: boolean;
  readonly protocol: 'tcp' | 'udp';
  readonly kind: PayloadKind;
  /**
   * The transport payload's length in bytes (the TCP segment's or UDP datagram's payload). A
   * transform may raise it up to {@link maxPayloadBytes}, never lower it: the simulator fills the
   * added bytes so that the packet stays what it was. A TLS stream stays well-formed records (the
   * records of a message are framed over its padded segments); a UDP message is followed by zero
   * bytes (DHCP's own padding; tshark notes a padded DNS message's "Extraneous data", a note, not a
   * warning; a padded NTP packet reads as it was).
   */
  payloadBytes: number;
  /**
   * The most it may carry: the TCP segment size (1448) for application data, a 1500-byte MTU for
   * UDP (1472), and its own length for TCP control segments and TLS handshake segments (a handshake
   * keeps its size: the server name it carries shows anyway).
   */
  readonly maxPayloadBytes: number;
  /**
   * The far end as the device addresses it: an IPv4 address as a number (core/bytes.ts
   * parseIpv4 and formatIpv4) and its port. For DNS that is the router; past NAT the WAN sees the
   * ISP's resolver instead, unless a transform changes it. A transform may change both (a tunnel's
   * endpoint): every vantage then sees the new far end.
   */
  remoteIp: number;
  remotePort: number;
}

/** Changes the packets of a home's devices before any vantage sees them. */
export interface PacketTransform {
  /**
   * Changes `packet` in place. Called for every packet in the order each device sends them (device
   * by device, a day at a time: not in time order across devices), with one `random` for the whole
   * home (seeded from the simulation's seed).
   */
  transformPacket(packet: DevicePacket, random: Random): void;
}

/** The transforms to apply to a simulated home; either may be left out. */
export interface Seams {
  readonly uses?: UseTransform;
  readonly packets?: PacketTransform;
}

/** The use transform that changes nothing (the default). */
export const NO_USE_TRANSFORM: UseTransform = { transformDay: (day) => day.events };

/** The packet transform that changes nothing (the default). */
export const NO_PACKET_TRANSFORM: PacketTransform = { transformPacket: () => undefined };

/** Salts that derive each seam's generator from the simulation's seed, apart from the home's own. */
const USE_SEAM_SALT = 0x0c0f_e4a1;
const PACKET_SEAM_SALT = 0x9ad5_3e17;

/** The generator a seam's transform gets for a simulation seed. */
export function seamRandom(seam: 'uses' | 'packets', seed: number): Random {
  return new Random((seed ^ (seam === 'uses' ? USE_SEAM_SALT : PACKET_SEAM_SALT)) >>> 0);
}

/** The use transform to apply, or null when there is none (the no-op counts as none). */
export function activeUseTransform(seams: Seams | undefined): UseTransform | null {
  const t = seams?.uses;
  return t === undefined || t === NO_USE_TRANSFORM ? null : t;
}

/** The packet transform to apply, or null when there is none (the no-op counts as none). */
export function activePacketTransform(seams: Seams | undefined): PacketTransform | null {
  const t = seams?.packets;
  return t === undefined || t === NO_PACKET_TRANSFORM ? null : t;
}

/**
 * Applies a use transform to a home's days, one at a time: checks what it returns (every use names
 * a device of the home with that device's kind and a time) and puts it in time order.
 */
export class UseSeam {
  private readonly random: Random;
  private readonly kinds: ReadonlyMap<string, string>;

  constructor(
    private readonly transform: UseTransform,
    private readonly home: HomeSpec,
    seed: number,
  ) {
    this.random = seamRandom('uses', seed);
    this.kinds = new Map(home.devices.map((d) => [d.id, d.kind]));
  }

  /** The day with the uses its devices make. */
  day(day: DayOfLife): DayOfLife {
    const uses = this.transform.transformDay(day, this.random, this.home);
    const date = new Date(day.dayStartUs / 1000).toISOString().slice(0, 10);
    uses.forEach((u, i) => {
      const where = `use transform, ${date} uses[${i}]`;
      const kind = this.kinds.get(u.device);
      if (kind === undefined) throw new RangeError(`${where}: ${JSON.stringify(u.device)} is not a device of the home ${JSON.stringify(this.home.name)}`);
      if (u.kind !== kind) throw new RangeError(`${where}: ${JSON.stringify(u.device)} is a ${kind}, not a ${u.kind}`);
      if (!Number.isSafeInteger(u.timeUs) || u.timeUs < 0) throw new RangeError(`${where}: time ${u.timeUs} is not whole µs since the epoch`);
    });
    // Array.prototype.sort is stable: uses at one instant keep the transform's order.
    const events = [...uses].sort((a, b) => a.timeUs - b.timeUs);
    return { dayStartUs: day.dayStartUs, activities: day.activities, events };
  }
}
