import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataFile } from '../core/data-file.js';
import {
  VENDOR_CATEGORIES,
  VENDOR_RULES_FILE,
  VendorRulesError,
  defaultVendorRules,
  loadVendorRules,
  parseVendorRules,
} from './vendor-rules.js';

const HEADER = 'pattern\tvendor\tcategory\tproduct\tsource\tdate';
const CHECKED = '2026-11-25';
/** The real captures beside the repository (../shared/captures), read in place. */
const CAPTURES = fileURLToPath(new URL('../../../shared/captures', import.meta.url));
const IN_CI = Boolean(process.env.CI);

function row(pattern: string, vendor: string, category: string, product = '', source = 'test', date = CHECKED): string {
  return [pattern, vendor, category, product, source, date].join('\t');
}

function table(...rows: string[]): string {
  return ['# a comment', HEADER, ...rows].join('\n') + '\n';
}

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('loadVendorRules() keeps each rule with its file, line, source and date', () => {
  const rules = loadVendorRules(
    table(row('tuyaus.com', 'Tuya', 'generic', 'Smart Life cloud', 'https://example.org/tuya'), '', row('*.Example.NET', 'Ex', 'cloud')),
    'rules.tsv',
  );
  assert.equal(rules.rules.length, 2);
  const [tuya, ex] = rules.rules;
  assert.deepEqual(
    { pattern: tuya.pattern, suffix: tuya.suffix, subdomainsOnly: tuya.subdomainsOnly, vendor: tuya.vendor, category: tuya.category },
    { pattern: 'tuyaus.com', suffix: 'tuyaus.com', subdomainsOnly: false, vendor: 'Tuya', category: 'generic' },
  );
  assert.deepEqual({ product: tuya.product, source: tuya.source, date: tuya.date, file: tuya.file, line: tuya.line, user: tuya.user }, {
    product: 'Smart Life cloud',
    source: 'https://example.org/tuya',
    date: CHECKED,
    file: 'rules.tsv',
    line: 3,
    user: false,
  });
  assert.deepEqual({ pattern: ex.pattern, suffix: ex.suffix, subdomainsOnly: ex.subdomainsOnly, line: ex.line }, {
    pattern: '*.example.net',
    suffix: 'example.net',
    subdomainsOnly: true,
    line: 5,
  });
});

test('parseVendorRules() accepts CRLF line ends and indented comments', () => {
  const rules = parseVendorRules(`${HEADER}\r\n  # note\r\n${row('a.example', 'A', 'plug')}\r\n`, 'crlf.tsv');
  assert.equal(rules.length, 1);
  assert.equal(rules[0].date, CHECKED);
  assert.equal(rules[0].line, 3);
});

/** Asserts that loading `text` throws a VendorRulesError for `line` whose message matches `problem`. */
function assertRejected(text: string, line: number, problem: RegExp): void {
  assert.throws(
    () => loadVendorRules(text, 'bad.tsv'),
    (error: unknown) => {
      assert.ok(error instanceof VendorRulesError, `expected a VendorRulesError, got ${String(error)}`);
      assert.equal(error.file, 'bad.tsv');
      assert.equal(error.line, line);
      assert.match(error.message, new RegExp(`^bad\\.tsv:${line}: `));
      assert.match(error.message, problem);
      return true;
    },
  );
}

test('a row with an unknown category is rejected naming its line and the categories allowed', () => {
  assertRejected(table(row('ok.example', 'Ok', 'plug'), row('lamp.example', 'L', 'lamp')), 4, /unknown category 'lamp' \(expected one of hub, light,/);
});

test('a row with an empty vendor is rejected naming its line', () => {
  assertRejected(table(row('novendor.example', '', 'plug')), 3, /empty vendor for pattern 'novendor.example'/);
});

test('a row with the wrong number of columns is rejected naming its line', () => {
  assertRejected(table('short.example\tShort\tplug'), 3, /wrong number of columns: expected 6 .* got 3/);
  assertRejected(table(row('long.example', 'Long', 'plug') + '\textra'), 3, /wrong number of columns: expected 6 .* got 7/);
  assertRejected(table('spaces.example  Spaces  plug  x  y  z'), 3, /wrong number of columns/);
});

test('bad patterns are rejected naming their line and what is wrong', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /bad pattern '': empty/],
    ['com', /bad pattern 'com': needs at least 2 labels/],
    ['*.com', /bad pattern '\*.com': needs at least 2 labels/],
    ['a..example', /empty label/],
    ['.example.com', /empty label/],
    ['example.com.', /empty label/],
    ['a.*.example', /'\*' is only allowed as '\*\.' at the start/],
    ['*example.com', /'\*' is only allowed/],
    ['under_score.example', /label 'under_score' is not letters, digits and inner hyphens/],
    ['-dash.example', /label '-dash' is not letters/],
    ['sp ace.example', /label 'sp ace'/],
    [`${'x'.repeat(64)}.example`, /longer than 63 characters/],
  ];
  for (const [pattern, problem] of cases) assertRejected(table(row(pattern, 'V', 'plug')), 3, problem);
});

