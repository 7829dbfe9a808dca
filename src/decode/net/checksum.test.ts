import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checksumIsValid,
  fillChecksum,
  fillIpv4HeaderChecksum,
  finishChecksum,
  internetChecksum,
  ipv4PseudoHeaderSum,
  ipv6PseudoHeaderSum,
  sumWords,
  TCP_CHECKSUM_OFFSET,
} from './checksum.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

/** A SmartThings hub's SYN (frame 25 of iot-smartthings-hub-nsec.pcap): IPv4 checksum 0xf7ad, TCP 0x59af. */
const HUB_SYN = hex(`4500 003c 0f7e 4000 4006 f7ad c0a801df 12ef5e1a
  a3d8 01bb cc164174 00000000 a002 7210 59af 0000 020405b4 0402 080affff959300000000 01 030305`);
/** The hub's neighbour solicitation (frame 3): IPv6 header and ICMPv6, checksum 0x7cbe. */
const HUB_NS = hex(`6000 0000 0018 3aff 00000000000000000000000000000000 ff0200000000000000000001ff132704
  8700 7cbe 00000000 fe800000000000006a3a48fffe132704`);

test('internetChecksum() gives the RFC 1071 example sum and pads an odd last byte', () => {
  const bytes = hex('0001 f203 f4f5 f6f7');
  assert.equal(sumWords(bytes, 0, bytes.length), 0x2ddf0);
  assert.equal(internetChecksum(bytes, 0, bytes.length), ~0xddf2 & 0xffff);
  assert.equal(internetChecksum(hex('0102 03'), 0, 3), ~(0x0102 + 0x0300) & 0xffff);
  assert.equal(finishChecksum(0x1_fffe), 0);
});

test('fillIpv4HeaderChecksum() reproduces the checksum of a captured IPv4 header', () => {
  const bytes = HUB_SYN.slice();
  bytes[10] = 0x12;
  bytes[11] = 0x34;
  assert.equal(fillIpv4HeaderChecksum(bytes, 0), 0xf7ad);
  assert.deepEqual(bytes, HUB_SYN);
  assert.ok(checksumIsValid(HUB_SYN, 0, 20));
});

test('fillChecksum() with the IPv4 pseudo-header reproduces a captured TCP checksum', () => {
  const bytes = HUB_SYN.slice();
  const pseudo = ipv4PseudoHeaderSum(bytes, 0, 6, bytes.length - 20);
  assert.equal(fillChecksum(bytes, 20, bytes.length, 20 + TCP_CHECKSUM_OFFSET, pseudo), 0x59af);
  assert.ok(checksumIsValid(HUB_SYN, 20, HUB_SYN.length, pseudo));
  const broken = HUB_SYN.slice();
  broken[30] ^= 1;
  assert.equal(checksumIsValid(broken, 20, broken.length, pseudo), false);
});

test('fillChecksum() with the IPv6 pseudo-header reproduces a captured ICMPv6 checksum', () => {
  const bytes = HUB_NS.slice();
  const pseudo = ipv6PseudoHeaderSum(bytes, 0, 58, bytes.length - 40);
  assert.equal(fillChecksum(bytes, 40, bytes.length, 42, pseudo), 0x7cbe);
});

test('fillChecksum() writes a computed 0 as 0xffff when asked, as UDP requires', () => {
  const bytes = hex('ffff 0000');
  assert.equal(fillChecksum(bytes, 0, 4, 2, 0, false), 0);
  assert.equal(fillChecksum(bytes, 0, 4, 2, 0, true), 0xffff);
  assert.deepEqual([...bytes], [0xff, 0xff, 0xff, 0xff]);
});
