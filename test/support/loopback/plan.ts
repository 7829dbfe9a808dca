// What the loopback recording contains: the local DNS data dnsmasq serves, the DNS exchanges a client
// makes (UDP and TCP, IPv4 and IPv6, several messages in one segment, messages split across segments),
// the TLS handshakes (SNI of smart-home vendors, TLS 1.2 and 1.3, with and without ALPN), the DHCP
// exchanges of a few devices with dnsmasq in network namespaces, then each device's DNS question and TLS
// connection to its vendor's cloud there (see dhcp-netns.ts, netns-cloud.ts), and the captures
// taken (lo, `any` in both Linux cooked formats, the namespaces' bridge). The recording script and the
// tests read this one plan.

/** 127.77.0.0/16 is used by nothing else on a Debian machine (systemd-resolved owns 127.0.0.53/54). */
export const LOOPBACK_NET_V4 = '127.77.0.0/16';
export const DNS_SERVER_V4 = '127.77.0.53';
export const DNS_CLIENT_V4 = '127.77.0.10';
export const TLS_SERVER_V4 = '127.77.0.43';
export const LOOPBACK_V6 = '::1';
export const DNS_PORT = 53;
export const TLS_PORT = 443;
export const TLS_ALT_PORT = 4433;

/** Query types used in the plan, with their numbers (tshark prints dns.qry.type as the number). */
export const DNS_TYPES = { A: 1, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, HTTPS: 65 } as const;
export type DnsTypeName = keyof typeof DNS_TYPES;

/** A label of the maximum length, 63 bytes (RFC 1035 section 2.3.4). */
export const LONG_LABEL: string = 'fw-' + '0123456789abcdef'.repeat(4).slice(0, 60);
export const LONG_LABEL_NAME = `${LONG_LABEL}.tuyaus.com`;
export const NXDOMAIN_NAME = 'missing-plug.tuyaus.com';
export const HUE_BRIDGE_NAME = 'bridge-001788fffe4a5b6c.meethue.com';

export interface HostRecord {
  readonly name: string;
  readonly ipv4: string;
  readonly ipv6: string | null;
}

export const HOSTS: readonly HostRecord[] = [
  { name: 'lock.august.com', ipv4: '127.77.1.10', ipv6: 'fd77::10' },
  { name: 'a2.tuyaus.com', ipv4: '127.77.1.11', ipv6: null },
  { name: 'ring.com', ipv4: '127.77.1.12', ipv6: 'fd77::12' },
  { name: 'api.simplisafe.com', ipv4: '127.77.1.13', ipv6: null },
  { name: 'discovery.meethue.com', ipv4: '127.77.1.14', ipv6: 'fd77::14' },
  { name: HUE_BRIDGE_NAME, ipv4: '127.77.1.15', ipv6: null },
  { name: LONG_LABEL_NAME, ipv4: '127.77.1.16', ipv6: null },
];

/** www.ring.com → fw.ring.com → ring.com: a chain of two CNAMEs. */
export const CNAMES: readonly { readonly alias: string; readonly target: string }[] = [
  { alias: 'www.ring.com', target: 'fw.ring.com' },
  { alias: 'fw.ring.com', target: 'ring.com' },
];

export const TXT_RECORDS: readonly { readonly name: string; readonly strings: readonly string[] }[] = [
  { name: 'api.simplisafe.com', strings: ['v=spf1 -all', 'peephole loopback fixture'] },
];

export const SRV_RECORDS: readonly {
  readonly name: string;
  readonly target: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}[] = [{ name: '_hue._tcp.meethue.com', target: HUE_BRIDGE_NAME, port: 443, priority: 10, weight: 5 }];

export const MX_RECORDS: readonly { readonly name: string; readonly exchange: string; readonly preference: number }[] = [
  { name: 'ring.com', exchange: 'mx.ring.com', preference: 10 },
];

/**
 * HTTPS (type 65) RDATA, RFC 9460: SvcPriority 1, TargetName ".", alpn="h2,http/1.1",
 * ipv4hint=127.77.1.13.
 */
