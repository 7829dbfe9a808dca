import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpecError } from './spec-error.js';
import { formatTimeOfDay, SpecReader } from './spec-fields.js';

const reader = new SpecReader('t.yaml');

function problem(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof SpecError);
    assert.equal(error.source, 't.yaml');
    return `${error.field}: ${error.problem}`;
  }
  assert.fail('expected a SpecError');
}

test('SpecReader.timeOfDay() reads "HH:MM" up to 47:59 as minutes after midnight', () => {
  assert.equal(reader.timeOfDay('00:00', 'at'), 0);
  assert.equal(reader.timeOfDay('7:05', 'at'), 425);
  assert.equal(reader.timeOfDay('24:30', 'at'), 1470);
  assert.equal(reader.timeOfDay('47:59', 'at'), 2879);
  assert.equal(problem(() => reader.timeOfDay('48:00', 'a.at')), 'a.at: expected a time of day "HH:MM" from 00:00 to 47:59, got "48:00"');
  assert.equal(problem(() => reader.timeOfDay('12:60', 'at')), 'at: expected a time of day "HH:MM" from 00:00 to 47:59, got "12:60"');
  assert.equal(problem(() => reader.timeOfDay(730, 'at')), 'at: expected a time of day "HH:MM", got 730');
  assert.equal(problem(() => reader.timeOfDay('7am', 'at')), 'at: expected a time of day "HH:MM", got "7am"');
});

test('SpecReader.object() rejects fields it was not told about and names missing ones', () => {
  const obj = reader.object({ a: 1 }, 'x', ['a', 'b']);
  assert.deepEqual(obj.required('a'), [1, 'x.a']);
  assert.equal(obj.has('b'), false);
  assert.equal(problem(() => obj.required('b')), 'x.b: required field missing');
  assert.equal(problem(() => reader.object({ c: 1 }, 'x', ['a', 'b'])), 'x.c: unknown field (expected one of a, b)');
  assert.equal(problem(() => reader.object([], 'x', ['a'])), 'x: expected an object, got a list');
  assert.equal(problem(() => reader.object(null, '', ['a'])), ': expected an object, got null');
});

test('SpecReader reads numbers, ranges, windows, ids and choices with their limits', () => {
  assert.equal(reader.number(0.5, 'p', 0, 1), 0.5);
  assert.equal(problem(() => reader.number(2, 'p', 0, 1)), 'p: expected a number from 0 to 1, got 2');
  assert.equal(problem(() => reader.integer(2.5, 'n', 0, 9)), 'n: expected a whole number, got 2.5');
  assert.deepEqual(reader.range([1, 2], 'r', 0, 10), [1, 2]);
  assert.equal(problem(() => reader.range([1], 'r', 0, 10)), 'r: expected a pair [low, high], got 1 values');
  assert.deepEqual(reader.window(['18:00', '24:00'], 'w', 1440), [1080, 1440]);
  assert.equal(problem(() => reader.window(['18:00', '25:00'], 'w', 1440)), 'w[1]: expected a time no later than 24:00, got "25:00"');
  assert.equal(reader.id('front-door_1', 'id'), 'front-door_1');
  assert.equal(problem(() => reader.id('front door', 'id')), `id: expected an id of letters, digits, '-' and '_', got "front door"`);
  assert.equal(problem(() => reader.choice('x', 'c', ['a', 'b'])), 'c: expected one of a, b, got "x"');
  assert.equal(problem(() => reader.boolean('yes', 'b')), 'b: expected true or false, got "yes"');
});

test('formatTimeOfDay() writes minutes as HH:MM, past 24:00 kept', () => {
  assert.equal(formatTimeOfDay(425), '07:05');
  assert.equal(formatTimeOfDay(1470), '24:30');
});
