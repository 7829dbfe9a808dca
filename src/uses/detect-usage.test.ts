import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { parseEventsCsv } from '../attack/events-csv.js';
import { parseIpv4, parseMac } from '../core/bytes.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { capture } from '../home/traffic/test-frames.js';
import { SortingSink, TrafficWriter, type Endpoint, type TcpConnection } from '../home/traffic/traffic-writer.js';
import { readCapture } from '../capture/reader.js';
import { PacketDecoder } from '../decode/packet.js';
import { ObservedPacket } from '../observe/observed-packet.js';
import { DeviceBurstCollector, detectUsage } from './detect-usage.js';
import { formatUsageCsv } from './usage-csv.js';
import { CLOUD, DEVICE, MONDAY_US, ROUTER, sealedFrames } from './test-support.js';
import type { PacketToWrite } from '../capture/capture-writer.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { LINKTYPE_IEEE802_11 } from '../core/link-type.js';

const PLUG: Endpoint = { mac: parseMac('60:3a:7c:22:91:06'), ip: parseIpv4('192.168.1.35') };
const PLUG_CLOUD: Endpoint = { mac: ROUTER.mac, ip: parseIpv4('34.241.7.12') };
const HOUR_US = 3600e6;
const RTT_US = 30_000;

function open(w: TrafficWriter, at: number, client: Endpoint, server: Endpoint, name: string): TcpConnection {
  const c = w.connect(at, client, server, 443, RTT_US);
  c.send(true, w.clientHello(name));
  c.wait(RTT_US);
  c.send(false, w.serverFlight());
  c.send(true, w.appData(69));
  return c;
}

function exchange(c: TcpConnection, at: number, messages: readonly [up: boolean, bytes: number, gapUs: number][], w: TrafficWriter): void {
  c.timeUs = Math.max(c.timeUs, at);
  for (const [up, bytes, gapUs] of messages) {
    c.wait(gapUs);
    c.send(up, w.appData(bytes));
  }
}

/**
 * Six hours of a lock (August's cloud name) and a plug (TP-Link's): keep-alives, DNS refreshes, a
 * reconnect of the lock, and three uses of the lock; the plug is never used.
 */
function home(): { pcap: Uint8Array; frames: PacketToWrite[]; uses: number[] } {
  const uses = [1.25 * HOUR_US, 3.5 * HOUR_US + 17e6, 5.1 * HOUR_US];
  const { pcap, frames } = capture((out) => {
    const sink = new SortingSink(out);
    const w = new TrafficWriter(sink, 7);
    const lockName = 'api-production.august.com';
    const plugName = 'n-devs.tplinkcloud.com';
    w.dnsLookup(MONDAY_US, DEVICE, ROUTER, lockName, { addresses: ['52.44.10.21'], ttl: 300 });
    w.dnsLookup(MONDAY_US + 1e6, PLUG, ROUTER, plugName, { addresses: ['34.241.7.12'], ttl: 300 });
    let lock = open(w, MONDAY_US + 100_000, DEVICE, CLOUD, lockName);
    const plug = open(w, MONDAY_US + 1.1e6, PLUG, PLUG_CLOUD, plugName);
    const end = MONDAY_US + 6 * HOUR_US;
    for (let t = MONDAY_US + 300e6; t < end; t += 300e6) {
      w.dnsLookup(t + 31e6, DEVICE, ROUTER, lockName, { addresses: ['52.44.10.21'], ttl: 300 });
      w.dnsLookup(t + 47e6, PLUG, ROUTER, plugName, { addresses: ['34.241.7.12'], ttl: 300 });
    }
    let next = MONDAY_US + 60e6;
    let reconnected = false;
    let u = 0;
    while (next < end) {
      if (!reconnected && next > MONDAY_US + 2 * HOUR_US) {
        lock.timeUs = next - 20e6;
        lock.close();
        lock = open(w, next - 17e6, DEVICE, CLOUD, lockName);
        reconnected = true;
      }
      if (u < uses.length && MONDAY_US + uses[u] < next) {
        exchange(lock, MONDAY_US + uses[u++], [[true, 326, 0], [false, 262, 80_000], [true, 630, 400_000], [false, 134, 90_000]], w);
      }
      exchange(lock, next, [[true, 48, 0], [false, 48, RTT_US]], w);
      next += 60e6 + w.random.int(-1e6, 1e6);
    }
    for (let t = MONDAY_US + 30e6; t < end; t += 30e6 + w.random.int(-500_000, 500_000)) exchange(plug, t, [[true, 112, 0], [false, 112, RTT_US]], w);
    sink.flush();
  });
  return { pcap, frames, uses: uses.map((u) => MONDAY_US + u) };
}

