import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficWriter } from '../home/traffic/traffic-writer.js';
import { CLOUD, DEVICE, framesOf, MONDAY_US, ROUTER, rolesOf } from './test-support.js';

const MDNS: { mac: number; ip: number } = { mac: 0x01005e0000fb, ip: 0xe00000fb };

test('PacketFacts tells DNS, NTP, DHCP and discovery datagrams from application data by port', () => {
  const frames = framesOf((sink) => {
    const w = new TrafficWriter(sink, 1);
    w.dnsLookup(MONDAY_US, DEVICE, ROUTER, 'api-production.august.com', { addresses: ['52.44.10.21'] });
    w.udp(MONDAY_US + 1e6, DEVICE, CLOUD, 40000, 123, new Uint8Array(48));
    w.udp(MONDAY_US + 2e6, DEVICE, ROUTER, 68, 67, new Uint8Array(300));
    w.udp(MONDAY_US + 3e6, DEVICE, MDNS, 5353, 5353, new Uint8Array(40));
    w.udp(MONDAY_US + 4e6, DEVICE, CLOUD, 40001, 56700, new Uint8Array(77));
    w.udp(MONDAY_US + 5e6, DEVICE, CLOUD, 40002, 56700, new Uint8Array(0));
  });
  assert.deepEqual(
    rolesOf(frames).map((r) => [r.role, r.payloadBytes, r.sent]),
    [
      ['dns', frames[0].data.length - 42, true],
      ['dns', frames[1].data.length - 42, false],
      ['ntp', 48, true],
      ['dhcp', 300, true],
      ['discovery', 40, true],
      ['data', 77, true],
      ['other', 0, true],
    ],
  );
});

test('PacketFacts reads a TLS session: SYN and handshake records are setup, bare ACKs acks, FIN teardown', () => {
  const frames = framesOf((sink) => {
    const w = new TrafficWriter(sink, 2);
    const c = w.connect(MONDAY_US, DEVICE, CLOUD, 443);
    c.send(true, w.clientHello('api-production.august.com'));
    c.wait(30_000);
    c.send(false, w.serverFlight());
    c.send(true, w.appData(69));
    c.wait(60e6);
    c.send(true, w.appData(48));
    c.close();
  });
  const rows = rolesOf(frames, false);
  assert.deepEqual(rows.slice(0, 3).map((r) => r.role), ['setup', 'setup', 'ack']);
  const hello = rows[3];
  assert.deepEqual([hello.role, hello.clientHello, hello.sent], ['setup', true, true]);
  // The server flight: its first segment starts with the ServerHello record, the rest do not show a TLS header.
  const serverData = rows.filter((r) => !r.sent && r.payloadBytes > 0);
  assert.equal(serverData[0].role, 'setup');
  assert.ok(serverData.slice(1).every((r) => r.role === 'data'));
  const last = rows.slice(-3);
  assert.deepEqual(last.map((r) => r.role), ['teardown', 'teardown', 'ack']);
  assert.ok(rows.filter((r) => r.role === 'ack').every((r) => r.payloadBytes === 0));
  const appData = rows.filter((r) => r.sent && r.role === 'data').map((r) => r.payloadBytes);
  assert.deepEqual(appData, [69 + 5, 48 + 5]);
});
