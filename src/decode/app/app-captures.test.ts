/**
 * The DNS and ClientHello decoders against real captures (../shared/captures beside the repository, read in place)
 * and against tshark 4.0 itself when it is installed: every frame's dns.id, dns.flags.response,
 * dns.qry.name, dns.qry.type, dns.a, dns.aaaa, dns.cname and tls.handshake.extensions_server_name
 * must be what tshark prints. A minimal walker below stands in for the packet decoder (pcap files;
 * Ethernet with VLAN tags, 802.11 data frames with LLC/SNAP; IPv4, IPv6; UDP, TCP), so that these
 * tests depend on nothing but the app/ decoders.
 */
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectingContext } from '../context.js';
import { dnsCodec, llmnrCodec, mdnsCodec, type DnsLayer, type DnsResourceRecord } from './dns.js';
import { DnsTcpStreams } from './dns-tcp.js';
import { TlsClientHelloStreams } from './tls-client-hello-streams.js';
import type { TlsClientHelloLayer } from './tls-client-hello.js';
import { encodeClientHello } from './tls-client-hello-encoder.js';
import type { TcpReassemblyOptions } from './tcp-reassembly.js';
import { encodeDnsTcpMessage, dnsTcpEncodingLength } from './dns-tcp.js';
import { dnsMessage, everyRecordTypeResponse } from './dns-fixtures.js';

// The real captures beside the repository (../shared/captures).
const CAPTURES = fileURLToPath(new URL('../../../../shared/captures', import.meta.url));
const FIELDS = [
  'dns.id',
  'dns.flags.response',
  'dns.qry.name',
  'dns.qry.type',
  'dns.a',
  'dns.aaaa',
  'dns.cname',
  'tls.handshake.extensions_server_name',
] as const;

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const TSHARK = hasTshark();

interface Frame {
  frame: number;
  dns: DnsLayer[];
  tls: TlsClientHelloLayer[];
}

/** Reads a classic pcap file's records (either byte order, µs or ns). */
function* pcapRecords(file: string): Generator<{ linkType: number; buf: Uint8Array; start: number; end: number }> {
  const b = readFileSync(file);
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  for (let o = 24; o + 16 <= b.length; ) {
    const capLen = u32(o + 8);
    yield { linkType, buf: b, start: o + 16, end: o + 16 + capLen };
    o += 16 + capLen;
  }
}

const ETHERNET = 1;
const IEEE802_11 = 105;

