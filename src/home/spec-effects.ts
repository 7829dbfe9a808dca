/**
 * What makes a home's devices act, in a home spec: reactions to activities, noise (device uses with
 * no activity behind them) and guests. Each names its devices by id or by kind; every name is
 * checked against the home's devices and every action against the kind's {@link DEVICE_ACTIONS}.
 */
import { ACTIVITIES, type Activity } from '../core/activities.js';
import { DEVICE_ACTIONS, DEVICE_KINDS, type DeviceKind } from '../core/kinds.js';
import { type DeviceSpec } from './types.js';
import { MINUTES_PER_DAY, type SpecObject, type SpecReader } from './spec-fields.js';
import { parseDuration, type DurationSpec } from './spec-routine.js';

/**
 * When a reaction happens, given the household at the activity:
 * - `always`;
 * - `home_becomes_empty`: the activity (leave_home, leave_temporarily) leaves nobody at home;
 * - `home_was_empty`: nobody was at home before the activity (return_home);
 * - `nobody_else_awake`: no other resident is at home and awake (the last to bed, the first up);
 * - `someone_else_awake`: another resident is at home and awake.
 */
export const REACTION_CONDITIONS = ['always', 'home_becomes_empty', 'home_was_empty', 'nobody_else_awake', 'someone_else_awake'] as const;
export type ReactionCondition = (typeof REACTION_CONDITIONS)[number];

/**
 * When noise may happen: always, while someone is at home, while someone is at home and awake, while
 * nobody is, while someone is at home asleep (a bed mat's chatter).
 */
export const NOISE_CONDITIONS = ['always', 'someone_home', 'someone_awake', 'home_empty', 'someone_asleep'] as const;
export type NoiseCondition = (typeof NOISE_CONDITIONS)[number];

const LEAVING: readonly Activity[] = ['leave_home', 'leave_temporarily'];
const MAX_DELAY_SECONDS = 3600;
/** Up to one use every 10 s: a chatty sensor (a bed mat, a motion sensor in a busy room) fires every minute or more. */
const MAX_RATE_PER_HOUR = 360;
const MAX_VISITS_PER_WEEK = 21;
const MAX_STAY_MINUTES = 12 * 60;
const DEFAULT_DELAY_SECONDS: readonly [number, number] = [0, 30];

/** Which devices act: one device by id, or the home's devices of a kind (one at random, or each). */
export interface TargetSpec {
  readonly device: string | null;
  readonly kind: DeviceKind;
  /** With a kind: every device of the kind acts, rather than one picked at random. */
  readonly each: boolean;
}

/**
 * A device use: a target, an action, a probability, a delay after its cause (seconds, uniform), and
 * maybe a second action some minutes later (the coffee machine's plug off again).
 */
export interface DeviceUseSpec extends TargetSpec {
  readonly action: string;
  readonly probability: number;
  readonly delaySeconds: readonly [number, number];
  readonly then: FollowUpSpec | null;
}

export interface ReactionSpec extends DeviceUseSpec {
  readonly on: readonly Activity[];
  readonly when: ReactionCondition;
  /** Only these residents' activities; null for everyone's. */
  readonly residents: readonly string[] | null;
}

/** A second action some minutes after the first (a light switched off again, a kettle's plug off). */
export interface FollowUpSpec {
  readonly action: string;
  readonly afterMinutes: readonly [number, number];
}

/** Uses at random (Poisson) times at a rate per hour. */
export interface RandomUseSpec extends TargetSpec {
  readonly action: string;
  readonly then: FollowUpSpec | null;
  readonly ratePerHour: number;
}

/** Noise: random uses in a window of every day, while a household condition holds. */
export interface NoiseSpec extends RandomUseSpec {
  readonly windowMinutes: readonly [number, number];
  readonly when: NoiseCondition;
}

/** Visitors: they come while someone is at home and awake, use devices and cause noise while there. */
export interface GuestSpec {
  readonly visitsPerWeek: number;
  readonly arriveWindowMinutes: readonly [number, number];
  readonly stayMinutes: DurationSpec;
  readonly onArrival: readonly DeviceUseSpec[];
  readonly onDeparture: readonly DeviceUseSpec[];
  readonly during: readonly RandomUseSpec[];
}

/** What the effect parsers check names against. */
export interface EffectContext {
  readonly reader: SpecReader;
  readonly devices: readonly DeviceSpec[];
  readonly residentIds: readonly string[];
}

const TARGET_KEYS = ['device', 'kind', 'each'];
const USE_KEYS = [...TARGET_KEYS, 'action', 'probability', 'delaySeconds', 'then'];

export function parseReaction(ctx: EffectContext, value: unknown, path: string): ReactionSpec {
  const { reader } = ctx;
  const obj = reader.object(value, path, [...USE_KEYS, 'on', 'when', 'residents']);
  const [onValue, onPath] = obj.required('on');
  const on = Array.isArray(onValue)
    ? onValue.map((a, i) => reader.choice(a, `${onPath}[${i}]`, ACTIVITIES))
    : [reader.choice(onValue, onPath, ACTIVITIES)];
  if (on.length === 0) reader.fail(onPath, 'expected at least one activity');
  const when = obj.has('when') ? reader.choice(...obj.required('when'), REACTION_CONDITIONS) : 'always';
  if (when === 'home_becomes_empty' && on.some((a) => !LEAVING.includes(a))) {
    reader.fail(obj.fieldPath('when'), `home_becomes_empty needs leave_home or leave_temporarily, not ${on.filter((a) => !LEAVING.includes(a)).join(', ')}`);
  }
  if (when === 'home_was_empty' && on.some((a) => a !== 'return_home')) {
    reader.fail(obj.fieldPath('when'), `home_was_empty needs return_home, not ${on.filter((a) => a !== 'return_home').join(', ')}`);
  }
  let residents: string[] | null = null;
  if (obj.has('residents')) {
    const [list, listPath] = obj.required('residents');
    residents = reader.list(list, listPath).map((r, i) => {
      const id = reader.id(r, `${listPath}[${i}]`);
      if (!ctx.residentIds.includes(id)) reader.fail(`${listPath}[${i}]`, `no resident ${JSON.stringify(id)} (residents: ${ctx.residentIds.join(', ')})`);
      return id;
    });
  }
  return { ...parseUse(ctx, obj), on, when, residents };
}