export const HTTPS_RECORDS: readonly { readonly name: string; readonly rdataHex: string }[] = [
  { name: 'api.simplisafe.com', rdataHex: '0001' + '00' + '0001000c' + '026832' + '08687474702f312e31' + '00040004' + '7f4d010d' },
];

/** Names under these domains that are not in the data above get NXDOMAIN (dnsmasq `--local`). */
export const LOCAL_DOMAINS: readonly string[] = ['august.com', 'tuyaus.com', 'ring.com', 'simplisafe.com', 'meethue.com'];

/** What the answer must be: records, NOERROR without records, or NXDOMAIN. */
export type DnsOutcome = 'answer' | 'nodata' | 'nxdomain';

export interface DnsQuestion {
  /** For PTR, the address to look up (the client builds the in-addr.arpa / ip6.arpa name). */
  readonly name: string;
  readonly type: DnsTypeName;
  readonly outcome: DnsOutcome;
}

/**
 * How the queries of one TCP connection are written: one message per write; all messages in one write
 * (several DNS messages in one segment); one message written in two halves with a pause, split inside
 * the message body or inside the 2-byte length prefix (one message across segments).
 */
export type TcpFraming = 'one_per_write' | 'coalesced' | 'split_body' | 'split_length';

export type DnsExchange =
  | { readonly transport: 'udp'; readonly family: 4 | 6; readonly question: DnsQuestion }
  | { readonly transport: 'tcp'; readonly family: 4 | 6; readonly framing: TcpFraming; readonly questions: readonly DnsQuestion[] };

const q = (name: string, type: DnsTypeName, outcome: DnsOutcome = 'answer'): DnsQuestion => ({ name, type, outcome });
const udp4 = (question: DnsQuestion): DnsExchange => ({ transport: 'udp', family: 4, question });
const udp6 = (question: DnsQuestion): DnsExchange => ({ transport: 'udp', family: 6, question });

export const DNS_EXCHANGES: readonly DnsExchange[] = [
  udp4(q('lock.august.com', 'A')),
  udp4(q('lock.august.com', 'AAAA')),
  udp4(q('a2.tuyaus.com', 'A')),
  udp4(q('a2.tuyaus.com', 'AAAA', 'nodata')),
  udp4(q('www.ring.com', 'A')),
  udp4(q('www.ring.com', 'CNAME')),
  udp4(q('ring.com', 'MX')),
  udp4(q('api.simplisafe.com', 'TXT')),
  udp4(q('api.simplisafe.com', 'HTTPS')),
  udp4(q('API.SimpliSafe.com', 'A')),
  udp4(q('_hue._tcp.meethue.com', 'SRV')),
  udp4(q(HUE_BRIDGE_NAME, 'A')),
  udp4(q('127.77.1.10', 'PTR')),
  udp4(q('fd77::10', 'PTR')),
  udp4(q(LONG_LABEL_NAME, 'A')),
  udp4(q(NXDOMAIN_NAME, 'A', 'nxdomain')),
  udp6(q('ring.com', 'AAAA')),
  udp6(q('discovery.meethue.com', 'A')),
  udp6(q('www.ring.com', 'AAAA')),
  { transport: 'tcp', family: 4, framing: 'one_per_write', questions: [q('lock.august.com', 'A')] },
  { transport: 'tcp', family: 4, framing: 'coalesced', questions: [q('a2.tuyaus.com', 'A'), q('www.ring.com', 'AAAA')] },
  { transport: 'tcp', family: 4, framing: 'split_body', questions: [q('discovery.meethue.com', 'AAAA')] },
  { transport: 'tcp', family: 4, framing: 'split_length', questions: [q('api.simplisafe.com', 'TXT')] },
  { transport: 'tcp', family: 6, framing: 'one_per_write', questions: [q('ring.com', 'A')] },
  { transport: 'tcp', family: 6, framing: 'coalesced', questions: [q('lock.august.com', 'A'), q('ring.com', 'MX')] },
  { transport: 'tcp', family: 6, framing: 'split_body', questions: [q('a2.tuyaus.com', 'A')] },
];

export type TlsVersion = '1.2' | '1.3';

