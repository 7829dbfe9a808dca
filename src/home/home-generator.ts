/**
 * The home generator: a seed in, a random home out, as a home spec document (the plain values a
 * YAML home file holds), drawn from the distributions of data/home-distributions.yaml
 * (home-distributions.ts). A household of 1 to 5 residents with their lives (day, evening, night
 * and rotating shifts, part time, not working, school; weekends, holidays, days working at home,
 * outings, naps, trips alone or together, visitors, a routine that drifts), a device mix (a consumer
 * home, a sensor home, a home of motion sensors and one door contact, a home with an alarm), what the
 * devices do when the residents do something, their noise (chatty sensors among it), faulty
 * reports and a clock that is off, and the label rules of the real labelled homes.
 *
 * Same seed and distributions, same document; random-home.ts checks it into a {@link HomeSpec}.
 */
import type { Activity } from '../core/activities.js';
import type { DeviceKind } from '../core/kinds.js';
import { Draws, type DrawTrace, type HomeDistributions, type Maker } from './home-distributions.js';
import { streamRandom } from './seeds.js';
import { formatTimeOfDay } from './spec-fields.js';
import type { Weekday } from './spec-routine.js';

/** A home spec as plain values (what YAML or JSON give), before it is checked. */
export type HomeDocument = Record<string, unknown>;

/** The generator's own random stream of a seed (the life's streams are others). */
const GENERATOR_STREAM = 0x686f6d65;
const MINUTES_PER_DAY = 1440;
const WEEKDAYS_MON_FRI: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const ALL_DAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** The least sleep a plan leaves between going to bed and getting up (5.5 h). */
const LEAST_SLEEP_MINUTES = 330;
/** The least time between two steps of a plan the generator writes. */
const STEP_GAP = 15;
/** A night worker's day sleep is shorter than their night sleep would be (assumption: 1 h). */
const DAY_SLEEP_SHORTER_MINUTES = 60;
/** A night worker keeps late hours on days off: to bed this much later (assumption). */
const NIGHT_WORKER_OFF_DELAY_MINUTES = 120;
const FIRST_DEVICE_HOST = 20;

type Role = 'notEmployed' | 'partTime' | 'day' | 'evening' | 'night' | 'rotating' | 'child';
type Place = 'entrance' | 'hall' | 'living' | 'kitchen' | 'bedroom' | 'bathroom' | 'study' | 'garden';

interface PlanStep {
  readonly activity: Activity;
  readonly at: number;
  readonly spread: number;
  readonly probability?: number;
}

interface Device {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly vendor: string;
  readonly place: Place;
  /** What it is on: for pressure mats (bed, couch, chair), interior contacts (fridge, cupboard...), plugs (the appliance). */
  readonly thing: string;
  readonly via?: string;
  mac?: string;
  ip?: string;
}

/** A random home's document for `seed`; `trace` sees every draw from a distribution. */
export function randomHomeDocument(seed: number, distributions: HomeDistributions, trace?: DrawTrace): HomeDocument {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new RangeError(`seed must be a whole number from 0 to ${0xffff_ffff}, got ${seed}`);
  const draws = new Draws(streamRandom(seed, GENERATOR_STREAM), distributions, trace);
  const roles = drawRoles(draws);
  const residents = roles.map((role, i) => residentOf(draws, role, roleIds(roles)[i]));
  const archetype = draws.pick('home.archetype');
  const devices = drawDevices(draws, archetype);
  const network = drawNetwork(draws, devices);
  const reactions = devices.flatMap((d) => reactionsOf(draws, d));
  const noise = devices.flatMap((d) => noiseOf(draws, d));
  const trips = drawTrips(draws, residents, roles);
  const guests = guestsOf(draws, devices);
  const faulty = devices.map(() => faultsOf(draws));
  const clock = draws.chance('clock.off') ? { offsetSeconds: round(draws.number('clock.offsetSeconds'), 1), driftSecondsPerDay: round(draws.number('clock.driftSecondsPerDay'), 2) } : null;
  const first = draws.fixed<string>('start.firstDay');
  const start = new Date(Date.parse(`${first}T00:00:00Z`) + draws.int('home.startDay') * 86_400_000).toISOString().slice(0, 10);
  const kinds = [...new Set(devices.map((d) => d.kind))].join(', ');
  const document: HomeDocument = {
    name: `random-${seed}`,
    description: `A random home (seed ${seed}): ${roles.length} resident(s) (${roles.join(', ')}); a ${archetype} device mix: ${kinds}`,
    start,
    network,
    devices: devices.map((d, i) => {
      const out: Record<string, unknown> = { id: d.id, kind: d.kind, vendor: d.vendor };
      if (d.via !== undefined) out.via = d.via;
      else Object.assign(out, { mac: d.mac, ip: d.ip });
      if (d.kind === 'plug') out.appliance = d.thing;
      if (faulty[i] !== null) out.reports = faulty[i];
      return out;
    }),
    residents,
    reactions,
    noise,
    trips,
    labels: { ...distributions.labels },
  };
  if (guests !== null) document.guests = guests;
  if (clock !== null) document.clock = clock;
  return document;
}

