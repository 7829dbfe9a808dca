import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atPlace, BadInputError, errnoText, FileAccessError, readInputText } from './bad-input-error.js';
import { DecodeError } from './decode-error.js';

test('a DecodeError is bad input carrying the file and offset, and no RangeError', () => {
  const e = new DecodeError({ layer: 'pcap record header', offset: 40, needed: 16, available: 3, file: 'x.pcap' });
  assert.ok(e instanceof BadInputError);
  assert.ok(!(e instanceof RangeError), 'a RangeError means a bug');
  assert.deepEqual([e.file, e.offset, e.line, e.field], ['x.pcap', 40, undefined, undefined]);
  assert.equal(e.message, 'x.pcap: Cannot decode pcap record header: need 16 bytes at offset 40, have 3');
  assert.equal(e.name, 'DecodeError');
  assert.equal(new DecodeError({ layer: 'tcp', offset: 0 }).message, 'Cannot decode tcp: need 0 bytes at offset 0, have 0');
});

test('atPlace() words a problem at a line, a field or the whole file', () => {
  assert.equal(atPlace({ file: 'rows.csv', line: 12 }, 'bad'), 'rows.csv:12: bad');
  assert.equal(atPlace({ file: 'home.yaml', field: 'devices[2].mac' }, 'bad'), 'home.yaml: devices[2].mac: bad');
  assert.equal(atPlace({ file: 'home.yaml', field: '' }, 'bad'), 'home.yaml: bad');
  assert.equal(atPlace({}, 'bad'), 'bad');
  const e = new BadInputError(atPlace({ file: 'a.tsv', line: 3 }, 'bad'), { file: 'a.tsv', line: 3 });
  assert.deepEqual([e.message, e.file, e.line], ['a.tsv:3: bad', 'a.tsv', 3]);
});

test('errnoText() and FileAccessError say in plain words why a file cannot be used', () => {
  assert.equal(errnoText(Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' })), 'no such file (ENOENT)');
  assert.equal(errnoText(Object.assign(new Error('EWHAT: strange'), { code: 'EWHAT' })), 'EWHAT: strange');
  const dir = mkdtempSync(join(tmpdir(), 'peephole-input-'));
  try {
    assert.throws(
      () => readInputText(dir),
      (e: unknown) => e instanceof FileAccessError && e instanceof BadInputError && e.file === dir && e.code === 'EISDIR' && e.message === `${dir}: cannot be read: is a directory, not a file (EISDIR)`,
    );
    const gone = join(dir, 'gone.csv');
    assert.throws(() => readInputText(gone, '; make it first'), { message: `${gone}: cannot be read: no such file (ENOENT); make it first` });
    assert.equal(new FileAccessError('-', Object.assign(new Error('x'), { code: 'ENOSPC' }), 'write').message, '-: cannot be written: no space left on the device (ENOSPC)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
