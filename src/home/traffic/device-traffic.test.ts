import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../core/random.js';
import { NatPorts } from './device-traffic.js';

test('NatPorts gives ports in turn, wraps past 65535, and skips held ports and traceroute\'s', () => {
  const nat = new NatPorts(new Random(1));
  const first = nat.take(true);
  const seen = new Set<number>();
  for (let i = 0; i < 64511; i++) {
    const p = nat.take();
    assert.ok(p >= 1024 && p <= 65535);
    assert.ok(p < 33434 || p > 33534, `${p}`);
    assert.notEqual(p, first);
    seen.add(p);
  }
  // Every free port once before any comes again: 64512 ports, less the held one and traceroute's 101.
  assert.equal(seen.size, 64512 - 1 - 101);
  nat.release(first);
  let again = false;
  for (let i = 0; i < 64512 && !again; i++) again = nat.take() === first;
  assert.ok(again, 'a released port is given again');
});
