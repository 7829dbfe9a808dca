// Text from elsewhere never reaches a reader as a live control (docs/architecture.md, "Wire text"):
// hostile text is planted in every field a command can print (DNS query and answer names, mDNS names,
// a ClientHello's server name and ALPN, a DHCP host name and vendor class, SSDP SERVER, USN and
// LOCATION, a bad SSDP start line quoted in an anomaly, a pcapng's section and interface options,
// the capture's file name, the names and vendors of a --known and a --rules table, device ids, kinds
// and residents of the CSV files `attack` and `evaluate` read, a model's class names, scenario
// labels, a plot title), every command is run in every output format, and the bytes of each output
// are scanned: no C0 control but the line end (and the TSV tab), no DEL, no C1 control, no bidi
// control; JSON parses and none of its strings holds a control (`jq -r` prints strings raw); no CSV
// cell starts a formula; SVG is well-formed XML whose text holds no markup of its own; and no planted
// line break starts a line. `devices --evidence` also prints the clues decoded for identification:
// SSDP USN and LOCATION, mDNS TXT strings, DHCP option 61, plain-HTTP Host, User-Agent and Server, and
// the names of NTP servers; hostile text is planted in each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PcapngWriter } from '../src/capture/pcapng-writer.js';
import { parseIpv4, parseMac } from '../src/core/bytes.js';
import { encodeDnsMessage } from '../src/decode/app/dns.js';
import { dnsMessage, rr } from '../src/decode/app/dns-fixtures.js';
import { encodeDhcpMessage } from '../src/decode/app/dhcp-message.js';
import { DHCP_MESSAGE_TYPE } from '../src/decode/app/dhcp-constants.js';
import { TrafficWriter } from '../src/home/traffic/traffic-writer.js';
import { encodeNtp, makeNtpRequest, NTP_HEADER_BYTES } from '../src/decode/app/ntp.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-escaping-'));

/** The marker a planted line break is followed by: no output line may start with it. */
const FORGED = 'FORGED';
/**
 * Hostile text: markup (early, so a label cut short keeps it), a colour escape, an OSC 8 hyperlink,
 * a bell, a backspace, a carriage return, a tab, a line break followed by a forged line, DEL, a C1
 * CSI (U+009B) and a right-to-left override. `lead` comes first: a formula start, so a CSV cell
 * holding it must be guarded.
 */
function hostile(lead: string, what: string): string {
  return `${lead}${what}<b>&amp;</b>\u001b[31m\u001b]8;;http://x\u0007\b\r\t\n${FORGED}\u007f\u009b2J\u202e`;
}

/** ASCII only (what a TLS server name, ALPN or DHCP text keeps: its other bytes become U+FFFD). */
function hostileAscii(lead: string, what: string): string {
  return `${lead}${what}<b>&amp;</b>\u001b[31m\u001b]8;;http://x\u0007\b\r\t\n${FORGED}\u007f`;
}

const DEVICE = { mac: parseMac('02:00:00:00:00:01'), ip: parseIpv4('192.168.9.10') };
const ROUTER = { mac: parseMac('02:00:00:00:00:fe'), ip: parseIpv4('192.168.9.1') };
const FAR = { mac: ROUTER.mac, ip: parseIpv4('203.0.113.7') };
const MDNS_GROUP = { mac: parseMac('01:00:5e:00:00:fb'), ip: parseIpv4('224.0.0.251') };
const SSDP_GROUP = { mac: parseMac('01:00:5e:7f:ff:fa'), ip: parseIpv4('239.255.255.250') };
const BROADCAST = { mac: parseMac('ff:ff:ff:ff:ff:ff'), ip: parseIpv4('255.255.255.255') };
const UNSPECIFIED = { mac: DEVICE.mac, ip: 0 };
/** A DNS name whose last labels match the --rules table below (so the rule's vendor is printed). */
const RULE_DOMAIN = 'evil.example';

function txtData(text: string): { type: 'TXT'; strings: string[]; raw: Uint8Array[] } {
  return { type: 'TXT', strings: [text], raw: [new TextEncoder().encode(text)] };
}

function dnsBytes(spec: Parameters<typeof dnsMessage>[0], compress = false): Uint8Array {
  const layer = dnsMessage(spec, 0, compress);
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0, { compress }));
  encodeDnsMessage(layer, out, 0, { compress });
  return out;
}

