import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { ATTACK_KINDS } from '../core/kinds.js';
import type { DeviceUse } from '../core/device-use.js';
import { FEATURE_SETS, type FeatureSet } from '../features/feature-set.js';
import { activityTimeline } from './episodes.js';
import { fitPreset } from './fit-preset.js';
import { predictorFor, type ActivityPredictor } from './predictor.js';
import { dataFromHomes } from './training-data.js';
import { RulesPreset } from './rules.js';
import { lifeOfHome } from './simulated-life.js';
import { inferDay, predictBlocks } from './use-stream.js';

const MIN = 60e6;
const HOUR = 60 * MIN;
const DAY0_US = Date.UTC(2026, 10, 2) * 1000;

/**
 * Uses whose gaps sit on every edge the contexts have: the same instant, an episode's 10 min exactly
 * and just past it, the paper's 5 h, the rules' 3 h and 5 h, the extended set's 24 h, each exactly
 * and 1 µs past; a few devices of every kind, so that same-device and same-kind gaps matter too.
 */
function edgyUses(n: number, seed: number): DeviceUse[] {
  const random = new Random(seed);
  const gaps = [0, 1, 30e6, 10 * MIN, 10 * MIN + 1, 45 * MIN, 3 * HOUR, 3 * HOUR + 1, 5 * HOUR, 5 * HOUR + 1, 24 * HOUR, 24 * HOUR + 1, 30 * HOUR];
  const devices = ATTACK_KINDS.flatMap((kind) => [0, 1].map((i) => ({ device: `${kind}-${i}`, kind })));
  const uses: DeviceUse[] = [];
  let t = DAY0_US;
  for (let i = 0; i < n; i++) {
    // Mostly short gaps (long episodes), now and then a long one.
    t += random.next() < 0.7 ? gaps[random.int(0, 4)] : gaps[random.int(0, gaps.length - 1)];
    uses.push({ timeUs: t, ...devices[random.int(0, devices.length - 1)] });
  }
  return uses;
}

/** A predictor whose "probabilities" are a feature set's rows: block by block they must be the rows of all the uses. */
function rowsOf(fs: FeatureSet): ActivityPredictor {
  return {
    name: fs.name,
    classes: [],
    context: fs.context,
    predict(events, from = 0, to = events.length) {
      const rows = fs.rows(events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind })));
      return rows.values.slice(from * rows.width, to * rows.width);
    },
  };
}

function blockwise(predictor: ActivityPredictor, uses: readonly DeviceUse[], blockUses: number): { values: Float32Array; uses: DeviceUse[]; held: number } {
  const parts: Float32Array[] = [];
  const seen: DeviceUse[] = [];
  let held = 0;
  for (const b of predictBlocks(predictor, uses, { blockUses, onHeld: (n) => (held = Math.max(held, n)) })) {
    assert.ok(b.uses.length >= 1 && b.uses.length <= blockUses);
    parts.push(b.probabilities);
    seen.push(...b.uses);
  }
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { values, uses: seen, held };
}

const INPUTS: readonly { name: string; uses: readonly DeviceUse[] }[] = [
  { name: 'uses on every edge', uses: edgyUses(1500, 7) },
  { name: '20 days of the sensor-rich home', uses: lifeOfHome('sensor-rich', 20, 5).events },
  { name: '20 days of the family home', uses: lifeOfHome('family', 20, 5).events },
];

for (const fs of FEATURE_SETS) {
  test(`Block by block, every use gets the ${fs.name} row it has among all the uses (blocks of 1, 7, 64, 4096 uses)`, () => {
    const predictor = rowsOf(fs);
    for (const { name, uses } of INPUTS) {
      const all = predictor.predict(uses);
      for (const blockUses of [1, 7, 64, 4096]) {
        const got = blockwise(predictor, uses, blockUses);
        assert.deepEqual(got.uses, uses, `${name}, blocks of ${blockUses}: the uses, in order`);
        assert.ok(got.values.length === all.length && got.values.every((v, i) => v === all[i]), `${name}, blocks of ${blockUses}: the rows`);
      }
    }
  });
}

test('Block by block, the rules preset gives every use the probabilities it gives among all the uses', () => {
  const rules = new RulesPreset();
  for (const { name, uses } of INPUTS) {
    const all = rules.predict(uses);
    for (const blockUses of [1, 7, 64]) assert.deepEqual(blockwise(rules, uses, blockUses).values, all, `${name}, blocks of ${blockUses}`);
  }
});

test('The uses held at once are a block and its context, however many uses come', () => {
  // The sequence set reads 8 uses either side: a block of 64 holds at most 64 + 8 + 8 and what comes before a block is known done.
  const sequence = FEATURE_SETS.find((s) => s.name === 'sequence')!;
  const uses = edgyUses(20_000, 3);
  const { held } = blockwise(rowsOf(sequence), uses, 64);
  assert.ok(held <= 64 + 2 * 8 + 1, `held ${held}`);
  // The extended set reads the day around a use's episode: a month of the family home is held a few days at a time.
  const extended = FEATURE_SETS.find((s) => s.name === 'extended')!;
  const month = lifeOfHome('family', 30, 2).events;
  // The most uses in any 50 h: a block's day before, its day after, and the episodes at their ends.
  let busiest = 0;
  for (let i = 0, j = 0; i < month.length; i++) {
    while (j < month.length && month[j].timeUs < month[i].timeUs + 50 * HOUR) j++;
    busiest = Math.max(busiest, j - i);
  }
  const got = blockwise(rowsOf(extended), month, 16);
  assert.ok(got.held <= 16 + busiest + 1, `held ${got.held}, the busiest 50 h have ${busiest} uses`);
  assert.ok(got.held < month.length / 5, `held ${got.held} of ${month.length}`);
});

