/**
 * Writes the network traffic of a simulated home, day by day, as an observer at one vantage sees it
 * (DESIGN.md, "Where the observer stands"): every network device boots (DHCP with its host name),
 * looks up its cloud names, keeps its TLS sessions alive and sends a burst for each use the life
 * simulation reports; a sensor's reports go out through its hub's session.
 *
 * ```ts
 * const w = new HomeTrafficWriter({ source: 'family.json', devices, network, vantage: 'lan', seed: 1, sink: pcap, startUs });
 * for (const day of life) w.writeDay(day);
 * const { packets, bytes } = w.finish();
 * ```
 *
 * Frames reach `sink` in time order; they are held at most about a day (flushed at each midnight).
 * A packet transform (../seams.ts) given as `packets` sees every device packet before the vantage.
 */
import { parseIpv4, parseMac } from '../../core/bytes.js';
import { LINKTYPE_ETHERNET, LINKTYPE_IEEE802_11_RADIOTAP } from '../../core/link-type.js';
import { Random } from '../../core/random.js';
import type { FrameSink } from './traffic-writer.js';
import { SpecError } from '../spec-error.js';
import { DEVICE_ACTIONS } from '../../core/kinds.js';
import { type DayOfLife, type DeviceSpec, type NetworkSpec } from '../types.js';
import { type Vantage } from '../../core/vantage.js';
import { loadDeviceProfiles, profileFor, SENSOR_KINDS, type ActionProfile, type DeviceProfiles } from './device-profiles.js';
import { DeviceTraffic, NatPorts } from './device-traffic.js';
import { PayloadRandom } from './frame-slab.js';
import { PacketSeam } from './packet-seam.js';
import { activePacketTransform, seamRandom, type PacketTransform } from '../seams.js';
import { TimeSorter } from './time-sorter.js';
import { Wire, type NetworkAddresses } from './wire.js';

export interface HomeTrafficOptions {
  /** The spec's name, for errors. */
  readonly source: string;
  readonly devices: readonly DeviceSpec[];
  readonly network: NetworkSpec;
  readonly vantage: Vantage;
  readonly seed: number;
  readonly sink: FrameSink;
  /** When the devices boot (µs since the epoch). */
  readonly startUs: number;
  /** Traffic profiles (default: data/device-profiles.json). */
  readonly profiles?: DeviceProfiles;
  /** Changes every device packet before the vantage sees it (default: none). */
  readonly packets?: PacketTransform;
}

export interface TrafficTotals {
  readonly packets: number;
  readonly bytes: number;
}

const DAY_US = 86_400e6;

/** The capture link type for a vantage: Ethernet for lan and wan, radiotap 802.11 for wifi. */
export function linkTypeFor(vantage: Vantage): number {
  return vantage === 'wifi' ? LINKTYPE_IEEE802_11_RADIOTAP : LINKTYPE_ETHERNET;
}

interface Use {
  readonly timeUs: number;
  readonly action: ActionProfile;
}

/** Where a spec device's uses go: the traffic that carries them, and its action shapes. */
interface Route {
  readonly traffic: DeviceTraffic;
  /** Its index in the writer's list of traffic. */
  readonly trafficIndex: number;
  readonly actions: ReadonlyMap<string, ActionProfile>;
  readonly index: number;
}

export class HomeTrafficWriter {
  /** The most frames held waiting for time order (bounded by about a day's traffic). */
  get peakHeldFrames(): number {
    return this.sorter.peakHeld;
  }

  private readonly sorter: TimeSorter;
  private readonly wire: Wire;
  private readonly traffic: DeviceTraffic[] = [];
  private readonly routes = new Map<string, Route>();
  /** Uses at or after the last day's end, per traffic, carried to the next day. */
  private pending: Use[][];
  private booted = false;
  private lastDayEndUs = -Infinity;
  private finished = false;

