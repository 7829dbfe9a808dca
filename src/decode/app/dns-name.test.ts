import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { ReportedEndCollectingContext } from '../net/reported-end.js';
import { encodeDnsMessage } from './dns.js';
import { everyRecordTypeResponse } from './dns-fixtures.js';
import {
  DNS_NAME_ANOMALIES,
  DnsNameCache,
  DNS_NAME_LOOP_TEXT,
  DNS_NAME_TOO_LONG_TEXT,
  DnsNameCompressor,
  decodeDnsName,
  dnsNameEncodingLength,
  encodeDnsName,
} from './dns-name.js';

/** A message body placed at `start` inside a larger buffer with junk around it. */
function place(body: number[], start = 7): { bytes: Uint8Array; start: number; end: number } {
  const bytes = new Uint8Array(start + body.length + 5).fill(0xee);
  bytes.set(body, start);
  return { bytes, start, end: start + body.length };
}
const label = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const HEADER = new Array<number>(12).fill(0);
const kinds = (ctx: CollectingContext): string[] => ctx.anomalies.map((a) => a.kind);

test('decodeDnsName() reads a plain name and gives the index after it', () => {
  const m = place([...HEADER, ...label('captive'), ...label('apple'), ...label('com'), 0, 0, 1]);
  const ctx = new CollectingContext();
  const r = decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx);
  assert.deepEqual(r, { name: 'captive.apple.com', end: m.start + 12 + 19 });
  assert.deepEqual(ctx.anomalies, []);
});

test('decodeDnsName() follows a compression pointer relative to the message start', () => {
  // offset 12: a.example. ; offset 23: www + pointer to 14 ("example")
  const m = place([...HEADER, ...label('a'), ...label('example'), 0, ...label('www'), 0xc0, 14]);
  const ctx = new CollectingContext();
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 23, m.start, m.end, ctx), { name: 'www.example', end: m.start + 29 });
  assert.deepEqual(ctx.anomalies, []);
});

test('decodeDnsName() shows the root name as <Root>, also through a pointer', () => {
  const m = place([...HEADER, 0, 0xc0, 12]);
  const ctx = new CollectingContext();
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), { name: '<Root>', end: m.start + 13 });
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 13, m.start, m.end, ctx), { name: '<Root>', end: m.start + 15 });
});

test('decodeDnsName() reports a pointer to itself as a loop and still gives the end', () => {
  const m = place([...HEADER, 0xc0, 12, 0, 1, 0, 1]);
  const ctx = new CollectingContext(m.start);
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), { name: DNS_NAME_LOOP_TEXT, end: m.start + 14 });
  assert.deepEqual(kinds(ctx), ['dns_pointer_loop']);
  assert.equal(ctx.anomalies[0].offset, 12);
});

test('decodeDnsName() reports two pointers that point at each other as a loop', () => {
  const m = place([...HEADER, 0xc0, 14, 0xc0, 12, 0, 1, 0, 1]);
  const ctx = new CollectingContext(m.start);
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), { name: DNS_NAME_LOOP_TEXT, end: m.start + 14 });
  assert.deepEqual(kinds(ctx), ['dns_forward_pointer', 'dns_pointer_loop']);
});

test('decodeDnsName() reports a label followed by a pointer back to it as a loop', () => {
  const m = place([...HEADER, ...label('a'), 0xc0, 12, 0, 1, 0, 1]);
  const ctx = new CollectingContext(m.start);
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), { name: DNS_NAME_LOOP_TEXT, end: m.start + 16 });
  assert.deepEqual(kinds(ctx), ['dns_pointer_loop']);
});

test('decodeDnsName() bounds the work of a loop in a large message', () => {
  const body = new Array<number>(60_000).fill(0);
  body.splice(12, 4, ...label('a'), 0xc0, 12);
  const m = place(body);
  const ctx = new CollectingContext(m.start);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 200; i++) decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(ctx.anomalies.length, 200);
  assert.ok(ms < 500, `200 looping names took ${ms} ms`);
});

