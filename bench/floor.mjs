#!/usr/bin/env node
/**
 * `node bench/floor.mjs read|frame FILE`: what reading a capture costs before any decoding, for the
 * floor rows of bench:ingest. `read` reads the file as readCapture() does (two 1 MiB buffers, the
 * next read in flight while the last chunk is looked at) and parses nothing; `frame` runs
 * readCapture() itself with a callback that only counts records (file header, record framing, no
 * decoding). `peephole inspect` cannot run faster than these on the same machine.
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
  const size = 1024 * 1024;
  const fd = openSync(file, 'r');
  const buffers = [new Uint8Array(size), new Uint8Array(size)];
  const readInto = (buf) => new Promise((resolve, reject) => read(fd, buf, 0, size, null, (e, n) => (e ? reject(e) : resolve(n))));
  let total = 0;
  let current = 0;
  let n = await readInto(buffers[0]);
  while (n > 0) {
    const ahead = readInto(buffers[current ^ 1]);
    total += n;
    n = await ahead;
    current ^= 1;
  }
  process.stdout.write(`${total} bytes\n`);
}
