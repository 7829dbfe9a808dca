import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { formatMac, parseMac } from '../../core/bytes.js';
import { CollectingContext } from '../context.js';
import { ReportedEndCollectingContext } from '../net/reported-end.js';
import { decodeIeee80211, ieee80211Codec, type Ieee80211Layer } from './ieee80211.js';
import { llcCodec } from './llc.js';
import {
  HAVE_TSHARK,
  assertEveryTruncationFails,
  assertRandomBytesNeverThrow,
  decodeAt,
  embed,
  hex,
  roundTripAt,
  tsharkFields,
} from './test-codec-kit.js';

// A real capture beside the repository (../shared/captures).
const WLAN_CAPTURE = fileURLToPath(new URL('../../../../shared/captures/wlan-80211-plain-dns-mdns.pcap', import.meta.url));
const LINKTYPE_IEEE802_11 = 105;
const A1 = '111111111111';
const A2 = '222222222222';
const A3 = '333333333333';
const A4 = '444444444444';
const LLC_IPV4 = 'aaaa03 000000 0800 45000014 00010000 40ff0000 0a000001 0a000002';
const CCMP_BODY = '0100002000000000' + '00'.repeat(24);

const decode = ieee80211Codec.decode;
const withFcs = (b: Uint8Array, o: number, e: number, c: CollectingContext): Ieee80211Layer | null =>
  decodeIeee80211(b, o, e, c, true);
const padded = (b: Uint8Array, o: number, e: number, c: CollectingContext): Ieee80211Layer | null =>
  decodeIeee80211(b, o, e, c, false, true);

/** Frames of every header shape, named, as hex. */
const FRAMES: Record<string, string> = {
  beacon: '8000 0000 ffffffffffff' + A2 + A3 + '1000' + '00'.repeat(12) + '6400 0104 0000',
  data00: '0800 0000' + A1 + A2 + A3 + '2000' + LLC_IPV4,
  data01: '0801 0000' + A1 + A2 + A3 + '2000' + LLC_IPV4,
  data10: '0802 0000' + A1 + A2 + A3 + '2000' + LLC_IPV4,
  data11: '0803 0000' + A1 + A2 + A3 + '2000' + A4 + LLC_IPV4,
  qos11htc: '8883 3000' + A1 + A2 + A3 + '2100' + A4 + '0500 0a0b0c0d' + LLC_IPV4,
  amsdu00: '8840 0000' + A1 + A2 + A3 + '2000 8000' + CCMP_BODY,
  amsdu01: '8841 0000' + A1 + A2 + A3 + '2000 8000' + CCMP_BODY,
  amsdu10: '8842 0000' + A1 + A2 + A3 + '2000 8000' + CCMP_BODY,
  amsdu11: '8843 0000' + A1 + A2 + A3 + '2000' + A4 + '8000' + CCMP_BODY,
  protected: '0841 3a01' + A1 + A2 + A3 + '4000' + CCMP_BODY,
  nullFunction: '4811 0000' + A1 + A2 + A3 + '3000',
  qosNull: 'c801 0000' + A1 + A2 + A3 + '3000 0000',
  rts: 'b400 1e00' + A1 + A2,
  cts: 'c400 1e00' + A1,
  ack: 'd400 0000' + A1,
  psPoll: 'a400 01c0' + A1 + A2,
  blockAckRequest: '8400 0000' + A1 + A2 + '0400 1000',
  blockAck: '9400 0000' + A1 + A2 + '0500 1000' + '00'.repeat(8),
  cfEnd: 'e400 0000' + A1 + A2,
  cfEndAck: 'f400 0000' + A1 + A2,
  ndpAnnouncement: '5400 0000' + A1 + A2 + '000000',
  beamformingPoll: '4400 0000' + A1 + A2 + '00',
  reservedControl: '0400 0000' + A1,
  tack: '3400 0000' + A1 + A2 + '0000 0000',
  controlFrameExtension: '6400 0000' + A1 + A2,
  dmgBeacon: '0c00 0000' + A1 + '00'.repeat(10),
  managementHtc: '8080 0000 ffffffffffff' + A2 + A3 + '1000 01020304' + '00'.repeat(12) + '6400 0104 0000',
  dataOrderNoHtc: '0880 0000' + A1 + A2 + A3 + '2000' + LLC_IPV4,
};

