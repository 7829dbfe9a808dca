import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficWriter } from '../home/traffic/traffic-writer.js';
import { CLOUD, DEVICE, framesOf, MONDAY_US, rolesOf } from './test-support.js';
import { HandshakeTracker, HANDSHAKE_TIMEOUT_US, SealedHandshake, SEALED_STEP_US } from './handshake.js';
import { PacketFacts, PacketRole, PACKET_ROLE_NAMES } from './packet-role.js';
import { createRecord } from '../capture/record.js';
import { fillRecord } from '../capture/test-support.js';
import { LINKTYPE_IEEE802_11 } from '../core/link-type.js';
import { PacketDecoder } from '../decode/packet.js';
import { ObservedPacket } from '../observe/observed-packet.js';
import { BurstGrouper } from './burst.js';
import { learnBaseline } from './baseline.js';
import { classifyBursts } from './classify.js';

test('HandshakeTracker counts the whole TLS handshake as setup: ClientHello, the server flight, the client Finished', () => {
  const frames = framesOf((sink) => {
    const w = new TrafficWriter(sink, 3);
    const c = w.connect(MONDAY_US, DEVICE, CLOUD, 443);
    c.send(true, w.clientHello('api-production.august.com'));
    c.wait(30_000);
    c.send(false, w.serverFlight());
    c.send(true, w.appData(69)); // Finished (encrypted, an application-data record in TLS 1.3)
    c.wait(1e6);
    c.send(true, w.appData(331)); // the first message after the handshake
    c.send(false, w.appData(267));
  });
  const payloads = rolesOf(frames).filter((r) => r.payloadBytes > 0);
  const data = payloads.filter((r) => r.role === 'data').map((r) => [r.sent, r.payloadBytes]);
  assert.deepEqual(data, [
    [true, 336],
    [false, 272],
  ]);
  assert.ok(payloads.filter((r) => r.role === 'setup').length >= 4);
});

test('HandshakeTracker leaves a plain TCP request and answer as data (no ClientHello, nothing followed)', () => {
  const frames = framesOf((sink) => {
    const w = new TrafficWriter(sink, 4);
    const c = w.connect(MONDAY_US, DEVICE, CLOUD, 8080);
    c.send(true, new TextEncoder().encode('GET /state HTTP/1.1\r\nHost: hub\r\n\r\n'));
    c.wait(30_000);
    c.send(false, new Uint8Array(900));
    c.send(true, new Uint8Array(20));
  });
  const payloads = rolesOf(frames).filter((r) => r.payloadBytes > 0);
  assert.deepEqual(payloads.map((r) => r.role), ['data', 'data', 'data']);
});

function facts(over: Partial<PacketFacts>): PacketFacts {
  return Object.assign(new PacketFacts(), { tcp: true, srcIp: 1, dstIp: 2, srcPort: 40000, dstPort: 443, payloadBytes: 100, role: PacketRole.Data, timeUs: 0 }, over);
}

test('HandshakeTracker forgets a handshake when its connection closes', () => {
  const t = new HandshakeTracker();
  t.adjust(facts({ clientHello: true, role: PacketRole.Setup }));
  assert.equal(t.openHandshakes, 1);
  const fin = facts({ srcIp: 2, dstIp: 1, srcPort: 443, dstPort: 40000, payloadBytes: 0, role: PacketRole.Teardown });
  t.adjust(fin);
  assert.equal(t.openHandshakes, 0);
  const later = facts({ srcIp: 2, dstIp: 1, srcPort: 443, dstPort: 40000 });
  t.adjust(later);
  assert.equal(later.role, PacketRole.Data);
});

test('HandshakeTracker drops a handshake that did not finish within its timeout', () => {
  const t = new HandshakeTracker();
  t.adjust(facts({ clientHello: true, role: PacketRole.Setup }));
  const answer = facts({ srcIp: 2, dstIp: 1, srcPort: 443, dstPort: 40000, timeUs: 1e6 });
  t.adjust(answer);
  assert.equal(answer.role, PacketRole.Setup);
  const late = facts({ srcIp: 2, dstIp: 1, srcPort: 443, dstPort: 40000, timeUs: HANDSHAKE_TIMEOUT_US + 2e6 });
  t.adjust(late);
  assert.equal(t.openHandshakes, 0);
  assert.equal(late.role, PacketRole.Data);
});

/** A station's frames as a Wi-Fi sniffer hears them: [µs after the first, sent by the station, transport payload bytes]. */
type SealedStep = readonly [atUs: number, sent: boolean, payloadBytes: number];

const STATION = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
const AP = [0x38, 0x94, 0xed, 0x61, 0x0a, 0x01];

/**
 * Reads each step as a protected QoS data frame between the station and its AP (body: CCMP header
 * and MIC, LLC/SNAP, IPv4 and TCP headers, the payload), its facts through one SealedHandshake, and
 * groups the station's frames into bursts; returns each frame's role and each burst's verdict.
 */