/**
 * A capture of one device naming itself and what it talks to with hostile text in every field, in a
 * pcapng file whose section and interface options (comment, hardware, OS, application, interface name
 * and description) are hostile too.
 */
function writeHostileCapture(file: string): void {
  const w = new PcapngWriter({
    to: file,
    comment: hostile('=', 'shb-comment'),
    hardware: hostile('+', 'shb-hardware'),
    os: hostile('-', 'shb-os'),
    userAppl: hostile('@', 'shb-userappl'),
    interfaces: [{ name: hostile('=', 'if-name'), description: hostile('+', 'if-description') }],
  });
  const t = new TrafficWriter(w, 7);
  let at = 1_700_000_000e6;
  const next = (): number => (at += 2e6);
  // DHCP: the device's host name and vendor class.
  const dhcp = encodeDhcpMessage({
    chaddr: DEVICE.mac,
    xid: 0x1234,
    messageType: DHCP_MESSAGE_TYPE.REQUEST,
    requestedIp: DEVICE.ip,
    serverId: ROUTER.ip,
    hostName: hostileAscii('=', 'dhcp-host'),
    vendorClass: hostileAscii('+', 'dhcp-vendor'),
    clientId: `00${Buffer.from(hostileAscii('-', 'dhcp-client-id')).toString('hex')}`,
    parameterList: [1, 3, 6, 15],
  });
  t.udp(next(), UNSPECIFIED, BROADCAST, 68, 67, dhcp);
  // DNS: a query and its answer (a CNAME chain) through the router; one name matches --rules.
  t.dnsLookup(next(), DEVICE, ROUTER, `x${hostileAscii('-', 'dns-query')}.${RULE_DOMAIN}`, { addresses: ['203.0.113.7'], cnames: [hostileAscii('@', 'dns-cname') + '.example.net'] });
  t.dnsLookup(next(), DEVICE, ROUTER, `${hostile('=', 'dns-utf8')}.example.org`, { addresses: ['203.0.113.8'] });
  // mDNS: the device announces itself (A, SRV, TXT records).
  const mdnsName = hostile('=', 'mdns') + '.local';
  const mdns = dnsBytes({
    id: 0,
    flags: 0x8400,
    protocol: 'mdns',
    answers: [
      rr(mdnsName, 1, { type: 'A', address: '192.168.9.10' }),
      rr(`${hostile('+', 'mdns-srv')}._hap._tcp.local`, 33, { type: 'SRV', priority: 0, weight: 0, port: 80, target: mdnsName }),
      rr(`${hostile('-', 'mdns-txt')}._hap._tcp.local`, 16, txtData(hostile('@', 'txt'))),
      rr(`${hostile('-', 'mdns-txt')}._hap._tcp.local`, 16, txtData(`md=${hostile('=', 'txt-md')}`)),
    ],
  });
  t.udp(next(), DEVICE, MDNS_GROUP, 5353, 5353, mdns);
  // SSDP: a NOTIFY with SERVER, USN and LOCATION, and a datagram whose start line is not HTTP.
  const ssdp = [
    'NOTIFY * HTTP/1.1',
    'HOST: 239.255.255.250:1900',
    `SERVER: ${hostile('=', 'ssdp-server').replace(/[\r\n]/g, '')}`,
    `USN: ${hostile('+', 'ssdp-usn').replace(/[\r\n]/g, '')}`,
    `LOCATION: ${hostile('-', 'ssdp-location').replace(/[\r\n]/g, '')}`,
    'NT: upnp:rootdevice',
    'NTS: ssdp:alive',
    '',
    '',
  ].join('\r\n');
  t.udp(next(), DEVICE, SSDP_GROUP, 1900, 1900, new TextEncoder().encode(ssdp));
  // The decoder quotes the first 40 characters of a start line that is not HTTP in an anomaly.
  t.udp(next(), DEVICE, SSDP_GROUP, 1901, 1900, new TextEncoder().encode(`ssdp-start\u007f\u009b2J\u202e\u001b[31m\u0007 is not HTTP\r\n\r\n`));
  // Plain HTTP: a request with a hostile Host and User-Agent, and the device's own web server answering
  // with a hostile Server (header values hold no line break: one would end the header).
  const line = (x: string): string => x.replace(/[\r\n]/g, '');
  const http = t.connect(next(), DEVICE, FAR, 80);
  http.send(true, new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${line(hostileAscii('=', 'http-host'))}.example.com\r\nUser-Agent: ${line(hostile('+', 'http-ua'))}\r\n\r\n`));
  const served = t.connect(next(), FAR, DEVICE, 80);
  served.send(true, new TextEncoder().encode('GET / HTTP/1.1\r\nHost: 192.168.9.10\r\n\r\n'));
  served.send(false, new TextEncoder().encode(`HTTP/1.1 200 OK\r\nServer: ${line(hostile('-', 'http-server'))}\r\nContent-Length: 0\r\n\r\n`));
  // NTP: the device asks a server whose address a hostile name stood for.
  t.dnsLookup(next(), DEVICE, ROUTER, `ntp${hostileAscii('@', 'ntp-name')}.example.com`, { addresses: ['203.0.113.9'] });
  const ntp = new Uint8Array(NTP_HEADER_BYTES);
  encodeNtp(makeNtpRequest(), ntp, 0);
  t.udp(next(), DEVICE, { mac: ROUTER.mac, ip: parseIpv4('203.0.113.9') }, 40123, 123, ntp);
  // TLS: a ClientHello with a hostile server name and ALPN, to a name resolved above.
  t.tlsSession(next(), DEVICE, FAR, hostileAscii('=', 'sni'), { alpn: [hostileAscii('+', 'alpn'), 'h2'], exchanges: [[300, 5000]] });
  t.tlsSession(next(), DEVICE, FAR, `sni${hostileAscii('-', '')}.${RULE_DOMAIN}`, { exchanges: [[200, 900]] });
  w.close();
}

const capture = path.join(dir, 'hostile.pcapng');
writeHostileCapture(capture);
/** The same capture under a hostile file name (a name is any bytes but `/` and NUL). */
const hostileName = path.join(dir, `${hostile('=', 'file').replace(/\//g, '|')}.pcapng`);
copyFileSync(capture, hostileName);

const known = path.join(dir, 'known.tsv');
// Tabs and line ends separate the columns and rows: every other control stays in a cell.
const cellText = (s: string): string => s.replace(/[\t\r\n]/g, '');
writeFileSync(known, `02:00:00:00:00:01\t${cellText(hostile('=', 'known-name'))}\t${cellText(hostile('@', 'known-vendor'))}\tplug\n`);

const rules = path.join(dir, 'rules.tsv');
writeFileSync(rules, `pattern\tvendor\tcategory\tproduct\tsource\tdate\n${RULE_DOMAIN}\t${cellText(hostile('-', 'rule-vendor'))}\tcamera\t${cellText(hostile('+', 'product'))}\tcapture:x\t2026-01-01\n`);

/** A CSV cell holding `s` (quoted: a hostile cell holds commas, quotes and line breaks). */
const csvQuoted = (s: string): string => `"${s.replace(/"/g, '""')}"`;

const eventsCsv = path.join(dir, 'events.csv');
{
  const rows = ['time,device,kind'];
  const devices = [hostile('=', 'event-device'), hostile('@', 'other-device'), hostile('-', 'third-device')];
  const kinds = ['light', hostile('+', 'event-kind'), 'lock'];
  // An evening and, after the night, a morning: a day every preset reads activities in (going to bed, waking).
  for (const [day, start] of [['01', 20], ['02', 6]] as const) {
    for (let i = 0; i < 30; i++) rows.push(`2026-11-${day}T${String(start + Math.floor(i / 10)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}:00Z,${csvQuoted(devices[i % 3])},${csvQuoted(kinds[i % 3])}`);
  }
  writeFileSync(eventsCsv, rows.join('\n') + '\n');
}

function peephole(args: string[]): { status: number | null; stdout: Buffer; stderr: Buffer } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Format = 'text' | 'tsv' | 'csv' | 'json' | 'ndjson' | 'svg';

/** C0 controls other than a line end (and, in TSV, the tab), DEL, C1 controls, bidi controls. */
const RAW_CONTROL: Record<'text' | 'tsv', RegExp> = {
  // eslint-disable-next-line no-control-regex
  text: /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u,
  // eslint-disable-next-line no-control-regex
  tsv: /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u,
};
/** Any control or bidi character, line ends and tabs included: what no JSON string may hold. */
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function shown(s: string): string {
  return JSON.stringify(s.length > 120 ? s.slice(0, 120) + '…' : s);
}

/** Every string in a parsed JSON value (keys included). */
function jsonStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonStrings(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      jsonStrings(x, out);
    }
  }
  return out;
}

/** The cells of an RFC 4180 CSV text. */
function csvCells(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        assert.ok(q >= 0, 'an unterminated quoted CSV cell');
        cell += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          cell += '"';
          i++;
        } else break;
      }
    } else {
      const m = /[,\n]/.exec(text.slice(i));
      const end = m === null ? text.length : i + m.index;
      cell = text.slice(i, end);
      i = end;
    }
    cells.push(cell);
    if (text[i] === ',' || text[i] === '\n') i++;
  }
  return cells;
}

