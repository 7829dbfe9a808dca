/**
 * Traffic profiles of smart-home devices (data/device-profiles.json, described in
 * data/device-profiles.md): the names a device looks up, its cloud TLS sessions and keep-alives, NTP,
 * and the burst of messages each action sends. Loaded and checked once; a bad field is a SpecError
 * naming the file and the field.
 *
 * ```ts
 * const profiles = loadDeviceProfiles();
 * const p = profileFor(profiles, 'home.json', 0, { id: 'door', kind: 'lock', vendor: 'August', ... });
 * ```
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../../core/data-file.js';
import { portsClaimedFromTls } from '../../decode/tls-ports.js';
import { parseIpv4 } from '../../core/bytes.js';
import { SpecError } from '../spec-error.js';
import { DEVICE_ACTIONS, DEVICE_KINDS, type DeviceKind } from '../../core/kinds.js';
import { type DeviceSpec } from '../types.js';

export const DEVICE_PROFILES_FILE = 'device-profiles.json';

export interface DnsNameProfile {
  readonly name: string;
  readonly ttlSeconds: number;
  readonly cnames: readonly string[];
  readonly addresses: readonly string[];
  /** `ttl`: looked up again each time the answer's TTL runs out; `on-use`: only when needed after that (reconnect, NTP). */
  readonly refresh: 'ttl' | 'on-use';
  readonly basis: string;
}

export interface HeartbeatProfile {
  readonly periodSeconds: number;
  readonly jitterSeconds: number;
  /** TCP payload bytes of the keep-alive (device → cloud) and of the reply. */
  readonly upBytes: number;
  readonly downBytes: number;
}

export interface SessionProfile {
  /** The cloud name: looked up (one of the profile's `dns` names) and sent as the TLS SNI. */
  readonly name: string;
  readonly port: number;
  readonly alpn: readonly string[];
  readonly heartbeat: HeartbeatProfile;
  /** Mean reconnects a day (the session is closed and opened again). */
  readonly reconnectsPerDay: number;
  readonly basis: string;
}

export interface NtpProfile {
  readonly name: string;
  readonly periodSeconds: number;
  readonly basis: string;
}

/** One message of a burst: who sends, TCP payload bytes, the gap before it, and the time it is spread over. */
export interface BurstMessage {
  readonly up: boolean;
  readonly bytes: number;
  readonly gapMs: number;
  readonly durationMs: number;
}

export interface ActionProfile {
  /** Index into the profile's sessions (default 0). */
  readonly session: number;
  readonly messages: readonly BurstMessage[];
  readonly basis: string;
}

export interface DeviceProfile {
  readonly id: string;
  readonly vendor: string;
  readonly kind: DeviceKind;
  readonly product: string;
  readonly sources: readonly string[];
  readonly dns: readonly DnsNameProfile[];
  readonly sessions: readonly SessionProfile[];
  readonly ntp: NtpProfile | null;
  readonly actions: Readonly<Record<string, ActionProfile>>;
}

export interface DeviceProfiles {
  readonly file: string;
  readonly byId: ReadonlyMap<string, DeviceProfile>;
}

/** The sensor kinds: their reports go out through a hub's (or an alarm base station's) session. */
export const SENSOR_KINDS: readonly DeviceKind[] = ['motion', 'contact', 'pressure', 'interior'];
/** Kinds whose profile must also shape their sensors' reports. */
const RELAY_KINDS: readonly DeviceKind[] = ['hub'];
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** The smallest message: a TLS record header and one byte. */
const MIN_MESSAGE_BYTES = 6;
const NAME_PATTERN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

type Json = unknown;

class Reader {
  constructor(readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new SpecError(this.file, field, problem);
  }

