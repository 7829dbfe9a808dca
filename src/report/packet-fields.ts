/**
 * The packet columns `peephole packets` prints, each with the meaning and formatting of the tshark
 * field of the same name (tshark 4.0, `-T fields -E occurrence=a -E aggregator=,`): a field that
 * occurs several times in a packet (an ICMP error's inner IP header, several DNS answers) gives all
 * its values joined by commas, in the order tshark shows them.
 */
import type { Layer } from '../decode/layer.js';
import type { Packet } from '../decode/packet.js';
import type { DnsLayer } from '../decode/app/dns.js';
import type { TlsClientHelloLayer } from '../decode/app/tls-client-hello.js';
import type { EthernetLayer } from '../decode/link/ethernet.js';
import type { Ipv4Layer } from '../decode/net/ipv4.js';
import type { Ipv6Layer } from '../decode/net/ipv6.js';
import type { TcpLayer } from '../decode/net/tcp.js';
import type { UdpLayer } from '../decode/net/udp.js';
import { StringCells, type CellWriter } from './cell-writer.js';
import type { PartialLayer, PartialOf } from '../decode/partial-header.js';

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







/**
 * Writes the packet's cells, in {@link PACKET_COLUMNS} order, to `w`. This is the one definition of
 * what each column holds; {@link packetRow} and the TSV writer of `peephole packets` both use it.
 * Most packets have at most one layer of each kind: they take the path without lists; a packet with
 * two (an ICMP error quoting an IP header, several DNS messages in a TCP segment) takes the general
 * path, which joins the values of each column with commas as tshark does.
 */
export function writePacketRow(packet: Packet, w: CellWriter): void {
  const layers: readonly Layer[] = packet.layers;
  let eth: EthernetLayer | null = null;
  let ip4: Ipv4Layer | null = null;
  let ip6: Ipv6Layer | null = null;
  let udp: UdpLayer | null = null;
  let tcp: TcpLayer | null = null;
  let dns: DnsLayer | null = null;
  let tls: TlsClientHelloLayer | null = null;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    switch (l.kind) {
      case 'ethernet':
        if (eth !== null) return writeGeneralRow(packet, w);
        eth = l;
        break;
      case 'ipv4':
        if (ip4 !== null) return writeGeneralRow(packet, w);
        ip4 = l;
        break;
      case 'ipv6':
        if (ip6 !== null) return writeGeneralRow(packet, w);
        ip6 = l;
        break;
      case 'udp':
        if (udp !== null) return writeGeneralRow(packet, w);
        udp = l;
        break;
      case 'tcp':
        if (tcp !== null) return writeGeneralRow(packet, w);
        tcp = l;
        break;
      case 'dns':
        if (dns !== null) return writeGeneralRow(packet, w);
        dns = l;
        break;
      case 'tls':
        if (tls !== null) return writeGeneralRow(packet, w);
        tls = l;
        break;
      case 'partial':
        return writeGeneralRow(packet, w);
      default:
        break;
    }
  }
  w.cell();
  w.int(packet.frame);
  w.cell();
  w.epoch(packet.tsSec, packet.tsNsec);
  w.cell();
  w.int(packet.origLen);
  w.cell();
  if (eth) w.mac(eth.src);
  w.cell();
  if (eth) w.mac(eth.dst);
  w.cell();
  if (ip4) w.ipv4(ip4.src);
  w.cell();
  if (ip4) w.ipv4(ip4.dst);
  w.cell();
  if (ip6) w.text(ip6.src);
  w.cell();
  if (ip6) w.text(ip6.dst);
  w.cell();
  if (ip4) w.int(ip4.protocol);
  w.cell();
  if (udp) w.int(udp.srcPort);
  w.cell();
  if (udp) w.int(udp.dstPort);
  w.cell();
  if (tcp) w.int(tcp.srcPort);
  w.cell();
  if (tcp) w.int(tcp.dstPort);
  if (dns === null && tls === null) {
    // Most packets carry neither: their DNS and TLS cells are all empty.
    for (let c = 0; c < APP_COLUMN_COUNT; c++) w.cell();
  } else {
    writeAppCells(dns === null ? NO_DNS : [dns], tls === null ? NO_TLS : [tls], w);
  }
  w.endRow();
}

const NO_DNS: readonly DnsLayer[] = [];
const NO_TLS: readonly TlsClientHelloLayer[] = [];
/** The DNS columns and the TLS column. */
const APP_COLUMN_COUNT = 8;

/**
 * Any packet: every layer that has a column's field gives a value to it, in layer order, joined by
 * commas; a header cut by the snap length (`partial`) gives the fields that were captured.
 */