/** What is wrong with one output's bytes (nothing: an empty list); `where` names it. */
function problems(where: string, bytes: Buffer | string, format: Format): string[] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  const found: string[] = [];
  const raw = RAW_CONTROL[format === 'tsv' ? 'tsv' : 'text'].exec(text);
  if (raw !== null) {
    const code = raw[0].codePointAt(0)!.toString(16).padStart(4, '0');
    found.push(`${where}: a raw U+${code}: ${shown(text.slice(Math.max(0, raw.index - 30), raw.index + 10))}`);
  }
  const forged = text.split('\n').find((line) => line.startsWith(FORGED));
  if (forged !== undefined) found.push(`${where}: a planted line break started a line: ${shown(forged)}`);
  if (format === 'json' || format === 'ndjson') {
    const docs = format === 'json' ? [text] : text.split('\n').filter((l) => l !== '');
    for (const doc of docs) {
      const bad = jsonStrings(JSON.parse(doc)).find((s) => ANY_CONTROL.test(s));
      if (bad !== undefined) {
        found.push(`${where}: a JSON string holds a control character (jq -r prints it raw): ${shown(bad)}`);
        break;
      }
    }
  }
  if (format === 'csv') {
    const formula = csvCells(text).find((c) => /^[=+\-@]/.test(c) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(c));
    if (formula !== undefined) found.push(`${where}: a CSV cell a spreadsheet would run as a formula: ${shown(formula)}`);
  }
  if (format === 'svg') {
    if (!/^<svg[\s>]/.test(text)) found.push(`${where}: not an SVG document`);
    try {
      // resvg reads the document as XML (roxmltree): it refuses one that is not well-formed.
      new Resvg(text, { font: { loadSystemFonts: false } });
    } catch (error) {
      found.push(`${where}: not well-formed XML: ${(error as Error).message}`);
    }
    // Markup planted in a name stays text: the only elements are vega's own.
    if (/<\/?b>/.test(text)) found.push(`${where}: planted markup became an element`);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text)) found.push(`${where}: a bare & in the SVG`);
  }
  return found;
}