test('decodeDnsName() takes a pointer 4 bytes past itself for a loop, as tshark 4.0 does', () => {
  const m = place([...HEADER, 0xc0, 16, 0, 1, 0, 1, 0]);
  const ctx = new CollectingContext(m.start);
  assert.equal(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx)?.name, DNS_NAME_LOOP_TEXT);
});

test('decodeDnsName() follows a forward pointer and reports it', () => {
  const m = place([...HEADER, 0xc0, 18, 0, 1, 0, 1, ...label('fwd'), 0]);
  const ctx = new CollectingContext(m.start);
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), { name: 'fwd', end: m.start + 14 });
  assert.deepEqual(kinds(ctx), ['dns_forward_pointer']);
});

test('decodeDnsName() returns null for a pointer past the message end', () => {
  const m = place([...HEADER, 0xc0, 0xff, 0, 1, 0, 1]);
  const ctx = new CollectingContext(m.start);
  assert.equal(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), null);
  assert.deepEqual(kinds(ctx), ['dns_bad_pointer']);
});

test('decodeDnsName() returns null for the extended (0x40, a "64-byte" label) and reserved (0x80) label types', () => {
  for (const first of [0x40, 0x41, 0x80, 0xbf]) {
    const m = place([...HEADER, first, 0x61, 0, 0, 1, 0, 1]);
    const ctx = new CollectingContext(m.start);
    assert.equal(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), null);
    assert.deepEqual(kinds(ctx), ['dns_bad_label_type']);
  }
});

test('decodeDnsName() shows a 256-byte name as <Name too long> and still gives its end', () => {
  const long = [...label('x'.repeat(63)), ...label('x'.repeat(63)), ...label('x'.repeat(63)), ...label('y'.repeat(62)), 0];
  assert.equal(long.length, 256);
  const m = place([...HEADER, ...long, 0, 1, 0, 1]);
  const ctx = new CollectingContext(m.start);
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), { name: DNS_NAME_TOO_LONG_TEXT, end: m.start + 12 + 256 });
  assert.deepEqual(kinds(ctx), ['dns_name_too_long']);
});

test('decodeDnsName() accepts a 255-byte name (253 characters)', () => {
  const name = [...label('x'.repeat(63)), ...label('x'.repeat(63)), ...label('x'.repeat(63)), ...label('y'.repeat(61)), 0];
  const m = place([...HEADER, ...name]);
  const ctx = new CollectingContext(m.start);
  assert.equal(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx)?.name.length, 253);
  assert.deepEqual(ctx.anomalies, []);
});

test('decodeDnsName() counts the bytes a pointer brings in towards the 255-byte limit', () => {
  const first = [...label('x'.repeat(63)), ...label('x'.repeat(63)), ...label('x'.repeat(63)), 0];
  const m = place([...HEADER, ...first, ...label('y'.repeat(62)), 0xc0, 12]);
  const ctx = new CollectingContext(m.start);
  const at = m.start + 12 + first.length;
  assert.deepEqual(decodeDnsName(m.bytes, at, m.start, m.end, ctx), { name: DNS_NAME_TOO_LONG_TEXT, end: at + 65 });
});

test('decodeDnsName() shows odd bytes inside labels as tshark does', () => {
  const m = place([...HEADER, 3, 0x61, 0x2e, 0x62, 4, 0x78, 0x01, 0x20, 0xff, 0]);
  assert.equal(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, new CollectingContext())?.name, 'a.b.x\\001 \uFFFD');
});

test('decodeDnsName() returns null with dns_truncated when a label runs past the message', () => {
  const m = place([...HEADER, 5, 0x61, 0x62]);
  const ctx = new CollectingContext(m.start);
  assert.equal(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), null);
  assert.deepEqual(kinds(ctx), ['dns_truncated']);
  const cut = place([...HEADER, 0xc0]);
  const ctx2 = new CollectingContext(cut.start);
  assert.equal(decodeDnsName(cut.bytes, cut.start + 12, cut.start, cut.end, ctx2), null);
  assert.deepEqual(kinds(ctx2), ['dns_truncated']);
});