const mac = (v: number | null): string => (v === null ? '' : formatMac(v));

/** Frames of a little-endian pcap, read by hand (24-byte file header, 16-byte record headers). */
function pcapFrames(file: string): Uint8Array[] {
  const b = readFileSync(file);
  assert.equal(b.readUInt32LE(0), 0xa1b2c3d4);
  assert.equal(b.readUInt32LE(20), LINKTYPE_IEEE802_11);
  const frames: Uint8Array[] = [];
  for (let at = 24; at + 16 <= b.length; ) {
    const capLen = b.readUInt32LE(at + 8);
    frames.push(new Uint8Array(b.subarray(at + 16, at + 16 + capLen)));
    at += 16 + capLen;
  }
  return frames;
}

test('decodeIeee80211 gives the addresses tshark shows for the frames of a real 802.11 capture', { skip: !existsSync(WLAN_CAPTURE) }, () => {
  const frames = pcapFrames(WLAN_CAPTURE);
  const got = frames.map((f) => {
    const { layer, ctx } = decodeAt(decode, f, 17);
    assert.deepEqual(ctx.anomalies, []);
    assert.equal(layer?.payloadKind, 'llc');
    assert.equal(layer!.headerLength + layer!.payloadLength, f.length);
    const llc = llcCodec.decode(f, layer!.headerLength, f.length, new CollectingContext());
    assert.equal(llc?.oui, 0);
    assert.equal(llc?.etherType, f === frames[2] ? 0x86dd : 0x0800);
    const l = layer!;
    return [l.type, l.subtype, mac(l.receiver), mac(l.transmitter), mac(l.source), mac(l.destination), mac(l.bssid), String(l.sequence)];
  });
  // tshark -r wlan-80211-plain-dns-mdns.pcap -T fields -e wlan.ra -e wlan.ta -e wlan.sa -e wlan.da -e wlan.bssid -e wlan.seq
  assert.deepEqual(got, [
    [2, 8, '8a:15:14:9b:5a:e0', '90:72:40:97:b6:f5', '90:72:40:97:b6:f5', '44:2b:03:aa:ab:8d', '8a:15:14:9b:5a:e0', '1'],
    [2, 8, '90:72:40:97:b6:f5', '8a:15:14:9b:5a:e0', '44:2b:03:aa:ab:8d', '90:72:40:97:b6:f5', '8a:15:14:9b:5a:e0', '4'],
    [2, 0, '33:33:00:00:00:fb', '8a:15:14:9b:5a:e0', 'a4:67:06:f7:ec:54', '33:33:00:00:00:fb', '8a:15:14:9b:5a:e0', '2779'],
  ]);
  if (HAVE_TSHARK) {
    const fields = ['wlan.fc.type', 'wlan.fc.subtype', 'wlan.ra', 'wlan.ta', 'wlan.sa', 'wlan.da', 'wlan.bssid', 'wlan.seq'];
    const rows = tsharkFields(LINKTYPE_IEEE802_11, frames, fields);
    assert.deepEqual(rows, got.map((r) => r.map(String)));
  }
});

