// The simulator's seams (src/home/seams.ts) end to end: with the no-op transforms, and with transforms
// that change nothing but go through the seams, every file is the one a home without seams gets; a
// use transform's cover uses are in events.csv as `cover` and on the wire; a packet transform changes
// what the LAN, the WAN and the Wi-Fi sniffer see, the same packets at every vantage, and tshark
// reads the result without a warning; a transformed home is as reproducible as any other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHomeSpec } from '../src/home/spec.js';
import { simulateHome, type SimulateResult } from '../src/home/simulate.js';
import { NO_PACKET_TRANSFORM, NO_USE_TRANSFORM, type PacketTransform, type Seams, type UseTransform } from '../src/home/seams.js';
import type { SimulatedUse } from '../src/home/types.js';
import { formatIpv4, parseIpv4 } from '../src/core/bytes.js';
import type { Vantage } from '../src/core/vantage.js';
import { readEventsCsv } from '../src/attack/events-csv.js';
import { writePaperPreset } from '../src/attack/paper-dataset.js';
import { detectUsage } from '../src/uses/detect-usage.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';
import { payloadJitter } from './support/measure-uses.js';

const HOME = 'family';
const DAYS = 1;
const SEED = 11;
const VANTAGES: readonly Vantage[] = ['lan', 'wan', 'wifi'];
const FILES = ['activities.csv', 'events.csv', 'capture.pcapng'];
const HOUR_US = 3_600e6;
const DAY_US = 24 * HOUR_US;
/** Radiotap (16) + QoS data header (26) + CCMP header (8) + LLC/SNAP (8) + MIC (8) against Ethernet's 14: see wire.ts. */
const WIFI_MORE_THAN_ETHERNET = 16 + 26 + 8 + 8 + 8 - 14;
const PAD_TO = 512;
const TCP_MSS = 1448;

const spec = loadHomeSpec(HOME);
const dir = mkdtempSync(path.join(tmpdir(), 'peephole-seams-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function simulate(name: string, vantage: Vantage, seams?: Seams, seed = SEED): { out: string; result: SimulateResult } {
  const out = path.join(dir, `${name}-${vantage}-${seed}`);
  const result = simulateHome({ spec, source: HOME, days: DAYS, seed, out, vantage, format: 'pcapng', seams });
  return { out, result };
}

const plain = new Map(VANTAGES.map((v) => [v, simulate('plain', v).out]));

function bytesOf(out: string, file: string): Buffer {
  return readFileSync(path.join(out, file));
}

/** tshark's output for a capture; fails on a non-zero exit or anything on stderr but the warning about running as root. */
function tshark(capture: string, args: string[]): string {
  const r = spawnSync('tshark', ['-r', capture, ...args], { maxBuffer: 1 << 28 });
  const stderr = r.stderr
    .toString()
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^Running as user "root"/.test(l));
  assert.equal(r.status, 0, r.stderr.toString());
  assert.deepEqual(stderr, [], `${capture}: tshark wrote to stderr`);
  return r.stdout.toString();
}

/** Expert-info entries at warning or error severity (as test/simulate.test.ts checks them). */
function expertProblems(capture: string): string[] {
  return tshark(capture, ['-q', '-z', 'expert,warn'])
    .split('\n')
    .filter((l) => /^\s+\d+\s+\S+\s+\S+\s+/.test(l) && !/Frequency/.test(l));
}

