import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isRawIpLinkType,
  knownLinkTypes,
  LINKTYPE,
  LINKTYPE_ETHERNET,
  LINKTYPE_IEEE802_11,
  LINKTYPE_LINUX_SLL2,
  linkTypeName,
  linkTypeShortName,
} from './link-type.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { runTool, scratchDir } from '../capture/test-support.js';

test('link type constants have their registered values', () => {
  assert.equal(LINKTYPE.NULL, 0);
  assert.equal(LINKTYPE_ETHERNET, 1);
  assert.equal(LINKTYPE.IEEE802_5, 6);
  assert.equal(LINKTYPE.PPP, 9);
  assert.equal(LINKTYPE.DLT_RAW_12, 12);
  assert.equal(LINKTYPE.DLT_RAW_14, 14);
  assert.equal(LINKTYPE.RAW, 101);
  assert.equal(LINKTYPE_IEEE802_11, 105);
  assert.equal(LINKTYPE.LOOP, 108);
  assert.equal(LINKTYPE.LINUX_SLL, 113);
  assert.equal(LINKTYPE.IEEE802_11_RADIOTAP, 127);
  assert.equal(LINKTYPE.IPV4, 228);
  assert.equal(LINKTYPE.IPV6, 229);
  assert.equal(LINKTYPE_LINUX_SLL2, 276);
});

test('linkTypeName() gives the names capinfos prints, and a LINKTYPE_n fallback', () => {
  assert.equal(linkTypeName(1), 'Ethernet');
  assert.equal(linkTypeName(105), 'IEEE 802.11 Wireless LAN');
  assert.equal(linkTypeShortName(105), 'ieee-802-11');
  assert.equal(linkTypeName(4), 'LINKTYPE_4');
  assert.equal(linkTypeShortName(4), 'linktype-4');
  assert.deepEqual(knownLinkTypes().slice(0, 3), [0, 1, 2]);
});

test('isRawIpLinkType() is true for the raw IP link types only', () => {
  for (const lt of [12, 14, 101, 228, 229]) assert.equal(isRawIpLinkType(lt), true, String(lt));
  for (const lt of [0, 1, 105, 113, 276]) assert.equal(isRawIpLinkType(lt), false, String(lt));
});

test('linkTypeName() and linkTypeShortName() agree with capinfos on files written with those link types', () => {
  const scratch = scratchDir();
  try {
    for (const lt of [0, 1, 9, 12, 101, 105, 108, 113, 127, 228, 229, 276]) {
      const path = scratch.path(`lt${lt}.pcap`);
      const w = new PcapWriter({ to: path, linkType: lt });
      w.writePacket({ tsSec: 1, tsNsec: 0, data: new Uint8Array(40) });
      w.close();
      const long = runTool('capinfos', ['-E', path]);
      assert.equal(long.stderr, '', `capinfos stderr for ${lt}`);
      assert.match(long.stdout, new RegExp(`File encapsulation:\\s+${linkTypeName(lt).replace(/[().]/g, '\\$&')}\\n`), `long name of ${lt}`);
      const short = runTool('capinfos', ['-T', '-E', path]);
      assert.equal(short.stdout.trim().split('\n')[1].split('\t')[1], linkTypeShortName(lt), `short name of ${lt}`);
    }
  } finally {
    scratch.remove();
  }
});
