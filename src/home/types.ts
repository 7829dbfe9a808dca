/**
 * The simulator's data contracts: what a simulated home's life produces, day by day, and what the
 * traffic writer and the feature extractor read. The spec types (what a home is) live in spec.ts.
 *
 * Times are microseconds since the epoch (UTC) in a number, as in synth/traffic-writer.ts. Times of
 * day in specs are UTC too: a simulated home lives in UTC.
 */

/** The five activities, in the published order: the index is the class id (0..4). */
export const ACTIVITIES = ['wake_up', 'leave_home', 'return_home', 'leave_temporarily', 'go_to_bed'] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** The class id of an activity as published (wake_up 0 … go_to_bed 4). */
export function activityId(activity: Activity): number {
  return ACTIVITIES.indexOf(activity);
}

/**
 * Device kinds a home may hold. `motion` and `contact` are sensors that report through a hub or an
 * alarm base station (the spec's `via`); the observer sees their reports as the hub's traffic.
 */
export const DEVICE_KINDS = ['lock', 'light', 'alarm', 'camera', 'plug', 'speaker', 'thermostat', 'motion', 'contact', 'hub'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** One activity of one resident: the ground truth the attack tries to recover. */
export interface ActivityRecord {
  readonly timeUs: number;
  readonly resident: string;
  readonly activity: Activity;
}

/** Why a device was used: an activity of a resident, or nothing (noise: a light toggled, a guest). */
export type UsageCause = Activity | 'noise';

/**
 * One use of a device: someone (or something) made it act, so it sends a burst of encrypted data.
 * `action` names what the device did (lock, unlock, on, off, arm, disarm, motion, open, close,
 * stream, play, setpoint, …) and picks the burst shape from the device's traffic profile.
 */
export interface UsageEventRecord {
  readonly timeUs: number;
  readonly device: string;
  readonly kind: DeviceKind;
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
  readonly events: readonly UsageEventRecord[];
}

/** Where the observer stands (DESIGN.md): the home's router, the ISP, or a Wi-Fi sniffer. */
export const VANTAGES = ['lan', 'wan', 'wifi'] as const;
export type Vantage = (typeof VANTAGES)[number];
