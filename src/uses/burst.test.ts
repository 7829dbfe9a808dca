import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurstGrouper, hasRole, packetShape, shapeKey, shapeOf } from './burst.js';
import { PacketRole } from './packet-role.js';

const GAP_US = 1_000_000;

test('BurstGrouper keeps a packet exactly one gap after the last in the burst, and starts a new one past it', () => {
  const g = new BurstGrouper(GAP_US);
  g.add(0, 100, 46, true, PacketRole.Data);
  g.add(GAP_US, 100, 46, false, PacketRole.Data); // exactly the gap: same burst
  g.add(2 * GAP_US + 1, 100, 46, true, PacketRole.Data); // 1 µs past the gap: a new burst
  const bursts = g.finish();
  assert.equal(bursts.length, 2);
  assert.deepEqual(
    bursts.map((b) => [b.startUs, b.endUs, b.packets]),
    [
      [0, GAP_US, 2],
      [2 * GAP_US + 1, 2 * GAP_US + 1, 1],
    ],
  );
});

test('BurstGrouper measures the gap from the last packet, so a long burst of close packets stays one', () => {
  const g = new BurstGrouper(GAP_US);
  for (let i = 0; i < 20; i++) g.add(i * 900_000, 1514, 1448, true, PacketRole.Data);
  assert.equal(g.finish().length, 1);
});

test('BurstGrouper sums bytes each way, counts data apart from other packets and records the roles', () => {
  const g = new BurstGrouper(GAP_US);
  g.add(1_000, 85, 43, true, PacketRole.Dns);
  g.add(20_000, 171, 129, false, PacketRole.Dns);
  g.add(30_000, 385, 331, true, PacketRole.Data);
  g.add(40_000, 54, 0, false, PacketRole.Ack);
  g.add(110_000, 321, 267, false, PacketRole.Data);
  const [b] = g.finish();
  assert.equal(b.packets, 5);
  assert.equal(b.bytes, 85 + 171 + 385 + 54 + 321);
  assert.equal(b.packetsUp, 2);
  assert.equal(b.bytesUp, 85 + 385);
  assert.equal(b.dataPackets, 2);
  assert.equal(b.dataBytesUp, 331);
  assert.equal(b.dataBytesDown, 267);
  assert.equal(b.firstDataUs, 30_000);
  assert.ok(hasRole(b, PacketRole.Dns) && hasRole(b, PacketRole.Ack) && hasRole(b, PacketRole.Data));
  assert.ok(!hasRole(b, PacketRole.Setup));
  assert.equal(b.shape, shapeOf([[true, 331], [false, 267]]));
});

test('A burst without data has no first data time and an empty shape', () => {
  const g = new BurstGrouper(GAP_US);
  g.add(5, 85, 43, true, PacketRole.Dns);
  const [b] = g.finish();
  assert.equal(b.firstDataUs, -1);
  assert.equal(b.dataPackets, 0);
  assert.equal(b.shape, 0);
});

test('A packet slightly out of order joins the open burst without moving its end back', () => {
  const g = new BurstGrouper(GAP_US);
  g.add(500_000, 100, 10, true, PacketRole.Data);
  g.add(400_000, 100, 10, false, PacketRole.Data);
  const [b] = g.finish();
  assert.equal(b.packets, 2);
  assert.equal(b.endUs, 500_000);
});

test('Shapes ignore packet order, tell direction and size apart, and subtract', () => {
  assert.equal(shapeOf([[true, 53], [false, 53]]), shapeOf([[false, 53], [true, 53]]));
  assert.notEqual(shapeOf([[true, 53]]), shapeOf([[false, 53]]));
  assert.notEqual(shapeOf([[true, 53]]), shapeOf([[true, 54]]));
  const heartbeat = shapeOf([[true, 53], [false, 53]]);
  const use = shapeOf([[true, 331], [false, 267]]);
  const both = shapeOf([[true, 331], [true, 53], [false, 267], [false, 53]]);
  assert.equal((both - heartbeat) >>> 0, use);
  assert.notEqual(shapeKey(heartbeat, 2), shapeKey(heartbeat, 3));
  assert.equal(packetShape(true, 53), shapeOf([[true, 53]]));
});

test('BurstGrouper refuses a gap that is not above zero', () => {
  assert.throws(() => new BurstGrouper(0), /above 0/);
});
