/**
 * Home specs: what a simulated home is (its network, devices, residents and their routines, how the
 * devices react to activities, noise and guests), read from JSON or YAML and checked thoroughly.
 * Every problem is a {@link SpecError} naming the source and the field's path:
 * `family.yaml: residents[0].routine.weekday[2].at: expected a time of day "HH:MM", got "7am"`.
 * Unknown fields are errors too, so typos are caught. data/homes/README.md describes the format.
 *
 * ```ts
 * const spec = loadHomeSpec('family');           // a built-in home (data/homes/family.yaml)
 * const mine = loadHomeSpec('./my-home.yaml');   // or a file
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { dataFile } from '../core/data-file.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { SpecError } from './spec-error.js';
import { SpecReader, shown } from './spec-fields.js';
import { parseResident, type ResidentSpec } from './spec-routine.js';
import { parseGuests, parseNoise, parseReaction, type GuestSpec, type NoiseSpec, type ReactionSpec } from './spec-effects.js';
import { parseClock, parseLabelRules, parseReportFaults, parseTrip, type ClockSpec, type LabelRules, type TripSpec } from './spec-household.js';
import { DEVICE_KINDS, type DeviceKind } from '../core/kinds.js';
import { loadHomeDistributions } from './home-distributions.js';
import { randomHomeDocument } from './home-generator.js';
import { type DeviceSpec, type NetworkSpec } from './types.js';

export type { ResidentSpec, RoutineSpec, StepSpec, OutingSpec, DurationSpec, Weekday, RotationSpec, ShiftSpec, DriftSpec } from './spec-routine.js';
export type { TripSpec, LabelRules, ClockSpec, ReportFaults } from './spec-household.js';
export type { GuestSpec, NoiseSpec, ReactionSpec, DeviceUseSpec, RandomUseSpec, TargetSpec, FollowUpSpec } from './spec-effects.js';

/** The homes shipped in data/homes/ (`<name>.yaml`). */
export const BUILTIN_HOMES: readonly string[] = ['paper', 'couple-shifts', 'family', 'night-shift', 'sensor-rich'];

/** How a random home is named where a home is named: `random:SEED` (random-home.ts). */
export const RANDOM_HOME_PREFIX = 'random:';
const RANDOM_HOME_RE = /^random:(\d{1,10})$/;
const MAX_SEED = 0xffff_ffff;

/** The seed of a random home's name (`random:42` is 42), or null when the name is not one. Throws {@link SpecError} for `random:` with a bad seed. */
export function randomHomeSeed(name: string): number | null {
  if (!name.startsWith(RANDOM_HOME_PREFIX)) return null;
  const m = RANDOM_HOME_RE.exec(name);
  const seed = m === null ? NaN : Number(m[1]);
  if (!(seed <= MAX_SEED)) throw new SpecError(name, '', `expected random:SEED with a seed from 0 to ${MAX_SEED}`);
  return seed;
}

/** The first simulated day when a spec names none: a Monday. */
export const DEFAULT_START_DATE = '2026-11-02';

export interface HomeSpec {
  readonly name: string;
  readonly description: string;
  /** The first day, "YYYY-MM-DD" (UTC), and its midnight in µs since the epoch. */
  readonly start: string;
  readonly startUs: number;
  readonly network: NetworkSpec;
  readonly residents: readonly ResidentSpec[];
  readonly devices: readonly DeviceSpec[];
  readonly reactions: readonly ReactionSpec[];
  readonly noise: readonly NoiseSpec[];
  /** Visitors, or null for a home without any. */
  readonly guests: GuestSpec | null;
  /** Nights away. */
  readonly trips: readonly TripSpec[];
  /** How activities become labels; null: every activity as lived is a label. */
  readonly labels: LabelRules | null;
  /** The device reports' clock against the activities'; null: the same clock. */
  readonly clock: ClockSpec | null;
}

