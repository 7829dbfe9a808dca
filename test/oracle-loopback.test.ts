// peephole against tshark on real traffic recorded on loopback (DNS over UDP and TCP, TLS ClientHellos,
// IPv4 and IPv6, Ethernet and both Linux cooked headers), each recording in pcap, pcapng and nanosecond
// pcap: `peephole packets` must print tshark's table cell for cell. Needs `npm run build` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAPTURE_FORMATS } from './support/capture-formats.js';
import { RECORDINGS } from './support/loopback/plan.js';
import { loopbackManifestOrSkip, recordingFileName, recordingPath } from './support/loopback-recordings.js';
import { compareTables, formatMismatches, peepholePackets, requireTshark, tsharkFields } from './support/oracle.js';

for (const plan of RECORDINGS) {
  for (const format of CAPTURE_FORMATS) {
    const name = recordingFileName(plan, format);
    test(`peephole packets prints the same table as tshark for the loopback recording ${name}`, (t) => {
      if (!requireTshark(t)) return;
      const manifest = loopbackManifestOrSkip(t);
      if (manifest === null) return;
      const file = recordingPath(manifest, plan, format);
      const expected = tsharkFields(file);
      assert.ok(expected.rows.length > 0, `tshark reads no frames from ${name}`);
      const actual = peepholePackets(file);
      const mismatches = compareTables(expected, actual);
      assert.equal(mismatches.length, 0, `${name}: ${formatMismatches(mismatches)}`);
    });
  }
}
