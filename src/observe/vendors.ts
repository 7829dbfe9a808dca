/**
 * Who is who among device makers, kept as data in `data/vendors.tsv`: each brand's name as verdicts
 * spell it, the company that owns it, what role it plays on a home network, the one category it
 * makes when it makes only one, and the other names it goes by (the IEEE registry's organisation
 * names, older spellings). Identification reads it to turn a MAC's registered owner into a brand, to
 * tell a chip or module maker (whose OUI or default host name says nothing of the device's brand)
 * from a device maker, and to count a parent company's names as agreeing with its brand; the
 * evaluation reads it to compare vendors ("TP-LINK TECHNOLOGIES CO.,LTD." is TP-Link; a Blink camera
 * named by Amazon, Blink's owner, is named right).
 *
 * | role | what its names and OUI say |
 * | --- | --- |
 * | `maker` | it made the device |
 * | `platform` | a company whose general services (search, app stores, time, connectivity checks) devices of every maker use: its general names say little of who made the device; its specific device names and its OUI still do |
 * | `module` | it makes chips or Wi-Fi modules other makers build in (Espressif, Texas Instruments): its OUI and its SDK's default host name never name the device's brand |
 * | `odm` | it builds devices sold under other brands: its OUI is weak evidence of the brand |
 *
 * ```ts
 * const v = defaultVendorDirectory();
 * v.find('TP-LINK TECHNOLOGIES CO.,LTD.')?.vendor; // 'TP-Link'
 * v.sameCompany('Blink', 'Amazon'); // true: Amazon owns Blink
 * ```
 */
import { dataFile } from '../core/data-file.js';
import { readFileSync } from 'node:fs';
import { deviceCategory, categoryChoices, type DeviceCategory } from './categories.js';
import { KnowledgeTableError, readTable, type RowPlace } from './knowledge-table.js';

export const VENDORS_FILE = 'vendors.tsv';
export const VENDOR_COLUMNS = ['vendor', 'owner', 'role', 'makes', 'aliases', 'source', 'date'] as const;
export const VENDOR_ROLES = ['maker', 'platform', 'module', 'odm'] as const;
export type VendorRole = (typeof VENDOR_ROLES)[number];

export interface VendorRow extends RowPlace {
  readonly vendor: string;
  /** The company that owns the brand, as another row's vendor; '' when it owns itself. */
  readonly owner: string;
  readonly role: VendorRole;
  /** The category of every networked product it makes, when it makes one kind; else null. */
  readonly makes: DeviceCategory | null;
  /** Other names (registry organisation names, spellings), as written. */
  readonly aliases: readonly string[];
  readonly source: string;
  readonly date: string;
}

/**
 * Words that end company names without naming them ("Co., Ltd.", "GmbH", "Technologies"), dropped
 * from the end of a name before names are compared.
 */
const SUFFIX_WORDS: ReadonlySet<string> = new Set(
  (
    'inc incorporated corp corporation co company ltd limited llc lp gmbh ag sa sas sarl bv nv plc pte pty oy ab as aps kg ' +
    'kk srl spa se group holding holdings international intl technology technologies tech electronics electronic ' +
    'industrial industries manufacturing mfg trading the and of'
  ).split(' '),
);

/**
 * A name as compared: lower case, `&` as "and", every run of other characters a space, corporate
 * words dropped from the end ("TP-LINK TECHNOLOGIES CO.,LTD." -> "tp link").
 */
export function vendorKey(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9\u00c0-\uffff]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  while (words.length > 1 && SUFFIX_WORDS.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}

