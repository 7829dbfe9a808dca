// End-to-end tests of usage detection (src/uses/) on simulated homes: every built-in home is
// lived for three days (seed 7), its LAN capture read by detectUsage(), and the uses found scored
// against the home's events.csv (src/uses/score.ts). Measured before these thresholds were set
// (3 days, seeds 1-8, every home): precision and recall 1.000 overall and per kind, with exact
// message sizes and with 0..16 bytes added to every data payload; thresholds leave a margin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureHome } from './support/measure-uses.js';
import { detectUsage } from '../src/uses/detect-usage.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { BUILTIN_HOMES, loadHomeSpec } from '../src/home/spec.js';
import { simulateHome } from '../src/home/simulate.js';
import { HomeTrafficWriter, linkTypeFor } from '../src/home/traffic/index.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';

const DAYS = 3;
const SEED = 7;
const MIN_OVERALL = 0.97;
const MIN_PER_KIND = 0.9;
/** Kinds with fewer true uses than this are too few for a share to mean much. */
const MIN_USES_FOR_A_KIND = 5;
const DAY_US = 86_400e6;

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-activity-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

for (const jitter of [0, 16]) {
  for (const home of BUILTIN_HOMES) {
    const how = jitter === 0 ? 'its exact message sizes' : `0..${jitter} bytes added to every data payload`;
    test(`detectUsage() finds the uses of the ${home} home over ${DAYS} days (${how}) with precision and recall of at least ${MIN_OVERALL}`, async () => {
      const m = await measureHome(home, { days: DAYS, seed: SEED, dir: path.join(dir, `j${jitter}`), payloadJitterBytes: jitter });
      const o = m.score.overall;
      assert.ok(o.tp > 20, `only ${o.tp} uses found`);
      assert.ok(o.precision >= MIN_OVERALL, `precision ${o.precision} (${JSON.stringify(o)})`);
      assert.ok(o.recall >= MIN_OVERALL, `recall ${o.recall} (${JSON.stringify(o)})`);
      for (const [kind, c] of Object.entries(m.score.byKind)) {
        if (c.tp + c.fn < MIN_USES_FOR_A_KIND) continue;
        assert.ok(c.precision >= MIN_PER_KIND && c.recall >= MIN_PER_KIND, `${kind}: ${JSON.stringify(c)}`);
      }
      // Every network device of the spec was seen, and a keep-alive found for each.
      const spec = loadHomeSpec(home);
      const macs = spec.devices.filter((d) => d.mac !== undefined).map((d) => d.mac!.toLowerCase());
      for (const mac of macs) {
        const d = m.report.devices.find((x) => x.id === mac);
        assert.ok(d !== undefined, `${mac} not reported`);
        assert.ok(d.baseline.heartbeats.length + d.baseline.roughHeartbeats.length > 0, `${mac}: no keep-alive found`);
      }
    });
  }
}

test('detectUsage() finds no use in any built-in home where nobody uses anything for two days', async () => {
  for (const home of BUILTIN_HOMES) {
    const spec = loadHomeSpec(home);
    const file = path.join(dir, `${home}-idle.pcap`);
    const pcap = new PcapWriter({ to: file, linkType: linkTypeFor('lan') });
    const w = new HomeTrafficWriter({ source: home, devices: spec.devices, network: spec.network, vantage: 'lan', seed: SEED, sink: pcap, startUs: spec.startUs });
    for (let d = 0; d < 2; d++) w.writeDay({ dayStartUs: spec.startUs + d * DAY_US, activities: [], events: [] });
    w.finish();
    pcap.close();
    const report = await detectUsage(file, { rules: defaultVendorRules() });
    assert.equal(report.devices.length, spec.devices.filter((d) => d.mac !== undefined).length, home);
    assert.deepEqual(
      report.events.map((e) => `${e.device} ${new Date(e.timeUs / 1000).toISOString()}`),
      [],
      home,
    );
  }
});

test('detectUsage() on a WAN capture finds each use lived, under the cluster of its maker', async () => {
  const spec = loadHomeSpec('paper');
  const out = path.join(dir, 'paper-wan');
  const sim = simulateHome({ spec, source: 'paper', days: 2, seed: SEED, out, vantage: 'wan', format: 'pcap' });
  const report = await detectUsage(sim.files.capture!, { rules: defaultVendorRules() });
  const lived = readFileSync(sim.files.events, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.ok(lived.length > 0);
  const vendorOf = new Map(spec.devices.map((d) => [d.id, d.vendor.toLowerCase()]));
  for (const [, epoch, device] of lived) {
    const timeUs = Math.round(Number(epoch) * 1e6);
    const hit = report.events.find((e) => Math.abs(e.timeUs - timeUs) <= 5e6);
    assert.ok(hit, `${device} at ${epoch}: no use found`);
    assert.ok(hit.device.startsWith(`${vendorOf.get(device)}@`), `${device} at ${epoch}: found under ${hit.device}`);
  }
});
