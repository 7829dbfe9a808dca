// `peephole devices` on the real smart-home captures in ../shared/captures: each device is named with
// the vendor and category a careful analyst would give it from the evidence in the file, and the
// evidence is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PEEPHOLE_BIN, REPO_ROOT, SHARED_CAPTURES_DIR } from './support/paths.js';

interface Expected {
  file: string;
  mac: string;
  vendor: string;
  category: string | null;
  /** A name the evidence must cite. */
  evidence: string;
}

const EXPECTED: Expected[] = [
  { file: 'iot-smartthings-hub-nsec.pcap', mac: '68:3a:48:13:27:04', vendor: 'Samsung SmartThings', category: 'hub', evidence: 'smartthings.com' },
  { file: 'iot-sentinel-dlink-cam-setup.pcap', mac: 'b0:c5:54:25:5b:0e', vendor: 'D-Link', category: 'camera', evidence: 'dcs-935l' },
  { file: 'iot-sentinel-wemo-switch-setup.pcap', mac: '94:10:3e:35:01:c1', vendor: 'Belkin', category: 'plug', evidence: 'api.xbcs.net' },
  // Tuya's cloud serves plugs, bulbs and sensors alike: its names tell the maker, not the kind.
  { file: 'iot-tuya-plug-boot-anon.pcap', mac: '68:c6:3a:42:83:f6', vendor: 'Tuya', category: null, evidence: 'tuyaeu.com' },
  { file: 'iot-blink-cam-week-truncated-vlan.pcap', mac: 'f4:b8:5e:ff:2b:1b', vendor: 'Blink', category: 'camera', evidence: 'immedia-semi.com' },
  // A bulb whose DHCP host name is its model code, on a TP-Link MAC.
  { file: 'iot-tplink-tapo-l530-bulb-boot-anon.pcap', mac: '54:af:97:44:60:fe', vendor: 'TP-Link', category: 'light', evidence: 'l530' },
  { file: 'iot-tplink-hs110-plug-setup.pcap', mac: '50:c7:bf:00:c7:03', vendor: 'TP-Link', category: 'plug', evidence: 'hs110' },
  // Hubs and bridges say so in their host names, mDNS names and UPnP types: not a light, not a plug.
  { file: 'iot-dlink-dchg020-hub-setup.pcap', mac: '1c:5f:2b:aa:fd:4e', vendor: 'D-Link', category: 'hub', evidence: 'dch-g020' },
  { file: 'iot-osram-lightify-gateway-setup.pcap', mac: '84:18:26:7b:5f:6b', vendor: 'Osram', category: 'hub', evidence: 'lightify-' },
  { file: 'iot-belkin-wemo-link-bridge-setup.pcap', mac: '94:10:3e:cd:37:65', vendor: 'Belkin', category: 'hub', evidence: 'urn:belkin:device:bridge' },
  { file: 'iot-eq3-max-cube-gateway-setup.pcap', mac: '00:1a:22:03:cb:be', vendor: 'eQ-3', category: 'hub', evidence: 'keq0817541' },
  // A chip maker's OUI (Espressif) does not beat the product code the DHCP host name gives.
  { file: 'iot-lockly-lock-hub-first39k-truncated-vlan.pcap', mac: '24:6f:28:d9:a7:64', vendor: 'Lockly', category: 'hub', evidence: 'pgh200' },
  // The Ultraloq Bridge's host name UB01 names it on its Espressif MAC; its only cloud name is AWS IoT's.
  { file: 'iot-ultraloq-lock-bridge-first38k-truncated-vlan.pcap', mac: 'a4:cf:12:32:5b:88', vendor: 'U-tec', category: 'hub', evidence: 'ub01' },
  { file: 'iot-dlink-dchs150-motion-sensor-setup.pcap', mac: '90:8d:78:a8:e1:43', vendor: 'D-Link', category: 'sensor', evidence: 'dch-s150' },
  { file: 'iot-fitbit-aria-scale-setup.pcap', mac: '20:f8:5e:ca:91:52', vendor: 'Fitbit', category: 'sensor', evidence: 'fitbit.com' },
];

