/**
 * Runs a use defence and holds it to its contract: it returns a time for every use it was given
 * (a real use is never lost), never earlier than the use was lived nor later than the defence's
 * stated delay for the use's kind, and its cover uses name devices of the home with actions they
 * have. A defence that breaks this is a bug (RangeError naming the defence, the day and the use).
 *
 * The {@link UseLedger} keeps what the cost needs: every real use's delay, and the cover made.
 */
import type { Random } from '../core/random.js';
import type { CoverUse, Defence, DefendedDevice, UseDefenceRun, UseIn } from './strategy.js';

/** What a use defence did over a run. */
export class UseLedger {
  /** Real uses given to the defence. */
  real = 0;
  /** Real uses it made later than lived. */
  moved = 0;
  /** Every real use's added delay in µs, in the order the days came (0 for a use left in place). */
  readonly delaysUs: number[] = [];
  /** Cover uses it made. */
  cover = 0;
}

/** One day's uses as the defence made them: each real use (by its index in the day) with its new time, and the cover. */
export interface CheckedDay {
  readonly timesUs: readonly number[];
  readonly cover: readonly CoverUse[];
}

/** A run of `defence` over a home of `devices`, checked use by use (see the module comment). */
export class CheckedUseRun {
  private readonly run: UseDefenceRun;
  private readonly actions: ReadonlyMap<string, ReadonlySet<string>>;

  /** A checked run of `defence`; given `continuing`, the same run goes on (what it learnt kept), now recorded into `ledger`. */
  constructor(
    private readonly defence: Defence,
    devices: readonly DefendedDevice[],
    random: Random,
    readonly ledger: UseLedger = new UseLedger(),
    continuing?: CheckedUseRun,
  ) {
    if (defence.uses === null) throw new RangeError(`${defence.strategy} has no use defence`);
    this.run = continuing?.run ?? defence.uses.open(devices, random);
    this.actions = new Map(devices.map((d) => [d.id, new Set(d.actions)]));
  }

  day(dayStartUs: number, uses: readonly UseIn[]): CheckedDay {
    const out = this.run.day(dayStartUs, uses);
    const date = new Date(dayStartUs / 1000).toISOString().slice(0, 10);
    const where = `${this.defence.strategy}, day ${date}`;
    if (out.timesUs.length !== uses.length) throw new RangeError(`${where}: ${uses.length} uses given, ${out.timesUs.length} times returned (a real use may be moved, never lost)`);
    const ledger = this.ledger;
    uses.forEach((u, i) => {
      const t = out.timesUs[i];
      const delay = t - u.timeUs;
      const most = this.defence.maxDelayUs(u.kind);
      if (!Number.isSafeInteger(t) || delay < 0 || delay > most) {
        throw new RangeError(`${where}: use ${i} (${u.device}, ${u.kind}) lived at ${u.timeUs} µs is made at ${t} µs: a ${u.kind} may wait 0 to ${most} µs`);
      }
      ledger.real++;
      if (delay > 0) ledger.moved++;
      ledger.delaysUs.push(delay);
    });
    out.cover.forEach((c, i) => {
      const actions = this.actions.get(c.device);
      if (actions === undefined) throw new RangeError(`${where}: cover ${i} names ${JSON.stringify(c.device)}, not a device of the home`);
      if (!actions.has(c.action)) throw new RangeError(`${where}: cover ${i} makes ${c.device} ${JSON.stringify(c.action)}, not one of its actions`);
      if (!Number.isSafeInteger(c.timeUs) || c.timeUs < 0) throw new RangeError(`${where}: cover ${i} at ${c.timeUs} µs is not whole µs since the epoch`);
    });
    ledger.cover += out.cover.length;
    return out;
  }
}