test('decodeDnsName() says dns_snapped when the capture cut the message short', () => {
  const m = place([...HEADER, 5, 0x61, 0x62]);
  const ctx = new ReportedEndCollectingContext(m.start, m.end + 40);
  assert.equal(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), null);
  assert.deepEqual(kinds(ctx), ['dns_snapped']);
});

test('every dns-name anomaly kind is documented', () => {
  for (const k of ['dns_truncated', 'dns_snapped', 'dns_bad_pointer', 'dns_forward_pointer', 'dns_pointer_loop', 'dns_name_too_long', 'dns_bad_label_type']) {
    assert.ok(DNS_NAME_ANOMALIES[k], k);
  }
});

test('encodeDnsName() writes labels and the root byte, and decodes back', () => {
  const out = new Uint8Array(40).fill(0xee);
  const end = encodeDnsName('api.xbcs.net', out, 3);
  assert.equal(end, 3 + dnsNameEncodingLength('api.xbcs.net'));
  assert.deepEqual(Array.from(out.subarray(3, end)), [...label('api'), ...label('xbcs'), ...label('net'), 0]);
  assert.equal(decodeDnsName(out, 3, 0, out.length, new CollectingContext())?.name, 'api.xbcs.net');
});

test('encodeDnsName() writes the root for <Root>, "" and "." and accepts one trailing dot', () => {
  for (const root of ['<Root>', '', '.']) assert.equal(dnsNameEncodingLength(root), 1);
  assert.equal(dnsNameEncodingLength('a.b.'), dnsNameEncodingLength('a.b'));
});

test('encodeDnsName() with a compressor points to the longest suffix written before', () => {
  const out = new Uint8Array(64);
  const c = new DnsNameCompressor(2);
  const a = encodeDnsName('www.example.com', out, 2 + 12, c);
  const b = encodeDnsName('mail.example.com', out, a, c);
  assert.equal(b - a, 5 + 2);
  assert.deepEqual(Array.from(out.subarray(a + 5, b)), [0xc0, 12 + 4]);
  const again = encodeDnsName('www.example.com', out, b, c);
  assert.equal(again - b, 2);
  const ctx = new CollectingContext();
  assert.equal(decodeDnsName(out, a, 2, again, ctx)?.name, 'mail.example.com');
  assert.equal(decodeDnsName(out, b, 2, again, ctx)?.name, 'www.example.com');
  assert.deepEqual(ctx.anomalies, []);
});

test('encodeDnsName() measures with a null output exactly what it writes', () => {
  const names = ['a.b.c', 'x.b.c', 'b.c', 'q.r'];
  const measure = new DnsNameCompressor(0);
  const write = new DnsNameCompressor(0);
  const out = new Uint8Array(100);
  let m = 12;
  let w = 12;
  for (const n of names) {
    m = encodeDnsName(n, null, m, measure);
    w = encodeDnsName(n, out, w, write);
  }
  assert.equal(m, w);
});

test('encodeDnsName() writes UTF-8 labels and throws for empty or over-long labels and names', () => {
  const out = new Uint8Array(20);
  const end = encodeDnsName('é.a', out, 0);
  assert.deepEqual(Array.from(out.subarray(0, end)), [2, 0xc3, 0xa9, 1, 0x61, 0]);
  assert.throws(() => encodeDnsName('a..b', null, 0), RangeError);
  assert.throws(() => encodeDnsName('x'.repeat(64), null, 0), RangeError);
  assert.throws(() => encodeDnsName(Array(128).fill('a').join('.'), null, 0), RangeError);
});

