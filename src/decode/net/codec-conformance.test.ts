import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerBase, LayerCodec } from '../layer.js';
import { assertCutsGiveNull, assertJunkNeverThrows, assertRoundTrip, seededRandom } from './test-codec-conformance.js';

interface ByteLayer extends LayerBase {
  readonly kind: 'byte';
  readonly value: number;
}

/** A one-byte header; `flaw` breaks one rule the conformance checks look for. */
function byteCodec(flaw: 'none' | 'loses-value' | 'writes-past' | 'throws' | 'ignores-cut'): LayerCodec<ByteLayer> {
  return {
    kind: 'byte',
    decode(bytes, offset, end, ctx) {
      if (flaw === 'throws' && bytes[offset] === 0x42) throw new Error('boom');
      if (flaw !== 'ignores-cut' && end - offset < 1) {
        ctx.anomaly('byte_truncated', offset, 'empty');
        return null;
      }
      const value = flaw === 'loses-value' ? 0 : bytes[offset];
      return { kind: 'byte', offset: offset - ctx.base, headerLength: 1, payloadLength: Math.max(0, end - offset - 1), value };
    },
    encode(layer, out, offset) {
      out[offset] = layer.value;
      if (flaw === 'writes-past') out[offset + 1] = 0;
      return offset + 1;
    },
    encodingLength: () => 1,
  };
}

const sample: ByteLayer = { kind: 'byte', offset: 0, headerLength: 1, payloadLength: 0, value: 7 };

test('the conformance checks pass a codec that follows the contract', () => {
  assertRoundTrip(byteCodec('none'), sample, new Uint8Array(3));
  assertCutsGiveNull(byteCodec('none'), new Uint8Array([7]), 'byte');
  assertJunkNeverThrows(byteCodec('none'), { byte_truncated: 'empty' }, { rounds: 200 });
});

test('assertRoundTrip() catches a codec that loses a field or writes past its length', () => {
  assert.throws(() => assertRoundTrip(byteCodec('loses-value'), sample));
  assert.throws(() => assertRoundTrip(byteCodec('writes-past'), sample));
});

test('assertCutsGiveNull() catches a codec that decodes a cut header', () => {
  assert.throws(() => assertCutsGiveNull(byteCodec('ignores-cut'), new Uint8Array([7]), 'byte'));
});

test('assertJunkNeverThrows() catches a decoder that throws', () => {
  assert.throws(() => assertJunkNeverThrows(byteCodec('throws'), { byte_truncated: 'empty' }, { prefix: [0x42] }));
});

test('seededRandom() repeats its sequence for a seed', () => {
  const a = seededRandom(3);
  const b = seededRandom(3);
  const first = [a(), a(), a()];
  assert.deepEqual(first, [b(), b(), b()]);
  assert.ok(first.every((x) => x >= 0 && x < 1));
  assert.notEqual(seededRandom(4)(), first[0]);
});
