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

test('identifyDevices() on a WAN capture splits the home into device clusters, one per maker its names point to', async () => {
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

// ---- Weighing the evidence with the shipped knowledge base ------------------------------------------

import { dhcpExchange } from '../home/traffic/messages.js';
import { defaultVendorRules } from './vendor-rules.js';
import type { Endpoint } from '../home/traffic/traffic-writer.js';

const ROUTER: Endpoint = { mac: 0x0000_0c11_2201, ip: parseIpv4('192.168.7.1') };
/** Registered owners of the test MACs' prefixes, as the IEEE registry names them. */
const OUI_OWNERS: Record<string, string> = {
  '50c7bf': 'TP-LINK TECHNOLOGIES CO.,LTD.',
  '68c63a': 'Espressif Inc.',
  '94103e': 'Belkin International Inc.',
  '000c11': 'NETGEAR',
  '74da38': 'Edimax Technology Co. Ltd.',
  '0024e4': 'Withings',
  '44650d': 'Amazon Technologies Inc.',
};
const oui = (mac: number): { vendor: string } | null => {
  const owner = OUI_OWNERS[Math.floor(mac / 2 ** 24).toString(16).padStart(6, '0')];
  return owner ? { vendor: owner } : null;
};

/** A device's DHCP request with a host name, as its firmware sends it. */
function dhcpRequest(t: TrafficWriter, at: number, device: Endpoint, hostName: string): void {
  const x = dhcpExchange(7, device.mac, device.ip as number, ROUTER.ip as number, hostName);
  t.udp(at, { mac: device.mac, ip: 0 }, { mac: 0xffff_ffff_ffff, ip: parseIpv4('255.255.255.255') }, 68, 67, x.request);
}

/** A lookup and a TLS session to `name` at an outside address, through the router. */
function cloudSession(t: TrafficWriter, at: number, device: Endpoint, name: string, address: string): number {
  const end = t.dnsLookup(at, device, ROUTER, name, { addresses: [address] });
  return t.tlsSession(end + 1e6, device, { mac: ROUTER.mac, ip: parseIpv4(address) }, name, { exchanges: [[200, 400]] });
}

/** One cloud session to each of `names` in turn, from 1_700_000_000 s, the k-th name at `net`.k. */
function cloudSessions(t: TrafficWriter, device: Endpoint, names: readonly string[], net: string): void {
  let at = 1_700_000_000e6;
  for (const [i, name] of names.entries()) at = cloudSession(t, at + 1e6, device, name, `${net}.${i + 1}`);
}

function identify(write: (t: TrafficWriter) => void): Promise<ReturnType<typeof identifyDevices>> {
  return tableOf((w) => write(new TrafficWriter(w, 5))).then((table) => identifyDevices(table, { rules: defaultVendorRules(), oui }));
}

test('a product name in DHCP beats the maker names a device queried; each piece of evidence cites its table and line', async () => {
  const plug: Endpoint = { mac: 0x50c7_bf00_c703, ip: parseIpv4('192.168.7.20') };
  const report = await identify((t) => {
    dhcpRequest(t, 1_700_000_000e6, plug, 'HS110(EU)');
    let at = cloudSession(t, 1_700_000_010e6, plug, 'www.google.com', '142.250.1.1');
    at = cloudSession(t, at + 1e6, plug, 'clients3.google.com', '142.250.1.2');
    cloudSession(t, at + 1e6, plug, 'devs.tplinkcloud.com', '3.120.1.1');
  });
  const d = report.devices.find((x) => x.mac === '50:c7:bf:00:c7:03')!;
  assert.equal(d.vendor, 'TP-Link');
  assert.equal(d.category, 'plug');
  const dhcp = d.evidence.find((e) => e.kind === 'dhcp_host_name')!;
  assert.equal(dhcp.rule?.table, 'dhcp.tsv');
  assert.match(dhcp.rule?.product ?? '', /HS1/);
  assert.ok(dhcp.weight > d.evidence.find((e) => e.value === 'www.google.com' && e.kind === 'dns_query')!.weight, 'the product name weighs more than a platform name');
  assert.ok(d.evidence.every((e) => e.rule === null || (e.rule.table.endsWith('.tsv') && e.rule.line > 0)));
});

test("a chip maker's OUI and its SDK's default host name never name the brand; the cloud does", async () => {
  const bulb: Endpoint = { mac: 0x68c6_3a42_83f6, ip: parseIpv4('192.168.7.21') };
  const report = await identify((t) => {
    dhcpRequest(t, 1_700_000_000e6, bulb, 'ESP_E67CDE');
    cloudSession(t, 1_700_000_010e6, bulb, 'a3.tuyaeu.com', '3.67.116.46');
  });
  const d = report.devices.find((x) => x.mac === '68:c6:3a:42:83:f6')!;
  assert.equal(d.vendor, 'Tuya');
  const module = d.evidence.filter((e) => e.kind === 'oui' || e.kind === 'dhcp_host_name');
  assert.equal(module.length, 2);
  for (const e of module) {
    assert.equal(e.weight, 0, `${e.kind} ${e.value} counts for nothing`);
    assert.match(e.note, /chips|modules/);
  }
});

test('with the chip maker alone on the wire the vendor is unknown, not the chip maker', async () => {
  const machine: Endpoint = { mac: 0x68c6_3a07_aefb, ip: parseIpv4('192.168.7.22') };
  const report = await identify((t) => {
    dhcpRequest(t, 1_700_000_000e6, machine, 'ESP_07AEFB');
    t.udp(1_700_000_001e6, machine, ROUTER, 50000, 50000, new Uint8Array(40));
  });
  const d = report.devices.find((x) => x.mac === '68:c6:3a:07:ae:fb')!;
  assert.equal(d.vendor, null);
  assert.equal(d.confidence, 0);
});

test("in a busy LAN, names a device queried for another maker's services do not outweigh its own maker's cloud and MAC", async () => {
  const bridge: Endpoint = { mac: 0x9410_3ecd_3765, ip: parseIpv4('192.168.7.23') };
  const report = await identify((t) => {
    let at = 1_700_000_000e6;
    for (const [i, name] of ['mtalk4.google.com', 'android.clients.google.com', 'clients3.google.com', 'alt6-mtalk.google.com', 'api.samsungosp.com', 'www.samsung.com'].entries()) {
      at = cloudSession(t, at + 1e6, bridge, name, `142.250.2.${i + 1}`);
    }
    cloudSession(t, at + 1e6, bridge, 'api.xbcs.net', '52.1.1.1');
  });
  const d = report.devices.find((x) => x.mac === '94:10:3e:cd:37:65')!;
  assert.equal(d.vendor, 'Belkin');
  assert.ok(d.confidence < 0.95, `the other makers' names lower the confidence (${d.confidence})`);
});

test('evidence that disagrees lowers the confidence instead of being overwritten', async () => {
  const plug: Endpoint = { mac: 0x50c7_bf00_c704, ip: parseIpv4('192.168.7.24') };
  const alone = await identify((t) => {
    dhcpRequest(t, 1_700_000_000e6, plug, 'HS110(EU)');
    cloudSession(t, 1_700_000_010e6, plug, 'devs.tplinkcloud.com', '3.120.1.1');
  });
  const disputed = await identify((t) => {
    dhcpRequest(t, 1_700_000_000e6, plug, 'HS110(EU)');
    let at = cloudSession(t, 1_700_000_010e6, plug, 'devs.tplinkcloud.com', '3.120.1.1');
    at = cloudSession(t, at + 1e6, plug, 'api-production.august.com', '52.44.10.21');
    cloudSession(t, at + 1e6, plug, 'api.ecobee.com', '52.44.10.22');
  });
  const a = alone.devices.find((x) => x.mac === '50:c7:bf:00:c7:04')!;
  const b = disputed.devices.find((x) => x.mac === '50:c7:bf:00:c7:04')!;
  assert.equal(b.vendor, 'TP-Link');
  assert.equal(b.category, 'plug');
  assert.ok(b.confidence < a.confidence, `${b.confidence} < ${a.confidence}`);
  assert.ok(b.evidence.some((e) => e.rule?.vendor === 'August' && e.weight > 0), 'the disagreeing evidence stays in the chain');
});

// ---- The gateway, found by traffic -------------------------------------------------------------------

test('the router is the device the outside addresses are reached through; a device that only talks to its own cloud never is', async () => {
  const camera: Endpoint = { mac: 0x74da_3880_7a08, ip: parseIpv4('192.168.7.30') };
  const plug: Endpoint = { mac: 0x50c7_bf00_c705, ip: parseIpv4('192.168.7.31') };
  const report = await identify((t) => {
    let at = 1_700_000_000e6;
    // The camera sends a lot, all of it to one cloud address; the plug a little, to two.
    for (let i = 0; i < 50; i++) t.udp((at += 1e6), camera, { mac: ROUTER.mac, ip: parseIpv4('3.229.44.115') }, 50000, 8091, new Uint8Array(900));
    t.udp((at += 1e6), { mac: ROUTER.mac, ip: parseIpv4('3.229.44.115') }, camera, 8091, 50000, new Uint8Array(60));
    cloudSession(t, at + 1e6, plug, 'devs.tplinkcloud.com', '3.120.1.1');
  });
  const roles = new Map(report.devices.map((d) => [d.mac, d.category]));
  assert.equal(roles.get('00:00:0c:11:22:01'), 'router');
  assert.notEqual(roles.get('74:da:38:80:7a:08'), 'router');
  assert.notEqual(roles.get('50:c7:bf:00:c7:05'), 'router');
  const gateway = report.devices.find((d) => d.category === 'router')!;
  assert.match(gateway.evidence.find((e) => e.kind === 'gateway')!.value, /2 inside host/);
});

test('a device that sends from an outside address but forwards for no inside host is not the router', async () => {
  // A device with a public address of its own (no NAT) sends from an "outside" address: the old
  // packet-share rule called it a router; it reaches nothing for anyone.
  const device: Endpoint = { mac: 0x50c7_bf00_c706, ip: parseIpv4('198.51.100.20') };
  const report = await identify((t) => {
    let at = 1_700_000_000e6;
    for (let i = 0; i < 20; i++) t.udp((at += 1e6), device, { mac: ROUTER.mac, ip: parseIpv4('3.120.1.1') }, 40000, 443, new Uint8Array(100));
  });
  assert.ok(report.devices.every((d) => d.category !== 'router'), report.devices.map((d) => `${d.id} ${d.category}`).join(', '));
});

test('the new clues are evidence: a TXT row, an HTTP user agent and host, NTP servers by name, the JA3; a locally administered MAC is not looked up', async () => {
  const { DevicePatterns, parsePatterns } = await import('./device-patterns.js');
  const { encodeHttp, makeHttp, httpCodec } = await import('../decode/app/http.js');
  const { encodeNtp, makeNtpRequest, NTP_HEADER_BYTES } = await import('../decode/app/ntp.js');
  const { encodeDnsMessage } = await import('../decode/app/dns.js');
  const { dnsMessage } = await import('../decode/app/dns-fixtures.js');
  const { ja3 } = await import('../decode/app/tls-fingerprint.js');
  const { decodeTlsClientHello } = await import('../decode/app/tls-client-hello.js');
  const { CollectingContext } = await import('../decode/context.js');
  const patterns = new DevicePatterns(
    parsePatterns(
      [
        ['clue', 'pattern', 'condition', 'vendor', 'category', 'product', 'source', 'date'],
        ['mdns_txt', 'md=Lock Pro', '', 'August', 'lock', 'August lock (test)', 'test', '2026-12-07'],
        ['http_user_agent', 'AugustFW/*', '', 'August', '', 'August firmware (test)', 'test', '2026-12-07'],
      ]
        .map((r) => r.join('\t'))
        .join('\n'),
      'clues.tsv',
    ),
  );
  const local = { mac: 0x0a00_0000_0001, ip: parseIpv4('192.168.5.10') }; // 0x0a: locally administered
  const router = { mac: 0x0000_0c00_00fe, ip: parseIpv4('192.168.5.1') };
  const ntpServer = { mac: router.mac, ip: parseIpv4('52.44.10.99') };
  const web = { mac: router.mac, ip: parseIpv4('52.44.10.98') };
  const hello = new (await import('../home/traffic/traffic-writer.js')).TrafficWriter({ writePacket: () => {} }, 1).clientHello('api.august.com');
  const table = await tableOf((w) => {
    const t = new TrafficWriter(w, 1);
    const txt = ['md=Lock Pro', 'c#=2'];
    const mdns = dnsMessage({
      id: 0,
      flags: 0x8400,
      protocol: 'mdns',
      transport: 'udp',
      answers: [{ name: 'Front Door._hap._tcp.local', type: 16, class: 1, cacheFlush: true, ttl: 120, data: { type: 'TXT', strings: txt, raw: txt.map((x) => new TextEncoder().encode(x)) } }],
    } as Parameters<typeof dnsMessage>[0]);
    const mdnsBytes = new Uint8Array(2048);
    const end = encodeDnsMessage(mdns, mdnsBytes, 0);
    t.udp(1_700_000_000e6, local, { mac: 0x0100_5e00_00fb, ip: parseIpv4('224.0.0.251') }, 5353, 5353, mdnsBytes.subarray(0, end));
    t.dnsLookup(1_700_000_001e6, local, router, 'time.august.com', { addresses: ['52.44.10.99'] });
    const ntp = new Uint8Array(NTP_HEADER_BYTES);
    encodeNtp(makeNtpRequest(), ntp, 0);
    t.udp(1_700_000_002e6, local, ntpServer, 40123, 123, ntp);
    const req = makeHttp({ uri: '/fw', headers: [['Host', 'fw.august.com:80'], ['User-Agent', 'AugustFW/1.2']] });
    const reqBytes = new Uint8Array(httpCodec.encodingLength(req));
    encodeHttp(req, reqBytes, 0);
    const c = t.connect(1_700_000_003e6, local, web, 80);
    c.send(true, reqBytes);
    const s = t.connect(1_700_000_004e6, local, web, 443);
    s.send(true, hello);
  });
  const report = identifyDevices(table, { rules: matcher, patterns, oui: () => ({ vendor: 'Should Not Be Asked' }) });
  const d = report.devices.find((x) => x.addresses.includes('192.168.5.10'))!;
  assert.equal(d.vendor, 'August');
  assert.equal(d.category, 'lock');
  const kinds = (k: string) => d.evidence.filter((e) => e.kind === k);
  assert.equal(kinds('mdns_txt')[0]?.rule?.table, 'clues.tsv');
  assert.equal(kinds('mdns_txt')[0]?.value, 'md=Lock Pro');
  assert.equal(kinds('http_user_agent')[0]?.rule?.product, 'August firmware (test)');
  assert.equal(kinds('http_host')[0]?.value, 'fw.august.com');
  assert.ok(kinds('http_host')[0]!.weight > 0, 'a Host asked for counts as a name asked for');
  assert.equal(kinds('ntp_server')[0]?.value, 'time.august.com');
  const expectedJa3 = ja3(decodeTlsClientHello(hello, 0, hello.length, new CollectingContext())!);
  assert.deepEqual(kinds('tls_ja3').map((e) => e.value), [expectedJa3]);
  assert.equal(kinds('oui').length, 0, 'a locally administered MAC is not looked up');
  assert.match(kinds('mac_local')[0]?.note ?? '', /locally administered/);
});

// The UNSW smart-home devices, fed the cloud names their UNSW MUD profiles list (data/vendor-rules.tsv,
// the block naming them) and their MAC's registered owner, through the shipped knowledge base.

test("a device's many names shared by its maker's other kinds do not outvote the hosts only its kind uses", async () => {
  // Withings Smart Baby Monitor: one babyws.withings.net, video to *-fwd-*.withings.net; without the
  // rows for those hosts, four withings.net names said 'sensor' (a scale) against one 'camera'.
  const monitor: Endpoint = { mac: 0x0024_e411_18a8, ip: parseIpv4('192.168.7.30') };
  const report = await identify((t) => cloudSessions(t, monitor, ['babyws.withings.net', 'fr-on-fwd-03.withings.net', 'fr-ovh-fwd-03.withings.net', 'fr-on-vm-02-lxc-03.withings.net', 'fr-eqx-fwd-06.withings.com'], '89.30.121'));
  const d = report.devices.find((x) => x.mac === '00:24:e4:11:18:a8')!;
  assert.equal(d.vendor, 'Withings');
  assert.equal(d.category, 'camera');
  const scale: Endpoint = { mac: 0x0024_e41b_6f96, ip: parseIpv4('192.168.7.31') };
  const other = await identify((t) => cloudSession(t, 1_700_000_000e6, scale, 'wbs04-ws.withings.net', '89.30.121.9'));
  assert.equal(other.devices.find((x) => x.mac === '00:24:e4:1b:6f:96')!.category, 'sensor', "the scale's name stays a sensor's");
});

test("an Echo's own names outweigh the other maker's cloud it asked for on its owner's behalf", async () => {
  // The UNSW Echo asked for www.meethue.com (its Hue skill) besides Amazon's names, which a platform's
  // role weighs low; the Echo's text-to-speech host names the speaker brand.
  const echo: Endpoint = { mac: 0x4465_0d56_ccd3, ip: parseIpv4('192.168.7.32') };
  const report = await identify((t) => cloudSessions(t, echo, ['softwareupdates.amazon.com', 'device-metrics-us.amazon.com', 'api.amazonalexa.com', 'www.meethue.com', 'tinytts-us-west-2.amazon.com'], '54.239.1'));
  const d = report.devices.find((x) => x.mac === '44:65:0d:56:cc:d3')!;
  assert.equal(d.vendor, 'Amazon Echo');
  assert.equal(d.category, 'speaker');
  assert.ok(d.confidence < 0.95, `the Hue name disagrees and lowers the confidence (${d.confidence})`);
});
