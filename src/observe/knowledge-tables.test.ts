import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../core/bad-input-error.js';
import { deviceCategory, DEVICE_CATEGORIES } from './categories.js';
import { compileGlob, defaultDevicePatterns, loadDevicePatterns, parsePatterns, PATTERN_COLUMNS, type PatternContext } from './device-patterns.js';
import { KnowledgeTableError } from './knowledge-table.js';
import { defaultVendorRules, parseVendorRules } from './vendor-rules.js';
import { defaultVendorDirectory, parseVendors, VENDOR_COLUMNS, vendorKey } from './vendors.js';

const PATTERNS_HEADER = PATTERN_COLUMNS.join('\t');
const VENDORS_HEADER = VENDOR_COLUMNS.join('\t');

/** Asserts that `load` throws a one-line KnowledgeTableError naming `file:line` and matching `what`. */
function rejects(load: () => unknown, file: string, line: number, what: RegExp): void {
  assert.throws(load, (e: unknown) => {
    assert.ok(e instanceof KnowledgeTableError, String(e));
    assert.ok(e instanceof BadInputError, 'the CLI maps it to one line and exit 1');
    assert.equal(e.line, line);
    assert.ok(e.message.startsWith(`${file}:${line}: `), e.message);
    assert.ok(!e.message.includes('\n'), 'one line');
    assert.match(e.message, what);
    return true;
  });
}

test('the shipped knowledge base loads and is large enough: 300 makers with cloud names, their owners, product patterns', () => {
  const rules = defaultVendorRules();
  const vendors = defaultVendorDirectory();
  // Makers of devices: not the cloud and hosting names, not the platforms whose names devices of every maker use.
  const makers = new Set(rules.rules.filter((r) => r.category !== 'cloud' && vendors.find(r.vendor)?.role !== 'platform' && vendors.find(r.vendor)?.role !== 'module').map((r) => r.vendor));
  assert.ok(makers.size >= 300, `${makers.size} makers`);
  assert.ok(rules.rules.every((r) => r.source !== '' && r.date !== ''), 'every domain row has a source and a date');
  assert.ok(vendors.rows.every((r) => r.owner === '' || vendors.find(r.owner) !== null));
  const patterns = defaultDevicePatterns();
  for (const clue of ['dhcp_host_name', 'mac_prefix', 'mdns_service', 'mdns_txt', 'ssdp_type'] as const) {
    assert.ok(patterns.rows.some((r) => r.clue === clue), `rows for ${clue}`);
  }
  assert.ok(patterns.rows.every((r) => r.source !== '' && r.date !== ''), 'every pattern row has a source and a date');
});

test('a bad vendors row names its file and line', () => {
  const table = (...rows: string[]): string => ['# comment', VENDORS_HEADER, ...rows].join('\n');
  const ok = 'Acme\t\tmaker\tplug\tAcme Corp\thttps://acme.example\t2026-12-07';
  rejects(() => parseVendors(table(ok, 'Bolt\t\tbuilder\t\t\thttps://bolt.example\t2026-12-07'), 'v.tsv'), 'v.tsv', 4, /unknown role 'builder'/);
  rejects(() => parseVendors(table(ok, 'Cog\t\tmaker\tlamp\t\thttps://cog.example\t2026-12-07'), 'v.tsv'), 'v.tsv', 4, /unknown category 'lamp' in makes/);
  rejects(() => parseVendors(table(ok, 'Dyn\tNobody\tmaker\t\t\thttps://dyn.example\t2026-12-07'), 'v.tsv'), 'v.tsv', 4, /owner 'Nobody' is not a vendor/);
  rejects(() => parseVendors(table(ok, 'Eon\t\tmaker\t\tACME CORP.\thttps://eon.example\t2026-12-07'), 'v.tsv'), 'v.tsv', 4, /already a name of the vendor on line 3/);
  rejects(() => parseVendors(table(ok, 'Fen\t\tmaker\t\t\t\t2026-12-07'), 'v.tsv'), 'v.tsv', 4, /empty source/);
  rejects(() => parseVendors(table(ok, 'Gil\t\tmaker\t\t\thttps://gil.example\t2026-02-30'), 'v.tsv'), 'v.tsv', 4, /bad date '2026-02-30'/);
  rejects(() => parseVendors(table('Hub\t\tmaker'), 'v.tsv'), 'v.tsv', 3, /wrong number of columns: expected 7/);
  rejects(() => parseVendors('vendor\towner\n', 'v.tsv'), 'v.tsv', 1, /expected the header/);
});

