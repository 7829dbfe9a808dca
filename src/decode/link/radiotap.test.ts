import { test } from 'node:test';
import assert from 'node:assert/strict';
import { radiotapCodec, type RadiotapLayer } from './radiotap.js';
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
import { CollectingContext } from '../context.js';

const decode = radiotapCodec.decode;
const ACK_FRAME = hex('d400 0000 111111111111');
const ACK_WITH_FCS = hex('d400 0000 111111111111 deadbeef');

/** TSFT, Flags (FCS at end), Rate 5.5, Channel 2412/0x00a0, signal -60 dBm, noise -95 dBm. */
const NAMED_HEADER = hex('00 00 1800 6f000000 0102030405060708 10 0b 6c09 a000 c4 a1');

/** Linux mac80211 style: three present words (bit 29 + 31), per-antenna signal in words 2 and 3. */
const LINUX_HEADER = hex('00001e00 2e4000a0 200800a0 20080000 10 0c 8509 a000 c4 00 0000 c2 00 c6 01');

/** TSFT, Flags, a vendor namespace (OUI 00:11:22, sub 1, 3 bytes skipped), then radiotap signal+antenna. */
const VENDOR_HEADER = hex('00002500 030000c0 010000a0 20080000 8877665544332211 00 00 00112201 0300 deadbe b0 02');

function named(fields: Partial<RadiotapLayer>): RadiotapLayer {
  return {
    kind: 'radiotap',
    offset: 0,
    headerLength: 24,
    payloadLength: 0,
    version: 0,
    pad: 0,
    length: 24,
    present: [0x6f],
    tsft: 0x0807060504030201n,
    flags: 0x10,
    rateMbps: 5.5,
    channelFrequencyMhz: 2412,
    channelFlags: 0x00a0,
    antennaSignalDbm: -60,
    antennaNoiseDbm: -95,
    fcsAtEnd: true,
    dataPad: false,
    badFcs: false,
    otherFieldsHex: '',
    ...fields,
  };
}

/** Builds a header the independent way: present bits in order, each field aligned to `align`. */
function build(bits: readonly number[], fill: (bit: number, i: number) => number): Uint8Array {
  const align = [8, 1, 1, 2, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 4, 1, 4, 2, 8, 2, 2, 2, 1, 2];
  const size = [8, 1, 1, 4, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 8, 3, 8, 12, 12, 12, 12, 6, 1, 4];
  let present = 0;
  for (const b of bits) present |= 1 << b;
  const out: number[] = [0, 0, 0, 0, present & 0xff, (present >>> 8) & 0xff, (present >>> 16) & 0xff, present >>> 24];
  for (const b of [...bits].sort((x, y) => x - y)) {
    while (out.length % align[b] !== 0) out.push(0);
    for (let i = 0; i < size[b]; i++) out.push(fill(b, i));
  }
  out[2] = out.length & 0xff;
  out[3] = out.length >>> 8;
  return Uint8Array.from(out);
}

function reencode(layer: RadiotapLayer): Uint8Array {
  const out = new Uint8Array(radiotapCodec.encodingLength(layer) + 5).fill(0x5a);
  assert.equal(radiotapCodec.encode(layer, out, 5), 5 + layer.length);
  return out.subarray(5, 5 + layer.length);
}

test('radiotapCodec decodes TSFT, flags, rate, channel, signal and noise and sees the FCS flag', () => {
  const { layer, ctx } = decodeAt(decode, Uint8Array.from([...NAMED_HEADER, ...ACK_WITH_FCS]));
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(layer, named({ payloadLength: ACK_WITH_FCS.length }));
});

test('radiotapCodec round-trips named fields at an offset inside a larger buffer', () => {
  roundTripAt(radiotapCodec, named({ payloadLength: ACK_FRAME.length }), { payload: ACK_FRAME });
  const bytes = roundTripAt(radiotapCodec, named({}), { k: 3 });
  assert.deepEqual(bytes, NAMED_HEADER);
  const extremes = named({
    tsft: 0xffff_ffff_ffff_ffffn,
    flags: 0x62,
    rateMbps: 127.5,
    channelFrequencyMhz: 65535,
    channelFlags: 0xffff,
    antennaSignalDbm: -128,
    antennaNoiseDbm: 127,
    fcsAtEnd: false,
    dataPad: true,
    badFcs: true,
  });
  roundTripAt(radiotapCodec, extremes, { k: 1 });
});

