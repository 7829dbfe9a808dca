/**
 * The `rules` preset: an attack with no learning, the floor every learned model must beat. It reads
 * only when devices were used and their kinds, as the published attack's reasoning does ("users do
 * not have any activities for five hours before waking up or returning home").
 *
 * Uses are grouped into episodes (each use at most 10 min after the one before, episodes.ts). An
 * episode whose uses are all of ambient kinds (`motion`, `camera`: sensors that fire by themselves,
 * for a pet, a passer-by, a resident walking about) is classed none and does not break a silence.
 * For every other episode the rules read:
 *
 * - the silence before (from the end of the previous non-ambient episode to its first use) and after
 *   (from its last use to the next non-ambient episode); the start and end of the record count as
 *   silence, and a silence of at least 5 h (`longSilenceUs`) is long;
 * - whether it holds an entrance use (`lock`, `door`) and, if so, which way the resident went: the
 *   uses of inside kinds (`light`, `plug`, `speaker`, `motion`, `other`) show where someone was;
 *   `alarm`, `camera` and `thermostat` are neutral (an alarm is armed and disarmed on both sides of
 *   the door, a thermostat follows geofences, a camera may watch either side). An episode is
 *   *arriving* when its first entrance use comes before every inside use and some inside use comes
 *   after it; *departing* when its last entrance use comes after every inside use and some inside use
 *   came before it; otherwise (no inside use, or inside uses on both sides) its direction is unknown;
 * - the local hour of its first and last use: the morning is 03:00 to 12:00 (`morningHours`), the
 *   evening and night 19:00 to 04:00 (`eveningHours`), bedtime 22:00 to 04:00 (`bedtimeHours`).
 *
 * Rules, first match wins:
 *
 * | # | episode | rule | class |
 * | --- | --- | --- | --- |
 * | 1 | entrance | before a long silence, ending at bedtime (22:00 to 04:00, `bedtimeHours`), or in the evening when not departing: locking up for the night, as the paper's resident does | go_to_bed |
 * | 2 | entrance, not departing | after a long silence: back from a long absence | return_home |
 * | 3 | entrance, not arriving | before a long silence: out for long | leave_home |
 * | 4 | entrance A, not arriving, and the next entrance episode B, not departing | B starts at most 3 h (`outingMaxUs`) after A ends, with near silence between (at most 2 non-ambient uses, `outingMaxUsesBetween`); when A is departing and B arriving the silence is not needed (another resident may be home) | A leave_temporarily, B return_home |
 * | 5 | entrance, arriving | none of the above: someone came in | return_home |
 * | 6 | entrance, departing | none of the above: someone went out, not back within 3 h | leave_home |
 * | 7 | no entrance | after a long silence, starting in the morning | wake_up |
 * | 8 | no entrance | before a long silence, ending in the evening | go_to_bed |
 * | 9 | any | none of the above, or ambient only | none |
 *
 * Every use of an episode gets the episode's class with probability 0.9 (`ruleProbability`) and the
 * rest shared evenly by the other five classes, so probabilities stay soft for log-loss metrics.
 * Local time is UTC plus `utcOffsetMinutes` (0: a simulated home lives in UTC).
 */
import { assertTimeSorted } from '../features/extended.js';
import { ATTACK_CLASSES, NONE_CLASS, type UseContext } from '../features/feature-set.js';
import { attackKind, isEntranceKind, type AttackKind } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import { activityId, type Activity } from '../core/activities.js';
import { EPISODE_GAP_US, groupUses, type UseGroup } from './episodes.js';
import type { ActivityPredictor } from './predictor.js';

const MINUTE_US = 60e6;
const HOUR_US = 3_600e6;
const DAY_US = 24 * HOUR_US;

export interface RulesOptions {
  /** The largest gap between two uses of one episode. */
  readonly episodeGapUs: number;
  /** A silence at least this long means nobody is up, or nobody is home. */
  readonly longSilenceUs: number;
  /** The longest outing: from the end of leaving to the start of coming back. */
  readonly outingMaxUs: number;
  /** How many uses may happen while out on an outing (a camera, a sensor). */
  readonly outingMaxUsesBetween: number;
  /** Local hours [from, to) in which a wake-up starts. */
  readonly morningHours: readonly [number, number];
  /** Local hours [from, to) in which going to bed ends; `to` below `from` wraps past midnight. */
  readonly eveningHours: readonly [number, number];
  /** Local hours [from, to) in which an entrance before a long silence is locking up for the night, whichever way it looks. */
  readonly bedtimeHours: readonly [number, number];
  /** The home's offset from UTC, in minutes. */
  readonly utcOffsetMinutes: number;
  /** The probability given to a rule's class; the rest is shared by the other classes. */
  readonly ruleProbability: number;
}

