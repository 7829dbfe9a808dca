#!/usr/bin/env node
/**
 * `node bench/floor.mjs read|frame FILE`: what reading a capture costs before any decoding, for the
 * floor rows of bench:ingest. `read` reads the file as readCapture() does (1 MiB chunks at known
 * offsets, four reads in flight) and parses nothing; `frame` runs readCapture() itself with a
 * callback that only counts records (file header, record framing, no decoding). `peephole inspect`
 * cannot run faster than these on the same machine.
 */
import { openSync, read } from 'node:fs';
import { readCapture } from '../dist/capture/reader.js';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'read' && mode !== 'frame') || !file) {
  process.stderr.write('usage: node bench/floor.mjs read|frame FILE\n');
  process.exit(2);
}
if (mode === 'frame') {
  let records = 0;
  await readCapture(file, () => void records++);
  process.stdout.write(`${records} records\n`);
} else {
  // As readCapture() reads a regular file: 1 MiB chunks at known offsets, four reads in flight.
  const size = 1024 * 1024;
  const fd = openSync(file, 'r');
  const readAt = (buf, at) => new Promise((resolve, reject) => read(fd, buf, 0, size, at, (e, n) => (e ? reject(e) : resolve(n))));
  const pending = [];
  let next = 0;
  while (pending.length < 4) {
    const buf = new Uint8Array(size);
    pending.push({ buf, bytes: readAt(buf, next) });
    next += size;
  }
  let total = 0;
  for (;;) {
    const head = pending.shift();
    const n = await head.bytes;
    if (n === 0) break;
    total += n;
    head.bytes = readAt(head.buf, next);
    next += size;
    pending.push(head);
  }
  for (const p of pending) await p.bytes;
  process.stdout.write(`${total} bytes\n`);
}
