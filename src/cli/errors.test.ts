import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadInputError, FileAccessError } from '../core/bad-input-error.js';
import { DecodeError } from '../core/decode-error.js';
import { EXIT_BAD_INPUT, EXIT_BUG, EXIT_USAGE, exitCodeFor, InputError, UsageError } from './errors.js';

delete process.env.PEEPHOLE_DEBUG; // it shows a bug's stack

test('exitCodeFor(): the BadInputError family is exit 1, a usage error 2, anything else a bug (70)', () => {
  assert.deepEqual(exitCodeFor(new BadInputError('a.csv:2: bad', { file: 'a.csv', line: 2 })), { code: EXIT_BAD_INPUT, message: 'peephole: a.csv:2: bad' });
  assert.equal(exitCodeFor(new DecodeError({ layer: 'x', offset: 3, file: 'f.pcap' })).code, EXIT_BAD_INPUT);
  assert.equal(exitCodeFor(new InputError('the model is not built')).code, EXIT_BAD_INPUT);
  assert.equal(exitCodeFor(new FileAccessError('f', { code: 'ENOENT' })).code, EXIT_BAD_INPUT);
  assert.deepEqual(exitCodeFor(new UsageError('--top needs a whole number')), { code: EXIT_USAGE, message: 'peephole: --top needs a whole number' });
  for (const bug of [new RangeError('index 9 out of range'), new TypeError('x is undefined'), new Error('no progress')]) {
    const r = exitCodeFor(bug);
    assert.equal(r.code, EXIT_BUG, bug.name);
    assert.match(r.message, /^peephole: internal error \(please report\): /);
  }
});

test('exitCodeFor(): an operating-system error naming a path is exit 1 in plain words', () => {
  const e = Object.assign(new Error("EACCES: permission denied, open 'out/x.svg'"), { code: 'EACCES', path: 'out/x.svg' });
  assert.deepEqual(exitCodeFor(e), { code: EXIT_BAD_INPUT, message: 'peephole: out/x.svg: permission denied (EACCES)' });
});

test('exitCodeFor(): the message is one line whatever it holds, terminal escapes shown, not obeyed', () => {
  const r = exitCodeFor(new BadInputError('bad\nname\u001b[31m.csv: no such file'));
  assert.equal(r.message, 'peephole: bad\\x0aname\\x1b[31m.csv: no such file');
  assert.ok(!exitCodeFor(new RangeError('two\nlines')).message.includes('\n'));
});
