// The dnsmasq configuration that serves the plan's local DNS data on 127.77.0.53 and ::1, port 53, and
// nothing else: no upstream servers, no /etc/hosts, NXDOMAIN for unknown names in the plan's domains.
import {
  CNAMES,
  DNS_PORT,
  DNS_SERVER_V4,
  HOSTS,
  HTTPS_RECORDS,
  LOCAL_DOMAINS,
  LOOPBACK_V6,
  MX_RECORDS,
  SRV_RECORDS,
  TXT_RECORDS,
  DNS_TYPES,
} from './plan.js';

/** The text of a dnsmasq config file (for `dnsmasq --conf-file=...`); logs queries to stderr. */
export function renderDnsmasqConfig(): string {
  const lines = [
    `port=${DNS_PORT}`,
    `listen-address=${DNS_SERVER_V4}`,
    `listen-address=${LOOPBACK_V6}`,
    'bind-interfaces',
    'no-resolv',
    'no-hosts',
    'no-poll',
    'user=nobody',
    'group=nogroup',
    'log-queries',
    'log-facility=-',
  ];
  for (const host of HOSTS) lines.push(`host-record=${[host.name, host.ipv4, ...(host.ipv6 === null ? [] : [host.ipv6])].join(',')}`);
  for (const cname of CNAMES) lines.push(`cname=${cname.alias},${cname.target}`);
  for (const txt of TXT_RECORDS) lines.push(`txt-record=${txt.name},${txt.strings.map((s) => `"${s}"`).join(',')}`);
  for (const srv of SRV_RECORDS) lines.push(`srv-host=${srv.name},${srv.target},${srv.port},${srv.priority},${srv.weight}`);
  for (const mx of MX_RECORDS) lines.push(`mx-host=${mx.name},${mx.exchange},${mx.preference}`);
  for (const rr of HTTPS_RECORDS) lines.push(`dns-rr=${rr.name},${DNS_TYPES.HTTPS},${rr.rdataHex}`);
  lines.push(`local=/${LOCAL_DOMAINS.join('/')}/`);
  return `${lines.join('\n')}\n`;
}
