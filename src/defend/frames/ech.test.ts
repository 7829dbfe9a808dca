// Encrypted ClientHello on frames (frames/ech.ts): the inner hello's padding as RFC 9849 §6.1.3 sets
// it; a hello too large to grow inside its segment goes on in a segment of its own, and tshark reads
// the stream whole; real captures (a browser's hellos, a hub's, and a browser's own ECH hellos) are
// rewritten without a warning the input did not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Random } from '../../core/random.js';
import { TrafficWriter } from '../../home/traffic/traffic-writer.js';
import { createDefence } from '../registry.js';
import { defendCapture } from '../defend-capture.js';
import { ECH_CONFIG_ID, ECH_PUBLIC_NAME } from '../strategies/ech.js';
import { expertProblems, tshark, tsharkFields, tsharkTotals } from '../test-support.js';
import { SHARED_CAPTURES_DIR } from '../../../test/support/paths.js';
import { applyFrameDefence, FrameLedger } from './frame-defence.js';
import { echFrames, echOuterRecord, paddedInnerLength } from './ech.js';
import { writeHeldCapture, type HeldFrame } from './held-capture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-ech-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const OPTIONS = { publicName: ECH_PUBLIC_NAME, configId: ECH_CONFIG_ID, maxNameLength: 0 };

test('the inner hello is padded as RFC 9849 §6.1.3 says: the name to maximum_name_length, then the whole to a multiple of 32', () => {
  const hello = { cipherSuites: new Uint8Array(2 + 14), compression: new Uint8Array(2) };
  // Unpadded: version and random (34), an empty session id (1), the suites (16), compression (2),
  // the extensions' length (2), server_name (4 + 5 + name), the inner marker (5), ech_outer_extensions (4 + 1 + 2k).
  const unpadded = (name: number, k: number) => 34 + 1 + 16 + 2 + 2 + (9 + name) + 5 + (k > 0 ? 5 + 2 * k : 0);
  for (const name of [1, 14, 25, 26, 60, 253]) {
    for (const k of [0, 2, 9]) {
      const n = paddedInnerLength(hello, name, k, 0);
      assert.equal(n % 32, 0);
      assert.ok(n >= unpadded(name, k) && n < unpadded(name, k) + 32, `${name}-byte name, ${k} referenced: ${n}`);
    }
  }
  // With maximum_name_length 64, names up to 64 bytes give one length: their lengths are hidden.
  const lengths = new Set([1, 20, 40, 64].map((name) => paddedInnerLength(hello, name, 3, 64)));
  assert.equal(lengths.size, 1);
  assert.ok(paddedInnerLength(hello, 100, 3, 64) > [...lengths][0]);
});

/** Frames a TrafficWriter writes, held as a capture holds them. */
function written(build: (w: TrafficWriter) => void): HeldFrame[] {
  const frames: HeldFrame[] = [];
  const w = new TrafficWriter({ writePacket: (p) => frames.push({ timeUs: p.tsSec * 1e6 + Math.floor(p.tsNsec / 1000), subUsNs: 0, data: p.data, origLen: p.data.length }) }, 7);
  build(w);
  return frames.sort((a, b) => a.timeUs - b.timeUs);
}