// --- the household ------------------------------------------------------------------------------

function drawRoles(draws: Draws): Role[] {
  const count = Number(draws.pick('household.residents'));
  const roles: Role[] = [];
  for (let i = 0; i < count; i++) {
    const child = i === 0 ? false : i === 1 ? count === 2 && draws.chance('household.secondIsChild') : draws.chance('household.laterAreChildren');
    roles.push(child ? 'child' : (draws.pick('resident.adultRole') as Role));
  }
  return roles;
}

/** Resident ids by role: `day-worker`, `child-2`, ... (numbered when a role repeats). */
function roleIds(roles: readonly Role[]): string[] {
  const names: Record<Role, string> = { notEmployed: 'at-home', partTime: 'part-timer', day: 'day-worker', evening: 'evening-worker', night: 'night-worker', rotating: 'shift-worker', child: 'child' };
  return roles.map((role, i) => {
    const same = roles.filter((r) => r === role).length;
    return same === 1 ? names[role] : `${names[role]}-${roles.slice(0, i + 1).filter((r) => r === role).length}`;
  });
}

interface Sleep {
  /** To bed on a work day (minutes of its day, past 1440 after midnight) and the sleep's length. */
  readonly bed: number;
  readonly length: number;
  readonly freeBed: number;
  readonly freeLength: number;
  readonly spread: number;
}

function drawSleep(draws: Draws): Sleep {
  const bed = draws.number('sleep.workdayBedtime');
  const length = draws.number('sleep.workdayDuration');
  return { bed, length, freeBed: bed + draws.number('sleep.freeDayBedDelay'), freeLength: Math.max(LEAST_SLEEP_MINUTES, length + draws.number('sleep.freeDayExtra')), spread: draws.number('sleep.spreadMinutes') };
}

function residentOf(draws: Draws, role: Role, id: string): Record<string, unknown> {
  const sleep = drawSleep(draws);
  const routine: Record<string, unknown> = role === 'child' ? childRoutine(draws, sleep) : adultRoutine(draws, role, sleep);
  routine.outings = [
    {
      window: draws.fixed<string[]>('life.outingWindow'),
      ratePerDay: round(draws.number('life.outingsPerDay'), 3),
      durationMinutes: durationAround(draws.number('life.outingMinutes'), 0.5, 5),
    },
  ];
  if (role !== 'child') {
    const rate = draws.number('life.napsPerDay');
    const length = draws.number('life.napMinutes');
    if (rate > 0) routine.naps = [{ window: draws.fixed<string[]>('life.napWindow'), ratePerDay: round(rate, 3), durationMinutes: durationAround(length, 1 / 3, 10) }];
  }
  if (draws.chance('life.drifts')) routine.drift = { sdMinutesPerDay: round(draws.number('life.driftSd'), 2), maxMinutes: round(draws.number('life.driftMax'), 1) };
  return { id, routine };
}

/** A duration spec around a mean: sd a share of it, from `min` to three times it. */
function durationAround(mean: number, sdShare: number, min: number): Record<string, number> {
  const m = round(Math.max(mean, min), 1);
  return { mean: m, sd: round(m * sdShare, 1), min, max: round(m * 3, 1) };
}