test('decodeDnsName() with a cache reads pointed-to names once and gives the same results', () => {
  // 12: a.example ; 23: www -> 14 ; 29: mail -> 23 ; 36: -> 12 ; 38: x\001 -> 14
  const body = [...HEADER, ...label('a'), ...label('example'), 0, ...label('www'), 0xc0, 14, ...label('mail'), 0xc0, 23, 0xc0, 12, 2, 0x78, 0x01, 0xc0, 14];
  const m = place(body);
  const starts = [12, 23, 29, 36, 38, 29, 23].map((o) => m.start + o);
  const plain = starts.map((o) => decodeDnsName(m.bytes, o, m.start, m.end, new CollectingContext()));
  const cache = new DnsNameCache();
  const cached = starts.map((o) => decodeDnsName(m.bytes, o, m.start, m.end, new CollectingContext(), cache));
  assert.deepEqual(cached, plain);
  assert.deepEqual(plain.map((r) => r?.name), ['a.example', 'www.example', 'mail.www.example', 'a.example', 'x\\001.example', 'mail.www.example', 'www.example']);
  assert.equal(cache.get(m.start + 14), 'example');
});

test('decodeDnsName() reports a name made too long by a cached suffix', () => {
  const first = [...label('x'.repeat(63)), ...label('x'.repeat(63)), ...label('x'.repeat(63)), 0];
  const m = place([...HEADER, ...first, ...label('y'.repeat(62)), 0xc0, 12]);
  const cache = new DnsNameCache();
  decodeDnsName(m.bytes, m.start + 12, m.start, m.end, new CollectingContext(), cache);
  const ctx = new CollectingContext(m.start);
  const at = m.start + 12 + first.length;
  assert.deepEqual(decodeDnsName(m.bytes, at, m.start, m.end, ctx, cache), { name: DNS_NAME_TOO_LONG_TEXT, end: at + 65 });
  assert.deepEqual(kinds(ctx), ['dns_name_too_long']);
});

test('decodeDnsName() shows a name that is too long and then loops as a loop, as tshark does', () => {
  const x63 = label('x'.repeat(63));
  const m = place([...HEADER, ...x63, ...x63, ...x63, ...x63, ...x63, 0xc0, 12, 0, 1, 0, 1]);
  const ctx = new CollectingContext(m.start);
  assert.deepEqual(decodeDnsName(m.bytes, m.start + 12, m.start, m.end, ctx), { name: DNS_NAME_LOOP_TEXT, end: m.start + 12 + 322 });
  assert.deepEqual(kinds(ctx), ['dns_pointer_loop']);
});

test('decodeDnsName() keeps a short cached name short after a too-long name pointed to it', () => {
  const x63 = label('x'.repeat(63));
  // 12: a.example ; 23: five 63-byte labels -> 12 ; then www -> 12
  const tooLongAt = 23;
  const body = [...HEADER, ...label('a'), ...label('example'), 0, ...x63, ...x63, ...x63, ...x63, ...x63, 0xc0, 12];
  const wwwAt = body.length;
  body.push(...label('www'), 0xc0, 12);
  const m = place(body);
  const cache = new DnsNameCache();
  const read = (o: number) => decodeDnsName(m.bytes, m.start + o, m.start, m.end, new CollectingContext(), cache)?.name;
  assert.equal(read(12), 'a.example');
  assert.equal(read(tooLongAt), DNS_NAME_TOO_LONG_TEXT);
  assert.equal(read(wwwAt), 'www.a.example');
  assert.equal(read(tooLongAt), DNS_NAME_TOO_LONG_TEXT);
});

test('decodeDnsName() gives the same names with and without a cache on damaged messages (seed 3)', () => {
  const v = everyRecordTypeResponse(0, true);
  const base = new Uint8Array(encodeDnsMessage(v, null, 0, { compress: true }));
  encodeDnsMessage(v, base, 0, { compress: true });
  let seed = 3;
  const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let round = 0; round < 150; round++) {
    const m = base.slice();
    for (let f = 0; f < 3; f++) m[Math.floor(random() * m.length)] = random() < 0.5 ? 0xc0 | Math.floor(random() * 2) : Math.floor(random() * 256);
    const cache = new DnsNameCache();
    for (let o = 12; o < m.length; o++) {
      const fresh = decodeDnsName(m, o, 0, m.length, new CollectingContext());
      assert.deepEqual(decodeDnsName(m, o, 0, m.length, new CollectingContext(), cache), fresh, `round ${round} offset ${o}`);
    }
  }
});
