import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResponseHeader, encodeQuery, outcomeOf, reverseName, withLengthPrefix } from './dns-wire.js';

test('encodeQuery() writes the header, the labels, the type and class IN', () => {
  const bytes = encodeQuery(0x1234, { name: 'a.bc', type: 'HTTPS', outcome: 'answer' });
  assert.equal(bytes.toString('hex'), '1234' + '0100' + '0001' + '0000' + '0000' + '0000' + '0161' + '026263' + '00' + '0041' + '0001');
});

test('encodeQuery() puts the reverse name of the address in a PTR question', () => {
  const bytes = encodeQuery(1, { name: '127.77.1.10', type: 'PTR', outcome: 'answer' });
  assert.ok(bytes.includes(Buffer.from('\x0210\x011\x0277\x03127\x07in-addr\x04arpa\x00', 'latin1')));
});

test('encodeQuery() rejects a label longer than 63 bytes', () => {
  assert.throws(() => encodeQuery(1, { name: `${'x'.repeat(64)}.com`, type: 'A', outcome: 'answer' }), /label longer than 63/);
});

test('reverseName() spells IPv4 octets and IPv6 nibbles in reverse', () => {
  assert.equal(reverseName('127.77.1.10'), '10.1.77.127.in-addr.arpa');
  assert.equal(reverseName('fd77::10'), `0.1.${'0.'.repeat(26)}7.7.d.f.ip6.arpa`);
  assert.equal(reverseName('::1'), `1.${'0.'.repeat(31)}ip6.arpa`);
  assert.throws(() => reverseName('ring.com'), /not an IP address/);
});

test('withLengthPrefix() prepends the message length as 2 big-endian bytes', () => {
  assert.equal(withLengthPrefix(Buffer.alloc(300)).readUInt16BE(0), 300);
  assert.equal(withLengthPrefix(Buffer.alloc(300)).length, 302);
});

test('outcomeOf() reads NXDOMAIN, an answer and an empty NOERROR from a response header', () => {
  const response = (flags: number, answers: number): Buffer => Buffer.from([0xab, 0xcd, flags >> 8, flags & 0xff, 0, 1, 0, answers, 0, 0, 0, 0]);
  assert.deepEqual(decodeResponseHeader(response(0x8183, 0)), { id: 0xabcd, rcode: 3, answerCount: 0 });
  assert.equal(outcomeOf(decodeResponseHeader(response(0x8183, 0))), 'nxdomain');
  assert.equal(outcomeOf(decodeResponseHeader(response(0x8180, 2))), 'answer');
  assert.equal(outcomeOf(decodeResponseHeader(response(0x8180, 0))), 'nodata');
  assert.equal(outcomeOf(decodeResponseHeader(response(0x8185, 0))), null);
  assert.throws(() => decodeResponseHeader(Buffer.alloc(11)), /shorter than its header/);
});