test('a bad date, a duplicate pattern and a missing header are rejected naming their line', () => {
  assertRejected(table(row('d.example', 'D', 'plug', '', 'x', '2026-02-30')), 3, /bad date '2026-02-30'/);
  assertRejected(table(row('d.example', 'D', 'plug', '', 'x', '25/11/2026')), 3, /bad date/);
  assertRejected(table(row('d.example', 'D', 'plug'), row('D.example', 'E', 'plug')), 4, /duplicate pattern 'd.example' \(first on line 3\)/);
  assertRejected(`# only a comment\n${row('d.example', 'D', 'plug')}\n`, 2, /expected the header/);
  assertRejected('', 1, /no header line/);
});

const SAMPLE = loadVendorRules(
  table(
    row('tuyaus.com', 'Tuya', 'generic'),
    row('example.com', 'Example', 'generic'),
    row('cam.example.com', 'Example', 'camera'),
    row('*.cdn.example', 'CDN', 'cloud'),
    row('*.both.example', 'Both-sub', 'cloud'),
    row('both.example', 'Both', 'hub'),
  ),
  'sample.tsv',
);

function vendorOf(name: string): string | null {
  return SAMPLE.match(name)?.vendor ?? null;
}

test('match() finds a pattern at the name itself and at every subdomain', () => {
  assert.equal(vendorOf('tuyaus.com'), 'Tuya');
  assert.equal(vendorOf('a2.tuyaus.com'), 'Tuya');
  assert.equal(vendorOf('x.y.z.tuyaus.com'), 'Tuya');
  assert.equal(vendorOf('nottuyaus.com'), null, 'a suffix must start at a label boundary');
  assert.equal(vendorOf('tuyaus.com.evil.example'), null);
  assert.equal(vendorOf('com'), null);
  assert.equal(vendorOf(''), null);
  assert.equal(vendorOf('.'), null);
});

test('match() honours *. patterns: subdomains only, not the name itself', () => {
  assert.equal(vendorOf('cdn.example'), null);
  assert.equal(vendorOf('edge1.cdn.example'), 'CDN');
  assert.equal(vendorOf('a.b.cdn.example'), 'CDN');
  assert.equal(vendorOf('both.example'), 'Both', 'the plain rule names the name itself');
  assert.equal(vendorOf('x.both.example'), 'Both-sub', 'at a subdomain the *. rule is the more specific');
});

test('match() lets the longest matching pattern win', () => {
  assert.equal(SAMPLE.match('cam.example.com')?.category, 'camera');
  assert.equal(SAMPLE.match('live.cam.example.com')?.category, 'camera');
  assert.equal(SAMPLE.match('www.example.com')?.category, 'generic');
  assert.equal(SAMPLE.match('xcam.example.com')?.category, 'generic');
});

test('match() ignores case and one trailing dot', () => {
  assert.equal(vendorOf('A2.TuyaUS.COM'), 'Tuya');
  assert.equal(vendorOf('a2.tuyaus.com.'), 'Tuya');
  assert.equal(vendorOf('CAM.Example.Com.'), 'Example');
  assert.equal(SAMPLE.match('Cam.Example.com.')?.pattern, 'cam.example.com');
});

test('withUserRules() puts user rules above the shipped ones, even over a longer shipped pattern', () => {
  const user = SAMPLE.withUserRules(
    [HEADER, row('example.com', 'My vendor', 'lock', '', '', ''), row('tuyaus.com', 'My plug', 'plug', 'the porch plug', '', '')].join('\n'),
    'my-rules.tsv',
  );
  const cam = user.match('live.cam.example.com');
  assert.equal(cam?.vendor, 'My vendor', 'the user rule wins over the longer shipped cam.example.com');
  assert.equal(cam?.user, true);
  assert.equal(cam?.file, 'my-rules.tsv');
  assert.equal(cam?.line, 2);
  assert.equal(user.match('a2.tuyaus.com')?.category, 'plug');
  assert.equal(user.match('x.both.example')?.vendor, 'Both-sub', 'names no user rule matches keep the shipped answer');
  assert.equal(SAMPLE.match('live.cam.example.com')?.vendor, 'Example', 'the shipped rules are unchanged');
  assert.equal(user.rules.length, SAMPLE.rules.length + 2);
  assert.equal(user.rules[0].vendor, 'My vendor', 'rules are listed highest precedence first');
});

