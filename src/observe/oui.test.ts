import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMac } from '../core/bytes.js';
import { IEEE_DATA_DIR, OuiRegistry, forEachCsvRecord, macMarker, ouiLookup, ouiVendor, systemOuiRegistry } from './oui.js';

const HAVE_IEEE_DATA = existsSync(join(IEEE_DATA_DIR, 'oui.csv'));
/** Without the registry the system tests are skipped, except under CI where it must be installed. */
const NEEDS_IEEE_DATA = { skip: !HAVE_IEEE_DATA && !process.env.CI ? 'ieee-data is not installed' : false };

const scratch = mkdtempSync(join(tmpdir(), 'peephole-oui-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function records(text: string, keep = 4): string[][] {
  const out: string[][] = [];
  forEachCsvRecord(text, keep, (fields) => out.push([...fields]));
  return out;
}

test('forEachCsvRecord() reads quoted fields with commas, doubled quotes and line breaks', () => {
  const text = [
    'Registry,Assignment,Organization Name,Organization Address',
    'MA-L,A047D7,Best IT World (India) Pvt Ltd,"87, Mistry Complex,, Midc Cross Road ""A"", Andheri-East Mumbai IN 400093 "',
    'MA-L,001EFC,"JSC ""MASSA-K""","15, A, Pirogovskaya nab. RU 194044 "',
    'MA-L,ABCDEF,"Line, Break Inc.","Room 1',
    'Building 2',
    'City CN 610000 "',
    '',
    'MA-L,123456,Plain,',
  ].join('\n');
  assert.deepEqual(records(text), [
    ['Registry', 'Assignment', 'Organization Name', 'Organization Address'],
    ['MA-L', 'A047D7', 'Best IT World (India) Pvt Ltd', '87, Mistry Complex,, Midc Cross Road "A", Andheri-East Mumbai IN 400093 '],
    ['MA-L', '001EFC', 'JSC "MASSA-K"', '15, A, Pirogovskaya nab. RU 194044 '],
    ['MA-L', 'ABCDEF', 'Line, Break Inc.', 'Room 1\nBuilding 2\nCity CN 610000 '],
    ['MA-L', '123456', 'Plain', ''],
  ]);
});

test('forEachCsvRecord() keeps only the first fields asked for and still skips quoted line breaks after them', () => {
  const text = 'a,b,"c1\nc2",d\r\ne,"f, g",h\r\n';
  assert.deepEqual(records(text, 2), [
    ['a', 'b'],
    ['e', 'f, g'],
  ]);
  assert.deepEqual(records('x,y', 3), [['x', 'y']]);
  assert.deepEqual(records('x,y,', 3), [['x', 'y', '']]);
  assert.deepEqual(records('x,', 4), [['x', '']]);
  assert.deepEqual(records('\n\r\nx\r', 4), [['x']]);
});

test('macMarker() marks broadcast, IPv4 and IPv6 multicast, other multicast and locally administered addresses', () => {
  assert.deepEqual(macMarker(parseMac('ff:ff:ff:ff:ff:ff')), { kind: 'broadcast', vendor: 'broadcast', prefix: 'ff:ff:ff:ff:ff:ff', bits: 48, registry: null });
  assert.deepEqual(macMarker(parseMac('01:00:5e:00:00:fb')), { kind: 'multicast', vendor: 'multicast (IPv4)', prefix: '01:00:5e', bits: 24, registry: null });
  assert.equal(macMarker(parseMac('01:00:5e:80:00:01'))?.vendor, 'multicast', '01:00:5e:80.. is outside the IPv4 range');
  assert.deepEqual(macMarker(parseMac('33:33:00:00:00:fb')), { kind: 'multicast', vendor: 'multicast (IPv6)', prefix: '33:33', bits: 16, registry: null });
  assert.deepEqual(macMarker(parseMac('01:80:c2:00:00:0e')), { kind: 'multicast', vendor: 'multicast', prefix: '01', bits: 8, registry: null });
  assert.deepEqual(macMarker(parseMac('da:a1:19:6b:2c:01')), {
    kind: 'local',
    vendor: 'locally administered (randomised?)',
    prefix: 'da',
    bits: 8,
    registry: null,
  });
  assert.equal(macMarker(parseMac('02:00:00:00:00:01'))?.kind, 'local');
  assert.equal(macMarker(parseMac('68:c6:3a:42:83:f6')), null);
  assert.equal(macMarker(parseMac('00:00:00:00:00:00')), null);
});

test('a registry folder without oui.csv gives null for every unicast address and says which package to install', () => {
  const registry = new OuiRegistry({ dir: join(scratch, 'no-such-folder') });
  assert.match(registry.problem ?? '', /no-such-folder\/oui\.csv is missing; install the Debian package ieee-data \(apt-get install ieee-data\)/);
  assert.equal(registry.lookup(parseMac('68:c6:3a:42:83:f6')), null);
  assert.equal(registry.lookup(parseMac('da:a1:19:6b:2c:01'))?.kind, 'local', 'markers need no registry');
  assert.deepEqual(registry.counts, { 'MA-L': 0, 'MA-M': 0, 'MA-S': 0, IAB: 0 });
});

test('the registry files of a folder are combined: the longest prefix wins and malformed assignments are skipped', () => {
  const dir = join(scratch, 'small');
  const header = 'Registry,Assignment,Organization Name,Organization Address\r\n';
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'oui.csv'),
    header +
      'MA-L,70B3D5,IEEE Registration Authority,445 Hoes Lane Piscataway NJ US 08554 \r\n' +
      'MA-L,683A48,"SAMJIN Co., Ltd.","199-6, Anyang 7-dong\r\nAnyang-si KR 430-817 "\r\n' +
      'MA-L,ZZZZZZ,Not hex,\r\n' +
      'MA-L,1234,Too short,\r\n',
  );
  writeFileSync(join(dir, 'mam.csv'), header + 'MA-M,70B3D51,Twenty-eight bits Ltd,somewhere\r\n');
  writeFileSync(join(dir, 'oui36.csv'), header + 'MA-S,70B3D5F2F,TELEPLATFORMS,"Polbina st., 3/1 Moscow  RU 109388 "\r\n');
  // No iab.csv: the optional files may be missing.
  const registry = new OuiRegistry({ dir });
  assert.equal(registry.problem, null);
  assert.deepEqual(registry.counts, { 'MA-L': 2, 'MA-M': 1, 'MA-S': 1, IAB: 0 });
  assert.deepEqual(registry.lookup(parseMac('68:3a:48:13:27:04')), { kind: 'registered', vendor: 'SAMJIN Co., Ltd.', prefix: '68:3a:48', bits: 24, registry: 'MA-L' });
  assert.deepEqual(registry.lookup(parseMac('70:b3:d5:f2:f0:01')), { kind: 'registered', vendor: 'TELEPLATFORMS', prefix: '70:b3:d5:f2:f', bits: 36, registry: 'MA-S' });
  assert.deepEqual(registry.lookup(parseMac('70:b3:d5:1a:00:01')), { kind: 'registered', vendor: 'Twenty-eight bits Ltd', prefix: '70:b3:d5:1', bits: 28, registry: 'MA-M' });
  assert.equal(registry.lookup(parseMac('70:b3:d5:20:00:01'))?.vendor, 'IEEE Registration Authority');
  assert.equal(registry.lookup(parseMac('12:34:00:00:00:00'))?.kind, 'local');
  assert.equal(registry.lookup(parseMac('00:12:34:00:00:00')), null);
  assert.ok(registry.loadMs >= 0);
});