test('a bad pattern row names its file and line', () => {
  const table = (...rows: string[]): string => [PATTERNS_HEADER, ...rows].join('\n');
  const row = (clue: string, pattern: string, condition = '', vendor = 'Acme', category = 'plug'): string =>
    [clue, pattern, condition, vendor, category, 'a product', 'https://acme.example', '2026-12-07'].join('\t');
  const ok = row('dhcp_host_name', 'acme-*');
  rejects(() => parsePatterns(table(ok, row('dhcp_host', 'x*')), 'p.tsv'), 'p.tsv', 3, /unknown clue 'dhcp_host'/);
  rejects(() => parsePatterns(table(ok, row('dhcp_host_name', 'acme[ab')), 'p.tsv'), 'p.tsv', 3, /bad pattern 'acme\[ab': unclosed '\['/);
  rejects(() => parsePatterns(table(ok, row('dhcp_host_name', '*')), 'p.tsv'), 'p.tsv', 3, /no literal character/);
  rejects(() => parsePatterns(table(ok, row('mdns_service', 'hue.local')), 'p.tsv'), 'p.tsv', 3, /not a service type like _hue._tcp/);
  rejects(() => parsePatterns(table(ok, row('mac_prefix', 'acme*')), 'p.tsv'), 'p.tsv', 3, /not hex digits/);
  rejects(() => parsePatterns(table(ok, row('dhcp_host_name', 'a*', 'mac=XYZ')), 'p.tsv'), 'p.tsv', 3, /bad condition 'mac=XYZ'/);
  rejects(() => parsePatterns(table(ok, row('dhcp_host_name', 'a*', 'when=now')), 'p.tsv'), 'p.tsv', 3, /bad condition 'when=now'/);
  rejects(() => parsePatterns(table(ok, row('dhcp_host_name', 'a*', '', '', '')), 'p.tsv'), 'p.tsv', 3, /names a vendor, a category or both/);
  rejects(() => parsePatterns(table(ok, row('dhcp_host_name', 'a*', '', 'Acme', 'lamp')), 'p.tsv'), 'p.tsv', 3, /unknown category 'lamp'/);
  rejects(() => parsePatterns(table(ok, row('tls_ja3', 'cd08e31494f9531f560d64c69547')), 'p.tsv'), 'p.tsv', 3, /not a JA3 fingerprint/);
  rejects(() => parsePatterns(table(ok, row('dhcp_fingerprint', '1;3;6')), 'p.tsv'), 'p.tsv', 3, /not option codes joined by commas/);
  assert.equal(parsePatterns(table(ok, row('dhcp_fingerprint', '1,3,6,15*')), 'p.tsv').length, 2);
  assert.equal(parsePatterns(table(ok, row('http_user_agent', 'Acme/*')), 'p.tsv').length, 2);
});

