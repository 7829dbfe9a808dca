import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowFormatter, csvCell, visibleControls } from './table-format.js';

test('csvCell() neutralises a cell that a spreadsheet would run as a formula', () => {
  assert.equal(csvCell('=1+2'), "'=1+2");
  assert.equal(csvCell('+cmd'), "'+cmd");
  assert.equal(csvCell('-2+3'), "'-2+3");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tx'), "'\tx");
  assert.equal(csvCell('\rx'), `"'\rx"`, 'neutralised, then quoted for the carriage return');
  assert.equal(csvCell('-'), "'-");
  assert.equal(csvCell('-1e5'), "'-1e5");
  assert.equal(csvCell('+5'), "'+5");
});

test('csvCell() leaves negative numbers and ordinary cells as they are', () => {
  assert.equal(csvCell('-5'), '-5');
  assert.equal(csvCell('-12.75'), '-12.75');
  assert.equal(csvCell('0'), '0');
  assert.equal(csvCell('1700000000.000000001'), '1700000000.000000001');
  assert.equal(csvCell('a=b'), 'a=b');
  assert.equal(csvCell(''), '');
  assert.equal(csvCell('api.example.com'), 'api.example.com');
});

test('csvCell() quotes a cell holding a comma, a quote or a line break, doubling quotes', () => {
  assert.equal(csvCell('10.0.0.1,10.0.0.2'), '"10.0.0.1,10.0.0.2"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
  assert.equal(csvCell('=a,"b"'), `"'=a,""b"""`);
  assert.equal(csvCell('-5,6'), `"'-5,6"`, 'not a number: neutralised and quoted');
});

test('visibleControls() writes every C0 control and DEL as \\xNN and keeps everything else', () => {
  assert.equal(visibleControls('a\tb\nc\rd'), 'a\\x09b\\x0ac\\x0dd');
  assert.equal(visibleControls('\u0000\u001f\u007f'), '\\x00\\x1f\\x7f');
  assert.equal(visibleControls('\u001b[2J'), '\\x1b[2J');
  assert.equal(visibleControls('café ☃ \\x41 \u0080'), 'café ☃ \\x41 \u0080');
  assert.equal(visibleControls(''), '');
});

const COLUMNS = ['frame.number', 'dns.qry.name', 'note'];

test('RowFormatter writes the header of each format', () => {
  assert.equal(new RowFormatter('tsv', COLUMNS).header(), 'frame.number\tdns.qry.name\tnote\n');
  assert.equal(new RowFormatter('csv', ['a', '=b', 'c,d']).header(), `a,'=b,"c,d"\n`);
  assert.equal(new RowFormatter('json', COLUMNS).header(), '');
});

test('RowFormatter escapes only the untrusted columns in TSV', () => {
  const f = new RowFormatter('tsv', COLUMNS, ['dns.qry.name']);
  assert.equal(f.row(['1', 'evil\tname\n', 'own\ttext']), '1\tevil\\x09name\\x0a\town\ttext\n');
  const all = new RowFormatter('tsv', COLUMNS);
  assert.equal(all.row(['1', 'a\tb', 'c\nd']), '1\ta\\x09b\tc\\x0ad\n', 'every column is untrusted by default');
});

test('RowFormatter writes as many cells as it has columns', () => {
  const f = new RowFormatter('tsv', ['a', 'b']);
  assert.equal(f.row(['1', '2', 'extra']), '1\t2\n');
  assert.equal(new RowFormatter('csv', ['a', 'b']).row(['1', '2', 'extra']), '1,2\n');
});

test('RowFormatter.safeTsvCells() makes the untrusted cells safe in place', () => {
  const f = new RowFormatter('tsv', COLUMNS, ['note']);
  const cells = ['1\t', 'a\nb', 'c\td'];
  assert.equal(f.safeTsvCells(cells), cells);
  assert.deepEqual(cells, ['1\t', 'a\nb', 'c\\x09d']);
});

test('RowFormatter writes CSV rows with every cell neutralised and quoted as needed', () => {
  const f = new RowFormatter('csv', COLUMNS, ['dns.qry.name']);
  assert.equal(f.row(['-3', '=HYPERLINK("x")', 'a,b']), `-3,"'=HYPERLINK(""x"")","a,b"\n`);
  assert.equal(f.row(['1', 'line\nbreak', '']), '1,line\\x0abreak,\n', 'an untrusted line break is made visible');
  assert.equal(f.row(['1', '\u001b[31mred', 'own\ntext']), '1,\\x1b[31mred,"own\ntext"\n', 'the caller\'s own column is only quoted');
});

test('RowFormatter writes NDJSON objects without the empty cells', () => {
  const f = new RowFormatter('json', COLUMNS, ['dns.qry.name']);
  const line = f.row(['7', 'tab\there\u0000\u001b]8;;http://x\u0007', '']);
  // `jq -r` of the value prints the escape sequence as text, not as a live terminal control.
  assert.deepEqual(JSON.parse(line), { 'frame.number': '7', 'dns.qry.name': 'tab\\x09here\\x00\\x1b]8;;http://x\\x07' });
  assert.equal(f.row(['', '', '']), '{}\n');
});