test('ouiVendor() names the makers of the chips in the shared captures as the IEEE registry does', NEEDS_IEEE_DATA, () => {
  const expected: Array<[string, string]> = [
    ['68:c6:3a:42:83:f6', 'Espressif Inc.'], // Tuya plug
    ['f4:b8:5e:ff:2b:1b', 'Texas Instruments'], // Blink camera (TI SimpleLink)
    ['b0:c5:54:25:5b:0e', 'D-Link International'], // D-Link camera
    ['94:10:3e:35:01:c1', 'Belkin International Inc.'], // WeMo switch
    ['68:3a:48:13:27:04', 'SAMJIN Co., Ltd.'], // SmartThings hub (made by Samjin)
  ];
  for (const [mac, vendor] of expected) {
    assert.deepEqual(ouiVendor(parseMac(mac)), { kind: 'registered', vendor, prefix: mac.slice(0, 8), bits: 24, registry: 'MA-L' }, mac);
  }
  const registry = systemOuiRegistry();
  assert.equal(registry.problem, null);
  assert.ok(registry.counts['MA-L'] > 30000, `only ${registry.counts['MA-L']} MA-L entries`);
  assert.equal(systemOuiRegistry(), registry, 'the registry is read once');
});

test('ouiVendor() prefers an MA-S or MA-M owner to the IEEE block it sits in', NEEDS_IEEE_DATA, () => {
  const sub = ouiVendor(parseMac('70:b3:d5:f2:f0:01'));
  assert.deepEqual(sub, { kind: 'registered', vendor: 'TELEPLATFORMS', prefix: '70:b3:d5:f2:f', bits: 36, registry: 'MA-S' });
  assert.equal(ouiVendor(parseMac('20:85:93:b0:00:01'))?.vendor, 'IOG Products LLC');
  assert.equal(ouiVendor(parseMac('20:85:93:b0:00:01'))?.registry, 'MA-M');
  assert.equal(ouiVendor(parseMac('00:50:c2:7d:50:00'))?.registry, 'IAB');
  assert.equal(ouiVendor(parseMac('ff:ff:ff:ff:ff:ff'))?.kind, 'broadcast');
});

test('ouiLookup() answers as the whole registry does, by search for a few MACs and by index past them', { skip: !existsSync('/usr/share/ieee-data/oui.csv') && !process.env.CI ? 'ieee-data is not installed' : false }, () => {
  const registry = systemOuiRegistry();
  const rows = readFileSync('/usr/share/ieee-data/oui.csv', 'utf8').split('\n').filter((l) => /^MA-L,[0-9A-F]{6},/.test(l));
  const macs: number[] = [0x68c63a4283f6, 0xf4b85eff2b1b, 0xb0c554255b0e, 0x94103e3501c1, 0x683a48132704, 0x020000000001, 0x01005e0000fb, 0xffffffffffff, 0x000000000000];
  for (const file of ['mam.csv', 'oui36.csv', 'iab.csv']) {
    const path = `/usr/share/ieee-data/${file}`;
    if (!existsSync(path)) continue;
    const row = readFileSync(path, 'utf8').split('\n')[5];
    const hex = row.split(',')[1];
    macs.push(parseInt(hex.padEnd(12, '0'), 16) + 1);
  }
  for (let i = 0; i < 40; i++) macs.push(parseInt(rows[Math.floor((i * rows.length) / 40)].slice(5, 11) + '0a0b0c', 16));
  const lookup = ouiLookup();
  for (const mac of macs) assert.deepEqual(lookup(mac), registry.lookup(mac), mac.toString(16));
});
