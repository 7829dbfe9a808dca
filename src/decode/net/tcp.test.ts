import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip } from './test-codec-conformance.js';
import { makeTcp } from './make-layer.js';
import { ReportedEndCollectingContext } from './reported-end.js';
import { TCP_ACK, TCP_ANOMALIES, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, tcpCodec, tcpOptionsWellFormed, type TcpLayer, type TcpOption } from './tcp.js';
import { seededRandom } from '../../core/random.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

/** A SmartThings hub's SYN (frame 25 of iot-smartthings-hub-nsec.pcap), TCP header only. */
const HUB_SYN = hex('a3d8 01bb cc164174 00000000 a002 7210 59af 0000 020405b4 0402 080affff959300000000 01 030305');

function withOptions(options: TcpOption[], dataOffset: number): TcpLayer {
  return makeTcp({ srcPort: 40000, dstPort: 443, seq: 1, ackNumber: 2, flags: TCP_SYN | TCP_ACK, options, dataOffset });
}

function decodeOptions(options: Uint8Array): { options: readonly TcpOption[] | undefined; anomalies: [string, number][] } {
  const bytes = new Uint8Array(20 + options.length);
  bytes.set(HUB_SYN.subarray(0, 20));
  bytes[12] = ((20 + options.length) / 4) << 4;
  bytes.set(options, 20);
  const ctx = new CollectingContext();
  const tcp = tcpCodec.decode(bytes, 0, bytes.length, ctx);
  return { options: tcp?.options, anomalies: ctx.anomalies.map((a) => [a.kind, a.offset]) };
}

test('decodeTcp() reads a real SYN with MSS, SACK permitted, timestamps and window scale as tshark does', () => {
  const ctx = new CollectingContext();
  const tcp = tcpCodec.decode(HUB_SYN, 0, HUB_SYN.length, ctx);
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(tcp, {
    kind: 'tcp',
    offset: 0,
    headerLength: 40,
    payloadLength: 0,
    srcPort: 41944,
    dstPort: 443,
    seq: 3424010612,
    ackNumber: 0,
    dataOffset: 40,
    flags: 0x002,
    fin: false,
    syn: true,
    rst: false,
    psh: false,
    ack: false,
    urg: false,
    ece: false,
    cwr: false,
    window: 29200,
    checksum: 0x59af,
    urgentPointer: 0,
    options: [
      { kind: 'mss', mss: 1460 },
      { kind: 'sack_permitted' },
      { kind: 'timestamps', value: 0xffff9593, echoReply: 0 },
      { kind: 'nop' },
      { kind: 'window_scale', shift: 5 },
    ],
  });
});

test('decodeTcp() reads each flag bit into its boolean and keeps the AE/NS and reserved bits in flags', () => {
  const named: [number, keyof TcpLayer][] = [
    [TCP_FIN, 'fin'],
    [TCP_SYN, 'syn'],
    [TCP_RST, 'rst'],
    [TCP_PSH, 'psh'],
    [TCP_ACK, 'ack'],
    [TCP_URG, 'urg'],
    [TCP_ECE, 'ece'],
    [TCP_CWR, 'cwr'],
  ];
  for (const [bit, name] of named) {
    const bytes = HUB_SYN.slice(0, 20);
    bytes[12] = 0x50 | 0x0f;
    bytes[13] = bit;
    const tcp = tcpCodec.decode(bytes, 0, 20, new CollectingContext())!;
    assert.equal(tcp.flags, 0xf00 | bit);
    for (const [, other] of named) assert.equal(tcp[other], other === name, `${other} for bit ${bit}`);
  }
});

test('tcpCodec round-trips every option kind at an offset inside a larger buffer', () => {
  const syn: TcpOption[] = [
    { kind: 'mss', mss: 1460 },
    { kind: 'nop' },
    { kind: 'window_scale', shift: 7 },
    { kind: 'sack_permitted' },
    { kind: 'nop' },
    { kind: 'nop' },
    { kind: 'timestamps', value: 0xffffffff, echoReply: 1 },
    { kind: 'other', type: 30, data: hex('0102') },
    { kind: 'other', type: 253, data: new Uint8Array(0) },
    { kind: 'eol' },
  ];
  assertRoundTrip(tcpCodec, withOptions(syn, 52), hex('16030100'));
  const sack: TcpOption[] = [
    { kind: 'nop' },
    { kind: 'nop' },
    { kind: 'sack', blocks: [{ left: 1, right: 2 }, { left: 0xfffffff0, right: 0xffffffff }, { left: 5, right: 6 }] },
  ];
  assertRoundTrip(tcpCodec, withOptions(sack, 48));
});

test('tcpCodec round-trips a header without options and one with nonzero bytes after End of Option List', () => {
  assertRoundTrip(tcpCodec, withOptions([], 20));
  assertRoundTrip(tcpCodec, withOptions([{ kind: 'nop' }, { kind: 'eol' }, { kind: 'unparsed', data: hex('0007') }], 24));
});

