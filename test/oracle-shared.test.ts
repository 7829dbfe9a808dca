// peephole against tshark on every real public capture in ../shared/captures (listed in its
// MANIFEST.tsv): `peephole packets` must print tshark's table cell for cell. Needs `npm run build` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareTables, formatMismatches, parseTsv, peepholePackets, requireTshark, tsharkFields } from './support/oracle.js';
import { SHARED_CAPTURES_DIR } from './support/paths.js';

const MANIFEST = path.join(SHARED_CAPTURES_DIR, 'MANIFEST.tsv');

function sharedCaptureNames(): string[] {
  const table = parseTsv(readFileSync(MANIFEST, 'utf8'));
  const nameColumn = table.columns.indexOf('name');
  if (nameColumn < 0) throw new Error(`${MANIFEST} has no "name" column (columns: ${table.columns.join(', ')})`);
  return table.rows.map((row) => row[nameColumn] ?? '').filter((name) => name !== '');
}

if (!existsSync(MANIFEST)) {
  test('the shared real captures are present beside the repository', () => {
    assert.fail(
      `missing ${MANIFEST}: the shared captures are expected in ../shared/captures relative to the repository root ` +
        '(a folder with MANIFEST.tsv and the capture files it lists)',
    );
  });
} else {
  const names = sharedCaptureNames();
  test('the shared captures manifest lists captures that all exist', () => {
    assert.ok(names.length > 0, `${MANIFEST} lists no captures`);
    const missing = names.filter((name) => !existsSync(path.join(SHARED_CAPTURES_DIR, name)));
    assert.deepEqual(missing, [], `listed in ${MANIFEST} but missing from ${SHARED_CAPTURES_DIR}`);
  });
  for (const name of names) {
    test(`peephole packets prints the same table as tshark for the shared capture ${name}`, (t) => {
      if (!requireTshark(t)) return;
      const file = path.join(SHARED_CAPTURES_DIR, name);
      const expected = tsharkFields(file);
      assert.ok(expected.rows.length > 0, `tshark reads no frames from ${name}`);
      const actual = peepholePackets(file);
      const mismatches = compareTables(expected, actual);
      assert.equal(mismatches.length, 0, `${name}: ${formatMismatches(mismatches)}`);
    });
  }
}