  constructor(private readonly options: HomeTrafficOptions) {
    const { source, devices, network } = options;
    const profiles = options.profiles ?? loadDeviceProfiles();
    const net = networkAddresses(source, network);
    this.sorter = new TimeSorter(options.sink);
    const random = new Random(options.seed);
    this.wire = new Wire(options.vantage, net, (t, f) => this.sorter.add(t, f), new PayloadRandom(random.int(0, 0xffff_ffff)));
    const transform = activePacketTransform({ packets: options.packets });
    const seam = transform === null ? null : new PacketSeam(this.wire, transform, seamRandom('packets', options.seed));
    const home = { wire: this.wire, seam, net, nat: new NatPorts(random) };
    const ids = new Map<string, number>();
    devices.forEach((d, i) => {
      if (ids.has(d.id)) throw new SpecError(source, `devices[${i}].id`, `${JSON.stringify(d.id)} is also devices[${ids.get(d.id)}]`);
      ids.set(d.id, i);
    });
    // Network devices first, so that a sensor can name a hub listed after it.
    devices.forEach((d, i) => {
      if (SENSOR_KINDS.includes(d.kind)) return;
      const profile = profileFor(profiles, source, i, d);
      if (d.mac === undefined) throw new SpecError(source, `devices[${i}].mac`, `a ${d.kind} needs a MAC address`);
      if (d.ip === undefined) throw new SpecError(source, `devices[${i}].ip`, `a ${d.kind} needs an IPv4 address`);
      const mac = parse(source, `devices[${i}].mac`, () => parseMac(d.mac as string));
      const ip = parse(source, `devices[${i}].ip`, () => parseIpv4(d.ip as string));
      const t = new DeviceTraffic(home, d.id, mac, ip, d.hostname, profile, random.int(0, 0xffff_ffff));
      this.routes.set(d.id, { traffic: t, trafficIndex: this.traffic.length, actions: new Map(Object.entries(profile.actions)), index: i });
      this.traffic.push(t);
    });
    devices.forEach((d, i) => {
      if (!SENSOR_KINDS.includes(d.kind)) return;
      const field = `devices[${i}].via`;
      if (d.via === undefined) throw new SpecError(source, field, `a ${d.kind} sensor needs the hub or alarm it reports through`);
      const hub = this.routes.get(d.via);
      if (hub === undefined) throw new SpecError(source, field, `${JSON.stringify(d.via)} is not a network device of the spec`);
      for (const action of DEVICE_ACTIONS[d.kind]) {
        if (!hub.actions.has(action)) {
          throw new SpecError(source, field, `${JSON.stringify(d.via)} (profile ${hub.traffic.profile.id}) has no burst shape for a ${d.kind} sensor's ${JSON.stringify(action)}`);
        }
      }
      this.routes.set(d.id, { ...hub, index: i });
    });
    this.pending = this.traffic.map(() => []);
  }

  /** Writes one day: the background traffic of every device and a burst per use; flushes up to its end. */
  writeDay(day: DayOfLife): void {
    if (this.finished) throw new Error('HomeTrafficWriter: writeDay() after finish()');
    const endUs = day.dayStartUs + DAY_US;
    if (day.dayStartUs < this.lastDayEndUs) {
      throw new RangeError(`Days must come in order: the day starting ${new Date(day.dayStartUs / 1000).toISOString()} starts before the previous one ended`);
    }
    // Frames before the previous day's end are written already: a use dated earlier is written at that end.
    const openFromUs = Number.isFinite(this.lastDayEndUs) ? this.lastDayEndUs : -Infinity;
    this.lastDayEndUs = endUs;
    if (!this.booted) {
      for (const t of this.traffic) t.boot(this.options.startUs);
      this.booted = true;
    }
    const uses = this.pending;
    const date = new Date(day.dayStartUs / 1000).toISOString().slice(0, 10);
    day.events.forEach((e, i) => {
      const route = this.routes.get(e.device);
      if (route === undefined) throw new SpecError(this.options.source, `${date} events[${i}].device`, `${JSON.stringify(e.device)} is not a device of the spec`);
      const action = route.actions.get(e.action);
      if (action === undefined) {
        throw new SpecError(this.options.source, `devices[${route.index}].profile`, `profile ${route.traffic.profile.id} has no burst shape for ${JSON.stringify(e.action)} (${date} events[${i}])`);
      }
      uses[route.trafficIndex].push({ timeUs: Math.max(e.timeUs, openFromUs), action });
    });
    this.pending = this.traffic.map((t, i) => {
      const all = uses[i].sort((a, b) => a.timeUs - b.timeUs);
      const cut = firstAtOrAfter(all, endUs);
      t.runUntil(endUs, all.slice(0, cut));
      return all.slice(cut);
    });
    this.sorter.flushBefore(endUs);
  }

  /** Writes the uses left past the last midnight, flushes everything, and says how much was written. */
  finish(): TrafficTotals {
    if (!this.finished) {
      this.finished = true;
      this.traffic.forEach((t, i) => {
        const left = this.pending[i];
        if (left.length > 0) t.runUntil(left[left.length - 1].timeUs + 1, left);
      });
      this.sorter.flush();
    }
    return { packets: this.wire.frames, bytes: this.wire.bytes };
  }
}

function firstAtOrAfter(uses: readonly Use[], timeUs: number): number {
  let i = 0;
  while (i < uses.length && uses[i].timeUs < timeUs) i++;
  return i;
}

function parse<T>(source: string, field: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new SpecError(source, field, (e as Error).message);
  }
}

function networkAddresses(source: string, n: NetworkSpec): NetworkAddresses {
  return {
    routerMac: parse(source, 'network.routerMac', () => parseMac(n.routerMac)),
    routerIp: parse(source, 'network.routerIp', () => parseIpv4(n.routerIp)),
    publicIp: parse(source, 'network.publicIp', () => parseIpv4(n.publicIp)),
    ispMac: parse(source, 'network.ispMac', () => parseMac(n.ispMac)),
    ispResolverIp: parse(source, 'network.ispResolverIp', () => parseIpv4(n.ispResolverIp)),
  };
}
