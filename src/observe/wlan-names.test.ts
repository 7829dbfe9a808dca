import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wlanManagementNames, type WlanName } from './wlan-names.js';

const text = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const element = (id: number, body: number[]): number[] => [id, body.length, ...body];
const attribute = (type: number, body: number[]): number[] => [type >> 8, type & 0xff, body.length >> 8, body.length & 0xff, ...body];
const wps = element(221, [0x00, 0x50, 0xf2, 0x04, ...attribute(0x1011, text('Küche Speaker')), ...attribute(0x1021, text('Sonos'))]);
const BEACON = 8;
const PROBE_REQUEST = 4;
const ASSOCIATION_REQUEST = 0;

function names(body: number[], subtype: number, end = body.length): WlanName[] {
  const into: WlanName[] = [];
  wlanManagementNames(Uint8Array.from(body), 0, end, subtype, into);
  return into;
}

test('a beacon names its network (SSID) and a probe request does not: the SSID it asks for is what it looks for', () => {
  const fixed = new Array(12).fill(0);
  assert.deepEqual(names([...fixed, ...element(0, text('HomeNet')), ...wps], BEACON), [
    { kind: 'ssid', value: 'HomeNet' },
    { kind: 'wps_device_name', value: 'Küche Speaker' },
    { kind: 'wps_manufacturer', value: 'Sonos' },
  ]);
  assert.deepEqual(names([...element(0, text('CoffeeShop')), ...wps], PROBE_REQUEST), [
    { kind: 'wps_device_name', value: 'Küche Speaker' },
    { kind: 'wps_manufacturer', value: 'Sonos' },
  ]);
  // An association request's elements follow its capability and listen interval (4 bytes).
  assert.deepEqual(names([1, 0, 10, 0, ...element(0, text('HomeNet')), ...wps], ASSOCIATION_REQUEST).map((n) => n.kind), ['wps_device_name', 'wps_manufacturer']);
  // Bytes that are not UTF-8 are read one character per byte; a hidden SSID (zeros) is no name.
  assert.deepEqual(names([...fixed, ...element(0, [0x43, 0xe9])], BEACON), [{ kind: 'ssid', value: 'Cé' }]);
  assert.deepEqual(names([...fixed, ...element(0, [0, 0, 0])], BEACON), []);
});

test('a body cut anywhere gives the names whole before the cut and nothing past it, never an error', () => {
  const body = [...element(0, text('x')), ...wps];
  const full = names(body, PROBE_REQUEST);
  for (let end = 0; end <= body.length; end++) {
    const got = names(body, PROBE_REQUEST, end);
    assert.ok(got.length <= full.length);
    for (const n of got) assert.ok(full.some((f) => f.kind === n.kind && f.value === n.value), `cut at ${end}: ${JSON.stringify(n)}`);
  }
  assert.deepEqual(names(body, PROBE_REQUEST, body.length - 1), [], 'the WPS element cut: none of it');
});
