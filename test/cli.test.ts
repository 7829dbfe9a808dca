// End-to-end tests of the `peephole` command as a user runs it: output formats, stdin, gzip, exit
// codes and their one-line messages, untrusted names neutralised, pipes closed early, and the study.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { parseIpv4 } from '../src/core/bytes.js';
import { PACKET_COLUMNS } from '../src/report/packet-fields.js';
import { TrafficWriter } from '../src/home/traffic/traffic-writer.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';
import { STRATEGIES } from '../src/defend/registry.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-cli-'));
const NASTY_NAMES = ['=1+1.example.com', '@sum.example.com', '\u001b[31mred.example.com', 'ok.tuyaus.com'];

/** A small capture: a DNS lookup for each name, and a TLS session naming the last one. */
function writeFixture(file: string): number {
  const w = new PcapWriter({ to: file });
  const t = new TrafficWriter(w, 3);
  const home = { mac: 0x0200_0000_0001, ip: parseIpv4('192.168.9.10') };
  const router = { mac: 0x0200_0000_00fe, ip: parseIpv4('192.168.9.1') };
  let at = 1_700_000_000e6;
  for (const name of NASTY_NAMES) at = t.dnsLookup(at + 1e6, home, router, name, { addresses: ['203.0.113.7'] });
  t.tlsSession(at + 1e6, home, { mac: router.mac, ip: parseIpv4('203.0.113.7') }, 'ok.tuyaus.com', { exchanges: [[100, 200]] });
  w.close();
  return w.packetsWritten;
}

const capture = path.join(dir, 'fixture.pcap');
const packetCount = writeFixture(capture);

