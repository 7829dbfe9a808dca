// `peephole devices` at every vantage and on every link type, against the simulator's truth (the
// family home's spec: each device's MAC, address and vendor) and a real plain-802.11 capture:
// - no link addresses (raw IP, Linux cooked v2, BSD loopback): the LAN capture's IP packets framed
//   again (test/support/relink.ts, checked with tshark): one device per home address;
// - PPPoE: the WAN capture's packets in PPPoE session frames: the same clusters as the Ethernet one;
// - WAN after NAT: the home's flows split into device clusters, one per maker the home has;
// - a Wi-Fi sniffer (radiotap, encrypted bodies): one device per MAC, the access point a router;
// - plain 802.11 (LINKTYPE_IEEE802_11, real capture): devices by MAC with the names their traffic gave;
// - 802.11 management frames: names from WPS attributes (each field checked against tshark), and a
//   capture of management frames only is refused rather than answered with no devices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { formatMac } from '../src/core/bytes.js';
import { LINKTYPE_IEEE802_11 } from '../src/core/link-type.js';
import { loadHomeSpec } from '../src/home/spec.js';
import { defaultVendorDirectory } from '../src/observe/vendors.js';
import { PEEPHOLE_BIN, REPO_ROOT, SHARED_CAPTURES_DIR } from './support/paths.js';
import { relinkCapture, type Relink } from './support/relink.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-devices-vantages-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const spec = loadHomeSpec('family');
const vendors = defaultVendorDirectory();

