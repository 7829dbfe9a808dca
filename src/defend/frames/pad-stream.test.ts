// Padding a frame at a time (frames/pad-stream.ts) writes the bytes the held defence (pad-frames.ts)
// writes, with the same ledger and the random sequence left at the same place, on simulated LAN and
// WAN captures (pcapng and pcap) and on the real captures; a capture it cannot pad a frame at a time
// (frames out of time order) it leaves to the held path, having written nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Random } from '../../core/random.js';
import { loadHomeSpec } from '../../home/spec.js';
import { simulateHome } from '../../home/simulate.js';
import { SHARED_CAPTURES_DIR } from '../../../test/support/paths.js';
import { applyFrameDefence, FrameLedger, type FrameContext } from './frame-defence.js';
import { readHeldCapture, writeHeldCapture } from './held-capture.js';
import { padFrames } from './pad-frames.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-pad-stream-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const spec = loadHomeSpec('family');
const lan = simulateHome({ spec, source: 'family', days: 1, seed: 7, vantage: 'lan', format: 'pcapng', out: path.join(dir, 'lan') }).files.capture!;
const wan = simulateHome({ spec, source: 'family', days: 1, seed: 7, vantage: 'wan', format: 'pcap', out: path.join(dir, 'wan') }).files.capture!;

/** The held defence's output and ledger, and the streamed one's (null when it left the capture to the held path). */
async function both(input: string, mode: string, bucket: number, seed: number) {
  const defence = padFrames(mode, bucket);
  const held = await readHeldCapture(input, 'padding');
  const heldLedger = new FrameLedger();
  const heldRandom = new Random(seed);
  const context: FrameContext = { random: heldRandom, ledger: heldLedger, vantage: 'lan', file: input };
  const frames = applyFrameDefence(defence, 'pad', held.frames, context);
  const heldOut = path.join(dir, `held.${held.format}`);
  writeHeldCapture(heldOut, held, frames, 'padded');
  const streamedOut = path.join(dir, `streamed.${held.format}`);
  rmSync(streamedOut, { force: true });
  const streamedLedger = new FrameLedger();
  const streamedRandom = new Random(seed);
  let why = '';
  const r = await defence.streamed!.defendFile(input, streamedOut, { random: streamedRandom, ledger: streamedLedger, task: 'padding', description: 'padded', why: (w) => (why = w) });
  return { heldOut, streamedOut, heldLedger, streamedLedger, heldRandom, streamedRandom, r, why };
}

function assertSame(b: Awaited<ReturnType<typeof both>>, name: string): void {
  assert.ok(readFileSync(b.heldOut).equals(readFileSync(b.streamedOut)), `${name}: the bytes written differ`);
  assert.deepEqual(b.streamedLedger.toJSON(), b.heldLedger.toJSON(), name);
  assert.equal(b.streamedRandom.next(), b.heldRandom.next(), `${name}: the random sequence is left elsewhere`);
}

test('a simulated LAN and WAN capture are padded a frame at a time into the bytes the held defence writes', async () => {
  for (const [input, name] of [
    [lan, 'LAN pcapng'],
    [wan, 'WAN pcap'],
  ] as const) {
    for (const [mode, bucket] of [
      ['bucket', 256],
      ['bucket', 1000],
      ['mtu', 256],
    ] as const) {
      const b = await both(input, mode, bucket, 3);
      assert.notEqual(b.r, null, `${name}: left to the held path (${b.why})`);
      assertSame(b, `${name} ${mode} ${bucket}`);
      assert.ok(b.heldLedger.bytes > 0, `${name}: nothing was padded`);
    }
  }
});

test('the real captures are padded as the held defence pads them, a frame at a time or held', async (t) => {
  if (!existsSync(SHARED_CAPTURES_DIR)) return t.skip(`no ${SHARED_CAPTURES_DIR}`);
  let streamed = 0;
  let held = 0;
  for (const file of readdirSync(SHARED_CAPTURES_DIR).filter((f) => f.startsWith('iot-') && f.endsWith('.pcap'))) {
    const b = await both(path.join(SHARED_CAPTURES_DIR, file), 'bucket', 256, 9);
    if (b.r === null) {
      held++;
      assert.equal(existsSync(b.streamedOut), false, `${file}: left to the held path, yet written`);
      assert.match(b.why, /out of time order|beyond a gap|behind/, file);
      continue;
    }
    streamed++;
    assertSame(b, file);
  }
  // Some real captures have frames out of time order, or streams whose start the capture missed.
  assert.ok(streamed > 10 && held > 0, `${streamed} padded a frame at a time, ${held} held`);
});
