/**
 * Parts of a home spec about the household as a whole and about how its life is recorded: trips
 * (nights away, alone or together), the rules that turn what happened into labels (as the real
 * labelled homes were labelled), the clock of the device reports, and how a device's reports go
 * wrong. All are optional; a spec without them lives and labels as before they existed.
 */
import { MINUTES_PER_DAY, type SpecObject, type SpecReader } from './spec-fields.js';
import { parseDuration, type DurationSpec } from './spec-routine.js';

/** The longest trip, in nights. */
export const MAX_TRIP_NIGHTS = 60;
const MAX_TRIPS_PER_YEAR = 52;
const MAX_LABEL_MINUTES = MINUTES_PER_DAY;
const MAX_CLOCK_OFFSET_SECONDS = 3600;
const MAX_CLOCK_DRIFT_SECONDS_PER_DAY = 600;
const MAX_LATE_SECONDS = 3600;

/**
 * Trips away from home, for `nights` nights, by a party of residents who leave and come back
 * together: Poisson, `perYear` a year. The party leaves in `leaveWindow` of the first day and
 * comes back in `returnWindow` of the last.
 */
export interface TripSpec {
  readonly residents: readonly string[];
  readonly perYear: number;
  /** Nights away (a duration in whole nights, at least 1). */
  readonly nights: DurationSpec;
  readonly leaveWindowMinutes: readonly [number, number];
  readonly returnWindowMinutes: readonly [number, number];
}

/**
 * How activities become labels, as the real labelled homes were labelled (their converter's rules):
 * - an absence of `leaveHomeAfterMinutes` or more is leave_home (and return_home at its end); a
 *   shorter one is leave_temporarily, and its return is labelled only with `returnAfterShortAbsence`;
 * - sleeps less than `sleepGapMinutes` apart are one sleep; each is the night of its start minus
 *   12 h, and per night only the longest counts, and only if it lasts `shortestNightMinutes` or
 *   more (go_to_bed at its start, wake_up at its end): naps give no labels.
 * What is not labelled still happens (the devices react), but its device uses say cause `noise`.
 */
export interface LabelRules {
  readonly leaveHomeAfterMinutes: number;
  readonly returnAfterShortAbsence: boolean;
  readonly sleepGapMinutes: number;
  readonly shortestNightMinutes: number;
}

/**
 * The clock the device reports are stamped with, against the true time of the activities: off by
 * `offsetSeconds` on the first day and drifting `driftSecondsPerDay` a day. It moves device uses
 * (events.csv and the capture), never the activities.
 */
export interface ClockSpec {
  readonly offsetSeconds: number;
  readonly driftSecondsPerDay: number;
}

/** How a device's reports go wrong: each use is lost with one probability, or sent late with another. */
export interface ReportFaults {
  readonly missProbability: number;
  readonly lateProbability: number;
  /** How late, uniform in [low, high] seconds. */
  readonly lateSeconds: readonly [number, number];
}

export function parseTrip(reader: SpecReader, value: unknown, path: string, residentIds: readonly string[]): TripSpec {
  const obj = reader.object(value, path, ['residents', 'perYear', 'nights', 'leaveWindow', 'returnWindow']);
  const [list, listPath] = obj.required('residents');
  const items = reader.list(list, listPath);
  if (items.length === 0) reader.fail(listPath, 'expected at least one resident');
  const residents = items.map((r, i) => {
    const id = reader.id(r, `${listPath}[${i}]`);
    if (!residentIds.includes(id)) reader.fail(`${listPath}[${i}]`, `no resident ${JSON.stringify(id)} (residents: ${residentIds.join(', ')})`);
    return id;
  });
  return {
    residents,
    perYear: reader.number(...obj.required('perYear'), 0, MAX_TRIPS_PER_YEAR),
    nights: parseDuration(reader, ...obj.required('nights'), MAX_TRIP_NIGHTS),
    leaveWindowMinutes: reader.window(...obj.required('leaveWindow'), MINUTES_PER_DAY),
    returnWindowMinutes: reader.window(...obj.required('returnWindow'), MINUTES_PER_DAY),
  };
}

export function parseLabelRules(reader: SpecReader, value: unknown, path: string): LabelRules {
  const obj = reader.object(value, path, ['leaveHomeAfterMinutes', 'returnAfterShortAbsence', 'sleepGapMinutes', 'shortestNightMinutes']);
  return {
    leaveHomeAfterMinutes: reader.number(...obj.required('leaveHomeAfterMinutes'), 1, MAX_LABEL_MINUTES),
    returnAfterShortAbsence: reader.boolean(...obj.required('returnAfterShortAbsence')),
    sleepGapMinutes: reader.number(...obj.required('sleepGapMinutes'), 0, MAX_LABEL_MINUTES),
    shortestNightMinutes: reader.number(...obj.required('shortestNightMinutes'), 0, MAX_LABEL_MINUTES),
  };
}

export function parseClock(reader: SpecReader, value: unknown, path: string): ClockSpec {
  const obj = reader.object(value, path, ['offsetSeconds', 'driftSecondsPerDay']);
  return {
    offsetSeconds: reader.number(...obj.required('offsetSeconds'), -MAX_CLOCK_OFFSET_SECONDS, MAX_CLOCK_OFFSET_SECONDS),
    driftSecondsPerDay: reader.number(...obj.required('driftSecondsPerDay'), -MAX_CLOCK_DRIFT_SECONDS_PER_DAY, MAX_CLOCK_DRIFT_SECONDS_PER_DAY),
  };
}

/** A device's `reports` field. */
export function parseReportFaults(reader: SpecReader, obj: SpecObject): ReportFaults {
  const faults = reader.object(...obj.required('reports'), ['missProbability', 'lateProbability', 'lateSeconds']);
  const missProbability = reader.number(...faults.required('missProbability'), 0, 1);
  const lateProbability = reader.number(...faults.required('lateProbability'), 0, 1);
  if (missProbability + lateProbability > 1) reader.fail(faults.path, `expected missProbability + lateProbability <= 1, got ${missProbability + lateProbability}`);
  return { missProbability, lateProbability, lateSeconds: reader.range(...faults.required('lateSeconds'), 0, MAX_LATE_SECONDS) };
}