test('decodeIeee80211 derives RA, TA, SA, DA and BSSID for every frame shape as tshark does', { skip: !HAVE_TSHARK }, () => {
  const names = Object.keys(FRAMES);
  const frames = names.map((n) => hex(FRAMES[n]));
  const rows = tsharkFields(LINKTYPE_IEEE802_11, frames, ['wlan.ra', 'wlan.ta', 'wlan.sa', 'wlan.da', 'wlan.bssid']);
  names.forEach((name, i) => {
    const { layer, ctx } = decodeAt(decode, frames[i]);
    assert.deepEqual(ctx.anomalies, [], name);
    const ours = [mac(layer!.receiver), mac(layer!.transmitter), mac(layer!.source), mac(layer!.destination), mac(layer!.bssid)];
    // tshark takes an A-MSDU's SA/DA from its subframes (here encrypted, so none) and lists a
    // four-address A-MSDU's two BSSID fields; the layer gives the first.
    const theirs = rows[i].map((cell) => cell.split(',')[0]);
    assert.deepEqual(ours, theirs, name);
  });
});

test('decodeIeee80211 decodes ACK and CTS as 10-byte and RTS as 16-byte headers without anomalies', () => {
  for (const [name, size] of [['ack', 10], ['cts', 10], ['rts', 16], ['psPoll', 16], ['cfEnd', 16]] as const) {
    const { layer, ctx } = decodeAt(decode, hex(FRAMES[name]));
    assert.deepEqual(ctx.anomalies, [], name);
    assert.equal(layer?.headerLength, size, name);
    assert.equal(layer?.payloadKind, 'none', name);
    assert.equal(layer?.sequence, null, name);
  }
  const rts = decodeAt(decode, hex(FRAMES.rts)).layer!;
  assert.equal(rts.duration, 30);
  assert.equal(formatMac(rts.transmitter!), '22:22:22:22:22:22');
  const ack = decodeAt(decode, hex(FRAMES.ack)).layer!;
  assert.equal(ack.addr2, null);
  assert.equal(ack.transmitter, null);
});

test('decodeIeee80211 reads QoS and HT control, four addresses and the A-MSDU bit', () => {
  const { layer } = decodeAt(decode, hex(FRAMES.qos11htc));
  assert.equal(layer?.headerLength, 36);
  assert.equal(layer?.qosControl, 0x0005);
  assert.equal(layer?.htControl, 0x0d0c0b0a);
  assert.equal(formatMac(layer!.addr4!), '44:44:44:44:44:44');
  assert.equal(layer?.sequence, 2);
  assert.equal(layer?.fragment, 1);
  assert.equal(layer?.payloadKind, 'llc');
  const amsdu = decodeAt(decode, hex(FRAMES.amsdu00)).layer!;
  assert.equal(amsdu.amsdu, true);
  const mgmt = decodeAt(decode, hex(FRAMES.managementHtc)).layer!;
  assert.equal(mgmt.headerLength, 28);
  assert.equal(mgmt.htControl, 0x04030201);
  const noHtc = decodeAt(decode, hex(FRAMES.dataOrderNoHtc)).layer!;
  assert.equal(noHtc.headerLength, 24);
  assert.equal(noHtc.htControl, null);
  assert.equal(noHtc.order, true);
});

test('decodeIeee80211 says which frames carry LLC, which are encrypted and which have no payload', () => {
  const kinds = Object.fromEntries(Object.keys(FRAMES).map((n) => [n, decodeAt(decode, hex(FRAMES[n])).layer!.payloadKind]));
  assert.equal(kinds.data00, 'llc');
  assert.equal(kinds.data11, 'llc');
  assert.equal(kinds.protected, 'encrypted');
  assert.equal(kinds.amsdu11, 'encrypted');
  assert.equal(kinds.nullFunction, 'none');
  assert.equal(kinds.qosNull, 'none');
  assert.equal(kinds.beacon, 'none');
  assert.equal(kinds.blockAck, 'none');
  const prot = decodeAt(decode, hex(FRAMES.protected)).layer!;
  assert.equal(prot.payloadLength, CCMP_BODY.length / 2, 'the encrypted size is the whole body');
  const plainAmsdu = decodeAt(decode, hex('8800 0000' + A1 + A2 + A3 + '2000 8000' + '00'.repeat(20))).layer!;
  assert.equal(plainAmsdu.payloadKind, 'none');
  const emptyData = decodeAt(decode, hex('0800 0000' + A1 + A2 + A3 + '2000')).layer!;
  assert.equal(emptyData.payloadKind, 'none');
});

