/**
 * The household as activities happen, in time order across residents: who is at home and who is
 * awake, the devices' reactions to each activity (with their conditions: the last one out arms the
 * alarm, the first one back disarms it), and a timeline of who was home and awake, which noise and
 * guests read afterwards.
 */
import type { Random } from '../core/random.js';
import { uniform } from './seeds.js';
import type { DeviceUseSpec, ReactionSpec, TargetSpec } from './spec-effects.js';
import type { ResidentState } from './spec-routine.js';
import type { ActivityRecord, DeviceSpec, SimulatedUse } from './types.js';
import type { DeviceKind } from '../core/kinds.js';
import type { UsageCause } from '../core/activities.js';

const US_PER_SECOND = 1e6;
const US_PER_MINUTE = 60e6;

/** Who was at home and awake from `timeUs` on (until the next change). */
export interface HouseholdChange {
  readonly timeUs: number;
  readonly home: number;
  /** Residents at home and awake, in the spec's order. */
  readonly awake: readonly string[];
}

export class Household {
  private readonly states = new Map<string, ResidentState>();
  private readonly devicesByKind = new Map<DeviceKind, DeviceSpec[]>();
  private readonly devicesById = new Map<string, DeviceSpec>();
  /** Each device as a one-device target list, made once: a target is looked up for every use, and a chatty home has tens of thousands a month. */
  private readonly alone = new Map<string, readonly DeviceSpec[]>();
  private changes: HouseholdChange[] = [];
  /** Each alarm's last action (arm or disarm); unknown until its first. */
  private readonly alarmStates = new Map<string, string>();

  constructor(
    private readonly residentIds: readonly string[],
    initialStates: readonly ResidentState[],
    devices: readonly DeviceSpec[],
    private readonly reactions: readonly ReactionSpec[],
    private readonly random: Random,
  ) {
    residentIds.forEach((id, i) => this.states.set(id, initialStates[i]));
    for (const device of devices) {
      this.devicesById.set(device.id, device);
      this.alone.set(device.id, [device]);
      const list = this.devicesByKind.get(device.kind) ?? [];
      list.push(device);
      this.devicesByKind.set(device.kind, list);
    }
    this.changes.push(this.snapshot(-Infinity));
  }

  /** How many residents the home has. */
  get residentCount(): number {
    return this.residentIds.length;
  }

  /** How many residents are at home now. */
  homeCount(): number {
    let n = 0;
    for (const state of this.states.values()) if (state === 'asleep' || state === 'awake') n++;
    return n;
  }

  /**
   * Applies an activity (the next in time order) and pushes the devices' reactions to it onto
   * `events`, their cause the activity (or `cause`: `noise` for an activity that is not labelled).
   */
  apply(record: ActivityRecord, after: ResidentState, events: SimulatedUse[], cause: UsageCause = record.activity): void {
    const wasEmpty = this.homeCount() === 0;
    let otherAwake = false;
    for (const [id, state] of this.states) if (id !== record.resident && state === 'awake') otherAwake = true;
    this.states.set(record.resident, after);
    const isEmpty = this.homeCount() === 0;
    for (const reaction of this.reactions) {
      if (!reaction.on.includes(record.activity)) continue;
      if (reaction.residents !== null && !reaction.residents.includes(record.resident)) continue;
      const holds =
        reaction.when === 'always' ||
        (reaction.when === 'home_becomes_empty' && isEmpty) ||
        (reaction.when === 'home_was_empty' && wasEmpty) ||
        (reaction.when === 'nobody_else_awake' && !otherAwake) ||
        (reaction.when === 'someone_else_awake' && otherAwake);
      if (holds) this.use(reaction, record.timeUs, cause, record.resident, events);
    }
    this.changes.push(this.snapshot(record.timeUs));
  }

  /**
   * A device use with its probability and delay after `causeUs`, on its target devices. An alarm is
   * only armed when it is not armed and only disarmed when it is (coming back from a short outing
   * does not disarm an alarm nobody armed).
   */
  use(spec: DeviceUseSpec, causeUs: number, cause: UsageCause, resident: string, events: SimulatedUse[]): void {
    if (this.random.next() >= spec.probability) return;
    for (const device of this.targets(spec)) {
      if (device.kind === 'alarm') {
        if (this.alarmStates.get(device.id) === spec.action) continue;
        this.alarmStates.set(device.id, spec.action);
      }
      const timeUs = causeUs + Math.round(uniform(this.random, spec.delaySeconds[0], spec.delaySeconds[1]) * US_PER_SECOND);
      events.push({ timeUs, device: device.id, kind: device.kind, action: spec.action, cause, resident });
      if (spec.then !== null) {
        const laterUs = timeUs + Math.round(uniform(this.random, spec.then.afterMinutes[0], spec.then.afterMinutes[1]) * US_PER_MINUTE);
        events.push({ timeUs: laterUs, device: device.id, kind: device.kind, action: spec.then.action, cause, resident });
      }
    }
  }

  /** The devices a target names: the one by id, each of the kind, or one of the kind at random. */
  targets(target: TargetSpec): readonly DeviceSpec[] {
    if (target.device !== null) return this.alone.get(target.device)!;
    const ofKind = this.devicesByKind.get(target.kind) ?? [];
    return target.each ? ofKind : this.alone.get(this.random.pick(ofKind).id)!;
  }

  /** Who was at home and awake at `timeUs` (the last change at or before it). */
  at(timeUs: number): HouseholdChange {
    let lo = 0;
    let hi = this.changes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.changes[mid].timeUs <= timeUs) lo = mid;
      else hi = mid - 1;
    }
    return this.changes[lo];
  }

  /** Forgets changes before the one in force at `timeUs` (bounded memory). */
  forgetBefore(timeUs: number): void {
    const keep = this.changes.indexOf(this.at(timeUs));
    if (keep > 0) this.changes = this.changes.slice(keep);
  }

  private snapshot(timeUs: number): HouseholdChange {
    const awake: string[] = [];
    for (const id of this.residentIds) if (this.states.get(id) === 'awake') awake.push(id);
    return { timeUs, home: this.homeCount(), awake };
  }
}
