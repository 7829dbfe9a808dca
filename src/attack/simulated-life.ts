/**
 * A simulated home's life as the attack sees it: its device uses (time-sorted, kinds as the attack
 * names them, causes kept as labels) and its true activities. Training and evaluation both start here.
 */
import { attackKind } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import { simulateLife } from '../home/life.js';
import { loadHomeSpec } from '../home/spec.js';
import { randomHomeLives } from '../home/random-home.js';
import { activityId } from '../core/activities.js';
import { type SimulatedUse } from '../home/types.js';
import type { TimedActivity } from '../evaluate/timeline-match.js';

export interface LabelledLife {
  /** Where it came from, for reports. */
  readonly source: string;
  readonly events: readonly DeviceUse[];
  /** The true activities (the timeline's ground truth). */
  readonly activities: readonly TimedActivity[];
}

/** `days` days of a home's simulated life with its ground truth. */
export function lifeOfHome(home: string, days: number, seed: number): LabelledLife {
  const spec = loadHomeSpec(home);
  const events: SimulatedUse[] = [];
  const activities: TimedActivity[] = [];
  for (const day of simulateLife(spec, { days, seed })) {
    events.push(...day.events);
    for (const a of day.activities) activities.push({ timeUs: a.timeUs, activity: activityId(a.activity), resident: a.resident });
  }
  events.sort((a, b) => a.timeUs - b.timeUs);
  activities.sort((a, b) => a.timeUs - b.timeUs);
  return {
    source: `home ${spec.name}, ${days} days, seed ${seed}`,
    events: events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: attackKind(e.kind), cause: e.cause })),
    activities,
  };
}

/**
 * The labelled activities of `count` random homes (seeds `firstSeed`, `firstSeed + 1`, ...) of `days`
 * days each, one home lived at a time and only its activities kept: what the structured preset's
 * priors are counted from.
 */
export function randomHomesActivities(count: number, days: number, firstSeed: number): { source: string; lives: { activities: TimedActivity[] }[] } {
  const lives: { activities: TimedActivity[] }[] = [];
  for (const home of randomHomeLives({ count, days, firstSeed })) {
    lives.push({ activities: home.activities.map((a) => ({ timeUs: a.timeUs, activity: activityId(a.activity), resident: a.resident })) });
  }
  return { source: `random homes ${firstSeed} to ${firstSeed + count - 1}, ${days} days each`, lives };
}
