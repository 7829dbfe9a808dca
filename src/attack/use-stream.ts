/**
 * Predicts time-sorted device uses as they come, a block at a time, holding only the block and the
 * uses its rows read (the predictor's context, features/feature-set.ts `UseContext`): the sequence
 * set's 8 uses either side, the extended set's episode and the day around it, the rules' stretch
 * between two long silences. Each use's probabilities are those `predictor.predict()` gives it over
 * all the uses at once, since its row reads the same uses: the row of a use is computed over a window
 * of the uses that holds its context, then the network reads the block's rows.
 *
 * ```ts
 * for (const activities of inferDay(predictor, uses)) for (const a of activities) console.log(a.activity);
 * for (const block of predictBlocks(predictor, uses)) {
 *   block.uses; // up to STREAM_BLOCK_USES uses, in order
 *   block.probabilities; // their rows × predictor.classes.length
 * }
 * ```
 */
import type { DeviceUse } from '../core/device-use.js';
import type { UseContext } from '../features/feature-set.js';
import { TimelineBuilder, type TimelineEntry, type TimelineOptions } from './episodes.js';
import type { ActivityPredictor } from './predictor.js';

/**
 * Uses predicted together. The network's outputs depend in their last bits on how its rows are
 * batched (the matrix kernels sum in another order, and the rows of a call are shared by threads):
 * up to this many uses the block is all of them, the very call predict() makes of them all, so the
 * answers are the same to the bit; past it, a confidence may change in its fourth decimal. On
 * 1,000,000 uses of the sensor-rich home (bench:memory's events CSV), blocks of 4,096 to 32,768 uses
 * gave every one of the 118,570 activities as one call does, to the fourth decimal of its confidence
 * (blocks of 2,048: 95 changed); on the 17,136 uses of a year of the family home, blocks of 4,096 to
 * 16,384 changed one confidence of 5,363 (0.6178 to 0.6177). A block of the sequence set's rows takes
 * 8 MB, and as much again normalised: `peephole attack` on the 1,000,000 uses peaked at 213-254 MB
 * (3 runs) with blocks of 8,192, at 314-318 MB with blocks of 32,768.
 */
export const STREAM_BLOCK_USES = 8_192;

/** Uses of one block and their probabilities (rows × classes, row-major). */
export interface PredictedBlock {
  readonly uses: readonly DeviceUse[];
  readonly probabilities: Float32Array;
}

export interface PredictBlocksOptions {
  /** Uses per block (default {@link STREAM_BLOCK_USES}). */
  readonly blockUses?: number;
  /** Told the number of uses held (the block, its context and the uses read ahead) after each use taken. */
  readonly onHeld?: (uses: number) => void;
}

/**
 * The probabilities of `uses` (sorted by time; a RangeError names the first one out of order), a block
 * at a time, in order. A use is held from when it comes until the blocks whose rows read it are done.
 */
export function* predictBlocks(predictor: ActivityPredictor, uses: Iterable<DeviceUse>, options: PredictBlocksOptions = {}): Generator<PredictedBlock> {
  const blockUses = options.blockUses ?? STREAM_BLOCK_USES;
  if (!(Number.isInteger(blockUses) && blockUses >= 1)) throw new RangeError(`A block holds a whole number of uses ≥ 1, not ${blockUses}`);
  const window = new UseWindow(predictor.context);
  for (const use of uses) {
    window.push(use);
    options.onHeld?.(window.held);
    // A block is predicted once the uses its rows read have all come.
    while (window.seen - window.blockStart >= blockUses && window.readyThrough(window.blockStart + blockUses)) {
      yield window.predict(predictor, window.blockStart + blockUses);
    }
  }
  while (window.blockStart < window.seen) yield window.predict(predictor, Math.min(window.seen, window.blockStart + blockUses));
}

/** The uses held: from the first one the next block's rows read to the last one come. */
class UseWindow {
  private readonly buffer: DeviceUse[] = [];
  /** The index (among all uses) of buffer[0]. */
  private base = 0;
  /** The first use of the next block. */
  blockStart = 0;
  /** Where the search for the end of a block's last run got to (an index among all uses). */
  private runEndFrom = -1;

  constructor(private readonly context: UseContext) {}

  /** Uses come so far. */
  get seen(): number {
    return this.base + this.buffer.length;
  }

  get held(): number {
    return this.buffer.length;
  }

  private at(i: number): DeviceUse {
    return this.buffer[i - this.base];
  }

  push(use: DeviceUse): void {
    const n = this.seen;
    if (n > 0 && use.timeUs < this.at(n - 1).timeUs) throw new RangeError(`Uses must be sorted by time: use ${n} (${use.device}) is earlier than use ${n - 1}`);
    this.buffer.push(use);
  }

  /**
   * True when every use the rows of uses before `end` read has come: the uses up to `context.uses`
   * after, and those up to `context.spanUs` after the end of the run of use `end - 1` (known to have
   * ended once a use comes more than the run gap after it).
   */
  readyThrough(end: number): boolean {
    const { uses, runGapUs, spanUs } = this.context;
    const n = this.seen;
    if (n < end + uses) return false;
    let e = Math.max(this.runEndFrom, end - 1);
    while (e + 1 < n && this.at(e + 1).timeUs - this.at(e).timeUs <= runGapUs) e++;
    this.runEndFrom = e;
    if (e + 1 >= n) return false;
    return this.at(n - 1).timeUs > this.at(e).timeUs + spanUs;
  }