export interface TlsHandshake {
  readonly sni: string;
  readonly family: 4 | 6;
  readonly port: number;
  /** `openssl s_client` with this version and ALPN list, or `curl` (skipped when curl is missing). */
  readonly client: 'openssl' | 'curl';
  readonly version: TlsVersion | null;
  readonly alpn: readonly string[];
}

export const TLS_HANDSHAKES: readonly TlsHandshake[] = [
  { sni: 'lock.august.com', family: 4, port: TLS_PORT, client: 'openssl', version: '1.3', alpn: ['h2', 'http/1.1'] },
  { sni: 'a2.tuyaus.com', family: 4, port: TLS_ALT_PORT, client: 'openssl', version: '1.2', alpn: [] },
  { sni: 'api.smartthings.com', family: 4, port: TLS_PORT, client: 'openssl', version: '1.2', alpn: ['http/1.1'] },
  { sni: LONG_LABEL_NAME, family: 4, port: TLS_PORT, client: 'openssl', version: '1.3', alpn: [] },
  { sni: 'ring.com', family: 6, port: TLS_PORT, client: 'openssl', version: '1.3', alpn: ['h2'] },
  { sni: 'discovery.meethue.com', family: 6, port: TLS_PORT, client: 'openssl', version: '1.2', alpn: [] },
  { sni: 'api.simplisafe.com', family: 4, port: TLS_PORT, client: 'curl', version: null, alpn: [] },
  { sni: 'www.ring.com', family: 6, port: TLS_PORT, client: 'curl', version: null, alpn: [] },
];

/** The TLS servers (openssl s_server), one per listening address. */
export const TLS_SERVERS: readonly { readonly host: string; readonly port: number }[] = [
  { host: TLS_SERVER_V4, port: TLS_PORT },
  { host: TLS_SERVER_V4, port: TLS_ALT_PORT },
  { host: LOOPBACK_V6, port: TLS_PORT },
];

const OURS = `(net ${LOOPBACK_NET_V4} or ip6 host ${LOOPBACK_V6})`;
const DNS_PORTS = `port ${DNS_PORT}`;
const TLS_PORTS = `(port ${TLS_PORT} or port ${TLS_ALT_PORT})`;

/** The home LAN of the DHCP recording, inside its own network namespaces (nothing else sees it). */
export const DHCP_LAN_PREFIX = '192.168.77';
export const DHCP_SERVER_V4 = `${DHCP_LAN_PREFIX}.1`;
export const DHCP_POOL_FIRST = `${DHCP_LAN_PREFIX}.100`;
export const DHCP_POOL_LAST = `${DHCP_LAN_PREFIX}.150`;
export const DHCP_DOMAIN = 'lan';
export const DHCP_LEASE_SECONDS = 43_200;
/** The bridge in the server namespace that joins the devices' links (tcpdump listens there). */
export const DHCP_BRIDGE = 'br-peephole';

/**
 * What a device does once it has its lease: asks the LAN's dnsmasq (`dig @DHCP_SERVER_V4`) for a name of
 * its vendor's cloud, gets `ipv4` (an address on the LAN's bridge, so the answer stays inside the
 * namespaces), and opens TLS to it (`openssl s_client -servername name`) on TLS_PORT.
 */
export interface CloudVisit {
  readonly name: string;
  readonly ipv4: string;
}

export interface DhcpDevice {
  /** The MAC of the device's link, with a real vendor's OUI (IEEE registry). */
  readonly mac: string;
  /** Option 12, sent as these UTF-8 bytes. */
  readonly hostName: string;
  /** Option 60, or null when the device sends none. */
  readonly vendorClass: string | null;
  /** Option 55. */
  readonly parameterList: readonly number[];
  /** The transaction id of its exchange (fixed, so that recordings compare). */
  readonly xid: number;
  /** Its DNS question and TLS connection after the lease. */
  readonly cloud: CloudVisit;
}

