import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { PacketToWrite } from '../../capture/capture-writer.js';
import { PcapWriter } from '../../capture/pcap-writer.js';
import { PcapngWriter } from '../../capture/pcapng-writer.js';
import { runTool, scratchDir } from '../../capture/test-support.js';
import { LINKTYPE_ETHERNET, LINKTYPE_IEEE802_11_RADIOTAP } from '../../core/link-type.js';
import { TSRESOL_NANOSECONDS } from '../../capture/timestamp.js';
import { HAVE_TSHARK } from '../../decode/link/test-codec-kit.js';
import { observeDevices } from '../../observe/devices.js';
import { defaultVendorRules } from '../../observe/vendor-rules.js';
import { SpecError } from '../spec-error.js';
import { DEVICE_ACTIONS } from '../../core/kinds.js';
import { type DayOfLife, type DeviceSpec } from '../types.js';
import { type Vantage } from '../../core/vantage.js';
import { loadDeviceProfiles } from './device-profiles.js';
import { HomeTrafficWriter, linkTypeFor } from './home-traffic-writer.js';
import { DAY_US, FAMILY_HOME, MONDAY_US, SMALL_HOME, TEST_NETWORK, testDay } from './test-home.js';

const DAYS = 2;
const CHECK_CHECKSUMS = ['-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'];

interface Written {
  frames: PacketToWrite[];
  pcap: Uint8Array;
  pcapng: Uint8Array;
  writer: HomeTrafficWriter;
  totals: { packets: number; bytes: number };
}

/** `days` test days of `devices` seen from `vantage`, as frames and as pcap and pcapng files. */
function write(vantage: Vantage, options: { days?: number; seed?: number; devices?: readonly DeviceSpec[]; extra?: (d: number) => DayOfLife['events'] } = {}): Written {
  const frames: PacketToWrite[] = [];
  const pcap = new PcapWriter({ linkType: linkTypeFor(vantage), precision: 'ns' });
  const pcapng = new PcapngWriter({ interfaces: [{ linkType: linkTypeFor(vantage), tsresol: TSRESOL_NANOSECONDS }] });
  const devices = options.devices ?? SMALL_HOME;
  const writer = new HomeTrafficWriter({
    source: 'test-home',
    devices,
    network: TEST_NETWORK,
    vantage,
    seed: options.seed ?? 1,
    startUs: MONDAY_US,
    sink: {
      writePacket(p) {
        frames.push(p);
        pcap.writePacket(p);
        pcapng.writePacket(p);
      },
    },
  });
  for (let d = 0; d < (options.days ?? DAYS); d++) {
    const day = testDay(d, devices);
    writer.writeDay({ ...day, events: [...day.events, ...(options.extra?.(d) ?? [])] });
  }
  const totals = writer.finish();
  pcap.close();
  pcapng.close();
  return { frames, pcap: pcap.toBytes(), pcapng: pcapng.toBytes(), writer, totals };
}

const LAN = write('lan');
const WAN = write('wan');
const WIFI = write('wifi');

/** Runs tshark on `bytes` written to a file: `fields` of the frames `filter` keeps, and (`expert`) its Errors and Warns (malformed frames are errors). */
function tshark(bytes: Uint8Array, fields: string[], filter = '', expert = false): { problems: string; rows: string[][] } {
  const dir = scratchDir();
  try {
    const file = dir.path('home.cap');
    writeFileSync(file, bytes);
    const report = expert ? runTool('tshark', ['-r', file, '-q', '-z', 'expert', ...CHECK_CHECKSUMS]).stdout : '';
    const problems = report
      .split(/\n\s*\n/)
      .map((s) => s.trim())
      .filter((s) => /^(Errors|Warns|Warnings) \(\d+\)/.test(s))
      .join('\n\n');
    const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...CHECK_CHECKSUMS];
    if (filter) args.push('-Y', filter);
    for (const f of fields) args.push('-e', f);
    const rows = runTool('tshark', args).stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    return { problems, rows };
  } finally {
    dir.remove();
  }
}