test('radiotapCodec pads each field to its natural alignment after extended present words', () => {
  // Two present words, so fields start at 12: 4 bytes of padding align TSFT to 16; one byte after
  // Flags aligns Channel to 26; 2 trailing bytes stay raw.
  const bytes = hex('00 00 2000 0b000080 00000000' + '00000000' + '1122334455667788 02' + '00' + '8509 4000 ffff');
  const { layer, ctx } = decodeAt(decode, bytes);
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(layer?.present, [0x8000000b, 0]);
  assert.equal(layer?.tsft, 0x8877665544332211n);
  assert.equal(layer?.flags, 0x02);
  assert.equal(layer?.channelFrequencyMhz, 2437);
  assert.equal(layer?.channelFlags, 0x0040);
  assert.equal(layer?.otherFieldsHex, 'ffff');
  assert.deepEqual(reencode(layer!), bytes);
  roundTripAt(radiotapCodec, layer!, { k: 6 });
});

test('radiotapCodec names the first word fields and keeps later namespaces raw, re-encoding byte for byte', () => {
  const { layer, ctx } = decodeAt(decode, Uint8Array.from([...LINUX_HEADER, ...ACK_FRAME]));
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(layer?.present, [0xa000402e, 0xa0000820, 0x00000820]);
  assert.equal(layer?.antennaSignalDbm, -60);
  assert.equal(layer?.rateMbps, 6);
  assert.equal(layer?.channelFrequencyMhz, 2437);
  assert.equal(layer?.fcsAtEnd, true);
  assert.equal(layer?.otherFieldsHex, '0000' + 'c200' + 'c601');
  assert.deepEqual(reencode(layer!), LINUX_HEADER);
  roundTripAt(radiotapCodec, layer!, { payload: ACK_FRAME, k: 11 });
});

test('radiotapCodec skips vendor namespace data by its skip length and resumes the radiotap namespace', () => {
  const { layer, ctx } = decodeAt(decode, Uint8Array.from([...VENDOR_HEADER, ...ACK_FRAME]));
  assert.deepEqual(ctx.anomalies, []);
  assert.equal(layer?.tsft, 0x1122334455667788n);
  assert.equal(layer?.flags, 0);
  assert.equal(layer?.antennaSignalDbm, null, 'the signal of the third word is not a first-word field');
  assert.equal(layer?.otherFieldsHex, '001122010300deadbe' + 'b002');
  assert.deepEqual(reencode(layer!), VENDOR_HEADER);
  roundTripAt(radiotapCodec, layer!, { payload: ACK_FRAME });
});

test('radiotapCodec re-encodes a header with every field of bits 0 to 27 byte for byte', () => {
  const bits = Array.from({ length: 28 }, (_, i) => i);
  const bytes = build(bits, (b, i) => (b * 16 + i + 1) & 0xff);
  const { layer, ctx } = decodeAt(decode, bytes);
  assert.deepEqual(ctx.anomalies, []);
  assert.equal(layer?.tsft, 0x0807060504030201n);
  assert.equal(layer?.antennaNoiseDbm, 0x61);
  assert.deepEqual(reencode(layer!), bytes);
  roundTripAt(radiotapCodec, layer!, { k: 9 });
});

test('radiotapCodec keeps TLVs and fields it does not know as raw bytes', () => {
  // Flags, then bit 28 (TLVs): the walk stops after Flags and the rest stays raw.
  const tlv = hex('00 00 1400 02000010 10 000000 0500 0100 c4000000');
  const { layer, ctx } = decodeAt(decode, tlv);
  assert.deepEqual(ctx.anomalies, []);
  assert.equal(layer?.flags, 0x10);
  assert.equal(layer?.otherFieldsHex, '000000' + '05000100c4000000');
  assert.deepEqual(reencode(layer!), tlv);
  // Bits 32 and up of a radiotap namespace word without a namespace switch are undefined.
  const unknown = hex('00 00 1000 02000080 01000000 10 aabbcc');
  const u = decodeAt(decode, unknown);
  assert.equal(u.layer?.flags, 0x10);
  assert.equal(u.layer?.otherFieldsHex, 'aabbcc');
  assert.deepEqual(reencode(u.layer!), unknown);
});

test('radiotapCodec reports a field running past the header length and keeps the rest raw', () => {
  const bytes = hex('00 00 0c00 03000000 aabbccdd');
  const { layer, ctx } = decodeAt(decode, Uint8Array.from([...bytes, ...ACK_FRAME]));
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['radiotap_field_overrun', 8]]);
  assert.equal(layer?.tsft, null);
  assert.equal(layer?.otherFieldsHex, 'aabbccdd');
  assert.equal(layer?.payloadLength, ACK_FRAME.length);
  assert.deepEqual(reencode(layer!), bytes);
});

