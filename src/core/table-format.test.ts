import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowFormatter, csvCell, visibleControls, visibleLines, visibleStrings, wireJson } from './table-format.js';

test('csvCell() neutralises a cell that a spreadsheet would run as a formula', () => {
  assert.equal(csvCell('=1+2'), "'=1+2");
  assert.equal(csvCell('+cmd'), "'+cmd");
  assert.equal(csvCell('-2+3'), "'-2+3");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
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

test('csvCell() quotes a cell holding a comma or a quote, doubling quotes', () => {
  assert.equal(csvCell('10.0.0.1,10.0.0.2'), '"10.0.0.1,10.0.0.2"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=a,"b"'), `"'=a,""b"""`);
  assert.equal(csvCell('-5,6'), `"'-5,6"`, 'not a number: neutralised and quoted');
});

test('csvCell() makes control characters visible, so a cell is one line and a tab or CR cannot lead it', () => {
  assert.equal(csvCell('two\nlines'), 'two\\x0alines');
  assert.equal(csvCell('cr\rhere'), 'cr\\x0dhere');
  assert.equal(csvCell('\tx'), '\\x09x');
  assert.equal(csvCell('=\u001b[31m,x'), `"'=\\x1b[31m,x"`, 'visible, neutralised, then quoted');
});

test('visibleControls() writes C0 controls and DEL as \\xNN, C1 and bidi controls as \\u{NNNN}, and keeps everything else', () => {
  assert.equal(visibleControls('a\tb\nc\rd'), 'a\\x09b\\x0ac\\x0dd');
  assert.equal(visibleControls('\u0000\u001f\u007f'), '\\x00\\x1f\\x7f');
  assert.equal(visibleControls('\u001b[2J'), '\\x1b[2J');
  assert.equal(visibleControls('\u0080\u009b2J\u009f'), '\\u{0080}\\u{009b}2J\\u{009f}');
  assert.equal(visibleControls('\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c'), '\\u{202e}evil\\u{202c} \\u{2066}x\\u{2069} \\u{200e}\\u{200f}\\u{061c}');
  assert.equal(visibleControls('café ☃ \\x41 \u00a0 \u{1f600}'), 'café ☃ \\x41 \u00a0 \u{1f600}');
  assert.equal(visibleControls(''), '');
});

test('visibleLines() keeps the line ends of a whole text and makes every other control visible', () => {
  assert.equal(visibleLines('a\nb\tc\u001b[31m\r\n\u009b\n'), 'a\nb\\x09c\\x1b[31m\\x0d\n\\u{009b}\n');
  assert.equal(visibleLines('plain\ntext\n'), 'plain\ntext\n');
});

test('visibleStrings() and wireJson() put every string of a JSON value through the rule, keys included', () => {
  const value = { name: 'x\u001b]8;;http://x\u0007', list: ['\n', 1, null, true], nested: { ['k\u007f']: 'v\u009b' }, when: new Date(0), gone: undefined };
  const copy = visibleStrings(value);
  assert.deepEqual(JSON.parse(JSON.stringify(copy)), {
    name: 'x\\x1b]8;;http://x\\x07',
    list: ['\\x0a', 1, null, true],
    nested: { 'k\\x7f': 'v\\u{009b}' },
    when: '1970-01-01T00:00:00.000Z',
  });
  assert.equal(value.name, 'x\u001b]8;;http://x\u0007', 'the value given is left as it was');
  assert.equal(wireJson(value, 2), JSON.stringify(copy, null, 2));
  const plain = { a: 'b', n: [1.5, -0], o: { p: 'q' } };
  assert.equal(wireJson(plain, 2), JSON.stringify(plain, null, 2), 'text without controls comes out the same');
});

const COLUMNS = ['frame.number', 'dns.qry.name', 'note'];

test('RowFormatter writes the header of each format', () => {
  assert.equal(new RowFormatter('tsv', COLUMNS).header(), 'frame.number\tdns.qry.name\tnote\n');
  assert.equal(new RowFormatter('csv', ['a', '=b', 'c,d']).header(), `a,'=b,"c,d"\n`);
  assert.equal(new RowFormatter('json', COLUMNS).header(), '');
});

test('RowFormatter makes the control characters of every cell visible in TSV', () => {
  const f = new RowFormatter('tsv', COLUMNS);
  assert.equal(f.row(['1', 'evil\tname\n', 'own\ttext']), '1\tevil\\x09name\\x0a\town\\x09text\n');
});

test('RowFormatter writes as many cells as it has columns', () => {
  const f = new RowFormatter('tsv', ['a', 'b']);
  assert.equal(f.row(['1', '2', 'extra']), '1\t2\n');
  assert.equal(new RowFormatter('csv', ['a', 'b']).row(['1', '2', 'extra']), '1,2\n');
});

test('RowFormatter writes CSV rows with every cell neutralised and quoted as needed', () => {
  const f = new RowFormatter('csv', COLUMNS);
  assert.equal(f.row(['-3', '=HYPERLINK("x")', 'a,b']), `-3,"'=HYPERLINK(""x"")","a,b"\n`);
  assert.equal(f.row(['1', 'line\nbreak', '']), '1,line\\x0abreak,\n', 'a line break is made visible');
  assert.equal(f.row(['1', '\u001b[31mred', 'a\u009bb']), '1,\\x1b[31mred,a\\u{009b}b\n');
});

test('RowFormatter writes NDJSON objects without the empty cells', () => {
  const f = new RowFormatter('json', COLUMNS);
  const line = f.row(['7', 'tab\there\u0000\u001b]8;;http://x\u0007', '']);
  // `jq -r` of the value prints the escape sequence as text, not as a live terminal control.
  assert.deepEqual(JSON.parse(line), { 'frame.number': '7', 'dns.qry.name': 'tab\\x09here\\x00\\x1b]8;;http://x\\x07' });
  assert.equal(f.row(['', '', '']), '{}\n');
});

test('RowFormatter gives the same row whether it holds a control character or not (its fast path skips no cell)', () => {
  const cells = ['1', 'a\\nb', '=x,"y"', 'plain', '', '-5', 'back\\u001bslash'];
  const hostile = ['1', 'a\nb', '=x\u001b,"y"', 'pl\u009bain', '', '-5', 'back\\u001bslash\u007f'];
  for (const row of [cells, hostile]) {
    const columns = row.map((_, i) => `c${i}`);
    assert.equal(new RowFormatter('tsv', columns).row(row), row.map(visibleControls).join('\t') + '\n');
    assert.equal(new RowFormatter('csv', columns).row(row), row.map(csvCell).join(',') + '\n');
    const json = JSON.parse(new RowFormatter('json', columns).row(row)) as Record<string, string>;
    assert.deepEqual(json, Object.fromEntries(row.flatMap((c, i) => (c === '' ? [] : [[`c${i}`, visibleControls(c)]]))));
  }
});
