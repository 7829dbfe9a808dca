import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiText, formatDisplayText, isPrintableAscii } from './display-text.js';

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const show = (h: string): string => {
  const b = hex(h);
  return formatDisplayText(b, 0, b.length);
};

// Expected texts are what tshark 4.0.17 printed for dns.qry.name of one-label names with these bytes.
const TSHARK_CASES: [string, string][] = [
  ['612062', 'a b'],
  ['612c62', 'a,b'],
  ['615c62', 'a\\b'],
  ['712274', 'q"t'],
  ['0901', '\\t\\001'],
  ['0708', '\\a\\b'],
  ['0b0c0d1b', '\\v\\f\\r\\033'],
  ['61006200', 'a\\000b\\000'],
  ['7f', '\\177'],
  ['c3a9', 'é'],
  ['e9', '\uFFFD'],
  ['61e962', 'a\uFFFDb'],
  ['fffe', '\uFFFD\uFFFD'],
  ['e282', '\uFFFD'],
  ['e28261', '\uFFFDa'],
  ['eda080', '\uFFFD'],
  ['c080', '\\u0000'],
  ['c1bf', '\\u007F'],
  ['e080af', '/'],
  ['f0808080', '\\u0000'],
  ['f888808080', '\uFFFD'],
  ['fc8480808080', '\uFFFD'],
  ['8080', '\uFFFD\uFFFD'],
  ['c041', '\uFFFDA'],
  ['f4908080', '\uFFFD'],
  ['f48fbfbf', '\\U0010FFFF'],
  ['f3a08081', '\\U000E0001'],
  ['c285', '\\u0085'],
  ['e2808b', '\\u200B'],
  ['efbbbf', '\\uFEFF'],
  ['efbfbf', '\\uFFFF'],
  ['c2a0', '\u00a0'],
  ['ccb8', '\u0338'],
  ['ee8080', '\ue000'],
  ['f09f9880', '😀'],
  ['61f09f98', 'a\uFFFD'],
];

test('formatDisplayText() shows bytes as tshark 4.0 shows a DNS name', () => {
  for (const [h, expected] of TSHARK_CASES) assert.equal(show(h), expected, `bytes ${h}`);
});

test('formatDisplayText() escapes tab and newline as C escapes', () => {
  assert.equal(show('090a'), '\\t\\n');
});

test('formatDisplayText() reads only the given range', () => {
  const b = hex('ff616263ff');
  assert.equal(formatDisplayText(b, 1, 4), 'abc');
  assert.equal(formatDisplayText(b, 3, 5), 'c\uFFFD');
});

test('asciiText() gives the same string for short and long inputs', () => {
  const long = new TextEncoder().encode('prod1-api-xbcs-net-889336557.us-east-1.elb.amazonaws.com');
  assert.equal(asciiText(long, 0, long.length), 'prod1-api-xbcs-net-889336557.us-east-1.elb.amazonaws.com');
  assert.equal(asciiText(long, 0, 5), 'prod1');
  assert.equal(isPrintableAscii(long, 0, long.length), true);
  assert.equal(isPrintableAscii(hex('61ff'), 0, 2), false);
});
