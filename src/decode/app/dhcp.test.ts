import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4, parseMac } from '../../core/bytes.js';
import { CollectingContext } from '../context.js';
import { assertRoundTrip, seededRandom } from '../net/test-codec-conformance.js';
import { ReportedEndCollectingContext } from '../net/reported-end.js';
import { buildPacket } from '../net/packet-builder.js';
import { makeIpv4, makeUdp } from '../net/make-layer.js';
import { HAVE_TSHARK, tsharkFields } from '../link/test-codec-kit.js';
import { LINKTYPE_ETHERNET } from '../../core/link-type.js';
import { DHCP_ANOMALIES, MAX_DHCP_OPTIONS, decodeDhcp, dhcpCodec, type DhcpLayer } from './dhcp.js';
import { DHCP_MAGIC_COOKIE, DHCP_MESSAGE_TYPE, DHCP_OPTION } from './dhcp-constants.js';
import { encodeDhcpMessage, makeDhcp, type DhcpInit } from './dhcp-message.js';

const CLIENT_MAC = parseMac('68:c6:3a:42:83:f6');

/** A Request with every option the decoder names, and options in the overloaded sname and file fields. */
const EVERY_OPTION: DhcpInit = {
  messageType: DHCP_MESSAGE_TYPE.REQUEST,
  chaddr: CLIENT_MAC,
  xid: 0x391675c3,
  secs: 3,
  flags: 0x8000,
  hops: 1,
  giaddr: parseIpv4('10.0.0.1'),
  clientId: '0168c63a4283f6',
  requestedIp: parseIpv4('192.168.1.23'),
  serverId: parseIpv4('192.168.1.1'),
  leaseTime: 43_200,
  hostName: 'ESP_E67CDE',
  vendorClass: 'udhcp 1.22.1',
  domainName: 'lan',
  parameterList: [1, 3, 6, 12, 15, 28, 42],
  options: [{ code: DHCP_OPTION.MAX_MESSAGE_SIZE, data: '0240' }, { code: 81, data: '000000' }],
  snameOptions: [{ code: 43, data: '0102' }],
  fileOptions: [{ code: 119, data: '036c616e00' }],
  paddingLength: 17,
};

function messageOf(layer: DhcpLayer): Uint8Array {
  const out = new Uint8Array(dhcpCodec.encodingLength(layer));
  dhcpCodec.encode(layer, out, 0);
  return out;
}

function decode(bytes: Uint8Array, end = bytes.length, ctx = new CollectingContext()): DhcpLayer | null {
  return decodeDhcp(bytes, 0, end, ctx);
}

test('dhcpCodec round-trips a message with every named option, overloaded fields and padding at an offset inside a larger buffer', () => {
  const layer = makeDhcp(EVERY_OPTION);
  assertRoundTrip(dhcpCodec, layer);
  assert.equal(layer.messageType, DHCP_MESSAGE_TYPE.REQUEST);
  assert.equal(layer.chaddr, CLIENT_MAC);
  assert.equal(layer.hostName, 'ESP_E67CDE');
  assert.equal(layer.vendorClass, 'udhcp 1.22.1');
  assert.equal(layer.domainName, 'lan');
  assert.equal(layer.requestedIp, parseIpv4('192.168.1.23'));
  assert.equal(layer.serverId, parseIpv4('192.168.1.1'));
  assert.equal(layer.leaseTime, 43_200);
  assert.equal(layer.clientId, '0168c63a4283f6');
  assert.deepEqual(layer.parameterList, [1, 3, 6, 12, 15, 28, 42]);
  assert.equal(layer.overload, 3);
  assert.equal(layer.magicCookie, DHCP_MAGIC_COOKIE);
  assert.equal(layer.paddingLength, 17);
  assert.deepEqual(
    layer.options.map((o) => `${o.area}:${o.code}`),
    ['options:53', 'options:61', 'options:50', 'options:54', 'options:51', 'options:12', 'options:60', 'options:15', 'options:55', 'options:52', 'sname:43', 'file:119', 'options:57', 'options:81'],
    'overloaded options where option 52 stands, sname before file, as tshark lists them',
  );
});

