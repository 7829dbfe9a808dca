// PacketDecoder.commonShape() against decode(): `peephole inspect` summarises a packet of the
// commonest shape from what commonShape() reads, without layers, and must report exactly what
// decoding every packet reports. Material: every generated corner-case capture, every shared real
// capture, the loopback recordings when present, captures of mixed traffic (bulk TCP and UDP, DNS,
// TLS; and the DNS/VLAN-heavy mix) and the same captures with seeded random byte changes. For every
// packet commonShape() accepts, decode() must give the layers ethernet, a vlan per tag, ipv4|ipv6,
// tcp|udp and dns when it digested one, no anomaly, the addresses it read and the DNS names and
// answers the digest holds; and the whole inspect report must be the same with and without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { readCapture } from '../src/capture/reader.js';
import type { CaptureRecord } from '../src/capture/record.js';
import type { Layer } from '../src/decode/layer.js';
import { newCommonShape, PacketDecoder, type CommonShape } from '../src/decode/packet.js';
import { inspectCapture } from '../src/observe/inspect.js';
import { DNS_VLAN_MIX, writeMixedTraffic } from '../bench/mixed-traffic.js';
import { Random } from '../src/core/random.js';
import { capture as captureFrames } from '../src/home/traffic/test-frames.js';
import { generatedCaptures } from './fixtures/corner-cases.js';
import { captureBytes, GENERATED_FORMATS } from './fixtures/generated-capture.js';
import { createRecord } from '../src/capture/record.js';
import { LINKTYPE_ETHERNET } from '../src/core/link-type.js';
import { formatIpv4, formatIpv6, parseIpv4 } from '../src/core/bytes.js';
import { DNS_DIGEST_A, DNS_DIGEST_AAAA } from '../src/decode/app/dns-digest.js';
import { encodeDnsMessage } from '../src/decode/app/dns.js';
import { dnsMessage, rr } from '../src/decode/app/dns-fixtures.js';
import { makeIpv4, makeIpv6, makeTcp, makeUdp } from '../src/decode/net/make-layer.js';
import { buildPacket, type BuildableLayer } from '../src/decode/net/packet-builder.js';
import { KNOWN_DIFFERENCES } from './fixtures/known-differences.js';
import { LOOPBACK_CACHE_DIR, SHARED_CAPTURES_DIR } from './support/paths.js';

