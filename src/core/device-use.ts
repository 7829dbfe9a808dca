/**
 * A device use, the one record every stage passes on: a device sent data because someone (or
 * something) made it act. The simulator writes them with their truth ({@link SimulatedUse} in
 * home/types.ts adds the action and the resident), the use detector finds them in traffic
 * (`DetectedUse` in uses/ adds the burst's size, direction and confidence), an events CSV gives them
 * directly, and the features, the presets and the timeline read them.
 *
 * `K` narrows the kind where it is known to be one vocabulary: `DeviceUse<AttackKind>` after the
 * attack mapped it (core/kinds.ts), `DeviceUse<DeviceKind>` in the simulator.
 */
import type { UsageCause } from './activities.js';

export interface DeviceUse<K extends string = string> {
  /** When the use began, µs since the epoch (UTC). */
  readonly timeUs: number;
  /** The device's id: the simulator's id, a MAC on a LAN capture, or an events CSV's `device` cell. */
  readonly device: string;
  readonly kind: K;
  /** Why the device was used, where the truth is known (a simulated home, a labelled events CSV). */
  readonly cause?: UsageCause;
}

/** Index of the first of `uses` (sorted by time) at or after `us`; `uses.length` when none is. */
export function firstUseAt(uses: readonly DeviceUse[], us: number): number {
  let lo = 0;
  let hi = uses.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (uses[mid].timeUs < us) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
