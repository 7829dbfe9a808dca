import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KnownDevicesError, parseKnownDevices } from './known-devices.js';

test('parseKnownDevices() reads MACs and addresses in any usual spelling, skipping comments', () => {
  const known = parseKnownDevices('# device\tname\tvendor\tcategory\n68-C6-3A-42-83-F6\thall plug\tTuya\tplug\n192.168.1.20\tfront door\tAugust\tlock\nFE80:0:0::1\tmesh\tEero\trouter\n', 'k.tsv');
  assert.deepEqual(
    known.map((k) => [k.key, k.name, k.vendor, k.category, k.line]),
    [
      ['68:c6:3a:42:83:f6', 'hall plug', 'Tuya', 'plug', 2],
      ['192.168.1.20', 'front door', 'August', 'lock', 3],
      ['fe80::1', 'mesh', 'Eero', 'router', 4],
    ],
  );
});

test('parseKnownDevices() names the line of a bad row and says what is wrong', () => {
  const bad = (text: string, line: number, what: RegExp): void => {
    assert.throws(
      () => parseKnownDevices(text, 'k.tsv'),
      (e: unknown) => e instanceof KnownDevicesError && e.line === line && what.test(e.message) && e.message.startsWith(`k.tsv:${line}:`),
    );
  };
  bad('# ok\n10.0.0.1\tx\tAcme\n', 2, /4 tab-separated columns/);
  bad('not-an-address\tx\tAcme\tplug\n', 1, /neither a MAC address nor an IP address/);
  bad('10.0.0.1\tx\tAcme\ttoaster\n', 1, /unknown category "toaster"/);
  bad('10.0.0.1\t\tAcme\tplug\n', 1, /must not be empty/);
  bad('10.0.0.1\tx\tAcme\tplug\n10.0.0.1\ty\tAcme\tplug\n', 2, /listed twice/);
});