  /** Predicts the uses from {@link blockStart} to `end` (all their context has come) and lets go of what the next block does not read. */
  predict(predictor: ActivityPredictor, end: number): PredictedBlock {
    const start = this.blockStart;
    const from = this.firstRead(start);
    const to = this.endRead(end);
    const window = this.buffer.slice(from - this.base, to - this.base);
    const probabilities = predictor.predict(window, start - from, end - from);
    const block: PredictedBlock = { uses: this.buffer.slice(start - this.base, end - this.base), probabilities };
    this.blockStart = end;
    this.runEndFrom = -1;
    const keep = this.firstRead(end);
    this.buffer.splice(0, keep - this.base);
    this.base = keep;
    return block;
  }

  /** The first use the row of use `i` (and of every later one) reads: `uses` before, and `spanUs` before its run. */
  private firstRead(i: number): number {
    const { uses, runGapUs, spanUs } = this.context;
    // Past the last use come, all are kept: a use still to come may join the last run.
    if (i >= this.seen) return this.base;
    let s = i;
    while (s > this.base && this.at(s).timeUs - this.at(s - 1).timeUs <= runGapUs) s--;
    const from = this.at(s).timeUs - spanUs;
    while (s > this.base && this.at(s - 1).timeUs >= from) s--;
    return Math.max(this.base, Math.min(s, i - uses));
  }

  /** The end (exclusive) of what the rows of uses before `end` read: `uses` after, and `spanUs` after the run of use `end - 1`. */
  private endRead(end: number): number {
    const { uses, runGapUs, spanUs } = this.context;
    const n = this.seen;
    let e = end - 1;
    while (e + 1 < n && this.at(e + 1).timeUs - this.at(e).timeUs <= runGapUs) e++;
    const until = this.at(e).timeUs + spanUs;
    while (e + 1 < n && this.at(e + 1).timeUs <= until) e++;
    return Math.min(n, Math.max(e + 1, end + uses));
  }
}

/**
 * The residents' day from `uses` (sorted by time), as {@link activityTimeline} gives it from
 * `predictor.predict()` of all of them, but a block of uses at a time: each step gives the activities
 * that block closed (often none), the last step the one still open.
 */
export function* inferDay(predictor: ActivityPredictor, uses: Iterable<DeviceUse>, options: TimelineOptions & PredictBlocksOptions = {}): Generator<TimelineEntry[]> {
  if (predictor.day !== undefined) {
    yield* dayInBlocks(predictor.day.bind(predictor), uses);
    return;
  }
  const builder = new TimelineBuilder(predictor.classes.length, options);
  for (const block of predictBlocks(predictor, uses, options)) yield builder.add(block.uses, block.probabilities);
  yield builder.end();
}

const DAY_US = 24 * 3600e6;
/**
 * A preset that decodes the day whole (structured) reads it in blocks of this many days, each with
 * {@link DAY_BLOCK_MARGIN_US} of uses either side that are read but whose activities belong to the
 * next or last block: memory holds one block's uses, whatever the length of the record.
 */
export const DAY_BLOCK_US = 28 * DAY_US;
export const DAY_BLOCK_MARGIN_US = 2 * DAY_US;
/**
 * The last block is never shorter than this: a record that ends less than this after a block's end
 * has its rest decoded with that block, so a record of up to 35 days (a month) is decoded whole, as
 * its bursts are judged (uses/device-judge.ts). Before, 30 days and 35 minutes of the family home
 * (bench:ingest's month) were read as 28 days, then as a last block of 4 (its last 2 days and the
 * margin before them), whose structure was fitted on those 4 days alone.
 */
export const DAY_BLOCK_MIN_LAST_US = 7 * DAY_US;

/**
 * The day of a whole-day decoder (`day`), a block of days at a time: the activities of
 * [start, start + DAY_BLOCK_US) come from the uses of that block and its margins, the last block's
 * from the uses of it (at most DAY_BLOCK_US + DAY_BLOCK_MIN_LAST_US) and its margin before. A record
 * shorter than a block and the shortest last block is decoded in one go, exactly as `day(all uses)`.
 */
export function* dayInBlocks(day: (events: readonly DeviceUse[]) => TimelineEntry[], uses: Iterable<DeviceUse>): Generator<TimelineEntry[]> {
  let held: DeviceUse[] = [];
  let blockStart = NaN;
  let first = true;
  // The activities of the block from blockStart (from the record's start for the first) to `to`, decoded from `events`.
  const decode = (events: readonly DeviceUse[], to: number): TimelineEntry[] => day(events).filter((a) => a.timeUs >= (first ? -Infinity : blockStart) && a.timeUs < to);
  for (const use of uses) {
    if (Number.isNaN(blockStart)) blockStart = use.timeUs;
    // A block is decoded once the record is known to go on past it for a shortest last block.
    while (use.timeUs >= blockStart + DAY_BLOCK_US + DAY_BLOCK_MIN_LAST_US) {
      const end: number = blockStart + DAY_BLOCK_US;
      yield decode(held.filter((u) => u.timeUs < end + DAY_BLOCK_MARGIN_US), end);
      first = false;
      blockStart = end;
      const keepFrom = end - DAY_BLOCK_MARGIN_US;
      held = held.filter((u) => u.timeUs >= keepFrom);
    }
    held.push(use);
  }
  if (held.length > 0) yield decode(held, Infinity);
}
