// A capture a command cannot use gets one line naming the file, what the capture is and what the
// command needs, and exit 1: never "0 device(s)", "no devices" or "(no activity inferred)", and never an
// internal error. Captures of a link type no decoder reads (147, USER0), with no frame at all and with
// frames of no address to tell devices by, written with the capture writers, are refused; simulated
// LAN, WAN and Wi-Fi captures and a raw IP one (devices by IP address) work for every command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { LINKTYPE_RAW } from '../src/core/link-type.js';
import { TrafficWriter } from '../src/home/traffic/traffic-writer.js';
import { CLOUD, DEVICE, framesOf, MONDAY_US, ROUTER } from '../src/uses/test-support.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-vantage-'));
const ETHERNET_HEADER_BYTES = 14;
const LINKTYPE_USER0 = 147;
const LINKTYPE_LINUX_SLL2 = 276;

test.after(() => rmSync(dir, { recursive: true, force: true }));

function peephole(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A model folder of the rules preset (its manifest alone), so that attack needs no bundled model:
// a fresh clone has none, and the refusals come from the capture, whatever the model.
const RULES_MODEL = path.join(dir, 'rules-model');
{
  const r = peephole(['train', '--preset', 'rules', '--out', RULES_MODEL]);
  assert.equal(r.status, 0, r.stderr);
}

/** A simulated capture of the family home (seed 11) seen from `vantage`. */
function simulated(vantage: 'lan' | 'wan' | 'wifi', days: number): string {
  const out = path.join(dir, `family-${vantage}`);
  const r = peephole(['simulate', '--home', 'family', '--days', String(days), '--seed', '11', '--vantage', vantage, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return path.join(out, 'capture.pcapng');
}

/** A device's DNS lookups and UDP exchanges with its cloud, as Ethernet frames. */
function ethernetFrames(): { tsSec: number; tsNsec: number; data: Uint8Array }[] {
  return framesOf((sink) => {
    const w = new TrafficWriter(sink, 1);
    for (let i = 0; i < 20; i++) {
      const t = MONDAY_US + i * 60e6;
      w.dnsLookup(t, DEVICE, ROUTER, 'api-production.august.com', { addresses: ['52.44.10.21'] });
      w.udp(t + 1e6, DEVICE, CLOUD, 40000, 56700, new Uint8Array(77));
    }
  });
}

function pcapFile(name: string, linkType: number, frames: readonly { tsSec: number; tsNsec: number; data: Uint8Array }[]): string {
  const w = new PcapWriter({ linkType });
  for (const f of frames) w.writePacket(f);
  w.close();
  const file = path.join(dir, name);
  writeFileSync(file, w.toBytes());
  return file;
}

/** The commands that need devices told apart, and the words their refusal ends with. */
const NEEDS = 'needs a LAN, WAN or Wi-Fi capture \\(Ethernet, 802\\.11, raw IP, Linux cooked, PPPoE or loopback frames\\)$';
const COMMANDS: { args: (file: string) => string[]; needs: RegExp }[] = [
  { args: (f) => ['devices', f], needs: new RegExp(`: devices ${NEEDS}`) },
  { args: (f) => ['devices', '--json', '--evidence', f], needs: new RegExp(`: devices ${NEEDS}`) },
  { args: (f) => ['timeline', f, '--csv', '-'], needs: new RegExp(`: timeline ${NEEDS}`) },
  { args: (f) => ['attack', '--model', RULES_MODEL, f], needs: new RegExp(`: attack ${NEEDS}`) },
  { args: (f) => ['attack', '--json', '--model', RULES_MODEL, f], needs: new RegExp(`: attack ${NEEDS}`) },
];

function assertRefused(args: string[], file: string, found: RegExp, needs: RegExp): void {
  const r = peephole(args);
  const what = args.join(' ');
  assert.equal(r.status, 1, `${what}: exit ${r.status}, stderr ${r.stderr}`);
  assert.equal(r.stdout, '', `${what} prints nothing on stdout`);
  const lines = r.stderr.split('\n');
  assert.equal(lines.length, 2, `${what}: one line on stderr, got ${JSON.stringify(r.stderr)}`);
  assert.equal(lines[1], '');
  const line = lines[0];
  assert.doesNotMatch(line, /internal error|^\s+at /);
  assert.ok(line.startsWith(`peephole: ${file}: `), `${what}: the file first: ${line}`);
  assert.match(line, found, what);
  assert.match(line, needs, what);
}

/** Every command works on `file`: devices found (`devicesLine` matches its header), a timeline, uses and an inferred day. */
function assertWorks(file: string, devicesLine: RegExp): void {
  const devices = peephole(['devices', file]);
  assert.equal(devices.status, 0, devices.stderr);
  assert.match(devices.stdout, devicesLine);
  const timeline = peephole(['timeline', file, '--csv', '-']);
  assert.equal(timeline.status, 0, timeline.stderr);
  assert.match(timeline.stdout, /^time_utc,device,label,bytes\n\d{4}-/);
  for (const json of [false, true]) {
    const attack = peephole(['attack', ...(json ? ['--json'] : []), '--model', RULES_MODEL, file]);
    assert.equal(attack.status, 0, attack.stderr);
    if (json) assert.ok((JSON.parse(attack.stdout) as { uses: number }).uses > 0);
    else assert.match(attack.stdout, /^peephole attack: [1-9]\d* uses found in /);
  }
}

test('a Wi-Fi sniffer capture works for devices, timeline and attack: devices by MAC from the frames', () => {
  assertWorks(simulated('wifi', 2), /: 10 device\(s\), Wi-Fi vantage \(detected\)\n/);
});

test('a WAN capture works for devices, timeline and attack: device clusters behind NAT', () => {
  assertWorks(simulated('wan', 2), /: [1-9]\d* device cluster\(s\) behind NAT, WAN vantage \(detected\)\n/);
});

test('a capture of a link type no decoder reads (147, USER0) is refused: no frame could be decoded', () => {
  const file = pcapFile('user0.pcap', LINKTYPE_USER0, ethernetFrames());
  for (const c of COMMANDS) assertRefused(c.args(file), file, /: no frame could be decoded \(link type 147, USER 0\): /, c.needs);
});

test('a raw IP capture works: without Ethernet headers the devices are told apart by IP address', () => {
  const file = pcapFile('raw-ip.pcap', LINKTYPE_RAW, ethernetFrames().map((f) => ({ ...f, data: f.data.subarray(ETHERNET_HEADER_BYTES) })));
  const inspect = peephole(['inspect', file]);
  assert.equal(inspect.status, 0, inspect.stderr);
  assert.match(inspect.stdout, /Protocols\s+ipv4 60, udp 60, dns 40\n/, 'the frames themselves decode');
  const devices = peephole(['devices', file]);
  assert.equal(devices.status, 0, devices.stderr);
  assert.match(devices.stdout, /: 2 device\(s\), LAN vantage \(detected\)\n  vantage: no link addresses .*\n\n.*\n  192\.168\.1\.20 +August +lock /);
});

test('frames with no link or IP address to tell devices by are refused', () => {
  // Linux cooked v2 frames of ARP requests: decoded, but neither an Ethernet header nor an IP packet
  // (an ARP sender there is not taken for a device, or one address would be two devices).
  const sll2Arp = (i: number): Uint8Array =>
    Uint8Array.from([
      0x08, 0x06, 0, 0, 0, 0, 0, 1, 0, 1, 1, 6, 0x78, 0x9c, 0x85, 0x12, 0x34, 0x01, 0, 0,
      0, 1, 0x08, 0x00, 6, 4, 0, 1, 0x78, 0x9c, 0x85, 0x12, 0x34, 0x01, 192, 168, 1, 20, 0, 0, 0, 0, 0, 0, 192, 168, 1, i,
    ]);
  const file = pcapFile('sll2-arp.pcap', LINKTYPE_LINUX_SLL2, Array.from({ length: 5 }, (_, i) => ({ tsSec: 1_793_600_000 + i, tsNsec: 0, data: sll2Arp(i + 1) })));
  const inspect = peephole(['inspect', file]);
  assert.equal(inspect.status, 0, inspect.stderr);
  assert.match(inspect.stdout, /Protocols\s+sll2 5, arp 5\n/, 'the frames themselves decode');
  for (const c of COMMANDS) assertRefused(c.args(file), file, /: no frame with a link or IP address \(link type 276, Linux cooked-mode capture v2\): /, c.needs);
});

test('a capture with no frame at all is refused rather than shown as no devices', () => {
  const file = pcapFile('empty.pcap', 1, []);
  for (const c of COMMANDS) assertRefused(c.args(file), file, /: no frames: /, c.needs);
});

test('the LAN capture of the same home still works for devices, timeline and attack', () => {
  const file = simulated('lan', 2);
  const devices = peephole(['devices', file]);
  assert.equal(devices.status, 0, devices.stderr);
  assert.match(devices.stdout, /: 10 device\(s\), LAN vantage \(detected\)/);
  const timeline = peephole(['timeline', file, '--csv', '-']);
  assert.equal(timeline.status, 0, timeline.stderr);
  assert.match(timeline.stdout, /^time_utc,device,label,bytes\n\d{4}-/);
  const attack = peephole(['attack', '--model', RULES_MODEL, file]);
  assert.equal(attack.status, 0, attack.stderr);
  assert.match(attack.stdout, /^peephole attack: [1-9]\d* uses found in .* \(9 devices\)/);
  assert.doesNotMatch(attack.stdout, /no activity inferred/);
});
