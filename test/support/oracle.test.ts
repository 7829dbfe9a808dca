import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import path from 'node:path';
import {
  ORACLE_FIELDS,
  compareTables,
  formatMismatches,
  parseTsv,
  requireOrSkip,
  requireTshark,
  tsharkFieldArgs,
  tsharkFields,
} from './oracle.js';
import type { FieldTable } from './oracle.js';
import { SHARED_CAPTURES_DIR } from './paths.js';

const table = (text: string): FieldTable => parseTsv(text);

test('ORACLE_FIELDS lists the 22 fields peephole prints, frame.number first and the SNI last', () => {
  assert.equal(ORACLE_FIELDS.length, 22);
  assert.equal(ORACLE_FIELDS[0], 'frame.number');
  assert.equal(ORACLE_FIELDS.at(-1), 'tls.handshake.extensions_server_name');
  assert.equal(new Set(ORACLE_FIELDS).size, ORACLE_FIELDS.length);
});

test('tsharkFieldArgs() asks for a header row, tabs, every occurrence joined by commas, and each field in order', () => {
  assert.deepEqual(tsharkFieldArgs(['frame.number', 'dns.a']), [
    '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number', '-e', 'dns.a',
  ]);
});

test('parseTsv() keeps empty cells and does not count the final newline as a row', () => {
  const parsed = table('a\tb\tc\n1\t\t3\n\t\t\n');
  assert.deepEqual(parsed.columns, ['a', 'b', 'c']);
  assert.deepEqual(parsed.rows, [['1', '', '3'], ['', '', '']]);
  assert.deepEqual(parseTsv(''), { columns: [], rows: [] });
});

test('compareTables() finds nothing when the tables are equal', () => {
  const text = 'frame.number\tdns.a\n1\t10.0.0.1,10.0.0.2\n2\t\n';
  assert.deepEqual(compareTables(table(text), table(text)), []);
});

test('compareTables() reports each differing cell with its frame number and column name', () => {
  const tshark = table('frame.number\tip.src\tdns.a\n7\t10.0.0.1\t1.2.3.4\n8\t10.0.0.2\t\n');
  const peephole = table('frame.number\tip.src\tdns.a\n7\t10.0.0.9\t1.2.3.4\n8\t10.0.0.2\t5.6.7.8\n');
  assert.deepEqual(compareTables(tshark, peephole), [
    { frame: 7, column: 'ip.src', tshark: '10.0.0.1', peephole: '10.0.0.9' },
    { frame: 8, column: 'dns.a', tshark: '', peephole: '5.6.7.8' },
  ]);
});

test('compareTables() reports a differing header as frame 0 and a row peephole lacks in every column', () => {
  const tshark = table('frame.number\tdns.id\n1\t0x0001\n2\t0x0002\n');
  const peephole = table('frame.number\tdns.qid\n1\t0x0001\n');
  assert.deepEqual(compareTables(tshark, peephole), [
    { frame: 0, column: '#2', tshark: 'dns.id', peephole: 'dns.qid' },
    { frame: 2, column: 'frame.number', tshark: '2', peephole: '(missing)' },
    { frame: 2, column: 'dns.id', tshark: '0x0002', peephole: '(missing)' },
  ]);
});

test('compareTables() reports cells missing from a short row and rows only peephole prints', () => {
  const tshark = table('frame.number\tdns.id\n1\t0x0001\n');
  const peephole = table('frame.number\tdns.id\n1\n2\t0x0002\n');
  assert.deepEqual(compareTables(tshark, peephole), [
    { frame: 1, column: 'dns.id', tshark: '0x0001', peephole: '(missing)' },
    { frame: 2, column: 'frame.number', tshark: '(missing)', peephole: '2' },
    { frame: 2, column: 'dns.id', tshark: '(missing)', peephole: '0x0002' },
  ]);
});

test('formatMismatches() shows the first 20 mismatches and counts the rest', () => {
  const mismatches = Array.from({ length: 25 }, (_, i) => ({ frame: i + 1, column: 'ip.src', tshark: '10.0.0.1', peephole: '' }));
  const text = formatMismatches(mismatches);
  assert.match(text, /^25 mismatching cells in 25 frames; first 20:/);
  assert.match(text, /frame 20 ip\.src: tshark "10\.0\.0\.1", peephole ""/);
  assert.doesNotMatch(text, /frame 21 /);
  assert.match(text, /\.\.\. and 5 more$/);
  assert.equal(formatMismatches([]), 'no mismatching cells');
});

function fakeContext(skipped: string[]): TestContext {
  return { skip: (message?: string) => skipped.push(message ?? '') } as unknown as TestContext;
}

test('requireOrSkip() skips outside CI and fails when CI=true', () => {
  const saved = process.env['CI'];
  try {
    const skipped: string[] = [];
    delete process.env['CI'];
    assert.equal(requireOrSkip(fakeContext(skipped), false, 'tshark is not installed'), false);
    assert.deepEqual(skipped, ['tshark is not installed']);
    assert.equal(requireOrSkip(fakeContext(skipped), true, 'unused'), true);
    process.env['CI'] = 'true';
    assert.throws(() => requireOrSkip(fakeContext(skipped), false, 'tshark is not installed'), /tshark is not installed \(CI=true: a missing prerequisite/);
    assert.equal(skipped.length, 1);
  } finally {
    if (saved === undefined) delete process.env['CI'];
    else process.env['CI'] = saved;
  }
});

test('tsharkFields() reads the 802.11 shared capture as 3 frames under the ORACLE_FIELDS header', (t) => {
  if (!requireTshark(t)) return;
  const fields = tsharkFields(path.join(SHARED_CAPTURES_DIR, 'wlan-80211-plain-dns-mdns.pcap'));
  assert.deepEqual(fields.columns, [...ORACLE_FIELDS]);
  assert.deepEqual(
    fields.rows.map((row) => row[0]),
    ['1', '2', '3'],
  );
  assert.ok(fields.rows.every((row) => row.length === ORACLE_FIELDS.length));
});
