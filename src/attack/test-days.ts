/**
 * Hand-made days of device uses for the structured day's tests (structured-day.test.ts,
 * more-residents.test.ts): times on a week from Monday 2 November 2026, busy stretches of uses, the
 * decoded day as lines, and the activities each state allows next.
 */
import type { DeviceUse } from '../core/device-use.js';
import type { AttackKind } from '../core/kinds.js';
import type { Random } from '../core/random.js';
import type { StructuredActivity } from './structured-day.js';

/** Monday 2 November 2026, 00:00 UTC. */
export const DAY0_US = Date.UTC(2026, 10, 2) * 1000;
export const MIN = 60e6;

/** µs of `minute` minutes into day `day`. */
export function at(day: number, minute: number): number {
  return DAY0_US + (day * 24 * 60 + minute) * MIN;
}

/** Minutes of `HH:MM` into a day. */
export function hm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h * 60 + m;
}

/** Uses of `devices` in turn (from the `start`th) every `everyMin` minutes over [from, to), jittered by up to a minute. */
export function busy(rng: Random, day: number, from: string, to: string, everyMin: number, devices: readonly [string, AttackKind][], start = 0): DeviceUse<AttackKind>[] {
  const out: DeviceUse<AttackKind>[] = [];
  let i = start;
  for (let m = hm(from); m < hm(to); m += everyMin) {
    const [device, kind] = devices[i++ % devices.length];
    out.push({ timeUs: at(day, m) + Math.floor(rng.next() * 60e6), device, kind });
  }
  return out;
}

/** Each activity as `day HH:MM activity`. */
export function shown(day: readonly StructuredActivity[]): string[] {
  return day.map((a) => `${Math.floor((a.timeUs - DAY0_US) / (24 * 60 * MIN))} ${new Date(a.timeUs / 1000).toISOString().slice(11, 16)} ${a.activity}`);
}

/** The activities a state allows next: what the decoder promises never to break. */
export const NEXT: Record<string, readonly string[]> = {
  wake_up: ['go_to_bed', 'leave_temporarily', 'leave_home'],
  go_to_bed: ['wake_up'],
  leave_home: ['return_home'],
  return_home: ['go_to_bed', 'leave_temporarily', 'leave_home'],
  leave_temporarily: ['go_to_bed', 'leave_temporarily', 'leave_home'],
};

const RANDOM_KINDS: readonly AttackKind[] = ['door', 'lock', 'motion', 'light', 'plug', 'other'];

/**
 * `least` + up to `spread` uses from DAY0_US on, drawn from `rng`: six devices of any kind, bursts and
 * silences of every length, up to a day and a half.
 */
export function randomUses(rng: Random, least: number, spread: number): DeviceUse<AttackKind>[] {
  const uses: DeviceUse<AttackKind>[] = [];
  let t = DAY0_US;
  const n = least + Math.floor(rng.next() * spread);
  for (let i = 0; i < n; i++) {
    t += Math.floor(rng.next() ** 6 * 30 * 60 * MIN);
    uses.push({ timeUs: t, device: `d${Math.floor(rng.next() * 6)}`, kind: RANDOM_KINDS[Math.floor(rng.next() * RANDOM_KINDS.length)] });
  }
  return uses;
}