test('dhcpCodec round-trips a BOOTP message without the magic cookie and a non-Ethernet hardware address', () => {
  const dhcp = makeDhcp({ chaddr: '0011223344556677', htype: 6, sname: 'tftp.example', file: 'boot/pxelinux.0' });
  const bytes = messageOf(dhcp).slice(0, 236);
  const bootp = new Uint8Array(300);
  bootp.set(bytes);
  bootp.set([1, 2, 3, 4], 236);
  const ctx = new CollectingContext();
  const layer = decode(bootp, bootp.length, ctx)!;
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dhcp_bad_magic_cookie']);
  assert.equal(layer.magicCookie, 0x01020304);
  assert.equal(layer.vendorData.length, 64 * 2);
  assert.deepEqual(layer.options, []);
  assert.equal(layer.chaddr, '0011223344556677');
  assert.equal(layer.sname, 'tftp.example');
  assert.equal(layer.file, 'boot/pxelinux.0');
  assert.deepEqual(messageOf(layer), bootp, 'encode writes the vendor area back as it was');
});

test('decodeDhcp() reads text options as tshark shows them: up to the first NUL, bytes above 0x7f as U+FFFD, control bytes kept', () => {
  const cases: [number[], string][] = [
    [[0x68, 0x6f, 0x73, 0x74, 0x00], 'host'],
    [[0x68, 0x6f, 0x00, 0x73, 0x74], 'ho'],
    [[0x61, 0x01, 0x62, 0x80, 0x63], 'a\u0001b\uFFFDc'],
    [[0xc3, 0xa9, 0x1b, 0x7f], '\uFFFD\uFFFD\u001b\u007f'],
    [[], ''],
  ];
  for (const [raw, shown] of cases) {
    const layer = makeDhcp({ chaddr: CLIENT_MAC, messageType: 1, options: [{ code: 12, data: Uint8Array.from(raw) }, { code: 60, data: Uint8Array.from(raw) }] });
    assert.equal(layer.hostName, shown, JSON.stringify(raw));
    assert.equal(layer.vendorClass, shown, JSON.stringify(raw));
  }
});

test('decodeDhcp() keeps the first of a repeated option in the named field and every copy in options', () => {
  const layer = makeDhcp({ chaddr: CLIENT_MAC, hostName: 'one', options: [{ code: 12, data: '74776f' }] });
  assert.equal(layer.hostName, 'one');
  assert.deepEqual(layer.options.filter((o) => o.code === 12).map((o) => o.data), ['6f6e65', '74776f']);
});

test('decodeDhcp() reports options of the wrong length and keeps them raw', () => {
  const ctx = new CollectingContext();
  const bytes = encodeDhcpMessage({ chaddr: CLIENT_MAC, options: [{ code: 53, data: '0101' }, { code: 50, data: 'c0a801' }, { code: 52, data: '07' }] });
  const layer = decode(bytes, bytes.length, ctx)!;
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dhcp_bad_option_length', 'dhcp_bad_option_length', 'dhcp_bad_overload']);
  assert.equal(layer.messageType, null);
  assert.equal(layer.requestedIp, null);
  assert.equal(layer.overload, 0);
  assert.equal(layer.options.length, 3);
});

test('decodeDhcp() reports a missing End option, in the options field and in an overloaded field', () => {
  const bytes = encodeDhcpMessage({ chaddr: CLIENT_MAC, messageType: 1, snameOptions: [{ code: 12, data: '736e6d' }] });
  bytes.fill(0, 44, 108); // the sname field: only Pad options, no End
  const ctx = new CollectingContext();
  const layer = decode(bytes.subarray(0, bytes.length - 1), bytes.length - 1, ctx)!;
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dhcp_end_missing', 'dhcp_end_missing']);
  assert.equal(layer.overload, 2);
  assert.equal(layer.sname, '');
});

test('decodeDhcp() tells a message cut by the snap length from one that is short, and keeps what it read', () => {
  const bytes = encodeDhcpMessage(EVERY_OPTION);
  const hostAt = 240 + 3 + 9 + 6 + 6 + 6;
  const cut = hostAt + 5;
  const short = new CollectingContext();
  const a = decode(bytes, cut, short)!;
  assert.deepEqual(short.anomalies.map((x) => x.kind), ['dhcp_truncated']);
  assert.equal(a.hostName, null, 'a cut option gives no named field');
  assert.deepEqual(a.options.at(-1), { code: 12, length: 10, data: '455350', area: 'options' });
  const snapped = new ReportedEndCollectingContext(0, bytes.length);
  decodeDhcp(bytes, 0, cut, snapped);
  assert.deepEqual(snapped.anomalies.map((x) => x.kind), ['dhcp_snapped']);
  assert.equal(decode(bytes, 235), null);
});