/** A day off: up late, maybe out for long in the day, to bed late. */
function freeDayPlan(draws: Draws, sleep: Sleep, bedBefore: number, extraBedDelay = 0): PlanStep[] {
  const bed = sleep.freeBed + extraBedDelay;
  const wake = Math.max(bedBefore + sleep.freeLength - MINUTES_PER_DAY, 300);
  const outChance = draws.number('life.dayOutChance');
  const outStart = Math.max(draws.number('life.dayOutStart'), wake + STEP_GAP * 2);
  const outEnd = outStart + draws.number('life.dayOutMinutes');
  return [
    { activity: 'wake_up', at: wake, spread: sleep.spread * 1.5 },
    { activity: 'leave_home', at: outStart, spread: 60, probability: outChance },
    { activity: 'return_home', at: outEnd, spread: 45 },
    { activity: 'go_to_bed', at: Math.max(bed, outEnd + STEP_GAP * 2), spread: sleep.spread * 1.5 },
  ];
}

function adultRoutine(draws: Draws, role: Role, sleep: Sleep): Record<string, unknown> {
  if (role === 'notEmployed') {
    const plan = freeDayPlan(draws, sleep, sleep.freeBed);
    return { workDays: [], weekday: steps(plan), weekend: steps(plan) };
  }
  const commute = draws.number('work.commute');
  const routine: Record<string, unknown> = {};
  let workDays: Weekday[];
  let shifts: { plan: PlanStep[]; nights: boolean }[];
  let offDelay = 0;
  if (role === 'partTime') {
    const days = draws.int('work.partTimeDays');
    workDays = pickDays(draws, WEEKDAYS_MON_FRI, days);
    shifts = [{ plan: dayShift(draws, sleep, draws.number('work.partTimeStart'), draws.number('work.partTimeHours'), commute), nights: false }];
  } else {
    workDays = role === 'night' ? nightDays(draws) : fullTimeDays(draws);
    const hours = draws.number('work.hoursPerDay');
    const day = (): PlanStep[] => dayShift(draws, sleep, draws.number('work.dayStart'), hours, commute);
    const evening = (): PlanStep[] => eveningShift(draws, sleep, draws.number('work.eveningStart'), hours, commute);
    const night = (): PlanStep[] => nightShift(draws, sleep, draws.number('work.nightStart'), hours, commute);
    if (role === 'day') shifts = [{ plan: day(), nights: false }];
    else if (role === 'evening') shifts = [{ plan: evening(), nights: false }];
    else if (role === 'night') shifts = [{ plan: night(), nights: true }];
    else {
      const all = [{ plan: day(), nights: false }, { plan: evening(), nights: false }, { plan: night(), nights: true }];
      const first = draws.rng.int(0, all.length - 1);
      shifts = [...all.slice(first), ...all.slice(0, first)];
      routine.rotation = { everyDays: Number(draws.pick('work.rotationDays')), shifts: shifts.slice(1).map((s) => ({ weekday: steps(s.plan), workNights: s.nights })) };
    }
    if (role === 'night') offDelay = NIGHT_WORKER_OFF_DELAY_MINUTES;
  }
  const homeShare = draws.pick('work.homeShare');
  const daysAtHome = homeShare === 'remote' ? 365 : homeShare === 'hybrid' ? Math.round(draws.number('work.hybridShare') * workDays.length * 52) : 0;
  return {
    ...routine,
    workDays,
    weekday: steps(shifts[0].plan),
    ...(shifts[0].nights ? { workNights: true } : {}),
    weekend: steps(freeDayPlan(draws, sleep, sleep.freeBed + offDelay, offDelay)),
    holidaysPerYear: draws.int('work.holidays'),
    daysAtHomePerYear: Math.min(365, daysAtHome),
  };
}

/** Five work days: Monday to Friday, or (work.weekendDay) with Saturday or Sunday instead of one of them. */
function fullTimeDays(draws: Draws): Weekday[] {
  if (!draws.chance('work.weekendDay')) return [...WEEKDAYS_MON_FRI];
  const out = draws.rng.int(0, WEEKDAYS_MON_FRI.length - 1);
  const weekend: Weekday = draws.rng.next() < 0.5 ? 'sat' : 'sun';
  return [...WEEKDAYS_MON_FRI.filter((_, i) => i !== out), weekend];
}

/** A night worker's nights: 4 or 5 in a row from a random day of the week. */
function nightDays(draws: Draws): Weekday[] {
  const count = draws.int('work.nightsPerWeek');
  const first = draws.rng.int(0, 6);
  return Array.from({ length: count }, (_, i) => ALL_DAYS[(first + i) % 7]);
}

