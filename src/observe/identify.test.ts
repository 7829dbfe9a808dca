import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcapWriter } from '../capture/pcap-writer.js';
import { readCapture } from '../capture/reader.js';
import { PacketDecoder } from '../decode/packet.js';
import { parseIpv4 } from '../core/bytes.js';
import { writeDemoHome, DEMO_DEVICES } from '../home/traffic/test-demo-home.js';
import { TrafficWriter } from '../home/traffic/traffic-writer.js';
import { DeviceTable } from './device-table.js';
import { identifyDevices, type NameRule, type VendorMatcher } from './identify.js';
import { ObservedPacket } from './observed-packet.js';

/** A small rules table for the tests (the shipped one is data/vendor-rules.tsv). */
const RULES: Record<string, Omit<NameRule, 'pattern' | 'line'>> = {
  'august.com': { vendor: 'August', category: 'lock', source: 'test' },
  'tuyaus.com': { vendor: 'Tuya', category: 'light', source: 'test' },
  'simplisafe.com': { vendor: 'SimpliSafe', category: 'alarm', source: 'test' },
  'amazonaws.com': { vendor: 'Amazon Web Services', category: 'cloud', source: 'test' },
};
const matcher: VendorMatcher = {
  match(name) {
    const labels = name.toLowerCase().split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const r = RULES[suffix];
      if (r) return { ...r, pattern: suffix, line: 1 };
    }
    return null;
  },
};

async function tableOf(write: (w: PcapWriter) => void): Promise<DeviceTable> {
  const w = new PcapWriter();
  write(w);
  w.close();
  const bytes = w.toBytes();
  const decoder = new PacketDecoder();
  const table = new DeviceTable();
  const observed = new ObservedPacket();
  await readCapture({ stream: (async function* () { yield bytes; })(), name: 'test' }, (rec) => {
    observed.read(decoder.decode(rec), rec);
    table.add(observed);
  });
  return table;
}

test('identifyDevices() names the demo home devices by the cloud names they ask for and connect to', async () => {
  const table = await tableOf((w) => writeDemoHome(w, { days: 1, seed: 3 }));
  const report = identifyDevices(table, { rules: matcher });
  assert.equal(report.vantage, 'lan');
  const byAddress = new Map(report.devices.map((d) => [d.addresses[0], d]));
  for (const dev of DEMO_DEVICES) {
    const d = byAddress.get(`192.168.1.${20 + DEMO_DEVICES.indexOf(dev)}`);
    assert.ok(d, dev.id);
    assert.equal(d.category, dev.kind);
    assert.ok(d.confidence > 0.5, `${dev.id} confidence ${d.confidence}`);
    assert.ok(d.evidence.some((e) => e.kind === 'dns_query' && e.value === dev.cloudName && e.rule !== null));
    assert.ok(d.evidence.some((e) => e.kind === 'tls_server_name' && e.value === dev.cloudName));
  }
  const router = report.devices.find((d) => d.addresses.includes('192.168.1.1'));
  assert.equal(router?.category, 'router');
});

test('a flow that began before the DNS answer for its address keeps no name; one after it gets the name', async () => {
  const home = { mac: 0x0200_0000_0001, ip: parseIpv4('192.168.5.10') };
  const router = { mac: 0x0200_0000_00fe, ip: parseIpv4('192.168.5.1') };
  const cloud = { mac: router.mac, ip: parseIpv4('52.44.10.21') };
  const table = await tableOf((w) => {
    const t = new TrafficWriter(w, 1);
    t.udp(1_700_000_000e6, home, cloud, 40000, 5000, new Uint8Array(20));
    t.dnsLookup(1_700_000_010e6, home, router, 'api.august.com', { addresses: ['52.44.10.21'] });
    t.udp(1_700_000_020e6, home, cloud, 40000, 5000, new Uint8Array(20));
  });
  const device = table.list().find((d) => d.mac === home.mac)!;
  const flows = device.flows.filter((f) => f.remoteAddress === '52.44.10.21');
  assert.deepEqual(
    flows.map((f) => [f.remoteName, f.packetsOut]),
    [
      [null, 1],
      ['api.august.com', 1],
    ],
  );
});

test('identifyDevices() on a WAN capture splits the home into one device per vendor its names point to', async () => {
  const isp = { mac: 0x0200_0000_0099, ip: parseIpv4('203.0.113.1') };
  const home = { mac: 0x0200_0000_0042, ip: parseIpv4('198.51.100.7') };
  const table = await tableOf((w) => {
    const t = new TrafficWriter(w, 2);
    let at = 1_700_000_000e6;
    for (const [name, address] of [['api-production.august.com', '52.44.10.21'], ['a2.tuyaus.com', '18.215.3.77']]) {
      at = t.dnsLookup(at + 1e6, home, isp, name, { addresses: [address] });
      at = t.tlsSession(at + 1e6, home, { mac: isp.mac, ip: parseIpv4(address) }, name, { exchanges: [[100, 200]] });
    }
  });
  const report = identifyDevices(table, { rules: matcher });
  assert.equal(report.vantageDetected, 'wan');
  const found = report.devices.filter((d) => d.mac === null).map((d) => `${d.vendor} ${d.category}`).sort();
  assert.deepEqual(found, ['August lock', 'Tuya light']);
  assert.equal(identifyDevices(table, { rules: matcher, vantage: 'lan' }).vantage, 'lan');
});