const TOP_KEYS = ['name', 'description', 'start', 'network', 'residents', 'devices', 'reactions', 'noise', 'guests', 'trips', 'labels', 'clock'];
const NETWORK_KEYS = ['routerMac', 'routerIp', 'publicIp', 'ispMac', 'ispResolverIp'];
const DEVICE_KEYS = ['id', 'kind', 'vendor', 'profile', 'mac', 'ip', 'via', 'hostname', 'appliance', 'reports'];
const SENSOR_KINDS: readonly DeviceKind[] = ['motion', 'contact', 'pressure', 'interior'];
const RELAY_KINDS: readonly DeviceKind[] = ['hub', 'alarm'];
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOSTNAME_RE = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/i;
const MULTICAST_BIT = 0x01;
const MS_PER_DAY = 86_400_000;
/**
 * The years a simulation may start in: captures hold times from 1970 on, and a pcap only up to
 * 2106-02-07 (seconds in 32 bits), so a start in 2099 leaves the --days of several years.
 */
const FIRST_START_YEAR = 1970;
const LAST_START_YEAR = 2099;

/** Parses and checks a home spec (JSON or YAML text); `source` names it in errors. Throws {@link SpecError}. */
export function parseHomeSpec(text: string, source: string): HomeSpec {
  return checkHomeSpec(parseText(text, source), source);
}

/** Checks a home spec already read into plain values (as YAML or JSON give them). Throws {@link SpecError}. */
export function checkHomeSpec(value: unknown, source: string): HomeSpec {
  const reader = new SpecReader(source);
  const obj = reader.object(value, '', TOP_KEYS);
  const name = reader.id(...obj.required('name'));
  const description = obj.has('description') ? reader.string(...obj.required('description')) : '';
  const [startValue, startPath] = obj.optional('start');
  const start = startValue === undefined ? DEFAULT_START_DATE : startValue;
  const startMs = parseDate(reader, start, startPath);
  const network = parseNetwork(reader, ...obj.required('network'));
  const devices = parseDevices(reader, ...obj.required('devices'), network);
  const [residentList, residentsPath] = obj.required('residents');
  const residentItems = reader.list(residentList, residentsPath);
  if (residentItems.length === 0) reader.fail(residentsPath, 'expected at least one resident');
  const residents = residentItems.map((item, i) => parseResident(reader, item, `${residentsPath}[${i}]`));
  checkUnique(reader, residents.map((r) => r.id), residentsPath, 'resident id');
  const ctx = { reader, devices, residentIds: residents.map((r) => r.id) };
  const listOf = <T>(key: string, parse: (value: unknown, path: string) => T): T[] => {
    if (!obj.has(key)) return [];
    const [list, path] = obj.required(key);
    return reader.list(list, path).map((item, i) => parse(item, `${path}[${i}]`));
  };
  return {
    name,
    description,
    start: start as string,
    startUs: startMs * 1000,
    network,
    residents,
    devices,
    reactions: listOf('reactions', (v, p) => parseReaction(ctx, v, p)),
    noise: listOf('noise', (v, p) => parseNoise(ctx, v, p)),
    guests: obj.has('guests') ? parseGuests(ctx, ...obj.required('guests')) : null,
    trips: listOf('trips', (v, p) => parseTrip(reader, v, p, ctx.residentIds)),
    labels: obj.has('labels') ? parseLabelRules(reader, ...obj.required('labels')) : null,
    clock: obj.has('clock') ? parseClock(reader, ...obj.required('clock')) : null,
  };
}

/**
 * A built-in home by name ({@link BUILTIN_HOMES}), a random home (`random:SEED`, random-home.ts) or
 * a spec file by path (`.json`, `.yaml`, `.yml`). Throws {@link SpecError} for a missing file or a
 * bad spec.
 */
export function loadHomeSpec(nameOrPath: string): HomeSpec {
  const seed = randomHomeSeed(nameOrPath);
  if (seed !== null) return checkHomeSpec(randomHomeDocument(seed, loadHomeDistributions()), nameOrPath);
  if (BUILTIN_HOMES.includes(nameOrPath)) {
    return parseHomeSpec(readFileSync(dataFile(`homes/${nameOrPath}.yaml`), 'utf8'), nameOrPath);
  }
  if (!existsSync(nameOrPath)) {
    throw new SpecError(nameOrPath, '', `no such file, and not a built-in home (${BUILTIN_HOMES.join(', ')}) or a random one (random:SEED)`);
  }
  let text: string;
  try {
    text = readFileSync(nameOrPath, 'utf8');
  } catch (error) {
    throw new SpecError(nameOrPath, '', `cannot read: ${(error as Error).message}`);
  }
  return parseHomeSpec(text, nameOrPath);
}

