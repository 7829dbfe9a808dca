/**
 * Measures how fast HomeTrafficWriter writes a family home (ten network devices, two sensors, the
 * test days of test-home.ts), not part of the tests:
 *
 *   node --import tsx src/home/traffic/measure-speed.ts [lan|wan|wifi] [days] [out.pcap]
 *
 * Without a file the capture is built in memory. Prints ms per simulated day, days/s and MB/s.
 */
import { PcapWriter } from '../src/capture/pcap-writer.js';
import type { Vantage } from '../src/core/vantage.js';
import { HomeTrafficWriter, linkTypeFor } from '../src/home/traffic/home-traffic-writer.js';
import { FAMILY_HOME, MONDAY_US, TEST_NETWORK, testDay } from '../src/home/traffic/test-home.js';

const vantage = (process.argv[2] ?? 'lan') as Vantage;
const days = Number(process.argv[3] ?? 30);
const to = process.argv[4];
const pcap = new PcapWriter({ linkType: linkTypeFor(vantage), to });
const writer = new HomeTrafficWriter({ source: 'family', devices: FAMILY_HOME, network: TEST_NETWORK, vantage, seed: 1, sink: pcap, startUs: MONDAY_US });
const started = performance.now();
for (let d = 0; d < days; d++) writer.writeDay(testDay(d, FAMILY_HOME));
const { packets } = writer.finish();
pcap.close();
const seconds = (performance.now() - started) / 1000;
const mb = pcap.bytesWritten / 1e6;
console.log(
  `${vantage} (${to ?? 'memory'}): ${days} days, ${packets} frames, ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s: ` +
    `${((seconds * 1000) / days).toFixed(0)} ms per day, ${(days / seconds).toFixed(2)} days/s, ${(mb / seconds).toFixed(1)} MB/s`,
);
