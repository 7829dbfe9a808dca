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
  { file: 'iot-sentinel-dlink-cam-setup.pcap', mac: 'b0:c5:54:25:5b:0e', vendor: 'D-Link', category: 'camera', evidence: 'dlink.com' },
  { file: 'iot-sentinel-wemo-switch-setup.pcap', mac: '94:10:3e:35:01:c1', vendor: 'Belkin', category: 'plug', evidence: 'api.xbcs.net' },
  // Tuya's cloud serves plugs, bulbs and sensors alike: its names tell the maker, not the kind.
  { file: 'iot-tuya-plug-boot-anon.pcap', mac: '68:c6:3a:42:83:f6', vendor: 'Tuya', category: null, evidence: 'tuyaeu.com' },
  { file: 'iot-blink-cam-week-truncated-vlan.pcap', mac: 'f4:b8:5e:ff:2b:1b', vendor: 'Blink', category: 'camera', evidence: 'immedia-semi.com' },
];

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
    const report = JSON.parse(r.stdout) as { devices: { mac: string; vendor: string; category: string | null; confidence: number; evidence: { value: string; rule: { pattern: string; source: string } | null }[] }[] };
    const d = report.devices.find((x) => x.mac === e.mac);
    assert.ok(d, `no device ${e.mac}`);
    assert.equal(d.vendor, e.vendor);
    assert.equal(d.category, e.category);
    assert.ok(d.confidence >= 0.5, `confidence ${d.confidence}`);
    assert.ok(d.evidence.some((x) => x.rule !== null && x.value.toLowerCase().includes(e.evidence)), 'the evidence cites the matching name');
    const text = devices(file, '--evidence');
    assert.match(text.stdout, new RegExp(e.mac));
    assert.match(text.stdout, /asked DNS for|TLS server name|talked to/);
    assert.match(text.stdout, /line \d+;/, 'the rule behind the evidence is cited with its line');
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
