/**
 * A use of a device as the activity stage reports it: when the device sent data because someone made
 * it act, which device (its id as `peephole devices` prints it: the MAC on a LAN), the attack's kind
 * for it, how big the burst was, which way its data went, and how sure the classifier is.
 */
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';

export type UsageDirection = 'up' | 'down' | 'both';

/** `timeUs` is the burst's first application-data packet. */
export interface DetectedUse extends DeviceUse<AttackKind> {
  /** The burst's last packet, µs since the epoch. */
  readonly endUs: number;
  /** Packets and bytes on the wire of the whole burst. */
  readonly packets: number;
  readonly bytes: number;
  /** `up` (device to the far end) when at least {@link DIRECTION_SHARE} of its data went up, `down` likewise, else `both`. */
  readonly direction: UsageDirection;
  /** 0..1 (classify.ts). */
  readonly confidence: number;
}

export const DIRECTION_SHARE = 0.8;

export function usageDirection(bytesUp: number, bytesDown: number): UsageDirection {
  const total = bytesUp + bytesDown;
  if (total > 0 && bytesUp >= DIRECTION_SHARE * total) return 'up';
  if (total > 0 && bytesDown >= DIRECTION_SHARE * total) return 'down';
  return 'both';
}

/** Orders events by time, then device (a stable order for files). */
export function compareUsageEvents(a: DetectedUse, b: DetectedUse): number {
  return a.timeUs - b.timeUs || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0);
}