/** Collects what is wrong with the outputs of one test, to list them all at its end. */
class Scanner {
  readonly found: string[] = [];

  scan(where: string, bytes: Buffer | string, format: Format): void {
    this.found.push(...problems(where, bytes, format));
  }

  /** Runs a command, checks it succeeded, and scans its stdout as `format` and its stderr as text. */
  run(args: string[], format: Format): string {
    const r = peephole(args);
    const where = `peephole ${args.map((a) => a.replace(dir, '$TMP')).join(' ')}`;
    assert.equal(r.status, 0, `${where} failed: ${r.stderr.toString()}`);
    this.scan(`${where} (stdout)`, r.stdout, format);
    this.scan(`${where} (stderr)`, r.stderr, 'text');
    return r.stdout.toString();
  }

  /** Fails with every problem found. */
  done(): void {
    assert.deepEqual(this.found, []);
  }
}

test('packets, in TSV, CSV and NDJSON, shows no planted control raw', () => {
  const o = new Scanner();
  for (const file of [capture, hostileName]) {
    const tsv = o.run(['packets', file], 'tsv');
    assert.ok(tsv.includes('sni<b>&amp;</b>\\x1b[31m'), 'the server name is in the output, its ESC made visible');
    o.run(['packets', '--csv', file], 'csv');
    o.run(['packets', '--json', file], 'ndjson');
  }
  o.done();
});