function peephole(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { input, cwd: REPO_ROOT, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

test('peephole packets prints a TSV header and one row per packet', () => {
  const r = peephole(['packets', capture]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.replace(/\n$/, '').split('\n');
  assert.equal(lines[0], PACKET_COLUMNS.join('\t'));
  assert.equal(lines.length, packetCount + 1);
  assert.ok(lines.every((l) => l.split('\t').length === PACKET_COLUMNS.length));
});

test('peephole packets shows control characters in names as visible escapes, never raw', () => {
  const r = peephole(['packets', capture]);
  assert.ok(!r.stdout.includes('\u001b'), 'a raw ESC reached the terminal');
  assert.match(r.stdout, /\\033\[31mred\.example\.com/);
});

test('peephole packets --csv and --json make a TLS server name\'s control characters visible (they were written raw)', () => {
  const file = path.join(dir, 'hostile-sni.pcap');
  const w = new PcapWriter({ to: file });
  const t = new TrafficWriter(w, 5);
  const home = { mac: 0x0200_0000_0001, ip: parseIpv4('192.168.9.10') };
  const far = { mac: 0x0200_0000_00fe, ip: parseIpv4('203.0.113.7') };
  t.tlsSession(1_700_000_000e6, home, far, '\u001b]8;;http://x\u0007evil\u007f.example.com', { exchanges: [[100, 200]] });
  w.close();
  const csv = peephole(['packets', '--csv', file]);
  assert.equal(csv.status, 0, csv.stderr);
  assert.doesNotMatch(csv.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/, 'a raw control character in the CSV');
  assert.match(csv.stdout, /,\\x1b\]8;;http:\/\/x\\x07evil\\x7f\.example\.com(,|\n)/);
  const json = peephole(['packets', '--json', file]);
  assert.equal(json.status, 0, json.stderr);
  const names = json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Record<string, string>)['tls.handshake.extensions_server_name']).filter(Boolean);
  // What `jq -r` would print: the escape sequence as text.
  assert.deepEqual(names, ['\\x1b]8;;http://x\\x07evil\\x7f.example.com']);
});

test('peephole packets --csv neutralises names a spreadsheet would run as formulas', () => {
  const r = peephole(['packets', '--csv', capture]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /,'=1\+1\.example\.com,/);
  assert.match(r.stdout, /,'@sum\.example\.com,/);
  assert.ok(!/,=1\+1/.test(r.stdout));
});

test('peephole packets --json prints one object per packet, absent fields left out', () => {
  const r = peephole(['packets', '--json', capture]);
  const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  assert.equal(rows.length, packetCount);
  assert.deepEqual(rows[0]['frame.number'], '1');
  const names = rows.filter((o) => o['dns.qry.name']).map((o) => o['dns.qry.name']);
  assert.ok(names.includes('ok.tuyaus.com'));
  assert.ok(rows.some((o) => o['tls.handshake.extensions_server_name'] === 'ok.tuyaus.com'));
  assert.ok(!('dns.a' in rows[0]));
});

test('peephole packets reads stdin (-) and gzip files as it reads the plain file', () => {
  const plain = peephole(['packets', capture]).stdout;
  assert.equal(peephole(['packets', '-'], readFileSync(capture)).stdout, plain);
  const gz = path.join(dir, 'fixture.pcap.gz');
  writeFileSync(gz, gzipSync(readFileSync(capture)));
  assert.equal(peephole(['packets', gz]).stdout, plain);
  assert.equal(peephole(['packets', '-'], readFileSync(gz)).stdout, plain);
});

test('a capture cut short prints every complete packet, then exits 1 naming the file and the offset', () => {
  const bytes = readFileSync(capture);
  const cut = path.join(dir, 'cut.pcap');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
  const r = peephole(['packets', cut]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout.trimEnd().split('\n').length, packetCount); // header + all but the last
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /cut\.pcap.*offset \d+.*10 byte\(s\) missing/);
});

test('a file that is not a capture exits 1 with one line naming it, and no stack trace', () => {
  const bogus = path.join(dir, 'notes.txt');
  writeFileSync(bogus, 'hello, this is not a capture\n');
  for (const cmd of ['packets', 'inspect']) {
    const r = peephole([cmd, bogus]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /notes\.txt/);
    assert.match(r.stderr, /offset 0/);
    assert.ok(!/\n\s+at /.test(r.stderr));
  }
  const missing = peephole(['inspect', path.join(dir, 'nope.pcap')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.pcap/);
});

test('usage errors exit 2', () => {
  assert.equal(peephole(['frobnicate']).status, 2);
  assert.equal(peephole(['packets']).status, 2);
  assert.equal(peephole(['packets', '--csv', '--json', capture]).status, 2);
  assert.equal(peephole(['inspect', '--top', 'many', capture]).status, 2);
  assert.equal(peephole(['--help']).status, 0);
});

test('peephole packets stops quietly when the reader closes the pipe early', () => {
  const big = path.join(dir, 'big.pcap');
  const w = new PcapWriter({ to: big });
  const t = new TrafficWriter(w, 9);
  const a = { mac: 1, ip: parseIpv4('10.0.0.1') };
  const b = { mac: 2, ip: parseIpv4('10.0.0.2') };
  const c = t.connect(1_700_000_000e6, a, b, 443);
  c.send(false, new Uint8Array(20_000_000));
  w.close();
  const r = spawnSync('bash', ['-c', `node "${PEEPHOLE_BIN}" packets "${big}" | head -3`], { encoding: 'utf8' });
  assert.equal(r.stdout.split('\n').length, 4);
  assert.equal(r.stderr, '');
});

test('peephole inspect summarises hosts, DNS names and server names, with names made safe', () => {
  const text = peephole(['inspect', capture]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Packets\s+\d+/);
  assert.match(text.stdout, /ok\.tuyaus\.com/);
  assert.ok(!text.stdout.includes('\u001b'));
  const json = JSON.parse(peephole(['inspect', '--json', capture]).stdout);
  assert.equal(json.traffic.packets, packetCount);
  assert.deepEqual(
    json.traffic.dnsNames.map((n: { name: string }) => n.name).sort(),
    ['=1+1.example.com', '@sum.example.com', '\\033[31mred.example.com', 'ok.tuyaus.com'].sort(),
  );
  assert.deepEqual(json.traffic.tlsServerNames.map((n: { name: string }) => n.name), ['ok.tuyaus.com']);
  assert.equal(json.capture.format, 'pcap');
});

test('peephole study --quick regenerates the published study, compares the presets and attacks a capture', () => {
  const out = path.join(dir, 'study');
  const r = peephole(['study', '--quick', '--out', out, '--days', '1']);
  assert.equal(r.status, 0, r.stderr);
  for (const f of [
    'study.txt',
    'paper/data/training.csv',
    'paper/figures/figure4-confusion.png',
    'paper/figures/figure6-predicted-vs-expected.png',
    'homes/presets.csv',
    'observer/capture.pcapng',
    'observer/devices.json',
    'observer/timeline.png',
    'observer/uses.csv',
    'observer/inferred-day.txt',
  ]) {
    assert.ok(existsSync(path.join(out, f)), f);
  }
  assert.match(r.stdout, /training set\s+135,668 records/);
  assert.match(r.stdout, /8 scenarios\s+\d of 8 right/);
  for (const preset of ['rules', 'paper', 'dense', 'sequence', 'structured']) assert.match(r.stdout, new RegExp(`\\n\\s+${preset}\\s+\\d+\\.\\d%\\s+0\\.\\d{3}`));
  assert.match(r.stdout, /default\s+structured \(the bundled model/);
  assert.match(r.stdout, /activities\s+\d+ inferred, \d+ true: \d+ right within 15 min/);
  // Every strategy peephole has is swept (ech as its combination with encrypted DNS: one point each).
  assert.match(r.stdout, new RegExp(`\\n4\\. What each defence costs \\(defences/\\): \\d+ settings of ${STRATEGIES.length} strategies on the family home`));
  assert.match(r.stdout, /the paper's\s+fake data injected every 60 min: \d of 8 scenarios right \(published: 2 of 8\)/);
  assert.ok(existsSync(path.join(out, 'defences', 'frontier.svg')));
  assert.equal(readFileSync(path.join(out, 'homes', 'presets.csv'), 'utf8').split('\n')[0], 'preset,seen_use_accuracy,seen_timeline_macro_f1,unseen_use_accuracy,unseen_timeline_macro_f1');
});

/** One simulated day of the paper home (lock .20 August, light .21 Tuya, alarm .22 SimpliSafe) as a capture. */
function paperHomeCapture(name: string): string {
  const out = path.join(dir, name);
  const r = peephole(['simulate', '--home', 'paper', '--days', '1', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return path.join(out, 'capture.pcapng');
}

test('peephole shows progress on stderr when it is a terminal, and only then', () => {
  const big = path.join(dir, 'progress.pcap');
  const w = new PcapWriter({ to: big });
  const t = new TrafficWriter(w, 5);
  const c = t.connect(1_700_000_000e6, { mac: 1, ip: parseIpv4('10.0.0.1') }, { mac: 2, ip: parseIpv4('10.0.0.2') }, 443);
  c.send(false, new Uint8Array(12_000_000));
  w.close();
  // `script` runs the command on a pseudo-terminal and copies what it shows.
  const tty = spawnSync('script', ['-qec', `node "${PEEPHOLE_BIN}" inspect "${big}" > /dev/null`, '/dev/null'], { encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stderr);
  assert.match(tty.stdout, /inspect \[.*\] 100%/s);
  const piped = peephole(['inspect', big]);
  assert.equal(piped.stderr, '');
});

test('peephole packets - reads a live capture piped from tcpdump', { skip: process.getuid?.() !== 0 && !process.env.CI ? 'tcpdump needs root' : false }, async () => {
  const { spawn } = await import('node:child_process');
  const dgram = await import('node:dgram');
  const port = 47_000 + Math.floor(Math.random() * 1000);
  const child = spawn('bash', ['-c', `tcpdump -i lo -U -w - -c 6 'udp port ${port}' 2>/dev/null | node "${PEEPHOLE_BIN}" packets -`]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  const socket = dgram.createSocket('udp4');
  // Send until tcpdump has seen its 6 packets and exited (it starts listening after a moment).
  const timer = setInterval(() => socket.send('hello', port, '127.0.0.1'), 100);
  const code = await Promise.race([done, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
  clearInterval(timer);
  socket.close();
  if (code === 'timeout') child.kill();
  assert.equal(code, 0);
  const rows = out.trimEnd().split('\n').slice(1).map((l) => l.split('\t'));
  assert.equal(rows.length, 6);
  for (const r of rows) {
    assert.equal(r[PACKET_COLUMNS.indexOf('ip.src')], '127.0.0.1');
    assert.equal(r[PACKET_COLUMNS.indexOf('udp.dstport')], String(port));
  }
});

test('peephole devices and timeline on the paper home: devices named, a PNG plot and the same series as CSV', () => {
  const home = paperHomeCapture('timeline');
  const out = path.dirname(home);
  const json = JSON.parse(peephole(['devices', '--json', home]).stdout) as { devices: { addresses: string[]; vendor: string | null; category: string | null }[] };
  const lock = json.devices.find((d) => d.addresses.includes('192.168.1.20'));
  assert.deepEqual([lock?.vendor, lock?.category], ['August', 'lock']);
  const png = path.join(out, 'timeline.png');
  const csv = path.join(out, 'timeline.csv');
  const r = peephole(['timeline', home, '--plot', png, '--csv', csv]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([...readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
  assert.equal(rows[0], 'time_utc,device,label,bytes');
  assert.ok(rows.some((l) => l.includes('August lock (192.168.1.20)')));
  assert.equal(peephole(['timeline', home]).status, 2, 'without --plot or --csv it is a usage error');
  assert.equal(peephole(['timeline', home, '--plot', path.join(out, 'x.gif')]).status, 2);
});

test('peephole devices --known sets what the user knows, marked as known, and a bad table names its line', () => {
  const home = paperHomeCapture('known');
  const out = path.dirname(home);
  const table = path.join(out, 'known.tsv');
  writeFileSync(table, '# what I know\n192.168.1.21\thall light\tTuya\tlight\n');
  const json = JSON.parse(peephole(['devices', '--json', '--known', table, home]).stdout) as { devices: { addresses: string[]; vendor: string; category: string; known: boolean; names: string[] }[] };
  const light = json.devices.find((d) => d.addresses.includes('192.168.1.21'))!;
  assert.deepEqual([light.vendor, light.category, light.known, light.names[0]], ['Tuya', 'light', true, 'hall light']);
  assert.match(peephole(['devices', '--known', table, home]).stdout, /Tuya \(known\)/);
  writeFileSync(table, '192.168.1.21\thall light\tTuya\tlamp\n');
  const bad = peephole(['devices', '--known', table, home]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /known\.tsv:1: unknown category "lamp"/);
});