/** One row per frame: the fields asked for, tab-separated. */
function fields(capture: string, names: string[]): string[][] {
  const args = ['-T', 'fields', ...names.flatMap((n) => ['-e', n])];
  return tshark(capture, args)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

test('with the no-op transforms every file is byte for byte what a home without seams gets', () => {
  for (const v of VANTAGES) {
    const { out } = simulate('no-op', v, { uses: NO_USE_TRANSFORM, packets: NO_PACKET_TRANSFORM });
    for (const f of FILES) assert.ok(bytesOf(out, f).equals(bytesOf(plain.get(v)!, f)), `${v} ${f}`);
  }
});

test('transforms that change nothing go through both seams and still write the same bytes', () => {
  let days = 0;
  let packets = 0;
  const uses: UseTransform = {
    transformDay(day) {
      days++;
      return day.events;
    },
  };
  const same: PacketTransform = {
    transformPacket() {
      packets++;
    },
  };
  for (const v of VANTAGES) {
    days = packets = 0;
    const { out, result } = simulate('identity', v, { uses, packets: same });
    assert.ok(days === DAYS && packets > 10_000, `${v}: ${days} days and ${packets} packets through the seams`);
    // The WAN does not see DHCP, but its packets go through the seam all the same.
    if (v !== 'wan') assert.equal(packets, result.packets, v);
    for (const f of FILES) assert.ok(bytesOf(out, f).equals(bytesOf(plain.get(v)!, f)), `${v} ${f}`);
  }
});

const KETTLE = spec.devices.find((d) => d.id === 'kettle-plug')!;
const COVER_AT_US = 3 * HOUR_US;

/** Turns the kettle on at 03:00 every day, a use nobody made. */
const coverAtThree: UseTransform = {
  transformDay(day) {
    const cover: SimulatedUse = { timeUs: day.dayStartUs + COVER_AT_US, device: KETTLE.id, kind: 'plug', action: 'on', cause: 'cover', resident: '' };
    return [...day.events, cover];
  },
};

test('a use transform that adds uses writes them as cover in events.csv, and their traffic is in the capture', async () => {
  const { out } = simulate('cover', 'lan', { uses: coverAtThree });
  const plainOut = plain.get('lan')!;
  const lines = bytesOf(out, 'events.csv').toString().trim().split('\n');
  const plainLines = bytesOf(plainOut, 'events.csv').toString().trim().split('\n');
  const cover = lines.filter((l) => l.split(',')[5] === 'cover');
  assert.equal(cover.length, DAYS);
  for (let d = 0; d < DAYS; d++) {
    const at = new Date((spec.startUs + d * DAY_US + COVER_AT_US) / 1000).toISOString();
    assert.equal(cover[d], `${at},${((spec.startUs + d * DAY_US + COVER_AT_US) / 1e6).toFixed(6)},kettle-plug,plug,on,cover,`);
  }
  // Every lived use is still there, in time order with the cover ones.
  assert.deepEqual(
    lines.filter((l) => !cover.includes(l)),
    plainLines,
  );
  const read = readEventsCsv(path.join(out, 'events.csv'));
  assert.equal(read.events.filter((e) => e.cause === 'cover').length, DAYS);

  // On the wire: the kettle's data at 03:00 (its plug's "on" is a message to it and one back) is
  // there only in the home with cover, and all else is as it was.
  const kettleData = (capture: string): number[] =>
    fields(capture, ['frame.time_epoch', 'eth.src', 'eth.dst', 'tcp.len'])
      .filter(([, src, dst, len]) => (src === KETTLE.mac || dst === KETTLE.mac) && Number(len) > 0)
      .map(([t]) => Math.round(Number(t) * 1e6));
  const inCover = (t: number): boolean => {
    const sinceMidnight = (t - spec.startUs) % DAY_US;
    return sinceMidnight >= COVER_AT_US && sinceMidnight < COVER_AT_US + 60e6;
  };
  const withCover = kettleData(path.join(out, 'capture.pcapng'));
  const without = kettleData(path.join(plainOut, 'capture.pcapng'));
  // (At 03:00 the lived kettle sends at most a keep-alive; a use is a burst of several messages.)
  const covered = withCover.filter(inCover).length;
  const lived = without.filter(inCover).length;
  assert.ok(covered >= lived + 2 * DAYS, `${covered} kettle data packets at 03:00 with cover, ${lived} without`);
  assert.deepEqual(
    withCover.filter((t) => !inCover(t)),
    without.filter((t) => !inCover(t)),
  );
  // And an observer's use detection finds a kettle use at 03:00 each day.
  const report = await detectUsage(path.join(out, 'capture.pcapng'), { rules: defaultVendorRules() });
  const found = report.events.filter((e) => e.device === KETTLE.mac && inCover(e.timeUs));
  assert.equal(found.length, DAYS, JSON.stringify(found));
});

test('a use transform that names a device the home does not have is refused, naming the day and the use', () => {
  const ghost: UseTransform = {
    transformDay: (day) => [...day.events, { timeUs: day.dayStartUs, device: 'ghost', kind: 'plug', action: 'on', cause: 'cover', resident: '' }],
  };
  assert.throws(() => simulate('ghost', 'lan', { uses: ghost }), /^RangeError: use transform, 2026-11-02 uses\[\d+\]: "ghost" is not a device of the home "family"$/);
  const wrongKind: UseTransform = {
    transformDay: (day) => [{ timeUs: day.dayStartUs, device: KETTLE.id, kind: 'light', action: 'on', cause: 'cover', resident: '' }],
  };
  assert.throws(() => simulate('wrong-kind', 'lan', { uses: wrongKind }), /uses\[0\]: "kettle-plug" is a plug, not a light$/);
});

/** Pads every packet that may grow to the next multiple of 512 bytes, at most its most. */
const padTo512: PacketTransform = {
  transformPacket(p) {
    p.payloadBytes = Math.max(p.payloadBytes, Math.min(p.maxPayloadBytes, Math.ceil(p.payloadBytes / PAD_TO) * PAD_TO));
  },
};

test('a packet transform that pads changes what the LAN, the WAN and the Wi-Fi sniffer see: the same packets, larger', () => {
  const lengths = new Map<string, number[]>();
  for (const v of VANTAGES) {
    const { out, result } = simulate('padded', v, { packets: padTo512 });
    const plainOut = plain.get(v)!;
    for (const f of ['activities.csv', 'events.csv']) assert.ok(bytesOf(out, f).equals(bytesOf(plainOut, f)), `${v} ${f}`);
    const capture = path.join(out, 'capture.pcapng');
    assert.deepEqual(expertProblems(capture), [], `${v}: tshark's warnings`);
    const rows = fields(capture, ['frame.time_epoch', 'frame.len']);
    const before = fields(path.join(plainOut, 'capture.pcapng'), ['frame.time_epoch', 'frame.len']);
    // The same packets at the same times, none smaller, many larger.
    assert.equal(rows.length, before.length, v);
    assert.equal(rows.length, result.packets, v);
    let larger = 0;
    rows.forEach(([t, len], i) => {
      assert.equal(t, before[i][0], `${v} frame ${i + 1}: time`);
      assert.ok(Number(len) >= Number(before[i][1]), `${v} frame ${i + 1}: ${len} < ${before[i][1]}`);
      if (Number(len) > Number(before[i][1])) larger++;
    });
    assert.ok(larger > rows.length / 4, `${v}: only ${larger} of ${rows.length} frames larger`);
    lengths.set(v, rows.map(([, len]) => Number(len)));
    if (v === 'wifi') continue;
    // Every TCP payload is a multiple of 512 bytes, a full segment, or a handshake's (which keeps its size).
    const tcp = fields(capture, ['tcp.len', 'tcp.stream']).filter(([len]) => Number(len) > 0);
    const odd = tcp.filter(([len]) => Number(len) % PAD_TO !== 0 && Number(len) !== TCP_MSS);
    assert.ok(tcp.length > 1000 && odd.length < tcp.length / 20, `${v}: ${odd.length} of ${tcp.length} TCP payloads neither padded nor full`);
    // The padded streams are still TLS: tshark reads as many application-data records as before, and more (the padding's own).
    const records = (c: string): number => fields(c, ['tls.record.content_type']).flatMap(([types]) => types.split(',')).filter((t) => t === '23').length;
    assert.ok(records(capture) >= records(path.join(plainOut, 'capture.pcapng')), `${v}: TLS records`);
  }
  // The transform ran before the vantage: the Wi-Fi sniffer sees the LAN's frames, each as much larger.
  const lan = lengths.get('lan')!;
  assert.deepEqual(
    lengths.get('wifi')!.map((len) => len - WIFI_MORE_THAN_ETHERNET),
    lan,
  );
});

test('a packet transform that tunnels sends every packet to one far end, on the LAN and past NAT on the WAN', () => {
  const endpoint = parseIpv4('198.51.100.7');
  // Every TCP flow to the endpoint's port 443, DNS and NTP to the endpoint (on their own ports, as
  // tshark reads them by port); DHCP stays on the LAN.
  const tunnel: PacketTransform = {
    transformPacket(p) {
      if (p.kind === 'dhcp') return;
      p.remoteIp = endpoint;
      if (p.protocol === 'tcp') p.remotePort = 443;
    },
  };
  for (const v of ['lan', 'wan'] as const) {
    const { out } = simulate('tunnel', v, { packets: tunnel });
    const capture = path.join(out, 'capture.pcapng');
    assert.deepEqual(expertProblems(capture), [], v);
    const home = v === 'lan' ? /^192\.168\.0\.\d+$/ : new RegExp(`^${spec.network.publicIp.replace(/\./g, '\\.')}$`);
    const farEnds = new Set<string>();
    for (const [src, dst, tcpSrc, tcpDst, udpSrc, udpDst] of fields(capture, ['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'])) {
      if (udpSrc === '68' || udpDst === '68') continue; // DHCP, left alone
      const up = home.test(src);
      farEnds.add(`${up ? dst : src}:${up ? tcpDst || udpDst : tcpSrc || udpSrc}`);
    }
    const ip = formatIpv4(endpoint);
    assert.deepEqual([...farEnds].sort(), [`${ip}:123`, `${ip}:443`, `${ip}:53`], v);
  }
});

test('a packet transform may not make a packet smaller or larger than it may be', () => {
  const shrink: PacketTransform = {
    transformPacket(p) {
      if (p.kind === 'tls-data') p.payloadBytes -= 1;
    },
  };
  assert.throws(() => simulate('shrink', 'lan', { packets: shrink }), /^RangeError: packet transform: [\w-]+'s tls-data packet at \S+ has (\d+) payload bytes and may have up to 1448, not \d+$/);
  const huge: PacketTransform = {
    transformPacket(p) {
      if (p.kind === 'tls-handshake') p.payloadBytes += 1;
    },
  };
  assert.throws(() => simulate('huge', 'lan', { packets: huge }), /tls-handshake packet at \S+ has (\d+) payload bytes and may have up to \1, not \d+$/);
});

test('a home with transforms that draw on their generator is the same bytes for the same seed, other bytes for another', () => {
  const seams: Seams = { uses: coverAtThree, packets: payloadJitter(64) };
  const a = simulate('jitter-a', 'wifi', seams).out;
  const b = simulate('jitter-b', 'wifi', seams).out;
  for (const f of FILES) assert.ok(bytesOf(a, f).equals(bytesOf(b, f)), `${f} differs between two runs`);
  assert.ok(!bytesOf(a, 'capture.pcapng').equals(bytesOf(plain.get('wifi')!, 'capture.pcapng')), 'the transforms changed nothing');
  const other = simulate('jitter-other', 'wifi', seams, SEED + 1).out;
  assert.ok(!bytesOf(a, 'capture.pcapng').equals(bytesOf(other, 'capture.pcapng')));
});

test("the paper preset's scenarios take the transforms; its training set stays the undefended home's", () => {
  const paper = loadHomeSpec('paper');
  const light = paper.devices.find((d) => d.kind === 'light')!;
  // A light switched on an hour into each scenario's window, a use nobody made.
  const cover: UseTransform = {
    transformDay: (day) => [...day.events, { timeUs: day.dayStartUs + HOUR_US, device: light.id, kind: 'light', action: 'on', cause: 'cover', resident: '' }],
  };
  const plainOut = path.join(dir, 'paper-plain');
  const defendedOut = path.join(dir, 'paper-defended');
  const before = writePaperPreset({ out: plainOut, seed: 5, vantage: 'lan', format: 'pcapng' });
  const after = writePaperPreset({ out: defendedOut, seed: 5, vantage: 'lan', format: 'pcapng', seams: { uses: cover, packets: padTo512 } });
  assert.ok(readFileSync(before.training.path).equals(readFileSync(after.training.path)), 'training.csv');
  assert.equal(after.scenarios.items.length, before.scenarios.items.length);
  after.scenarios.items.forEach((s, i) => {
    const was = before.scenarios.items[i];
    assert.equal(s.rows, was.rows, `${s.id}: the activity caused the same uses`);
    const events = readFileSync(path.join(s.dir, 'events.csv'), 'utf8').trim().split('\n');
    const covered = events.filter((l) => l.split(',')[5] === 'cover');
    assert.equal(covered.length, 1, s.id);
    assert.match(covered[0], new RegExp(`,${light.id},light,on,cover,,0$`));
    assert.equal(events.length, readFileSync(path.join(was.dir, 'events.csv'), 'utf8').trim().split('\n').length + 1, s.id);
    const capture = path.join(s.dir, 'capture.pcapng');
    assert.ok(readFileSync(capture).length > readFileSync(path.join(was.dir, 'capture.pcapng')).length, `${s.id}: padded capture`);
    assert.deepEqual(expertProblems(capture), [], s.id);
  });
});