export const DEFAULT_RULES_OPTIONS: RulesOptions = {
  episodeGapUs: EPISODE_GAP_US,
  longSilenceUs: 5 * HOUR_US,
  outingMaxUs: 3 * HOUR_US,
  outingMaxUsesBetween: 2,
  morningHours: [3, 12],
  eveningHours: [19, 4],
  bedtimeHours: [22, 4],
  utcOffsetMinutes: 0,
  ruleProbability: 0.9,
};

/** The rules of the module comment's table, by number (index 0 is rule 1). */
export const RULE_NAMES = [
  'entrance before a long silence at bedtime',
  'entrance after a long silence',
  'entrance before a long silence',
  'outing: out and back within 3 h',
  'arriving',
  'departing',
  'morning after a long silence',
  'evening before a long silence',
  'no rule',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** Which way a resident went through the door in an entrance episode. */
export type Direction = 'arriving' | 'departing' | 'unknown';

/** One episode as the rules class it. */
export interface RuleEpisode extends UseGroup {
  /** The class id 0..5 (5 = none). */
  readonly classId: number;
  readonly rule: RuleName;
  /** Only motion and camera uses: classed none, and not counted as breaking a silence. */
  readonly ambient: boolean;
  readonly silenceBeforeUs: number;
  readonly silenceAfterUs: number;
  readonly entrance: boolean;
  /** For an entrance episode, which way someone went; 'unknown' otherwise. */
  readonly direction: Direction;
}

const AMBIENT_KINDS: ReadonlySet<AttackKind> = new Set<AttackKind>(['motion', 'camera']);
const INSIDE_KINDS: ReadonlySet<AttackKind> = new Set<AttackKind>(['light', 'plug', 'speaker', 'motion', 'other']);
const NO_RULE = RULE_NAMES.length - 1;

function inHours(hour: number, [from, to]: readonly [number, number]): boolean {
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

/** Which way an episode's uses `start..end` went through the door (see the module comment). */
function directionOf(events: readonly DeviceUse[], start: number, end: number): Direction {
  let firstEntrance = -1;
  let lastEntrance = -1;
  let firstInside = -1;
  let lastInside = -1;
  for (let i = start; i <= end; i++) {
    const kind = attackKind(events[i].kind);
    if (isEntranceKind(kind)) {
      if (firstEntrance < 0) firstEntrance = i;
      lastEntrance = i;
    } else if (INSIDE_KINDS.has(kind)) {
      if (firstInside < 0) firstInside = i;
      lastInside = i;
    }
  }
  if (firstEntrance < 0 || firstInside < 0) return 'unknown';
  if (firstEntrance < firstInside) return 'arriving';
  if (lastEntrance > lastInside) return 'departing';
  return 'unknown';
}

/** The rules' episodes of time-sorted uses, each with its class and the rule that gave it. */
export function ruleEpisodes(events: readonly DeviceUse[], options: Partial<RulesOptions> = {}): RuleEpisode[] {
  const o: RulesOptions = { ...DEFAULT_RULES_OPTIONS, ...options };
  assertTimeSorted(events);
  const groups = groupUses(events, o.episodeGapUs);
  const localHour = (timeUs: number): number => {
    const local = timeUs + o.utcOffsetMinutes * MINUTE_US;
    return Math.floor((((local % DAY_US) + DAY_US) % DAY_US) / HOUR_US);
  };
  const ambient = groups.map((g) => {
    for (let j = g.start; j <= g.end; j++) if (!AMBIENT_KINDS.has(attackKind(events[j].kind))) return false;
    return true;
  });
  // Silences between non-ambient episodes: one pass each way.
  const silenceBefore = groups.map(() => Infinity);
  const silenceAfter = groups.map(() => Infinity);
  let previousEnd = -Infinity;
  groups.forEach((g, i) => {
    silenceBefore[i] = events[g.start].timeUs - previousEnd;
    if (!ambient[i]) previousEnd = events[g.end].timeUs;
  });
  let nextStart = Infinity;
  for (let i = groups.length - 1; i >= 0; i--) {
    silenceAfter[i] = nextStart - events[groups[i].end].timeUs;
    if (!ambient[i]) nextStart = events[groups[i].start].timeUs;
  }
  // Non-ambient uses before each index, to count the uses between two episodes.
  const busy = new Int32Array(events.length + 1);
  groups.forEach((g, i) => {
    for (let j = g.start; j <= g.end; j++) busy[j + 1] = busy[j] + (ambient[i] ? 0 : 1);
  });
  const facts = groups.map((g, i) => {
    let entrance = false;
    for (let j = g.start; j <= g.end; j++) if (isEntranceKind(events[j].kind)) entrance = true;
    const direction: Direction = entrance ? directionOf(events, g.start, g.end) : 'unknown';
    return { ...g, ambient: ambient[i], entrance, direction, silenceBeforeUs: silenceBefore[i], silenceAfterUs: silenceAfter[i] };
  });
  const classes: { classId: number; rule: RuleName }[] = facts.map(() => ({ classId: NONE_CLASS, rule: RULE_NAMES[NO_RULE] }));
  const set = (i: number, activity: Activity, rule: number): void => {
    classes[i] = { classId: activityId(activity), rule: RULE_NAMES[rule - 1] };
  };
  const classed = (i: number): boolean => classes[i].rule !== RULE_NAMES[NO_RULE];
  const evening = (i: number): boolean => inHours(localHour(events[facts[i].end].timeUs), o.eveningHours);
  const morning = (i: number): boolean => inHours(localHour(events[facts[i].start].timeUs), o.morningHours);
  const longBefore = (i: number): boolean => facts[i].silenceBeforeUs >= o.longSilenceUs;
  const longAfter = (i: number): boolean => facts[i].silenceAfterUs >= o.longSilenceUs;
  const entrances = facts.map((f, i) => (f.entrance ? i : -1)).filter((i) => i >= 0);
  const bedtime = (i: number): boolean => inHours(localHour(events[facts[i].end].timeUs), o.bedtimeHours);
  // Rules 1 to 3.
  for (const i of entrances) {
    const d = facts[i].direction;
    if (longAfter(i) && (bedtime(i) || (evening(i) && d !== 'departing'))) set(i, 'go_to_bed', 1);
    else if (d !== 'departing' && longBefore(i)) set(i, 'return_home', 2);
    else if (d !== 'arriving' && longAfter(i)) set(i, 'leave_home', 3);
  }
  // Rule 4: pairs of entrance episodes, in time order.
  for (let e = 0; e + 1 < entrances.length; e++) {
    const a = entrances[e];
    const b = entrances[e + 1];
    if (classed(a) || classed(b) || facts[a].direction === 'arriving' || facts[b].direction === 'departing') continue;
    const awayUs = events[facts[b].start].timeUs - events[facts[a].end].timeUs;
    const usesBetween = busy[facts[b].start] - busy[facts[a].end + 1];
    const clear = facts[a].direction === 'departing' && facts[b].direction === 'arriving';
    if (awayUs <= o.outingMaxUs && (clear || usesBetween <= o.outingMaxUsesBetween)) {
      set(a, 'leave_temporarily', 4);
      set(b, 'return_home', 4);
      e++;
    }
  }
  // Rules 5 to 8.
  facts.forEach((f, i) => {
    if (classed(i) || f.ambient) return;
    if (f.entrance && f.direction === 'arriving') set(i, 'return_home', 5);
    else if (f.entrance && f.direction === 'departing') set(i, 'leave_home', 6);
    else if (!f.entrance && longBefore(i) && morning(i)) set(i, 'wake_up', 7);
    else if (!f.entrance && longAfter(i) && evening(i)) set(i, 'go_to_bed', 8);
  });
  return facts.map((f, i) => ({ ...f, ...classes[i] }));
}

/** The rules preset: see the module comment. */
export class RulesPreset implements ActivityPredictor {
  readonly name = 'rules';
  readonly classes: readonly string[] = ATTACK_CLASSES;
  readonly options: RulesOptions;
  /**
   * The uses between two silences longer than a long silence, an outing and an episode gap are read
   * together: across such a silence, the silence is long both ways, no outing spans it, no episode
   * crosses it, and the pairing of outings starts again.
   */
  readonly context: UseContext;

  constructor(options: Partial<RulesOptions> = {}) {
    this.options = { ...DEFAULT_RULES_OPTIONS, ...options };
    const p = this.options.ruleProbability;
    if (!(p > 1 / ATTACK_CLASSES.length && p <= 1)) throw new RangeError(`ruleProbability must be above 1/6 and at most 1, got ${p}`);
    const o = this.options;
    this.context = { uses: 0, runGapUs: Math.max(o.longSilenceUs, o.outingMaxUs, o.episodeGapUs), spanUs: 0 };
  }

  /** Rows × 6 probabilities (ATTACK_CLASSES order), one row per use of the time-sorted `events[from, to)`. */
  predict(events: readonly DeviceUse[], from = 0, to = events.length): Float32Array {
    const width = ATTACK_CLASSES.length;
    const p = this.options.ruleProbability;
    const rest = (1 - p) / (width - 1);
    const out = new Float32Array(events.length * width).fill(rest);
    for (const episode of ruleEpisodes(events, this.options)) {
      for (let i = episode.start; i <= episode.end; i++) out[i * width + episode.classId] = p;
    }
    return from === 0 && to === events.length ? out : out.slice(from * width, to * width);
  }
}