/** JSON for a `.json` source; YAML otherwise (YAML 1.2 reads JSON too). */
function parseText(text: string, source: string): unknown {
  if (source.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new SpecError(source, '', `not valid JSON: ${(error as Error).message}`);
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new SpecError(source, '', `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  return doc.toJS();
}

function parseDate(reader: SpecReader, value: unknown, path: string): number {
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (m === null) reader.fail(path, `expected a date "YYYY-MM-DD", got ${shown(value)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < FIRST_START_YEAR || year > LAST_START_YEAR) reader.fail(path, `expected a year from ${FIRST_START_YEAR} to ${LAST_START_YEAR}, got ${shown(value)}`);
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) reader.fail(path, `no such day ${shown(value)}`);
  return Math.round(ms / MS_PER_DAY) * MS_PER_DAY;
}

function parseNetwork(reader: SpecReader, value: unknown, path: string): NetworkSpec {
  const obj = reader.object(value, path, NETWORK_KEYS);
  const routerIp = parseIpv4(reader, ...obj.required('routerIp'));
  if (!isPrivate(routerIp)) reader.fail(obj.fieldPath('routerIp'), `expected a private address (10/8, 172.16/12, 192.168/16), got "${routerIp}"`);
  return {
    routerMac: parseMac(reader, ...obj.required('routerMac')),
    routerIp,
    publicIp: parseIpv4(reader, ...obj.required('publicIp')),
    ispMac: parseMac(reader, ...obj.required('ispMac')),
    ispResolverIp: parseIpv4(reader, ...obj.required('ispResolverIp')),
  };
}

function parseDevices(reader: SpecReader, value: unknown, path: string, network: NetworkSpec): DeviceSpec[] {
  const items = reader.list(value, path);
  if (items.length === 0) reader.fail(path, 'expected at least one device');
  const vendors = new Set(defaultVendorRules().vendors());
  const devices = items.map((item, i) => parseDevice(reader, item, `${path}[${i}]`, vendors, network));
  checkUnique(reader, devices.map((d) => d.id), path, 'device id');
  checkUnique(reader, devices.map((d) => d.mac ?? null), path, 'MAC address', 'mac', [network.routerMac, network.ispMac]);
  checkUnique(reader, devices.map((d) => d.ip ?? null), path, 'IP address', 'ip', [network.routerIp]);
  devices.forEach((device, i) => {
    if (device.via === undefined) return;
    const relay = devices.find((d) => d.id === device.via);
    if (relay === undefined || !RELAY_KINDS.includes(relay.kind)) {
      const relays = devices.filter((d) => RELAY_KINDS.includes(d.kind)).map((d) => d.id);
      reader.fail(`${path}[${i}].via`, `expected the id of a hub or alarm in the home (${relays.length > 0 ? relays.join(', ') : 'it has none'}), got "${device.via}"`);
    }
  });
  return devices;
}

function parseDevice(reader: SpecReader, value: unknown, path: string, vendors: ReadonlySet<string>, network: NetworkSpec): DeviceSpec {
  const obj = reader.object(value, path, DEVICE_KEYS);
  const id = reader.id(...obj.required('id'));
  const kind = reader.choice(...obj.required('kind'), DEVICE_KINDS);
  const [vendorValue, vendorPath] = obj.required('vendor');
  const vendor = reader.string(vendorValue, vendorPath);
  if (!vendors.has(vendor)) reader.fail(vendorPath, `unknown vendor ${shown(vendor)}: expected a vendor of data/vendor-rules.tsv (${[...vendors].join(', ')})`);
  const optionalString = (key: string): string | undefined => (obj.has(key) ? reader.string(...obj.required(key)) : undefined);
  const device: { -readonly [K in keyof DeviceSpec]: DeviceSpec[K] } = { id, kind, vendor };
  const profile = optionalString('profile');
  if (profile !== undefined) device.profile = profile;
  if (SENSOR_KINDS.includes(kind)) {
    for (const key of ['mac', 'ip', 'hostname']) {
      if (obj.has(key)) reader.fail(obj.fieldPath(key), `a ${kind} sensor reports through its hub or alarm (via) and has no ${key}`);
    }
    device.via = reader.id(...obj.required('via'));
  } else {
    if (obj.has('via')) reader.fail(obj.fieldPath('via'), `only sensors (${SENSOR_KINDS.join(', ')}) report through a hub (via); a ${kind} has its own mac and ip`);
    device.mac = parseMac(reader, ...obj.required('mac'));
    const [ipValue, ipPath] = obj.required('ip');
    const ip = parseIpv4(reader, ipValue, ipPath);
    if (!sameSubnet24(ip, network.routerIp)) reader.fail(ipPath, `expected an address in the router's network ${subnet24(network.routerIp)}.0/24, got "${ip}"`);
    const last = Number(ip.split('.')[3]);
    if (last === 0 || last === 255) reader.fail(ipPath, `expected a host address, not the network's ${last === 0 ? 'own' : 'broadcast'} address "${ip}"`);
    device.ip = ip;
    const hostname = optionalString('hostname');
    if (hostname !== undefined) {
      if (!HOSTNAME_RE.test(hostname)) reader.fail(obj.fieldPath('hostname'), `expected a host name of letters, digits and inner hyphens or underscores, got ${shown(hostname)}`);
      device.hostname = hostname;
    }
  }
  const appliance = optionalString('appliance');
  if (appliance !== undefined) {
    if (kind !== 'plug') reader.fail(obj.fieldPath('appliance'), `only a plug has an appliance behind it, not a ${kind}`);
    device.appliance = appliance;
  }
  if (obj.has('reports')) device.reports = parseReportFaults(reader, obj);
  return device;
}

function parseMac(reader: SpecReader, value: unknown, path: string): string {
  if (typeof value !== 'string' || !MAC_RE.test(value)) reader.fail(path, `expected "aa:bb:cc:dd:ee:ff", got ${shown(value)}`);
  const mac = value.toLowerCase();
  if ((parseInt(mac.slice(0, 2), 16) & MULTICAST_BIT) !== 0) reader.fail(path, `expected a unicast MAC (first octet even), got "${value}"`);
  if (mac === '00:00:00:00:00:00') reader.fail(path, 'expected a MAC address, got all zeros');
  return mac;
}

function parseIpv4(reader: SpecReader, value: unknown, path: string): string {
  const m = typeof value === 'string' ? IPV4_RE.exec(value) : null;
  if (m === null || m.slice(1).some((octet) => Number(octet) > 255 || (octet.length > 1 && octet.startsWith('0')))) {
    reader.fail(path, `expected an IPv4 address "a.b.c.d", got ${shown(value)}`);
  }
  return value as string;
}

function isPrivate(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function subnet24(ip: string): string {
  return ip.slice(0, ip.lastIndexOf('.'));
}

function sameSubnet24(a: string, b: string): boolean {
  return subnet24(a) === subnet24(b);
}

/** Fails on the second of two equal values (nulls skipped, or equal to one of `taken`). */
function checkUnique(reader: SpecReader, values: readonly (string | null)[], path: string, what: string, field = 'id', taken: readonly string[] = []): void {
  const first = new Map<string, number>();
  values.forEach((value, i) => {
    if (value === null) return;
    if (taken.includes(value)) reader.fail(`${path}[${i}].${field}`, `${what} "${value}" is the network's own (router or ISP)`);
    const seen = first.get(value);
    if (seen !== undefined) reader.fail(`${path}[${i}].${field}`, `duplicate ${what} "${value}" (also ${path}[${seen}])`);
    first.set(value, i);
  });
}
