import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineFile } from './line-file.js';

test('LineFile writes the header and every line, across several chunks, by close()', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'peephole-lines-')), 'x.csv');
  const f = new LineFile(path, 'a,b');
  const want = ['a,b'];
  for (let i = 0; i < 50_000; i++) {
    f.line(`${i},${'x'.repeat(i % 13)}`);
    want.push(`${i},${'x'.repeat(i % 13)}`);
  }
  f.close();
  f.close();
  assert.equal(f.lines, 50_000);
  assert.equal(readFileSync(path, 'utf8'), want.join('\n') + '\n');
});
