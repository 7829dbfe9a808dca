import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IpReassembly, type FragmentKey } from './ip-reassembly.js';

const KEY: FragmentKey = { version: 4, src: 0x0a000001, dst: 0x0a000002, protocol: 17, identification: 0x4242 };

/** A datagram payload of `n` bytes, each byte a different value of its position. */
const payload = (n: number, salt = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + salt) & 0xff);

/** Adds `data[from, to)` as the fragment at `from`, inside a larger buffer (as a packet holds it). */
function add(r: IpReassembly, data: Uint8Array, from: number, to: number, more: boolean, key: FragmentKey = KEY): Uint8Array | null {
  const buf = new Uint8Array(34 + (to - from) + 4).fill(0xee);
  buf.set(data.subarray(from, to), 34);
  return r.add(key, from, more, buf, 34, 34 + (to - from));
}

test('IpReassembly completes a datagram whose fragments arrive in order, on the last one', () => {
  const r = new IpReassembly();
  const data = payload(3000);
  assert.equal(add(r, data, 0, 1480, true), null);
  assert.equal(r.pendingCount, 1);
  assert.equal(add(r, data, 1480, 2960, true), null);
  assert.deepEqual(add(r, data, 2960, 3000, false), data);
  assert.equal(r.pendingCount, 0, 'a completed datagram is forgotten');
});

test('IpReassembly completes a datagram whose fragments arrive out of order, on whichever comes last', () => {
  const data = payload(3000);
  for (const order of [
    [2, 1, 0],
    [1, 2, 0],
    [2, 0, 1],
    [0, 2, 1],
  ]) {
    const r = new IpReassembly();
    const parts: [number, number, boolean][] = [
      [0, 1480, true],
      [1480, 2960, true],
      [2960, 3000, false],
    ];
    const results = order.map((i) => add(r, data, ...parts[i]));
    assert.deepEqual(results.slice(0, 2), [null, null], `order ${order}`);
    assert.deepEqual(results[2], data, `order ${order}`);
  }
});

test('IpReassembly keeps the payload bytes after the packet buffer is reused', () => {
  const r = new IpReassembly();
  const data = payload(64);
  const buf = new Uint8Array(64);
  buf.set(data.subarray(0, 32));
  r.add(KEY, 0, true, buf, 0, 32);
  buf.fill(0);
  buf.set(data.subarray(32, 64));
  assert.deepEqual(r.add(KEY, 32, false, buf, 0, 32), data);
});

test('IpReassembly completes a datagram once despite duplicate fragments', () => {
  const r = new IpReassembly();
  const data = payload(2000);
  assert.equal(add(r, data, 0, 1000, true), null);
  assert.equal(add(r, data, 0, 1000, true), null);
  assert.equal(add(r, data, 0, 1000, true), null);
  assert.deepEqual(add(r, data, 1000, 2000, false), data);
  assert.equal(r.pendingCount, 0);
  // The last fragment sent again afterwards starts a new datagram that does not complete.
  assert.equal(add(r, data, 1000, 2000, false), null);
  assert.equal(r.pendingCount, 1);
});

test('IpReassembly holds no more than one datagram of bytes however many duplicates arrive', () => {
  const r = new IpReassembly();
  const data = payload(3000);
  for (let i = 0; i < 10_000; i++) add(r, data, 1480, 2960, true);
  assert.ok(r.pendingBytes <= 65_535, `${r.pendingBytes} bytes held`);
  assert.equal(add(r, data, 0, 1480, true), null);
  assert.deepEqual(add(r, data, 2960, 3000, false), data);
  assert.equal(r.pendingBytes, 0);
});

test('IpReassembly keeps the bytes of the lower-offset fragment where fragments overlap, as tshark does', () => {
  // tshark 4.0 (reassemble.c) copies fragments in offset order, each past what is already there:
  // measured with two overlapping IPv4 fragments of a DNS query, in either arrival order.
  const a = payload(64, 1);
  const b = payload(64, 2);
  const expected = Uint8Array.from([...a.subarray(0, 32), ...b.subarray(32, 64)]);
  let r = new IpReassembly();
  assert.equal(add(r, a, 0, 32, true), null);
  assert.deepEqual(add(r, b, 16, 64, false), expected);
  r = new IpReassembly();
  assert.equal(add(r, b, 16, 64, false), null);
  assert.deepEqual(add(r, a, 0, 32, true), expected);
});

test('IpReassembly keeps the first arrival where two fragments start at the same offset', () => {
  const a = payload(64, 1);
  const b = payload(64, 2);
  const r = new IpReassembly();
  add(r, b, 0, 24, true);
  add(r, a, 0, 32, true);
  const whole = add(r, a, 32, 64, false);
  assert.deepEqual(whole, Uint8Array.from([...b.subarray(0, 24), ...a.subarray(24, 64)]));
});

test('IpReassembly cuts a fragment that runs past the end the last fragment gives', () => {
  const r = new IpReassembly();
  const data = payload(64);
  add(r, data, 0, 48, true);
  assert.deepEqual(add(r, data, 40, 56, false), data.subarray(0, 56));
  // A middle fragment longer than the datagram, after the last one.
  const r2 = new IpReassembly();
  add(r2, data, 40, 56, false);
  assert.deepEqual(add(r2, data, 0, 64, true), data.subarray(0, 56));
});

