import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficWriter } from '../home/traffic/traffic-writer.js';
import { CLOUD, DEVICE, framesOf, MONDAY_US, ROUTER, rolesOf } from './test-support.js';
import type { PacketToWrite } from '../capture/capture-writer.js';
import { createRecord } from '../capture/record.js';
import { fillRecord } from '../capture/test-support.js';
import { LINKTYPE_IEEE802_11 } from '../core/link-type.js';
import { PacketDecoder } from '../decode/packet.js';
import { ObservedPacket } from '../observe/observed-packet.js';
import { PacketFacts, PACKET_ROLE_NAMES } from './packet-role.js';

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

test('PacketFacts reads an encrypted 802.11 data frame by its size: a small one carries no use, a larger one is data', () => {
  const decoder = new PacketDecoder();
  const observed = new ObservedPacket();
  const facts = new PacketFacts();
  const rec = createRecord();
  /** A protected QoS data frame from a station to its AP, its body (CCMP header, data, MIC) `body` bytes. */
  const sealed = (body: number): PacketToWrite => {
    const data = new Uint8Array(26 + body);
    data.set([0x88, 0x41, 0, 0, 0x38, 0x94, 0xed, 0x61, 0x0a, 0x01, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x38, 0x94, 0xed, 0x61, 0x0a, 0x01]);
    return { tsSec: 1, tsNsec: 0, data };
  };
  const read = (f: PacketToWrite): [boolean, string, number, number] => {
    fillRecord(rec, f, LINKTYPE_IEEE802_11);
    observed.read(decoder.decode(rec), rec);
    const ok = facts.read(observed);
    return [ok, PACKET_ROLE_NAMES[facts.role], facts.payloadBytes, facts.srcMac];
  };
  // 64 bytes around the payload (CCMP 16, LLC/SNAP 8, IPv4 and TCP 40); up to 100 bytes of payload is not a use.
  assert.deepEqual(read(sealed(64)), [true, 'ack', 0, 0x021122334455]);
  assert.deepEqual(read(sealed(164)), [true, 'ack', 100, 0x021122334455]);
  assert.deepEqual(read(sealed(165)), [true, 'data', 101, 0x021122334455]);
  // Sent to the distribution system: its source is the station (SealedHandshake follows it).
  assert.deepEqual([facts.station, facts.stationSent], [0x021122334455, true]);
  const down = sealed(165);
  down.data.set([0x42], 1);
  down.data.set([0x02, 0x11, 0x22, 0x33, 0x44, 0x55], 4);
  down.data.set([0x38, 0x94, 0xed, 0x61, 0x0a, 0x01], 10);
  assert.deepEqual(read(down), [true, 'data', 101, 0x3894ed610a01]);
  assert.deepEqual([facts.station, facts.stationSent], [0x021122334455, false]);
  // A frame with no body (a null function frame) is not read.
  const nullFrame: PacketToWrite = { tsSec: 1, tsNsec: 0, data: Uint8Array.from([0x48, 0x01, 0, 0, 0x38, 0x94, 0xed, 0x61, 0x0a, 0x01, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x38, 0x94, 0xed, 0x61, 0x0a, 0x01, 0, 0]) };
  assert.equal(read(nullFrame)[0], false);
});