const profiles = loadDeviceProfiles();
const networkDevices = SMALL_HOME.filter((d) => d.mac !== undefined);
const profileOf = (id: string): ReturnType<typeof profiles.byId.get> =>
  [...profiles.byId.values()].find((p) => {
    const d = SMALL_HOME.find((x) => x.id === id);
    return d !== undefined && p.vendor === d.vendor && p.kind === d.kind;
  });

test('linkTypeFor() gives Ethernet for the lan and wan vantages and radiotap 802.11 for wifi', () => {
  assert.equal(linkTypeFor('lan'), LINKTYPE_ETHERNET);
  assert.equal(linkTypeFor('wan'), LINKTYPE_ETHERNET);
  assert.equal(linkTypeFor('wifi'), LINKTYPE_IEEE802_11_RADIOTAP);
});

for (const [vantage, w] of [['lan', LAN], ['wan', WAN], ['wifi', WIFI]] as const) {
  test(`HomeTrafficWriter writes ${vantage} captures, pcap and pcapng, that tshark reads with no warnings, errors or malformed frames`, { skip: !HAVE_TSHARK }, () => {
    for (const bytes of [w.pcap, w.pcapng]) {
      const r = tshark(bytes, ['frame.number'], '', true);
      assert.equal(r.problems, '', r.problems);
      assert.equal(r.rows.length, w.frames.length);
    }
  });

  test(`HomeTrafficWriter writes ${vantage} frames in time order and counts them in finish()`, () => {
    for (let i = 1; i < w.frames.length; i++) {
      const a = w.frames[i - 1];
      const b = w.frames[i];
      assert.ok(a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec <= b.tsNsec), `frame ${i + 1} is earlier than frame ${i}`);
    }
    assert.equal(w.totals.packets, w.frames.length);
    assert.equal(w.totals.bytes, w.frames.reduce((n, f) => n + f.data.length, 0));
    assert.ok(w.frames[0].tsSec * 1e6 >= MONDAY_US);
    assert.ok(w.frames[w.frames.length - 1].tsSec * 1e6 > MONDAY_US + (DAYS - 1) * DAY_US);
  });
}

test('a day of a home with a device of every kind, and a use of every action, reads in tshark with no warnings or errors', { skip: !HAVE_TSHARK }, () => {
  const family = write('lan', { days: 1, devices: FAMILY_HOME });
  const kinds = new Set(FAMILY_HOME.map((d) => d.kind));
  assert.equal(kinds.size, 10);
  const used = new Set(testDay(0, FAMILY_HOME).events.map((e) => `${e.kind} ${e.action}`));
  for (const k of kinds) for (const a of DEVICE_ACTIONS[k]) assert.ok(used.has(`${k} ${a}`), `${k} ${a}`);
  const r = tshark(family.pcapng, ['tls.handshake.extensions_server_name'], 'tls.handshake.type == 1', true);
  assert.equal(r.problems, '', r.problems);
  const want = FAMILY_HOME.filter((d) => d.mac !== undefined).map((d) => [...profiles.byId.values()].find((p) => p.vendor === d.vendor && p.kind === d.kind)?.sessions[0].name);
  assert.deepEqual(new Set(r.rows.map((x) => x[0])), new Set(want));
});

