import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_DEVICES, demoActivities, writeDemoHome, type DemoActivity } from './test-demo-home.js';
import { Random } from '../../core/random.js';
import { capture, tsharkRead } from './test-frames.js';
import { HAVE_TSHARK } from '../../decode/link/test-codec-kit.js';
import { formatIpv4 } from '../../core/bytes.js';
import { PacketDecoder } from '../../decode/packet.js';
import { createRecord } from '../../capture/record.js';
import { LINKTYPE_ETHERNET } from '../../core/link-type.js';

const MONDAY_US = Date.UTC(2026, 10, 2) * 1000;
const DAY_US = 86_400e6;

/** One day of the demo home (generated once: ~10 000 frames). */
const oneDay = capture((sink) => void writeDemoHome(sink, { days: 1, seed: 1 }));

test('writeDemoHome() writes the same capture, byte for byte, for the same seed', () => {
  const again = capture((sink) => void writeDemoHome(sink, { days: 1, seed: 1 }));
  assert.deepEqual(again.pcap, oneDay.pcap);
  const other = capture((sink) => void writeDemoHome(sink, { days: 1, seed: 2 }));
  assert.notDeepEqual(other.pcap, oneDay.pcap);
});

test('writeDemoHome() writes its frames in time order, across days too', () => {
  const { frames } = capture((sink) => void writeDemoHome(sink, { days: 3, seed: 4 }));
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1];
    const b = frames[i];
    assert.ok(a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec <= b.tsNsec), `frame ${i + 1} is earlier than frame ${i}`);
  }
  const first = frames[0].tsSec * 1e6;
  const last = frames[frames.length - 1].tsSec * 1e6;
  assert.ok(first >= MONDAY_US && first < MONDAY_US + 60e6, 'starts in the first minute of the first day');
  assert.ok(last > MONDAY_US + 2 * DAY_US && last < MONDAY_US + 3 * DAY_US, 'ends on the third day');
});

test('writeDemoHome() returns the activities of each day, in the order of the plan', () => {
  let truth: DemoActivity[] = [];
  capture((sink) => {
    truth = writeDemoHome(sink, { days: 7, seed: 1 });
  });
  // 2026-11-02 is a Monday: five weekdays of six activities, then a weekend of two a day.
  assert.equal(truth.length, 5 * 6 + 2 * 2);
  assert.deepEqual(truth.slice(0, 6).map((a) => a.activity), ['wake_up', 'leave_home', 'return_home', 'leave_temporarily', 'return_home', 'go_to_bed']);
  assert.deepEqual(truth.slice(30).map((a) => a.activity), ['wake_up', 'go_to_bed', 'wake_up', 'go_to_bed']);
  // Each activity falls on its own day; a bedtime may pass midnight (by 1.5 h on average at weekends).
  const dayOf = (i: number): number => (i < 30 ? Math.floor(i / 6) : 5 + Math.floor((i - 30) / 2));
  truth.forEach((a, i) => {
    const dayStart = MONDAY_US + dayOf(i) * DAY_US;
    assert.ok(a.timeUs > dayStart && a.timeUs < dayStart + DAY_US + 4 * 3600e6, `${a.activity} on day ${dayOf(i)}`);
  });
  assert.ok(truth.slice(1).every((a, i) => a.timeUs > truth[i].timeUs), 'in time order');
});

test('demoActivities() keeps the plan order, ten minutes apart at least, on every day', () => {
  const random = new Random(1 ^ 0x5eed);
  for (let day = 0; day < 500; day++) {
    const activities = demoActivities(MONDAY_US + day * DAY_US, random);
    for (let i = 1; i < activities.length; i++) {
      const gap = activities[i].timeUs - activities[i - 1].timeUs;
      assert.ok(gap >= 10 * 60e6, `day ${day}: ${activities[i].activity} ${gap / 60e6} min after ${activities[i - 1].activity}`);
    }
  }
});

