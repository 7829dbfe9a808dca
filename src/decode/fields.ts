/**
 * The packet columns `peephole packets` prints, each with the meaning and formatting of the tshark
 * field of the same name (tshark 4.0, `-T fields -E occurrence=a -E aggregator=,`): a field that
 * occurs several times in a packet (an ICMP error's inner IP header, several DNS answers) gives all
 * its values joined by commas, in the order tshark shows them.
 */
import { formatIpv4, formatMac } from './bytes.js';
import { formatTimeEpoch } from '../capture/record.js';
import type { Layer } from './layer.js';
import type { Packet } from './packet.js';
import type { DnsLayer, DnsResourceRecord } from './app/dns.js';

export const PACKET_COLUMNS = [
  'frame.number',
  'frame.time_epoch',
  'frame.len',
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'ip.proto',
  'udp.srcport',
  'udp.dstport',
  'tcp.srcport',
  'tcp.dstport',
  'dns.id',
  'dns.flags.response',
  'dns.qry.name',
  'dns.qry.type',
  'dns.a',
  'dns.aaaa',
  'dns.cname',
  'tls.handshake.extensions_server_name',
] as const;

export type PacketColumn = (typeof PACKET_COLUMNS)[number];

/** The columns whose text came off the wire (names): untrusted, escaped wherever shown. */
export const PACKET_WIRE_TEXT_COLUMNS: readonly PacketColumn[] = ['dns.qry.name', 'dns.cname', 'tls.handshake.extensions_server_name'];

const FIELD_ESCAPES: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
// eslint-disable-next-line no-control-regex
const FIELD_ESCAPED = /[\b\f\n\r\t]/g;
// eslint-disable-next-line no-control-regex
const HAS_FIELD_ESCAPE = /[\b\f\n\r\t]/;

/**
 * A string value as `tshark -T fields` prints it: backspace, form feed, newline, carriage return and
 * tab written as `\b \f \n \r \t`. (DNS names arrive already escaped by the DNS decoder, as tshark
 * shows them; server names keep their bytes until here.)
 */
export function fieldText(value: string): string {
  return HAS_FIELD_ESCAPE.test(value) ? value.replace(FIELD_ESCAPED, (c) => FIELD_ESCAPES[c]) : value;
}

/** One packet's cells, in {@link PACKET_COLUMNS} order; an absent field is an empty string. */
export type PacketRow = string[];

const IPV4_CACHE_LIMIT = 65_536;
const ipv4Cache = new Map<number, string>();
const macCache = new Map<number, string>();

function ipv4Text(ip: number): string {
  let s = ipv4Cache.get(ip);
  if (s === undefined) {
    s = formatIpv4(ip);
    if (ipv4Cache.size >= IPV4_CACHE_LIMIT) ipv4Cache.clear();
    ipv4Cache.set(ip, s);
  }
  return s;
}

function macText(mac: number): string {
  let s = macCache.get(mac);
  if (s === undefined) {
    s = formatMac(mac);
    if (macCache.size >= IPV4_CACHE_LIMIT) macCache.clear();
    macCache.set(mac, s);
  }
  return s;
}

/** `0x` and four lower-case hex digits, as tshark prints dns.id. */
function hex16(v: number): string {
  return '0x' + (v | 0x10000).toString(16).slice(1);
}

function join(acc: string, value: string): string {
  return acc === '' ? value : `${acc},${value}`;
}

function rrValues(dns: DnsLayer, acc: string, type: 'A' | 'AAAA' | 'CNAME'): string {
  const sections: readonly (readonly DnsResourceRecord[])[] = [dns.answers, dns.authorities, dns.additionals];
  for (const section of sections) {
    for (const rr of section) {
      const d = rr.data;
      if (d.type === type) acc = join(acc, type === 'CNAME' ? (d as { name: string }).name : (d as { address: string }).address);
    }
  }
  return acc;
}

/** Fills `row` (length {@link PACKET_COLUMNS}.length) with the packet's cells and returns it. */
export function packetRow(packet: Packet, row: PacketRow = new Array<string>(PACKET_COLUMNS.length)): PacketRow {
  let ethSrc = '';
  let ethDst = '';
  let ipSrc = '';
  let ipDst = '';
  let ip6Src = '';
  let ip6Dst = '';
  let ipProto = '';
  let udpSrc = '';
  let udpDst = '';
  let tcpSrc = '';
  let tcpDst = '';
  let dnsId = '';
  let dnsResp = '';
  let qName = '';
  let qType = '';
  let a = '';
  let aaaa = '';
  let cname = '';
  let sni = '';
  const layers: readonly Layer[] = packet.layers;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    switch (l.kind) {
      case 'ethernet':
        ethSrc = join(ethSrc, macText(l.src));
        ethDst = join(ethDst, macText(l.dst));
        break;
      case 'ipv4':
        ipSrc = join(ipSrc, ipv4Text(l.src));
        ipDst = join(ipDst, ipv4Text(l.dst));
        ipProto = join(ipProto, String(l.protocol));
        break;
      case 'ipv6':
        ip6Src = join(ip6Src, l.src);
        ip6Dst = join(ip6Dst, l.dst);
        break;
      case 'udp':
        udpSrc = join(udpSrc, String(l.srcPort));
        udpDst = join(udpDst, String(l.dstPort));
        break;
      case 'tcp':
        tcpSrc = join(tcpSrc, String(l.srcPort));
        tcpDst = join(tcpDst, String(l.dstPort));
        break;
      case 'dns':
        dnsId = join(dnsId, hex16(l.id));
        dnsResp = join(dnsResp, l.isResponse ? '1' : '0');
        for (const q of l.questions) {
          qName = join(qName, q.name);
          qType = join(qType, String(q.type));
        }
        a = rrValues(l, a, 'A');
        aaaa = rrValues(l, aaaa, 'AAAA');
        cname = rrValues(l, cname, 'CNAME');
        break;
      case 'tls':
        for (const name of l.serverNames) sni = join(sni, fieldText(name));
        break;
      default:
        break;
    }
  }
  row[0] = String(packet.frame);
  row[1] = formatTimeEpoch(packet.tsSec, packet.tsNsec);
  row[2] = String(packet.origLen);
  row[3] = ethSrc;
  row[4] = ethDst;
  row[5] = ipSrc;
  row[6] = ipDst;
  row[7] = ip6Src;
  row[8] = ip6Dst;
  row[9] = ipProto;
  row[10] = udpSrc;
  row[11] = udpDst;
  row[12] = tcpSrc;
  row[13] = tcpDst;
  row[14] = dnsId;
  row[15] = dnsResp;
  row[16] = qName;
  row[17] = qType;
  row[18] = a;
  row[19] = aaaa;
  row[20] = cname;
  row[21] = sni;
  return row;
}
