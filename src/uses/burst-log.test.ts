import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { BurstGrouper, shapeOf, type BurstSummary } from './burst.js';
import { BurstLog, isKeptBurst, MAX_TUPLES } from './burst-log.js';
import { learnBaseline, learnBaselineOfLogs, type DeviceBaseline } from './baseline.js';
import { BURST_LABELS, classifyBursts } from './classify.js';
import { judgeDevice } from './detect-usage.js';
import { PacketRole } from './packet-role.js';

const MONDAY_US = Date.UTC(2026, 10, 2) * 1000;
const GAP_US = 1_500_000;
/** The last µs a pcap timestamp (32-bit seconds) can name. */
const LAST_CAPTURE_US = (2 ** 32 - 1) * 1e6 + 999_999;

/** A device's day: keep-alives every 30 s, DNS lookups, reconnects, a few uses of random sizes, late packets. */
function feed(add: (timeUs: number, frameBytes: number, payloadBytes: number, sent: boolean, role: PacketRole) => void, seed: number): void {
  const random = new Random(seed);
  for (let t = MONDAY_US; t < MONDAY_US + 86_400e6; t += 30e6 + random.int(-20_000, 20_000)) {
    add(t, 123, 69, true, PacketRole.Data);
    add(t + 40_000, 97, 43, false, PacketRole.Data);
    add(t + 41_000, 54, 0, true, PacketRole.Ack);
    if (random.next() < 0.2) {
      const d = t + 10e6;
      add(d, 85, 43, true, PacketRole.Dns);
      add(d + 15_000, 171, 129, false, PacketRole.Dns);
    }
    if (random.next() < 0.02) {
      const s = t + 15e6;
      add(s, 74, 0, true, PacketRole.Setup);
      add(s + 30_000, 74, 0, false, PacketRole.Setup);
      add(s + 31_000, 571, 517, true, PacketRole.Setup);
      add(s + 80_000, 1500, 1446, false, PacketRole.Setup);
      if (random.next() < 0.5) add(s + 90_000, 400 + random.int(0, 9000), 346 + random.int(0, 9000), true, PacketRole.Data);
    }
    if (random.next() < 0.03) {
      const u = t + 20e6;
      for (let i = 0; i < random.int(2, 9); i++) add(u + i * 50_000, 200 + random.int(0, 1200), 146 + random.int(0, 1200), random.next() < 0.5, PacketRole.Data);
      // A late packet: it joins the open burst, before the burst's first packet.
      add(u - 200_000, 60, 6, false, PacketRole.Data);
    }
    if (random.next() < 0.01) add(t + 25e6, 60, 0, true, PacketRole.Teardown);
  }
}

function bothWays(seed: number): { all: BurstSummary[]; log: BurstLog } {
  const grouper = new BurstGrouper(GAP_US);
  const log = new BurstLog();
  const logged = new BurstGrouper(GAP_US, (b) => log.add(b));
  feed((...a) => {
    grouper.add(...a);
    logged.add(...a);
  }, seed);
  logged.finish();
  return { all: grouper.finish(), log };
}

test('A burst log gives back every burst with data or a setup, field for field, and counts the quiet ones by their roles', () => {
  const { all, log } = bothWays(1);
  const kept = all.filter(isKeptBurst);
  assert.ok(kept.length > 2000 && kept.length < all.length, `${kept.length} of ${all.length} kept`);
  assert.equal(log.count, all.length);
  assert.equal(log.kept, kept.length);
  assert.deepEqual(Array.from(log, (b) => ({ ...b })), kept);
  const quiet = new Map<number, number>();
  for (const b of all) if (!isKeptBurst(b)) quiet.set(b.roles, (quiet.get(b.roles) ?? 0) + 1);
  assert.deepEqual([...log.quietByRoles].sort(), [...quiet].sort());
  assert.ok(log.byteLength < 30 * log.kept, `${log.byteLength / log.kept} bytes a burst`);
});