test('decodeIeee80211 takes the FCS off the end when asked and reports a frame too short to hold it', () => {
  const frame = hex(FRAMES.data00 + 'deadbeef');
  const { layer, ctx } = decodeAt(withFcs, frame);
  assert.deepEqual(ctx.anomalies, []);
  assert.equal(layer?.fcs, 0xefbeadde);
  assert.equal(layer?.payloadLength, frame.length - 24 - 4);
  const ack = decodeAt(withFcs, hex(FRAMES.ack + '01020304')).layer!;
  assert.equal(ack.fcs, 0x04030201);
  assert.equal(ack.payloadLength, 0);
  const short = decodeAt(withFcs, hex(FRAMES.ack + '0102'));
  assert.equal(short.layer?.fcs, null);
  assert.equal(short.layer?.payloadLength, 0);
  assert.deepEqual(short.ctx.anomalies.map((a) => [a.kind, a.offset]), [['ieee80211_missing_fcs', 10]]);
});

test('decodeIeee80211 keeps every captured byte as body when the snap length cut the frame before or inside its FCS', () => {
  const frame = hex(FRAMES.data00 + 'deadbeef');
  const k = 5;
  const buf = embed(frame, k);
  for (const missing of [2, 4, 9]) {
    const ctx = new ReportedEndCollectingContext(k, k + frame.length);
    const layer = decodeIeee80211(buf, k, k + frame.length - missing, ctx, true)!;
    assert.deepEqual(ctx.anomalies, [], `${missing} bytes missing`);
    assert.equal(layer.fcs, null, 'the FCS was not captured whole');
    assert.equal(layer.payloadLength, frame.length - 24 - Math.max(4, missing), `${missing} bytes missing`);
  }
  const whole = new ReportedEndCollectingContext(k, k + frame.length);
  assert.equal(decodeIeee80211(buf, k, k + frame.length, whole, true)?.fcs, 0xefbeadde);
});

test('decodeIeee80211 reports the padding after a data header cut short, but not after a null function header', () => {
  const qos = hex('8801 0000' + A1 + A2 + A3 + '2000 0000');
  const cut = decodeAt(padded, qos);
  assert.equal(cut.layer?.headerLength, 26);
  assert.deepEqual(cut.ctx.anomalies.map((a) => [a.kind, a.offset]), [['ieee80211_truncated', 26]]);
  const qosNull = decodeAt(padded, hex(FRAMES.qosNull));
  assert.deepEqual(qosNull.ctx.anomalies, []);
});

test('decodeIeee80211 skips the data padding radiotap announces after a header that is not a multiple of 4', () => {
  const frame = hex('8801 0000' + A1 + A2 + A3 + '2000 0000' + '0000' + LLC_IPV4);
  const { layer } = decodeAt(padded, frame);
  assert.equal(layer?.headerPadding, 2);
  assert.equal(layer?.headerLength, 28);
  assert.equal(layer?.payloadLength, LLC_IPV4.replace(/ /g, '').length / 2);
  assert.equal(decodeAt(padded, hex(FRAMES.data00)).layer?.headerPadding, 0);
});

test('decodeIeee80211 does not decode a protocol version other than 0', () => {
  const { layer, ctx } = decodeAt(decode, hex('0900 0000' + A1 + A2 + A3 + '2000'));
  assert.equal(layer, null);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['ieee80211_bad_version']);
});

test('ieee80211Codec round-trips every frame shape at an offset inside a larger buffer', () => {
  for (const [name, text] of Object.entries(FRAMES)) {
    const frame = hex(text);
    const layer = decodeAt(decode, frame).layer!;
    const body = frame.subarray(layer.headerLength);
    const header = roundTripAt(ieee80211Codec, layer, { payload: body, k: 19 });
    assert.deepEqual(header, frame.subarray(0, layer.headerLength), name);
  }
});

