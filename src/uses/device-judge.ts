/**
 * Judges one device's bursts as the capture is read, a block of time at a time, so that memory follows
 * the block and not the capture (burst-log.ts keeps each burst small; this keeps few of them).
 *
 * A burst is judged against the baseline of its device (baseline.ts), and that baseline is learnt from
 * the bursts around it: every burst of the block (`blockUs` from the device's first burst, then the
 * next `blockUs`, ...) and those within `marginUs` either side of the block. The classifier runs over
 * the margin before the block first (its beats and setups carry into the block) and looks into the
 * margin after it (the next burst of a rough band). A block is judged once a burst of the device comes
 * past the margin after it, or at the end of the capture; then its bursts are let go, but for the
 * last `marginUs` (the margin before the next block). The bursts are kept in slices of `marginUs`
 * (one {@link BurstLog} each).
 *
 * A capture whose packets span less than a block is judged as one: every burst against the baseline
 * of all the device's bursts, as before there were blocks. A longer capture has each block's bursts
 * judged against the baseline of that block and its margins: keep-alives whose period drifts are
 * learnt as they are in each block, and a shape seen rarely in a year may be too rare in one block.
 * {@link DEFAULT_JUDGE_BLOCK_US} says what that changed on a year of the family home.
 *
 * ```ts
 * const judge = new DeviceJudge();
 * const grouper = new BurstGrouper(DEFAULT_BURST_GAP_US, (b) => judge.add(b));
 * // ... grouper.add(...) per packet, then:
 * grouper.finish();
 * judge.finish();
 * judge.uses; // how many uses it found; judge.useAt(0) is the first, in time order
 * ```
 */
import { learnBaseline, learnBaselineOfLogs, withBursts, type DeviceBaseline } from './baseline.js';
import { emptyBurst, type BurstSummary } from './burst.js';
import { BurstCursor, BurstLog } from './burst-log.js';
import { BURST_LABELS, BurstClassifier, nextInBand, quietLabel, type BurstLabel, type BurstVerdict } from './classify.js';
import { usageDirection, type UsageDirection } from './detected-use.js';
import type { PeriodOptions } from './period.js';

const DAY_US = 86_400e6;

/**
 * Length of a block of a device's bursts judged against one baseline: 35 days, so that a month's
 * capture (the 30 days of bench:ingest's family home span 30 days and 35 minutes) is judged as one
 * block, exactly as the whole capture. On a year of the family home (seed 1, 24.7 M packets;
 * `node --import tsx bench/judge-blocks.ts --blocks 35,14,7,2,1`), blocks of 35, 14, 7 and even 2
 * days found the very uses that judging the year as one block found (17,136, precision and recall
 * 1.000 against its true uses), so the same inferred day; blocks of 1 day lost 12 (recall 0.9993).
 * The year's bursts, 41 MB packed, are held 37 days at a time (4 MB).
 */
export const DEFAULT_JUDGE_BLOCK_US = 35 * DAY_US;
/**
 * Bursts either side of a block that its baseline also learns from: a day. Enough for the classifier
 * to follow a rough keep-alive into the block (it looks at most four periods back, and periods are at
 * most an hour: period.ts) and to see the next beat after the block's last burst.
 */
export const DEFAULT_JUDGE_MARGIN_US = DAY_US;

export interface JudgeOptions extends PeriodOptions {
  /** Length of a block (default {@link DEFAULT_JUDGE_BLOCK_US}); Infinity judges all the bursts as one block. */
  readonly judgeBlockUs?: number;
  /** The margin either side of a block (default {@link DEFAULT_JUDGE_MARGIN_US}); a block is a whole number of margins. */
  readonly judgeMarginUs?: number;
}

/** Slices in a block that holds every burst: more than any capture has (2^40 margins). */
const ONE_BLOCK_SLICES = 2 ** 40;
/** Numbers kept per use: time, end, packets, bytes, direction, confidence. */
const USE_FIELDS = 6;
const DIRECTIONS: readonly UsageDirection[] = ['up', 'down', 'both'];

/** One use as a device's judge keeps it, before the device is named (detect-usage.ts names it). */
export interface JudgedUse {
  readonly timeUs: number;
  readonly endUs: number;
  readonly packets: number;
  readonly bytes: number;
  readonly direction: UsageDirection;
  readonly confidence: number;
}

/** Several burst logs read as one, in order. */
class ChainedBursts implements Iterable<BurstSummary> {
  constructor(private readonly logs: readonly BurstLog[]) {}

  get count(): number {
    let n = 0;
    for (const log of this.logs) n += log.count;
    return n;
  }

  get kept(): number {
    let n = 0;
    for (const log of this.logs) n += log.kept;
    return n;
  }

  [Symbol.iterator](): Iterator<BurstSummary> {
    return BurstLog.readAll(this.logs);
  }
}