test('IpReassembly completes a datagram despite a stray fragment past its end, as tshark does', () => {
  const data = payload(96);
  const r = new IpReassembly();
  assert.equal(add(r, data, 0, 32, true), null);
  assert.equal(add(r, data, 64, 72, true), null);
  assert.deepEqual(add(r, data, 32, 54, false), data.subarray(0, 54));
});

test('IpReassembly never completes a datagram whose middle fragment is missing', () => {
  const r = new IpReassembly();
  const data = payload(3000);
  assert.equal(add(r, data, 0, 1000, true), null);
  assert.equal(add(r, data, 2000, 3000, false), null);
  assert.equal(add(r, data, 0, 1000, true), null);
  assert.equal(add(r, data, 1008, 2000, true), null, 'eight bytes still missing');
  assert.equal(r.pendingCount, 1);
  assert.deepEqual(add(r, data, 1000, 1008, true), data);
});

test('IpReassembly keeps datagrams of different keys apart', () => {
  const r = new IpReassembly();
  const a = payload(100, 1);
  const b = payload(100, 2);
  const keys: FragmentKey[] = [
    KEY,
    { ...KEY, identification: 0x4243 },
    { ...KEY, src: 0x0a000003 },
    { ...KEY, protocol: 6 },
    { version: 6, src: '2001:db8::1', dst: '2001:db8::2', protocol: 17, identification: 0x4242 },
  ];
  for (const key of keys) assert.equal(add(r, a, 0, 48, true, key), null);
  assert.equal(r.pendingCount, keys.length);
  assert.deepEqual(add(r, b, 48, 100, false, keys[1]), Uint8Array.from([...a.subarray(0, 48), ...b.subarray(48)]));
  assert.deepEqual(add(r, a, 48, 100, false, keys[4]), a);
  assert.equal(r.pendingCount, keys.length - 2);
});

test('IpReassembly drops the oldest pending datagram when the bound is reached', () => {
  const r = new IpReassembly({ maxDatagrams: 3 });
  const data = payload(100);
  const key = (identification: number): FragmentKey => ({ ...KEY, identification });
  for (const id of [1, 2, 3]) add(r, data, 0, 48, true, key(id));
  assert.equal(r.pendingCount, 3);
  add(r, data, 0, 48, true, key(4));
  assert.equal(r.pendingCount, 3);
  assert.equal(add(r, data, 48, 100, false, key(1)), null, 'datagram 1 was dropped: its first half is gone');
  // Datagram 1's last fragment took a slot in turn and dropped datagram 2; 3 and 4 still complete.
  assert.deepEqual(add(r, data, 48, 100, false, key(3)), data);
  assert.deepEqual(add(r, data, 48, 100, false, key(4)), data);
  assert.equal(add(r, data, 48, 100, false, key(2)), null);
});

test('IpReassembly refuses a datagram longer than 65 535 bytes', () => {
  const r = new IpReassembly();
  const data = payload(65_536);
  assert.equal(add(r, data, 0, 65_528, true), null);
  assert.equal(add(r, data, 65_528, 65_536, false), null);
  assert.equal(r.pendingCount, 0, 'the whole datagram is dropped');
  assert.equal(add(r, data, 0, 65_528, true), null);
  assert.deepEqual(add(r, data, 65_528, 65_535, false), data.subarray(0, 65_535), 'exactly 65 535 bytes is fine');
});

test('IpReassembly drops a datagram whose overlapping fragments hold more than twice its greatest length', () => {
  const r = new IpReassembly();
  const data = payload(4000);
  // Fragments shifted by 8 bytes: none holds another, so each is kept until the bound.
  let added = 0;
  do {
    add(r, data, added * 8, added * 8 + 1480, true);
    added++;
  } while (r.pendingCount === 1);
  assert.equal(added, Math.floor((2 * 65_535) / 1480) + 1, 'dropped by the fragment that passes the bound');
  assert.equal(r.pendingCount, 0);
  assert.equal(r.pendingBytes, 0);
});

test('IpReassembly counts the bytes it holds and gives them back as datagrams complete or go', () => {
  const r = new IpReassembly({ maxDatagrams: 2 });
  const data = payload(1000);
  add(r, data, 0, 400, true, { ...KEY, identification: 1 });
  add(r, data, 0, 300, true, { ...KEY, identification: 2 });
  assert.equal(r.pendingBytes, 700);
  add(r, data, 100, 500, true, { ...KEY, identification: 2 });
  assert.equal(r.pendingBytes, 1100, 'an overlapping fragment is kept');
  add(r, data, 0, 200, true, { ...KEY, identification: 3 });
  assert.equal(r.pendingBytes, 900, 'datagram 1 was dropped for datagram 3');
  add(r, data, 0, 1000, false, { ...KEY, identification: 2 });
  assert.equal(r.pendingBytes, 200, 'datagram 2 completed');
});
