/**
 * Labels as the real labelled homes were labelled (home spec `labels`, {@link LabelRules}): one
 * resident's activities, drawn day by day by {@link ResidentLife}, are looked at as absences and
 * sleeps, and each activity is kept as a label, renamed (a short leave_home is leave_temporarily, a
 * long leave_temporarily is leave_home) or left unlabelled (a nap, the inner wake_up and go_to_bed of
 * a broken night, the return from a short absence). An unlabelled activity still happens: the
 * household and its devices react to it as before, but the uses it causes say `noise`.
 *
 * A label may depend on what comes later (how long an absence lasts, whether a longer sleep
 * follows in the same night), so the labeller draws the resident's days ahead as far as it needs:
 * up to the end of an absence and past the end of a night. A resident's days come from their own
 * random stream, so drawing ahead changes nothing.
 *
 * The rules (the converter of the labelled homes, ../shared/activities/README.md there):
 * - an absence is a leave and the return after it (a resident's next activity after leaving is
 *   always the return); `leaveHomeAfterMinutes` or longer is leave_home + return_home, shorter is
 *   leave_temporarily, its return labelled only with `returnAfterShortAbsence`;
 * - a sleep is a go_to_bed and the wake_up after it (likewise always the next activity); sleeps
 *   less than `sleepGapMinutes` apart are one; each is the night of its start minus 12 h (UTC); per
 *   night only the longest counts, and only if it lasts `shortestNightMinutes` or more: its first
 *   go_to_bed and last wake_up are the labels, the rest is unlabelled.
 */
import type { Activity } from '../core/activities.js';
import type { ResidentLife } from './resident-life.js';
import type { LabelRules } from './spec-household.js';
import type { ActivityRecord } from './types.js';

const US_PER_MINUTE = 60e6;
const US_PER_DAY = 86_400e6;
const NIGHT_SHIFT_US = 12 * 3600e6;
/**
 * The most days drawn ahead to settle a label: longer than any trip (spec-household.ts
 * MAX_TRIP_NIGHTS) with room for the night after it. A label still open then is settled as if
 * what it waits for never comes (an absence is long; a sleep counts by what is known).
 */
const MAX_DAYS_AHEAD = 70;
/** Days of settled activities kept behind the one handed out (a night's sleeps span two days). */
const KEEP_DAYS = 3;

/** An activity as lived, and its label once settled: the activity to label it as, or null for none. */
export interface LabelledActivity {
  /** As lived (what the household and its devices react to). */
  readonly lived: ActivityRecord;
  /** The day whose draw it came from. */
  readonly day: number;
  /** The label, or null: not labelled (its uses are noise). A leave's label may differ from `lived.activity`. */
  label: Activity | null;
  settled: boolean;
}

export class ResidentLabeller {
  private records: LabelledActivity[] = [];
  /** Days drawn so far from the resident's life. */
  private drawnDays = 0;

  constructor(
    private readonly life: ResidentLife,
    private readonly rules: LabelRules,
    private readonly startUs: number,
  ) {}

  /** Day `day`'s activities (in order, as {@link ResidentLife.drawDay} gives them) with their labels settled. Days must be asked for in order. */
  day(day: number): LabelledActivity[] {
    while (this.drawnDays <= day) this.drawNext();
    this.settle(false);
    while (this.records.some((r) => r.day === day && !r.settled)) {
      if (this.drawnDays > day + MAX_DAYS_AHEAD) {
        this.settle(true);
        break;
      }
      this.drawNext();
      this.settle(false);
    }
    const out = this.records.filter((r) => r.day === day);
    this.forget(day);
    return out;
  }

  private drawNext(): void {
    const day = this.drawnDays++;
    for (const lived of this.life.drawDay(day)) this.records.push({ lived, day, label: lived.activity, settled: false });
  }

  /** Everything before this time is drawn: a day's activities all fall at or after its midnight. */
  private knownUntilUs(): number {
    return this.startUs + this.drawnDays * US_PER_DAY;
  }

