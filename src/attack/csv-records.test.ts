import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../core/bad-input-error.js';
import { CsvRecordReader, csvRecords, CsvSyntaxError, fileCsvRecords } from './csv-records.js';

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

test('CsvRecordReader gives the records and errors of csvRecords() however the text is cut into pieces', () => {
  const texts = [
    '\ufefftime,device\r\n1,"a ""quoted"", cell"\r\n\r\n2,"two\r\nlines"\n3,last',
    'a,b\n"x\ry",z\r',
    'a,,\n,\n\n"",""\r\n',
    'a,"never closed\nb,c\n',
    'a,"x"y\n',
  ];
  for (const text of texts) {
    let whole: unknown;
    try {
      whole = csvRecords(text, 'f.csv');
    } catch (err) {
      whole = err;
    }
    // Every cut into two pieces, and the text a character at a time.
    const cuts = [...Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]), [...text]];
    for (const pieces of cuts) {
      let got: unknown;
      try {
        const reader = new CsvRecordReader('f.csv');
        got = [...pieces.flatMap((p) => reader.push(p)), ...reader.end()];
      } catch (err) {
        got = err;
      }
      if (whole instanceof CsvSyntaxError) assert.ok(got instanceof CsvSyntaxError && got.message === whole.message, `${JSON.stringify(pieces)}: ${String(got)}`);
      else assert.deepEqual(got, whole, JSON.stringify(pieces));
    }
  }
});

test('fileCsvRecords() reads a file a piece at a time: the records of its text, and a FileAccessError naming a file it cannot read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-csv-'));
  const path = join(dir, 'long.csv');
  // Longer than a read, with a multi-byte character and a quoted cell across the reads' edges.
  const rows = Array.from({ length: 9000 }, (_, i) => `${i},"é ${'x'.repeat(i % 17)}\n${i}",ü`);
  const text = `n,cell,more\n${rows.join('\r\n')}\n`;
  writeFileSync(path, text);
  assert.deepEqual([...fileCsvRecords(path)], csvRecords(text, path));
  assert.throws(() => [...fileCsvRecords(join(dir, 'missing.csv'))], { name: 'FileAccessError', message: /missing\.csv: cannot be read: no such file \(ENOENT\)/ });
  assert.throws(() => [...fileCsvRecords(dir)], { name: 'FileAccessError', message: /cannot be read: is a directory, not a file \(EISDIR\)/ });
});
