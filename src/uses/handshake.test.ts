import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficWriter } from '../home/traffic/traffic-writer.js';
import { CLOUD, DEVICE, framesOf, MONDAY_US, rolesOf } from './test-support.js';
import { HandshakeTracker, HANDSHAKE_TIMEOUT_US } from './handshake.js';
import { PacketFacts, PacketRole } from './packet-role.js';

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
