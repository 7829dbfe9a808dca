/**
 * Sorts device uses by time in bounded memory, as a stable sort would (uses at one instant keep the
 * order they came in): runs of {@link SORT_RUN_USES} uses are sorted in memory, each written to a
 * file in a temporary folder, then the runs are merged, a use at a time, by time and then by run.
 * Uses that fit one run are sorted in memory and nothing is written. The folder is removed when the
 * sorted uses have all been taken (or the taking stops).
 *
 * A run's file holds each use as: time (µs, a float64), kind and cause (a byte each: their index
 * among the attack's kinds and the causes, 255 for none), the device id's UTF-8 length (uint32) and
 * bytes.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIVITIES, NON_ACTIVITY_CAUSES, type UsageCause } from '../core/activities.js';
import { FileAccessError } from '../core/bad-input-error.js';
import type { DeviceUse } from '../core/device-use.js';
import { ATTACK_KINDS, type AttackKind } from '../core/kinds.js';

/** Uses sorted in memory at a time: about 13 MB of uses read from a CSV. */
export const SORT_RUN_USES = 1 << 17;

const CAUSES: readonly UsageCause[] = [...ACTIVITIES, ...NON_ACTIVITY_CAUSES];
const NO_CAUSE = 255;
/** Bytes of a use before its device id. */
const HEAD_BYTES = 8 + 1 + 1 + 4;
/** Bytes read from a run's file at a time (grown for a longer use). */
const READ_BYTES = 1 << 16;

export interface SortOptions {
  /** Uses per run (default {@link SORT_RUN_USES}). */
  readonly runUses?: number;
  /** Told the path of each run's file as it is written. */
  readonly onRun?: (path: string) => void;
}

function byTime(a: DeviceUse, b: DeviceUse): number {
  return a.timeUs - b.timeUs;
}

/** `uses` sorted by time, stably (see the module comment). */
export function* sortedByTime(uses: Iterable<DeviceUse<AttackKind>>, options: SortOptions = {}): Generator<DeviceUse<AttackKind>> {
  const runUses = options.runUses ?? SORT_RUN_USES;
  let dir: string | null = null;
  const files: string[] = [];
  try {
    let run: DeviceUse<AttackKind>[] = [];
    for (const use of uses) {
      run.push(use);
      if (run.length < runUses) continue;
      dir ??= mkdtempSync(join(tmpdir(), 'peephole-sort-'));
      files.push(writeRun(join(dir, `run-${files.length}`), run.sort(byTime)));
      options.onRun?.(files[files.length - 1]);
      run = [];
    }
    run.sort(byTime);
    if (files.length === 0) {
      yield* run;
      return;
    }
    if (run.length > 0) {
      files.push(writeRun(join(dir!, `run-${files.length}`), run));
      options.onRun?.(files[files.length - 1]);
    }
    run = [];
    yield* merged(files);
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

function writeRun(path: string, run: readonly DeviceUse<AttackKind>[]): string {
  let bytes = 0;
  for (const u of run) bytes += HEAD_BYTES + Buffer.byteLength(u.device, 'utf8');
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const u of run) {
    out.writeDoubleLE(u.timeUs, at);
    out[at + 8] = ATTACK_KINDS.indexOf(u.kind);
    out[at + 9] = u.cause === undefined ? NO_CAUSE : CAUSES.indexOf(u.cause);
    const length = out.write(u.device, at + HEAD_BYTES, 'utf8');
    out.writeUInt32LE(length, at + 10);
    at += HEAD_BYTES + length;
  }
  try {
    writeFileSync(path, out);
  } catch (error) {
    throw new FileAccessError(path, error, 'write');
  }
  return path;
}

/** The uses of sorted runs, merged: by time, then by run (a heap of the runs by their next use). */
function* merged(files: readonly string[]): Generator<DeviceUse<AttackKind>> {
  const readers = files.map((f, i) => new RunReader(f, i));
  try {
    const heap = readers.filter((r) => r.next());
    const before = (a: RunReader, b: RunReader): boolean => a.use!.timeUs < b.use!.timeUs || (a.use!.timeUs === b.use!.timeUs && a.run < b.run);
    const down = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    };
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const top = heap[0];
      yield top.use!;
      if (!top.next()) {
        const last = heap.pop()!;
        if (heap.length === 0) break;
        heap[0] = last;
      }
      down(0);
    }
  } finally {
    for (const r of readers) r.close();
  }
}

/** Reads a run's file back, a use at a time. */
class RunReader {
  use: DeviceUse<AttackKind> | null = null;
  private readonly fd: number;
  private buffer = Buffer.allocUnsafe(READ_BYTES);
  private start = 0;
  private end = 0;
  private eof = false;
  private closed = false;

  constructor(
    private readonly path: string,
    readonly run: number,
  ) {
    try {
      this.fd = openSync(path, 'r');
    } catch (error) {
      throw new FileAccessError(path, error, 'read');
    }
  }

  /** Reads the next use into {@link use}; false at the end of the run. */
  next(): boolean {
    if (!this.fill(HEAD_BYTES)) {
      this.use = null;
      this.close();
      return false;
    }
    const b = this.buffer;
    const at = this.start;
    const timeUs = b.readDoubleLE(at);
    const kind = ATTACK_KINDS[b[at + 8]];
    const causeIndex = b[at + 9];
    const length = b.readUInt32LE(at + 10);
    if (!this.fill(HEAD_BYTES + length)) throw new Error(`${this.path}: a sorted run ends inside a use`);
    const device = this.buffer.toString('utf8', this.start + HEAD_BYTES, this.start + HEAD_BYTES + length);
    this.start += HEAD_BYTES + length;
    this.use = causeIndex === NO_CAUSE ? { timeUs, device, kind } : { timeUs, device, kind, cause: CAUSES[causeIndex] };
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Makes `bytes` bytes from {@link start} readable; false when the file ends first. */
  private fill(bytes: number): boolean {
    while (this.end - this.start < bytes) {
      if (this.eof) return false;
      if (this.buffer.length < bytes) {
        const grown = Buffer.allocUnsafe(Math.max(bytes, 2 * this.buffer.length));
        this.buffer.copy(grown, 0, this.start, this.end);
        this.buffer = grown;
      } else this.buffer.copy(this.buffer, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      let n: number;
      try {
        n = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      } catch (error) {
        throw new FileAccessError(this.path, error, 'read');
      }
      if (n === 0) this.eof = true;
      this.end += n;
    }
    return true;
  }
}
