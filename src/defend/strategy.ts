/**
 * The one interface every defence strategy has. A {@link Strategy} is a named family with declared
 * parameters; `create(params)` gives a {@link Defence}: the same policy at each place it can act.
 *
 * - `uses`: on a home's device uses, day by day. It may add cover uses and move real uses later (never
 *   earlier, never further than {@link Defence.maxDelayUs} for the use's kind), and it cannot lose one:
 *   it returns a time for every use it was given. This runs at the simulator's use seam (home/seams.ts),
 *   on an events CSV, and on the uses found in a real capture (whose bursts are then copied or moved).
 * - `packets`: on each device packet in the simulator, before any vantage sees it (the packet seam):
 *   larger payloads, another far end.
 * - `packetsOnCapture`: what `packets` does, on a written capture the seam never saw (a real one).
 * - `frames`: on a written capture's frames (a real capture, or the simulator's output), for what a
 *   packet seam cannot do: add packets (constant-rate shaping), wrap them (a tunnel), replace them
 *   (encrypted DNS).
 *
 * A defence holds no global state: what a run learns (a device's past uses) lives in the run that
 * {@link UseDefence.open} returns, and every random draw comes from the generator it is given, so the
 * same seed gives the same bytes.
 */
import type { Random } from '../core/random.js';
import type { DeviceUse } from '../core/device-use.js';
import type { PacketTransform } from '../home/seams.js';
import type { FrameDefence } from './frames/frame-defence.js';
import type { ParamSpec, ParamValues } from './params.js';

/** A device a use defence may make act. */
export interface DefendedDevice {
  readonly id: string;
  /** Its kind as the source names it (the simulator's kinds, or the attack's for a CSV or a capture). */
  readonly kind: string;
  /** What it can be made to do: the simulator's actions of its kind, or [''] where actions are not known. */
  readonly actions: readonly string[];
}

/** One use as a use defence sees it. */
export interface UseIn {
  readonly timeUs: number;
  readonly device: string;
  readonly kind: string;
  /** What the device did ('' where not known). */
  readonly action: string;
}

/** A use a defence made up: the device acts although nobody used it. */
export interface CoverUse {
  readonly timeUs: number;
  readonly device: string;
  readonly action: string;
}

/** What a use defence makes of a day. */
export interface DefendedDay {
  /** When each of the day's uses is made, in the order they were given (never before it was lived). */
  readonly timesUs: readonly number[];
  readonly cover: readonly CoverUse[];
}

/** One run of a use defence over a home's days (it may learn from the days it has seen). */
export interface UseDefenceRun {
  /**
   * The day starting at `dayStartUs` (UTC midnight), given its uses in time order; called once per
   * day, days in order. Uses may fall after the next midnight (a reaction late in the evening).
   */
  day(dayStartUs: number, uses: readonly UseIn[]): DefendedDay;
}

export interface UseDefence {
  /** Starts a run over a home of `devices`, drawing every random choice from `random`. */
  open(devices: readonly DefendedDevice[], random: Random): UseDefenceRun;
}

export interface Defence {
  /** The strategy's name, with its parameters, as it was created. */
  readonly strategy: string;
  readonly params: ParamValues;
  readonly uses: UseDefence | null;
  readonly packets: PacketTransform | null;
  /** What `packets` does, done on a written capture the packet seam never saw (a real one). */
  readonly packetsOnCapture: FrameDefence | null;
  /** What only a written capture's frames allow (adding, wrapping, replacing packets): after the seams, or on a real capture. */
  readonly frames: FrameDefence | null;
  /** The longest a real use of this kind (any vocabulary: `contact`, `door`, …) may be moved, µs. */
  maxDelayUs(kind: string): number;
  /**
   * What an observer of the defended traffic can still tell of the uses (time-sorted, as the devices
   * make them), for evaluations on uses without writing traffic: which uses it sees, on which device,
   * of which kind. Null when it sees every use as it is (cover bursts look like real ones; padding
   * leaves times, devices and names alone).
   */
  readonly view: ((uses: readonly DeviceUse[]) => DeviceUse[]) | null;
  /**
   * Days of a home's past a run of the use defence learns from before it acts fully (a device
   * imitating its own uses needs some): a simulated home is defended as if the defence had already
   * run that long (simulator-seams.ts primes it). 0 for a defence that learns nothing.
   */
  readonly warmupDays: number;
}

/** What a strategy is about, for tables. */
export type StrategyFamily = 'cover' | 'shaping' | 'delay' | 'hiding';

export interface Strategy {
  readonly name: string;
  readonly family: StrategyFamily;
  /** One line: what it does. */
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** The parameter a sweep varies and its values, from the least protection to the most; null when there is none. */
  readonly sweep: { readonly param: string; readonly values: readonly number[] } | null;
  /**
   * An attack known outside that no observer here tries on this strategy, when there is one: its
   * scores are then an upper estimate of its privacy, and a recommendation of it says so.
   */
  readonly untested?: string;
  /** A defence with `params` (every parameter set: params.ts `resolveParams`). */
  create(params: ParamValues): Defence;
}

/** The part of a {@link Defence} every strategy fills the same way. */
export function defence(strategy: string, params: ParamValues, parts: Partial<Omit<Defence, 'strategy' | 'params'>>): Defence {
  return {
    strategy,
    params,
    uses: parts.uses ?? null,
    packets: parts.packets ?? null,
    packetsOnCapture: parts.packetsOnCapture ?? null,
    frames: parts.frames ?? null,
    maxDelayUs: parts.maxDelayUs ?? (() => 0),
    view: parts.view ?? null,
    warmupDays: parts.warmupDays ?? 0,
  };
}

export const MINUTE_US = 60e6;
export const HOUR_US = 3_600e6;
export const DAY_US = 86_400e6;
