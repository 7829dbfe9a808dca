import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from './random.js';

const draws = (r: Random, n: number): number[] => Array.from({ length: n }, () => r.next());

test('Random gives the same sequence for the same seed and another for another seed', () => {
  assert.deepEqual(draws(new Random(42), 1000), draws(new Random(42), 1000));
  assert.notDeepEqual(draws(new Random(42), 10), draws(new Random(43), 10));
  assert.notDeepEqual(draws(new Random(1), 10), draws(new Random(2), 10));
});

test('Random is mulberry32: the published first outputs for seed 1', () => {
  assert.deepEqual(draws(new Random(1), 3), [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
});

test('Random reads the seed as an unsigned 32-bit number and replaces 0 with a fixed nonzero seed', () => {
  assert.deepEqual(draws(new Random(-1), 5), draws(new Random(0xffffffff), 5));
  assert.deepEqual(draws(new Random(2 ** 32 + 7), 5), draws(new Random(7), 5));
  assert.deepEqual(draws(new Random(0), 5), draws(new Random(0x9e3779b9), 5));
});

test('Random.next() stays in [0, 1)', () => {
  const r = new Random(5);
  for (let i = 0; i < 100_000; i++) {
    const v = r.next();
    assert.ok(v >= 0 && v < 1);
  }
});

test('Random.int() gives every integer of [min, max], both ends included, and nothing else', () => {
  const r = new Random(9);
  const seen = new Set<number>();
  for (let i = 0; i < 5000; i++) {
    const v = r.int(-3, 6);
    assert.ok(Number.isInteger(v) && v >= -3 && v <= 6, String(v));
    seen.add(v);
  }
  assert.equal(seen.size, 10);
  assert.equal(new Random(1).int(4, 4), 4);
  const wide = new Random(3);
  for (let i = 0; i < 1000; i++) {
    const v = wide.int(0, 0xffffffff);
    assert.ok(Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
  }
});

test('Random.pick() picks every item in time', () => {
  const r = new Random(11);
  const items = ['a', 'b', 'c', 'd'] as const;
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(r.pick(items));
  assert.deepEqual([...seen].sort(), ['a', 'b', 'c', 'd']);
});

test('Random.bytes() gives exactly n bytes, four per draw, little end first', () => {
  for (let n = 0; n <= 9; n++) assert.equal(new Random(1).bytes(n).length, n);
  const words = draws(new Random(1), 2).map((v) => Math.floor(v * 2 ** 32));
  const expected = words.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
  assert.deepEqual([...new Random(1).bytes(8)], expected);
  assert.deepEqual([...new Random(1).bytes(6)], expected.slice(0, 6));
  assert.deepEqual(new Random(8).bytes(33), new Random(8).bytes(33));
});

test('Random.normal() and Random.exponential() have about the mean and spread asked for', () => {
  const r = new Random(21);
  const n = 20_000;
  const normals = Array.from({ length: n }, () => r.normal(10, 2));
  const mean = normals.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(normals.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  assert.ok(Math.abs(mean - 10) < 0.1, `mean ${mean}`);
  assert.ok(Math.abs(sd - 2) < 0.1, `sd ${sd}`);
  const exps = Array.from({ length: n }, () => r.exponential(3));
  assert.ok(exps.every((v) => v >= 0 && Number.isFinite(v)));
  const expMean = exps.reduce((s, v) => s + v, 0) / n;
  assert.ok(Math.abs(expMean - 3) < 0.15, `mean ${expMean}`);
});
