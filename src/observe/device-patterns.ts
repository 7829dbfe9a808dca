/**
 * Product patterns: what a device's own names say it is, kept as data in `data/patterns/*.tsv` — the
 * DHCP host names and vendor classes makers' firmware sends, the mDNS service types and instance
 * names devices announce, the SSDP server strings and UPnP device types they advertise. Each row maps
 * one clue's value (a glob, as the discovery matchers of home-automation projects write them) to a
 * vendor, a category and a product, with its source and date; some rows add a condition (the MAC's
 * prefix, an mDNS instance name, a TXT key) that must hold too.
 *
 * ```
 * clue            pattern    condition    vendor   category  product                     source  date
 * dhcp_host_name  hs*        mac=50C7BF*  TP-Link  plug      Kasa HS100/HS110 smart plug  ...
 * mdns_service    _hue._tcp               Philips Hue hub    Hue Bridge                   ...
 * ```
 *
 * Globs match the whole value, case-insensitively: `*` any run of characters, `?` one, `[abc]` /
 * `[a-f]` one of a set (`[!a]` / `[^a]` none of it). A `mac=` condition holds when the device's MAC
 * starts with the hex prefix, or when the MAC's registered owner is the row's vendor (or a brand of
 * its owner): the discovery matchers list the prefixes their authors saw, and a maker's other prefixes
 * give the same assurance. An `oui=VENDOR` condition holds when the MAC's registered owner is that
 * vendor's company (a model code like `HS110` names a TP-Link plug only on a TP-Link MAC). Clue
 * kinds no decoder fills yet (`ssdp_manufacturer`, `ssdp_model`: the UPnP description, fetched
 * from the LOCATION on a port of the device's choosing) are loaded and validated, so their rows apply
 * as soon as the clue is decoded. `dhcp_fingerprint` (option 55, `1,3,6,15`), `http_user_agent` and
 * `tls_ja3` (the ClientHello's JA3 fingerprint) are matched like the others.
 *
 * Rows are validated when loaded: a bad row throws a {@link KnowledgeTableError} naming its file and
 * line. Matching costs one compiled regular expression test per row of the clue's kind (a few
 * hundred), for each distinct value a device sent: identification runs once per device, not per packet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFile } from '../core/data-file.js';
import { categoryChoices, deviceCategory, type DeviceCategory } from './categories.js';
import { readTable, type RowPlace } from './knowledge-table.js';

export const PATTERNS_DIR = 'patterns';
export const PATTERN_COLUMNS = ['clue', 'pattern', 'condition', 'vendor', 'category', 'product', 'source', 'date'] as const;

/** The clues a pattern row can be about. */
export const PATTERN_CLUES = [
  'mac_prefix',
  'dhcp_host_name',
  'dhcp_vendor_class',
  'mdns_service',
  'mdns_name',
  'mdns_txt',
  'ssdp_server',
  'ssdp_type',
  'ssdp_manufacturer',
  'ssdp_model',
  'dhcp_fingerprint',
  'http_user_agent',
  'tls_ja3',
] as const;
export type PatternClue = (typeof PATTERN_CLUES)[number];

export interface PatternRow extends RowPlace {
  readonly clue: PatternClue;
  readonly pattern: string;
  /** '' or `mac=HEX*`, `name=GLOB`, `txt:KEY=GLOB` as written. */
  readonly condition: string;
  /** '' when the row says what the device is but not who made it (`_ipp._tcp`: a printer). */
  readonly vendor: string;
  /** null: the row names the maker (or module) only. */
  readonly category: DeviceCategory | null;
  readonly product: string;
  readonly source: string;
  readonly date: string;
  /** Literal characters in the pattern: among matching rows, the more literal one is the more specific. */
  readonly specificity: number;
}

interface CompiledRow {
  readonly row: PatternRow;
  readonly re: RegExp;
  readonly macPrefix: string | null;
  readonly ouiVendor: string | null;
  readonly name: RegExp | null;
  readonly txt: { key: string; value: RegExp } | null;
}

