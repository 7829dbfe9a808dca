/**
 * A hub's or an alarm base station's uses, told apart by the sensor that made them. A hub relays each
 * of its sensors' reports in a burst of its own shape (PingPong, Trimananda et al., NDSS 2020, found
 * per-event packet signatures of hubs): on the simulated SmartThings hub a motion report is 3 packets,
 * 348 bytes on the wire, a contact's open 6 packets, 898 bytes, its close 6 packets, 861 bytes. A hub
 * read as one device fires whenever anyone moves, and its door contact is lost in its motion
 * sensors; read as one device per shape, the door can be read as an entrance by its behaviour
 * (attack/roles.ts).
 *
 * A shape is a burst's packets and bytes. A relay's shape seen often enough becomes a device of its
 * own, `<id>#<packets>p<bytes>B`; the rest (two reports in one burst, a rare report) stay the relay's.
 *
 * ```ts
 * const uses = splitRelayedUses(detected.events, new Set(['24:fd:5b:02:7c:31']));
 * uses[0].device; // '24:fd:5b:02:7c:31#3p348B'
 * ```
 */
import type { DetectedUse } from './detected-use.js';

export interface RelaySplitOptions {
  /** A shape becomes a device of its own from this many uses... */
  readonly minUses: number;
  /** ...and this share of the relay's uses. */
  readonly minShare: number;
}

export const DEFAULT_RELAY_SPLIT: RelaySplitOptions = { minUses: 10, minShare: 0.03 };

/** The device id of a relay's shape. */
export function shapeDevice(relay: string, packets: number, bytes: number): string {
  return `${relay}#${packets}p${bytes}B`;
}

/** `uses` (any order, kept) with each of `relays`' frequent shapes as a device of its own. */
export function splitRelayedUses(uses: readonly DetectedUse[], relays: ReadonlySet<string>, options: RelaySplitOptions = DEFAULT_RELAY_SPLIT): DetectedUse[] {
  if (relays.size === 0) return [...uses];
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const u of uses) {
    if (!relays.has(u.device)) continue;
    let c = counts.get(u.device);
    if (c === undefined) counts.set(u.device, (c = new Map()));
    const shape = shapeDevice(u.device, u.packets, u.bytes);
    c.set(shape, (c.get(shape) ?? 0) + 1);
    totals.set(u.device, (totals.get(u.device) ?? 0) + 1);
  }
  const own = new Set<string>();
  for (const [relay, c] of counts) {
    const total = totals.get(relay)!;
    for (const [shape, n] of c) if (n >= options.minUses && n >= options.minShare * total) own.add(shape);
  }
  return uses.map((u) => {
    if (!relays.has(u.device)) return u;
    const shape = shapeDevice(u.device, u.packets, u.bytes);
    return own.has(shape) ? { ...u, device: shape } : u;
  });
}
