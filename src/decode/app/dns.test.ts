import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { DNS_ANOMALIES, decodeDnsMessage, dnsCodec, encodeDnsMessage, llmnrCodec, mdnsCodec, type DnsLayer } from './dns.js';
import { dnsMessage, echConfig, everyRecordTypeResponse, rr } from './dns-fixtures.js';
import { seededRandom as prng } from '../../core/random.js';

/** Encodes `layer` at `at` inside a buffer with junk before and after it. */
function embed(layer: DnsLayer, at: number, compress = false): { bytes: Uint8Array; end: number } {
  const n = dnsCodec.encodingLength(layer, { compress });
  const bytes = new Uint8Array(at + n + 9).fill(0xa5);
  const end = dnsCodec.encode(layer, bytes, at, { compress });
  assert.equal(end, at + n);
  return { bytes, end };
}


test('dnsCodec round-trips every record type at an offset inside a larger buffer', () => {
  for (const compress of [false, true]) {
    const at = 37;
    const expected = everyRecordTypeResponse(at, compress);
    const { bytes, end } = embed(expected, at, compress);
    const ctx = new CollectingContext();
    const decoded = dnsCodec.decode(bytes, at, end, ctx);
    assert.deepEqual(ctx.anomalies, []);
    assert.deepEqual(decoded, expected);
  }
});

test('dnsCodec compresses names when asked, and only then', () => {
  const v = everyRecordTypeResponse();
  const plain = dnsCodec.encodingLength(v);
  const compressed = dnsCodec.encodingLength(v, { compress: true });
  assert.ok(compressed < plain - 100, `${compressed} vs ${plain}`);
  const out = new Uint8Array(plain);
  dnsCodec.encode(v, out, 0);
  assert.equal(out.indexOf(0xc0), -1, 'no pointer in the uncompressed message');
});

test('decodeDnsMessage() splits the flags into their fields', () => {
  const { bytes, end } = embed(dnsMessage({ flags: 0x8180 | 0x0400 | 0x0200 | 0x0020 | 0x0010 | 0x0003 | (5 << 11) }), 0);
  const d = dnsCodec.decode(bytes, 0, end, new CollectingContext())!;
  assert.deepEqual(
    [d.isResponse, d.opcode, d.authoritative, d.truncated, d.recursionDesired, d.recursionAvailable, d.authenticData, d.checkingDisabled, d.rcode],
    [true, 5, true, true, true, true, true, true, 3],
  );
});

test('decodeDnsMessage() reads the mDNS QU and cache-flush bits only for mDNS', () => {
  const q = { name: 'Art-Teachers-iPad.local', type: 1, class: 1, unicastResponse: true };
  const a = { ...rr('Art-Teachers-iPad.local', 1, { type: 'A', address: '172.17.156.80' }, 120), cacheFlush: true };
  const mdns = dnsMessage({ protocol: 'mdns', flags: 0x8400, questions: [q], answers: [a] });
  const { bytes, end } = embed(mdns, 0);
  assert.deepEqual(mdnsCodec.decode(bytes, 0, end, new CollectingContext()), mdns);
  const asDns = dnsCodec.decode(bytes, 0, end, new CollectingContext())!;
  assert.deepEqual(asDns.questions[0], { ...q, class: 0x8001, unicastResponse: false });
  assert.equal(asDns.answers[0].class, 0x8001);
  assert.equal(asDns.answers[0].cacheFlush, false);
  assert.equal(llmnrCodec.decode(bytes, 0, end, new CollectingContext())?.protocol, 'llmnr');
});

test('decodeDnsMessage() decodes SVCB/HTTPS params: alpn, port, hints and the ECH public name', () => {
  const v = everyRecordTypeResponse();
  const { bytes, end } = embed(v, 0);
  const https = dnsCodec.decode(bytes, 0, end, new CollectingContext())!.answers.find((r) => r.type === 65)!;
  assert.equal(https.data.type, 'HTTPS');
  if (https.data.type !== 'HTTPS') return;
  const byKey = new Map(https.data.params.map((p) => [p.key, p.value]));
  assert.deepEqual(byKey.get(1), { kind: 'alpn', protocols: ['h2', 'h3'] });
  assert.deepEqual(byKey.get(3), { kind: 'port', port: 8443 });
  assert.deepEqual(byKey.get(4), { kind: 'ipv4hint', addresses: ['104.16.1.2', '104.16.1.3'] });
  assert.deepEqual(byKey.get(6), { kind: 'ipv6hint', addresses: ['2606:4700::6810:102'] });
  const ech = byKey.get(5);
  assert.equal(ech?.kind, 'ech');
  if (ech?.kind === 'ech') assert.deepEqual(ech.configs, [echConfig('cloudflare-ech.com')]);
});