/** What a device offers besides the value matched, for the rows' conditions. */
export interface PatternContext {
  /** The device's MAC as 12 hex digits, upper case, or null. */
  readonly macHex: string | null;
  /** True when `vendor` made the device's MAC (its registered owner is that vendor, or a brand of its owner). */
  readonly macOwnedBy: (vendor: string) => boolean;
  /** The mDNS instance names the device announced (for `name=` conditions). */
  readonly mdnsInstances?: readonly string[];
  /** TXT key=value pairs the device announced (for `txt:` conditions), when decoded. */
  readonly txt?: ReadonlyMap<string, string>;
}

/**
 * A glob as a whole-string, case-insensitive regular expression; a reason (a string) when it is not
 * one (an unclosed `[`, an empty one).
 */
export function compileGlob(glob: string): RegExp | string {
  const source = globSource(glob);
  return source.ok ? new RegExp(source.re, 'is') : source.problem;
}

/** The regular expression source of a glob, built without compiling it (tables are checked on load). */
function globSource(glob: string): { ok: true; re: string } | { ok: false; problem: string } {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) return { ok: false, problem: `unclosed '[' at character ${i + 1}` };
      let set = glob.slice(i + 1, close);
      let negate = false;
      if (set.startsWith('!') || set.startsWith('^')) {
        negate = true;
        set = set.slice(1);
      }
      if (set === '') return { ok: false, problem: `empty '[]' at character ${i + 1}` };
      re += `[${negate ? '^' : ''}${set.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\/\]]/g, (m) => `\\${m}`);
  }
  return { ok: true, re: `^${re}$` };
}

function literalCount(glob: string): number {
  return glob.replace(/\[[^\]]*\]/g, '#').replace(/[*?]/g, '').length;
}

/** Parses and validates one patterns table; throws {@link KnowledgeTableError} naming the bad line. */
export function parsePatterns(text: string, file: string): PatternRow[] {
  return readTable(text, file, PATTERN_COLUMNS, (c, fail, place) => {
    const clue = c.clue as PatternClue;
    if (!(PATTERN_CLUES as readonly string[]).includes(clue)) fail(`unknown clue '${c.clue}' (expected one of ${PATTERN_CLUES.join(', ')})`);
    if (c.pattern === '') fail('empty pattern');
    const glob = globSource(c.pattern);
    if (!glob.ok) fail(`bad pattern '${c.pattern}': ${glob.problem}`);
    if (literalCount(c.pattern) === 0) fail(`pattern '${c.pattern}' has no literal character: it would match every ${clue}`);
    if (clue === 'mdns_service' && !/^_[^.]+\._(tcp|udp)$/i.test(c.pattern)) fail(`mdns_service pattern '${c.pattern}' is not a service type like _hue._tcp`);
    const problem = conditionProblem(c.condition);
    if (problem !== null) fail(problem);
    if (clue === 'mac_prefix' && !/^[0-9A-Fa-f]{2,12}\*?$/.test(c.pattern)) fail(`mac_prefix pattern '${c.pattern}' is not hex digits and a '*' (like D073D5*)`);
    if (clue === 'dhcp_fingerprint' && !/^\d{1,3}(,\d{1,3})*\*?$/.test(c.pattern)) fail(`dhcp_fingerprint pattern '${c.pattern}' is not option codes joined by commas (like 1,3,6,15,28)`);
    if (clue === 'tls_ja3' && !/^[0-9a-f]{32}$/.test(c.pattern)) fail(`tls_ja3 pattern '${c.pattern}' is not a JA3 fingerprint (32 lower-case hex digits)`);
    if (c.vendor === '' && c.category === '') fail('a row names a vendor, a category or both: both are empty');
    let category: DeviceCategory | null = null;
    if (c.category !== '') {
      category = deviceCategory(c.category);
      if (category === null) fail(`unknown category '${c.category}' (expected one of ${categoryChoices()}, or empty)`);
    }
    return { ...place, clue, pattern: c.pattern, condition: c.condition, vendor: c.vendor, category, product: c.product, source: c.source, date: c.date, specificity: literalCount(c.pattern) };
  });
}

function conditionProblem(condition: string): string | null {
  if (condition === '') return null;
  const mac = /^mac=([0-9A-Fa-f]{2,12})\*?$/.exec(condition);
  if (mac !== null) return null;
  if (/^oui=\S.*$/.test(condition)) return null;
  if (condition.startsWith('mac=')) return `bad condition '${condition}': expected mac=HEX* (2 to 12 hex digits)`;
  const name = /^name=(.+)$/.exec(condition);
  if (name !== null) return globSource(name[1]).ok ? null : `bad condition '${condition}': bad glob`;
  const txt = /^txt:([^=\s]+)=(.+)$/.exec(condition);
  if (txt !== null) return globSource(txt[2]).ok ? null : `bad condition '${condition}': bad glob`;
  return `bad condition '${condition}': expected '', mac=HEX*, oui=VENDOR, name=GLOB or txt:KEY=GLOB`;
}

function compile(row: PatternRow): CompiledRow {
  const re = compileGlob(row.pattern) as RegExp;
  const mac = /^mac=([0-9A-Fa-f]+)\*?$/.exec(row.condition);
  const oui = /^oui=(.+)$/.exec(row.condition);
  const name = /^name=(.+)$/.exec(row.condition);
  const txt = /^txt:([^=\s]+)=(.+)$/.exec(row.condition);
  return {
    row,
    re,
    macPrefix: mac ? mac[1].toUpperCase() : null,
    ouiVendor: oui ? oui[1] : null,
    name: name ? (compileGlob(name[1]) as RegExp) : null,
    txt: txt ? { key: txt[1].toLowerCase(), value: compileGlob(txt[2]) as RegExp } : null,
  };
}

/** The loaded pattern tables, by clue kind. */
export class DevicePatterns {
  readonly rows: readonly PatternRow[];
  /** Each clue's rows, compiled on the first match of that clue: most captures show a few kinds of clue. */
  private readonly byClue = new Map<PatternClue, CompiledRow[]>();

  constructor(rows: readonly PatternRow[]) {
    this.rows = rows;
  }

  private compiled(clue: PatternClue): CompiledRow[] {
    let list = this.byClue.get(clue);
    if (list === undefined) this.byClue.set(clue, (list = this.rows.filter((r) => r.clue === clue).map(compile)));
    return list;
  }

  /**
   * The most specific row of kind `clue` whose pattern matches `value` and whose condition holds: a
   * row whose MAC prefix matches beats one held by the MAC's owner, then the more literal pattern
   * wins, then the earlier row. Null when none matches.
   */
  match(clue: PatternClue, value: string, ctx: PatternContext): PatternRow | null {
    const list = this.compiled(clue);
    let best: CompiledRow | null = null;
    let bestRank = -1;
    for (const c of list) {
      if (!c.re.test(value)) continue;
      let rank = c.row.specificity * 2;
      if (c.macPrefix !== null) {
        if (ctx.macHex !== null && ctx.macHex.startsWith(c.macPrefix)) rank += 1;
        else if (!ctx.macOwnedBy(c.row.vendor)) continue;
      }
      if (c.ouiVendor !== null && !ctx.macOwnedBy(c.ouiVendor)) continue;
      if (c.name !== null && !(ctx.mdnsInstances ?? []).some((n) => c.name!.test(n))) continue;
      if (c.txt !== null) {
        const v = ctx.txt?.get(c.txt.key);
        if (v === undefined || !c.txt.value.test(v)) continue;
      }
      if (rank > bestRank) {
        best = c;
        bestRank = rank;
      }
    }
    return best?.row ?? null;
  }
}

/** Parses and validates the tables in `dir` (every `*.tsv`, in name order). */
export function loadDevicePatterns(dir: string): DevicePatterns {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort();
  return new DevicePatterns(files.flatMap((f) => parsePatterns(readFileSync(join(dir, f), 'utf8'), join(dir, f))));
}

let shipped: DevicePatterns | null = null;

/** The tables shipped in `data/patterns/`, read and validated once. */
export function defaultDevicePatterns(): DevicePatterns {
  shipped ??= loadDevicePatterns(dataFile(PATTERNS_DIR));
  return shipped;
}