test('A burst log keeps the latest time a capture can hold and numbers up to 2^53 exactly, a first data packet before the burst began, and none', () => {
  const log = new BurstLog();
  const big: BurstSummary = {
    startUs: LAST_CAPTURE_US - 3_600e6 * 30,
    endUs: LAST_CAPTURE_US,
    firstDataUs: LAST_CAPTURE_US - 3_600e6 * 30 - 250_000,
    packets: 2 ** 33 + 1,
    bytes: Number.MAX_SAFE_INTEGER,
    packetsUp: 2 ** 32,
    bytesUp: 2 ** 40 + 7,
    dataPackets: 1,
    dataPacketsUp: 0,
    dataBytesUp: 0,
    dataBytesDown: 2 ** 35 + 3,
    roles: (1 << PacketRole.Data) | (1 << PacketRole.Other),
    shape: 0xffff_ffff,
  };
  const setupOnly: BurstSummary = { ...big, startUs: 1, endUs: 1, firstDataUs: -1, packets: 1, bytes: 60, packetsUp: 1, bytesUp: 60, dataPackets: 0, dataBytesDown: 0, roles: 1 << PacketRole.Setup, shape: 0 };
  log.add(big);
  log.add(setupOnly);
  log.add({ ...big, startUs: big.startUs + 1 });
  assert.deepEqual(
    Array.from(log, (b) => ({ ...b })),
    [big, setupOnly, { ...big, startUs: big.startUs + 1 }],
  );
});

test('A burst log keeps bursts past its table of distinct fields written out, field for field', () => {
  const log = new BurstLog();
  const bursts: BurstSummary[] = [];
  for (let i = 0; i < MAX_TUPLES + 500; i++) {
    const t = MONDAY_US + i * 10e6;
    const b: BurstSummary = { startUs: t, endUs: t + 1000, firstDataUs: t + 10, packets: 2, bytes: 200 + i, packetsUp: 1, bytesUp: 100, dataPackets: 1, dataPacketsUp: 1, dataBytesUp: 46 + (i % 3), dataBytesDown: 0, roles: 1, shape: i };
    bursts.push(b);
    // Every tenth burst repeats an early one's fields: found in the table, or written out past its end.
    log.add(i % 10 === 9 ? { ...bursts[i % 50], startUs: t, endUs: t + 1000, firstDataUs: t + 10 } : b);
    if (i % 10 === 9) bursts[i] = { ...bursts[i % 50], startUs: t, endUs: t + 1000, firstDataUs: t + 10 };
  }
  assert.deepEqual(Array.from(log, (b) => ({ ...b })), bursts);
});

test('A burst log refuses a number it cannot hold exactly rather than keep it wrong', () => {
  const log = new BurstLog();
  const b: BurstSummary = { startUs: 0, endUs: 0, firstDataUs: -1, packets: 1, bytes: 1.5, packetsUp: 0, bytesUp: 0, dataPackets: 1, dataPacketsUp: 0, dataBytesUp: 0, dataBytesDown: 0, roles: 1, shape: 0 };
  assert.throws(() => log.add(b), /whole numbers from 0 to 2\^53 - 1, not 1.5/);
  assert.throws(() => log.add({ ...b, bytes: 2 ** 53 }), RangeError);
});

/**
 * Asserts that judging `log` (the bursts `all`, in order) gives the baseline learnt from `all` and
 * the verdicts of classifying each of them in order against it (labels counted, uses with their
 * times, bytes and confidence, more than 5 of them); returns that baseline.
 */
function assertJudgedAsClassified(all: BurstSummary[], log: BurstLog, mac: string): DeviceBaseline {
  const baseline = learnBaseline(all);
  const verdicts = classifyBursts(all, baseline);
  const judged = judgeDevice(mac, { vendor: 'Acme', category: 'plug' }, log);
  assert.deepEqual(judged.device.baseline, baseline);
  const labels = Object.fromEntries(BURST_LABELS.map((l) => [l, verdicts.filter((v) => v.label === l).length]));
  assert.deepEqual(judged.device.labels, labels);
  const uses = all.flatMap((b, i) => (verdicts[i].label === 'use' ? [[b.firstDataUs, b.endUs, b.bytes, verdicts[i].confidence]] : []));
  assert.ok(uses.length > 5, `${uses.length} uses`);
  assert.deepEqual(
    judged.events.map((e) => [e.timeUs, e.endUs, e.bytes, e.confidence]),
    uses,
  );
  return baseline;
}

