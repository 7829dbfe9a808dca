/**
 * Who registered a MAC address's prefix, from the IEEE registry as Debian's `ieee-data` package
 * ships it in /usr/share/ieee-data: `oui.csv` (MA-L, 24-bit prefixes), `mam.csv` (MA-M, 28-bit),
 * `oui36.csv` (MA-S, 36-bit) and `iab.csv` (the older 36-bit IAB blocks). The longest registered
 * prefix wins, so an MA-S block inside the IEEE's own MA-L block 70:B3:D5 names its owner.
 *
 * Decision: the registry is read at run time, not compiled into a table at build time. It is read
 * lazily, once, on the first lookup, into one Map per prefix length keyed by the prefix as a number
 * (24, 28 or 36 bits). Reading the ~46 500 rows (4.3 MB) took 51-54 ms on first use, compiled, on
 * the project's 2-CPU machine (80-150 ms while it was busy); only commands that name vendors pay it,
 * and the answers follow the system's registry as Debian updates it.
 * When the files are missing, lookups return null and {@link OuiRegistry.problem} says which Debian
 * package to install; nothing throws.
 *
 * Multicast (bit 0x01 of the first octet) and locally administered (bit 0x02) addresses have no
 * registered owner: {@link OuiRegistry.lookup} answers them with a marker (`kind` 'multicast',
 * 'broadcast' or 'local') instead of a vendor. Phones and laptops that randomise their Wi-Fi MAC
 * show up as 'local'.
 *
 * The CSV files have quoted fields with commas, doubled quotes and line breaks inside quotes; the
 * parser here handles all three (RFC 4180).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian's ieee-data package installs the registry. */
export const IEEE_DATA_DIR = '/usr/share/ieee-data';

export type OuiRegistryName = 'MA-L' | 'MA-M' | 'MA-S' | 'IAB';

/** A registered prefix and its owner. */
export interface OuiAssignment {
  readonly kind: 'registered';
  /** The organisation name as registered. */
  readonly vendor: string;
  /** The prefix in hex digits grouped by two with colons, `68:c6:3a` (24 bits), `74:1a:e0:9` (28). */
  readonly prefix: string;
  readonly bits: 24 | 28 | 36;
  readonly registry: OuiRegistryName;
}

/** An address that no registry entry names: multicast, broadcast or locally administered. */
export interface MacMarker {
  readonly kind: 'multicast' | 'broadcast' | 'local';
  /** A readable label in place of a vendor: 'locally administered (randomised?)', 'multicast (IPv6)'... */
  readonly vendor: string;
  /** The first octet (or, for well-known multicast ranges, the range) the marker is about. */
  readonly prefix: string;
  readonly bits: 8 | 16 | 24 | 48;
  readonly registry: null;
}

export type MacVendor = OuiAssignment | MacMarker;

interface RegistryFile {
  readonly name: string;
  readonly registry: OuiRegistryName;
  readonly bits: 24 | 28 | 36;
  readonly required: boolean;
}

const REGISTRY_FILES: readonly RegistryFile[] = [
  { name: 'oui.csv', registry: 'MA-L', bits: 24, required: true },
  { name: 'mam.csv', registry: 'MA-M', bits: 28, required: false },
  { name: 'oui36.csv', registry: 'MA-S', bits: 36, required: false },
  { name: 'iab.csv', registry: 'IAB', bits: 36, required: false },
];

const MAC_BITS = 48;
const FIRST_OCTET_DIVISOR = 2 ** 40;
const MULTICAST_BIT = 0x01;
const LOCAL_BIT = 0x02;
const BROADCAST = 2 ** 48 - 1;
/** 01:00:5e:00:00:00 - 01:00:5e:7f:ff:ff: IPv4 multicast (RFC 1112). */
const IPV4_MULTICAST_PREFIX_25 = 0x01005e * 2;
/** 33:33:xx:xx:xx:xx: IPv6 multicast (RFC 2464). */
const IPV6_MULTICAST_PREFIX_16 = 0x3333;
const HEX_DIGITS_PER_BIT = 1 / 4;
/** Columns of the registry CSV files: Registry, Assignment, Organization Name, Organization Address. */
const COLUMN_ASSIGNMENT = 1;
const COLUMN_ORGANIZATION = 2;

