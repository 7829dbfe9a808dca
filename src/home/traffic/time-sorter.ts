/**
 * Holds frames written out of time order (several devices talking at once) and passes them on in
 * time order when told that nothing earlier will come. Like traffic-writer.ts's SortingSink,
 * with times as µs numbers, a flush that keeps the rest in place, and a count of the most frames
 * it ever held (so tests can check a long simulation stays in bounded memory).
 */
import type { PacketToWrite } from '../../capture/capture-writer.js';
import type { FrameSink } from './traffic-writer.js';

/** A frame as passed on, with its time in µs kept for sorting. */
interface Held extends PacketToWrite {
  readonly timeUs: number;
}

/** Array.prototype.sort is stable: frames of the same µs keep the order they were written in. */
const byTime = (a: Held, b: Held): number => a.timeUs - b.timeUs;

export class TimeSorter {
  /** The most frames held at once. */
  peakHeld = 0;
  private held: Held[] = [];

  constructor(private readonly out: FrameSink) {}

  get heldFrames(): number {
    return this.held.length;
  }

  add(timeUs: number, data: Uint8Array): void {
    const us = Math.round(timeUs);
    const tsSec = Math.floor(us / 1e6);
    this.held.push({ tsSec, tsNsec: (us - tsSec * 1e6) * 1000, data, timeUs: us });
    if (this.held.length > this.peakHeld) this.peakHeld = this.held.length;
  }

  /** Passes on, in time order, every held frame earlier than `timeUs`. */
  flushBefore(timeUs: number): void {
    const held = this.held;
    held.sort(byTime);
    let n = 0;
    const out = this.out;
    while (n < held.length && held[n].timeUs < timeUs) out.writePacket(held[n++]);
    held.splice(0, n);
  }

  flush(): void {
    this.flushBefore(Infinity);
  }
}
