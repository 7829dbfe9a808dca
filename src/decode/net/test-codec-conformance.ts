/**
 * Checks every codec must pass (after hono's shared router suite): a value survives encode and decode
 * at an offset inside a larger buffer, a header cut at any length gives an anomaly and null, and
 * random bytes never make a decoder throw. Test files call these with their own samples.
 *
 * ```ts
 * test('udpCodec round-trips', () => assertRoundTrip(udpCodec, makeUdp({ srcPort: 1, dstPort: 2, length: 8 })));
 * ```
 */
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import type { LayerBase, LayerCodec } from '../layer.js';
import { seededRandom } from '../../core/random.js';

const BEFORE_BYTES = 7;
const AFTER_BYTES = 5;
const BASE = 3;
const FILL = 0xee;

/**
 * Encodes `value` at an offset inside a larger buffer, appends `body`, decodes it back with a context
 * whose base is not 0, and checks the decoded layer equals `value` (with its offset, header length
 * and payload length as placed) and no anomaly was reported. Returns the encoded header bytes.
 */
export function assertRoundTrip<L extends LayerBase & { kind: string }>(
  codec: LayerCodec<L>,
  value: L,
  body: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const length = codec.encodingLength(value);
  const buf = new Uint8Array(BEFORE_BYTES + length + body.length + AFTER_BYTES).fill(FILL);
  const end = codec.encode(value, buf, BEFORE_BYTES);
  assert.equal(end, BEFORE_BYTES + length, 'encode returns the end offset');
  assert.ok(buf.subarray(BEFORE_BYTES + length).every((b) => b === FILL), 'encode writes nothing past its length');
  assert.ok(buf.subarray(0, BEFORE_BYTES).every((b) => b === FILL), 'encode writes nothing before its offset');
  buf.set(body, end);
  const ctx = new CollectingContext(BASE);
  const decoded = codec.decode(buf, BEFORE_BYTES, end + body.length, ctx);
  assert.deepEqual(ctx.anomalies, []);
  assert.deepEqual(decoded, {
    ...value,
    offset: BEFORE_BYTES - BASE,
    headerLength: length,
    payloadLength: body.length,
  });
  return buf.slice(BEFORE_BYTES, end);
}

/**
 * Decodes `bytes` cut to every length below `fullLength` (default: all of it) and checks each cut
 * gives null and at least one anomaly whose kind starts with `${layer}_`, without throwing.
 */
export function assertCutsGiveNull<L extends { kind: string }>(
  codec: LayerCodec<L>,
  bytes: Uint8Array,
  layer: string,
  fullLength = bytes.length,
): void {
  for (let cut = 0; cut < fullLength; cut++) {
    const buf = new Uint8Array(BEFORE_BYTES + bytes.length).fill(FILL);
    buf.set(bytes, BEFORE_BYTES);
    const ctx = new CollectingContext(BASE);
    const decoded = codec.decode(buf, BEFORE_BYTES, BEFORE_BYTES + cut, ctx);
    assert.equal(decoded, null, `cut at ${cut} of ${fullLength} gives null`);
    assert.ok(ctx.anomalies.length > 0, `cut at ${cut} reports an anomaly`);
    for (const a of ctx.anomalies) assert.ok(a.kind.startsWith(`${layer}_`), `anomaly ${a.kind} belongs to ${layer}`);
  }
}

/** A small seeded generator (mulberry32, src/core/random.ts): the same seed gives the same sequence. */
export { seededRandom };

/**
 * Feeds `rounds` random buffers (some starting with `prefix`, to get past version checks) to
 * `codec.decode` at random offsets and checks it never throws, that a decoded layer stays inside
 * the bytes it was given, and that every anomaly kind is listed in `anomalies`.
 */
export function assertJunkNeverThrows<L extends LayerBase & { kind: string }>(
  codec: LayerCodec<L>,
  anomalies: Readonly<Record<string, string>>,
  options: { seed?: number; rounds?: number; prefix?: readonly number[] } = {},
): void {
  const random = seededRandom(options.seed ?? 1);
  const rounds = options.rounds ?? 3000;
  for (let r = 0; r < rounds; r++) {
    const size = Math.floor(random() * 120);
    const buf = new Uint8Array(size);
    for (let i = 0; i < size; i++) buf[i] = Math.floor(random() * 256);
    const start = size === 0 ? 0 : Math.floor(random() * Math.min(size, 8));
    const prefix = options.prefix ?? [];
    if (r % 2 === 0) for (let i = 0; i < prefix.length && start + i < size; i++) buf[start + i] = prefix[i];
    const end = start + Math.floor(random() * (size - start + 1));
    const ctx = new CollectingContext(0);
    let decoded: L | null = null;
    assert.doesNotThrow(() => {
      decoded = codec.decode(buf, start, end, ctx);
    }, `round ${r}`);
    const layer = decoded as L | null;
    if (layer !== null) {
      assert.equal(layer.offset, start);
      assert.ok(layer.headerLength >= 0 && layer.payloadLength >= 0, `round ${r}: lengths are not negative`);
      assert.ok(start + layer.headerLength + layer.payloadLength <= end, `round ${r}: the layer stays inside end`);
    }
    for (const a of ctx.anomalies) assert.ok(a.kind in anomalies, `round ${r}: anomaly ${a.kind} is listed`);
  }
}