/** Decodes one capture's DNS and ClientHellos, frame by frame. */
function walk(file: string, options: TcpReassemblyOptions = {}): Frame[] {
  const dnsTcp = new DnsTcpStreams(options);
  const tls = new TlsClientHelloStreams(options);
  const frames: Frame[] = [];
  let n = 0;
  for (const rec of pcapRecords(file)) {
    const f: Frame = { frame: ++n, dns: [], tls: [] };
    frames.push(f);
    const { buf, end } = rec;
    const ctx = new CollectingContext(rec.start, n);
    let p = rec.start;
    let etherType = -1;
    if (rec.linkType === ETHERNET) {
      etherType = (buf[p + 12] << 8) | buf[p + 13];
      p += 14;
      while (etherType === 0x8100 || etherType === 0x88a8) {
        etherType = (buf[p + 2] << 8) | buf[p + 3];
        p += 4;
      }
    } else if (rec.linkType === IEEE802_11) {
      const fc0 = buf[p];
      const flags = buf[p + 1];
      if (((fc0 >> 2) & 3) !== 2 || (flags & 0x40) !== 0) continue; // data frames in clear only
      let h = 24 + ((flags & 3) === 3 ? 6 : 0);
      if (fc0 & 0x80) h += 2 + (flags & 0x80 ? 4 : 0);
      p += h;
      if (buf[p] !== 0xaa || buf[p + 1] !== 0xaa) continue;
      etherType = (buf[p + 6] << 8) | buf[p + 7];
      p += 8;
    } else continue;
    let proto = -1;
    let src = '';
    let dst = '';
    let ipEnd = end;
    if (etherType === 0x0800) {
      const ihl = (buf[p] & 0xf) * 4;
      if ((((buf[p + 6] & 0x1f) << 8) | buf[p + 7]) !== 0) continue; // not a first fragment
      proto = buf[p + 9];
      ipEnd = Math.min(end, p + ((buf[p + 2] << 8) | buf[p + 3]));
      src = buf.subarray(p + 12, p + 16).join('.');
      dst = buf.subarray(p + 16, p + 20).join('.');
      p += ihl;
    } else if (etherType === 0x86dd) {
      proto = buf[p + 6];
      ipEnd = Math.min(end, p + 40 + ((buf[p + 4] << 8) | buf[p + 5]));
      src = Buffer.from(buf.subarray(p + 8, p + 24)).toString('hex');
      dst = Buffer.from(buf.subarray(p + 24, p + 40)).toString('hex');
      p += 40;
      while (proto === 0 || proto === 43 || proto === 60) {
        proto = buf[p];
        p += 8 * (buf[p + 1] + 1);
      }
    } else continue;
    if (proto === 17) {
      const sport = (buf[p] << 8) | buf[p + 1];
      const dport = (buf[p + 2] << 8) | buf[p + 3];
      const udpEnd = Math.min(ipEnd, p + ((buf[p + 4] << 8) | buf[p + 5]));
      const port = [Math.min(sport, dport), Math.max(sport, dport)].find((x) => x === 53 || x === 5353 || x === 5355);
      const codec = port === 53 ? dnsCodec : port === 5353 ? mdnsCodec : port === 5355 ? llmnrCodec : null;
      const d = codec?.decode(buf, p + 8, udpEnd, ctx);
      if (d) f.dns.push(d);
    } else if (proto === 6) {
      const sport = (buf[p] << 8) | buf[p + 1];
      const dport = (buf[p + 2] << 8) | buf[p + 3];
      const seq = ((buf[p + 4] << 24) | (buf[p + 5] << 16) | (buf[p + 6] << 8) | buf[p + 7]) >>> 0;
      const payload = p + (buf[p + 12] >> 4) * 4;
      const key = `${src}:${sport}>${dst}:${dport}`;
      if (sport === 53 || dport === 53) f.dns.push(...dnsTcp.push(key, seq, buf, payload, ipEnd, ctx));
      else {
        const h = tls.push(key, seq, buf, payload, ipEnd, ctx, sport === 443 || dport === 443);
        if (h) f.tls.push(h);
      }
    }
  }
  return frames;
}

const records = (d: DnsLayer): DnsResourceRecord[] => [...d.answers, ...d.authorities, ...d.additionals];

/** A frame's cells for {@link FIELDS}, formatted and aggregated as `tshark -T fields -E occurrence=a -E aggregator=,`. */
function row(f: Frame): string[] {
  const dns = f.dns;
  const data = dns.flatMap(records).map((r) => r.data);
  return [
    dns.map((d) => '0x' + d.id.toString(16).padStart(4, '0')).join(','),
    dns.map((d) => (d.isResponse ? '1' : '0')).join(','),
    dns.flatMap((d) => d.questions.map((q) => q.name)).join(','),
    dns.flatMap((d) => d.questions.map((q) => String(q.type))).join(','),
    data.flatMap((x) => (x.type === 'A' ? [x.address] : [])).join(','),
    data.flatMap((x) => (x.type === 'AAAA' ? [x.address] : [])).join(','),
    data.flatMap((x) => (x.type === 'CNAME' ? [x.name] : [])).join(','),
    f.tls.flatMap((h) => h.serverNames).join(','),
  ];
}

function tsharkRows(file: string): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-E', 'separator=/t'];
  for (const field of FIELDS) args.push('-e', field);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