  /** Settles what can be settled; with `force`, everything (what is still unknown is taken as never coming). */
  private settle(force: boolean): void {
    const records = this.records;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.settled) continue;
      const activity = r.lived.activity;
      if (activity === 'leave_home' || activity === 'leave_temporarily') {
        const back = records[i + 1];
        if (back === undefined && !force) continue;
        const long = back === undefined || back.lived.timeUs - r.lived.timeUs >= this.rules.leaveHomeAfterMinutes * US_PER_MINUTE;
        r.label = long ? 'leave_home' : 'leave_temporarily';
        r.settled = true;
        if (back !== undefined) {
          back.label = long || this.rules.returnAfterShortAbsence ? 'return_home' : null;
          back.settled = true;
        }
      } else if (activity === 'return_home' || (activity === 'wake_up' && records[i - 1]?.lived.activity !== 'go_to_bed')) {
        // Not settled with a leave or a sleep before it: the resident started the simulation away or asleep.
        r.settled = true;
      }
    }
    this.settleSleeps(force);
  }

  /** Groups the sleeps into merged sleeps and settles each night whose every sleep is known. */
  private settleSleeps(force: boolean): void {
    const records = this.records;
    const gapUs = this.rules.sleepGapMinutes * US_PER_MINUTE;
    const knownUs = this.knownUntilUs();
    // Merged sleeps: [first go_to_bed index, last wake_up index (or -1 while asleep)], in order.
    const sleeps: { first: number; last: number; open: boolean }[] = [];
    for (let i = 0; i < records.length; i++) {
      if (records[i].lived.activity !== 'go_to_bed') continue;
      const wake = i + 1 < records.length ? i + 1 : -1;
      const previous = sleeps[sleeps.length - 1];
      if (previous !== undefined && previous.last >= 0 && records[i].lived.timeUs - records[previous.last].lived.timeUs < gapUs) {
        previous.last = wake;
      } else {
        sleeps.push({ first: i, last: wake, open: false });
      }
    }
    // A sleep is open while it may still grow: asleep, or awake for less than the gap and the next go_to_bed not yet known.
    for (let s = 0; s < sleeps.length; s++) {
      const sleep = sleeps[s];
      const next = sleeps[s + 1];
      sleep.open = sleep.last < 0 || (next === undefined && records[sleep.last].lived.timeUs + gapUs > knownUs);
    }
    const nightOf = (first: number): number => Math.floor((records[first].lived.timeUs - NIGHT_SHIFT_US) / US_PER_DAY);
    for (let s = 0; s < sleeps.length; ) {
      const night = nightOf(sleeps[s].first);
      let end = s;
      while (end < sleeps.length && nightOf(sleeps[end].first) === night) end++;
      const nightEndUs = (night + 1) * US_PER_DAY + NIGHT_SHIFT_US;
      const known = knownUs >= nightEndUs && sleeps.slice(s, end).every((sleep) => !sleep.open);
      const unsettled = sleeps.slice(s, end).some((sleep) => !records[sleep.first].settled);
      if (unsettled && (known || force)) this.labelNight(sleeps.slice(s, end));
      s = end;
    }
  }

  /** Labels one night: its longest sleep, if long enough, by its first go_to_bed and last wake_up; the rest nothing. */
  private labelNight(sleeps: readonly { first: number; last: number }[]): void {
    const records = this.records;
    const length = (sleep: { first: number; last: number }): number => (sleep.last < 0 ? 0 : records[sleep.last].lived.timeUs - records[sleep.first].lived.timeUs);
    let best = sleeps[0];
    for (const sleep of sleeps) if (length(sleep) > length(best)) best = sleep;
    const counts = best.last >= 0 && length(best) >= this.rules.shortestNightMinutes * US_PER_MINUTE;
    for (const sleep of sleeps) {
      const last = sleep.last < 0 ? sleep.first : sleep.last;
      for (let i = sleep.first; i <= last; i++) {
        const r = records[i];
        if (r.lived.activity !== 'go_to_bed' && r.lived.activity !== 'wake_up') continue;
        r.label = counts && sleep === best && (i === sleep.first || i === sleep.last) ? r.lived.activity : null;
        r.settled = true;
      }
    }
  }

  /** Drops settled activities more than {@link KEEP_DAYS} days before `day` (bounded memory). */
  private forget(day: number): void {
    let drop = 0;
    while (drop < this.records.length && this.records[drop].settled && this.records[drop].day < day - KEEP_DAYS) drop++;
    if (drop > 0) this.records = this.records.slice(drop);
  }
}
