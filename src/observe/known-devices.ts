/**
 * What a user who knows the home says about its devices (`--known devices.tsv`): a MAC or an IP
 * address, the device's name, vendor and category. Such an entry overrides what was inferred, and
 * the output marks it as told, not inferred.
 *
 * ```
 * # device            name            vendor   category
 * 68:c6:3a:42:83:f6   hall plug       Tuya     plug
 * 192.168.1.20        front door      August   lock
 * ```
 * Columns are separated by tabs; `#` starts a comment line; a bad row names its line.
 */
import { atPlace, BadInputError } from '../core/bad-input-error.js';
import { parseIpv4, parseIpv6, parseMac, formatIpv6, formatMac, formatIpv4 } from '../core/bytes.js';
import { categoryChoices, deviceCategory } from './categories.js';

export interface KnownDevice {
  /** Canonical MAC (`aa:bb:cc:dd:ee:ff`) or address text. */
  key: string;
  name: string;
  vendor: string;
  category: string;
  line: number;
}

export class KnownDevicesError extends BadInputError {
  override readonly name = 'KnownDevicesError';
  declare readonly file: string;
  declare readonly line: number;

  constructor(file: string, line: number, what: string) {
    super(atPlace({ file, line }, what), { file, line });
  }
}

/** Parses a known-devices table; throws {@link KnownDevicesError} naming the line of a bad row. */
export function parseKnownDevices(text: string, file: string): KnownDevice[] {
  const out: KnownDevice[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const cells = raw.split('\t').map((c) => c.trim());
    if (cells.length !== 4) throw new KnownDevicesError(file, line, `expected 4 tab-separated columns (device, name, vendor, category), got ${cells.length}`);
    const [device, name, vendor, category] = cells;
    const key = canonical(device);
    if (key === null) throw new KnownDevicesError(file, line, `${JSON.stringify(device)} is neither a MAC address nor an IP address`);
    if (name === '' || vendor === '') throw new KnownDevicesError(file, line, 'the name and the vendor must not be empty');
    const known = deviceCategory(category);
    if (known === null) {
      throw new KnownDevicesError(file, line, `unknown category ${JSON.stringify(category)} (one of: ${categoryChoices()})`);
    }
    if (seen.has(key)) throw new KnownDevicesError(file, line, `${device} is listed twice`);
    seen.add(key);
    out.push({ key, name, vendor, category: known, line });
  });
  return out;
}

function canonical(text: string): string | null {
  for (const parse of [(t: string) => formatMac(parseMac(t)), (t: string) => formatIpv4(parseIpv4(t)), (t: string) => formatIpv6(parseIpv6(t), 0)]) {
    try {
      return parse(text.toLowerCase());
    } catch {
      // not this kind of address
    }
  }
  return null;
}
