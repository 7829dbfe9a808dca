import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePaperCsv, PaperCsvError } from './paper-csv.js';
import { paperCsvHeader } from './paper-features.js';

const HEADER = paperCsvHeader();

test('parsePaperCsv() reads the published format, columns in any order', () => {
  const rows = parsePaperCsv(`${HEADER}\n420,1,0,0,0,1,0,0,1,1,0\n510,0,1,0,1,0,1,1,1,1,1\n`, 'rows.csv');
  assert.equal(rows.rows, 2);
  assert.deepEqual(Array.from(rows.labels), [0, 1]);
  assert.deepEqual(Array.from(rows.values.subarray(10, 20)), [510, 0, 1, 0, 1, 0, 1, 1, 1, 1]);
  const cols = HEADER.split(',');
  const swapped = [cols[10], ...cols.slice(0, 10)].join(',');
  const again = parsePaperCsv(`${swapped}\r\n0,420,1,0,0,0,1,0,0,1,1\r\n`, 'rows.csv');
  assert.deepEqual(Array.from(again.values), [420, 1, 0, 0, 0, 1, 0, 0, 1, 1]);
});

test('parsePaperCsv() names the file and line of every problem', () => {
  const cases: [string, RegExp][] = [
    ['', /^rows\.csv:1: empty file/],
    ['time,device,user_activity\n', /^rows\.csv:1: not the published columns \(missing device_light.*; unexpected "device"\)/],
    [`${HEADER}\n`, /^rows\.csv:2: no rows after the header/],
    [`${HEADER}\n420,1,0,0,0,1,0,0,1,1,0\n420,1,0,0,0,1,0,0,1,1\n`, /^rows\.csv:3: 10 cells, the header has 11/],
    [`${HEADER}\n7am,1,0,0,0,1,0,0,1,1,0\n`, /^rows\.csv:2: time "7am" is not a number/],
    [`${HEADER}\n420,1,0,0,0,1,0,0,1,1,5\n`, /^rows\.csv:2: user_activity "5" is not a class id 0\.\.4/],
    [`${HEADER}\n420,1,0,0,0,1,0,0,1,1,\n`, /^rows\.csv:2: user_activity "" is not a class id/],
    [`${HEADER}\n420,1,0,0,0,1,0,0,1,\u001b,1\n`, /lock_3h "\\x1b" is not a number/],
  ];
  for (const [text, want] of cases) {
    assert.throws(() => parsePaperCsv(text, 'rows.csv'), (err: unknown) => err instanceof PaperCsvError && want.test(err.message), text);
  }
});