interface Material {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const source = (m: Material): { stream: Readable; name: string } => ({ stream: Readable.from([m.bytes]), name: m.name });

function layerOf<K extends Layer['kind']>(layers: readonly Layer[], i: number, kind: K): Extract<Layer, { kind: K }> {
  const l = layers[i];
  assert.equal(l?.kind, kind);
  return l as Extract<Layer, { kind: K }>;
}

/**
 * Decodes `rec`; when commonShape() accepted it first, checks decode() gives what it said (the
 * layers, no anomaly, the addresses). Returns whether it was accepted.
 */
function checkRecord(decoder: PacketDecoder, shape: CommonShape, rec: CaptureRecord, name: string): boolean {
  if (!decoder.commonShape(rec, shape)) {
    decoder.decode(rec);
    return false;
  }
  {
    const where = `${name} frame ${rec.frame}`;
    const p = decoder.decode(rec);
    assert.deepEqual(p.anomalies, [], `${where}: commonShape() accepted a packet decode() reports anomalies for`);
    const vlans = new Array<string>(shape.vlanTags).fill('vlan');
    assert.deepEqual(p.layers.map((l) => l.kind), ['ethernet', ...vlans, shape.network, shape.transport, ...(shape.dns ? ['dns'] : [])], where);
    assert.equal(layerOf(p.layers, 0, 'ethernet').src, shape.mac, where);
    const at = 1 + shape.vlanTags;
    if (shape.network === 'ipv4') {
      const ip = layerOf(p.layers, at, 'ipv4');
      assert.deepEqual([ip.src, ip.dst], [shape.src4, shape.dst4], where);
    } else {
      const ip = layerOf(p.layers, at, 'ipv6');
      assert.deepEqual([ip.src, ip.dst], [shape.src6, shape.dst6], where);
    }
    if (shape.dns) {
      const d = shape.dns;
      const dns = layerOf(p.layers, at + 2, 'dns');
      assert.equal(d.isResponse, dns.isResponse, where);
      assert.deepEqual(d.questionNames.slice(0, d.questionCount), dns.questions.map((q) => q.name), where);
      const answers: string[] = [];
      for (let k = 0; k < d.ownerCount; k++) {
        for (let i = d.ownerStarts[k]; i < d.ownerEnd(k); i++) {
          const type = d.answerTypes[i];
          answers.push(`${d.ownerNames[k]} ${type === DNS_DIGEST_A ? formatIpv4(d.answerValues[i]) : type === DNS_DIGEST_AAAA ? formatIpv6(d.bytes, d.answerValues[i]) : d.answerTargets[i]}`);
        }
      }
      assert.equal(answers.length, d.answerCount, where);
      const decoded = dns.answers.flatMap((r) => (r.data.type === 'A' || r.data.type === 'AAAA' ? [`${r.name} ${r.data.address}`] : r.data.type === 'CNAME' ? [`${r.name} ${r.data.name}`] : []));
      assert.deepEqual(answers, decoded, where);
    }
  }
  return true;
}

/** Checks every packet of a capture (see checkRecord); returns how many commonShape() accepted and refused. */
async function comparePackets(m: Material): Promise<{ accepted: number; refused: number }> {
  const decoder = new PacketDecoder({ reuse: true });
  const shape = newCommonShape();
  let accepted = 0;
  let refused = 0;
  await readCapture(source(m), (rec: CaptureRecord) => {
    if (checkRecord(decoder, shape, rec, m.name)) accepted++;
    else refused++;
  });
  return { accepted, refused };
}

async function assertSameReport(m: Material): Promise<void> {
  const fast = await inspectCapture(source(m));
  const decoded = await inspectCapture(source(m), { commonShape: false });
  assert.deepEqual(fast, decoded, `${m.name}: the inspect report differs with commonShape()`);
}

function mixedTraffic(): Uint8Array {
  return captureFrames((sink) => writeMixedTraffic(sink, { targetBytes: 3e6, seed: 11 })).pcap;
}

function dnsVlanTraffic(): Uint8Array {
  return captureFrames((sink) => writeMixedTraffic(sink, { targetBytes: 6e6, seed: 12, ...DNS_VLAN_MIX })).pcap;
}

function filesIn(dir: string, keep: (name: string) => boolean): Material[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(keep)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) }));
}

const isCapture = (name: string): boolean => /\.(pcap|pcapng|cap)$/.test(name);

test('commonShape() accepts most packets of mixed traffic and only packets decode() gives the same for', async () => {
  const m = { name: 'mixed traffic', bytes: mixedTraffic() };
  const { accepted, refused } = await comparePackets(m);
  assert.ok(accepted > 0.9 * (accepted + refused), `accepted ${accepted} of ${accepted + refused}`);
  assert.ok(refused > 0, 'ClientHellos are refused (decoded)');
  await assertSameReport(m);
});

test('commonShape() accepts VLAN-tagged frames and DNS messages of the DNS/VLAN-heavy mix, and only those decode() gives the same for', async () => {
  const m = { name: 'DNS/VLAN mix', bytes: dnsVlanTraffic() };
  const decoder = new PacketDecoder({ reuse: true });
  const shape = newCommonShape();
  let tagged = 0;
  let dns = 0;
  let packets = 0;
  await readCapture(source(m), (rec: CaptureRecord) => {
    packets++;
    if (!checkRecord(decoder, shape, rec, m.name)) return;
    if (shape.vlanTags > 0) tagged++;
    if (shape.dns) dns++;
  });
  assert.ok(tagged > 0.05 * packets, `${tagged} tagged frames accepted of ${packets}`);
  assert.ok(dns > 0.4 * packets, `${dns} DNS messages accepted of ${packets}`);
  await assertSameReport(m);
});

