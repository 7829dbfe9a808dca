import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteSize, duration, table, thousands, utcTime } from './text.js';

test('thousands() groups digits with commas and rounds', () => {
  assert.equal(thousands(0), '0');
  assert.equal(thousands(999), '999');
  assert.equal(thousands(1234567), '1,234,567');
  assert.equal(thousands(1234.6), '1,235');
});

test('byteSize() writes decimal units with three significant digits', () => {
  assert.equal(byteSize(0), '0 B');
  assert.equal(byteSize(999), '999 B');
  assert.equal(byteSize(1000), '1.00 kB');
  assert.equal(byteSize(1234), '1.23 kB');
  assert.equal(byteSize(12_345), '12.3 kB');
  assert.equal(byteSize(123_456), '123 kB');
  assert.equal(byteSize(1_800_000), '1.80 MB');
  assert.equal(byteSize(5e9), '5.00 GB');
  assert.equal(byteSize(7.5e12), '7.50 TB');
  assert.equal(byteSize(2.5e15), '2500 TB', 'TB is the largest unit');
});

test('byteSize() moves to the next unit when rounding reaches 1000', () => {
  assert.equal(byteSize(999_499), '999 kB');
  assert.equal(byteSize(999_999), '1.00 MB');
  assert.equal(byteSize(999_600_000), '1.00 GB');
});

test('duration() writes seconds below a minute, then minutes, hours and days', () => {
  assert.equal(duration(0), '0 s');
  assert.equal(duration(0.125), '0.125 s');
  assert.equal(duration(0.1234567), '0.123 s');
  assert.equal(duration(59.5), '59.5 s');
  assert.equal(duration(60), '1 min 0 s');
  assert.equal(duration(302.9), '5 min 2 s');
  assert.equal(duration(3600), '1 h 0 min');
  assert.equal(duration(3 * 86400 + 4 * 3600 + 59), '3 d 4 h');
});

test('duration() never writes 60 s', () => {
  assert.equal(duration(59.9999), '1 min 0 s');
  assert.equal(duration(59.999), '59.999 s');
});

test('utcTime() writes an epoch time as a UTC date with its fraction kept', () => {
  assert.equal(utcTime('1698413468.559085894'), '2023-10-27 13:31:08.559085894 UTC');
  assert.equal(utcTime('0.000000000'), '1970-01-01 00:00:00.000000000 UTC');
  assert.equal(utcTime('1700000000'), '2023-11-14 22:13:20 UTC');
});

test('utcTime() reads a negative time as tshark writes it: the second, then a positive fraction', () => {
  // -9.250000000 is 9 s before the epoch plus 0.25 s.
  assert.equal(utcTime('-9.250000000'), '1969-12-31 23:59:51.250000000 UTC');
});

test('utcTime() writes a time past what a Date holds as seconds, without throwing', () => {
  // A pcapng timestamp in seconds (if_tsresol 10^0) may reach 2^64: tshark shows it, so must we.
  assert.equal(utcTime('10000000000000.000000000'), '10000000000000.000000000 s after 1970-01-01 UTC');
  assert.equal(utcTime('-10000000000000.000000000'), '-10000000000000.000000000 s after 1970-01-01 UTC');
  assert.equal(utcTime('18446744073709551615.000000000'), '18446744073709551615.000000000 s after 1970-01-01 UTC');
});

test('table() aligns text columns left and numeric columns right, two spaces apart and indented', () => {
  const out = table(
    ['host', 'packets', 'name'],
    [
      ['10.0.0.1', '5', 'a.example'],
      ['192.168.100.200', '12,345', 'b'],
    ],
    [false, true, false],
  );
  assert.equal(
    out,
    ['  host             packets  name', '  10.0.0.1               5  a.example', '  192.168.100.200   12,345  b', ''].join('\n'),
  );
});

test('table() makes control characters in cells visible so a row stays one line', () => {
  const out = table(['name', 'n'], [['evil\nname\u001b[2J', '1']], [false, true]);
  assert.equal(out, `  name${' '.repeat(17)}n\n  evil\\x0aname\\x1b[2J  1\n`);
  assert.equal(out.split('\n').length, 3);
});

test('table() trims trailing spaces and handles rows shorter than the header', () => {
  const out = table(['a', 'b', 'c'], [['x'], ['longer', '', 'z']]);
  assert.equal(out, '  a       b  c\n  x\n  longer     z\n');
});