/**
 * Devices that each get a lease (DISCOVER, OFFER, REQUEST, ACK), one after the other: an ESP8266 plug
 * (Espressif OUI, as Tuya plugs are), a D-Link camera running udhcpc, an Android phone, and a bulb
 * whose host name carries a CSV formula and an escape sequence (text off the wire is untrusted). Each
 * then visits a name of its vendor's cloud that data/vendor-rules.tsv knows (tuyaus.com, mydlink.com,
 * android.com, lifx.com).
 */
export const DHCP_DEVICES: readonly DhcpDevice[] = [
  { mac: '68:c6:3a:a1:b2:c3', hostName: 'ESP_A1B2C3', vendorClass: null, parameterList: [1, 3, 28, 6, 15, 44, 46, 47, 31, 33, 121, 43], xid: 0x5eed0001, cloud: { name: 'a2.tuyaus.com', ipv4: `${DHCP_LAN_PREFIX}.11` } },
  { mac: 'b0:c5:54:12:34:56', hostName: 'DCS-8000LH', vendorClass: 'udhcp 1.28.1', parameterList: [1, 3, 6, 12, 15, 28, 42], xid: 0x5eed0002, cloud: { name: 'signal.mydlink.com', ipv4: `${DHCP_LAN_PREFIX}.12` } },
  { mac: '3c:5a:b4:0d:0e:0f', hostName: 'Pixel-7', vendorClass: 'android-dhcp-13', parameterList: [1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108], xid: 0x5eed0003, cloud: { name: 'connectivitycheck.android.com', ipv4: `${DHCP_LAN_PREFIX}.13` } },
  { mac: 'd0:73:d5:99:88:77', hostName: '=1+2\u001b[31mLIFX', vendorClass: 'LIFX', parameterList: [1, 3, 6, 15], xid: 0x5eed0004, cloud: { name: 'api.lifx.com', ipv4: `${DHCP_LAN_PREFIX}.14` } },
];

export type LinkTypeName = 'EN10MB' | 'LINUX_SLL' | 'LINUX_SLL2';

/** LINKTYPE_ numbers from the pcap link-type registry. */
export const LINK_TYPE_NUMBERS: Readonly<Record<LinkTypeName, number>> = { EN10MB: 1, LINUX_SLL: 113, LINUX_SLL2: 276 };

export interface RecordingPlan {
  readonly name: string;
  /** `lo` and `any` in this namespace; DHCP_BRIDGE in the DHCP recording's server namespace. */
  readonly iface: 'lo' | 'any' | typeof DHCP_BRIDGE;
  readonly linkType: LinkTypeName;
  /** BPF filter, so that other loopback traffic on the machine stays out. */
  readonly filter: string;
  readonly carriesDns: boolean;
  readonly carriesTls: boolean;
  readonly carriesDhcp: boolean;
}

export const RECORDINGS: readonly RecordingPlan[] = [
  { name: 'lo-dns', iface: 'lo', linkType: 'EN10MB', filter: `${OURS} and ${DNS_PORTS}`, carriesDns: true, carriesTls: false, carriesDhcp: false },
  { name: 'lo-tls', iface: 'lo', linkType: 'EN10MB', filter: `${OURS} and ${TLS_PORTS}`, carriesDns: false, carriesTls: true, carriesDhcp: false },
  {
    name: 'any-sll',
    iface: 'any',
    linkType: 'LINUX_SLL',
    filter: `${OURS} and (${DNS_PORTS} or ${TLS_PORTS})`,
    carriesDns: true,
    carriesTls: true,
    carriesDhcp: false,
  },
  {
    name: 'any-sll2',
    iface: 'any',
    linkType: 'LINUX_SLL2',
    filter: `${OURS} and (${DNS_PORTS} or ${TLS_PORTS})`,
    carriesDns: true,
    carriesTls: true,
    carriesDhcp: false,
  },
  // Its DNS and TLS are the devices' cloud visits (DhcpDevice.cloud), not DNS_EXCHANGES and TLS_HANDSHAKES.
  {
    name: 'netns-dhcp',
    iface: DHCP_BRIDGE,
    linkType: 'EN10MB',
    filter: `udp port 67 or udp port 68 or port ${DNS_PORT} or tcp port ${TLS_PORT}`,
    carriesDns: false,
    carriesTls: false,
    carriesDhcp: true,
  },
];