test('commonShape() on damaged mixed traffic: seeded random changes to packet headers and anywhere', async () => {
  const originals = [mixedTraffic().subarray(0, 400_000), dnsVlanTraffic().subarray(0, 400_000)];
  const random = new Random(20261125);
  let accepted = 0;
  for (let trial = 0; trial < 24; trial++) {
    const bytes = originals[trial % 4 < 2 ? 0 : 1].slice();
    if (trial % 2 === 0) {
      // In half the packets, one field the checks look at set to a random value: the EtherType, IP
      // version and lengths, fragment bits, protocol or next header, the UDP length, the TCP data
      // offset and flags (at their offsets over IPv4 or IPv6, untagged or tagged), the DNS counts,
      // first label and first pointers, or the record's length on the wire.
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const fields = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 38, 39, 42, 43, 46, 47, 49, 51, 53, 54, 58, 59, 62, 63, 66, 67, 70, 71, 80, 81, 82];
      for (let p = 24; p + 16 <= bytes.length; ) {
        const capLen = view.getUint32(p + 8, true);
        if (p + 16 + capLen > bytes.length) break;
        if (random.next() < 0.5) {
          const field = random.int(0, fields.length);
          if (field === fields.length) view.setUint32(p + 12, Math.max(0, capLen + random.int(-60, 60)), true);
          else if (fields[field] < capLen) bytes[p + 16 + fields[field]] = random.int(0, 255);
        }
        p += 16 + capLen;
      }
    } else {
      // Any byte after the file header, at a low rate: record headers too (the reader resynchronises).
      for (let i = 24; i < bytes.length; i++) if (random.next() < 0.004) bytes[i] ^= 1 << random.int(0, 7);
    }
    const m = { name: `damaged mixed traffic #${trial}`, bytes };
    accepted += (await comparePackets(m)).accepted;
    await assertSameReport(m);
  }
  assert.ok(accepted > 1000, `the damaged captures still have packets of the common shape (${accepted})`);
});

/** Ethernet II (EtherType from the IP layer) around an IP packet, with VLAN tags (TPIDs) between. */
function frame(layers: BuildableLayer[], payload: Uint8Array, tags: number[] = []): Uint8Array {
  const ip = buildPacket(layers, payload);
  const out = new Uint8Array(14 + 4 * tags.length + ip.length);
  const types = [...tags, layers[0].kind === 'ipv4' ? 0x0800 : 0x86dd];
  out.set([0x02, 0, 0, 0, 0, 0x01, 0xa4, 0xcf, 0x12, 0x34, 0x56, 0x78, types[0] >> 8, types[0] & 0xff]);
  // Each tag: priority 5, VLAN 10 + i, then the next type.
  types.slice(1).forEach((t, i) => out.set([0xa0, 10 + i, t >> 8, t & 0xff], 14 + 4 * i));
  out.set(ip, 14 + 4 * tags.length);
  return out;
}

/** A DNS response of the shape lookups have: a CNAME, then two A records. */
function dnsResponse(): Uint8Array {
  const layer = dnsMessage(
    {
      flags: 0x8180,
      questions: [{ name: 'api.example.com', type: 1, class: 1, unicastResponse: false }],
      answers: [rr('api.example.com', 5, { type: 'CNAME', name: 'edge.cdn.net' }), rr('edge.cdn.net', 1, { type: 'A', address: '192.0.2.1' }), rr('edge.cdn.net', 1, { type: 'A', address: '192.0.2.2' })],
    },
    0,
    true,
  );
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0, { compress: true }));
  encodeDnsMessage(layer, out, 0, { compress: true });
  return out;
}