test('decodeDnsMessage() keeps the questions and earlier records when a later record is bad', () => {
  const v = dnsMessage({
    flags: 0x8180,
    questions: [{ name: 'a.example', type: 1, class: 1, unicastResponse: false }],
    answers: [rr('a.example', 1, { type: 'A', address: '192.0.2.1' }), rr('b.example', 1, { type: 'A', address: '192.0.2.2' })],
  });
  const { bytes, end } = embed(v, 0);
  const secondName = bytes.indexOf(0x62); // the 'b' of b.example
  bytes[secondName - 1] = 0xc0; // the second answer's name becomes a pointer...
  bytes[secondName] = 0xff; // ...past the end of the message
  const ctx = new CollectingContext();
  const d = dnsCodec.decode(bytes, 0, end, ctx)!;
  assert.deepEqual(d.questions, v.questions);
  assert.deepEqual(d.answers, [v.answers[0]]);
  assert.equal(d.answerCount, 2);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dns_bad_pointer']);
});

test('decodeDnsMessage() keeps data that does not fit its type raw and goes on', () => {
  const v = dnsMessage({
    answers: [rr('x', 1, { type: 'raw', rrType: 1, hex: '0a0000' }), rr('y', 28, { type: 'AAAA', address: '::1' })],
  });
  const { bytes, end } = embed(v, 0);
  const ctx = new CollectingContext();
  assert.deepEqual(dnsCodec.decode(bytes, 0, end, ctx), v);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dns_bad_rdata']);
});

test('decodeDnsMessage() reports a header cut short, counts past the end and trailing bytes', () => {
  const ctx = new CollectingContext();
  assert.equal(dnsCodec.decode(new Uint8Array(11), 0, 11, ctx), null);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dns_truncated']);

  const v = dnsMessage({ questions: [{ name: 'a', type: 1, class: 1, unicastResponse: false }] });
  const { bytes, end } = embed(v, 0);
  bytes[5] = 2; // two questions announced, one present
  const ctx2 = new CollectingContext();
  const d = dnsCodec.decode(bytes, 0, end, ctx2)!;
  assert.equal(d.questions.length, 1);
  assert.deepEqual(ctx2.anomalies.map((a) => a.kind), ['dns_truncated']);

  const ctx3 = new CollectingContext();
  const t = dnsCodec.decode(bytes.fill(0, 4, 6).fill(1, 5, 6), 0, end + 3, ctx3)!;
  assert.deepEqual([t.headerLength, t.payloadLength], [end, 3]);
  assert.deepEqual(ctx3.anomalies.map((a) => a.kind), ['dns_trailing_data']);
});

test('decodeDnsMessage() stores offsets relative to the context base', () => {
  const v = dnsMessage({ questions: [{ name: 'a', type: 1, class: 1, unicastResponse: false }] }, 20);
  const { bytes, end } = embed(v, 120);
  assert.deepEqual(decodeDnsMessage(bytes, 120, end, new CollectingContext(100)), v);
});

test('encodeDnsMessage() throws when a record type and its data disagree', () => {
  const ok = dnsMessage({ answers: [rr('x', 1, { type: 'A', address: '192.0.2.1' })] });
  const v = { ...ok, answers: [{ ...ok.answers[0], type: 28 }] };
  assert.throws(() => encodeDnsMessage(v, new Uint8Array(100), 0), TypeError);
});

test('decodeDnsMessage() never throws on fixture messages cut at every byte', () => {
  const fixtures = [everyRecordTypeResponse(), everyRecordTypeResponse(0, true)];
  for (const [i, v] of fixtures.entries()) {
    const { bytes, end } = embed(v, 0, i === 1);
    for (let cut = 0; cut <= end; cut++) {
      for (const codec of [dnsCodec, mdnsCodec]) {
        const ctx = new CollectingContext();
        const d = codec.decode(bytes, 0, cut, ctx);
        if (cut < end) assert.ok(ctx.anomalies.length > 0, `cut at ${cut} reported nothing`);
        if (cut >= 12) assert.ok(d !== null);
      }
    }
  }
});

test('decodeDnsMessage() never throws on fixture messages with bytes flipped (seed 1)', () => {
  const random = prng(1);
  const fixtures = [everyRecordTypeResponse(), everyRecordTypeResponse(0, true)].map((v, i) => embed(v, 0, i === 1));
  for (let round = 0; round < 3000; round++) {
    const { bytes, end } = fixtures[round % 2];
    const copy = bytes.slice(0, end);
    const flips = 1 + Math.floor(random() * 4);
    for (let f = 0; f < flips; f++) copy[Math.floor(random() * end)] = Math.floor(random() * 256);
    const ctx = new CollectingContext();
    mdnsCodec.decode(copy, 0, copy.length, ctx);
    dnsCodec.decode(copy, 0, Math.floor(random() * (copy.length + 1)), ctx);
  }
});

test('every DNS anomaly kind is documented', () => {
  for (const k of ['dns_truncated', 'dns_bad_pointer', 'dns_pointer_loop', 'dns_name_too_long', 'dns_bad_label_type', 'dns_bad_rdata', 'dns_bad_svc_param', 'dns_trailing_data']) {
    assert.equal(typeof DNS_ANOMALIES[k], 'string', k);
  }
});