export const MISSING_REGISTRY_HINT = 'install the Debian package ieee-data (apt-get install ieee-data)';

/** Receives the first fields of one CSV record. */
type CsvVisitor = (fields: readonly string[]) => void;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Calls `visit` with the first `keep` fields of each record of an RFC 4180 CSV text: quoted fields
 * may hold commas, doubled quotes and line breaks. The fields after the first `keep` are skipped
 * without being copied. Blank lines are not records.
 */
export function forEachCsvRecord(text: string, keep: number, visit: CsvVisitor): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const fields: string[] = [];
    let atEnd = false;
    while (fields.length < keep) {
      i = readField(text, i, fields);
      const c = i < n ? text.charCodeAt(i) : LF;
      if (c === COMMA) {
        i++;
        if (i < n) continue;
        fields.push(''); // a separator at the very end: one last, empty field
      }
      atEnd = true;
      break;
    }
    i = atEnd ? endOfLine(text, i) : skipRestOfRecord(text, i);
    if (!(fields.length === 1 && fields[0] === '')) visit(fields);
  }
}

/** Reads the field starting at `i` into `fields`; returns the index of the separator after it. */
function readField(text: string, i: number, fields: string[]): number {
  const n = text.length;
  if (text.charCodeAt(i) !== QUOTE) {
    // indexOf runs natively: much faster than a loop over characters for a 3 MB registry.
    const comma = text.indexOf(',', i);
    const lf = text.indexOf('\n', i);
    let j = comma === -1 ? (lf === -1 ? n : lf) : lf === -1 ? comma : Math.min(comma, lf);
    if ((j === lf || j === n) && j > i && text.charCodeAt(j - 1) === CR) j--;
    fields.push(text.slice(i, j));
    return j;
  }
  let value = '';
  let j = i + 1;
  for (;;) {
    const close = text.indexOf('"', j);
    if (close === -1) {
      fields.push(value + text.slice(j));
      return n;
    }
    value += text.slice(j, close);
    if (text.charCodeAt(close + 1) === QUOTE) {
      value += '"';
      j = close + 2;
      continue;
    }
    fields.push(value);
    // Anything between a closing quote and the separator is dropped (malformed, but seen in the wild).
    let k = close + 1;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === COMMA || c === LF || c === CR) break;
      k++;
    }
    return k;
  }
}

/** Steps over a CR, LF or CRLF at `i`. */
function endOfLine(text: string, i: number): number {
  if (text.charCodeAt(i) === CR) i++;
  if (text.charCodeAt(i) === LF) i++;
  return i;
}

/** From inside a record, the start of the next record: quoted line breaks do not end a record. */
function skipRestOfRecord(text: string, i: number): number {
  const n = text.length;
  for (;;) {
    const lf = text.indexOf('\n', i);
    const quote = text.indexOf('"', i);
    if (quote === -1 || (lf !== -1 && lf < quote)) return lf === -1 ? n : lf + 1;
    // Step over the quoted section ("" inside it is two quotes in a row: skipped pairwise).
    const close = text.indexOf('"', quote + 1);
    if (close === -1) return n;
    i = close + 1;
  }
}

/** `68c63a` -> `68:c6:3a`, `741ae09` -> `74:1a:e0:9`. */
function formatPrefix(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += (i === 0 ? '' : ':') + hex.slice(i, i + 2);
  return out;
}

function hexPrefix(mac: number, bits: number): string {
  const digits = bits * HEX_DIGITS_PER_BIT;
  return formatPrefix(Math.floor(mac / 2 ** (MAC_BITS - bits)).toString(16).padStart(digits, '0'));
}

