/**
 * Writes a capture of mixed traffic (DNS, TLS, bulk TCP/UDP) of at least the given size:
 * `node --import tsx bench/generate-mixed.ts OUT.pcap [MB] [--pcapng] [--dns-vlan]`. `--dns-vlan`
 * writes the DNS/VLAN-heavy mix ({@link DNS_VLAN_MIX}).
 */
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { PcapngWriter } from '../src/capture/pcapng-writer.js';
import { DNS_VLAN_MIX, writeMixedTraffic, type MixedTrafficOptions, type MixedTrafficResult } from './mixed-traffic.js';

export type Mix = 'mixed' | 'dns-vlan';

/** The seed of each mix in bench:ingest. */
const SEEDS: Readonly<Record<Mix, number>> = { mixed: 7, 'dns-vlan': 8 };

export function generateMixed(file: string, megabytes: number, pcapng = false, mix: Mix = 'mixed'): MixedTrafficResult {
  const writer = pcapng ? new PcapngWriter({ to: file }) : new PcapWriter({ to: file });
  const options: MixedTrafficOptions = { targetBytes: megabytes * 1e6, seed: SEEDS[mix], ...(mix === 'dns-vlan' ? DNS_VLAN_MIX : {}) };
  const result = writeMixedTraffic(writer, options);
  writer.close();
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, mb = '1024'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: generate-mixed.ts OUT.pcap [MB] [--pcapng] [--dns-vlan]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const r = generateMixed(file, Number(mb), process.argv.includes('--pcapng'), process.argv.includes('--dns-vlan') ? 'dns-vlan' : 'mixed');
  process.stdout.write(
    `${file}: ${r.frames} frames (${r.dnsResponses} DNS responses, ${r.vlanFrames} VLAN-tagged), ` +
      `${(r.frameBytes / 1e6).toFixed(1)} MB of frames in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}