test('ieee80211Codec round-trips QoS, HT control, four addresses, protection, padding and FCS', () => {
  const base = decodeAt(decode, hex(FRAMES.qos11htc)).layer!;
  const payload = hex(LLC_IPV4 + 'cafebabe');
  const layer: Ieee80211Layer = {
    ...base,
    retry: true,
    powerManagement: true,
    moreData: true,
    moreFragments: true,
    duration: 0xffff,
    sequence: 4095,
    fragment: 15,
    qosControl: 0xffff,
    amsdu: true,
    htControl: 0xffff_ffff,
    protected: true,
    payloadKind: 'encrypted',
    addr1: parseMac('ff:ff:ff:ff:ff:ff'),
    receiver: parseMac('ff:ff:ff:ff:ff:ff'),
    source: null,
    destination: null,
    bssid: base.addr3,
    payloadLength: payload.length - 4,
    fcs: 0xbebafeca,
  };
  roundTripAt(ieee80211Codec, layer, { payload, decode: withFcs });
  const pad = decodeAt(padded, hex('8801 0000' + A1 + A2 + A3 + '2000 0000 0000' + LLC_IPV4)).layer!;
  roundTripAt(ieee80211Codec, pad, { payload: hex(LLC_IPV4), decode: padded, k: 0 });
  const wrapper = decodeAt(decode, hex('7400 0000' + A1 + 'd400 01020304')).layer!;
  assert.equal(wrapper.carriedFrameControl, 0x00d4);
  assert.equal(wrapper.htControl, 0x04030201);
  roundTripAt(ieee80211Codec, wrapper);
});

test('decodeIeee80211 reports a header cut at any length and returns null', () => {
  for (const [name, text] of Object.entries(FRAMES)) {
    const frame = hex(text);
    const size = decodeAt(decode, frame).layer!.headerLength;
    assertEveryTruncationFails(decode, frame, size, 'ieee80211_truncated');
    assertEveryTruncationFails(withFcs, frame, size, 'ieee80211_truncated');
    assert.ok(size >= 10, name);
  }
});

test('decodeIeee80211 never throws on random bytes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 10, maxLength: 64, count: 4000 });
  assertRandomBytesNeverThrow(withFcs, { seed: 11, maxLength: 40 });
  assertRandomBytesNeverThrow(padded, { seed: 12, maxLength: 40, prefix: hex('8803') });
});

test('decodeIeee80211 frame control, sequence, QoS and FCS values match tshark', { skip: !HAVE_TSHARK }, () => {
  const frames = [hex(FRAMES.qos11htc + 'deadbeef'), hex(FRAMES.protected + '01020304'), hex(FRAMES.rts + 'a0b0c0d0')];
  const rows = tsharkFields(LINKTYPE_IEEE802_11, frames, [
    'wlan.fc.type_subtype',
    'wlan.fc.retry',
    'wlan.fc.protected',
    'wlan.duration',
    'wlan.seq',
    'wlan.frag',
    'wlan.qos.tid',
    'wlan.htc',
  ]);
  const opt = (v: number | null, text: (v: number) => string = String): string => (v === null ? '' : text(v));
  const ours = frames.map((f) => {
    const l = decodeAt(decode, f).layer!;
    const q = l.qosControl;
    return [
      `0x${((l.type << 4) | l.subtype).toString(16).padStart(4, '0')}`,
      l.retry ? '1' : '0',
      l.protected ? '1' : '0',
      String(l.duration),
      opt(l.sequence),
      opt(l.fragment),
      opt(q, (v) => String(v & 0x0f)),
      opt(l.htControl, (v) => `0x${v.toString(16).padStart(8, '0')}`),
    ];
  });
  assert.deepEqual(rows, ours);
});
