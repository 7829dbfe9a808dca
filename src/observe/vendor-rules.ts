/**
 * Vendor rules: which vendor (and what kind of device) a DNS name points to, kept as data in
 * `data/vendor-rules.tsv` (described in data/README.md). A rule's pattern is a name suffix that
 * matches the name itself and every subdomain (`tuyaus.com` matches `a2.tuyaus.com`); `*.` in front
 * means subdomains only. The longest matching pattern wins; rules added with
 * {@link VendorRules.withUserRules} take precedence over the shipped table (any user match beats any
 * shipped match). Matching ignores case and a trailing dot.
 *
 * Matching is a walk over the name's label boundaries with one Map lookup per suffix, longest first,
 * so its cost grows with the number of labels in the name, not with the number of rules (about
 * 0.3 µs a name measured; the shipped table of ~150 rules loads in about 2 ms).
 *
 * Rows are validated when loaded: a bad row throws a {@link VendorRulesError} naming the file and
 * line (`data/vendor-rules.tsv:12: unknown category 'lamp' ...`). Each rule keeps its file, line and
 * source, so the device finder can cite the rule it used as evidence.
 *
 * ```ts
 * const rules = defaultVendorRules();
 * rules.match('a3.tuyaeu.com.'); // { vendor: 'Tuya', category: 'generic', pattern: 'tuyaeu.com', line: 17, ... }
 * ```
 */
import { atPlace, BadInputError } from '../core/bad-input-error.js';
import { readFileSync } from 'node:fs';
import { dataFile } from '../core/data-file.js';
import { DEVICE_CATEGORIES, deviceCategory } from './categories.js';

/** The table shipped in `data/`. */
export const VENDOR_RULES_FILE = 'vendor-rules.tsv';

/**
 * What a matching name says about the device: a category of the one taxonomy (categories.ts);
 * `generic` when the vendor is known but its products span several kinds; `cloud` when the name says
 * nothing about its maker. Older spellings (`phone`, `streamer`, `garage`) are read as their
 * taxonomy category.
 */
export const VENDOR_CATEGORIES = [...DEVICE_CATEGORIES, 'cloud', 'generic'] as const;

export type VendorCategory = (typeof VENDOR_CATEGORIES)[number];

/** The columns of a rules table, in order. */
export const VENDOR_RULE_COLUMNS = ['pattern', 'vendor', 'category', 'product', 'source', 'date'] as const;

const HEADER_LINE = VENDOR_RULE_COLUMNS.join('\t');
const CATEGORY_SET: ReadonlySet<string> = new Set(VENDOR_CATEGORIES);
const SUBDOMAINS_ONLY_PREFIX = '*.';
const MAX_NAME_CHARS = 253;
const MAX_LABEL_CHARS = 63;
const MIN_PATTERN_LABELS = 2;
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface VendorRule {
  /** The pattern as written (lower-cased), `*.` included. */
  readonly pattern: string;
  /** The pattern without `*.`: the suffix looked up. */
  readonly suffix: string;
  /** True for `*.` patterns: they match subdomains of `suffix`, not `suffix` itself. */
  readonly subdomainsOnly: boolean;
  readonly vendor: string;
  readonly category: VendorCategory;
  readonly product: string;
  /** Where the knowledge comes from (pages, repository files, captures; ` ; ` between several). */
  readonly source: string;
  /** The day the row was checked (YYYY-MM-DD), or '' when the row does not say. */
  readonly date: string;
  /** The file the rule was read from, as given to the loader, and its 1-based line. */
  readonly file: string;
  readonly line: number;
  /** True when the rule came from {@link VendorRules.withUserRules}. */
  readonly user: boolean;
}

/** A bad rules table: names the file and line, and says what is wrong. */
export class VendorRulesError extends BadInputError {
  override readonly name = 'VendorRulesError';
  declare readonly file: string;
  declare readonly line: number;