test('the LAN capture\'s DNS names and TLS server names are exactly the profiles\' names', { skip: !HAVE_TSHARK }, () => {
  const names = tshark(LAN.pcap, ['dns.qry.name'], 'dns.flags.response == 0').rows.map((r) => r[0]);
  const sni = tshark(LAN.pcap, ['tls.handshake.extensions_server_name'], 'tls.handshake.type == 1').rows.map((r) => r[0]);
  const wantNames = new Set(networkDevices.flatMap((d) => profileOf(d.id)?.dns.map((n) => n.name) ?? []));
  const wantSni = new Set(networkDevices.flatMap((d) => profileOf(d.id)?.sessions.map((s) => s.name) ?? []));
  assert.deepEqual(new Set(names), wantNames);
  assert.deepEqual(new Set(sni), wantSni);
  // A name is looked up again when its TTL runs out (60 s for August), an "on-use" name only when
  // needed (pool.ntp.org, for the plug's hourly NTP).
  const count = (name: string): number => names.filter((n) => n === name).length;
  assert.ok(count('api-production.august.com') >= DAYS * 1400 && count('api-production.august.com') <= DAYS * 1440 + 1);
  assert.ok(count('pool.ntp.org') >= DAYS * 23 && count('pool.ntp.org') <= DAYS * 24 + 1, `${count('pool.ntp.org')}`);
});

test('observeDevices() finds exactly the LAN capture\'s network devices, each with its vendor and DHCP host name', async () => {
  const report = await observeDevices({ stream: Readable.from([LAN.pcap]), name: 'lan.pcap' }, { rules: defaultVendorRules() });
  const found = report.devices.filter((d) => d.category !== 'router');
  assert.deepEqual(found.map((d) => d.mac).sort(), networkDevices.map((d) => d.mac).sort());
  for (const d of networkDevices) {
    const f = found.find((x) => x.mac === d.mac);
    assert.equal(f?.vendor, d.vendor, d.id);
    if (d.hostname !== undefined) assert.ok(f?.names.includes(d.hostname), `${d.id}: ${f?.names.join(',')}`);
    assert.deepEqual(f?.addresses.filter((a) => a.startsWith('192.168.')), [d.ip]);
  }
  assert.equal(report.vantageDetected, 'lan');
});

test('the WAN capture shows only the router\'s public address on the home side, and no DHCP', { skip: !HAVE_TSHARK }, async () => {
  const rows = tshark(WAN.pcap, ['ip.src', 'ip.dst', 'eth.src', 'eth.dst', 'dhcp.option.dhcp']).rows;
  assert.equal(rows.length, WAN.frames.length);
  for (const [src, dst, ethSrc, ethDst, dhcp] of rows) {
    assert.ok(src === TEST_NETWORK.publicIp || dst === TEST_NETWORK.publicIp, `${src} -> ${dst}`);
    assert.ok(!src.startsWith('192.168.') && !dst.startsWith('192.168.'), `${src} -> ${dst}`);
    assert.deepEqual([ethSrc, ethDst].sort(), ['02:00:5e:10:00:02', TEST_NETWORK.ispMac].sort());
    assert.equal(dhcp, '');
  }
  const dns = tshark(WAN.pcap, ['ip.dst'], 'dns.flags.response == 0').rows;
  assert.ok(dns.length > 0 && dns.every(([dst]) => dst === TEST_NETWORK.ispResolverIp));
  const report = await observeDevices({ stream: Readable.from([WAN.pcap]), name: 'wan.pcap' }, { rules: defaultVendorRules() });
  assert.equal(report.vantageDetected, 'wan');
  // Every maker of the home is a cluster; flows no maker's names claim (the NTP servers every device
  // asks) may stay a cluster of their own, named by their domain and by no vendor.
  assert.deepEqual(new Set(report.devices.filter((d) => d.vendor !== null).map((d) => d.vendor)), new Set(networkDevices.map((d) => d.vendor)));
  for (const d of report.devices.filter((x) => x.vendor === null)) assert.match(d.id, /^[a-z0-9.-]+\.[a-z]+@/, `an unnamed cluster is named by its domain: ${d.id}`);
});