/** Where the verdicts of a block's bursts judged uses go (a {@link DeviceJudge} keeps them). */
export interface VerdictSink {
  verdict(b: BurstSummary, v: BurstVerdict): void;
}

/**
 * Judges `logs` (one device's bursts, in time order) against the baseline learnt from them all; the
 * verdicts of the bursts of logs `judgedFrom` to `judgedTo` (excluded) are counted in `labels`, and
 * those that are uses handed to `sink`.
 * Returns the baseline, with `bursts` counting every burst of `logs`.
 *
 * The logs judged are a range and the verdicts go to an object's method, not to functions made for
 * each block: V8 had compiled this function for the closures of the first device's block and threw
 * that code away at the second device's ("wrong call target"), twice per run of `peephole attack`.
 */
export function judgeBursts(
  logs: readonly BurstLog[],
  judgedFrom: number,
  judgedTo: number,
  labels: Record<BurstLabel, number>,
  sink: VerdictSink,
  options: PeriodOptions = {},
): DeviceBaseline {
  const all = new ChainedBursts(logs);
  const baseline = withBursts(learnBaselineOfLogs(logs, options), all.count);
  const classifier = new BurstClassifier(baseline);
  for (let l = judgedFrom; l < judgedTo; l++) for (const [roles, n] of logs[l].quietByRoles) labels[quietLabel(roles)] += n;
  if (baseline.roughHeartbeats.length === 0) judgeByTuple(logs, judgedFrom, judgedTo, labels, sink, classifier);
  else judgeInOrder(logs, judgedFrom, judgedTo, labels, sink, classifier, nextInBand(all, all.kept, baseline));
  return baseline;
}

/**
 * {@link judgeBursts}' verdicts where the device has no rough heartbeat: then a burst's verdict
 * depends on its tuple alone (its sizes, roles and shape: classify.ts follows nothing from burst to
 * burst but the rough beats), so each tuple of a log is judged once, and the bursts of the logs not
 * judged are not read (what that and learnBaselineOfLogs saved: see there). None of the family home's
 * ten devices has a rough heartbeat over its month.
 */
function judgeByTuple(
  logs: readonly BurstLog[],
  judgedFrom: number,
  judgedTo: number,
  labels: Record<BurstLabel, number>,
  sink: VerdictSink,
  classifier: BurstClassifier,
): void {
  const cursor = new BurstCursor(logs, judgedFrom, judgedTo);
  const b = emptyBurst(0);
  let verdicts: (BurstVerdict | undefined)[] = [];
  let log = -1;
  while (cursor.next()) {
    if (cursor.log !== log) {
      log = cursor.log;
      verdicts = [];
    }
    let v = cursor.tuple >= 0 ? verdicts[cursor.tuple] : undefined;
    if (v === undefined) {
      cursor.fill(b);
      v = classifier.classify(b);
      if (cursor.tuple >= 0) verdicts[cursor.tuple] = v;
    }
    labels[v.label]++;
    if (v.label !== 'use') continue;
    cursor.fill(b);
    sink.verdict(b, v);
  }
}

/** {@link judgeBursts}' verdicts burst by burst in time order, the rough beats followed (`next`: nextInBand()). */
function judgeInOrder(
  logs: readonly BurstLog[],
  judgedFrom: number,
  judgedTo: number,
  labels: Record<BurstLabel, number>,
  sink: VerdictSink,
  classifier: BurstClassifier,
  next: Float64Array,
): void {
  let i = 0;
  for (let l = 0; l < logs.length; l++) {
    const counted = l >= judgedFrom && l < judgedTo;
    for (const b of logs[l]) {
      const v = classifier.classify(b, next[i++]);
      if (!counted) continue;
      labels[v.label]++;
      if (v.label === 'use') sink.verdict(b, v);
    }
  }
}

/** No burst judged yet. */
export function noLabels(): Record<BurstLabel, number> {
  return Object.fromEntries(BURST_LABELS.map((l) => [l, 0])) as Record<BurstLabel, number>;
}

/** One device's bursts, judged a block at a time (see the module comment). */
export class DeviceJudge implements VerdictSink {
  /** Bursts added. */
  bursts = 0;
  /** Bursts per verdict, over the blocks judged. */
  readonly labels: Record<BurstLabel, number> = noLabels();
  /** The baseline of the device's first block judged (of all its bursts when the capture spans less than a block); null before. */
  baseline: DeviceBaseline | null = null;
  /** Blocks judged. */
  blocks = 0;
  /** The most slices of bursts held at once. */
  peakSlices = 0;
  private readonly blockUs: number;
  private readonly marginUs: number;
  /** Slices in a block. */
  private readonly slicesPerBlock: number;
  private originUs = NaN;
  /** The block to judge next. */
  private block = 0;
  /** Slices held, by index (slice i: bursts starting from origin + i margins), oldest first. */
  private readonly sliceIndex: number[] = [];
  private readonly sliceLog: BurstLog[] = [];
  private useData = new Float64Array(16 * USE_FIELDS);
  private useCount = 0;

