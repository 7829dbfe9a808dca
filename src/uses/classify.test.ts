import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { BurstGrouper, type BurstSummary } from './burst.js';
import { learnBaseline } from './baseline.js';
import { BurstClassifier, classifyBursts, type BurstLabel } from './classify.js';
import { PacketRole } from './packet-role.js';

const GAP_US = 1_500_000;
const HOUR_US = 3600e6;

type Packet = [timeUs: number, sent: boolean, payload: number, role: PacketRole];

/** A device's packets: keep-alives every `periodS` ± `jitterS` with `up`/`down` bytes, and whatever `extra` adds. */
function stream(seed: number, hours: number, periodS: number, jitterS: number, up: number, down: number): { packets: Packet[]; random: Random } {
  const random = new Random(seed);
  const packets: Packet[] = [];
  for (let t = 10e6; t < hours * HOUR_US; t += (periodS + random.normal(0, jitterS)) * 1e6) {
    packets.push([t, true, up, PacketRole.Data], [t + 40_000, false, down, PacketRole.Data], [t + 41_500, true, 0, PacketRole.Ack]);
  }
  return { packets, random };
}

function use(at: number): Packet[] {
  return [
    [at, true, 331, PacketRole.Data],
    [at + 10_000, false, 0, PacketRole.Ack],
    [at + 80_000, false, 267, PacketRole.Data],
    [at + 480_000, true, 635, PacketRole.Data],
    [at + 570_000, false, 139, PacketRole.Data],
    [at + 580_000, true, 0, PacketRole.Ack],
  ];
}

function dnsRefresh(at: number): Packet[] {
  return [
    [at, true, 43, PacketRole.Dns],
    [at + 15_000, false, 129, PacketRole.Dns],
  ];
}

/** Closes the session and opens another: FIN exchange, then SYN, handshake, Finished. */
function reconnect(at: number, afterHandshake: number): Packet[] {
  const p: Packet[] = [
    [at, true, 0, PacketRole.Teardown],
    [at + 40_000, false, 0, PacketRole.Teardown],
    [at + 41_000, true, 0, PacketRole.Ack],
    [at + 2e6, true, 0, PacketRole.Setup],
    [at + 2.04e6, false, 0, PacketRole.Setup],
    [at + 2.041e6, true, 0, PacketRole.Ack],
    [at + 2.042e6, true, 517, PacketRole.Setup],
    [at + 2.08e6, false, 1448, PacketRole.Setup],
    [at + 2.081e6, false, 1448, PacketRole.Setup],
    [at + 2.082e6, true, 79, PacketRole.Setup],
  ];
  if (afterHandshake > 0) p.push([at + 2.2e6, false, afterHandshake, PacketRole.Data]);
  return p;
}

function bursts(packets: Packet[]): BurstSummary[] {
  packets.sort((a, b) => a[0] - b[0]);
  const g = new BurstGrouper(GAP_US);
  for (const [t, sent, payload, role] of packets) g.add(t, payload + 54, payload, sent, role);
  return g.finish();
}

function verdicts(all: BurstSummary[]): { label: BurstLabel; at: number; confidence: number }[] {
  return classifyBursts(all, learnBaseline(all)).map((v, i) => ({ ...v, at: all[i].firstDataUs >= 0 ? all[i].firstDataUs : all[i].startUs }));
}

test('The classifier finds exactly the uses among keep-alives, DNS refreshes and a reconnect', () => {
  const { packets } = stream(1, 6, 60, 1, 53, 53);
  const heartbeatTimes = packets.filter((p) => p[1] && p[2] === 53).map((p) => p[0]);
  // One use falls onto a keep-alive (their packets make one burst), two fall between.
  const uses = [1.2 * HOUR_US, heartbeatTimes[200] + 300_000, 4.7 * HOUR_US];
  for (const u of uses) packets.push(...use(u));
  for (let t = 25e6; t < 6 * HOUR_US; t += 300e6) packets.push(...dnsRefresh(t));
  packets.push(...reconnect(3.3 * HOUR_US, 0));
  const v = verdicts(bursts(packets));
  const found = v.filter((x) => x.label === 'use');
  assert.equal(found.length, 3, JSON.stringify(found));
  // The use that met a keep-alive starts with the keep-alive's first packet.
  assert.deepEqual(
    found.map((x) => x.at),
    [uses[0], heartbeatTimes[200], uses[2]],
  );
  assert.ok(found.every((x) => x.confidence > 0.5 && x.confidence <= 1));
  const labels = new Set(v.map((x) => x.label));
  for (const l of ['heartbeat', 'dns', 'reconnect'] as const) assert.ok(labels.has(l), `no ${l} burst`);
  assert.ok(v.filter((x) => x.label !== 'use').every((x) => x.confidence === 0));
});

test('The classifier finds no use in a device that only keeps itself alive (with missing beats)', () => {
  const { packets, random } = stream(2, 24, 30, 1, 46, 46);
  // About one beat in ten goes missing (the three packets of a beat together).
  const dropped = new Set<number>();
  for (let beat = 0; beat < packets.length / 3; beat++) if (random.next() < 0.1) dropped.add(beat);
  const kept = packets.filter((_, i) => !dropped.has(Math.floor(i / 3)));
  assert.ok(dropped.size > 200);
  for (let t = 7e6; t < 24 * HOUR_US; t += 61e6) kept.push(...dnsRefresh(t));
  const v = verdicts(bursts(kept));
  assert.equal(v.filter((x) => x.label === 'use').length, 0);
});

