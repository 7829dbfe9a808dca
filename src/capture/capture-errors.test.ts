import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../core/decode-error.js';
import { emptyInputError, headerCutError, notCaptureError, unreadableError } from './capture-errors.js';

test('notCaptureError() shows the first bytes in hex and as text, at offset 0', () => {
  const e = notCaptureError(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 'x.pcap');
  assert.ok(e instanceof DecodeError);
  assert.equal(e.file, 'x.pcap');
  assert.equal(e.offset, 0);
  assert.match(e.message, /^x\.pcap: Not a pcap or pcapng capture: starts with 47 45 54 20 2f 20 48 54 \("GET \/ HT"\) at offset 0/);
});

test('emptyInputError() and headerCutError() say what is missing where', () => {
  assert.equal(emptyInputError('e.pcap').message, 'e.pcap: Empty file: no capture header at offset 0');
  const cut = headerCutError('pcap file header', 0, 24, 10, 'c.pcap');
  assert.equal(cut.message, 'c.pcap: Capture ends inside the pcap file header: need 24 bytes at offset 0, have 10');
  assert.deepEqual([cut.needed, cut.available], [24, 10]);
});

test('unreadableError() turns operating-system errors into plain words', () => {
  const enoent = Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
  assert.equal(unreadableError(enoent, 'a.pcap', 0).message, 'a.pcap: Cannot read capture: no such file (ENOENT)');
  const odd = Object.assign(new Error('strange'), { code: 'EWHAT' });
  assert.equal(unreadableError(odd, 'a.pcap', 5).message, 'a.pcap: Cannot read capture: strange');
  assert.equal(unreadableError(odd, 'a.pcap', 5).offset, 5);
});