  constructor(file: string, line: number, problem: string) {
    super(atPlace({ file, line }, problem), { file, line });
  }
}

/** The rules that share one suffix: one for the name itself and below, one for subdomains only. */
interface SuffixSlot {
  self: VendorRule | null;
  sub: VendorRule | null;
}

type SuffixMap = Map<string, SuffixSlot>;

/**
 * Parses a rules table: a header line `pattern<TAB>vendor<TAB>category<TAB>product<TAB>source<TAB>date`,
 * then one rule a line; blank lines and `#` comments are skipped. Throws {@link VendorRulesError}.
 */
export function parseVendorRules(text: string, file: string, user = false): VendorRule[] {
  const rules: VendorRule[] = [];
  const firstLine = new Map<string, number>();
  let header = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!header) {
      if (line.trim() !== HEADER_LINE) {
        throw new VendorRulesError(file, lineNo, `expected the header "${VENDOR_RULE_COLUMNS.join('<TAB>')}"`);
      }
      header = true;
      continue;
    }
    const rule = parseRow(line, file, lineNo, user);
    const seen = firstLine.get(rule.pattern);
    if (seen !== undefined) throw new VendorRulesError(file, lineNo, `duplicate pattern '${rule.pattern}' (first on line ${seen})`);
    firstLine.set(rule.pattern, lineNo);
    rules.push(rule);
  }
  if (!header) throw new VendorRulesError(file, lines.length, `no header line "${VENDOR_RULE_COLUMNS.join('<TAB>')}"`);
  return rules;
}

function parseRow(line: string, file: string, lineNo: number, user: boolean): VendorRule {
  const cells = line.split('\t').map((cell) => cell.trim());
  if (cells.length !== VENDOR_RULE_COLUMNS.length) {
    throw new VendorRulesError(
      file,
      lineNo,
      `wrong number of columns: expected ${VENDOR_RULE_COLUMNS.length} (${VENDOR_RULE_COLUMNS.join(', ')}) separated by tabs, got ${cells.length}`,
    );
  }
  const [rawPattern, vendor, category, product, source, date] = cells;
  const pattern = rawPattern.toLowerCase();
  const subdomainsOnly = pattern.startsWith(SUBDOMAINS_ONLY_PREFIX);
  const suffix = subdomainsOnly ? pattern.slice(SUBDOMAINS_ONLY_PREFIX.length) : pattern;
  const patternProblem = suffixProblem(suffix);
  if (patternProblem !== null) throw new VendorRulesError(file, lineNo, `bad pattern '${rawPattern}': ${patternProblem}`);
  if (vendor === '') throw new VendorRulesError(file, lineNo, `empty vendor for pattern '${rawPattern}'`);
  const known = CATEGORY_SET.has(category) ? category : deviceCategory(category);
  if (known === null) {
    throw new VendorRulesError(file, lineNo, `unknown category '${category}' (expected one of ${VENDOR_CATEGORIES.join(', ')})`);
  }
  if (date !== '' && !isCalendarDate(date)) throw new VendorRulesError(file, lineNo, `bad date '${date}' (expected YYYY-MM-DD)`);
  return {
    pattern,
    suffix,
    subdomainsOnly,
    vendor,
    category: known as VendorCategory,
    product,
    source,
    date,
    file,
    line: lineNo,
    user,
  };
}

/** Why a (lower-case) suffix is not a DNS name of at least two labels, or null when it is one. */
function suffixProblem(suffix: string): string | null {
  if (suffix === '') return 'empty';
  if (suffix.length > MAX_NAME_CHARS) return `longer than ${MAX_NAME_CHARS} characters`;
  const labels = suffix.split('.');
  if (labels.length < MIN_PATTERN_LABELS) return `needs at least ${MIN_PATTERN_LABELS} labels (a pattern like 'com' would match everything under it)`;
  for (const label of labels) {
    if (label === '') return 'empty label (leading, trailing or doubled dot)';
    if (label.length > MAX_LABEL_CHARS) return `label '${label.slice(0, 16)}...' longer than ${MAX_LABEL_CHARS} characters`;
    if (label.includes('*')) return "'*' is only allowed as '*.' at the start";
    if (!LABEL_RE.test(label)) return `label '${label}' is not letters, digits and inner hyphens`;
  }
  return null;
}