function pickDays(draws: Draws, from: readonly Weekday[], count: number): Weekday[] {
  const pool = [...from];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = draws.rng.int(0, i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return from.filter((d) => pool.slice(0, count).includes(d));
}

/** A day at work: up (by the alarm if need be), out, back, to bed. */
function dayShift(draws: Draws, sleep: Sleep, start: number, hours: number, commute: number): PlanStep[] {
  const leave = start - commute;
  const back = start + hours + commute;
  const morning = draws.number('work.morningMinutes');
  const wake = Math.max(180, Math.min(sleep.bed + sleep.length - MINUTES_PER_DAY, leave - morning));
  const bed = Math.max(back + STEP_GAP * 2, Math.min(sleep.bed, wake + MINUTES_PER_DAY - LEAST_SLEEP_MINUTES));
  return [
    { activity: 'wake_up', at: wake, spread: sleep.spread },
    { activity: 'leave_home', at: Math.max(leave, wake + STEP_GAP), spread: 10 },
    { activity: 'return_home', at: back, spread: 25 },
    { activity: 'go_to_bed', at: bed, spread: sleep.spread },
  ];
}

/** An evening shift: up late in the morning, out in the afternoon, back and to bed after midnight. */
function eveningShift(draws: Draws, sleep: Sleep, start: number, hours: number, commute: number): PlanStep[] {
  const leave = start - commute;
  const back = start + hours + commute;
  const bed = back + draws.number('work.morningMinutes');
  const wake = Math.min(bed + sleep.length - MINUTES_PER_DAY, leave - STEP_GAP * 4);
  return [
    { activity: 'wake_up', at: Math.max(wake, 300), spread: sleep.spread },
    { activity: 'leave_home', at: leave, spread: 10 },
    { activity: 'return_home', at: back, spread: 20 },
    { activity: 'go_to_bed', at: bed, spread: sleep.spread },
  ];
}

/** A night shift (workNights): back in the morning, to bed, up in the afternoon, out at night. */
function nightShift(draws: Draws, sleep: Sleep, start: number, hours: number, commute: number): PlanStep[] {
  const leave = start - commute;
  const back = start + hours + commute - MINUTES_PER_DAY;
  const bed = back + draws.number('work.morningMinutes');
  const wake = Math.min(bed + sleep.length - DAY_SLEEP_SHORTER_MINUTES, leave - STEP_GAP * 4);
  return [
    { activity: 'return_home', at: Math.max(back, 0), spread: 20 },
    { activity: 'go_to_bed', at: bed, spread: sleep.spread },
    { activity: 'wake_up', at: wake, spread: sleep.spread },
    { activity: 'leave_home', at: leave, spread: 10 },
  ];
}

function childRoutine(draws: Draws, sleep: Sleep): Record<string, unknown> {
  const leave = draws.number('child.leave');
  const wake = leave - draws.number('work.morningMinutes');
  const back = draws.number('child.return');
  const bed = draws.number('child.bedtime');
  const school: PlanStep[] = [
    { activity: 'wake_up', at: wake, spread: 10 },
    { activity: 'leave_home', at: leave, spread: 5 },
    { activity: 'return_home', at: back, spread: 20 },
    { activity: 'go_to_bed', at: bed, spread: 20 },
  ];
  const child: Sleep = { ...sleep, freeBed: bed + Math.max(0, sleep.freeBed - sleep.bed), freeLength: Math.max(LEAST_SLEEP_MINUTES, wake + MINUTES_PER_DAY - bed + (sleep.freeLength - sleep.length)) };
  return { workDays: [...WEEKDAYS_MON_FRI], weekday: steps(school), weekend: steps(freeDayPlan(draws, child, bed)), holidaysPerYear: draws.int('child.holidays') };
}

/** Plan steps as the spec writes them, each no earlier than the one before. */
function steps(plan: readonly PlanStep[]): Record<string, unknown>[] {
  let last = 0;
  return plan.map((s) => {
    const at = Math.min(2 * MINUTES_PER_DAY - 1, Math.max(last, Math.round(s.at)));
    last = at;
    const out: Record<string, unknown> = { activity: s.activity, at: formatTimeOfDay(at), spreadMinutes: round(s.spread, 1) };
    if (s.probability !== undefined) out.probability = round(s.probability, 3);
    return out;
  });
}

function drawTrips(draws: Draws, residents: readonly Record<string, unknown>[], roles: readonly Role[]): Record<string, unknown>[] {
  const nights = draws.normalParams('trips.nights');
  const leaveWindow = draws.fixed<string[]>('trips.leaveWindow');
  const returnWindow = draws.fixed<string[]>('trips.returnWindow');
  const ids = residents.map((r) => r.id as string);
  const trips = [{ residents: ids, perYear: round(draws.number('trips.householdPerYear'), 3), nights, leaveWindow, returnWindow }];
  roles.forEach((role, i) => {
    if (role === 'child' || role === 'notEmployed') return;
    trips.push({ residents: [ids[i]], perYear: round(draws.number('trips.soloPerYear'), 3), nights, leaveWindow, returnWindow });
  });
  return trips;
}

// --- the devices --------------------------------------------------------------------------------

function drawDevices(draws: Draws, archetype: string): Device[] {
  const devices: Device[] = [];
  const add = (kind: DeviceKind, place: Place, thing: string, vendor: string, via?: string): Device => {
    const base = `${place === 'entrance' ? '' : `${place}-`}${thing}${kind === 'plug' ? '-plug' : ''}`;
    let id = base;
    for (let n = 2; devices.some((d) => d.id === id); n++) id = `${base}-${n}`;
    const device: Device = { id, kind, vendor, place, thing, ...(via === undefined ? {} : { via }) };
    devices.push(device);
    return device;
  };
  const maker = (kind: DeviceKind): string => pickMaker(draws, draws.distributions.vendors.get(kind) ?? [], kind).vendor;
  const relay = (kind: 'hub' | 'alarm'): Device => (kind === 'hub' ? add('hub', 'hall', 'hub', maker('hub')) : add('alarm', 'hall', 'alarm', maker('alarm')));
  const sensors = (r: Device, kind: DeviceKind, places: readonly [Place, string][], count: number): void => {
    for (let i = 0; i < count; i++) {
      const [place, thing] = places[i % places.length];
      add(kind, place, thing, r.vendor, r.id);
    }
  };
  const motions: [Place, string][] = [['hall', 'motion'], ['living', 'motion'], ['kitchen', 'motion'], ['bedroom', 'motion'], ['bathroom', 'motion'], ['study', 'motion']];
  const doors: [Place, string][] = [['entrance', 'front-door'], ['entrance', 'back-door'], ['garden', 'window'], ['living', 'window']];
  const interiors: [Place, string][] = [
    ['kitchen', 'fridge'], ['kitchen', 'cupboard'], ['bathroom', 'door'], ['kitchen', 'microwave'], ['kitchen', 'drawer'], ['bedroom', 'door'],
    ['bathroom', 'toilet-flush'], ['kitchen', 'freezer'], ['kitchen', 'pans-cupboard'], ['bedroom', 'wardrobe'], ['kitchen', 'dishwasher'], ['bathroom', 'cabinet'],
    ['kitchen', 'groceries-cupboard'], ['hall', 'door'],
  ];
  const pressures: [Place, string][] = [['bedroom', 'bed-mat'], ['living', 'couch-mat'], ['study', 'chair-mat']];
  const appliances: [Place, string][] = [['kitchen', 'kettle'], ['kitchen', 'toaster'], ['kitchen', 'coffee-machine'], ['living', 'tv'], ['bathroom', 'washing-machine']];
  const lights: [Place, string][] = [['living', 'light'], ['kitchen', 'light'], ['bedroom', 'light'], ['hall', 'light'], ['entrance', 'porch-light']];
  const wifi = (kind: DeviceKind, list: readonly [Place, string][], count: number): void => {
    for (let i = 0; i < count; i++) add(kind, list[i % list.length][0], list[i % list.length][1], maker(kind));
  };
  if (archetype === 'consumer') {
    if (draws.chance('consumer.lock')) add('lock', 'entrance', 'front-door-lock', maker('lock'));
    if (draws.chance('consumer.lights')) wifi('light', lights, draws.int('consumer.lightCount'));
    if (draws.chance('consumer.plugs')) wifi('plug', appliances, draws.int('consumer.plugCount'));
    if (draws.chance('consumer.speaker')) add('speaker', 'kitchen', 'speaker', maker('speaker'));
    if (draws.chance('consumer.thermostat')) add('thermostat', 'hall', 'thermostat', maker('thermostat'));
    if (draws.chance('consumer.camera')) add('camera', 'entrance', 'doorbell-camera', maker('camera'));
    if (draws.chance('consumer.sensors')) {
      const hub = relay('hub');
      sensors(hub, 'motion', motions, draws.int('consumer.motionCount'));
      sensors(hub, 'contact', doors, draws.int('consumer.doorContacts'));
    }
    // A home of nothing at all is no smart home: it has at least a light.
    if (devices.length === 0) wifi('light', lights, 1);
  } else if (archetype === 'sensor') {
    const r = relay(draws.pick('sensors.relay') as 'hub' | 'alarm');
    sensors(r, 'motion', motions, draws.int('sensor.motionCount'));
    sensors(r, 'contact', doors, Number(draws.pick('sensor.doorContacts')));
    sensors(r, 'interior', interiors, draws.int('sensor.interiorCount'));
    sensors(r, 'pressure', pressures, draws.int('sensor.pressureCount'));
    wifi('plug', appliances, draws.int('sensor.plugCount'));
  } else if (archetype === 'minimal') {
    const r = relay(draws.pick('sensors.relay') as 'hub' | 'alarm');
    sensors(r, 'motion', motions, draws.int('minimal.motionCount'));
    sensors(r, 'contact', doors, 1);
  } else if (archetype === 'security') {
    const r = relay('alarm');
    sensors(r, 'contact', doors, draws.int('security.doorContacts'));
    sensors(r, 'motion', motions, draws.int('security.motionCount'));
    if (draws.chance('security.camera')) add('camera', 'entrance', 'doorbell-camera', maker('camera'));
    if (draws.chance('security.lock')) add('lock', 'entrance', 'front-door-lock', maker('lock'));
    if (draws.chance('security.lights')) wifi('light', lights, draws.int('consumer.lightCount'));
  } else {
    throw new RangeError(`unknown home archetype ${JSON.stringify(archetype)} in ${draws.distributions.file}`);
  }
  return devices;
}

function pickMaker(draws: Draws, makers: readonly Maker[], what: string): Maker {
  if (makers.length === 0) throw new RangeError(`${draws.distributions.file}: no makers of ${what}`);
  return draws.rng.pick(makers);
}

/** The router, the ISP's side, and each network device's MAC (its maker's block) and address. */
function drawNetwork(draws: Draws, devices: Device[]): Record<string, string> {
  const subnet = draws.pick('network.subnet');
  const used = new Set<string>();
  const mac = (maker: Maker): string => {
    for (;;) {
      const oui = draws.rng.pick(maker.ouis);
      const tail = [0, 0, 0].map(() => draws.rng.int(0, 255).toString(16).padStart(2, '0')).join(':');
      const m = `${oui}:${tail}`;
      if (!used.has(m)) {
        used.add(m);
        return m;
      }
    }
  };
  const network = {
    routerMac: mac(pickMaker(draws, draws.distributions.routers, 'routers')),
    routerIp: `${subnet}.1`,
    publicIp: `203.0.113.${draws.rng.int(1, 254)}`,
    ispMac: mac(pickMaker(draws, draws.distributions.isps, 'ISPs')),
    ispResolverIp: `198.51.100.${draws.rng.int(1, 254)}`,
  };
  let host = FIRST_DEVICE_HOST;
  for (const d of devices) {
    if (d.via !== undefined) continue;
    const maker = (draws.distributions.vendors.get(d.kind) ?? []).find((m) => m.vendor === d.vendor)!;
    d.mac = mac(maker);
    d.ip = `${subnet}.${host++}`;
  }
  return network;
}

// --- what the devices do ------------------------------------------------------------------------

const LEAVING: readonly Activity[] = ['leave_home', 'leave_temporarily'];
const COMINGS_AND_GOINGS: readonly Activity[] = ['leave_home', 'leave_temporarily', 'return_home'];

function reactionsOf(draws: Draws, d: Device): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const react = (on: readonly Activity[], action: string, delaySeconds: [number, number], extra: Record<string, unknown> = {}, entrance = false): void => {
    const probability = round(draws.number(entrance ? 'reaction.entrance' : 'reaction.probability'), 3);
    out.push({ on: [...on], device: d.id, action, probability, delaySeconds, ...extra });
  };
  const briefly = (action: string, afterMinutes: [number, number]): Record<string, unknown> => ({ then: { action, afterMinutes } });
  switch (d.kind) {
    case 'contact':
      if (d.thing === 'front-door') react(COMINGS_AND_GOINGS, 'open', [0, 30], briefly('close', [0.05, 0.5]), true);
      break;
    case 'lock':
      react(LEAVING, 'lock', [20, 120], { when: 'home_becomes_empty' }, true);
      react(['return_home'], 'unlock', [0, 15], { when: 'home_was_empty' }, true);
      react(['go_to_bed'], 'lock', [0, 300], { when: 'nobody_else_awake' });
      break;
    case 'alarm':
      react(LEAVING, 'arm', [30, 180], { when: 'home_becomes_empty' });
      out.push({ on: ['return_home'], device: d.id, action: 'disarm', delaySeconds: [5, 40], when: 'home_was_empty' });
      react(['go_to_bed'], 'arm', [60, 600], { when: 'nobody_else_awake' });
      react(['wake_up'], 'disarm', [30, 600], { when: 'nobody_else_awake' });
      break;
    case 'camera':
      react(COMINGS_AND_GOINGS, 'motion_clip', [0, 30], {}, true);
      break;
    case 'motion':
      if (d.place === 'hall') react(COMINGS_AND_GOINGS, 'motion', [0, 40], {}, true);
      if (d.place === 'bedroom') {
        react(['go_to_bed'], 'motion', [0, 300]);
        react(['wake_up'], 'motion', [0, 120]);
      }
      if (d.place === 'kitchen') {
        react(['wake_up'], 'motion', [300, 1800]);
        react(['return_home'], 'motion', [60, 900]);
      }
      if (d.place === 'bathroom') react(['wake_up'], 'motion', [60, 900]);
      if (d.place === 'living') react(['return_home'], 'motion', [120, 1200]);
      break;
    case 'pressure':
      if (d.thing === 'bed-mat') {
        react(['go_to_bed'], 'press', [0, 300]);
        react(['wake_up'], 'release', [0, 60]);
      } else if (d.thing === 'couch-mat') {
        react(['return_home'], 'press', [300, 1800], briefly('release', [5, 90]));
      }
      break;
    case 'interior':
      if (d.place === 'kitchen') {
        react(['wake_up'], 'open', [300, 2400], briefly('close', [0.1, 2]));
        react(['return_home'], 'open', [120, 1800], briefly('close', [0.1, 2]));
      } else if (d.place === 'bathroom') {
        react(['wake_up'], 'open', [60, 900], briefly('close', [0.1, 5]));
      } else if (d.place === 'bedroom') {
        react(['go_to_bed'], 'close', [0, 120]);
        react(['wake_up'], 'open', [0, 300]);
      }
      break;
    case 'light':
      react(['wake_up'], 'on', [0, 300], briefly('off', [15, 90]));
      react(['return_home'], 'on', [10, 300]);
      react(['go_to_bed'], 'off', [0, 120]);
      react(LEAVING, 'off', [0, 60], { when: 'home_becomes_empty' });
      break;
    case 'plug':
      if (d.thing === 'kettle' || d.thing === 'coffee-machine' || d.thing === 'toaster') react(['wake_up'], 'on', [300, 1800], briefly('off', [3, 10]));
      if (d.thing === 'tv') react(['return_home'], 'on', [300, 1800], briefly('off', [30, 180]));
      break;
    case 'speaker':
      react(['wake_up'], 'voice_command', [60, 1200]);
      react(['return_home'], 'play', [120, 900], briefly('stop', [10, 60]));
      break;
    case 'thermostat':
      react(['wake_up', 'go_to_bed'], 'setpoint', [0, 600], { when: 'nobody_else_awake' });
      react(LEAVING, 'setpoint', [60, 600], { when: 'home_becomes_empty' });
      react(['return_home'], 'setpoint', [60, 600], { when: 'home_was_empty' });
      break;
    case 'hub':
      break;
    default: {
      const never: never = d.kind;
      return never;
    }
  }
  return out;
}

