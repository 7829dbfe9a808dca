import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { assertRoundTrip, seededRandom } from '../net/test-codec-conformance.js';
import { ReportedEndCollectingContext } from '../net/reported-end.js';
import { MAX_SSDP_HEADERS, MAX_SSDP_LINE_BYTES, SSDP_ANOMALIES, decodeSsdp, makeSsdp, ssdpCodec, type SsdpLayer } from './ssdp.js';

const utf8 = new TextEncoder();

const NOTIFY = [
  'NOTIFY * HTTP/1.1',
  'HOST: 239.255.255.250:1900',
  'CACHE-CONTROL: max-age=86400',
  'LOCATION: http://10.10.10.252:49153/setup.xml',
  'OPT: "http://schemas.upnp.org/upnp/1/0/"; ns=01',
  'NT: urn:Belkin:device:controllee:1',
  'NTS: ssdp:alive',
  'SERVER: Unspecified, UPnP/1.0, Unspecified',
  'X-User-Agent: redsonic',
  'USN: uuid:Socket-1_0-221519K1100F55::urn:Belkin:device:controllee:1',
  '',
  '',
].join('\r\n');

const M_SEARCH = ['M-SEARCH * HTTP/1.1', 'ST: ssdp:all', 'MX: 1', 'MAN: "ssdp:discover"', 'HOST: 239.255.255.250:1900', 'user-agent: Android/13 UPnP/1.1 Smart Home/2.0', '', ''].join('\r\n');

const OK = [
  'HTTP/1.1 200 OK',
  'CACHE-CONTROL: max-age=1800',
  'EXT:',
  'Location:http://192.168.1.40:1400/xml/device_description.xml',
  'Server: Linux UPnP/1.0 Sonos/70.3-35220 (ZPS1)',
  'ST: urn:schemas-upnp-org:device:ZonePlayer:1',
  'USN: uuid:RINCON_000E58A1B2C301400::urn:schemas-upnp-org:device:ZonePlayer:1',
  '',
  '',
].join('\r\n');

/** `text` as UTF-8 at `at` inside a larger buffer; decodes it with a context whose base is `at`. */
function decodeText(text: string, cut?: number): { layer: SsdpLayer | null; kinds: string[] } {
  const bytes = utf8.encode(text);
  const at = 11;
  const buf = new Uint8Array(at + bytes.length + 7).fill(0x0a);
  buf.set(bytes, at);
  const ctx = new CollectingContext(at);
  const layer = decodeSsdp(buf, at, at + (cut ?? bytes.length), ctx);
  return { layer, kinds: ctx.anomalies.map((a) => a.kind) };
}

test('decodeSsdp() reads a NOTIFY: the start line, the named headers and every header in order', () => {
  const { layer, kinds } = decodeText(NOTIFY);
  assert.deepEqual(kinds, []);
  assert.equal(layer?.method, 'NOTIFY');
  assert.equal(layer.uri, '*');
  assert.equal(layer.version, 'HTTP/1.1');
  assert.equal(layer.statusCode, null);
  assert.equal(layer.server, 'Unspecified, UPnP/1.0, Unspecified');
  assert.equal(layer.location, 'http://10.10.10.252:49153/setup.xml');
  assert.equal(layer.nt, 'urn:Belkin:device:controllee:1');
  assert.equal(layer.nts, 'ssdp:alive');
  assert.equal(layer.usn, 'uuid:Socket-1_0-221519K1100F55::urn:Belkin:device:controllee:1');
  assert.equal(layer.userAgent, null, 'X-User-Agent is not USER-AGENT');
  assert.equal(layer.headers.length, 9);
  assert.deepEqual(layer.headers[3], { name: 'OPT', value: '"http://schemas.upnp.org/upnp/1/0/"; ns=01' });
  assert.equal(layer.headerLength, utf8.encode(NOTIFY).length);
  assert.equal(layer.payloadLength, 0);
  assert.equal(layer.offset, 0);
});

test('decodeSsdp() reads an M-SEARCH and matches header names whatever their case', () => {
  const { layer, kinds } = decodeText(M_SEARCH);
  assert.deepEqual(kinds, []);
  assert.equal(layer?.method, 'M-SEARCH');
  assert.equal(layer.st, 'ssdp:all');
  assert.equal(layer.userAgent, 'Android/13 UPnP/1.1 Smart Home/2.0');
  assert.deepEqual(layer.headers.map((h) => h.name), ['ST', 'MX', 'MAN', 'HOST', 'user-agent']);
});

test('decodeSsdp() reads a 200 OK response: code, reason, headers without a space after the colon, empty values', () => {
  const { layer, kinds } = decodeText(OK);
  assert.deepEqual(kinds, []);
  assert.equal(layer?.method, null);
  assert.equal(layer.statusCode, 200);
  assert.equal(layer.reason, 'OK');
  assert.equal(layer.location, 'http://192.168.1.40:1400/xml/device_description.xml');
  assert.equal(layer.server, 'Linux UPnP/1.0 Sonos/70.3-35220 (ZPS1)');
  assert.equal(layer.st, 'urn:schemas-upnp-org:device:ZonePlayer:1');
  assert.deepEqual(layer.headers[1], { name: 'EXT', value: '' });
});

