/**
 * The random homes' distributions (data/home-distributions.yaml): what the home generator draws a
 * household, its lives and its devices from, each distribution with its source or marked as an
 * assumption. Read and checked once; a missing, unknown or malformed entry is a {@link SpecError}
 * naming the file and the field (`home-distributions.yaml: distributions.sleep.workdayBedtime.normal.sd: ...`).
 *
 * {@link Draws} draws from them by name, and can report every draw to a trace, so that a test can
 * hold the drawn values against the file.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { dataFile } from '../core/data-file.js';
import { DEVICE_KINDS, type DeviceKind } from '../core/kinds.js';
import type { Random } from '../core/random.js';
import { uniform } from './seeds.js';
import { SpecError } from './spec-error.js';
import { SpecReader, type SpecObject } from './spec-fields.js';
import { parseLabelRules, type LabelRules } from './spec-household.js';

export const HOME_DISTRIBUTIONS_FILE = 'home-distributions.yaml';

export type Distribution =
  | { readonly kind: 'categorical'; readonly values: readonly string[]; readonly weights: readonly number[] }
  | { readonly kind: 'chance'; readonly p: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'int'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number; readonly min: number; readonly max: number };

export type DistributionKind = Distribution['kind'];

export interface DistributionEntry {
  readonly name: string;
  readonly distribution: Distribution;
  /** An id of the file's sources, or `assumption`. */
  readonly source: string;
  readonly note: string;
}

/** A value used as it is, with its source. */
export interface FixedEntry {
  readonly name: string;
  readonly value: unknown;
  readonly source: string;
  readonly note: string;
}

/** A maker and its IEEE MAC blocks ("aa:bb:cc"). */
export interface Maker {
  readonly vendor: string;
  readonly ouis: readonly string[];
}

export interface HomeDistributions {
  readonly file: string;
  readonly sources: ReadonlyMap<string, string>;
  readonly distributions: ReadonlyMap<string, DistributionEntry>;
  readonly fixed: ReadonlyMap<string, FixedEntry>;
  readonly labels: LabelRules;
  readonly labelsSource: string;
  /** Makers by device kind (only kinds with makers: sensors take their relay's maker). */
  readonly vendors: ReadonlyMap<DeviceKind, readonly Maker[]>;
  readonly routers: readonly Maker[];
  readonly isps: readonly Maker[];
}

/** Every distribution the generator draws, and its kind: the file must have exactly these. */
export const DISTRIBUTION_KINDS: Readonly<Record<string, DistributionKind>> = {
  'household.residents': 'categorical',
  'household.secondIsChild': 'chance',
  'household.laterAreChildren': 'chance',
  'resident.adultRole': 'categorical',
  'sleep.workdayBedtime': 'normal',
  'sleep.workdayDuration': 'normal',
  'sleep.freeDayBedDelay': 'normal',
  'sleep.freeDayExtra': 'normal',
  'sleep.spreadMinutes': 'uniform',
  'work.dayStart': 'normal',
  'work.hoursPerDay': 'normal',
  'work.partTimeHours': 'normal',
  'work.partTimeDays': 'int',
  'work.partTimeStart': 'normal',
  'work.commute': 'normal',
  'work.morningMinutes': 'normal',
  'work.weekendDay': 'chance',
  'work.eveningStart': 'normal',
  'work.nightStart': 'normal',
  'work.rotationDays': 'categorical',
  'work.nightsPerWeek': 'int',
  'work.homeShare': 'categorical',
  'work.hybridShare': 'uniform',
  'work.holidays': 'int',
  'child.leave': 'normal',
  'child.return': 'normal',
  'child.bedtime': 'normal',
  'child.holidays': 'int',
  'life.outingsPerDay': 'uniform',
  'life.outingMinutes': 'uniform',
  'life.dayOutChance': 'uniform',
  'life.dayOutStart': 'normal',
  'life.dayOutMinutes': 'normal',
  'life.napsPerDay': 'uniform',
  'life.napMinutes': 'uniform',
  'life.drifts': 'chance',
  'life.driftSd': 'uniform',
  'life.driftMax': 'uniform',
  'trips.householdPerYear': 'uniform',
  'trips.soloPerYear': 'uniform',
  'trips.nights': 'normal',
  'guests.perWeek': 'uniform',
  'guests.stayMinutes': 'uniform',
  'home.archetype': 'categorical',
  'consumer.lock': 'chance',
  'consumer.thermostat': 'chance',
  'consumer.camera': 'chance',
  'consumer.lights': 'chance',
  'consumer.lightCount': 'int',
  'consumer.plugs': 'chance',
  'consumer.plugCount': 'int',
  'consumer.speaker': 'chance',
  'consumer.sensors': 'chance',
  'consumer.motionCount': 'int',
  'consumer.doorContacts': 'int',
  'sensor.motionCount': 'int',
  'sensor.doorContacts': 'categorical',
  'sensor.interiorCount': 'int',
  'sensor.pressureCount': 'int',
  'sensor.plugCount': 'int',
  'minimal.motionCount': 'int',
  'security.doorContacts': 'int',
  'security.motionCount': 'int',
  'security.camera': 'chance',
  'security.lock': 'chance',
  'security.lights': 'chance',
  'sensors.relay': 'categorical',
  'reaction.entrance': 'uniform',
  'reaction.probability': 'uniform',
  'noise.motionPerHour': 'uniform',
  'noise.chattyMotion': 'chance',
  'noise.chattyMotionPerHour': 'uniform',
  'noise.chattyBed': 'chance',
  'noise.chattyBedPerHour': 'uniform',
  'noise.interiorPerHour': 'uniform',
  'noise.ghost': 'chance',
  'noise.ghostPerHour': 'uniform',
  'noise.lightPerHour': 'uniform',
  'noise.plugPerHour': 'uniform',
  'noise.speakerPerHour': 'uniform',
  'noise.cameraPerHour': 'uniform',
  'noise.thermostatPerHour': 'uniform',
  'faults.device': 'chance',
  'faults.miss': 'uniform',
  'faults.late': 'uniform',
  'faults.lateSeconds': 'uniform',
  'clock.off': 'chance',
  'clock.offsetSeconds': 'normal',
  'clock.driftSecondsPerDay': 'uniform',
  'home.startDay': 'int',
  'network.subnet': 'categorical',
};

