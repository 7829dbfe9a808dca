import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { formatIpv4, formatMac, parseIpv4, parseMac } from '../../core/bytes.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip } from './test-codec-conformance.js';
import { ARP_ANOMALIES, arpCodec, type ArpLayer } from './arp.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

/** A D-Link camera asking for its gateway (frame 9 of iot-sentinel-dlink-cam-setup.pcap), ARP only. */
const CAMERA_REQUEST = hex('0001 0800 06 04 0001 b0c554255b0e c0a80014 000000000000 c0a80001');

function arp(fields: Partial<ArpLayer>): ArpLayer {
  return {
    kind: 'arp',
    offset: 0,
    headerLength: 0,
    payloadLength: 0,
    hardwareType: 1,
    protocolType: 0x0800,
    hlen: 6,
    plen: 4,
    operation: 2,
    senderMac: parseMac('00:11:22:33:44:55'),
    senderIp: parseIpv4('192.168.1.1'),
    targetMac: parseMac('ff:ee:dd:cc:bb:aa'),
    targetIp: parseIpv4('255.255.255.255'),
    ...fields,
  };
}

test('decodeArp() reads an Ethernet/IPv4 request as tshark shows it', () => {
  const ctx = new CollectingContext();
  const layer = arpCodec.decode(CAMERA_REQUEST, 0, CAMERA_REQUEST.length, ctx)!;
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual([layer.headerLength, layer.payloadLength, layer.operation], [28, 0, 1]);
  assert.equal(formatMac(layer.senderMac as number), 'b0:c5:54:25:5b:0e');
  assert.equal(formatIpv4(layer.senderIp as number), '192.168.0.20');
  assert.equal(formatMac(layer.targetMac as number), '00:00:00:00:00:00');
  assert.equal(formatIpv4(layer.targetIp as number), '192.168.0.1');
});

test('decodeArp() ignores Ethernet padding after the addresses', () => {
  const padded = new Uint8Array(46);
  padded.set(CAMERA_REQUEST);
  assert.equal(arpCodec.decode(padded, 0, padded.length, new CollectingContext())?.headerLength, 28);
});

test('arpCodec round-trips Ethernet/IPv4 ARP and other address sizes as hex at an offset', () => {
  assertRoundTrip(arpCodec, arp({}));
  assertRoundTrip(arpCodec, arp({ hardwareType: 6, protocolType: 0x86dd, hlen: 8, plen: 16, senderMac: '0011223344556677', targetMac: 'ffffffffffffffff', senderIp: 'fe80' + '00'.repeat(14), targetIp: '20010db8' + '00'.repeat(11) + '01' }));
  assertRoundTrip(arpCodec, arp({ hardwareType: 32, hlen: 0, senderMac: '', targetMac: '' }));
});

test('decodeArp() reports Ethernet hardware with an address length other than 6', () => {
  const bytes = new Uint8Array(8 + 2 * 8 + 2 * 4);
  arpCodec.encode(arp({ hlen: 8, senderMac: '00'.repeat(8), targetMac: '11'.repeat(8) }), bytes, 0);
  const ctx = new CollectingContext();
  assert.equal(arpCodec.decode(bytes, 0, bytes.length, ctx)?.senderMac, '0000000000000000');
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['arp_bad_address_length', 4]]);
});

test('encodeArp() throws for an address that does not match its length (a caller bug)', () => {
  assert.throws(() => arpCodec.encode(arp({ senderMac: 'abc' }), new Uint8Array(28), 0), RangeError);
  assert.throws(() => arpCodec.encode(arp({ hlen: 8 }), new Uint8Array(40), 0), RangeError);
});

test('decodeArp() reports a header cut at every length and returns null', () => {
  assertCutsGiveNull(arpCodec, CAMERA_REQUEST, 'arp');
});

test('decodeArp() never throws on random bytes', () => {
  assertJunkNeverThrows(arpCodec, ARP_ANOMALIES);
  assertJunkNeverThrows(arpCodec, ARP_ANOMALIES, { seed: 5, prefix: [0, 1, 8, 0, 6, 4] });
});
