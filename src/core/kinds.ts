/**
 * The attack's kind vocabulary: what an observer can tell a device is, whatever home it watches.
 * Homes differ (any mix of kinds, several devices of one kind, kinds no model saw in training), so
 * every kind string is mapped onto these ten before features are computed:
 *
 * | kind | what it is |
 * | --- | --- |
 * | `lock` | a smart lock on an entrance |
 * | `door` | a door or window contact sensor (the simulator's `contact`) |
 * | `light` | a bulb, a switch or a light strip |
 * | `motion` | a motion or presence sensor |
 * | `alarm` | an alarm base station or keypad (arm, disarm) |
 * | `camera` | a camera or video doorbell |
 * | `plug` | a smart plug and the appliance behind it |
 * | `speaker` | a smart speaker or voice assistant |
 * | `thermostat` | a thermostat or heating controller |
 * | `other` | anything else: a hub (the simulator's `hub`), a TV, an unknown string |
 *
 * The entrance kinds (`lock`, `door`) are the ones that tell leaving and returning apart from the rest.
 */

export const ATTACK_KINDS = ['lock', 'door', 'light', 'motion', 'alarm', 'camera', 'plug', 'speaker', 'thermostat', 'other'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** The kinds a person uses to go in or out: a lock or a door contact. */
export const ENTRANCE_KINDS: readonly AttackKind[] = ['lock', 'door'];

/**
 * Simulator kinds (DEVICE_KINDS below) and vendor-rule categories (data/vendor-rules.tsv)
 * whose attack kind has another name: a video doorbell is a camera at the door.
 */
const KIND_ALIASES: ReadonlyMap<string, AttackKind> = new Map<string, AttackKind>([
  ['contact', 'door'],
  ['hub', 'other'],
  ['pressure', 'other'],
  ['interior', 'other'],
  ['doorbell', 'camera'],
]);

const KIND_INDEX: ReadonlyMap<string, number> = new Map(ATTACK_KINDS.map((k, i) => [k, i]));
const OTHER_INDEX = ATTACK_KINDS.indexOf('other');

/** True when `kind` is one of {@link ATTACK_KINDS} as it is spelled there. */
export function isAttackKind(kind: string): kind is AttackKind {
  return KIND_INDEX.has(kind);
}

/**
 * The attack kind of a kind string: an attack kind stays itself, `contact` is `door`, `doorbell` is
 * `camera`, `hub` and
 * anything unknown are `other`. Case and surrounding spaces are ignored (`" Lock "` is `lock`).
 */
export function attackKind(kind: string): AttackKind {
  const key = kind.trim().toLowerCase();
  if (isAttackKind(key)) return key;
  return KIND_ALIASES.get(key) ?? 'other';
}

/** The index 0..9 of a kind string's attack kind in {@link ATTACK_KINDS} (the one-hot column). */
export function attackKindIndex(kind: string): number {
  const direct = KIND_INDEX.get(kind);
  return direct ?? KIND_INDEX.get(attackKind(kind)) ?? OTHER_INDEX;
}

/** True when a kind string names an entrance (`lock`, `door`, or the simulator's `contact`). */
export function isEntranceKind(kind: string): boolean {
  return ENTRANCE_KINDS.includes(attackKind(kind));
}

/**
 * Device kinds a home may hold. `motion`, `contact`, `pressure` and `interior` are sensors that
 * report through a hub or an alarm base station (the spec's `via`); the observer sees their reports
 * as the hub's traffic. `contact` is on a door or window to the outside; `pressure` is a mat under a
 * bed, a couch or a chair; `interior` is a contact on something inside the home (a cupboard, a
 * drawer, the fridge, the microwave, an interior door). The attack reads the last two as `other`,
 * as the published sensor homes label them.
 */
export const DEVICE_KINDS = ['lock', 'light', 'alarm', 'camera', 'plug', 'speaker', 'thermostat', 'motion', 'contact', 'hub', 'pressure', 'interior'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * What each kind of device does when used: the `action` of a {@link SimulatedUse}. A device's
 * traffic profile has a burst shape for each action of its kind. Sensors (`motion`, `contact`,
 * `pressure`, `interior`) report through a hub; a hub has no actions of its own and relays its
 * sensors' reports.
 */
export const DEVICE_ACTIONS: Readonly<Record<DeviceKind, readonly string[]>> = {
  lock: ['lock', 'unlock'],
  light: ['on', 'off'],
  alarm: ['arm', 'disarm'],
  camera: ['motion_clip', 'live_view'],
  plug: ['on', 'off'],
  speaker: ['voice_command', 'play', 'stop'],
  thermostat: ['setpoint'],
  motion: ['motion'],
  contact: ['open', 'close'],
  hub: [],
  pressure: ['press', 'release'],
  interior: ['open', 'close'],
};