test('Judging a device from its burst log gives the verdicts of classifying every one of its bursts', () => {
  for (const seed of [1, 2, 3]) {
    const { all, log } = bothWays(seed);
    const baseline = assertJudgedAsClassified(all, log, 'aa:bb:cc:00:00:01');
    assert.ok(baseline.heartbeats.length > 0, 'the keep-alive is found');
  }
});

/**
 * Bursts of one device for a baseline to learn: a keep-alive every 30 s (one exact shape, at times a
 * setup), one every 5 min whose sizes vary in a band (a rough heartbeat), uses of random sizes, one
 * shape's hash sent with other sizes (a collision: written so), uses of the keep-alive's sizes off its beat, and, with `distinct`, that
 * many bursts of fields of their own (past a log's table, written out).
 */
function learnable(seed: number, distinct: number): BurstSummary[] {
  const random = new Random(seed);
  const out: BurstSummary[] = [];
  const data = 1 << PacketRole.Data;
  const burst = (t: number, up: number, down: number, shape: number, roles = data): BurstSummary => ({
    startUs: t,
    endUs: t + 40_000,
    firstDataUs: t + 1000,
    packets: 3,
    bytes: up + down + 150,
    packetsUp: 2,
    bytesUp: up + 100,
    dataPackets: 2,
    dataPacketsUp: 1,
    dataBytesUp: up,
    dataBytesDown: down,
    roles,
    shape,
  });
  for (let t = MONDAY_US, i = 0; t < MONDAY_US + 86_400e6; t += 30e6 + random.int(-20_000, 20_000), i++) {
    out.push(burst(t, 69, 43, 0x1234_5678, random.next() < 0.05 ? data | (1 << PacketRole.Setup) : data));
    // A fifth of the rough keep-alives, at random, have the hash of a use's shape sent once before them, with other sizes.
    if (i === 1) out.push(burst(t + 12e6, 900, 40, 0x0bad_cafe));
    if (i % 10 === 0) {
      const up = 100 + random.int(0, 4);
      out.push(burst(t + 5e6, up, 60, random.next() < 0.2 ? 0x0bad_cafe : shapeOf([[true, up], [false, 60]]), data));
    }
    // A use of a keep-alive's sizes, off its beat: only its time tells it apart.
    if (i % 10 === 4 && random.next() < 0.1) {
      const up = 100 + random.int(0, 4);
      out.push(burst(t + 7e6, up, 60, shapeOf([[true, up], [false, 60]]), data));
    }
    if (random.next() < 0.02) out.push(burst(t + 10e6, 500 + random.int(0, 5000), 300, random.int(0, 2 ** 31)));
    if (i < distinct) out.push(burst(t + 15e6, 1000 + i, 2000, 0x7000_0000 + i));
  }
  return out;
}

test('A baseline learnt from burst logs by their tuples is the one learnt from their bursts in order', () => {
  for (const [seed, distinct] of [
    [1, 0],
    [2, MAX_TUPLES + 300],
  ]) {
    const all = learnable(seed, distinct);
    // Three logs, as a device's judge holds its bursts in slices.
    const logs = [new BurstLog(), new BurstLog(), new BurstLog()];
    all.forEach((b, i) => logs[Math.floor((3 * i) / all.length)].add(b));
    for (const options of [{}, { minBeats: 3 }, { maxPeriodUs: 100e6 }]) {
      const fromLogs = learnBaselineOfLogs(logs, options);
      assert.deepEqual(fromLogs, learnBaseline(all, options));
      if (Object.keys(options).length === 0) assert.ok(fromLogs.heartbeats.length > 0 && fromLogs.roughHeartbeats.length > 0, JSON.stringify(fromLogs));
    }
  }
});

test('Judging a device with a rough heartbeat from its burst log gives the verdicts of classifying every one of its bursts in order', () => {
  const all = learnable(3, 50);
  const log = new BurstLog();
  for (const b of all) log.add(b);
  const baseline = assertJudgedAsClassified(all, log, 'aa:bb:cc:00:00:02');
  assert.ok(baseline.roughHeartbeats.length > 0, 'the rough keep-alive is found');
});
