import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FileAccessError } from '../core/bad-input-error.js';
import { ByteSink } from './byte-sink.js';
import { scratchDir } from './test-support.js';

function fill(sink: ByteSink, pieces: Uint8Array[]): void {
  for (const piece of pieces) {
    if (piece.length <= 8) {
      const at = sink.reserve(piece.length);
      sink.buf.set(piece, at);
    } else {
      sink.copy(piece, 0, piece.length);
    }
  }
}

const pieces = [
  Uint8Array.of(1, 2, 3),
  new Uint8Array(50).fill(7),
  Uint8Array.of(4, 5, 6, 7, 8, 9, 10, 11),
  new Uint8Array(300).map((_, i) => i & 0xff),
  Uint8Array.of(12),
];
const expected = Uint8Array.from(pieces.flatMap((p) => [...p]));

test('ByteSink keeps bytes in memory across buffer flushes, also for pieces larger than its buffer', () => {
  const sink = new ByteSink(undefined, 64);
  fill(sink, pieces);
  assert.equal(sink.bytesWritten, expected.length);
  assert.deepEqual(sink.toBytes(), expected);
  fill(sink, [Uint8Array.of(99)]);
  assert.deepEqual(sink.toBytes().at(-1), 99);
});

test('ByteSink writes a file through its reused buffer and refuses writes once closed', () => {
  const scratch = scratchDir();
  try {
    const sink = new ByteSink(scratch.path('out.bin'), 64);
    fill(sink, pieces);
    sink.zeros(3);
    sink.close();
    sink.close();
    assert.deepEqual(new Uint8Array(readFileSync(scratch.path('out.bin'))), Uint8Array.from([...expected, 0, 0, 0]));
    assert.throws(() => sink.reserve(1), /closed/);
    assert.throws(() => sink.toBytes(), /only for in-memory writers/);
    const nowhere = scratch.path('no/such/dir/out.bin');
    assert.throws(() => new ByteSink(nowhere), (e: unknown) => e instanceof FileAccessError && e.file === nowhere && e.message === `${nowhere}: cannot be written: no such file (ENOENT)`);
  } finally {
    scratch.remove();
  }
});

test('ByteSink copies bytes handed to it, so the caller may reuse its buffer', () => {
  const sink = new ByteSink(undefined, 16);
  const mine = Buffer.from(new Uint8Array(40).fill(1));
  sink.copy(mine, 0, mine.length);
  mine.fill(2);
  assert.deepEqual(sink.toBytes(), new Uint8Array(40).fill(1));
});