test('a hello that fills its segment goes on in one of its own; a small one grows in place; an IPv6 one too; tshark reads every stream', () => {
  const device = { mac: 0x020000000001, ip: 0xc0a80102 };
  const server = { mac: 0x020000000002, ip: 0x34000001 };
  const device6 = { mac: 0x020000000001, ip: 'fd00::2' };
  const server6 = { mac: 0x020000000002, ip: '2001:db8::1' };
  // 150 ALPN names of 7 bytes: a hello of about 1,300 bytes, which its extension takes past the 1,448-byte MSS.
  const alpn = Array.from({ length: 150 }, (_, i) => `proto${String(i).padStart(2, '0')}`);
  const t0 = Date.UTC(2026, 10, 2) * 1000;
  const frames = written((w) => {
    w.tlsSession(t0, device, server, 'big.example.com', { alpn, exchanges: [[300, 2000]] });
    w.tlsSession(t0 + 5e6, device, server, 'small.example.com', { exchanges: [[200, 800]] });
    w.tlsSession(t0 + 9e6, device6, server6, 'six.example.com', { exchanges: [[200, 800]] });
  });
  const ledger = new FrameLedger();
  const out = applyFrameDefence(echFrames(OPTIONS), 'ech', frames, { random: new Random(3), ledger, vantage: 'lan', file: 'test' });
  assert.equal(ledger.frames, 1, 'one segment added, for the large hello');
  const file = path.join(dir, 'sessions.pcap');
  writeHeldCapture(file, { format: 'pcap', precision: 'us', linkType: 1 }, out);
  assert.deepEqual(expertProblems(file), []);
  assert.deepEqual(tsharkTotals(file), { frames: frames.length + 1, bytes: frames.reduce((s, f) => s + f.origLen, 0) + ledger.bytes });
  const hellos = tsharkFields(file, ['tls.handshake.extensions_server_name', 'tls.handshake.extension.type', 'tcp.len'], 'tls.handshake.type == 1');
  assert.equal(hellos.length, 3);
  for (const [name, types] of hellos) {
    assert.equal(name, ECH_PUBLIC_NAME);
    assert.ok(types.split(',').includes('65037'));
  }
  // Every segment within the MSS, and the large hello's two segments both its stream's.
  assert.ok(tsharkFields(file, ['tcp.len'], 'tcp').every(([len]) => Number(len) <= 1448));
  assert.match(tshark(file, ['-Y', 'tls.handshake.type == 1 && tcp.segments']), /Client Hello/);
});

test('a hello already sent with ECH, or one naming the public name, is left as it is', () => {
  const frames = written((w) => w.tlsSession(Date.UTC(2026, 10, 2) * 1000, { mac: 1, ip: 0x0a000002 }, { mac: 2, ip: 0x34000001 }, 'plug.example.com'));
  const ledger = new FrameLedger();
  const once = applyFrameDefence(echFrames(OPTIONS), 'ech', frames, { random: new Random(1), ledger, vantage: 'lan', file: 'test' });
  assert.ok(ledger.bytes > 0);
  const again = new FrameLedger();
  const twice = applyFrameDefence(echFrames(OPTIONS), 'ech', once, { random: new Random(1), ledger: again, vantage: 'lan', file: 'test' });
  assert.equal(again.bytes, 0);
  assert.equal(twice.length, once.length);
  // A record that is not a ClientHello is none of ECH's business.
  assert.equal(echOuterRecord(Uint8Array.from([23, 3, 3, 0, 4, 1, 2, 3, 4]), OPTIONS, new Random(1)), null);
});

const REAL = ['tls-bulk-sni-browsing.pcap', 'iot-smartthings-hub-nsec.pcap', 'tls13-ech-outer-sni.pcap'].map((f) => path.join(SHARED_CAPTURES_DIR, f));

test('real captures: every hello that named a server names the public name, with no new tshark warning; hellos already sent with ECH are kept', { skip: !REAL.every(existsSync) && 'the shared captures are not here' }, async () => {
  for (const input of REAL) {
    const out = path.join(dir, `ech-${path.basename(input)}`);
    const r = await defendCapture({ input, out, defence: createDefence('ech'), seed: 1 });
    const before = new Set(expertProblems(input).map((l) => l.trim().replace(/^\d+\s+/, '')));
    assert.deepEqual(expertProblems(out).map((l) => l.trim().replace(/^\d+\s+/, '')).filter((l) => !before.has(l)), [], `${path.basename(input)}: new warnings`);
    const names = (file: string) => tsharkFields(file, ['tls.handshake.extensions_server_name'], 'tls.handshake.type == 1 && tls.handshake.extensions_server_name').map(([n]) => n);
    const had = names(input);
    assert.ok(had.length > 0);
    assert.deepEqual([...new Set(names(out))], [ECH_PUBLIC_NAME], path.basename(input));
    assert.equal(names(out).length, had.length);
    assert.equal(r.ledger.bytes, tsharkTotals(out).bytes - tsharkTotals(input).bytes);
    if (input.includes('ech-outer')) assert.ok(readFileSync(out).equals(readFileSync(input)) || r.ledger.bytes === 0, 'ECH hellos rewritten again');
  }
});