const files = existsSync(CAPTURES) ? readFileSync(`${CAPTURES}/MANIFEST.tsv`, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t')[0]) : [];

test('the wlan capture gives the CNAME chain and the mDNS records tshark shows', { skip: !existsSync(CAPTURES) }, () => {
  const frames = walk(`${CAPTURES}/wlan-80211-plain-dns-mdns.pcap`);
  assert.deepEqual(row(frames[1]), [
    '0xa72f',
    '1',
    'captive.apple.com',
    '1',
    '23.196.236.203',
    '',
    'captive.apple.com.edgekey.net,e7279.e9.akamaiedge.net',
    '',
  ]);
  const mdns = frames[2].dns[0];
  assert.equal(mdns.protocol, 'mdns');
  assert.ok(records(mdns).some((r) => r.cacheFlush && r.data.type === 'A' && r.data.address === '172.17.156.80'));
  assert.ok(records(mdns).some((r) => r.data.type === 'AAAA' && r.data.address === 'fe80::a667:6ff:fef7:ec54'));
  assert.ok(records(mdns).some((r) => r.data.type === 'OPT' && r.name === '<Root>'));
});

test('the ECH and WeMo captures give the server names tshark shows', { skip: !existsSync(CAPTURES) }, () => {
  const ech = walk(`${CAPTURES}/tls13-ech-outer-sni.pcap`).flatMap((f) => f.tls);
  assert.deepEqual(ech.map((h) => [h.serverNames.join(), h.ech]), [['cloudflare-ech.com', true], ['cloudflare-ech.com', true]]);
  const wemo = walk(`${CAPTURES}/iot-sentinel-wemo-switch-setup.pcap`).filter((f) => f.tls.length > 0);
  assert.deepEqual(wemo.map((f) => [f.frame, f.tls[0].serverNames.join()]), [[39, 'api.xbcs.net'], [151, 'api.xbcs.net'], [206, 'api.xbcs.net']]);
});

for (const name of files) {
  test(`${name}: DNS and SNI fields agree with tshark on every frame`, { skip: !TSHARK && 'tshark is not installed' }, () => {
    const file = `${CAPTURES}/${name}`;
    const ours = walk(file).map(row);
    const theirs = tsharkRows(file).map((r) => FIELDS.map((_, i) => r[i] ?? ''));
    assert.equal(ours.length, theirs.length);
    const differ = ours.flatMap((r, i) => (r.join('\t') === theirs[i].join('\t') ? [] : [{ frame: i + 1, ours: r, tshark: theirs[i] }]));
    assert.deepEqual(differ.slice(0, 5), []);
  });
}

// ---- Synthetic captures: made here, read by both tshark and the walker above. ----

interface SyntheticPacket {
  readonly proto: 'udp' | 'tcp';
  readonly sport: number;
  readonly dport: number;
  readonly payload: Uint8Array;
  /** TCP sequence number of the payload's first byte. */
  readonly seq?: number;
}

function checksum16(b: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i += 2) sum += (b[i] << 8) | b[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Writes Ethernet/IPv4/UDP-or-TCP frames to a pcap file in a fresh temporary folder. */
function writeCapture(packets: readonly SyntheticPacket[]): string {
  const parts: Uint8Array[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(ETHERNET, 20);
  parts.push(header);
  packets.forEach((p, i) => {
    const l4 = p.proto === 'udp' ? 8 : 20;
    const frame = Buffer.alloc(14 + 20 + l4 + p.payload.length);
    Buffer.from('020000000002020000000001' + '0800', 'hex').copy(frame, 0);
    const ip = 14;
    frame[ip] = 0x45;
    frame.writeUInt16BE(20 + l4 + p.payload.length, ip + 2);
    frame[ip + 8] = 64;
    frame[ip + 9] = p.proto === 'udp' ? 17 : 6;
    frame.set(p.sport < p.dport ? [10, 0, 0, 2, 10, 0, 0, 1] : [10, 0, 0, 1, 10, 0, 0, 2], ip + 12);
    frame.writeUInt16BE(checksum16(frame, ip, ip + 20), ip + 10);
    const t = ip + 20;
    frame.writeUInt16BE(p.sport, t);
    frame.writeUInt16BE(p.dport, t + 2);
    if (p.proto === 'udp') frame.writeUInt16BE(8 + p.payload.length, t + 4);
    else {
      frame.writeUInt32BE((p.seq ?? 1) >>> 0, t + 4);
      frame[t + 12] = 0x50;
      frame[t + 13] = 0x18;
      frame.writeUInt16BE(65535, t + 14);
    }
    frame.set(p.payload, t + l4);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  });
  tempDir ??= mkdtempSync(join(tmpdir(), 'peephole-app-'));
  const file = join(tempDir, `synthetic-${++captureCount}.pcap`);
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

let tempDir: string | undefined;
let captureCount = 0;
after(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

function assertSameAsTshark(file: string, options: TcpReassemblyOptions = {}): void {
  const ours = walk(file, options).map(row);
  const theirs = tsharkRows(file).map((r) => FIELDS.map((_, i) => r[i] ?? ''));
  assert.deepEqual(ours, theirs);
}

const bytesOf = (...xs: (number | string | number[] | Uint8Array)[]): Uint8Array =>
  Uint8Array.from(xs.flatMap((x) => (typeof x === 'number' ? [x] : typeof x === 'string' ? Array.from(Buffer.from(x, 'latin1')) : Array.from(x))));
const label = (s: string): number[] => [s.length, ...Array.from(Buffer.from(s, 'latin1'))];
const queryWith = (...name: number[]): Uint8Array => bytesOf([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0], name, [0, 1, 0, 1]);

test('odd DNS names read as tshark shows them: escapes, U+FFFD, <Root>, loops, too long', { skip: !TSHARK && 'tshark is not installed' }, () => {
  const x63 = label('x'.repeat(63));
  const names = [
    [0],
    [...label('a b'), 0],
    [...label('a.b'), ...label('com'), 0],
    [...label('a,b'), 0],
    [...label('x\x01y\x7f\xff'), 0],
    [...label('a\\b'), ...label('\t\n'), 0],
    [...label('\xc3\xa9\xe2\x80\x8b\xc0\x80\xed\xa0\x80\xf0\x9f\x98\x80'), 0],
    [0xc0, 12],
    [...label('a'), 0xc0, 12],
    [0xc0, 16],
    [0xc0, 18],
    [...x63, ...x63, ...x63, ...label('y'.repeat(62)), 0],
    [...x63, ...x63, ...x63, ...label('y'.repeat(61)), 0],
    [...x63, ...x63, ...x63, ...x63, ...x63, 0xc0, 12],
  ];
  const packets = names.map((n): SyntheticPacket => ({ proto: 'udp', sport: 40000, dport: 53, payload: queryWith(...n) }));
  const forward = bytesOf(queryWith(0xc0, 18), label('fwd'), 0);
  packets.push({ proto: 'udp', sport: 40000, dport: 53, payload: forward });
  packets.push({ proto: 'udp', sport: 5353, dport: 5353, payload: encoded(everyRecordTypeResponse(0, true), true) });
  assertSameAsTshark(writeCapture(packets));
});

function encoded(layer: ReturnType<typeof dnsMessage>, compress = false): Uint8Array {
  const out = new Uint8Array(dnsTcpEncodingLength(layer, { compress }));
  encodeDnsTcpMessage(layer, out, 0, { compress });
  return out.subarray(2);
}

test('DNS over TCP: two messages in a segment, one over three segments, a retransmission, as tshark', { skip: !TSHARK && 'tshark is not installed' }, () => {
  const q = (id: number, name: string) => dnsMessage({ id, flags: 0x0100, transport: 'tcp', questions: [{ name, type: 28, class: 1, unicastResponse: false }] });
  const tcpBytes = (...ms: ReturnType<typeof q>[]): Uint8Array => {
    const out = new Uint8Array(ms.reduce((n, m) => n + dnsTcpEncodingLength(m), 0));
    ms.reduce((pos, m) => encodeDnsTcpMessage(m, out, pos), 0);
    return out;
  };
  const c2s = tcpBytes(q(1, 'one.example'), q(2, 'two.example'), q(3, 'three.example'), q(4, 'four.example'));
  const l1 = dnsTcpEncodingLength(q(1, 'one.example'));
  const l2 = l1 + dnsTcpEncodingLength(q(2, 'two.example'));
  const l3 = l2 + dnsTcpEncodingLength(q(3, 'three.example'));
  const resp = tcpBytes({ ...everyRecordTypeResponse(), transport: 'tcp' });
  const seg = (from: number, to: number, seq = 100): SyntheticPacket => ({ proto: 'tcp', sport: 40001, dport: 53, seq: seq + from, payload: c2s.subarray(from, to) });
  const back = (from: number, to: number): SyntheticPacket => ({ proto: 'tcp', sport: 53, dport: 40001, seq: 9000 + from, payload: resp.subarray(from, to) });
  assertSameAsTshark(
    writeCapture([
      seg(0, l2),
      seg(l2, l2 + 1),
      back(0, 300),
      seg(l2 + 1, l2 + 9),
      back(300, 301),
      seg(l2 + 9, c2s.length - 3),
      seg(l2 + 9, c2s.length - 3),
      back(301, resp.length),
      seg(c2s.length - 3, c2s.length),
    ]),
  );
  assert.ok(l3 < c2s.length);
});

const sniHello = (name: string, maxRecordBytes?: number): Uint8Array =>
  encodeClientHello({ serverNames: [name], alpn: ['h2', 'http/1.1'], supportedVersions: [0x0304, 0x0303], paddingBytes: 400, maxRecordBytes });

test('ClientHellos split over two and three segments and two records, as tshark', { skip: !TSHARK && 'tshark is not installed' }, () => {
  const packets: SyntheticPacket[] = [];
  const send = (hello: Uint8Array, dport: number, cuts: number[], order?: number[]): void => {
    const segs = cuts.slice(0, -1).map((from, i) => ({ proto: 'tcp' as const, sport: 50000 + packets.length, dport, seq: 7 + from, payload: hello.subarray(from, cuts[i + 1]) }));
    for (const i of order ?? segs.map((_, k) => k)) packets.push({ ...segs[i], sport: segs[0].sport });
  };
  const a = sniHello('two.segments.example');
  send(a, 443, [0, 100, a.length]);
  const b = sniHello('three.segments.two.records.example', 300);
  send(b, 443, [0, 4, 310, b.length]);
  send(b, 12345, [0, 4, 310, b.length]); // tshark's heuristic needs the record header in the first segment
  send(b, 12345, [0, 5, 310, b.length]);
  const c = sniHello('retransmitted.example');
  send(c, 8443, [0, 50, c.length], [0, 0, 1, 1]);
  const d = sniHello('whole.example');
  send(d, 443, [0, d.length], [0, 0]);
  const e = sniHello('odd\x01\xc3\xa9name');
  send(e, 443, [0, e.length]);
  assertSameAsTshark(writeCapture(packets));
});

test('with holdOutOfOrder and trimOverlaps off, out-of-order and overlapping hellos are lost as in tshark', { skip: !TSHARK && 'tshark is not installed' }, () => {
  const h = sniHello('out.of.order.example');
  const seg = (sport: number, from: number, to: number): SyntheticPacket => ({ proto: 'tcp', sport, dport: 443, seq: 1 + from, payload: h.subarray(from, to) });
  const file = writeCapture([
    seg(50001, 0, 100), seg(50001, 200, h.length), seg(50001, 100, 200),
    seg(50002, 0, 150), seg(50002, 100, 250), seg(50002, 250, h.length),
    seg(50003, 0, 100), seg(50003, 100, h.length),
  ]);
  assertSameAsTshark(file, { holdOutOfOrder: false, trimOverlaps: false });
  const robust = walk(file).flatMap((f) => f.tls.map((t) => t.serverNames.join()));
  assert.deepEqual(robust, ['out.of.order.example', 'out.of.order.example', 'out.of.order.example']);
});
