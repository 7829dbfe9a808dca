/**
 * The text a person reads from `peephole devices`: one row per device (what it is, how sure, its
 * addresses and names, its traffic and when it was active), and with `--evidence` the evidence under
 * each device: which name matched which rule, first seen when. Names came off the wire, and vendors
 * and names from a --known or --rules table: `table()` and {@link visibleControls} make their control
 * characters visible, {@link visibleLines} is the backstop over the whole text.
 */
import type { DevicesReport, Evidence, IdentifiedDevice } from '../observe/identify.js';
import { byteSize, duration, table, thousands } from './text.js';
import { visibleControls, visibleLines } from '../core/table-format.js';

const EVIDENCE_LABEL: Record<Evidence['kind'], string> = {
  dns_query: 'asked DNS for',
  tls_server_name: 'TLS server name',
  flow_name: 'talked to',
  dhcp_host_name: 'DHCP host name',
  dhcp_vendor_class: 'DHCP vendor class',
  mdns_name: 'mDNS name',
  mdns_service: 'mDNS service',
  ssdp_server: 'SSDP server',
  ssdp_type: 'SSDP type',
  ssdp_usn: 'SSDP USN',
  ssdp_location: 'SSDP location',
  mdns_txt: 'mDNS TXT',
  dhcp_fingerprint: 'DHCP options asked (55)',
  dhcp_client_id: 'DHCP client id (61)',
  http_user_agent: 'HTTP user agent',
  http_server: 'HTTP server',
  http_host: 'HTTP host',
  ntp_server: 'NTP server',
  tls_ja3: 'TLS JA3',
  mac_local: 'MAC',
  mac_prefix: 'MAC prefix',
  oui: 'MAC vendor (IEEE)',
  maker_line: 'what the maker makes',
  wlan_name: 'Wi-Fi management frame',
  gateway: 'outside traffic',
  known: 'told by --known',
};

export function renderDevicesText(report: DevicesReport & { capture: { file: string } }, options: { evidence?: boolean } = {}): string {
  const out: string[] = [];
  const name = (v: DevicesReport['vantage']): string => (v === 'wifi' ? 'Wi-Fi' : v.toUpperCase());
  const vantage = report.vantage === report.vantageDetected ? `${name(report.vantage)} vantage (detected)` : `${name(report.vantage)} vantage (set; the traffic suggested ${name(report.vantageDetected)})`;
  // After NAT the home is one address: what it is split into are clusters of its flows, not devices seen one by one.
  const found = report.vantage === 'wan' ? `${report.devices.length} device cluster(s) behind NAT` : `${report.devices.length} device(s)`;
  out.push(`peephole devices: ${visibleControls(report.capture.file)}: ${found}, ${vantage}`);
  if (report.vantageWhy !== undefined) out.push(`  vantage: ${report.vantageWhy}`);
  out.push('');
  if (report.devices.length === 0) return visibleLines(out.join('\n') + '  none\n');
  out.push(
    table(
      ['device', 'vendor', 'category', 'sure', 'addresses', 'names', 'pkts out/in', 'bytes out/in', 'active'],
      report.devices.map((d) => [
        d.id,
        (d.vendor ?? '?') + (d.known ? ' (known)' : ''),
        d.category ?? '?',
        d.confidence.toFixed(2),
        d.addresses.slice(0, 2).join(' ') + (d.addresses.length > 2 ? ` +${d.addresses.length - 2}` : ''),
        d.names.slice(0, 2).join(' ') + (d.names.length > 2 ? ` +${d.names.length - 2}` : ''),
        `${thousands(d.packetsOut)}/${thousands(d.packetsIn)}`,
        `${byteSize(d.bytesOut)}/${byteSize(d.bytesIn)}`,
        activeSpan(d),
      ]),
    ),
  );
  if (report.devicesNotKept > 0) out.push(`  (${thousands(report.devicesNotKept)} packet(s) of further devices not counted: the device table was full)`);
  if (options.evidence) {
    for (const d of report.devices) {
      out.push('', `${visibleControls(d.id)}: ${visibleControls(d.vendor ?? 'unknown vendor')}, ${visibleControls(d.category ?? 'unknown category')} (confidence ${d.confidence.toFixed(2)})`);
      if (d.evidence.length === 0) {
        out.push('  no evidence: no name it asked for or connected to matches a rule');
        continue;
      }
      out.push(
        table(
          ['evidence', 'value', 'first seen', 'weight', 'row matched'],
          d.evidence.map((e) => [
            EVIDENCE_LABEL[e.kind],
            e.value,
            utc(e.first),
            e.weight.toFixed(2),
            (e.rule ? `${e.rule.table}:${e.rule.line} ${e.rule.pattern} -> ${[e.rule.vendor, e.rule.category].filter((x) => x !== '').join(' ')} (${e.rule.source})` : '') +
              (e.note !== '' ? `${e.rule ? '; ' : ''}${e.note}` : ''),
          ]),
        ).trimEnd(),
      );
    }
  }
  return visibleLines(out.join('\n') + '\n');
}

function utc(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? `${seconds}` : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

function activeSpan(d: IdentifiedDevice): string {
  return `${utc(d.first).slice(0, 16)} +${duration(Math.max(0, d.last - d.first))}`;
}
