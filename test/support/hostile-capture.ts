// A short simulated LAN capture of the paper home with hostile names planted in it, as a device on the
// wire could send them: a DNS name that is an HTML tag, a DHCP host name that closes a script, a TLS
// server name that opens an SVG with an event handler, a name with a bidi override and one with a
// terminal escape. The planted frames come a minute before the simulated day, so the file stays in
// time order.
import { join } from 'node:path';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { parseIpv4, parseMac } from '../../src/core/bytes.js';
import { simulateHome } from '../../src/home/simulate.js';
import { loadHomeSpec } from '../../src/home/spec.js';
import { dhcpExchange } from '../../src/home/traffic/messages.js';
import { TrafficWriter } from '../../src/home/traffic/traffic-writer.js';

const DHCP_CLIENT_PORT = 68;
const DHCP_SERVER_PORT = 67;

export const HOSTILE = {
  dns: '<img src=x onerror=alert(1)>.example',
  dhcp: '</script><script>alert(2)</script>',
  sni: '"><svg onload=alert(3)>.example',
  bidi: 'safe\u202egnp.exe\u202c.example',
  control: 'beep\u001b[31mred\u0007.example',
} as const;

/** Writes `dir/hostile.pcap` (and the simulation it came from under `dir/sim`); returns its path. */
export async function hostileCapture(dir: string): Promise<string> {
  const spec = loadHomeSpec('paper');
  const sim = await simulateHome({ spec, source: 'paper', days: 1, seed: 7, out: join(dir, 'sim'), vantage: 'lan', format: 'pcap' });
  const file = join(dir, 'hostile.pcap');
  const w = new PcapWriter({ to: file, precision: 'ns' });
  const t = new TrafficWriter(w, 7);
  const router = { mac: parseMac(spec.network.routerMac), ip: parseIpv4(spec.network.routerIp) };
  const [lock, light] = spec.devices.map((d) => ({ mac: parseMac(d.mac!), ip: parseIpv4(d.ip!) }));
  const far = { mac: router.mac, ip: parseIpv4('203.0.113.77') };
  let planted = false;
  await readCapture(sim.files.capture!, (rec) => {
    if (!planted) {
      planted = true;
      let at = (rec.tsSec - 60) * 1e6;
      const dhcp = dhcpExchange(0x1234_5678, lock.mac, lock.ip, router.ip, HOSTILE.dhcp);
      t.udp(at, { mac: lock.mac, ip: 0 }, { mac: 0xffff_ffff_ffff, ip: 0xffff_ffff }, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, dhcp.discover);
      t.udp((at += 5_000), router, lock, DHCP_SERVER_PORT, DHCP_CLIENT_PORT, dhcp.offer);
      t.udp((at += 5_000), { mac: lock.mac, ip: 0 }, { mac: 0xffff_ffff_ffff, ip: 0xffff_ffff }, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, dhcp.request);
      t.udp((at += 5_000), router, lock, DHCP_SERVER_PORT, DHCP_CLIENT_PORT, dhcp.ack);
      for (const name of [HOSTILE.dns, HOSTILE.bidi, HOSTILE.control]) at = t.dnsLookup(at + 100_000, light, router, name, { addresses: ['203.0.113.77'] });
      t.tlsSession(at + 100_000, light, far, HOSTILE.sni, { exchanges: [[200, 400]] });
    }
    w.writeRecord(rec);
  });
  w.close();
  return file;
}