/** The marker for a multicast or locally administered address, or null for a unicast global one. */
export function macMarker(mac: number): MacMarker | null {
  const first = Math.floor(mac / FIRST_OCTET_DIVISOR);
  if (mac === BROADCAST) return { kind: 'broadcast', vendor: 'broadcast', prefix: 'ff:ff:ff:ff:ff:ff', bits: 48, registry: null };
  if ((first & MULTICAST_BIT) !== 0) {
    if (Math.floor(mac / 2 ** 23) === IPV4_MULTICAST_PREFIX_25) {
      return { kind: 'multicast', vendor: 'multicast (IPv4)', prefix: '01:00:5e', bits: 24, registry: null };
    }
    if (Math.floor(mac / 2 ** 32) === IPV6_MULTICAST_PREFIX_16) {
      return { kind: 'multicast', vendor: 'multicast (IPv6)', prefix: '33:33', bits: 16, registry: null };
    }
    return { kind: 'multicast', vendor: 'multicast', prefix: hexPrefix(mac, 8), bits: 8, registry: null };
  }
  if ((first & LOCAL_BIT) !== 0) {
    return { kind: 'local', vendor: 'locally administered (randomised?)', prefix: hexPrefix(mac, 8), bits: 8, registry: null };
  }
  return null;
}

export interface OuiRegistryOptions {
  /** The folder holding oui.csv (and mam.csv, oui36.csv, iab.csv); default /usr/share/ieee-data. */
  dir?: string;
}

/** The loaded IEEE registry. */
export class OuiRegistry {
  /** Folder the registry was read from. */
  readonly dir: string;
  /** Why lookups cannot name vendors (the registry is missing), with what to install; else null. */
  readonly problem: string | null;
  /** Entries read, per registry. */
  readonly counts: Readonly<Record<OuiRegistryName, number>>;
  /** Milliseconds spent reading and indexing the files. */
  readonly loadMs: number;
  /** Per prefix length: prefix (as a number) -> organisation name, and which registry it came from. */
  private readonly names: Readonly<Record<24 | 28 | 36, Map<number, string>>>;
  private readonly registryOf36: Map<number, OuiRegistryName>;

  constructor(options: OuiRegistryOptions = {}) {
    const started = performance.now();
    this.dir = options.dir ?? IEEE_DATA_DIR;
    const names: Record<24 | 28 | 36, Map<number, string>> = { 24: new Map(), 28: new Map(), 36: new Map() };
    const registryOf36 = new Map<number, OuiRegistryName>();
    const counts: Record<OuiRegistryName, number> = { 'MA-L': 0, 'MA-M': 0, 'MA-S': 0, IAB: 0 };
    let problem: string | null = null;
    for (const spec of REGISTRY_FILES) {
      const path = join(this.dir, spec.name);
      if (!existsSync(path)) {
        if (spec.required) {
          problem = `MAC vendor registry not found: ${path} is missing; ${MISSING_REGISTRY_HINT}`;
          break;
        }
        continue;
      }
      counts[spec.registry] = readRegistryFile(readFileSync(path, 'utf8'), spec, names[spec.bits], spec.bits === 36 ? registryOf36 : null);
    }
    if (problem !== null) {
      for (const map of [names[24], names[28], names[36], registryOf36]) map.clear();
    }
    this.problem = problem;
    this.counts = counts;
    this.names = names;
    this.registryOf36 = registryOf36;
    this.loadMs = performance.now() - started;
  }

  /**
   * The owner of `mac`'s prefix (a 48-bit number, as the decoders give it): the longest registered
   * prefix, or a marker for multicast, broadcast and locally administered addresses; null when the
   * prefix is not registered or the registry is missing.
   */
  lookup(mac: number): MacVendor | null {
    const marker = macMarker(mac);
    if (marker !== null) return marker;
    const p36 = Math.floor(mac / 2 ** (MAC_BITS - 36));
    const v36 = this.names[36].get(p36);
    if (v36 !== undefined) return assignment(v36, mac, 36, this.registryOf36.get(p36) ?? 'MA-S');
    const v28 = this.names[28].get(Math.floor(mac / 2 ** (MAC_BITS - 28)));
    if (v28 !== undefined) return assignment(v28, mac, 28, 'MA-M');
    const v24 = this.names[24].get(Math.floor(mac / 2 ** (MAC_BITS - 24)));
    if (v24 !== undefined) return assignment(v24, mac, 24, 'MA-L');
    return null;
  }
}

function assignment(vendor: string, mac: number, bits: 24 | 28 | 36, registry: OuiRegistryName): OuiAssignment {
  return { kind: 'registered', vendor, prefix: hexPrefix(mac, bits), bits, registry };
}

