/**
 * The home's entrances as the decoders read them, by kind and by role, one reading for the home's
 * chain (structured-day.ts) and the count decoder (resident-count.ts).
 *
 * - **Pooled**: the entrances by kind (locks, door contacts) of a home that has none by behaviour are
 *   one door: a leave or a return with a use of any of them within a bin of it, scored at the
 *   decoder's fixed rate (`entranceAtTransition`) against how often one fires beside a bin without.
 * - **Scored by their own rates**: in a home with an entrance by behaviour (roles.ts: a camera or an
 *   unknown device that fires at the edges of the home's absences, or beside its lock), every entrance,
 *   by kind and by behaviour, each with its own rate at leaves and returns learned on the home's
 *   current path ({@link ownEntranceRate}): a camera that also films at night is not as sure a sign
 *   as a lock.
 *
 * ```ts
 * const firing = entranceFiring(uses, startUs, binUs, bins);
 * firing.entrance[t]; // 1 where a pooled entrance fired in bin t
 * firing.ownFired[0][t]; // 1 where the first entrance scored by its own rates did
 * ```
 */
import { isEntranceKind } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import { deviceRoles } from './roles.js';

/** Where each entrance fired, per bin of the decoder's bins. */
export interface EntranceFiring {
  /** Per bin, whether a pooled entrance (by kind, not one scored by its own rates) fired in it. */
  readonly entrance: Uint8Array;
  readonly hasEntrance: boolean;
  /** Per entrance scored by its own rates, whether it fired in each bin. */
  readonly ownFired: Uint8Array[];
  /** Their device ids, in the order of `ownFired`. */
  readonly ownIds: readonly string[];
}

/**
 * The entrances each scored by its own rates (roles.ts): none in a home whose entrances are all read
 * by kind (its locks and doors are scored as one, at `entranceAtTransition`); every entrance, by kind
 * and by behaviour, in a home with one by behaviour. Scored as one more door pooled with the lock, the
 * night-shift home's camera, which also films at night, took the home's chain from 0.331 to 0.049;
 * the camera by its own rates and the lock at 0.99, to 0.495 but the family home from 0.187 to 0.138
 * (its lock is used at 15 of 92 leaves and returns: at 0.99, a leave the camera shows without it stays
 * unlikely); every entrance by its own rates, 0.485 and 0.270. With `byEdges` false, a home whose
 * entrances by behaviour are all read by the edges of its quiet spells (none beside a lock or door)
 * has none (the count decoder's reading, resident-count.ts).
 */
export function roleEntrances(events: readonly DeviceUse[], byEdges = true): ReadonlySet<string> {
  const roles = deviceRoles(events);
  return [...roles.devices.values()].some((r) => r.entranceByRole && (byEdges || r.besideShare > 0)) ? roles.entrances : new Set();
}

/** The bins (from `startUs`, `binUs` each, `bins` of them) each entrance of time-sorted `events` fired in. */
export function entranceFiring(events: readonly DeviceUse[], startUs: number, binUs: number, bins: number, own: ReadonlySet<string> = roleEntrances(events)): EntranceFiring {
  const entrance = new Uint8Array(bins);
  let hasEntrance = false;
  const ownIds = [...own];
  const ownIndex = new Map(ownIds.map((id, k) => [id, k]));
  const ownFired = ownIds.map(() => new Uint8Array(bins));
  for (const e of events) {
    const b = Math.floor((e.timeUs - startUs) / binUs);
    const r = ownIndex.get(e.device);
    if (r !== undefined) ownFired[r][b] = 1;
    else if (isEntranceKind(e.kind)) {
      entrance[b] = 1;
      hasEntrance = true;
    }
  }
  return { entrance, hasEntrance, ownFired, ownIds };
}

/** Whether `fired` holds a use in bin t or a bin either side of it. */
export function firedNear(fired: Uint8Array, t: number): boolean {
  return fired[t] === 1 || (t > 0 && fired[t - 1] === 1) || (t + 1 < fired.length && fired[t + 1] === 1);
}

/** Whether `device` (of `kind`) is an entrance of this firing: by kind or scored by its own rates. */
export function isEntrance(firing: EntranceFiring, device: string, kind: string): boolean {
  return isEntranceKind(kind) || firing.ownIds.includes(device);
}