function noiseOf(draws: Draws, d: Device): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const allDay = ['00:00', '24:00'];
  const noise = (action: string, ratePerHour: number, when: string, window = allDay, then?: { action: string; afterMinutes: [number, number] }): void => {
    out.push({ device: d.id, action, ...(then === undefined ? {} : { then }), window, ratePerHour: round(ratePerHour, 3), when });
  };
  switch (d.kind) {
    case 'motion':
      if (draws.chance('noise.chattyMotion')) noise('motion', draws.number('noise.chattyMotionPerHour'), 'someone_home');
      else noise('motion', draws.number('noise.motionPerHour'), 'someone_awake');
      break;
    case 'pressure':
      if (d.thing === 'bed-mat') {
        if (draws.chance('noise.chattyBed')) noise('press', draws.number('noise.chattyBedPerHour'), 'someone_asleep');
        else noise('press', draws.number('noise.interiorPerHour'), 'someone_asleep');
      } else {
        noise('press', draws.number('noise.interiorPerHour'), 'someone_awake', allDay, { action: 'release', afterMinutes: [2, 90] });
      }
      break;
    case 'interior':
    case 'contact':
      if (d.thing !== 'front-door') noise('open', draws.number('noise.interiorPerHour'), 'someone_awake', allDay, { action: 'close', afterMinutes: [0.1, 3] });
      if (draws.chance('noise.ghost')) noise('open', draws.number('noise.ghostPerHour'), 'always', allDay, { action: 'close', afterMinutes: [0.1, 3] });
      break;
    case 'light':
      noise('on', draws.number('noise.lightPerHour'), 'someone_awake', draws.fixed('lights.window'), { action: 'off', afterMinutes: [5, 90] });
      break;
    case 'plug':
      noise('on', draws.number('noise.plugPerHour'), 'someone_awake', draws.fixed('plugs.window'), { action: 'off', afterMinutes: [3, 60] });
      break;
    case 'speaker':
      noise('voice_command', draws.number('noise.speakerPerHour'), 'someone_awake');
      break;
    case 'camera':
      noise('motion_clip', draws.number('noise.cameraPerHour'), 'always');
      break;
    case 'thermostat':
      noise('setpoint', draws.number('noise.thermostatPerHour'), 'always');
      break;
    case 'lock':
    case 'alarm':
    case 'hub':
      break;
    default: {
      const never: never = d.kind;
      return never;
    }
  }
  return out;
}