test('detectUsage() finds exactly the three uses of a lock, and none of a plug that was never used', async () => {
  const { pcap, uses } = home();
  const report = await detectUsage({ stream: Readable.from([pcap]), name: 'home.pcap' }, { rules: defaultVendorRules() });
  assert.deepEqual(
    report.events.map((e) => [e.device, e.kind, e.timeUs]),
    uses.map((u) => ['78:9c:85:12:34:01', 'lock', u]),
  );
  for (const e of report.events) {
    assert.equal(e.direction, 'both');
    assert.ok(e.packets >= 6 && e.bytes > 1350 && e.endUs > e.timeUs && e.confidence > 0.5);
  }
  const lock = report.devices.find((d) => d.id === '78:9c:85:12:34:01');
  const plug = report.devices.find((d) => d.id === '60:3a:7c:22:91:06');
  assert.ok(lock !== undefined && plug !== undefined);
  assert.equal(lock.kind, 'lock');
  assert.equal(plug.kind, 'plug');
  assert.equal(plug.uses, 0);
  assert.ok(Math.abs(lock.baseline.heartbeats[0].periodUs - 60e6) < 1e6);
  assert.ok(Math.abs(plug.baseline.heartbeats[0].periodUs - 30e6) < 0.5e6);
  assert.ok(lock.labels.reconnect >= 1 && lock.labels.dns > 60 && lock.labels.heartbeat > 300);
  assert.ok(report.devices.every((d) => d.category !== 'router'));
});

test('detectUsage() on a Wi-Fi sniffer\'s capture of the same six hours (every frame sealed) finds the three uses of the lock, not its reconnect', async () => {
  const { frames, uses } = home();
  const pcap = new PcapWriter({ precision: 'ns', linkType: LINKTYPE_IEEE802_11 });
  for (const f of sealedFrames(frames, ROUTER.mac)) pcap.writePacket(f);
  pcap.close();
  const report = await detectUsage({ stream: Readable.from([pcap.toBytes()]), name: 'home-wifi.pcap' }, { rules: defaultVendorRules() });
  // Read by size only, the reconnect's TLS handshake (a ClientHello, the server's 3.5 kB flight, a
  // Finished) was a fourth use of the lock; its TCP handshake before it tells it.
  assert.deepEqual(
    report.events.map((e) => [e.device, e.timeUs]),
    uses.map((u) => ['78:9c:85:12:34:01', u]),
  );
  const lock = report.devices.find((d) => d.id === '78:9c:85:12:34:01');
  assert.ok(lock !== undefined && lock.labels.reconnect >= 1);
});

test('The events CSV of detected uses reads back through the attack reader with the same times, devices and kinds', async () => {
  const { pcap } = home();
  const report = await detectUsage({ stream: Readable.from([pcap]), name: 'home.pcap' }, { rules: defaultVendorRules() });
  const back = parseEventsCsv(formatUsageCsv(report.events), 'uses.csv');
  assert.equal(back.labelled, false);
  assert.deepEqual(
    back.events.map((e) => [e.timeUs, e.device, e.kind]),
    report.events.map((e) => [e.timeUs, e.device, e.kind]),
  );
});

test('DeviceBurstCollector tells the router by the packets it sends from outside addresses and keeps no bursts for it', async () => {
  const { pcap } = home();
  const decoder = new PacketDecoder();
  const collector = new DeviceBurstCollector();
  const observed = new ObservedPacket();
  await readCapture({ stream: Readable.from([pcap]), name: 'home.pcap' }, (rec) => {
    observed.read(decoder.decode(rec), rec);
    collector.add(observed);
  });
  assert.equal(collector.isRouter(ROUTER.mac), true);
  assert.equal(collector.finish(ROUTER.mac).bursts, 0);
  assert.equal(collector.isRouter(DEVICE.mac), false);
  assert.ok(collector.finish(DEVICE.mac).bursts > 400);
});