test('the Wi-Fi capture is protected 802.11 frames whose sizes follow the LAN frames, with nothing readable above the MAC', { skip: !HAVE_TSHARK }, () => {
  // The same seed gives the same traffic: each LAN frame (14-byte Ethernet header) becomes a Wi-Fi
  // frame of radiotap 16 + QoS data header 26 + CCMP header 8 + LLC/SNAP 8 + the IP packet + MIC 8.
  const lan = LAN.frames.map((f) => f.data.length);
  assert.deepEqual(WIFI.frames.map((f) => f.data.length), lan.map((n) => n - 14 + 16 + 26 + 8 + 8 + 8));
  const rows = tshark(WIFI.pcap, ['wlan.fc.protected', 'wlan.bssid', 'wlan.fc.ds', 'data.len', 'ip.src', 'dns.qry.name', 'tls.handshake.extensions_server_name']).rows;
  rows.forEach(([prot, bssid, ds, dataLen, ip, dns, sni], i) => {
    assert.equal(prot, '1');
    assert.equal(bssid, TEST_NETWORK.routerMac);
    assert.ok(ds === '0x01' || ds === '0x02', ds);
    assert.equal(Number(dataLen), lan[i] - 14 + 8 + 8, `frame ${i + 1}`);
    assert.equal(ip + dns + sni, '');
  });
});

test('HomeTrafficWriter writes the same capture, byte for byte, for the same seed, and another for another seed', () => {
  assert.deepEqual(write('lan').pcap, LAN.pcap);
  assert.deepEqual(write('wifi').pcapng, WIFI.pcapng);
  assert.notDeepEqual(write('lan', { seed: 2 }).pcap, LAN.pcap);
});

test('each use is a burst at its time with the sizes of the profile, a sensor\'s through its hub', { skip: !HAVE_TSHARK }, () => {
  const rows = tshark(LAN.pcap, ['frame.time_epoch', 'ip.src', 'ip.dst', 'tcp.len'], 'tcp.len > 0').rows.map(([t, s, d, n]) => ({ us: Math.round(Number(t) * 1e6), src: s, dst: d, len: Number(n) }));
  const day = testDay(1);
  for (const e of day.events) {
    const spec = SMALL_HOME.find((d) => d.id === e.device) as DeviceSpec;
    const carrier = SMALL_HOME.find((d) => d.id === (spec.via ?? spec.id)) as DeviceSpec;
    const shape = profileOf(carrier.id)?.actions[e.action];
    assert.ok(shape, `${e.device} ${e.action}`);
    const mine = rows.filter((r) => (r.src === carrier.ip || r.dst === carrier.ip) && r.us >= e.timeUs && r.us < e.timeUs + 60e6);
    assert.equal(mine[0].us, e.timeUs, `${e.device} ${e.action} starts at its time`);
    // Each message is one segment or, past the MSS, several of 1448 bytes.
    const got: { up: boolean; bytes: number }[] = [];
    for (const r of mine) {
      const up = r.src === carrier.ip;
      const last = got[got.length - 1];
      if (last && last.up === up && last.bytes % 1448 === 0 && got.length <= shape.messages.length) last.bytes += r.len;
      else got.push({ up, bytes: r.len });
    }
    assert.deepEqual(got.slice(0, shape.messages.length), shape.messages.map((m) => ({ up: m.up, bytes: m.bytes })), `${e.device} ${e.action}`);
  }
});

test('a use after the last midnight of a day is written on the next day, after that day\'s earlier frames', () => {
  const late = MONDAY_US + DAY_US + 1800e6;
  const w = write('lan', { days: 2, extra: (d) => (d === 0 ? [{ timeUs: late, device: 'kettle', kind: 'plug', action: 'on', cause: 'noise', resident: '' }] : []) });
  const plain = write('lan', { days: 2 });
  assert.ok(w.frames.length > plain.frames.length);
  const at = w.frames.findIndex((f) => f.tsSec * 1e6 + f.tsNsec / 1000 === late);
  assert.ok(at > 0, 'a frame at the use\'s time');
});