  object(v: Json, field: string): Record<string, Json> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, `expected an object, got ${JSON.stringify(v)}`);
    return v as Record<string, Json>;
  }

  array(v: Json, field: string): Json[] {
    if (!Array.isArray(v)) this.fail(field, `expected a list, got ${JSON.stringify(v)}`);
    return v;
  }

  text(v: Json, field: string): string {
    if (typeof v !== 'string' || v === '') this.fail(field, `expected text, got ${JSON.stringify(v)}`);
    return v;
  }

  number(v: Json, field: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) this.fail(field, `expected a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v;
  }

  name(v: Json, field: string): string {
    const s = this.text(v, field);
    if (!NAME_PATTERN.test(s)) this.fail(field, `expected a DNS name, got ${JSON.stringify(s)}`);
    return s;
  }

  ipv4(v: Json, field: string): string {
    const s = this.text(v, field);
    try {
      parseIpv4(s);
    } catch {
      this.fail(field, `expected an IPv4 address, got ${JSON.stringify(s)}`);
    }
    return s;
  }
}

function readDns(r: Reader, v: Json, field: string): DnsNameProfile {
  const o = r.object(v, field);
  const addresses = r.array(o.addresses, `${field}.addresses`).map((a, i) => r.ipv4(a, `${field}.addresses[${i}]`));
  if (addresses.length === 0) r.fail(`${field}.addresses`, 'expected at least one address');
  return {
    name: r.name(o.name, `${field}.name`),
    ttlSeconds: r.number(o.ttlSeconds, `${field}.ttlSeconds`, 1, 86400 * 7),
    cnames: r.array(o.cnames ?? [], `${field}.cnames`).map((c, i) => r.name(c, `${field}.cnames[${i}]`)),
    addresses,
    refresh: readRefresh(r, o.refresh, `${field}.refresh`),
    basis: r.text(o.basis, `${field}.basis`),
  };
}

function readRefresh(r: Reader, v: Json, field: string): 'ttl' | 'on-use' {
  if (v === undefined || v === 'ttl') return 'ttl';
  if (v === 'on-use') return v;
  r.fail(field, `expected "ttl" or "on-use", got ${JSON.stringify(v)}`);
}

function readSession(r: Reader, v: Json, field: string, names: ReadonlySet<string>): SessionProfile {
  const o = r.object(v, field);
  const name = r.name(o.name, `${field}.name`);
  if (!names.has(name)) r.fail(`${field}.name`, `${JSON.stringify(name)} is not one of the profile's dns names`);
  const port = r.number(o.port, `${field}.port`, 1, 65535);
  if (portsClaimedFromTls().has(port)) r.fail(`${field}.port`, `tshark does not read TLS on port ${port} (data/tshark-tls-ports.tsv)`);
  const hb = r.object(o.heartbeat, `${field}.heartbeat`);
  const h = `${field}.heartbeat`;
  return {
    name,
    port,
    alpn: r.array(o.alpn ?? [], `${field}.alpn`).map((a, i) => r.text(a, `${field}.alpn[${i}]`)),
    heartbeat: {
      periodSeconds: r.number(hb.periodSeconds, `${h}.periodSeconds`, 1, 86400),
      jitterSeconds: r.number(hb.jitterSeconds, `${h}.jitterSeconds`, 0, 3600),
      upBytes: r.number(hb.upBytes, `${h}.upBytes`, MIN_MESSAGE_BYTES, 16384),
      downBytes: r.number(hb.downBytes, `${h}.downBytes`, MIN_MESSAGE_BYTES, 16384),
    },
    reconnectsPerDay: r.number(o.reconnectsPerDay ?? 0, `${field}.reconnectsPerDay`, 0, 1440),
    basis: r.text(o.basis, `${field}.basis`),
  };
}

function readAction(r: Reader, v: Json, field: string, sessions: number): ActionProfile {
  const o = r.object(v, field);
  const session = r.number(o.session ?? 0, `${field}.session`, 0, sessions - 1);
  const messages = r.array(o.messages, `${field}.messages`).map((m, i): BurstMessage => {
    const f = `${field}.messages[${i}]`;
    const t = r.array(m, f);
    if (t.length < 3 || t.length > 4) r.fail(f, 'expected ["up" or "down", bytes, gapMs] or [..., durationMs]');
    if (t[0] !== 'up' && t[0] !== 'down') r.fail(`${f}[0]`, `expected "up" or "down", got ${JSON.stringify(t[0])}`);
    return {
      up: t[0] === 'up',
      bytes: Math.round(r.number(t[1], `${f}[1]`, MIN_MESSAGE_BYTES, MAX_MESSAGE_BYTES)),
      gapMs: r.number(t[2], `${f}[2]`, 0, 600_000),
      durationMs: r.number(t[3] ?? 0, `${f}[3]`, 0, 3_600_000),
    };
  });
  if (messages.length === 0) r.fail(`${field}.messages`, 'expected at least one message');
  return { session: Math.round(session), messages, basis: r.text(o.basis, `${field}.basis`) };
}

/** The actions a profile of `kind` must shape: its own, and for a hub its sensors' reports. */
export function actionsNeeded(kind: DeviceKind): readonly string[] {
  if (!RELAY_KINDS.includes(kind)) return DEVICE_ACTIONS[kind];
  return [...new Set(SENSOR_KINDS.flatMap((k) => DEVICE_ACTIONS[k]))];
}

