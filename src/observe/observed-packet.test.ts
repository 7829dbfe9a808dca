import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketToWrite } from '../capture/capture-writer.js';
import { createRecord } from '../capture/record.js';
import { LINKTYPE_ETHERNET } from '../core/link-type.js';
import { PacketDecoder } from '../decode/packet.js';
import { TrafficWriter } from '../home/traffic/traffic-writer.js';
import { CLOUD, DEVICE, framesOf, MONDAY_US, ROUTER } from '../uses/test-support.js';
import { ObservedPacket, TlsRecord } from './observed-packet.js';
import { fillRecord } from '../capture/test-support.js';
import { isGroupMac } from './address.js';
import { isAddressKey, OUTSIDE_KEY } from './address-keys.js';

/** Each frame's facts, picked by `pick` while the object holds them. */
function observe<T>(frames: readonly PacketToWrite[], pick: (o: ObservedPacket) => T, linkType = LINKTYPE_ETHERNET, o = new ObservedPacket()): T[] {
  const decoder = new PacketDecoder({ reuse: true });
  const rec = createRecord();
  return frames.map((f) => {
    fillRecord(rec, f, linkType);
    o.read(decoder.decode(rec), rec);
    return pick(o);
  });
}

test('ObservedPacket reads who sent a DNS query and its answer to whom, when, over which port, and the messages themselves', () => {
  const frames = framesOf((sink) => new TrafficWriter(sink, 1).dnsLookup(MONDAY_US + 1500, DEVICE, ROUTER, 'api-production.august.com', { addresses: ['52.44.10.21'] }));
  const facts = observe(frames, (o) => ({
    timeUs: o.timeUs,
    frameBytes: o.frameBytes,
    srcMac: o.srcMac,
    dstMac: o.dstMac,
    ip: [o.ipVersion, o.srcIp, o.dstIp, o.srcLocal, o.dstLocal, o.srcGroup, o.dstGroup],
    transport: [o.protocol, o.srcPort, o.dstPort, o.payloadBytes],
    dns: o.dns.map((m) => [m.isResponse, m.questions.map((q) => q.name), m.answers.length]),
    others: o.dhcp.length + o.ssdp.length + o.clientHellos.length,
  }));
  const port = facts[0].transport[1];
  assert.deepEqual(facts[0], {
    timeUs: MONDAY_US + 1500,
    frameBytes: frames[0].data.length,
    srcMac: DEVICE.mac,
    dstMac: ROUTER.mac,
    ip: [4, DEVICE.ip, ROUTER.ip, true, true, false, false],
    transport: ['udp', port, 53, frames[0].data.length - 42],
    dns: [[false, ['api-production.august.com'], 0]],
    others: 0,
  });
  assert.deepEqual(facts[1].transport, ['udp', 53, port, frames[1].data.length - 42]);
  assert.deepEqual(facts[1].dns, [[true, ['api-production.august.com'], 1]]);
  assert.equal(facts[1].srcMac, ROUTER.mac);
});

test('ObservedPacket reads a TLS session: flags, payload sizes, the ClientHello and its server name, the TLS records payloads start with', () => {
  const frames = framesOf((sink) => {
    const w = new TrafficWriter(sink, 2);
    const c = w.connect(MONDAY_US, DEVICE, CLOUD, 443);
    c.send(true, w.clientHello('api-production.august.com'));
    c.send(false, w.serverFlight());
    c.send(true, w.appData(69));
    c.close();
  });
  const facts = observe(frames, (o) => ({
    flags: `${o.syn ? 'S' : ''}${o.fin ? 'F' : ''}${o.rst ? 'R' : ''}`,
    payload: o.payloadBytes,
    tls: o.tlsRecord,
    hello: o.clientHellos.map((h) => h.serverNames),
    outside: !o.dstLocal,
  }));
  assert.equal(facts[0].flags, 'S');
  const hello = facts.findIndex((f) => f.hello.length > 0);
  assert.deepEqual(facts[hello], { flags: '', payload: facts[hello].payload, tls: TlsRecord.ClientHello, hello: [['api-production.august.com']], outside: true });
  assert.ok(facts[hello].payload > 100);
  assert.equal(facts[hello + 1].payload, 0, 'the server acknowledges');
  assert.equal(facts[hello + 2].tls, TlsRecord.Setup, "the server's flight starts with its ServerHello record");
  const data = facts.filter((f) => f.payload === 69 + 5);
  assert.deepEqual(data.map((f) => f.tls), [TlsRecord.None], 'application data is no setup record');
  assert.ok(facts.some((f) => f.flags === 'F'));
});

test('ObservedPacket tells a frame no decoder reads (no layers) and an 802.11 one (a Wi-Fi sniffer\'s) from an Ethernet one', () => {
  const frames = framesOf((sink) => new TrafficWriter(sink, 3).udp(MONDAY_US, DEVICE, CLOUD, 40000, 56700, new Uint8Array(10)));
  const pick = (o: ObservedPacket): [number, boolean, number, number] => [o.layerCount, o.wifi, o.srcMac, o.ipVersion];
  assert.deepEqual(observe(frames, pick), [[3, false, DEVICE.mac, 4]]);
  assert.deepEqual(observe(frames, pick, 147), [[0, false, -1, 0]]);
  // An 802.11 data frame header (to the AP, protected), then encrypted bytes: no Ethernet header, no
  // IP; its link addresses are the 802.11 source and destination (wlan.sa, wlan.da), its BSSID the AP.
  const wifi = new Uint8Array(24 + 40);
  const ap = [0x38, 0x94, 0xed, 0x61, 0x0a, 0x01];
  const station = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
  wifi.set([0x08, 0x41, 0, 0, ...ap, ...station, ...ap]);
  const wlan = (o: ObservedPacket): [number, boolean, number, number, number, number, number, number] => [o.layerCount, o.wifi, o.srcMac, o.dstMac, o.ipVersion, o.wlanType, o.wlanBssid, o.wlanBodyBytes];
  const [[layers, ...rest]] = observe([{ tsSec: 1, tsNsec: 0, data: wifi }], wlan, 105);
  assert.ok(layers > 0);
  assert.deepEqual(rest, [true, 0x021122334455, 0x3894ed610a01, 0, 2, 0x3894ed610a01, 40]);
});

test('ObservedPacket gives frames without link addresses the keys of their IP addresses, an outside one the group key', () => {
  const frames = framesOf((sink) => {
    const w = new TrafficWriter(sink, 3);
    w.udp(MONDAY_US, DEVICE, CLOUD, 40000, 56700, new Uint8Array(10));
    w.udp(MONDAY_US + 1e6, CLOUD, DEVICE, 56700, 40000, new Uint8Array(10));
  });
  const raw = frames.map((f) => ({ ...f, data: f.data.subarray(14) }));
  const o = new ObservedPacket();
  const keyed = observe(raw, (p) => [p.addressKeyed, p.srcMac, p.dstMac] as const, 101, o);
  const device = o.addressKeys.key(DEVICE.ip);
  assert.equal(o.addressKeys.text(device), '192.168.1.20');
  assert.deepEqual(keyed, [
    [true, device, OUTSIDE_KEY],
    [true, OUTSIDE_KEY, device],
  ]);
  assert.ok(isGroupMac(OUTSIDE_KEY) && !isGroupMac(device) && isAddressKey(device) && !isAddressKey(DEVICE.mac));
  // Ethernet frames keep their MACs.
  assert.deepEqual(observe(frames, (p) => [p.addressKeyed, p.srcMac] as const), [
    [false, DEVICE.mac],
    [false, CLOUD.mac],
  ]);
});