/** The fixed values the generator uses: a time window ["HH:MM", "HH:MM"], or a date for `start.firstDay`. */
export const FIXED_NAMES: readonly string[] = [
  'start.firstDay',
  'life.outingWindow',
  'life.napWindow',
  'trips.leaveWindow',
  'trips.returnWindow',
  'guests.arriveWindow',
  'lights.window',
  'plugs.window',
];

const ASSUMPTION = 'assumption';
/** Redraws of a normal deviate outside [min, max] before it is clamped (at 2 sd from the mean, 1 in 22 is redrawn; 64 misses in a row do not happen). */
const NORMAL_TRIES = 64;
const OUI_RE = /^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

let builtIn: HomeDistributions | null = null;

/** The distributions of data/home-distributions.yaml (read and checked once), or of `path`. */
export function loadHomeDistributions(path?: string): HomeDistributions {
  if (path !== undefined) return parseHomeDistributions(readText(path), path);
  if (builtIn === null) {
    const file = dataFile(HOME_DISTRIBUTIONS_FILE);
    builtIn = parseHomeDistributions(readText(file), file);
  }
  return builtIn;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SpecError(path, '', `cannot read: ${(error as Error).message}`);
  }
}

/** Checks a distributions file's text; every problem is a SpecError naming `file` and the field. */
export function parseHomeDistributions(text: string, file: string): HomeDistributions {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new SpecError(file, '', `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const reader = new SpecReader(file);
  const root = reader.object(doc.toJS(), '', ['about', 'sources', 'distributions', 'fixed', 'labels', 'vendors', 'routers', 'isps']);
  reader.string(...root.required('about'));
  const [sourcesValue, sourcesPath] = root.required('sources');
  const sourceRecord = recordOf(reader, sourcesValue, sourcesPath);
  const sources = new Map<string, string>();
  for (const [id, text] of Object.entries(sourceRecord)) sources.set(reader.id(id, `${sourcesPath}.${id}`), reader.string(text, `${sourcesPath}.${id}`));
  const checkSource = (obj: SpecObject): { source: string; note: string } => {
    const [value, path] = obj.required('source');
    const source = reader.string(value, path);
    if (source !== ASSUMPTION && !sources.has(source)) reader.fail(path, `expected one of the file's sources or "${ASSUMPTION}", got ${JSON.stringify(source)}`);
    const note = obj.has('note') ? reader.string(...obj.required('note')) : '';
    if (source === ASSUMPTION && note === '') reader.fail(obj.fieldPath('note'), 'an assumption needs a note saying why');
    return { source, note };
  };

  const [distValue, distPath] = root.required('distributions');
  const distRecord = recordOf(reader, distValue, distPath);
  const distributions = new Map<string, DistributionEntry>();
  for (const [name, value] of Object.entries(distRecord)) {
    const path = `${distPath}.${name}`;
    const want = DISTRIBUTION_KINDS[name];
    if (want === undefined) reader.fail(path, `unknown distribution (the generator draws ${Object.keys(DISTRIBUTION_KINDS).length} named ones; see DISTRIBUTION_KINDS)`);
    const obj = reader.object(value, path, [want, 'source', 'note']);
    if (!obj.has(want)) reader.fail(path, `expected a ${want} distribution (field ${want})`);
    distributions.set(name, { name, distribution: parseDistribution(reader, want, ...obj.required(want)), ...checkSource(obj) });
  }
  for (const name of Object.keys(DISTRIBUTION_KINDS)) {
    if (!distributions.has(name)) reader.fail(`${distPath}.${name}`, 'required distribution missing');
  }

  const [fixedValue, fixedPath] = root.required('fixed');
  const fixedRecord = recordOf(reader, fixedValue, fixedPath);
  const fixed = new Map<string, FixedEntry>();
  for (const [name, value] of Object.entries(fixedRecord)) {
    const path = `${fixedPath}.${name}`;
    if (!FIXED_NAMES.includes(name)) reader.fail(path, `unknown fixed value (expected one of ${FIXED_NAMES.join(', ')})`);
    const obj = reader.object(value, path, ['value', 'source', 'note']);
    const [v, vPath] = obj.required('value');
    if (name === 'start.firstDay') {
      if (typeof v !== 'string' || !DATE_RE.test(v)) reader.fail(vPath, `expected a date "YYYY-MM-DD", got ${JSON.stringify(v)}`);
    } else {
      reader.window(v, vPath, 1440);
    }
    fixed.set(name, { name, value: v, ...checkSource(obj) });
  }
  for (const name of FIXED_NAMES) if (!fixed.has(name)) reader.fail(`${fixedPath}.${name}`, 'required fixed value missing');

  const [labelsValue, labelsPath] = root.required('labels');
  const labelsObj = reader.object(labelsValue, labelsPath, ['leaveHomeAfterMinutes', 'returnAfterShortAbsence', 'sleepGapMinutes', 'shortestNightMinutes', 'source']);
  const { source: labelsSource } = checkSource(labelsObj);
  const ruleFields = Object.fromEntries(Object.entries(labelsValue as Record<string, unknown>).filter(([key]) => key !== 'source'));
  const labels = parseLabelRules(reader, ruleFields, labelsPath);

  const [vendorsValue, vendorsPath] = root.required('vendors');
  const vendorRecord = recordOf(reader, vendorsValue, vendorsPath);
  const vendors = new Map<DeviceKind, Maker[]>();
  for (const [kind, makers] of Object.entries(vendorRecord)) {
    const k = reader.choice(kind, `${vendorsPath}.${kind}`, DEVICE_KINDS);
    vendors.set(k, parseMakers(reader, makers, `${vendorsPath}.${kind}`));
  }
  return {
    file,
    sources,
    distributions,
    fixed,
    labels,
    labelsSource,
    vendors,
    routers: parseMakers(reader, ...root.required('routers')),
    isps: parseMakers(reader, ...root.required('isps')),
  };
}