test('withUserRules() rejects a bad user row naming the user file and line', () => {
  assert.throws(() => SAMPLE.withUserRules(`${HEADER}\n${row('x.example', 'X', 'toaster')}\n`, 'mine.tsv'), /^VendorRulesError: mine\.tsv:2: unknown category 'toaster'/);
});

test('vendors() lists each vendor once, sorted', () => {
  assert.deepEqual(SAMPLE.vendors(), ['Both', 'Both-sub', 'CDN', 'Example', 'Tuya']);
});

// ---- the shipped table -----------------------------------------------------------------------

const SOURCE_FORMS = [/^https:\/\/\S+$/, /^github:[\w.-]+\/[\w.-]+:\S+$/, /^capture:[\w.-]+$/];

test('every row of the shipped table is valid and says where it comes from and when it was checked', () => {
  const rules = defaultVendorRules();
  assert.ok(rules.rules.length >= 100, `only ${rules.rules.length} rules`);
  const manifest = existsSync(join(CAPTURES, 'MANIFEST.tsv')) ? readFileSync(join(CAPTURES, 'MANIFEST.tsv'), 'utf8') : null;
  for (const rule of rules.rules) {
    const where = `${VENDOR_RULES_FILE}:${rule.line} (${rule.pattern})`;
    assert.notEqual(rule.source, '', `${where}: no source`);
    assert.match(rule.date, /^\d{4}-\d{2}-\d{2}$/, `${where}: no date`);
    assert.notEqual(rule.product, '', `${where}: no product`);
    for (const source of rule.source.split(' ; ')) {
      assert.ok(
        SOURCE_FORMS.some((form) => form.test(source)),
        `${where}: source '${source}' is not https://..., github:owner/repo:path or capture:FILE`,
      );
      if (source.startsWith('capture:') && manifest !== null) {
        const name = source.slice('capture:'.length);
        assert.ok(manifest.split('\n').some((line) => line.startsWith(`${name}\t`)), `${where}: ${name} is not in captures/MANIFEST.tsv`);
      }
    }
  }
  assert.equal(defaultVendorRules(), rules, 'the table is read once');
});

test('the shipped table names at least 60 distinct vendors of home devices (cloud providers aside) and uses only known categories', () => {
  const rules = defaultVendorRules();
  const vendors = [...new Set(rules.rules.filter((r) => r.category !== 'cloud').map((r) => r.vendor))];
  assert.ok(vendors.length >= 60, `only ${vendors.length} vendors: ${vendors.join(', ')}`);
  for (const rule of rules.rules) assert.ok((VENDOR_CATEGORIES as readonly string[]).includes(rule.category));
  // Each rule cites a line that really holds its pattern.
  const lines = readFileSync(dataFile(VENDOR_RULES_FILE), 'utf8').split('\n');
  for (const rule of rules.rules) assert.equal(lines[rule.line - 1].split('\t')[0], rule.pattern);
});

test('names that home devices are known to ask for get the vendor and category of their maker', () => {
  const rules = defaultVendorRules();
  const expected: Array<[string, string, string]> = [
    ['a2.tuyaus.com', 'Tuya', 'generic'],
    ['m1.tuyacn.com', 'Tuya', 'generic'],
    ['ws.meethue.com', 'Philips Hue', 'light'],
    ['www.ecdinterface.philips.com', 'Philips Hue', 'light'],
    ['www.philips.com', 'Philips', 'generic'],
    ['n-devs.tplinkcloud.com', 'TP-Link', 'plug'],
    ['euw1-api.tplinkra.com', 'TP-Link', 'plug'],
    ['business.smartcamera.api.io.mi.com', 'Xiaomi', 'camera'],
    ['api.io.mi.com', 'Xiaomi', 'generic'],
    ['api.amazonalexa.com', 'Amazon', 'speaker'],
    ['unagi-na.amazon.com', 'Amazon', 'speaker'],
    ['www.amazon.com', 'Amazon', 'generic'],
    ['fireoscaptiveportal.com', 'Amazon', 'tv'],
    ['api.ring.com', 'Ring', 'doorbell'],
    ['api.prod.signalling.ring.devices.a2z.com', 'Ring', 'doorbell'],
    ['minerva.devices.a2z.com', 'Amazon', 'generic'],
    ['api-production.august.com', 'August', 'lock'],
    ['api.aaecosystem.com', 'Yale', 'lock'],
    ['api.allegion.yonomi.cloud', 'Schlage', 'lock'],
    ['api.simplisafe.com', 'SimpliSafe', 'alarm'],
    ['api.ecobee.com', 'ecobee', 'thermostat'],
    ['home.nest.com', 'Google Nest', 'thermostat'],
    ['myapi.arlo.com', 'Arlo', 'camera'],
    ['devices.myq-cloud.com', 'Chamberlain', 'appliance'],
    ['api.ws.sonos.com', 'Sonos', 'speaker'],
    ['captive.apple.com', 'Apple', 'generic'],
    ['www.msftconnecttest.com', 'Microsoft', 'computer'],
    ['connectivitycheck.gstatic.com', 'Google', 'generic'],
    ['mqtt.2030.ltsapis.goog', 'Google Cloud', 'cloud'],
    ['ec2-3-1-2-3.compute-1.amazonaws.com', 'Amazon Web Services', 'cloud'],
    ['d3p8zr0ffa9t17.cloudfront.net', 'Amazon Web Services', 'cloud'],
    ['e673.dsce9.akamaiedge.net', 'Akamai', 'cloud'],
    ['2.android.pool.ntp.org', 'NTP Pool Project', 'cloud'],
  ];
  for (const [name, vendor, category] of expected) {
    const rule = rules.match(name);
    assert.deepEqual(rule && { vendor: rule.vendor, category: rule.category }, { vendor, category }, name);
  }
  assert.equal(rules.match('amazonaws.com'), null, '*.amazonaws.com names subdomains only');
  assert.equal(rules.match('wpad.lan'), null);
  assert.equal(rules.match('223.1.168.192.in-addr.arpa'), null);
});