function peephole(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonDevice {
  id: string;
  mac: string | null;
  addresses: string[];
  names: string[];
  vendor: string | null;
  category: string | null;
}
interface JsonReport {
  vantage: string;
  vantageDetected: string;
  vantageWhy?: string;
  devices: JsonDevice[];
}

function devicesJson(file: string): JsonReport {
  const r = peephole(['devices', '--json', file]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

const captures = new Map<string, string>();
/** The family home (seed 11, one day) as `vantage` records it. */
function simulated(vantage: 'lan' | 'wan' | 'wifi'): string {
  const had = captures.get(vantage);
  if (had !== undefined) return had;
  const out = path.join(dir, vantage);
  const r = peephole(['simulate', '--home', 'family', '--days', '1', '--seed', '11', '--vantage', vantage, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const file = path.join(out, 'capture.pcapng');
  captures.set(vantage, file);
  return file;
}

/** IP packets tshark reads in `file` under `filter`. */
function tsharkCount(file: string, filter: string): number {
  const r = spawnSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').length;
}

const ROUTER_IP = spec.network.routerIp;
const ROUTER_MAC = spec.network.routerMac;

for (const [how, filter] of [
  ['raw', 'ip'],
  ['sll2', 'sll && ip'],
  ['null', 'null && ip'],
] as [Relink, string][]) {
  test(`${how}: without link addresses, one device per home address, named from its traffic`, async () => {
    const file = path.join(dir, `lan-${how}.pcap`);
    const written = await relinkCapture(simulated('lan'), file, how);
    assert.equal(tsharkCount(file, filter), written, 'tshark reads every frame as IP');
    const inspect = peephole(['inspect', file]);
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.match(inspect.stdout, /\nVantage    LAN: no link addresses \(link type \d+, [^)]+\): devices told apart by IP address; \d+ % of the hosts' packets are of home addresses: a LAN capture\n/);
    const report = devicesJson(file);
    assert.equal(report.vantage, 'lan');
    assert.match(report.vantageWhy ?? '', /^no link addresses .*a device is an IP address; 100 % of its IP packets have a home address: a LAN capture/);
    const ids = report.devices.map((d) => d.id).sort();
    assert.deepEqual(ids, [ROUTER_IP, ...spec.devices.map((d) => d.ip!)].sort(), 'the home addresses, no outside one');
    for (const d of spec.devices) {
      const found = report.devices.find((x) => x.id === d.ip)!;
      assert.equal(found.mac, null);
      assert.ok(found.vendor !== null && vendors.sameCompany(found.vendor, d.vendor), `${d.id}: ${found.vendor} for ${d.vendor}`);
    }
  });
}

test('WAN: the home behind NAT split into device clusters, one per maker of its devices', () => {
  const file = simulated('wan');
  const r = peephole(['devices', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /: \d+ device cluster\(s\) behind NAT, WAN vantage \(detected\)\n  vantage: 0 % of its IP packets have a home address: a WAN capture after NAT/);
  assert.match(peephole(['inspect', file]).stdout, /\nVantage    WAN: 0 % of the hosts' packets are of home addresses: a WAN capture after NAT/);
  const report = devicesJson(file);
  const makers = [...new Set(spec.devices.map((d) => vendors.company(d.vendor)))];
  for (const m of makers) {
    const clusters = report.devices.filter((d) => d.vendor !== null && vendors.company(d.vendor) === m);
    assert.equal(clusters.length, 1, `one cluster for ${m}: ${clusters.map((c) => c.id).join(', ')}`);
    const kinds: string[] = spec.devices.filter((d) => vendors.company(d.vendor) === m).map((d) => d.kind);
    assert.ok(kinds.includes(clusters[0].category!), `${m}: ${clusters[0].category} among ${kinds.join(', ')}`);
  }
  const named = report.devices.filter((d) => d.vendor !== null);
  assert.equal(named.length, makers.length, 'no cluster names a maker the home does not have');
});

test('PPPoE: the WAN capture in PPPoE session frames gives the same device clusters', async () => {
  const file = path.join(dir, 'wan-pppoe.pcap');
  const written = await relinkCapture(simulated('wan'), file, 'pppoe');
  assert.equal(tsharkCount(file, 'pppoes && ip'), written, 'tshark reads every frame as IP over PPPoE');
  const shape = (r: JsonReport): string[] => r.devices.map((d) => `${d.id} ${d.vendor} ${d.category}`);
  const pppoe = devicesJson(file);
  assert.equal(pppoe.vantage, 'wan');
  assert.deepEqual(shape(pppoe), shape(devicesJson(simulated('wan'))));
});

test('Wi-Fi (radiotap, encrypted): one device per MAC that sent data frames, the access point a router', () => {
  const file = simulated('wifi');
  const r = peephole(['devices', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /: 10 device\(s\), Wi-Fi vantage \(detected\)\n  vantage: \d+ of \d+ frame\(s\) are 802\.11: a Wi-Fi sniffer's capture/);
  assert.match(peephole(['inspect', file]).stdout, /\nVantage    Wi-Fi: \d+ of \d+ frame\(s\) are 802\.11 \(link type 127, IEEE 802\.11 plus radiotap radio header\): a Wi-Fi sniffer's capture/);
  const report = devicesJson(file);
  assert.equal(report.vantage, 'wifi');
  assert.deepEqual(report.devices.map((d) => d.mac).sort(), [ROUTER_MAC, ...spec.devices.map((d) => d.mac!)].sort());
  assert.equal(report.devices.find((d) => d.mac === ROUTER_MAC)!.category, 'router');
  for (const d of spec.devices) {
    const found = report.devices.find((x) => x.mac === d.mac)!;
    assert.ok(found.vendor !== null && vendors.sameCompany(found.vendor, d.vendor), `${d.id}: ${found.vendor} for ${d.vendor} (its MAC's owner)`);
    assert.notEqual(found.category, 'router');
  }
});

test('plain 802.11 (a real capture, LINKTYPE_IEEE802_11): devices by MAC, named from their traffic', { skip: !existsSync(path.join(SHARED_CAPTURES_DIR, 'wlan-80211-plain-dns-mdns.pcap')) }, () => {
  const report = devicesJson(path.join(SHARED_CAPTURES_DIR, 'wlan-80211-plain-dns-mdns.pcap'));
  assert.equal(report.vantage, 'wifi');
  const ipad = report.devices.find((d) => d.mac === 'a4:67:06:f7:ec:54');
  assert.ok(ipad, report.devices.map((d) => d.id).join(', '));
  assert.deepEqual([ipad.vendor, ipad.category, ipad.names], ['Apple', 'computer', ['Art-Teachers-iPad.local']]);
});

// Hand-made 802.11 frames (no radio header, no FCS).
const AP = [0x38, 0x94, 0xed, 0x61, 0x0a, 0x01];
const STATION = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55]; // locally administered: no registry names it
const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const WPS = { device: 'Living Room TV', manufacturer: 'Samsung', model: 'QE55Q80', number: 'Q80T' };

function element(id: number, body: number[]): number[] {
  return [id, body.length, ...body];
}
function text(s: string): number[] {
  return [...Buffer.from(s, 'utf8')];
}
function wpsAttribute(type: number, body: number[]): number[] {
  return [type >> 8, type & 0xff, body.length >> 8, body.length & 0xff, ...body];
}
function beacon(): number[] {
  const body = [...new Array(8).fill(0), 0x64, 0x00, 0x01, 0x04, ...element(0, text('HomeNet'))];
  return [0x80, 0x00, 0, 0, ...BROADCAST, ...AP, ...AP, 0x10, 0x00, ...body];
}
function probeRequest(): number[] {
  const wps = [
    0x00, 0x50, 0xf2, 0x04,
    ...wpsAttribute(0x104a, [0x10]),
    ...wpsAttribute(0x1011, text(WPS.device)),
    ...wpsAttribute(0x1021, text(WPS.manufacturer)),
    ...wpsAttribute(0x1023, text(WPS.model)),
    ...wpsAttribute(0x1024, text(WPS.number)),
  ];
  // The SSID it asks for is the network it looks for, not its name.
  return [0x40, 0x00, 0, 0, ...BROADCAST, ...STATION, ...BROADCAST, 0x20, 0x00, ...element(0, text('CoffeeShop')), ...element(221, wps)];
}
/** A protected QoS data frame, to the AP (`up`) or from it: CCMP header, 120 encrypted bytes, MIC. */
function sealedData(up: boolean, pn: number): number[] {
  const addresses = up ? [...AP, ...STATION, ...AP] : [...STATION, ...AP, ...AP];
  return [0x88, up ? 0x41 : 0x42, 0, 0, ...addresses, 0x30, 0x00, 0x00, 0x00, pn & 0xff, 0, 0, 0x20, 0, 0, 0, 0, ...new Array(120 + 8).fill(0x5a)];
}

function wlanCapture(name: string, frames: number[][]): string {
  const w = new PcapWriter({ linkType: LINKTYPE_IEEE802_11 });
  frames.forEach((f, i) => w.writePacket({ tsSec: 1_793_600_000 + i, tsNsec: 0, data: Uint8Array.from(f) }));
  w.close();
  const file = path.join(dir, name);
  writeFileSync(file, w.toBytes());
  return file;
}

test('802.11 management frames: WPS names read as tshark reads them; the probe request\'s SSID is not a name', () => {
  const file = wlanCapture('wps.pcap', [beacon(), probeRequest(), ...Array.from({ length: 6 }, (_, i) => sealedData(i % 2 === 0, i))]);
  const t = spawnSync('tshark', ['-r', file, '-Y', 'wps.device_name', '-T', 'fields', '-e', 'wps.device_name', '-e', 'wps.manufacturer', '-e', 'wps.model_name', '-e', 'wps.model_number'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  assert.equal(t.stdout, `${WPS.device}\t${WPS.manufacturer}\t${WPS.model}\t${WPS.number}\n`, 'tshark reads the same fields');
  const r = peephole(['devices', '--json', '--evidence', file]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { devices: (JsonDevice & { evidence: { kind: string; value: string }[] })[] };
  const station = report.devices.find((d) => d.mac === '02:11:22:33:44:55')!;
  assert.deepEqual(station.names, [WPS.device, WPS.model]);
  assert.equal(station.vendor, 'Samsung', 'its WPS manufacturer');
  const shown = station.evidence.filter((e) => e.kind === 'wlan_name').map((e) => e.value);
  assert.deepEqual(shown.sort(), [`wps device name: ${WPS.device}`, `wps manufacturer: ${WPS.manufacturer}`, `wps model name: ${WPS.model}`, `wps model number: ${WPS.number}`].sort());
  assert.ok(!JSON.stringify(report).includes('CoffeeShop'));
  const ap = report.devices.find((d) => d.mac === formatMac(0x3894ed610a01))!;
  assert.equal(ap.category, 'router');
});

test('a Wi-Fi capture of management frames only is refused: no device sent data', () => {
  const file = wlanCapture('beacons.pcap', [beacon(), probeRequest(), beacon()]);
  for (const command of ['devices', 'timeline']) {
    const r = peephole(command === 'timeline' ? ['timeline', file, '--csv', '-'] : [command, file]);
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^peephole: .*beacons\.pcap: a Wi-Fi sniffer capture without data frames \(link type 105, IEEE 802\.11 Wireless LAN\): \w+ needs a LAN, WAN or Wi-Fi capture/);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
  }
});