test('inspect, as text and JSON, shows no planted control raw', () => {
  const o = new Scanner();
  for (const file of [capture, hostileName]) {
    const text = o.run(['inspect', file], 'text');
    assert.ok(text.includes('alpn<b>&amp;</b>\\x1b[31m'), 'the ALPN is in the output, its ESC made visible');
    const json = o.run(['inspect', '--json', file], 'json');
    for (const field of ['ssdp-start', 'shb-comment', 'shb-hardware', 'shb-os', 'shb-userappl', 'if-name', 'if-description', 'sni', 'alpn', 'dns-query', 'dns-cname', 'mdns']) {
      assert.ok(json.includes(field), `inspect --json shows ${field}`);
    }
    if (file === hostileName) assert.ok(text.includes('=file') && json.includes('=file'), 'the file name is shown');
  }
  o.done();
});

test('devices, as text, with evidence and as JSON, with --known and --rules, shows no planted control raw', () => {
  const o = new Scanner();
  for (const extra of [[], ['--known', known], ['--rules', rules], ['--known', known, '--rules', rules]]) {
    const text = o.run(['devices', ...extra, capture], 'text');
    const evidence = o.run(['devices', '--evidence', ...extra, capture], 'text');
    const json = o.run(['devices', '--json', '--evidence', ...extra, capture], 'json');
    for (const out of [evidence, json]) {
      for (const field of ['dhcp-host', 'dhcp-vendor', 'mdns', 'ssdp-server', 'sni', 'dns-query', 'ssdp-usn', 'ssdp-location', 'txt-md', 'http-host', 'http-ua', 'http-server', 'ntp-name']) {
        assert.ok(out.includes(field), `devices ${extra.join(' ')}: ${field} is shown`);
      }
      assert.ok(out.includes(Buffer.from('dhcp-client-id').toString('hex')), 'the DHCP client id is shown, as hex');
    }
    if (extra.includes('--known')) assert.ok(text.includes('known-vendor') && json.includes('known-name'), 'the --known names are shown');
    if (extra.includes('--rules')) assert.ok(evidence.includes('rule-vendor'), 'the --rules vendor is shown');
  }
  o.run(['devices', hostileName], 'text');
  o.run(['devices', '--json', hostileName], 'json');
  o.done();
});

test('timeline, as CSV and as an SVG plot with a hostile title, shows no planted control raw', () => {
  const o = new Scanner();
  // A row is labelled by the device's vendor and category: from the --rules table here.
  o.run(['timeline', capture, '--csv', '-'], 'csv');
  const ruled = o.run(['timeline', capture, '--csv', '-', '--rules', rules], 'csv');
  assert.ok(ruled.includes('rule-vendor'), 'the --rules vendor labels the device');
  const svg = path.join(dir, 'timeline.svg');
  const csvFile = path.join(dir, 'timeline.csv');
  for (const extra of [['--title', hostile('=', 'title')], ['--rules', rules, '--title', hostile('=', 'title')], []]) {
    // Without --title, the title names the file.
    const file = extra.length === 0 ? hostileName : capture;
    o.run(['timeline', file, '--plot', svg, '--csv', csvFile, ...extra], 'text');
    const plot = readFileSync(svg, 'utf8');
    o.scan(`timeline --plot ${extra.join(' ')} (svg)`, plot, 'svg');
    assert.ok(plot.includes(extra.length === 0 ? '=file' : 'title'), 'the title is drawn');
    if (extra.includes('--rules')) assert.ok(plot.includes('rule-vendor'), 'the --rules vendor is drawn');
    o.scan(`timeline --csv ${extra.join(' ')} (file)`, readFileSync(csvFile), 'csv');
  }
  o.done();
});

test('attack on a capture (with --known) and on an events CSV, as text and JSON, shows no planted control raw', () => {
  const o = new Scanner();
  for (const extra of [[], ['--known', known]]) {
    o.run(['attack', ...extra, capture], 'text');
    o.run(['attack', '--json', ...extra, capture], 'json');
  }
  const text = o.run(['attack', eventsCsv], 'text');
  assert.ok(text.includes('event-device') && text.includes('event-kind'), 'the device ids and the unknown kind are shown');
  const json = o.run(['attack', '--json', eventsCsv], 'json');
  assert.ok(json.includes('event-device'), 'the device ids are in the JSON');
  o.done();
});