  constructor(private readonly options: JudgeOptions = {}) {
    this.blockUs = options.judgeBlockUs ?? DEFAULT_JUDGE_BLOCK_US;
    this.marginUs = options.judgeMarginUs ?? DEFAULT_JUDGE_MARGIN_US;
    if (!(this.marginUs > 0 && Number.isFinite(this.marginUs))) throw new RangeError(`The judging margin must be a finite time above 0 µs, got ${this.marginUs}`);
    const per = this.blockUs / this.marginUs;
    if (!(per === Infinity || (Number.isInteger(per) && per >= 1))) {
      throw new RangeError(`A judging block must be a whole number of margins (${this.marginUs} µs), got ${this.blockUs} µs`);
    }
    this.slicesPerBlock = per === Infinity ? ONE_BLOCK_SLICES : per;
  }

  /** Uses found so far, in time order. */
  get uses(): number {
    return this.useCount;
  }

  /** Slices of bursts held now. */
  get heldSlices(): number {
    return this.sliceLog.length;
  }

  /** Use `i` (0 ≤ i < {@link uses}). */
  useAt(i: number): JudgedUse {
    const d = this.useData;
    const at = i * USE_FIELDS;
    return { timeUs: d[at], endUs: d[at + 1], packets: d[at + 2], bytes: d[at + 3], direction: DIRECTIONS[d[at + 4]], confidence: d[at + 5] };
  }

  /** Adds a closed burst (copied: the object may be reused). Bursts come in the order they began. */
  add(b: BurstSummary): void {
    if (this.bursts++ === 0) this.originUs = b.startUs;
    const slice = Math.floor((b.startUs - this.originUs) / this.marginUs);
    // A block is judged once a burst begins past the margin after it.
    while ((this.block + 1) * this.slicesPerBlock < slice) this.judgeBlock();
    const n = this.sliceIndex.length;
    if (n === 0 || this.sliceIndex[n - 1] !== slice) {
      this.sliceIndex.push(slice);
      this.sliceLog.push(new BurstLog());
      if (this.sliceLog.length > this.peakSlices) this.peakSlices = this.sliceLog.length;
    }
    this.sliceLog[this.sliceLog.length - 1].add(b);
  }

  /** Judges the blocks left; call once after the last burst. */
  finish(): void {
    while (this.sliceIndex.length > 0 && this.sliceIndex[this.sliceIndex.length - 1] >= this.block * this.slicesPerBlock) this.judgeBlock();
    if (this.baseline === null) this.baseline = withBursts(learnBaseline([], this.options), 0);
  }

  /** Judges block {@link block} (when it holds bursts) and lets go of what the next block does not read. */
  private judgeBlock(): void {
    const per = this.slicesPerBlock;
    const first = this.block * per;
    const end = first + per;
    const from = this.sliceIndex.findIndex((s) => s >= first - 1);
    let to = from;
    while (to >= 0 && to < this.sliceIndex.length && this.sliceIndex[to] <= end) to++;
    if (from >= 0 && this.sliceIndex.slice(from, to).some((s) => s >= first && s < end)) {
      const logs = this.sliceLog.slice(from, to);
      const index = this.sliceIndex.slice(from, to);
      // The slices are in order: those of this block are a range.
      let judgedFrom = 0;
      while (judgedFrom < index.length && index[judgedFrom] < first) judgedFrom++;
      let judgedTo = judgedFrom;
      while (judgedTo < index.length && index[judgedTo] < end) judgedTo++;
      const baseline = judgeBursts(logs, judgedFrom, judgedTo, this.labels, this, this.options);
      this.baseline ??= baseline;
      this.blocks++;
    }
    this.block++;
    // The next block reads its margin before: the last slice of this one.
    let drop = 0;
    while (drop < this.sliceIndex.length && this.sliceIndex[drop] < end - 1) drop++;
    this.sliceIndex.splice(0, drop);
    this.sliceLog.splice(0, drop);
  }

  /** Keeps a use (a verdict of {@link judgeBursts} on one of this device's bursts). */
  verdict(b: BurstSummary, v: BurstVerdict): void {
    if (v.label === 'use') this.addUse(b, v.confidence);
  }

  private addUse(b: BurstSummary, confidence: number): void {
    if ((this.useCount + 1) * USE_FIELDS > this.useData.length) {
      const grown = new Float64Array(this.useData.length * 2);
      grown.set(this.useData);
      this.useData = grown;
    }
    const at = this.useCount++ * USE_FIELDS;
    const d = this.useData;
    d[at] = b.firstDataUs >= 0 ? b.firstDataUs : b.startUs;
    d[at + 1] = b.endUs;
    d[at + 2] = b.packets;
    d[at + 3] = b.bytes;
    d[at + 4] = DIRECTIONS.indexOf(usageDirection(b.dataBytesUp, b.dataBytesDown));
    d[at + 5] = confidence;
  }
}
