/**
 * Writes a capture of mixed traffic (DNS, TLS, bulk TCP/UDP) of at least the given size:
 * `node --import tsx bench/generate-mixed.ts OUT.pcap [MB] [--pcapng]`.
 */
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { PcapngWriter } from '../src/capture/pcapng-writer.js';
import { writeMixedTraffic } from './mixed-traffic.js';

export function generateMixed(file: string, megabytes: number, pcapng = false): { frames: number; frameBytes: number } {
  const writer = pcapng ? new PcapngWriter({ to: file }) : new PcapWriter({ to: file });
  const result = writeMixedTraffic(writer, { targetBytes: megabytes * 1e6, seed: 7 });
  writer.close();
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, mb = '1024'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: generate-mixed.ts OUT.pcap [MB] [--pcapng]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const r = generateMixed(file, Number(mb), process.argv.includes('--pcapng'));
  process.stdout.write(`${file}: ${r.frames} frames, ${(r.frameBytes / 1e6).toFixed(1)} MB of frames in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
