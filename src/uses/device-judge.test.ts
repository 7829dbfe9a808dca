import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { shapeOf, type BurstSummary } from './burst.js';
import { BurstLog } from './burst-log.js';
import { judgeDevice } from './detect-usage.js';
import { DeviceJudge } from './device-judge.js';
import { PacketRole } from './packet-role.js';

const MONDAY_US = Date.UTC(2026, 10, 2) * 1000;
const HOUR_US = 3_600e6;
const DAY_US = 24 * HOUR_US;

/** A device's bursts over `days`: a keep-alive every 30 s (one exact shape), a DNS lookup now and then, a use of random size about every 3 h. */
function bursts(days: number, seed: number): BurstSummary[] {
  const random = new Random(seed);
  const out: BurstSummary[] = [];
  const dataRole = 1 << PacketRole.Data;
  const keepAlive = shapeOf([
    [true, 69],
    [false, 43],
  ]);
  for (let t = MONDAY_US; t < MONDAY_US + days * DAY_US; t += 30e6 + random.int(-20_000, 20_000)) {
    out.push({ startUs: t, endUs: t + 41_000, firstDataUs: t, packets: 3, bytes: 274, packetsUp: 2, bytesUp: 177, dataPackets: 2, dataPacketsUp: 1, dataBytesUp: 69, dataBytesDown: 43, roles: dataRole | (1 << PacketRole.Ack), shape: keepAlive });
    if (random.next() < 0.05) out.push({ startUs: t + 10e6, endUs: t + 10e6 + 15_000, firstDataUs: -1, packets: 2, bytes: 256, packetsUp: 1, bytesUp: 85, dataPackets: 0, dataPacketsUp: 0, dataBytesUp: 0, dataBytesDown: 0, roles: 1 << PacketRole.Dns, shape: 0 });
    if (random.next() < 30 / (3 * 3600)) {
      const up = 300 + random.int(0, 3000);
      const down = 100 + random.int(0, 900);
      const u = t + 20e6;
      out.push({ startUs: u, endUs: u + 300_000, firstDataUs: u, packets: 4, bytes: up + down + 200, packetsUp: 2, bytesUp: up + 100, dataPackets: 2, dataPacketsUp: 1, dataBytesUp: up, dataBytesDown: down, roles: dataRole, shape: shapeOf([[true, up], [false, down]]) });
    }
  }
  return out;
}

function judged(all: readonly BurstSummary[], options: ConstructorParameters<typeof DeviceJudge>[0]): DeviceJudge {
  const judge = new DeviceJudge(options);
  for (const b of all) judge.add({ ...b });
  judge.finish();
  return judge;
}

test('Bursts that span less than a block are judged as one: the verdicts, uses and baseline of judging them all at once', () => {
  const all = bursts(6, 1);
  const log = new BurstLog();
  for (const b of all) log.add(b);
  const whole = judgeDevice('aa:bb:cc:00:00:01', { vendor: 'Acme', category: 'plug' }, log);
  assert.ok(whole.events.length > 20, `${whole.events.length} uses`);
  for (const options of [{}, { judgeBlockUs: 7 * DAY_US, judgeMarginUs: DAY_US }, { judgeBlockUs: Infinity }]) {
    const judge = judged(all, options);
    assert.equal(judge.blocks, 1);
    assert.deepEqual(judge.labels, whole.device.labels);
    assert.deepEqual(judge.baseline, whole.device.baseline);
    assert.deepEqual(
      Array.from({ length: judge.uses }, (_, i) => judge.useAt(i)),
      whole.events.map((e) => ({ timeUs: e.timeUs, endUs: e.endUs, packets: e.packets, bytes: e.bytes, direction: e.direction, confidence: e.confidence })),
    );
  }
});

test('Bursts judged a block at a time: each burst judged once, the bursts held at once a block and its margins however long the capture', () => {
  const all = bursts(30, 2);
  const options = { judgeBlockUs: 2 * DAY_US, judgeMarginUs: 12 * HOUR_US };
  const judge = judged(all, options);
  assert.equal(judge.blocks, 15);
  const counted = Object.values(judge.labels).reduce((a, b) => a + b, 0);
  assert.equal(counted, all.length, 'every burst has one verdict');
  // A block of 4 slices, a slice either side, and the slice of the burst that let the block be judged.
  assert.ok(judge.peakSlices <= 4 + 2 + 1, `${judge.peakSlices} slices held at once`);
  // The keep-alive is learnt in every block: the uses are those of judging the month at once.
  const whole = judged(all, { judgeBlockUs: Infinity });
  assert.equal(whole.blocks, 1);
  assert.ok(whole.peakSlices >= 30, `${whole.peakSlices} slices (days) held judging the month as one block`);
  assert.deepEqual(judge.labels, whole.labels);
  assert.deepEqual(
    Array.from({ length: judge.uses }, (_, i) => judge.useAt(i)),
    Array.from({ length: whole.uses }, (_, i) => whole.useAt(i)),
  );
});

test('A judging block is a whole number of margins, and a margin a time above 0', () => {
  assert.throws(() => new DeviceJudge({ judgeBlockUs: DAY_US, judgeMarginUs: 7 * HOUR_US }), /whole number of margins/);
  assert.throws(() => new DeviceJudge({ judgeMarginUs: 0 }), /margin must be a finite time above 0/);
});