function guestsOf(draws: Draws, devices: readonly Device[]): Record<string, unknown> | null {
  const perWeek = draws.number('guests.perWeek');
  const stay = draws.number('guests.stayMinutes');
  const front = devices.find((d) => d.kind === 'contact' && d.thing === 'front-door');
  const hall = devices.find((d) => d.kind === 'motion' && d.place === 'hall');
  const camera = devices.find((d) => d.kind === 'camera');
  const door = [front, hall, camera].filter((d): d is Device => d !== undefined);
  const during = devices.filter((d) => d.kind === 'motion' || d.kind === 'light' || d.kind === 'speaker');
  if (door.length === 0 && during.length === 0) return null;
  const use = (d: Device): Record<string, unknown> => {
    const action = d.kind === 'contact' ? 'open' : d.kind === 'camera' ? 'motion_clip' : 'motion';
    return { device: d.id, action, delaySeconds: [0, 30], ...(d.kind === 'contact' ? { then: { action: 'close', afterMinutes: [0.05, 0.5] } } : {}) };
  };
  return {
    visitsPerWeek: round(perWeek, 3),
    arriveWindow: draws.fixed('guests.arriveWindow'),
    stayMinutes: durationAround(stay, 1 / 3, 20),
    onArrival: door.map(use),
    onDeparture: door.map(use),
    during: during.map((d) =>
      d.kind === 'light'
        ? { device: d.id, action: 'on', then: { action: 'off', afterMinutes: [5, 60] }, ratePerHour: 0.3 }
        : { device: d.id, action: d.kind === 'speaker' ? 'voice_command' : 'motion', ratePerHour: d.kind === 'motion' ? 3 : 0.3 },
    ),
  };
}

function faultsOf(draws: Draws): Record<string, unknown> | null {
  if (!draws.chance('faults.device')) return null;
  const missProbability = round(draws.number('faults.miss'), 4);
  const lateProbability = round(draws.number('faults.late'), 4);
  return { missProbability, lateProbability, lateSeconds: [1, round(draws.number('faults.lateSeconds'), 1)] };
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