test('demoActivities() gives the same plan for the same random state', () => {
  assert.deepEqual(demoActivities(MONDAY_US, new Random(3)), demoActivities(MONDAY_US, new Random(3)));
  const saturday = demoActivities(MONDAY_US + 5 * DAY_US, new Random(3));
  assert.deepEqual(saturday.map((a) => a.activity), ['wake_up', 'go_to_bed']);
  assert.ok(saturday[0].timeUs > MONDAY_US + 5 * DAY_US + 7 * 3600e6, 'a weekend morning starts later');
});

test('tshark reads a day of the demo home without a warning or an error, checksums included', { skip: !HAVE_TSHARK }, () => {
  const t = tsharkRead(oneDay.pcap, ['frame.time_epoch', 'dns.qry.name', 'dns.a', 'tls.handshake.extensions_server_name', 'ip.src']);
  assert.equal(t.problems, '');
  assert.equal(t.rows.length, oneDay.frames.length);
  const cloudNames = DEMO_DEVICES.map((d) => d.cloudName).sort();
  const dnsNames = [...new Set(t.rows.map((r) => r[1]).filter((n) => n !== ''))].sort();
  const sni = t.rows.filter((r) => r[3] !== '');
  assert.deepEqual(dnsNames, cloudNames, 'DNS names');
  assert.deepEqual([...new Set(sni.map((r) => r[3]))].sort(), cloudNames, 'server names');
  assert.equal(sni.length, DEMO_DEVICES.length, 'one ClientHello per device and day');
  for (const d of DEMO_DEVICES) {
    const hello = sni.find((r) => r[3] === d.cloudName)!;
    assert.equal(hello[4], formatIpv4(d.endpoint.ip as number), `${d.id} sends its own hello`);
    const answers = t.rows.filter((r) => r[1] === d.cloudName && r[2] !== '').map((r) => r[2]);
    assert.deepEqual(answers, [d.cloudAddress], `${d.id} looks up its cloud`);
  }
  const times = t.rows.map((r) => r[0]);
  assert.deepEqual(times, [...times].sort(), 'tshark sees the frames in time order');
});

test('writeDemoHome() writes a burst of records from every device an activity uses, late nights included', () => {
  let truth: DemoActivity[] = [];
  const { frames } = capture((sink) => {
    truth = writeDemoHome(sink, { days: 7, seed: 1 });
  });
  // Usage bursts are records of 200 bytes and more; heartbeats are below 70.
  const BURST_RECORD_BYTES = 200;
  const bursts = new Map<number, number[]>(DEMO_DEVICES.map((d) => [d.endpoint.ip as number, []]));
  const decoder = new PacketDecoder();
  frames.forEach((f, i) => {
    const p = decoder.decode({ ...createRecord(), frame: i + 1, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: LINKTYPE_ETHERNET, buf: f.data, capLen: f.data.length, origLen: f.data.length });
    const ip = p.layers[1];
    const tcp = p.layers[2];
    if (ip?.kind !== 'ipv4' || tcp?.kind !== 'tcp' || tcp.payloadLength < BURST_RECORD_BYTES) return;
    const times = bursts.get(ip.src) ?? bursts.get(ip.dst);
    times?.push(f.tsSec * 1e6 + f.tsNsec / 1000);
  });
  const afterMidnight = truth.filter((a) => (a.timeUs - MONDAY_US) % DAY_US < 3 * 3600e6);
  assert.ok(afterMidnight.length > 0, 'the week has a bedtime after midnight');
  for (const a of truth) {
    for (const kind of a.devices) {
      const d = DEMO_DEVICES.find((x) => x.kind === kind)!;
      const times = bursts.get(d.endpoint.ip as number)!;
      assert.ok(
        times.some((t) => t >= a.timeUs && t <= a.timeUs + 100e6),
        `${a.activity} at ${new Date(a.timeUs / 1000).toISOString()}: no burst from ${d.id}`,
      );
    }
  }
});