test('decodeTcp() reports a header cut at every length, options included, and returns null', () => {
  assertCutsGiveNull(tcpCodec, HUB_SYN, 'tcp');
});

test('decodeTcp() rejects a data offset below 20', () => {
  const bytes = HUB_SYN.slice();
  bytes[12] = 0x40;
  const ctx = new CollectingContext();
  assert.equal(tcpCodec.decode(bytes, 0, bytes.length, ctx), null);
  assert.deepEqual(ctx.anomalies.map((a) => [a.kind, a.offset]), [['tcp_bad_data_offset', 12]]);
});

test('decodeTcp() tells a data offset past the segment on the wire from one cut by the snap length', () => {
  const bytes = HUB_SYN.slice(0, 30);
  const wireShort = new ReportedEndCollectingContext(0, 30);
  assert.equal(tcpCodec.decode(bytes, 0, 30, wireShort), null);
  assert.deepEqual(wireShort.anomalies.map((a) => a.kind), ['tcp_bad_data_offset']);
  const snapped = new ReportedEndCollectingContext(0, 40);
  assert.equal(tcpCodec.decode(bytes, 0, 30, snapped), null);
  assert.deepEqual(snapped.anomalies.map((a) => a.kind), ['tcp_truncated']);
});

test('decodeTcp() reports an option with a length below 2 or past the header and keeps the rest verbatim', () => {
  assert.deepEqual(decodeOptions(hex('01 02 01 00')), {
    options: [{ kind: 'nop' }, { kind: 'unparsed', data: hex('020100') }],
    anomalies: [['tcp_bad_option_length', 21]],
  });
  assert.deepEqual(decodeOptions(hex('01 08 0a 00')), {
    options: [{ kind: 'nop' }, { kind: 'unparsed', data: hex('080a00') }],
    anomalies: [['tcp_bad_option_length', 21]],
  });
  assert.deepEqual(decodeOptions(hex('01 01 01 1e')), {
    options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'unparsed', data: hex('1e') }],
    anomalies: [['tcp_bad_option_length', 23]],
  });
});

test('decodeTcp() reports a known option with the wrong length and keeps it as an other option', () => {
  assert.deepEqual(decodeOptions(hex('0203 05 00')), {
    options: [{ kind: 'other', type: 2, data: hex('05') }, { kind: 'eol' }],
    anomalies: [['tcp_bad_option_length', 20]],
  });
  assert.deepEqual(decodeOptions(hex('0506 01020304 0000')), {
    options: [{ kind: 'other', type: 5, data: hex('01020304') }, { kind: 'eol' }],
    anomalies: [['tcp_bad_option_length', 20]],
  });
});

test('encodeTcp() throws for options that do not fit the data offset (a caller bug)', () => {
  assert.throws(() => tcpCodec.encode(withOptions([{ kind: 'mss', mss: 1 }], 20), new Uint8Array(40), 0), RangeError);
});

test('decodeTcp() never throws on random bytes', () => {
  assertJunkNeverThrows(tcpCodec, TCP_ANOMALIES);
  assertJunkNeverThrows(tcpCodec, TCP_ANOMALIES, { seed: 9, prefix: [...HUB_SYN.subarray(0, 20)] });
});

test('tcpOptionsWellFormed() is true exactly when decoding the options reports no anomaly (random option bytes)', () => {
  const random = seededRandom(20261125);
  // Option kinds weighted towards the ones with rules (EOL, NOP, MSS, WS, SACK-permitted, SACK, TS),
  // mostly with their usual lengths, sometimes with any length.
  const kinds = [0, 1, 1, 2, 3, 4, 5, 8, 8, 30, 254];
  const usualLength: Readonly<Record<number, number>> = { 2: 4, 3: 3, 4: 2, 5: 10, 8: 10, 30: 6, 254: 4 };
  let wellFormed = 0;
  for (let trial = 0; trial < 4000; trial++) {
    const optionBytes = 4 * (1 + Math.floor(random() * 10));
    const segment = new Uint8Array(20 + optionBytes);
    segment[12] = ((20 + optionBytes) / 4) << 4;
    for (let i = 20; i < segment.length; ) {
      const kind = kinds[Math.floor(random() * kinds.length)];
      segment[i++] = kind;
      if (kind > 1 && i < segment.length) segment[i++] = random() < 0.8 ? usualLength[kind] : Math.floor(random() * 12);
      while (i < segment.length && random() < 0.3) segment[i++] = Math.floor(random() * 256);
    }
    const ctx = new CollectingContext();
    assert.ok(tcpCodec.decode(segment, 0, segment.length, ctx), `trial ${trial} decodes`);
    const clean = !ctx.anomalies.some((a) => a.kind === 'tcp_bad_option_length');
    assert.equal(tcpOptionsWellFormed(segment, 20, segment.length), clean, `trial ${trial}: ${[...segment.subarray(20)].join(' ')}`);
    if (clean) wellFormed++;
  }
  assert.ok(wellFormed > 400 && wellFormed < 3600, `both outcomes are exercised (${wellFormed} well formed of 4000)`);
});
