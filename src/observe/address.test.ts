import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4 } from '../core/bytes.js';
import { isGroupIpv4, isGroupIpv6, isGroupMac, isLocalIpv4, isLocalIpv6 } from './address.js';

test('isLocalIpv4() is true for private, link-local and loopback addresses only', () => {
  for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.9.9', '127.0.0.1']) assert.ok(isLocalIpv4(parseIpv4(a)), a);
  for (const a of ['172.15.0.1', '172.32.0.1', '8.8.8.8', '192.169.0.1', '100.64.0.1']) assert.ok(!isLocalIpv4(parseIpv4(a)), a);
});

test('isLocalIpv6() is true for link-local, unique local and loopback text only', () => {
  for (const a of ['fe80::1', 'febf:1::2', 'fc00::1', 'fd12:3456::9', '::1']) assert.ok(isLocalIpv6(a), a);
  for (const a of ['fec0::1', 'fe7f::1', 'fb00::1', 'f:1::2', '2001:db8::1', 'ff02::1', '::']) assert.ok(!isLocalIpv6(a), a);
});

test('group addresses are told apart from hosts', () => {
  assert.ok(isGroupIpv4(parseIpv4('224.0.0.251')) && isGroupIpv4(0xffffffff) && isGroupIpv4(0));
  assert.ok(!isGroupIpv4(parseIpv4('192.168.1.1')));
  assert.ok(isGroupIpv6('ff02::fb') && isGroupIpv6('::') && !isGroupIpv6('fe80::1'));
  assert.ok(isGroupMac(0x01005e0000fb) && isGroupMac(0xffffffffffff) && !isGroupMac(0x68c63a4283f6));
});