test('a bad row in a shipped-format folder of pattern tables names the file it is in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-patterns-'));
  try {
    writeFileSync(join(dir, 'a.tsv'), `${PATTERNS_HEADER}\ndhcp_host_name\tacme-*\t\tAcme\tplug\tp\thttps://acme.example\t2026-12-07\n`);
    writeFileSync(join(dir, 'b.tsv'), `# header comment\n${PATTERNS_HEADER}\nssdp_type\turn:acme:[\t\tAcme\t\tp\thttps://acme.example\t2026-12-07\n`);
    rejects(() => loadDevicePatterns(dir), join(dir, 'b.tsv'), 3, /unclosed '\['/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('globs match whole values, case-insensitively, with *, ? and [sets]', () => {
  const re = compileGlob('k[lps]*') as RegExp;
  assert.ok(re.test('KL130') && re.test('kp115') && !re.test('HS110') && !re.test('xkl1'));
  assert.ok((compileGlob('zengge_[0-9a-f][0-9a-f]_*') as RegExp).test('zengge_3a_light'));
  assert.ok((compileGlob('a.b?c') as RegExp).test('A.BxC') && !(compileGlob('a.b?c') as RegExp).test('aXbxc'), 'a dot is a dot');
  assert.ok((compileGlob('[!a]x') as RegExp).test('bx') && !(compileGlob('[!a]x') as RegExp).test('ax'));
});

test('a MAC condition holds for the listed prefix, or when the MAC belongs to the row vendor; an oui= condition only then', () => {
  const table = [
    PATTERNS_HEADER,
    'dhcp_host_name\ths*\tmac=50C7BF*\tTP-Link\t\tKasa\thttps://acme.example\t2026-12-07',
    'dhcp_host_name\tHS1[0-9][0-9]*\toui=TP-Link\tTP-Link\tplug\tKasa plug\thttps://acme.example\t2026-12-07',
  ].join('\n');
  const patterns = loadFrom(table);
  const ctx = (macHex: string, owner: string | null): PatternContext => ({ macHex, macOwnedBy: (v) => owner !== null && vendorKey(v) === vendorKey(owner) });
  assert.equal(patterns.match('dhcp_host_name', 'HS110(EU)', ctx('50C7BF00C703', 'TP-Link'))?.line, 3, 'the more literal row wins');
  assert.equal(patterns.match('dhcp_host_name', 'HS110(EU)', ctx('50C7BF00C703', null))?.line, 2, 'without the owner, only the prefix row holds');
  assert.equal(patterns.match('dhcp_host_name', 'hs200', ctx('50C7BF00C703', null))?.line, 2, 'the listed prefix');
  assert.equal(patterns.match('dhcp_host_name', 'hs200', ctx('AC15A2000001', 'TP-Link'))?.line, 2, "another of the maker's prefixes");
  assert.equal(patterns.match('dhcp_host_name', 'HS110', ctx('001122334455', 'Acme')), null, "a model code on another maker's MAC names nothing");
});

test("the shipped UB01 row names the Ultraloq Bridge on an Espressif MAC only", () => {
  const patterns = defaultDevicePatterns();
  const vendors = defaultVendorDirectory();
  const ctx = (macHex: string, owner: string): PatternContext => ({ macHex, macOwnedBy: (v) => vendors.sameCompany(v, owner) });
  const row = patterns.match('dhcp_host_name', 'UB01', ctx('A4CF12325B88', 'Espressif Inc.'));
  assert.equal(row?.vendor, 'U-tec');
  assert.equal(row?.category, 'hub');
  assert.match(row?.source ?? '', /tj-oconnor\/IoT-Dataset:devices\/devices\.py/);
  assert.equal(patterns.match('dhcp_host_name', 'UB01', ctx('F8B156000001', 'Dell Inc.')), null, 'a computer called UB01 is no bridge');
  assert.equal(patterns.match('dhcp_host_name', 'UB01-x', ctx('A4CF12325B88', 'Espressif Inc.')), null, 'the whole name only');
});

function loadFrom(text: string): ReturnType<typeof defaultDevicePatterns> {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-patterns-'));
  try {
    writeFileSync(join(dir, 't.tsv'), text);
    return loadDevicePatterns(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('vendors compare through their names, aliases and owners', () => {
  const v = defaultVendorDirectory();
  assert.equal(v.canonical('TP-LINK TECHNOLOGIES CO.,LTD.'), 'TP-Link');
  assert.equal(v.canonical('D-Link International'), 'D-Link');
  assert.equal(v.canonical('White Rodgers Division'), 'White Rodgers');
  assert.equal(v.find('Espressif Inc.')?.role, 'module');
  assert.ok(v.owns('Amazon', 'Blink') && v.sameCompany('Blink', 'Amazon'));
  assert.ok(v.owns('Emerson', 'White Rodgers'));
  assert.ok(!v.sameCompany('Ring', 'Google'));
  assert.equal(vendorKey('Hi-flying electronics technology Co.,Ltd'), 'hi flying');
});

test('one category taxonomy: ids, the labels of the issue and older spellings', () => {
  assert.equal(DEVICE_CATEGORIES.length, 17);
  assert.equal(deviceCategory('hub/bridge'), 'hub');
  assert.equal(deviceCategory('Speaker/Assistant'), 'speaker');
  assert.equal(deviceCategory('phone'), 'computer');
  assert.equal(deviceCategory('streamer'), 'tv');
  assert.equal(deviceCategory('garage'), 'appliance');
  assert.equal(deviceCategory('lamp'), null);
  const rules = parseVendorRules('pattern\tvendor\tcategory\tproduct\tsource\tdate\nold.example\tOld\tphone\tp\ts\t2026-12-07\n', 'r.tsv');
  assert.equal(rules[0].category, 'computer', 'a rules file written with an older spelling still loads');
});