function readProfile(r: Reader, id: string, v: Json, knownSources: ReadonlySet<string>): DeviceProfile {
  const field = `profiles.${id}`;
  const o = r.object(v, field);
  const kind = r.text(o.kind, `${field}.kind`) as DeviceKind;
  if (!DEVICE_KINDS.includes(kind)) r.fail(`${field}.kind`, `expected one of ${DEVICE_KINDS.join(' ')}, got ${JSON.stringify(kind)}`);
  if (SENSOR_KINDS.includes(kind)) r.fail(`${field}.kind`, `a ${kind} sensor has no profile of its own: its hub's profile shapes its reports`);
  const sources = r.array(o.sources, `${field}.sources`).map((s, i) => r.text(s, `${field}.sources[${i}]`));
  sources.forEach((s, i) => knownSources.has(s) || r.fail(`${field}.sources[${i}]`, `${JSON.stringify(s)} is not in the file's sources`));
  const dns = r.array(o.dns, `${field}.dns`).map((d, i) => readDns(r, d, `${field}.dns[${i}]`));
  const names = new Set(dns.map((d) => d.name));
  const sessionsJson = r.array(o.sessions, `${field}.sessions`);
  if (sessionsJson.length === 0) r.fail(`${field}.sessions`, 'expected at least one session');
  const sessions = sessionsJson.map((s, i) => readSession(r, s, `${field}.sessions[${i}]`, names));
  let ntp: NtpProfile | null = null;
  if (o.ntp !== null && o.ntp !== undefined) {
    const n = r.object(o.ntp, `${field}.ntp`);
    const name = r.name(n.name, `${field}.ntp.name`);
    if (!names.has(name)) r.fail(`${field}.ntp.name`, `${JSON.stringify(name)} is not one of the profile's dns names`);
    ntp = { name, periodSeconds: r.number(n.periodSeconds, `${field}.ntp.periodSeconds`, 16, 86400 * 7), basis: r.text(n.basis, `${field}.ntp.basis`) };
  }
  const actionsJson = r.object(o.actions, `${field}.actions`);
  const actions: Record<string, ActionProfile> = {};
  for (const [name, a] of Object.entries(actionsJson)) actions[name] = readAction(r, a, `${field}.actions.${name}`, sessions.length);
  for (const need of actionsNeeded(kind)) {
    if (!(need in actions)) r.fail(`${field}.actions`, `no burst shape for the ${kind} action ${JSON.stringify(need)}`);
  }
  return {
    id,
    vendor: r.text(o.vendor, `${field}.vendor`),
    kind,
    product: r.text(o.product, `${field}.product`),
    sources,
    dns,
    sessions,
    ntp,
    actions,
  };
}

/** Checks a profile file's text; every problem is a SpecError naming `file` and the field. */
export function parseDeviceProfiles(text: string, file: string): DeviceProfiles {
  const r = new Reader(file);
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    r.fail('', `not JSON: ${(e as Error).message}`);
  }
  const root = r.object(json, '');
  const sources = new Set(Object.keys(r.object(root.sources, 'sources')));
  const profiles = r.object(root.profiles, 'profiles');
  const byId = new Map<string, DeviceProfile>();
  for (const [id, p] of Object.entries(profiles)) byId.set(id, readProfile(r, id, p, sources));
  return { file, byId };
}

let builtIn: DeviceProfiles | null = null;

/** The profiles of data/device-profiles.json (read and checked once), or of `path`. */
export function loadDeviceProfiles(path?: string): DeviceProfiles {
  if (path !== undefined) return parseDeviceProfiles(readFileSync(path, 'utf8'), path);
  if (builtIn === null) {
    const file = dataFile(DEVICE_PROFILES_FILE);
    builtIn = parseDeviceProfiles(readFileSync(file, 'utf8'), file);
  }
  return builtIn;
}

/** The profile a device uses by default: the first in the file for its vendor and kind. */
export function defaultProfile(profiles: DeviceProfiles, vendor: string, kind: DeviceKind): DeviceProfile | undefined {
  for (const p of profiles.byId.values()) if (p.vendor === vendor && p.kind === kind) return p;
  return undefined;
}

/**
 * The profile of `devices[index]` of the spec `source`: the one it names, or its vendor's for its
 * kind. A SpecError names `devices[i].profile` when there is none (also when the vendor has no
 * profile for the kind and the spec names none) or it does not fit.
 */
export function profileFor(profiles: DeviceProfiles, source: string, index: number, device: DeviceSpec): DeviceProfile {
  const field = `devices[${index}]`;
  const id = device.profile;
  const p = id !== undefined ? profiles.byId.get(id) : defaultProfile(profiles, device.vendor, device.kind);
  if (p === undefined) {
    const known = [...profiles.byId.values()].filter((q) => q.kind === device.kind).map((q) => q.vendor);
    const problem =
      id !== undefined
        ? `no traffic profile ${JSON.stringify(id)} in ${profiles.file}`
        : `no traffic profile for a ${device.vendor} ${device.kind} in ${profiles.file} (${device.kind} vendors: ${known.join(', ') || 'none'})`;
    throw new SpecError(source, `${field}.profile`, problem);
  }
  if (p.kind !== device.kind) throw new SpecError(source, `${field}.profile`, `profile ${JSON.stringify(p.id)} is for a ${p.kind}, not a ${device.kind}`);
  return p;
}
