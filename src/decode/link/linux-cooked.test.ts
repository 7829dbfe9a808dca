import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARPHRD_ETHER,
  ARPHRD_IEEE80211_RADIOTAP,
  ARPHRD_IPGRE,
  ARPHRD_NETLINK,
  LINUX_SLL_P_802_2,
  LINUX_SLL_P_CAN,
  readSllAddress,
  sllProtocolFromField,
  sllProtocolToField,
  writeSllAddress,
} from './linux-cooked.js';
import { ETHERTYPE_8023_LLC } from './ether-type.js';

test('sllProtocolFromField turns ETH_P_802_2 into the LLC sentinel only where the field uses ETH_P_ values', () => {
  assert.equal(sllProtocolFromField(ARPHRD_ETHER, LINUX_SLL_P_802_2), ETHERTYPE_8023_LLC);
  for (const arphrd of [ARPHRD_NETLINK, ARPHRD_IPGRE, ARPHRD_IEEE80211_RADIOTAP]) {
    assert.equal(sllProtocolFromField(arphrd, LINUX_SLL_P_802_2), LINUX_SLL_P_802_2);
  }
  assert.equal(sllProtocolFromField(ARPHRD_ETHER, 0x0800), 0x0800);
  assert.equal(sllProtocolFromField(280, LINUX_SLL_P_CAN), LINUX_SLL_P_CAN);
  assert.equal(sllProtocolToField(ETHERTYPE_8023_LLC), LINUX_SLL_P_802_2);
  assert.equal(sllProtocolToField(0x86dd), 0x86dd);
});

test('readSllAddress and writeSllAddress keep 6-byte addresses as numbers and others as padded hex', () => {
  const field = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(readSllAddress(field, 0, 6), 0x010203040506);
  assert.equal(readSllAddress(field, 0, 2), '0102');
  assert.equal(readSllAddress(field, 0, 12), '0102030405060708');
  const out = new Uint8Array(10).fill(0xee);
  writeSllAddress(out, 1, 0x0a0b0c0d0e0f);
  assert.deepEqual(out, Uint8Array.from([0xee, 10, 11, 12, 13, 14, 15, 0, 0, 0xee]));
  writeSllAddress(out, 1, 'c0a8');
  assert.deepEqual(out, Uint8Array.from([0xee, 0xc0, 0xa8, 0, 0, 0, 0, 0, 0, 0xee]));
  writeSllAddress(out, 1, '0102030405060708090a');
  assert.deepEqual(out, Uint8Array.from([0xee, 1, 2, 3, 4, 5, 6, 7, 8, 0xee]));
});