function writeGeneralRow(packet: Packet, w: CellWriter): void {
  const layers = packet.layers;
  const each = <V>(pick: (l: Layer) => V | null | undefined, write: (v: V) => void): void => {
    w.cell();
    let n = 0;
    for (const l of layers) {
      const v = pick(l);
      if (v === null || v === undefined) continue;
      if (n++ > 0) w.more();
      write(v);
    }
  };
  const partial = (l: Layer, of: PartialOf): PartialLayer | undefined => (l.kind === 'partial' && l.of === of ? l : undefined);
  const text = (v: string): void => w.text(v);
  const int = (v: number): void => w.int(v);
  const ipv4 = (v: number): void => w.ipv4(v);
  w.cell();
  w.int(packet.frame);
  w.cell();
  w.epoch(packet.tsSec, packet.tsNsec);
  w.cell();
  w.int(packet.origLen);
  each((l) => (l.kind === 'ethernet' ? l.src : null), (v) => w.mac(v));
  each((l) => (l.kind === 'ethernet' ? l.dst : null), (v) => w.mac(v));
  each((l) => (l.kind === 'ipv4' ? l.src : (partial(l, 'ipv4')?.src as number | null | undefined)), ipv4);
  each((l) => (l.kind === 'ipv4' ? l.dst : (partial(l, 'ipv4')?.dst as number | null | undefined)), ipv4);
  each((l) => (l.kind === 'ipv6' ? l.src : (partial(l, 'ipv6')?.src as string | null | undefined)), text);
  each((l) => (l.kind === 'ipv6' ? l.dst : (partial(l, 'ipv6')?.dst as string | null | undefined)), text);
  each((l) => (l.kind === 'ipv4' ? l.protocol : partial(l, 'ipv4')?.protocol), int);
  each((l) => (l.kind === 'udp' ? l.srcPort : partial(l, 'udp')?.srcPort), int);
  each((l) => (l.kind === 'udp' ? l.dstPort : partial(l, 'udp')?.dstPort), int);
  each((l) => (l.kind === 'tcp' ? l.srcPort : partial(l, 'tcp')?.srcPort), int);
  each((l) => (l.kind === 'tcp' ? l.dstPort : partial(l, 'tcp')?.dstPort), int);
  const dns = layers.filter((l): l is DnsLayer => l.kind === 'dns');
  const cutDns = layers.map((l) => partial(l, 'dns')).filter((l): l is PartialLayer => l !== undefined);
  if (cutDns.length > 0 && dns.length === 0) {
    // A DNS header cut short: its id and QR bit when captured; nothing else of DNS.
    each((l) => partial(l, 'dns')?.id, (v) => w.hex16(v));
    each((l) => partial(l, 'dns')?.isResponse, (v) => w.int(v ? 1 : 0));
    for (let c = 2; c < DNS_COLUMN_COUNT; c++) w.cell();
    writeTlsCell(layers.filter((l): l is TlsClientHelloLayer => l.kind === 'tls'), w);
  } else {
    writeAppCells(dns, layers.filter((l): l is TlsClientHelloLayer => l.kind === 'tls'), w);
  }
  w.endRow();
}

/** dns.id, dns.flags.response, dns.qry.name, dns.qry.type, dns.a, dns.aaaa, dns.cname. */
const DNS_COLUMN_COUNT = 7;

/** The DNS and TLS columns. */
function writeAppCells(dns: readonly DnsLayer[], tls: readonly TlsClientHelloLayer[], w: CellWriter): void {
  w.cell();
  for (let i = 0; i < dns.length; i++) (i > 0 && w.more(), w.hex16(dns[i].id));
  w.cell();
  for (let i = 0; i < dns.length; i++) (i > 0 && w.more(), w.int(dns[i].isResponse ? 1 : 0));
  let n = 0;
  w.cell();
  for (const d of dns) for (const q of d.questions) (n++ > 0 && w.more(), w.wireText(q.name));
  n = 0;
  w.cell();
  for (const d of dns) for (const q of d.questions) (n++ > 0 && w.more(), w.int(q.type));
  for (const type of ['A', 'AAAA', 'CNAME'] as const) {
    n = 0;
    w.cell();
    for (const d of dns) {
      for (const section of [d.answers, d.authorities, d.additionals]) {
        for (const rr of section) {
          const data = rr.data;
          if (data.type !== type) continue;
          if (n++ > 0) w.more();
          if (data.type === 'CNAME') w.wireText(data.name);
          else w.text((data as { address: string }).address);
        }
      }
    }
  }
  writeTlsCell(tls, w);
}

function writeTlsCell(tls: readonly TlsClientHelloLayer[], w: CellWriter): void {
  let n = 0;
  w.cell();
  for (const hello of tls) for (const name of hello.serverNames) (n++ > 0 && w.more(), w.wireText(fieldText(name)));
}

const rowCells = new StringCells();

/** The packet's cells as strings, in {@link PACKET_COLUMNS} order (an absent field is empty). */
export function packetRow(packet: Packet): PacketRow {
  writePacketRow(packet, rowCells);
  return rowCells.cells.slice();
}