/** The DNS query names and TLS server names in a capture, as tshark reads them. */
function capturedNames(file: string): Set<string> {
  const out = execFileSync(
    'tshark',
    ['-r', file, '-T', 'fields', '-e', 'dns.qry.name', '-e', 'tls.handshake.extensions_server_name', '-E', 'occurrence=a', '-E', 'aggregator=,'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const names = new Set<string>();
  for (const line of out.split('\n')) for (const name of line.split(/[\t,]/)) if (name !== '') names.add(name);
  return names;
}

/** Names that are about the local network, not about a vendor. */
const LOCAL_NAME = /\.(arpa|lan|local)$/;

const CAPTURE_EXPECTATIONS: Array<{ file: string; names: string[]; vendor: string; categories: string[] }> = [
  { file: 'iot-tuya-plug-boot-anon.pcap', names: ['a3.tuyaeu.com', 'm2.tuyaeu.com'], vendor: 'Tuya', categories: ['generic'] },
  { file: 'iot-sentinel-wemo-switch-setup.pcap', names: ['api.xbcs.net', 'nat.xbcs.net'], vendor: 'Belkin', categories: ['plug'] },
  { file: 'iot-blink-cam-week-truncated-vlan.pcap', names: ['VS-cam.u011.immedia-semi.com'], vendor: 'Blink', categories: ['camera'] },
  {
    file: 'iot-sentinel-dlink-cam-setup.pcap',
    names: ['ntp1.dlink.com', 'signal.mydlink.com', 'mp-eu-signal.auto.mydlink.com'],
    vendor: 'D-Link',
    categories: ['camera', 'generic'],
  },
  {
    file: 'iot-smartthings-hub-nsec.pcap',
    names: ['connectivity.smartthings.com', 'fw-update2.smartthings.com', 'hub.smartthings.com', 'dc.connect.smartthings.com', 'smartthings.com'],
    vendor: 'Samsung SmartThings',
    categories: ['hub'],
  },
  { file: 'wlan-80211-plain-dns-mdns.pcap', names: ['captive.apple.com'], vendor: 'Apple', categories: ['generic'] },
];

for (const { file, names, vendor, categories } of CAPTURE_EXPECTATIONS) {
  const path = join(CAPTURES, file);
  const missing = !existsSync(path) ? `${file} is not in ../shared/captures` : !hasTshark() ? 'tshark is not installed' : false;
  test(`every vendor name in ${file} (DNS and TLS SNI, read by tshark) names ${vendor}`, { skip: IN_CI ? false : missing }, () => {
    const rules = defaultVendorRules();
    const seen = capturedNames(path);
    for (const name of names) assert.ok(seen.has(name), `${name} not in ${file}: ${[...seen].join(', ')}`);
    for (const name of seen) {
      if (LOCAL_NAME.test(name)) {
        assert.equal(rules.match(name), null, name);
        continue;
      }
      const rule = rules.match(name);
      assert.ok(rule !== null, `${name} (${file}) matches no rule`);
      assert.equal(rule.vendor, vendor, name);
      assert.ok(categories.includes(rule.category), `${name}: ${rule.category}`);
    }
  });
}
