/**
 * The simulator's data contracts: what a simulated home's life produces, day by day, and what the
 * traffic writer and the feature extractor read. The spec types (what a home is) live in spec.ts.
 *
 * Times are microseconds since the epoch (UTC) in a number, as in traffic/traffic-writer.ts. Times of
 * day in specs are UTC too: a simulated home lives in UTC.
 */

import type { Activity, UsageCause } from '../core/activities.js';
import type { DeviceKind } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import type { ReportFaults } from './spec-household.js';

/** One activity of one resident: the ground truth the attack tries to recover. */
export interface ActivityRecord {
  readonly timeUs: number;
  readonly resident: string;
  readonly activity: Activity;
}

/**
 * One use of a device: someone (or something) made it act, so it sends a burst of encrypted data.
 * `action` names what the device did (lock, unlock, on, off, arm, disarm, motion, open, close,
 * stream, play, setpoint, …) and picks the burst shape from the device's traffic profile.
 */
export interface SimulatedUse extends DeviceUse<DeviceKind> {
  readonly action: string;
  readonly cause: UsageCause;
  /** The resident whose activity caused it; '' for noise without a person behind it. */
  readonly resident: string;
}

/** One simulated day: its activities and device uses, each in time order. */
export interface DayOfLife {
  /** UTC midnight that starts the day. */
  readonly dayStartUs: number;
  readonly activities: readonly ActivityRecord[];
  /** Uses caused by this day's activities and noise; some may fall after the next midnight. */
  readonly events: readonly SimulatedUse[];
}

/**
 * A device of a home spec. Network devices have a MAC and an IP on the home LAN; a sensor names the
 * hub or alarm base station it reports through (`via`) and has neither.
 */
export interface DeviceSpec {
  readonly id: string;
  readonly kind: DeviceKind;
  /** The maker, spelled as in data/vendor-rules.tsv's vendor column (e.g. "August", "Philips Hue"). */
  readonly vendor: string;
  /** The traffic profile (data/device-profiles.json) to use; by default the vendor's profile for the kind. */
  readonly profile?: string;
  /** "aa:bb:cc:dd:ee:ff"; absent for a sensor with `via`. */
  readonly mac?: string;
  /** A private IPv4 address on the home LAN; absent for a sensor with `via`. */
  readonly ip?: string;
  /** The id of the hub or alarm this sensor reports through. */
  readonly via?: string;
  /** The host name it gives in DHCP (option 12), if any. */
  readonly hostname?: string;
  /** For a plug: the appliance behind it (kettle, lamp, coffee machine, …). */
  readonly appliance?: string;
  /** How its reports go wrong (lost, late); absent: every use is reported on time. */
  readonly reports?: ReportFaults;
}

/** The home's network: its router (gateway, DHCP server and DNS forwarder) and, for WAN, its public side. */
export interface NetworkSpec {
  readonly routerMac: string;
  readonly routerIp: string;
  /** The router's public IPv4 address (what the ISP sees, after NAT). */
  readonly publicIp: string;
  /** The ISP's gateway MAC on the WAN link and its DNS resolver. */
  readonly ispMac: string;
  readonly ispResolverIp: string;
}
