// Test kit for the defences: tshark as the oracle of what was written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** tshark's output for a capture; fails on a non-zero exit or anything on stderr but the warning about running as root. */
export function tshark(capture: string, args: readonly string[]): string {
  const r = spawnSync('tshark', ['-r', capture, ...args], { maxBuffer: 1 << 30 });
  const stderr = r.stderr
    .toString()
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^Running as user "root"/.test(l));
  assert.equal(r.status, 0, `tshark -r ${capture}: ${r.stderr.toString()}`);
  assert.deepEqual(stderr, [], `${capture}: tshark wrote to stderr`);
  return r.stdout.toString();
}

/** Expert-info entries at warning or error severity (malformed packets, sequence problems). */
export function expertProblems(capture: string): string[] {
  return tshark(capture, ['-q', '-z', 'expert,warn'])
    .split('\n')
    .filter((l) => /^\s+\d+\s+\S+\s+\S+\s+/.test(l) && !/Frequency/.test(l));
}

/** One row per frame: the fields asked for (all occurrences, comma-joined), tab-separated. */
export function tsharkFields(capture: string, names: readonly string[], filter?: string): string[][] {
  const args = ['-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...names.flatMap((n) => ['-e', n])];
  if (filter !== undefined) args.push('-Y', filter);
  return tshark(capture, args)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** Frames and bytes on the wire as tshark counts them. */
export function tsharkTotals(capture: string): { frames: number; bytes: number } {
  const rows = tsharkFields(capture, ['frame.len']);
  return { frames: rows.length, bytes: rows.reduce((s, [len]) => s + Number(len), 0) };
}
