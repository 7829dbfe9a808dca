import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadInputError } from '../core/bad-input-error.js';
import { csvRecords, CsvSyntaxError } from './csv-records.js';

test('csvRecords() splits cells and records with LF, CRLF and a byte order mark', () => {
  assert.deepEqual(csvRecords('\ufeffa,b\r\n1,2\n3,\n', 'x.csv'), [
    { line: 1, cells: ['a', 'b'] },
    { line: 2, cells: ['1', '2'] },
    { line: 3, cells: ['3', ''] },
  ]);
});

test('csvRecords() reads quoted cells with commas, doubled quotes and line breaks, keeping line numbers', () => {
  const records = csvRecords('a,b\n"x, ""y""","two\nlines"\n\nlast,1', 'x.csv');
  assert.deepEqual(records, [
    { line: 1, cells: ['a', 'b'] },
    { line: 2, cells: ['x, "y"', 'two\nlines'] },
    { line: 5, cells: ['last', '1'] },
  ]);
});

test('csvRecords() names the file and line of an unterminated quote or text after a closing quote', () => {
  assert.throws(() => csvRecords('a\n"open\nstill', 'x.csv'), (e: unknown) => e instanceof CsvSyntaxError && e.line === 2 && e.message === 'x.csv:2: a quoted cell is never closed');
  assert.throws(() => csvRecords('a\n"x"y,1', 'x.csv'), (e: unknown) => e instanceof CsvSyntaxError && e.line === 2 && e.message === 'x.csv:2: text after a closing quote');
  assert.ok(new CsvSyntaxError('x.csv', 1, 'p') instanceof BadInputError);
  assert.deepEqual(csvRecords('', 'x.csv'), []);
});