test('radiotapCodec reports a version other than 0 and keeps its fields raw', () => {
  const bytes = hex('01 00 0c00 02000000 10 000000');
  const { layer, ctx } = decodeAt(decode, bytes);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['radiotap_bad_version']);
  assert.equal(layer?.flags, null);
  assert.equal(layer?.otherFieldsHex, '10000000');
  assert.deepEqual(reencode(layer!), bytes);
});

test('radiotapCodec returns null for a length below 8, past the frame, or shorter than its present words', () => {
  const small = decodeAt(decode, hex('00 00 0700 00000000 00'));
  assert.equal(small.layer, null);
  assert.deepEqual(small.ctx.anomalies.map((a) => [a.kind, a.offset]), [['radiotap_bad_length', 2]]);
  const long = decodeAt(decode, hex('00 00 4000 00000000 00'));
  assert.equal(long.layer, null);
  assert.deepEqual(long.ctx.anomalies.map((a) => a.kind), ['radiotap_truncated']);
  const words = decodeAt(decode, hex('00 00 0c00 00000080 00000080 000000'));
  assert.equal(words.layer, null);
  assert.deepEqual(words.ctx.anomalies.map((a) => [a.kind, a.offset]), [['radiotap_bad_length', 12]]);
});

test('radiotapCodec reports a header cut at any length below its length field and returns null', () => {
  assertEveryTruncationFails(decode, NAMED_HEADER, NAMED_HEADER.length, 'radiotap_truncated');
  assertEveryTruncationFails(decode, LINUX_HEADER, LINUX_HEADER.length, 'radiotap_truncated');
  assertEveryTruncationFails(decode, VENDOR_HEADER, VENDOR_HEADER.length, 'radiotap_truncated');
});

test('radiotapCodec never throws on random bytes and re-encodes whatever it decodes', () => {
  assertRandomBytesNeverThrow(decode, { seed: 9, maxLength: 80, prefix: hex('0000') });
  const ctx = new CollectingContext(0);
  const gen = (n: number, s: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + s * 29) & 0xff);
  for (let s = 0; s < 500; s++) {
    const bytes = gen(64, s);
    bytes[0] = 0;
    bytes[2] = 8 + (s % 56);
    bytes[3] = 0;
    const layer = decode(embed(bytes, 2), 2, 2 + bytes.length, new CollectingContext(2));
    if (layer === null) continue;
    const again = reencode(layer);
    assert.deepEqual(decode(again, 0, again.length, ctx), { ...layer, payloadLength: 0 });
  }
});

test('radiotapCodec values match tshark for named fields, later namespaces and vendor data', { skip: !HAVE_TSHARK }, () => {
  const layers = [
    named({}),
    named({
      tsft: 123456789n,
      flags: 0x02,
      rateMbps: 54,
      channelFrequencyMhz: 5180,
      channelFlags: 0x0140,
      antennaSignalDbm: -42,
      antennaNoiseDbm: -101,
      fcsAtEnd: false,
    }),
  ];
  const frames = layers.map((l) => Uint8Array.from([...reencode(l), ...ACK_FRAME, ...(l.fcsAtEnd ? hex('00000000') : [])]));
  frames.push(Uint8Array.from([...LINUX_HEADER, ...ACK_WITH_FCS]), Uint8Array.from([...VENDOR_HEADER, ...ACK_FRAME]));
  const rows = tsharkFields(127, frames, [
    'radiotap.length',
    'radiotap.mactime',
    'radiotap.flags',
    'radiotap.flags.fcs',
    'radiotap.datarate',
    'radiotap.channel.freq',
    'radiotap.channel.flags',
    'radiotap.dbm_antsignal',
    'radiotap.dbm_antnoise',
    'radiotap.antenna',
    'radiotap.vendor_oui',
    'radiotap.vendor_data_len',
    'wlan.ra',
  ]);
  assert.deepEqual(rows, [
    ['24', '578437695752307201', '0x10', '1', '5.5', '2412', '0x00a0', '-60', '-95', '', '', '', '11:11:11:11:11:11'],
    ['24', '123456789', '0x02', '0', '54', '5180', '0x0140', '-42', '-101', '', '', '', '11:11:11:11:11:11'],
    ['30', '', '0x10', '1', '6', '2437', '0x00a0', '-60,-62,-58', '', '0,1', '', '', '11:11:11:11:11:11'],
    ['37', '1234605616436508552', '0x00', '0', '', '', '', '-80', '', '2', '4386', '3', '11:11:11:11:11:11'],
  ]);
});