test('inferDay() gives the day activityTimeline() gives of all the uses, block by block, in both modes', () => {
  const rules = new RulesPreset();
  for (const { name, uses } of INPUTS) {
    for (const mode of ['runs', 'episodes'] as const) {
      const whole = activityTimeline(uses, rules.predict(uses), { mode });
      assert.ok(whole.length > 0, name);
      for (const blockUses of [1, 13, 100_000]) {
        const streamed = [...inferDay(rules, uses, { mode, blockUses })].flat();
        assert.deepEqual(streamed, whole, `${name}, ${mode}, blocks of ${blockUses}`);
      }
    }
  }
});

test('predictBlocks() refuses uses out of time order, naming the first one', () => {
  const uses = edgyUses(50, 1);
  const shuffled = [...uses.slice(0, 20), { ...uses[10], timeUs: uses[19].timeUs - 1, device: 'late' }, ...uses.slice(20)];
  assert.throws(() => [...predictBlocks(new RulesPreset(), shuffled, { blockUses: 8 })], { name: 'RangeError', message: /use 20 \(late\) is earlier than use 19/ });
});

test("A network preset predicts a range of the uses as it predicts them all, and inferDay() of uses that fit one block is activityTimeline()'s day to the bit", async () => {
  const fitted = await fitPreset(dataFromHomes(['family'], 'sequence', { days: 5, seed: 3 }), { preset: 'sequence', seed: 3, epochs: 1, backend: 'js' });
  const predictor = predictorFor(fitted);
  const uses = lifeOfHome('family', 8, 4).events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
  const all = predictor.predict(uses);
  const width = predictor.classes.length;
  for (const [from, to] of [[0, uses.length], [0, 1], [17, 90], [uses.length - 5, uses.length]]) {
    const part = predictor.predict(uses, from, to);
    assert.equal(part.length, (to - from) * width);
    // Another batch of rows may round differently in the last bits, never more.
    assert.ok(part.every((p, i) => Math.abs(p - all[from * width + i]) < 1e-5), `uses ${from} to ${to}`);
  }
  assert.deepEqual([...inferDay(predictor, uses)].flat(), activityTimeline(uses, all));
});

test('a whole-day decoder reads a long record a block of days at a time, each activity once, in order', async () => {
  const { dayInBlocks, DAY_BLOCK_US, DAY_BLOCK_MARGIN_US } = await import('./use-stream.js');
  const HOUR = 3600e6;
  const start = Date.UTC(2026, 0, 1) * 1000;
  const uses = Array.from({ length: 70 * 24 }, (_, i) => ({ timeUs: start + i * HOUR, device: 'd', kind: 'motion' }));
  let longest = 0;
  // A decoder that reads an activity at each 06:00 use it is given.
  const day = (events: readonly { timeUs: number }[]): { timeUs: number; activity: 'wake_up'; confidence: number; events: [] }[] => {
    longest = Math.max(longest, events[events.length - 1].timeUs - events[0].timeUs);
    return events.filter((e) => new Date(e.timeUs / 1000).getUTCHours() === 6).map((e) => ({ timeUs: e.timeUs, activity: 'wake_up', confidence: 1, events: [] }));
  };
  const blocks = [...dayInBlocks(day, uses)];
  const times = blocks.flat().map((a) => a.timeUs);
  assert.equal(blocks.length, 3);
  assert.deepEqual(times, uses.filter((u) => new Date(u.timeUs / 1000).getUTCHours() === 6).map((u) => u.timeUs));
  assert.ok(longest < DAY_BLOCK_US + 2 * DAY_BLOCK_MARGIN_US, 'a block and its margins at most');
  // A record shorter than a block and its margins is decoded in one go.
  assert.equal([...dayInBlocks(day, uses.slice(0, 20 * 24))].length, 1);
  // So is one that would leave a last block shorter than DAY_BLOCK_MIN_LAST_US (a month: 33 days).
  longest = 0;
  const month = [...dayInBlocks(day, uses.slice(0, 33 * 24))];
  assert.equal(month.length, 1);
  assert.equal(longest, 33 * 24 * HOUR - HOUR);
  assert.deepEqual(month.flat().map((a) => a.timeUs), uses.slice(0, 33 * 24).filter((u) => new Date(u.timeUs / 1000).getUTCHours() === 6).map((u) => u.timeUs));
  // One that goes on a shortest last block past the first block is read in two: the first as before (its margin after, no more).
  longest = 0;
  const two = [...dayInBlocks(day, uses.slice(0, (28 + 7) * 24 + 1))];
  assert.equal(two.length, 2);
  assert.equal(longest, DAY_BLOCK_US + DAY_BLOCK_MARGIN_US - HOUR);
});