function recordOf(reader: SpecReader, value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) reader.fail(path, 'expected an object');
  const record = value as Record<string, unknown>;
  if (Object.keys(record).length === 0) reader.fail(path, 'expected at least one entry');
  return record;
}

function parseMakers(reader: SpecReader, value: unknown, path: string): Maker[] {
  return Object.entries(recordOf(reader, value, path)).map(([vendor, ouis]) => {
    const list = reader.list(ouis, `${path}.${vendor}`);
    if (list.length === 0) reader.fail(`${path}.${vendor}`, 'expected at least one MAC block');
    return {
      vendor,
      ouis: list.map((oui, i) => {
        if (typeof oui !== 'string' || !OUI_RE.test(oui)) reader.fail(`${path}.${vendor}[${i}]`, `expected a MAC block "aa:bb:cc" (lower case), got ${JSON.stringify(oui)}`);
        if ((parseInt(oui.slice(0, 2), 16) & 1) !== 0) reader.fail(`${path}.${vendor}[${i}]`, `expected a unicast block (first octet even), got "${oui}"`);
        return oui;
      }),
    };
  });
}

function parseDistribution(reader: SpecReader, kind: DistributionKind, value: unknown, path: string): Distribution {
  switch (kind) {
    case 'categorical': {
      const record = recordOf(reader, value, path);
      const values = Object.keys(record);
      const raw = values.map((v) => reader.number(record[v], `${path}.${v}`, 0, Number.MAX_VALUE));
      const total = raw.reduce((a, b) => a + b, 0);
      if (total <= 0) reader.fail(path, 'expected weights that are not all 0');
      return { kind, values, weights: raw.map((w) => w / total) };
    }
    case 'chance':
      return { kind, p: reader.number(value, path, 0, 1) };
    case 'uniform': {
      const [low, high] = reader.range(value, path, -Number.MAX_VALUE, Number.MAX_VALUE);
      return { kind, low, high };
    }
    case 'int': {
      const [low, high] = reader.range(value, path, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      if (!Number.isInteger(low) || !Number.isInteger(high)) reader.fail(path, `expected whole numbers, got [${low}, ${high}]`);
      return { kind, low, high };
    }
    case 'normal': {
      const obj = reader.object(value, path, ['mean', 'sd', 'min', 'max']);
      const num = (key: string): number => reader.number(...obj.required(key), -Number.MAX_VALUE, Number.MAX_VALUE);
      const [mean, sd, min, max] = [num('mean'), num('sd'), num('min'), num('max')];
      if (sd < 0) reader.fail(obj.fieldPath('sd'), `expected a standard deviation >= 0, got ${sd}`);
      if (!(min <= mean && mean <= max)) reader.fail(path, `expected min <= mean <= max, got ${min}, ${mean}, ${max}`);
      return { kind, mean, sd, min, max };
    }
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** A draw as a trace sees it: the distribution's name and the value drawn. */
export type DrawTrace = (name: string, value: string | number | boolean) => void;

/** Draws from the named distributions with one generator; reports each draw to `trace` when given. */
export class Draws {
  constructor(
    private readonly random: Random,
    readonly distributions: HomeDistributions,
    private readonly trace?: DrawTrace,
  ) {}

  /** The underlying generator, for choices that are not distributions of the file (which maker, which MAC). */
  get rng(): Random {
    return this.random;
  }

  private entry<K extends DistributionKind>(name: string, kind: K): Extract<Distribution, { kind: K }> {
    const entry = this.distributions.distributions.get(name);
    if (entry === undefined || entry.distribution.kind !== kind) throw new RangeError(`no ${kind} distribution ${JSON.stringify(name)} in ${this.distributions.file}`);
    return entry.distribution as Extract<Distribution, { kind: K }>;
  }

  /** One of a categorical distribution's values. */
  pick(name: string): string {
    const d = this.entry(name, 'categorical');
    const u = this.random.next();
    let acc = 0;
    let value = d.values[d.values.length - 1];
    for (let i = 0; i < d.values.length; i++) {
      acc += d.weights[i];
      if (u < acc) {
        value = d.values[i];
        break;
      }
    }
    this.trace?.(name, value);
    return value;
  }

  chance(name: string): boolean {
    const value = this.random.next() < this.entry(name, 'chance').p;
    this.trace?.(name, value);
    return value;
  }

  /** A number of a uniform or (truncated) normal distribution. */
  number(name: string): number {
    const entry = this.distributions.distributions.get(name);
    const d = entry?.distribution;
    let value: number;
    if (d?.kind === 'uniform') {
      value = uniform(this.random, d.low, d.high);
    } else if (d?.kind === 'normal') {
      value = Math.min(d.max, Math.max(d.min, d.mean));
      for (let i = 0; i < NORMAL_TRIES; i++) {
        const x = this.random.normal(d.mean, d.sd);
        if (x >= d.min && x <= d.max) {
          value = x;
          break;
        }
      }
    } else {
      throw new RangeError(`no uniform or normal distribution ${JSON.stringify(name)} in ${this.distributions.file}`);
    }
    this.trace?.(name, value);
    return value;
  }

  int(name: string): number {
    const d = this.entry(name, 'int');
    const value = this.random.int(d.low, d.high);
    this.trace?.(name, value);
    return value;
  }

  /** A normal distribution's parameters, passed on as they are (the home draws from them as it lives). */
  normalParams(name: string): { mean: number; sd: number; min: number; max: number } {
    const d = this.entry(name, 'normal');
    this.trace?.(name, Number.NaN);
    return { mean: d.mean, sd: d.sd, min: d.min, max: d.max };
  }

  /** A fixed value of the file. */
  fixed<T>(name: string): T {
    const entry = this.distributions.fixed.get(name);
    if (entry === undefined) throw new RangeError(`no fixed value ${JSON.stringify(name)} in ${this.distributions.file}`);
    return entry.value as T;
  }
}