function sealedSteps(steps: readonly SealedStep[]): { roles: string[]; verdicts: string[] } {
  const decoder = new PacketDecoder();
  const observed = new ObservedPacket();
  const facts = new PacketFacts();
  const rec = createRecord();
  const station = new SealedHandshake();
  const grouper = new BurstGrouper();
  const roles: string[] = [];
  for (const [atUs, sent, payload] of steps) {
    const data = new Uint8Array(26 + 64 + payload);
    data.set([0x88, sent ? 0x41 : 0x42]);
    data.set(sent ? AP : STATION, 4);
    data.set(sent ? STATION : AP, 10);
    data.set(AP, 16);
    const timeUs = MONDAY_US + atUs;
    fillRecord(rec, { tsSec: Math.floor(timeUs / 1e6), tsNsec: (timeUs % 1e6) * 1000, data }, LINKTYPE_IEEE802_11);
    observed.read(decoder.decode(rec), rec);
    assert.ok(facts.read(observed));
    assert.equal(facts.stationSent, sent);
    station.adjust(facts);
    roles.push(PACKET_ROLE_NAMES[facts.role]);
    grouper.addPacket(facts, sent);
  }
  const bursts = grouper.finish();
  return { roles, verdicts: classifyBursts(bursts, learnBaseline(bursts)).map((v) => v.label) };
}

/** A session closed and opened again, as the simulator's devices do: FIN exchange, then (2 s on) SYN, SYN-ACK, ACK, ClientHello, the server's flight, the client's Finished. */
const RTT = 45_000;
const HOP = 1_500;
const RECONNECT: SealedStep[] = [
  [0, true, 0],
  [RTT, false, 0],
  [RTT + HOP, true, 0],
  [2e6, true, 0],
  [2e6 + RTT, false, 0],
  [2e6 + RTT + HOP, true, 0],
  [2e6 + RTT + HOP, true, 147],
  [2e6 + 2 * RTT + HOP, false, 1448],
  [2e6 + 2 * RTT + HOP + 150, false, 1448],
  [2e6 + 2 * RTT + HOP + 300, true, 0],
  [2e6 + 2 * RTT + HOP + 300, false, 736],
  [2e6 + 2 * RTT + HOP + 300, true, 0],
  [2e6 + 2 * RTT + 2 * HOP + 300, true, 74],
];

test('SealedHandshake: in a Wi-Fi capture a reconnect (FIN, then SYN, SYN-ACK, ACK, ClientHello, server flight, Finished) is setup, not a use', () => {
  const { roles, verdicts } = sealedSteps(RECONNECT);
  // Read by size alone (the code before SealedHandshake), the ClientHello, the flight and the Finished were data: a use of 3.8 kB.
  assert.deepEqual(roles, ['ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'setup', 'setup', 'setup', 'ack', 'setup', 'ack', 'setup']);
  assert.deepEqual(verdicts, ['control', 'reconnect']);
});

test('SealedHandshake: a use after the reconnect, and one after a keep-alive\'s bare ACKs, stay data', () => {
  const end = RECONNECT[RECONNECT.length - 1][0];
  const use: SealedStep[] = [
    [end + 20e6, true, 331],
    [end + 20e6 + RTT, false, 267],
    [end + 20e6 + RTT + HOP, true, 0],
  ];
  // Bare frames up, down, up (a keep-alive's ACKs, then the server's ACK of nothing), the use's first message after more than SEALED_STEP_US.
  const late: SealedStep[] = [
    [end + 60e6, true, 37],
    [end + 60e6 + RTT, false, 39],
    [end + 60e6 + RTT + HOP, true, 0],
    [end + 80e6, true, 0],
    [end + 80e6 + RTT, false, 0],
    [end + 80e6 + RTT + HOP, true, 0],
    [end + 80e6 + RTT + HOP + SEALED_STEP_US + 1, true, 331],
    [end + 80e6 + 2 * RTT + HOP + SEALED_STEP_US + 1, false, 267],
  ];
  const { roles, verdicts } = sealedSteps([...RECONNECT, ...use, ...late]);
  assert.deepEqual(roles.slice(RECONNECT.length), ['data', 'data', 'ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'data', 'data']);
  assert.deepEqual(verdicts, ['control', 'reconnect', 'use', 'control', 'use']);
});

test('SealedHandshake drops a ClientHello the server did not answer within the handshake timeout', () => {
  const hello = RECONNECT.slice(3, 7);
  const at = hello[hello.length - 1][0];
  const { roles } = sealedSteps([...hello, [at + HANDSHAKE_TIMEOUT_US + 1, false, 900], [at + HANDSHAKE_TIMEOUT_US + RTT, true, 200]]);
  assert.deepEqual(roles, ['ack', 'ack', 'ack', 'setup', 'data', 'data']);
});