/**
 * The pseudo-counts of a leave or return with and without a use of an entrance beside it, when a home
 * has an entrance by behaviour: its rate at transitions starts at one half and follows the home's own
 * transitions. Random homes of seeds 1000-1039 (14 days, LAN uses) score 0.390, 0.390, 0.390, 0.391 and
 * 0.392 for 1, 2, 5, 10 and 20 (the home's chain): they do not choose; the family home (0.138, 0.253,
 * 0.270, 0.270, 0.270) and the night-shift home (0.485, 0.485, 0.485, 0.341, 0.376) chose 5.
 */
const ROLE_PRIOR_HITS = 5;

/**
 * How often `fired` holds a use within a bin of a `background` bin (one where 1): the rate a move's
 * entrance use stands out from, pulled toward one half by one bin and kept in [1e-4, 0.5].
 */
export function backgroundRate(fired: Uint8Array, background: Uint8Array): number {
  const { bins, near } = firedNearIn(fired, background);
  return Math.min(Math.max((near + 0.5) / (bins + 1), 1e-4), 0.5);
}

/** How many bins `mask` holds, and in how many of them `fired` holds a use within a bin. */
function firedNearIn(fired: Uint8Array, mask: Uint8Array): { bins: number; near: number } {
  let bins = 0;
  let near = 0;
  for (let t = 0; t < fired.length; t++) {
    if (mask[t] === 0) continue;
    bins++;
    if (firedNear(fired, t)) near++;
  }
  return { bins, near };
}

/** An entrance's score at a move, firing within a bin of it at rate `hit` against `background`'s rate: when it fires (`near`) and when not. */
export function entranceScore(hit: number, background: number): { near: number; notNear: number } {
  return { near: Math.log(hit) - Math.log(background), notNear: Math.log(1 - hit) - Math.log(1 - background) };
}

/**
 * One entrance scored by its own rates: log P(fires within a bin | a move) − log P(fires within a bin
 * | a background bin), `near`, and the same for not firing, `notNear`. The moves are the bins where
 * `moves` is 1 (a leave or a return on the decoder's current path), the background those where
 * `background` is (at home, no leave or return near; backgroundRate); the rate at moves is pulled
 * toward one half by ROLE_PRIOR_HITS moves either way.
 */
export function ownEntranceRate(fired: Uint8Array, moves: Uint8Array, background: Uint8Array): { near: number; notNear: number } {
  const atMoves = firedNearIn(fired, moves);
  const hit = Math.min(Math.max((atMoves.near + ROLE_PRIOR_HITS) / (atMoves.bins + 2 * ROLE_PRIOR_HITS), 0.01), 0.99);
  return entranceScore(hit, backgroundRate(fired, background));
}

/**
 * The pseudo-counts pulling an entrance's rate at going to bed or waking toward its background rate
 * (so a home with few nights read says little by them). Chosen on the real development homes, one
 * left out at a time (timeline macro-F1 at 30 min) for 2, 5, 10: house B 0.826, 0.847, 0.847; house C
 * 0.871 for all (B's choice scores C 0.871). The family home 0.266 at 5, 0.274 at 10 (with the
 * entrances by role scored at sleep too).
 */
export const SLEEP_PRIOR_COUNT = 10;

/**
 * An entrance's score at going to bed or waking (the bins where `moves` is 1): its rate within a bin
 * of them against its rate within a bin of a `background` bin, pulled toward the latter by
 * SLEEP_PRIOR_COUNT; when it fires (`near`) and when not (`notNear`).
 */
export function sleepEntranceScore(fired: Uint8Array, moves: Uint8Array, background: Uint8Array): { near: number; notNear: number } {
  const bg = backgroundRate(fired, background);
  const at = firedNearIn(fired, moves);
  const hit = Math.min(Math.max((at.near + SLEEP_PRIOR_COUNT * bg) / (at.bins + SLEEP_PRIOR_COUNT), 1e-4), 0.99);
  return entranceScore(hit, bg);
}

/** The bins (0 to bins − 1) where `holds` does, as a mask. */
export function binMask(bins: number, holds: (t: number) => boolean): Uint8Array {
  const mask = new Uint8Array(bins);
  for (let t = 0; t < bins; t++) if (holds(t)) mask[t] = 1;
  return mask;
}