test('Two keep-alives of two sessions that meet in one burst are background', () => {
  const a = stream(3, 8, 60, 0.5, 45, 45).packets;
  const b = stream(4, 8, 97, 0.5, 213, 85).packets.map((p): Packet => [p[0] + 20_000, p[1], p[2], p[3]]);
  const v = verdicts(bursts([...a, ...b]));
  assert.equal(v.filter((x) => x.label === 'use').length, 0);
});

test('A reconnect carrying routine data is background; one carrying far more than its usual setups is a use', () => {
  const { packets } = stream(5, 12, 120, 2, 91, 75);
  for (let h = 1; h < 12; h += 2) packets.push(...reconnect(h * HOUR_US + 7e6, 300));
  packets.push(...reconnect(6 * HOUR_US + 30e6, 80_000));
  const v = verdicts(bursts(packets));
  const found = v.filter((x) => x.label === 'use');
  assert.equal(found.length, 1);
  assert.equal(v.filter((x) => x.label === 'reconnect').length >= 6, true);
});

test('A device without a keep-alive that connects to upload has its uploads as uses, its small check-ins not', () => {
  const packets: Packet[] = [];
  for (let h = 0; h < 20; h++) packets.push(...reconnect(h * HOUR_US + 5e6, h % 4 === 0 ? 500_000 : 600));
  const v = verdicts(bursts(packets));
  assert.equal(v.filter((x) => x.label === 'use').length, 5);
});

test('A burst with data but no baseline to compare with is a use of lower confidence', () => {
  const v = verdicts(bursts(use(HOUR_US)));
  assert.equal(v.length, 1);
  assert.equal(v[0].label, 'use');
  const c = new BurstClassifier(learnBaseline(bursts([...stream(6, 4, 60, 1, 53, 53).packets, ...use(HOUR_US + 20e6)])));
  const withBaseline = bursts([...use(HOUR_US + 20e6)]).map((b) => c.classify(b))[0];
  assert.ok(v[0].confidence < withBaseline.confidence, `${v[0].confidence} < ${withBaseline.confidence}`);
});

test('Keep-alives whose sizes vary are background; uses of the same packets and sizes are told apart by their timing', () => {
  const random = new Random(9);
  const packets: Packet[] = [];
  const beats: number[] = [];
  for (let t = 5e6; t < 24 * HOUR_US; t += (31 + random.normal(0, 1)) * 1e6) beats.push(t);
  for (const t of beats) packets.push([t, true, 37 + random.int(0, 64), PacketRole.Data], [t + 40_000, false, 39 + random.int(0, 64), PacketRole.Data]);
  // A report every ~20 minutes, half a period after a keep-alive, with a keep-alive's sizes.
  const uses: number[] = [];
  for (let i = 50; i < beats.length - 1; i += 37 + random.int(0, 5)) uses.push(beats[i] + 15.5e6);
  for (const t of uses) packets.push([t, true, 37 + random.int(0, 64), PacketRole.Data], [t + 40_000, false, 39 + random.int(0, 64), PacketRole.Data]);
  const all = bursts(packets);
  const baseline = learnBaseline(all);
  assert.equal(baseline.roughHeartbeats.length, 1);
  assert.ok(Math.abs(baseline.roughHeartbeats[0].periodUs - 31e6) < 0.5e6);
  const found = verdicts(all).filter((v) => v.label === 'use').map((v) => v.at);
  assert.deepEqual(found, uses);
});

test('A keep-alive far off its beat once (a rare large jitter) is background when the next one comes on the beat from it', () => {
  const random = new Random(10);
  const packets: Packet[] = [];
  let t = 5e6;
  for (let i = 0; i < 400; i++) {
    packets.push([t, true, 53 + random.int(0, 16), PacketRole.Data], [t + 40_000, false, 53 + random.int(0, 16), PacketRole.Data]);
    // Beat 200 comes 6 σ late; the timer runs on from there.
    t += (60 + (i === 199 ? 6 : random.normal(0, 1))) * 1e6;
  }
  assert.deepEqual(
    verdicts(bursts(packets)).filter((v) => v.label === 'use'),
    [],
  );
});

test('A keep-alive timer started again by a reconnect does not make the next keep-alives uses', () => {
  const random = new Random(11);
  const packets: Packet[] = [];
  let t = 5e6;
  for (let i = 0; i < 300; i++) {
    packets.push([t, true, 45 + random.int(0, 16), PacketRole.Data], [t + 40_000, false, 45 + random.int(0, 16), PacketRole.Data]);
    if (i === 150) {
      // 20 s after this keep-alive the session is opened again (its setup ends 2.082 s later); the
      // new session's timer starts there: its first keep-alive is 22 s off the old phase.
      packets.push(...reconnect(t + 20e6, 0));
      t += 20e6 + 2.082e6;
    }
    t += (60 + random.normal(0, 1)) * 1e6;
  }
  assert.deepEqual(
    verdicts(bursts(packets)).filter((v) => v.label === 'use'),
    [],
  );
});