test('decodeSsdp() accepts bare LF line ends and keeps a body as payload', () => {
  const { layer, kinds } = decodeText('NOTIFY * HTTP/1.1\nNT: a\nContent-Length: 4\n\nbody');
  assert.deepEqual(kinds, []);
  assert.equal(layer?.nt, 'a');
  assert.equal(layer.headerLength, 'NOTIFY * HTTP/1.1\nNT: a\nContent-Length: 4\n\n'.length);
  assert.equal(layer.payloadLength, 4);
});

test('decodeSsdp() keeps untrusted text as it came, control characters and UTF-8 included', () => {
  const { layer } = decodeText('NOTIFY * HTTP/1.1\r\nSERVER: K\u00fcche\u001b[31m =1+1\r\nLOCATION: \u0000x\r\n\r\n');
  assert.equal(layer?.server, 'K\u00fcche\u001b[31m =1+1');
  assert.equal(layer.location, '\u0000x');
  const bad = new Uint8Array([...utf8.encode('NOTIFY * HTTP/1.1\r\nSERVER: a'), 0xff, ...utf8.encode('b\r\n\r\n')]);
  const ctx = new CollectingContext();
  assert.equal(decodeSsdp(bad, 0, bad.length, ctx)?.server, 'a\uFFFDb');
});

test('decodeSsdp() rejects a payload that does not start with an HTTP start line', () => {
  for (const text of ['', 'hello', 'NOTIFY *', 'NOTIFY * HTTP/x', 'HTTP/1.1 2000 OK', '\u0001\u0002\u0003 * HTTP/1.1\r\n\r\n']) {
    const { layer, kinds } = decodeText(text);
    assert.equal(layer, null, JSON.stringify(text));
    assert.deepEqual(kinds, ['ssdp_bad_start_line']);
  }
});

test('decodeSsdp() skips and reports header lines without a colon or with a folded name', () => {
  const { layer, kinds } = decodeText('NOTIFY * HTTP/1.1\r\nNT: a\r\nno colon here\r\n : x\r\n folded: y\r\nUSN: b\r\n\r\n');
  assert.deepEqual(kinds, ['ssdp_bad_header_line', 'ssdp_bad_header_line', 'ssdp_bad_header_line']);
  assert.deepEqual(layer?.headers.map((h) => h.name), ['NT', 'USN']);
});

test('decodeSsdp() bounds the headers it keeps and the length of a line', () => {
  const many = ['NOTIFY * HTTP/1.1', ...Array.from({ length: MAX_SSDP_HEADERS + 10 }, (_, i) => `X-${i}: ${i}`), '', ''].join('\r\n');
  const a = decodeText(many);
  assert.equal(a.layer?.headers.length, MAX_SSDP_HEADERS);
  assert.deepEqual(a.kinds, ['ssdp_too_many_headers']);
  const long = decodeText(`NOTIFY * HTTP/1.1\r\nSERVER: ${'x'.repeat(MAX_SSDP_LINE_BYTES * 2)}\r\nNT: after\r\n\r\n`);
  assert.deepEqual(long.kinds, ['ssdp_line_too_long']);
  assert.equal(long.layer?.server?.length, MAX_SSDP_LINE_BYTES - 'SERVER: '.length);
  assert.equal(long.layer.nt, 'after', 'reading goes on after the long line');
});

test('decodeSsdp() tells a message cut by the snap length from one that ends early, and keeps the headers read', () => {
  const cut = NOTIFY.indexOf('SERVER');
  const short = decodeText(NOTIFY, cut);
  assert.deepEqual(short.kinds, ['ssdp_truncated']);
  assert.equal(short.layer?.nts, 'ssdp:alive');
  assert.equal(short.layer.server, null);
  const bytes = utf8.encode(NOTIFY);
  const ctx = new ReportedEndCollectingContext(0, bytes.length);
  decodeSsdp(bytes, 0, cut, ctx);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['ssdp_snapped']);
});

test('ssdpCodec round-trips requests and responses at an offset inside a larger buffer, with a body after them', () => {
  for (const text of [NOTIFY, M_SEARCH, OK]) {
    const { layer } = decodeText(text);
    const again = makeSsdp({
      method: layer!.method ?? undefined,
      uri: layer!.uri ?? undefined,
      statusCode: layer!.statusCode ?? undefined,
      reason: layer!.reason ?? undefined,
      headers: layer!.headers.map((h) => [h.name, h.value] as const),
    });
    assertRoundTrip(ssdpCodec, again, utf8.encode('{"a":1}'));
    assert.equal(again.server, layer!.server);
    assert.equal(again.usn, layer!.usn);
  }
});

test('decodeSsdp() never throws on a message cut at every byte or with random bytes changed (seed 9)', () => {
  const base = utf8.encode(NOTIFY);
  for (let cut = 0; cut < base.length; cut++) {
    const ctx = new CollectingContext();
    decodeSsdp(base, 0, cut, ctx);
    assert.ok(ctx.anomalies.length > 0, `cut at ${cut} reported nothing`);
  }
  const random = seededRandom(9);
  for (let round = 0; round < 3000; round++) {
    const copy = base.slice();
    const changes = 1 + Math.floor(random() * 6);
    for (let c = 0; c < changes; c++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    const ctx = new CollectingContext();
    const layer = decodeSsdp(copy, 0, random() < 0.2 ? Math.floor(random() * copy.length) : copy.length, ctx);
    if (layer !== null) assert.ok(layer.headers.length <= MAX_SSDP_HEADERS);
    for (const a of ctx.anomalies) assert.ok(a.kind in SSDP_ANOMALIES, `undocumented ${a.kind}`);
  }
});