/** Parses and validates a vendors table; throws {@link KnowledgeTableError} naming the bad line. */
export function parseVendors(text: string, file: string): VendorRow[] {
  const seen = new Map<string, number>();
  const rows = readTable(text, file, VENDOR_COLUMNS, (c, fail, place) => {
    if (c.vendor === '') fail('empty vendor');
    const role = c.role as VendorRole;
    if (!(VENDOR_ROLES as readonly string[]).includes(role)) fail(`unknown role '${c.role}' (expected one of ${VENDOR_ROLES.join(', ')})`);
    let makes: DeviceCategory | null = null;
    if (c.makes !== '') {
      makes = deviceCategory(c.makes);
      if (makes === null) fail(`unknown category '${c.makes}' in makes (expected one of ${categoryChoices()})`);
    }
    const aliases = c.aliases === '' ? [] : c.aliases.split(';').map((a) => a.trim());
    if (aliases.some((a) => vendorKey(a) === '')) fail(`an empty alias in '${c.aliases}' (aliases are separated by ';')`);
    for (const name of [c.vendor, ...aliases]) {
      const key = vendorKey(name);
      const first = seen.get(key);
      if (first !== undefined && first !== place.line) fail(`'${name}' is already a name of the vendor on line ${first}`);
      seen.set(key, place.line);
    }
    return { ...place, vendor: c.vendor, owner: c.owner, role, makes, aliases, source: c.source, date: c.date };
  });
  const byName = new Map(rows.map((r) => [vendorKey(r.vendor), r]));
  for (const r of rows) {
    if (r.owner !== '' && !byName.has(vendorKey(r.owner))) {
      throw new KnowledgeTableError(file, r.line, `owner '${r.owner}' is not a vendor of this table (add a row for it)`);
    }
  }
  return rows;
}

/** The loaded vendors table, looked up by any name a vendor goes by. */
export class VendorDirectory {
  readonly rows: readonly VendorRow[];
  /** Each name's key -> its row; a registry name also matches a longer name it begins ("white rodgers" in "white rodgers division"). */
  private readonly byKey = new Map<string, VendorRow>();
  private readonly cache = new Map<string, VendorRow | null>();

  constructor(rows: readonly VendorRow[]) {
    this.rows = rows;
    for (const r of rows) for (const name of [r.vendor, ...r.aliases]) this.byKey.set(vendorKey(name), r);
  }

  /**
   * The row of the vendor `name` names: its vendor name or an alias, compared as {@link vendorKey}s,
   * or the longest of them that begins the name at a word boundary ("Espressif Inc." is Espressif,
   * "Shanghai Xiaodu Technology Limited" is Xiaodu's alias "Shanghai Xiaodu"); null when none does.
   */
  find(name: string): VendorRow | null {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const key = vendorKey(name);
    let found = this.byKey.get(key) ?? null;
    if (found === null) {
      const words = key.split(' ');
      for (let n = words.length - 1; n >= 1 && found === null; n--) found = this.byKey.get(words.slice(0, n).join(' ')) ?? null;
    }
    this.cache.set(name, found);
    return found;
  }

  /** The brand's name as verdicts spell it: the row's vendor, or the name itself when no row names it. */
  canonical(name: string): string {
    return this.find(name)?.vendor ?? name;
  }

  /** The company at the top of `name`'s ownership chain (itself when it has no owner). */
  company(name: string): string {
    let row = this.find(name);
    if (row === null) return vendorKey(name);
    for (let hops = 0; row.owner !== '' && hops < 8; hops++) row = this.find(row.owner) ?? row;
    return vendorKey(row.vendor);
  }

  /** True when the two names are one brand, or brands of one company (Blink and Amazon). */
  sameCompany(a: string, b: string): boolean {
    return this.company(a) === this.company(b);
  }

  /** True when `owner` owns `brand`, directly or through a chain of owners. */
  owns(owner: string, brand: string): boolean {
    const ownerKey = vendorKey(this.canonical(owner));
    let row = this.find(brand);
    for (let hops = 0; row !== null && row.owner !== '' && hops < 8; hops++) {
      if (vendorKey(row.owner) === ownerKey) return true;
      row = this.find(row.owner);
    }
    return false;
  }
}

/** Parses and validates a vendors table into a directory. */
export function loadVendorDirectory(text: string, file: string): VendorDirectory {
  return new VendorDirectory(parseVendors(text, file));
}

let shipped: VendorDirectory | null = null;

/** The table shipped in `data/vendors.tsv`, read and validated once. */
export function defaultVendorDirectory(): VendorDirectory {
  if (shipped === null) {
    const file = dataFile(VENDORS_FILE);
    shipped = loadVendorDirectory(readFileSync(file, 'utf8'), file);
  }
  return shipped;
}