test('decodeDhcp() never throws on a message cut at every byte, and reports every cut', () => {
  const bytes = encodeDhcpMessage({ ...EVERY_OPTION, paddingLength: 0 });
  for (let cut = 0; cut < bytes.length; cut++) {
    const ctx = new CollectingContext();
    const layer = decode(bytes, cut, ctx);
    assert.ok(ctx.anomalies.length > 0, `cut at ${cut} reported nothing`);
    assert.equal(layer === null, cut < 236, `cut at ${cut}`);
    for (const a of ctx.anomalies) assert.ok(a.kind in DHCP_ANOMALIES, a.kind);
  }
});

test('decodeDhcp() never throws on messages with random bytes changed (seed 4), and every anomaly is documented', () => {
  const random = seededRandom(4);
  const base = encodeDhcpMessage(EVERY_OPTION);
  const seen = new Set<string>();
  for (let round = 0; round < 5000; round++) {
    const copy = base.slice();
    const changes = 1 + Math.floor(random() * 6);
    for (let c = 0; c < changes; c++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    const ctx = new CollectingContext();
    const end = random() < 0.2 ? Math.floor(random() * (copy.length + 1)) : copy.length;
    const layer = decode(copy, end, ctx);
    if (layer !== null) assert.ok(layer.options.length <= MAX_DHCP_OPTIONS);
    for (const a of ctx.anomalies) {
      assert.ok(a.kind in DHCP_ANOMALIES, `undocumented ${a.kind}`);
      seen.add(a.kind);
    }
  }
  assert.ok(seen.size >= 5, `only ${[...seen].join(', ')}`);
});

test('decodeDhcp() stops at MAX_DHCP_OPTIONS options', () => {
  const many = Array.from({ length: MAX_DHCP_OPTIONS + 5 }, () => ({ code: 224, data: '' }));
  const ctx = new CollectingContext();
  const layer = decode(encodeDhcpMessage({ chaddr: CLIENT_MAC, options: many }), undefined, ctx)!;
  assert.equal(layer.options.length, MAX_DHCP_OPTIONS);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dhcp_too_many_options']);
});

test('encodeDhcp() throws when the options of an overloaded field do not fit it', () => {
  const layer = makeDhcp({ chaddr: CLIENT_MAC, snameOptions: [{ code: 12, data: '61' }] });
  const big = { ...layer, options: layer.options.map((o) => (o.area === 'sname' ? { ...o, length: 70, data: '61'.repeat(70) } : o)) };
  assert.throws(() => messageOf(big), RangeError);
});

test('decodeDhcp() agrees with tshark on host names and vendor classes with odd bytes', { skip: !HAVE_TSHARK }, () => {
  const names = [[0x68, 0x6f, 0x73, 0x74, 0x00], [0x68, 0x6f, 0x00, 0x73, 0x74], [0x61, 0x01, 0x62, 0x80, 0x63], [0xc3, 0xa9, 0x1b, 0x7f, 0x5c, 0x22], [0xe2, 0x80, 0x8b, 0x7a]];
  const eth = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x68, 0xc6, 0x3a, 0x42, 0x83, 0xf6, 0x08, 0x00]);
  const layers = names.map((raw) => makeDhcp({ chaddr: CLIENT_MAC, messageType: 1, options: [{ code: 12, data: Uint8Array.from(raw) }, { code: 60, data: Uint8Array.from(raw.slice().reverse()) }] }));
  const frames = layers.map((l) => {
    const ip = buildPacket([makeIpv4({ src: 0, dst: 0xffffffff }), makeUdp({ srcPort: 68, dstPort: 67 })], messageOf(l));
    const frame = new Uint8Array(eth.length + ip.length);
    frame.set(eth);
    frame.set(ip, eth.length);
    return frame;
  });
  const rows = tsharkFields(LINKTYPE_ETHERNET, frames, ['dhcp.option.hostname', 'dhcp.option.vendor_class_id']);
  assert.deepEqual(rows, layers.map((l) => [l.hostName, l.vendorClass]));
});