test('a use dated before the previous day\'s end is written at that end, keeping the frames in time order', () => {
  const early = MONDAY_US + 3600e6;
  const w = write('lan', { days: 2, extra: (d) => (d === 1 ? [{ timeUs: early, device: 'kettle', kind: 'plug', action: 'on', cause: 'noise', resident: '' }] : []) });
  for (let i = 1; i < w.frames.length; i++) {
    const a = w.frames[i - 1];
    const b = w.frames[i];
    assert.ok(a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec <= b.tsNsec), `frame ${i + 1} is earlier than frame ${i}`);
  }
  assert.ok(w.frames.some((f) => f.tsSec * 1e6 + f.tsNsec / 1000 === MONDAY_US + DAY_US), 'a frame at the first midnight');
});

test('HomeTrafficWriter holds about a day of frames at most, over 60 days', () => {
  const perDay = new Map<number, number>();
  const devices = SMALL_HOME.filter((d) => d.kind === 'lock' || d.kind === 'plug');
  const writer = new HomeTrafficWriter({
    source: 'test-home',
    devices,
    network: TEST_NETWORK,
    vantage: 'lan',
    seed: 3,
    startUs: MONDAY_US,
    sink: { writePacket: (p) => void perDay.set(Math.floor((p.tsSec * 1e6 - MONDAY_US) / DAY_US), (perDay.get(Math.floor((p.tsSec * 1e6 - MONDAY_US) / DAY_US)) ?? 0) + 1) },
  });
  for (let d = 0; d < 60; d++) writer.writeDay(testDay(d, devices));
  writer.finish();
  const busiest = Math.max(...perDay.values());
  assert.equal(perDay.size, 60);
  assert.ok(writer.peakHeldFrames <= busiest * 1.05, `held ${writer.peakHeldFrames}, busiest day ${busiest}`);
});

test('HomeTrafficWriter names the field of a use of a device not in the spec, and of a sensor without a usable hub', () => {
  const w = new HomeTrafficWriter({ source: 'home.json', devices: SMALL_HOME, network: TEST_NETWORK, vantage: 'lan', seed: 1, startUs: MONDAY_US, sink: { writePacket: () => undefined } });
  const day = { dayStartUs: MONDAY_US, activities: [], events: [{ timeUs: MONDAY_US + 1e9, device: 'toaster', kind: 'plug' as const, action: 'on', cause: 'noise' as const, resident: '' }] };
  assert.throws(() => w.writeDay(day), (e: unknown) => e instanceof SpecError && e.field === '2026-11-02 events[0].device' && /"toaster" is not a device/.test(e.problem));
  const make = (devices: DeviceSpec[]): HomeTrafficWriter =>
    new HomeTrafficWriter({ source: 'home.json', devices, network: TEST_NETWORK, vantage: 'lan', seed: 1, startUs: MONDAY_US, sink: { writePacket: () => undefined } });
  const lock = SMALL_HOME[0];
  assert.throws(() => make([lock, { id: 'pir', kind: 'motion', vendor: 'x', via: 'front-door' }]), (e: unknown) => e instanceof SpecError && e.field === 'devices[1].via' && /no burst shape for a motion sensor's "motion"/.test(e.problem));
  assert.throws(() => make([{ id: 'pir', kind: 'motion', vendor: 'x', via: 'nowhere' }]), (e: unknown) => e instanceof SpecError && e.field === 'devices[0].via');
  assert.throws(() => make([{ ...lock, mac: 'zz' }]), (e: unknown) => e instanceof SpecError && e.field === 'devices[0].mac');
  assert.throws(() => make([{ ...lock, vendor: 'Sonos' }]), (e: unknown) => e instanceof SpecError && e.field === 'devices[0].profile');
  const unknownAction = { dayStartUs: MONDAY_US, activities: [], events: [{ timeUs: MONDAY_US + 1e9, device: 'front-door', kind: 'lock' as const, action: 'explode', cause: 'noise' as const, resident: '' }] };
  assert.throws(() => make([lock]).writeDay(unknownAction), (e: unknown) => e instanceof SpecError && e.field === 'devices[0].profile');
});
