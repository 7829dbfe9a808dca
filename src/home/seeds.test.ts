import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mixSeed, poisson, streamRandom, uniform } from './seeds.js';

test('mixSeed() is the same for the same labels and differs between streams', () => {
  assert.equal(mixSeed(42, 1, 2), mixSeed(42, 1, 2));
  const seeds = new Set([mixSeed(42), mixSeed(42, 1), mixSeed(42, 2), mixSeed(42, 1, 0), mixSeed(43, 1), mixSeed(42, 0, 1)]);
  assert.equal(seeds.size, 6);
  for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 32);
});

test('streamRandom() gives independent, repeatable streams', () => {
  const a = streamRandom(7, 1);
  const b = streamRandom(7, 1);
  const c = streamRandom(7, 2);
  const xs = [a.next(), a.next(), a.next()];
  assert.deepEqual([b.next(), b.next(), b.next()], xs);
  assert.notDeepEqual([c.next(), c.next(), c.next()], xs);
});

/** 20 000 draws of mean 0.3: the sample mean's standard error is √(0.3/20000) = 0.0039, so ±0.02 is 5 of them. */
test('poisson() draws counts with the given mean, and 0 for a mean of 0', () => {
  const random = streamRandom(1);
  let sum = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) sum += poisson(random, 0.3);
  assert.ok(Math.abs(sum / n - 0.3) < 0.02, `mean ${sum / n}`);
  assert.equal(poisson(random, 0), 0);
});

test('uniform() stays in [low, high]', () => {
  const random = streamRandom(2);
  for (let i = 0; i < 1000; i++) {
    const x = uniform(random, 5, 9);
    assert.ok(x >= 5 && x <= 9);
  }
});