export function parseNoise(ctx: EffectContext, value: unknown, path: string): NoiseSpec {
  const obj = ctx.reader.object(value, path, [...TARGET_KEYS, 'action', 'then', 'ratePerHour', 'window', 'when']);
  return {
    ...parseRandomUseFields(ctx, obj),
    windowMinutes: ctx.reader.window(...obj.required('window'), MINUTES_PER_DAY),
    when: obj.has('when') ? ctx.reader.choice(...obj.required('when'), NOISE_CONDITIONS) : 'always',
  };
}

export function parseGuests(ctx: EffectContext, value: unknown, path: string): GuestSpec {
  const { reader } = ctx;
  const obj = reader.object(value, path, ['visitsPerWeek', 'arriveWindow', 'stayMinutes', 'onArrival', 'onDeparture', 'during']);
  const uses = (key: string): DeviceUseSpec[] => {
    if (!obj.has(key)) return [];
    const [list, listPath] = obj.required(key);
    return reader.list(list, listPath).map((item, i) => parseUse(ctx, reader.object(item, `${listPath}[${i}]`, USE_KEYS)));
  };
  const during: RandomUseSpec[] = [];
  if (obj.has('during')) {
    const [list, listPath] = obj.required('during');
    reader.list(list, listPath).forEach((item, i) => {
      during.push(parseRandomUseFields(ctx, reader.object(item, `${listPath}[${i}]`, [...TARGET_KEYS, 'action', 'then', 'ratePerHour'])));
    });
  }
  return {
    visitsPerWeek: reader.number(...obj.required('visitsPerWeek'), 0, MAX_VISITS_PER_WEEK),
    arriveWindowMinutes: reader.window(...obj.required('arriveWindow'), MINUTES_PER_DAY),
    stayMinutes: parseDuration(reader, ...obj.required('stayMinutes'), MAX_STAY_MINUTES),
    onArrival: uses('onArrival'),
    onDeparture: uses('onDeparture'),
    during,
  };
}

function parseUse(ctx: EffectContext, obj: SpecObject): DeviceUseSpec {
  const target = parseTarget(ctx, obj);
  return {
    ...target,
    action: parseAction(ctx, obj, 'action', target.kind),
    probability: obj.has('probability') ? ctx.reader.number(...obj.required('probability'), 0, 1) : 1,
    delaySeconds: obj.has('delaySeconds') ? ctx.reader.range(...obj.required('delaySeconds'), 0, MAX_DELAY_SECONDS) : DEFAULT_DELAY_SECONDS,
    then: parseFollowUp(ctx, obj, target.kind),
  };
}

function parseFollowUp(ctx: EffectContext, obj: SpecObject, kind: DeviceKind): FollowUpSpec | null {
  if (!obj.has('then')) return null;
  const follow = ctx.reader.object(...obj.required('then'), ['action', 'afterMinutes']);
  return {
    action: parseAction(ctx, follow, 'action', kind),
    afterMinutes: ctx.reader.range(...follow.required('afterMinutes'), 0, MINUTES_PER_DAY),
  };
}

function parseRandomUseFields(ctx: EffectContext, obj: SpecObject): RandomUseSpec {
  const { reader } = ctx;
  const target = parseTarget(ctx, obj);
  const then = parseFollowUp(ctx, obj, target.kind);
  const ratePerHour = reader.number(...obj.required('ratePerHour'), 0, MAX_RATE_PER_HOUR);
  return { ...target, action: parseAction(ctx, obj, 'action', target.kind), then, ratePerHour };
}

function parseTarget(ctx: EffectContext, obj: SpecObject): TargetSpec {
  const { reader } = ctx;
  if (obj.has('device') === obj.has('kind')) reader.fail(obj.path, 'expected exactly one of device (an id) or kind');
  if (obj.has('device')) {
    if (obj.has('each')) reader.fail(obj.fieldPath('each'), 'each goes with kind, not device');
    const [value, path] = obj.required('device');
    const id = reader.id(value, path);
    const device = ctx.devices.find((d) => d.id === id);
    if (device === undefined) return reader.fail(path, `no device ${JSON.stringify(id)} in the home (devices: ${ctx.devices.map((d) => d.id).join(', ')})`);
    return { device: id, kind: device.kind, each: false };
  }
  const [value, path] = obj.required('kind');
  const kind = reader.choice(value, path, DEVICE_KINDS);
  if (!ctx.devices.some((d) => d.kind === kind)) reader.fail(path, `the home has no device of kind ${kind}`);
  const each = obj.has('each') ? reader.boolean(...obj.required('each')) : false;
  return { device: null, kind, each };
}

function parseAction(ctx: EffectContext, obj: SpecObject, key: string, kind: DeviceKind): string {
  const actions = DEVICE_ACTIONS[kind];
  const [value, path] = obj.required(key);
  if (actions.length === 0) ctx.reader.fail(path, `a ${kind} has no actions of its own (its sensors' reports are its traffic)`);
  return ctx.reader.choice(value, path, actions);
}
