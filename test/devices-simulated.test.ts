// Every built-in simulated home, read back by `observeDevices()` as an observer on its router would:
// each device is named with its maker and kind, the router is the device the home's outside traffic
// goes through, and no other device is called router.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simulateHome } from '../src/home/simulate.js';
import { BUILTIN_HOMES, loadHomeSpec } from '../src/home/spec.js';
import { observeDevices } from '../src/observe/devices.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';
import { registeredVendorLookup } from '../src/observe/oui.js';
import { defaultVendorDirectory } from '../src/observe/vendors.js';

for (const home of BUILTIN_HOMES) {
  test(`the devices of the simulated ${home} home are named with their maker and kind, and only its router is the router`, async () => {
    const spec = loadHomeSpec(home);
    const out = mkdtempSync(path.join(tmpdir(), `peephole-devices-${home}-`));
    try {
      simulateHome({ spec, source: home, days: 1, seed: 1, out, vantage: 'lan', format: 'pcap' });
      const report = await observeDevices(path.join(out, 'capture.pcap'), { rules: defaultVendorRules(), oui: registeredVendorLookup() });
      const byMac = new Map(report.devices.map((d) => [d.mac, d]));
      const vendors = defaultVendorDirectory();
      for (const device of spec.devices) {
        if (device.mac === undefined) continue; // a sensor reporting through a hub has no traffic of its own
        const d = byMac.get(device.mac);
        assert.ok(d, `${device.id} found`);
        assert.ok(d.vendor !== null && vendors.sameCompany(d.vendor, device.vendor), `${device.id}: vendor ${d.vendor}, simulated ${device.vendor}`);
        // A kind is named when the device's names say it; a maker whose cloud serves every kind (Tuya) leaves it unknown.
        assert.ok(d.category === device.kind || d.category === null, `${device.id}: category ${d.category}, simulated ${device.kind}`);
        assert.ok(d.confidence >= 0.5, `${device.id}: confidence ${d.confidence}`);
      }
      assert.deepEqual(
        report.devices.filter((d) => d.category === 'router').map((d) => d.mac),
        [spec.network.routerMac.toLowerCase()],
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