/** Adds one registry file's rows to `into` (and, for 36-bit files, their registry to `registries`). */
function readRegistryFile(
  text: string,
  spec: RegistryFile,
  into: Map<number, string>,
  registries: Map<number, OuiRegistryName> | null,
): number {
  const digits = spec.bits * HEX_DIGITS_PER_BIT;
  let count = 0;
  let header = true;
  forEachCsvRecord(text, COLUMN_ORGANIZATION + 1, (fields) => {
    if (header) {
      header = false;
      if (fields[0] === 'Registry') return;
    }
    const hex = fields[COLUMN_ASSIGNMENT] ?? '';
    const prefix = hex.length === digits ? Number(`0x${hex}`) : Number.NaN;
    if (Number.isNaN(prefix)) return;
    into.set(prefix, (fields[COLUMN_ORGANIZATION] ?? '').trim());
    if (registries !== null) registries.set(prefix, spec.registry);
    count++;
  });
  return count;
}

let system: OuiRegistry | null = null;

/** The system's registry (/usr/share/ieee-data), read on first use. */
export function systemOuiRegistry(): OuiRegistry {
  if (system === null) system = new OuiRegistry();
  return system;
}

/**
 * The registered owner of a MAC address (48-bit number), a marker for multicast, broadcast and
 * locally administered addresses, or null. Reads the system registry on the first call; when it is
 * missing every answer is null and `systemOuiRegistry().problem` says what to install.
 */
export function ouiVendor(mac: number): MacVendor | null {
  return systemOuiRegistry().lookup(mac);
}

/** Most MACs looked up one by one before {@link ouiLookup} indexes the whole registry instead. */
const FEW_LOOKUPS = 16;

/**
 * A lookup for the few MACs a home has. Indexing the whole registry (~60k rows) costs ~50 ms; a home
 * has a handful of devices, so the first {@link FEW_LOOKUPS} MACs are found by searching the
 * registry text for their prefixes (one native `indexOf` per prefix length), and only a capture
 * with more devices pays for the index. Answers are those of {@link OuiRegistry.lookup}.
 */
export function ouiLookup(dir: string = IEEE_DATA_DIR): (mac: number) => MacVendor | null {
  let texts: { spec: RegistryFile; text: string }[] | null = null;
  let registry: OuiRegistry | null = null;
  let calls = 0;
  return (mac) => {
    const marker = macMarker(mac);
    if (marker !== null) return marker;
    if (++calls > FEW_LOOKUPS || registry !== null) return (registry ??= dir === IEEE_DATA_DIR ? systemOuiRegistry() : new OuiRegistry({ dir })).lookup(mac);
    texts ??= REGISTRY_FILES.flatMap((spec) => {
      const path = join(dir, spec.name);
      return existsSync(path) ? [{ spec, text: readFileSync(path, 'utf8') }] : [];
    });
    if (!texts.some((t) => t.spec.required)) return null;
    for (const bits of [36, 28, 24] as const) {
      const hex = hexPrefix(mac, bits).replace(/[:-]/g, '').toUpperCase().slice(0, bits / 4);
      for (const { spec, text } of texts) {
        if (spec.bits !== bits) continue;
        const at = text.indexOf(`\n${spec.registry},${hex},`);
        if (at < 0) continue;
        const into = new Map<number, string>();
        readRegistryFile(`Registry,Assignment,Organization Name\n${text.slice(at + 1, lineEnd(text, at + 1))}`, spec, into, null);
        const vendor = into.values().next().value;
        if (vendor !== undefined) return assignment(vendor, mac, bits, spec.registry);
      }
    }
    return null;
  };
}

/** The end of the CSV record starting at `from` (a quoted field may hold line breaks). */
function lineEnd(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted) return i;
  }
  return text.length;
}

/**
 * For naming devices: the registered vendor of a MAC, or null. A locally administered (randomised)
 * or group address says nothing of who made the interface.
 */
export function registeredVendorLookup(dir: string = IEEE_DATA_DIR): (mac: number) => { vendor: string } | null {
  const lookup = ouiLookup(dir);
  return (mac) => {
    const found = lookup(mac);
    return found !== null && found.kind === 'registered' ? found : null;
  };
}
