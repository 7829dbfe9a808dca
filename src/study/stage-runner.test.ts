import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../core/bad-input-error.js';
import { StageRunner } from './stage-runner.js';

const STAGES = [
  { name: 'a', does: 'making a' },
  { name: 'b', does: 'making b' },
  { name: 'c', does: 'making c' },
] as const;
type S = (typeof STAGES)[number]['name'];

/** Runs the three stages; `ran` says which ran their work. */
async function runAll(out: string, from: S | null, settings: ConstructorParameters<typeof StageRunner<S>>[2] = { seed: 1 }) {
  const ran: string[] = [];
  const events: [string, number, boolean][] = [];
  const runner = new StageRunner<S>(out, STAGES, settings, from, { onStage: (s, sec, kept) => events.push([s, sec, kept]) });
  const a = await runner.run('a', () => {
    ran.push('a');
    runner.write('report', join(out, 'a.txt'), 'A');
    return { values: [1, 2, 3], name: 'x' };
  });
  const b = await runner.run('b', async () => {
    ran.push('b');
    return a.values.map((v) => v * 2);
  });
  const c = await runner.run('c', () => {
    ran.push('c');
    return b.reduce((x, y) => x + y, 0);
  });
  return { ran, events, runner, c };
}

test('StageRunner keeps each stage\'s result and files; from a later stage, the earlier ones are read back, not run', async () => {
  const out = mkdtempSync(join(tmpdir(), 'peephole-stages-'));
  const first = await runAll(out, null);
  assert.deepEqual(first.ran, ['a', 'b', 'c']);
  assert.equal(first.c, 12);
  assert.deepEqual(first.runner.stages.map((s) => [s.name, s.does, s.kept]), [['a', 'making a', false], ['b', 'making b', false], ['c', 'making c', false]]);
  assert.deepEqual(first.runner.files, [
    { role: 'report', path: join(out, 'a.txt') },
    { role: 'stage', path: join(out, 'stages', 'a.json') },
    { role: 'stage', path: join(out, 'stages', 'b.json') },
    { role: 'stage', path: join(out, 'stages', 'c.json') },
  ]);
  const again = await runAll(out, 'c');
  assert.deepEqual(again.ran, ['c'], 'a and b read back');
  assert.equal(again.c, 12);
  assert.deepEqual(again.events.map(([s, , kept]) => [s, kept]), [['a', true], ['b', true], ['c', false]]);
  assert.deepEqual(again.events.slice(0, 2).map(([, sec]) => sec), first.runner.stages.slice(0, 2).map((s) => s.seconds), 'a kept stage reports the time it took');
  assert.deepEqual(again.runner.files.map((f) => f.path), first.runner.files.map((f) => f.path), 'the kept stages\' files are listed again');
});

test('StageRunner refuses a kept result made with other settings, a missing one and a damaged one, naming the file', async () => {
  const out = mkdtempSync(join(tmpdir(), 'peephole-stages-'));
  // Settings stage by stage: c depends on an input that a and b do not.
  const bySeed = (input: string) => (s: S) => (s === 'c' ? { seed: 1, input } : { seed: 1 });
  await runAll(out, null, bySeed('x'));
  const changed = await runAll(out, 'c', bySeed('y'));
  assert.deepEqual(changed.ran, ['c'], 'a and b do not depend on the input: kept');
  await assert.rejects(runAll(out, 'b', { seed: 2 }), (e: Error) => e instanceof BadInputError && /stages\/a\.json: made with other settings \(\{"seed":1\}, not \{"seed":2\}\)/.test(e.message));
  const empty = mkdtempSync(join(tmpdir(), 'peephole-stages-'));
  await assert.rejects(runAll(empty, 'c'), (e: Error) => e instanceof BadInputError && /stages\/a\.json: cannot be read: .*stage a has no kept result/.test(e.message));
  writeFileSync(join(out, 'stages', 'a.json'), '{"stage":');
  await assert.rejects(runAll(out, 'b'), (e: Error) => e instanceof BadInputError && /stages\/a\.json: not a kept stage result/.test(e.message));
  writeFileSync(join(out, 'stages', 'a.json'), JSON.stringify({ stage: 'b', settings: { seed: 1 }, seconds: 1, files: [], value: null }));
  await assert.rejects(runAll(out, 'b'), /stages\/a\.json: not the kept result of stage a/);
  assert.throws(() => new StageRunner<S>(out, STAGES, {}, 'z' as S), RangeError);
  assert.ok(existsSync(join(out, 'a.txt')) && readFileSync(join(out, 'a.txt'), 'utf8') === 'A');
});
