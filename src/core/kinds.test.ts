import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEVICE_KINDS } from './kinds.js';
import { ATTACK_KINDS, attackKind, attackKindIndex, isAttackKind, isEntranceKind } from './kinds.js';

test('attackKind() keeps every attack kind as it is', () => {
  for (const k of ATTACK_KINDS) assert.equal(attackKind(k), k);
  assert.equal(ATTACK_KINDS.length, 10);
});

test("attackKind() maps the simulator's contact to door, hub, pressure mats and interior contacts to other, and every simulator kind somewhere", () => {
  assert.equal(attackKind('contact'), 'door');
  assert.equal(attackKind('hub'), 'other');
  assert.equal(attackKind('pressure'), 'other');
  assert.equal(attackKind('interior'), 'other');
  const mapped = DEVICE_KINDS.map((k) => attackKind(k));
  assert.deepEqual(mapped, ['lock', 'light', 'alarm', 'camera', 'plug', 'speaker', 'thermostat', 'motion', 'door', 'other', 'other', 'other']);
});

test('attackKind() maps unknown strings to other, ignoring case and spaces for known ones', () => {
  assert.equal(attackKind('television'), 'other');
  assert.equal(attackKind(''), 'other');
  assert.equal(attackKind('__proto__'), 'other');
  assert.equal(attackKind('constructor'), 'other');
  assert.equal(attackKind(' Lock '), 'lock');
  assert.equal(attackKind('CONTACT'), 'door');
});

test('attackKindIndex() gives the one-hot column of a kind string, other for unknown ones', () => {
  assert.equal(attackKindIndex('lock'), 0);
  assert.equal(attackKindIndex('contact'), 1);
  assert.equal(attackKindIndex('hub'), 9);
  assert.equal(attackKindIndex('toaster'), 9);
  assert.equal(attackKindIndex('thermostat'), 8);
});

test('isAttackKind() and isEntranceKind() tell the vocabulary and the entrances', () => {
  assert.equal(isAttackKind('door'), true);
  assert.equal(isAttackKind('contact'), false);
  assert.deepEqual(['lock', 'door', 'contact', 'light', 'hub'].map(isEntranceKind), [true, true, true, false, false]);
});

test('attackKind() reads a video doorbell (a vendor-rule category) as a camera', () => {
  assert.equal(attackKind('doorbell'), 'camera');
});