/** Makes the cells of `columns` in a CSV file hostile, each its own (a file with no quoted cells). */
function hostileCells(file: string, columns: readonly string[]): void {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const at = columns.map((c) => header.split(',').indexOf(c));
  assert.ok(at.every((i) => i >= 0), `${file} has the columns ${columns.join(', ')}`);
  const out = rows.map((row) => {
    const cells = row.split(',');
    columns.forEach((c, k) => (cells[at[k]] = csvQuoted(hostile('=', `${c}-${cells[at[k]]}`))));
    return cells.join(',');
  });
  writeFileSync(file, [header, ...out].join('\n') + '\n');
}

/** Scans what `evaluate --out` wrote (the PNGs are pictures of the SVGs). */
function scanFolder(o: Scanner, folder: string): string[] {
  const names = readdirSync(folder);
  for (const f of names) {
    const ext = path.extname(f);
    if (ext === '.png') continue;
    o.scan(`evaluate --out: ${f}`, readFileSync(path.join(folder, f)), ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : ext === '.svg' ? 'svg' : 'text');
  }
  return names;
}

test('evaluate on a simulation with hostile device ids and residents, as text, JSON and files, shows no planted control raw', () => {
  const o = new Scanner();
  const sim = path.join(dir, 'sim');
  const made = peephole(['simulate', '--home', 'family', '--days', '2', '--seed', '3', '--format', 'none', '--out', sim]);
  assert.equal(made.status, 0, made.stderr.toString());
  hostileCells(path.join(sim, 'events.csv'), ['device', 'resident']);
  hostileCells(path.join(sim, 'activities.csv'), ['resident']);
  const out = path.join(dir, 'evaluation-life');
  const model = path.join(REPO_ROOT, 'models', 'bundled');
  const text = o.run(['evaluate', '--model', model, '--sim', sim, '--out', out], 'text');
  assert.ok(text.includes('resident-'), 'the residents are shown');
  const json = o.run(['evaluate', '--model', model, '--sim', sim, '--json'], 'json');
  assert.ok(json.includes('resident-'), 'the residents are in the JSON');
  scanFolder(o, out);
  o.done();
});

test('evaluate refuses a model with hostile class names in one visible line, and shows hostile scenario labels escaped, as text, JSON and files', () => {
  const o = new Scanner();
  const paper = path.join(dir, 'paper');
  const made = peephole(['simulate', '--preset', 'paper', '--seed', '5', '--out', paper]);
  assert.equal(made.status, 0, made.stderr.toString());
  // A model of the published network, trained for a moment on a few rows: its numbers do not matter here.
  const rows = path.join(paper, 'rows.csv');
  writeFileSync(rows, readFileSync(path.join(paper, 'training.csv'), 'utf8').split('\n').slice(0, 2001).join('\n') + '\n');
  const model = path.join(dir, 'paper-model');
  const trained = peephole(['train', '--preset', 'paper', '--data', rows, '--epochs', '1', '--out', model]);
  assert.equal(trained.status, 0, trained.stderr.toString());
  // Class names are the preset's own: hostile ones are refused when the folder is read, in one line
  // that shows them with their controls made visible.
  const manifestFile = path.join(model, 'peephole-model.json');
  const original = readFileSync(manifestFile, 'utf8');
  const manifest = JSON.parse(original) as { classes: string[] };
  manifest.classes = manifest.classes.map((c) => hostile('=', `class-${c}`));
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const refused = peephole(['evaluate', '--model', model, '--data', rows]);
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr.toString().split('\n').length, 2, 'one line');
  assert.ok(refused.stderr.toString().includes('class-wake_up'), 'the refused class names are shown');
  o.scan('peephole evaluate with hostile class names (stderr)', refused.stderr, 'text');
  writeFileSync(manifestFile, original);
  hostileCells(path.join(paper, 'scenarios.csv'), ['scenario']);

  const out = path.join(dir, 'evaluation-paper');
  const args = ['evaluate', '--model', model, '--data', rows, '--scenarios', paper];
  const text = o.run([...args, '--out', out], 'text');
  assert.ok(text.includes('scenario-'), 'the scenario labels are shown');
  const json = o.run([...args, '--json'], 'json');
  assert.ok(json.includes('scenario-'), 'the scenario labels are in the JSON');
  const files = scanFolder(o, out);
  assert.ok(files.some((f) => f.startsWith('scenarios-predicted')) && files.some((f) => f.endsWith('.csv')), 'the scenario chart and the confusion CSVs were written');
  o.done();
});