function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function indexRules(rules: readonly VendorRule[]): SuffixMap {
  const map: SuffixMap = new Map();
  for (const rule of rules) {
    let slot = map.get(rule.suffix);
    if (slot === undefined) {
      slot = { self: null, sub: null };
      map.set(rule.suffix, slot);
    }
    if (rule.subdomainsOnly) slot.sub = rule;
    else slot.self = rule;
  }
  return map;
}

/**
 * The longest rule in `map` matching `name` (already lower-case, no trailing dot): at the name
 * itself only a plain pattern matches; at each shorter suffix a `*.` pattern is preferred to a plain
 * one (it is the more specific of the two).
 */
function lookup(map: SuffixMap, name: string): VendorRule | null {
  const whole = map.get(name);
  if (whole !== undefined && whole.self !== null) return whole.self;
  let dot = name.indexOf('.');
  while (dot !== -1) {
    const slot = map.get(name.slice(dot + 1));
    if (slot !== undefined) {
      if (slot.sub !== null) return slot.sub;
      if (slot.self !== null) return slot.self;
    }
    dot = name.indexOf('.', dot + 1);
  }
  return null;
}

/** Lower-cases a DNS name and drops one trailing dot. */
function normalizeName(name: string): string {
  const end = name.endsWith('.') ? name.length - 1 : name.length;
  return (end === name.length ? name : name.slice(0, end)).toLowerCase();
}

/** A loaded set of rules: the shipped table, possibly with user rules on top. */
export class VendorRules {
  /** Every rule, highest precedence first (user rules, then the shipped table). */
  readonly rules: readonly VendorRule[];
  /** Layers looked up in order; the first layer with a match wins. */
  private readonly layers: readonly SuffixMap[];

  private constructor(rules: readonly VendorRule[], layers: readonly SuffixMap[]) {
    this.rules = rules;
    this.layers = layers;
  }

  /** Rules from parsed rows (one layer). */
  static fromRules(rules: readonly VendorRule[]): VendorRules {
    return new VendorRules(rules, [indexRules(rules)]);
  }

  /** The rule that names `name`'s vendor, or null. Case-insensitive; a trailing dot is ignored. */
  match(name: string): VendorRule | null {
    const key = normalizeName(name);
    if (key === '') return null;
    for (const layer of this.layers) {
      const rule = lookup(layer, key);
      if (rule !== null) return rule;
    }
    return null;
  }

  /**
   * These rules with the user's rules (same format; source and date may be empty) on top: a name a
   * user rule matches is named by the user rule, even where a shipped rule matches a longer suffix.
   */
  withUserRules(text: string, file: string): VendorRules {
    const user = parseVendorRules(text, file, true);
    return new VendorRules([...user, ...this.rules], [indexRules(user), ...this.layers]);
  }

  /** The distinct vendors the rules name, sorted. */
  vendors(): string[] {
    return [...new Set(this.rules.map((rule) => rule.vendor))].sort();
  }
}

/** Parses and validates a rules table. Throws {@link VendorRulesError} naming the bad line. */
export function loadVendorRules(text: string, file: string): VendorRules {
  return VendorRules.fromRules(parseVendorRules(text, file));
}

let shipped: VendorRules | null = null;

/** The table shipped in `data/vendor-rules.tsv`, read and validated once. */
export function defaultVendorRules(): VendorRules {
  if (shipped === null) {
    const file = dataFile(VENDOR_RULES_FILE);
    shipped = loadVendorRules(readFileSync(file, 'utf8'), file);
  }
  return shipped;
}