/** Each capture's gateway: the device its outside traffic goes through (a router, an access point). */
const GATEWAYS: Record<string, string | null> = {
  'iot-sentinel-wemo-switch-setup.pcap': '00:b5:6d:06:08:ba',
  'iot-fitbit-aria-scale-setup.pcap': '00:b5:6d:06:08:ba',
  'iot-smarter-coffee-machine-setup.pcap': null,
  'iot-ednet-cube-cam-setup.pcap': null,
  'iot-smartthings-hub-nsec.pcap': 'c0:56:27:73:46:0b',
  'iot-blink-cam-week-truncated-vlan.pcap': '00:1c:7f:53:d0:28',
  'iot-xiaodu-plug-setup.pcap': 'c8:bf:4c:77:a0:3a',
  'iot-emerson-thermostat-presses.pcap': 'b8:27:eb:d4:c9:17',
};

function devices(file: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, 'devices', file, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const e of EXPECTED) {
  test(`peephole devices names the device of ${e.file} ${e.vendor} ${e.category ?? '(category unknown)'} and shows why`, (t) => {
    const file = path.join(SHARED_CAPTURES_DIR, e.file);
    if (!existsSync(file)) {
      if (process.env.CI) assert.fail(`${file} is missing`);
      t.skip(`${file} is missing`);
      return;
    }
    const r = devices(file, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { devices: { mac: string; vendor: string; category: string | null; confidence: number; evidence: { value: string; weight: number; rule: { pattern: string; source: string } | null }[] }[] };
    const d = report.devices.find((x) => x.mac === e.mac);
    assert.ok(d, `no device ${e.mac}`);
    assert.equal(d.vendor, e.vendor);
    assert.equal(d.category, e.category);
    assert.ok(d.confidence >= 0.5, `confidence ${d.confidence}`);
    assert.ok(d.evidence.some((x) => x.rule !== null && x.weight > 0 && x.value.toLowerCase().includes(e.evidence)), 'the evidence cites the matching name');
    const text = devices(file, '--evidence');
    assert.match(text.stdout, new RegExp(e.mac));
    assert.match(text.stdout, /asked DNS for|TLS server name|talked to|DHCP host name|mDNS name|SSDP type/);
    assert.match(text.stdout, /[a-z-]+\.tsv:\d+ /, 'the row behind the evidence is cited with its table and line');
  });
}

for (const [file, gateway] of Object.entries(GATEWAYS)) {
  test(`peephole devices finds the gateway of ${file} by its traffic (${gateway ?? 'none: no outside traffic'}), and calls no other device router`, (t) => {
    const path_ = path.join(SHARED_CAPTURES_DIR, file);
    if (!existsSync(path_)) {
      if (process.env.CI) assert.fail(`${path_} is missing`);
      t.skip(`${path_} is missing`);
      return;
    }
    const r = devices(path_, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { devices: { mac: string; category: string | null }[] };
    assert.deepEqual(
      report.devices.filter((d) => d.category === 'router').map((d) => d.mac),
      gateway === null ? [] : [gateway],
    );
  });
}

test('peephole devices on a real DHCP exchange: each client named by its DHCP host name, and a hostile name shown neutralised', async (t) => {
  const { loopbackManifestOrSkip, recordingPath } = await import('./support/loopback-recordings.js');
  const { RECORDINGS } = await import('./support/loopback/plan.js');
  const { CAPTURE_FORMATS } = await import('./support/capture-formats.js');
  const manifest = loopbackManifestOrSkip(t);
  if (manifest === null) return;
  const plan = RECORDINGS.find((r) => r.name === 'netns-dhcp');
  assert.ok(plan, 'the DHCP recording is planned');
  const file = recordingPath(manifest, plan, CAPTURE_FORMATS[0]);
  const json = JSON.parse(devices(file, '--json').stdout) as { devices: { mac: string; names: string[]; addresses: string[] }[] };
  const byMac = new Map(json.devices.map((d) => [d.mac, d]));
  assert.deepEqual(byMac.get('68:c6:3a:a1:b2:c3')?.names, ['ESP_A1B2C3']);
  assert.deepEqual(byMac.get('3c:5a:b4:0d:0e:0f')?.names, ['Pixel-7']);
  assert.ok(byMac.get('3c:5a:b4:0d:0e:0f')!.addresses.length > 0, 'the address the ACK gave');
  const text = devices(file, '--evidence');
  assert.equal(text.status, 0, text.stderr);
  assert.ok(!text.stdout.includes('\u001b'), 'no raw ESC reaches the terminal');
  assert.match(text.stdout, /=1\+2\\x1b\[31mLIFX/);
});