test('commonShape() at every boundary of every field it checks: lengths, versions, offsets, cuts', () => {
  const v4 = { src: parseIpv4('192.168.7.20'), dst: parseIpv4('52.1.2.3') };
  const v6 = { src: 'fd00::20', dst: '2600:1f18::3' };
  const data = new Uint8Array(40).fill(0x41);
  const bases: [string, Uint8Array][] = [
    ['ipv4 tcp ack', frame([makeIpv4(v4), makeTcp({ srcPort: 50000, dstPort: 443 })], new Uint8Array(0))],
    ['ipv4 tcp data', frame([makeIpv4(v4), makeTcp({ srcPort: 50000, dstPort: 8080, flags: 0x18 })], data)],
    ['ipv4 tcp options', frame([makeIpv4(v4), makeTcp({ srcPort: 443, dstPort: 50000, options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', value: 1, echoReply: 2 }] })], data)],
    ['ipv4 udp', frame([makeIpv4(v4), makeUdp({ srcPort: 40000, dstPort: 9999 })], data)],
    ['ipv4 udp dns', frame([makeIpv4(v4), makeUdp({ srcPort: 40000, dstPort: 53 })], data)],
    ['ipv6 tcp ack', frame([makeIpv6(v6), makeTcp({ srcPort: 50000, dstPort: 443 })], new Uint8Array(0))],
    ['ipv6 tcp data', frame([makeIpv6(v6), makeTcp({ srcPort: 50000, dstPort: 8883 })], data)],
    ['ipv6 udp', frame([makeIpv6(v6), makeUdp({ srcPort: 40000, dstPort: 9999 })], data)],
    ['ipv4 udp dns response', frame([makeIpv4(v4), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsResponse())],
    ['ipv6 udp dns response', frame([makeIpv6(v6), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsResponse())],
    ['vlan ipv4 tcp data', frame([makeIpv4(v4), makeTcp({ srcPort: 50000, dstPort: 8080, flags: 0x18 })], data, [0x8100])],
    ['vlan ipv4 udp dns response', frame([makeIpv4(v4), makeUdp({ srcPort: 53, dstPort: 40000 })], dnsResponse(), [0x8100])],
    ['vlan ipv6 udp', frame([makeIpv6(v6), makeUdp({ srcPort: 40000, dstPort: 9999 })], data, [0x8100])],
    ['q-in-q ipv4 tcp ack', frame([makeIpv4(v4), makeTcp({ srcPort: 50000, dstPort: 443 })], new Uint8Array(0), [0x88a8, 0x8100])],
    ['five tags ipv4 udp', frame([makeIpv4(v4), makeUdp({ srcPort: 40000, dstPort: 9999 })], data, [0x8100, 0x8100, 0x8100, 0x8100, 0x8100])],
  ];
  const decoder = new PacketDecoder();
  const shape = newCommonShape();
  let accepted = 0;
  let checked = 0;
  const check = (name: string, bytes: Uint8Array, capLen: number, origLen: number): void => {
    const rec = { ...createRecord(), frame: ++checked, linkType: LINKTYPE_ETHERNET, buf: bytes, capLen, origLen };
    if (checkRecord(decoder, shape, rec, name)) accepted++;
  };
  for (const [name, base] of bases) {
    check(name, base, base.length, base.length);
    // Every cut of the frame (snap length), and every wire length near the captured one.
    for (let cut = 0; cut < base.length; cut++) check(`${name} cut at ${cut}`, base, cut, base.length);
    for (let wire = base.length - 70; wire <= base.length + 70; wire++) if (wire > 0) check(`${name} wire ${wire}`, base, base.length, wire);
    // Every byte of the headers (14 + 40 + 32 bytes at most, up to 20 more of tags) and of a DNS
    // message set to boundary values and to each of its values' neighbours: lengths a byte above
    // and below, versions, flags, offsets, DNS counts, labels and pointers.
    for (let at = 0; at < Math.min(base.length, name.includes('dns') ? 200 : 106); at++) {
      const values = new Set([0, 1, 2, 4, 5, 6, 8, 0x0f, 0x10, 0x11, 0x14, 0x20, 0x3f, 0x40, 0x45, 0x46, 0x50, 0x60, 0x80, 0xa0, 0xf0, 0xff]);
      for (let d = -3; d <= 3; d++) values.add((base[at] + d) & 0xff);
      for (const value of values) {
        const bytes = base.slice();
        bytes[at] = value;
        check(`${name} byte ${at} = ${value}`, bytes, bytes.length, bytes.length);
      }
    }
  }
  assert.ok(accepted > 1000 && checked - accepted > 1000, `${accepted} of ${checked} accepted: both outcomes are exercised`);
});

test('commonShape() on every generated corner-case capture, in every format', async () => {
  const captures = [...generatedCaptures(), ...KNOWN_DIFFERENCES.map((d) => d.capture)];
  assert.ok(captures.length > 10);
  for (const c of captures) {
    for (const format of GENERATED_FORMATS) {
      const m = { name: `${c.name} (${format})`, bytes: captureBytes(c, format) };
      await comparePackets(m);
      await assertSameReport(m);
    }
  }
});

test('commonShape() on every shared real capture and every loopback recording present', async (t) => {
  const shared = filesIn(SHARED_CAPTURES_DIR, isCapture);
  if (shared.length === 0) {
    t.skip(`no captures in ${SHARED_CAPTURES_DIR}`);
    return;
  }
  const materials = [...shared, ...filesIn(LOOPBACK_CACHE_DIR, isCapture)];
  let accepted = 0;
  for (const m of materials) {
    accepted += (await comparePackets(m)).accepted;
    await assertSameReport(m);
  }
  assert.ok(accepted > 0, 'real captures have packets of the common shape');
});
