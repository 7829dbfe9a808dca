/**
 * Says of each burst of a device whether someone used the device or it only kept itself going,
 * against the device's own baseline (baseline.ts):
 *
 * 1. A burst without application data is background, named by what it held: a connection closed
 *    (`reconnect`), a name lookup (`dns`), a clock check (`ntp`), address upkeep (`dhcp`), local
 *    discovery (`discovery`), or bare TCP control (`control`).
 * 2. A burst whose application data has a periodic shape is a `heartbeat`: an exact shape, or a
 *    rough one (baseline.ts) when the burst also comes on that shape's beat; so is one made of two
 *    periodic exact shapes (two keep-alives that met, found by subtracting shapes). With a connection
 *    setup in it (SYN, TLS handshake: handshake.ts keeps the handshake itself out of the data), it
 *    is a `reconnect`.
 * 3. A burst that sets a connection up is a `reconnect` while its data after the handshake is
 *    routine: at most {@link ROUTINE_SETUP_BYTES}, or, for a device that keeps a session open (it
 *    has a keep-alive), at most {@link SETUP_USE_FACTOR} times the median of its setup bursts (what
 *    it sends after every reconnect). Past that, a use came with the new connection. A device
 *    without a keep-alive that connects to send (a battery camera uploading a clip) has setups that
 *    are its uses, so its median says nothing of routine.
 * 4. Anything else stands out from the baseline: a `use`. Its confidence grows with its data beside
 *    a background burst's: data / (data + reference), the reference being the median data of a
 *    heartbeat burst (or of a setup burst, for a setup burst, when larger), × {@link NO_BASELINE_FACTOR}
 *    when the device showed no keep-alive to compare with.
 */
import { hasRole, shapeKey, type BurstSummary } from './burst.js';
import { dataBytes, isSetupBurst, roughFit, type DeviceBaseline } from './baseline.js';
import { PacketRole } from './packet-role.js';

export const BURST_LABELS = ['use', 'heartbeat', 'reconnect', 'dns', 'ntp', 'dhcp', 'discovery', 'control'] as const;
export type BurstLabel = (typeof BURST_LABELS)[number];

export interface BurstVerdict {
  readonly label: BurstLabel;
  /** 0..1 for a use; 0 for background. */
  readonly confidence: number;
}

/** A setup burst is a use when it carries more than this many times the median setup burst's data. */
export const SETUP_USE_FACTOR = 2;
/** Data after a handshake up to this much is routine (session tickets, a subscription, a log-in). */
export const ROUTINE_SETUP_BYTES = 4096;
/** Confidence is scaled by this when the device has no keep-alive to compare with. */
export const NO_BASELINE_FACTOR = 0.75;

/**
 * The verdict of a background burst, one object per label made once: most bursts are background (the
 * family home's month: 370 k kept bursts judged, 1,446 uses), and a new object for each was garbage.
 */
const BACKGROUND_VERDICTS = Object.fromEntries(BURST_LABELS.map((label) => [label, Object.freeze({ label, confidence: 0 })])) as Record<BurstLabel, BurstVerdict>;
const BACKGROUND = (label: BurstLabel): BurstVerdict => BACKGROUND_VERDICTS[label];

/** The label of a burst without application data, by the roles it held (its {@link BurstSummary.roles} bits). */
export function quietLabel(roles: number): BurstLabel {
  const held = (role: PacketRole): boolean => (roles & (1 << role)) !== 0;
  if (held(PacketRole.Teardown) || held(PacketRole.Setup)) return 'reconnect';
  if (held(PacketRole.Dns)) return 'dns';
  if (held(PacketRole.Ntp)) return 'ntp';
  if (held(PacketRole.Dhcp)) return 'dhcp';
  if (held(PacketRole.Discovery)) return 'discovery';
  return 'control';
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Classifies one device's bursts (in time order) against its baseline. */
export function classifyBursts(bursts: readonly BurstSummary[], baseline: DeviceBaseline): BurstVerdict[] {
  const c = new BurstClassifier(baseline);
  const next = nextInBand(bursts, bursts.length, baseline);
  return bursts.map((b, i) => c.classify(b, next[i]));
}

/**
 * For each of `count` bursts (in time order) that fits a rough band, the first-data time of the next
 * burst of the same band; -1 otherwise. The bursts may come through one refilled object.
 */
export function nextInBand(bursts: Iterable<BurstSummary>, count: number, baseline: DeviceBaseline): Float64Array {
  const out = new Float64Array(count).fill(-1);
  // No rough band, no burst fits one: the bursts are not read again. None of the family home's ten
  // devices has a rough band over its 30 days, and reading their 370 k bursts here took 35-48 ms of
  // CPU when judged once, as `peephole attack` judges them (its bursts recorded from the capture and
  // handed to new DeviceJudges, DeviceJudge.finish() timed, 2 runs).
  if (baseline.roughHeartbeats.length === 0) return out;
  const lastIndex = baseline.roughHeartbeats.map(() => -1);
  let i = -1;
  for (const b of bursts) {
    i++;
    if (b.dataPackets === 0) continue;
    const band = roughFit(b, baseline.roughHeartbeats);
    if (band < 0) continue;
    if (lastIndex[band] >= 0) out[lastIndex[band]] = b.firstDataUs;
    lastIndex[band] = i;
  }
  return out;
}

/**
 * Classifies bursts of one device against a baseline, one at a time, in time order (rough beats
 * are followed from burst to burst). {@link classifyBursts} does it for a whole list. Against a
 * baseline without rough heartbeats, a verdict depends on the burst's sizes, roles and shape alone,
 * not on its times nor on the bursts before it: device-judge.ts judges a tuple of them once.
 */
export class BurstClassifier {
  private readonly heartbeatKeys: Set<number>;
  /** Per rough heartbeat: its last beat, and the last burst of its band found off the beat (µs, -1 for none). */
  private readonly lastBeatUs: number[];
  private readonly lastOffBeatUs: number[];
  /** The end of the device's last connection setup: keep-alive timers start again there. */
  private lastSetupEndUs = -1;

  constructor(readonly baseline: DeviceBaseline) {
    this.heartbeatKeys = new Set(baseline.heartbeats.map((h) => h.key));
    this.lastBeatUs = baseline.roughHeartbeats.map(() => -1);
    this.lastOffBeatUs = baseline.roughHeartbeats.map(() => -1);
  }

  /** `nextInBandUs`: when the next burst of the same rough band comes (-1: unknown or none). */
  classify(b: BurstSummary, nextInBandUs = -1): BurstVerdict {
    const base = this.baseline;
    const data = dataBytes(b);
    const setup = isSetupBurst(b);
    if (setup) this.lastSetupEndUs = b.endUs;
    if (b.dataPackets === 0) return BACKGROUND(quietLabel(b.roles));
    if (this.heartbeatKeys.has(shapeKey(b.shape, b.dataPackets)) || this.roughBeat(b, nextInBandUs) || this.twoHeartbeats(b)) {
      return BACKGROUND(setup ? 'reconnect' : 'heartbeat');
    }
    const keepsSession = base.heartbeats.length + base.roughHeartbeats.length > 0;
    if (setup && (data <= ROUTINE_SETUP_BYTES || (keepsSession && data <= SETUP_USE_FACTOR * base.setupDataBytes))) return BACKGROUND('reconnect');
    const reference = Math.max(base.backgroundDataBytes, setup ? base.setupDataBytes : 0);
    return { label: 'use', confidence: round2(this.scaled(data / (data + reference))) };
  }

  private scaled(c: number): number {
    const b = this.baseline;
    return b.heartbeats.length + b.roughHeartbeats.length > 0 ? c : c * NO_BASELINE_FACTOR;
  }

  /**
   * True when the burst fits a rough heartbeat's band and comes on its beat: k = 1..4 periods after
   * the band's last beat (or after the end of a connection setup since then: a new session starts
   * its keep-alive timer), within max({@link BEAT_SIGMAS} σ √k, {@link BEAT_MIN_TOLERANCE_US}). The
   * first burst of a band, one after more than four periods of silence, one up to
   * {@link OUTLIER_SIGMAS} σ off when the next burst of the band is on the beat from it (a rare
   * large jitter), and one a whole number of periods after the last burst found off the beat (the
   * chain had started on a use) start the chain again. A rough band may hold uses of the same size as keep-alives: timing tells them apart.
   */
  private roughBeat(b: BurstSummary, nextInBandUs: number): boolean {
    const i = roughFit(b, this.baseline.roughHeartbeats);
    if (i < 0) return false;
    const r = this.baseline.roughHeartbeats[i];
    const t = b.firstDataUs;
    const last = this.lastBeatUs[i];
    const afterSetup = this.lastSetupEndUs > last && onBeat(t - this.lastSetupEndUs, r.periodUs, r.jitterUs) === true;
    // A late or early keep-alive (a rare large jitter) is kept when the next one comes on its beat.
    const outlier =
      last >= 0 &&
      nextInBandUs > t &&
      onBeat(t - last, r.periodUs, r.jitterUs, OUTLIER_SIGMAS) === true &&
      onBeat(nextInBandUs - t, r.periodUs, r.jitterUs) === true;
    if (last < 0 || afterSetup || outlier || onBeat(t - last, r.periodUs, r.jitterUs) !== false) {
      this.lastBeatUs[i] = t;
      return true;
    }
    const off = this.lastOffBeatUs[i];
    this.lastOffBeatUs[i] = t;
    if (off >= 0 && onBeat(t - off, r.periodUs, r.jitterUs) === true) {
      this.lastBeatUs[i] = t;
      return true;
    }
    return false;
  }

  /** True when the burst's shape is the sum of two periodic shapes. */
  private twoHeartbeats(b: BurstSummary): boolean {
    for (const h of this.baseline.heartbeats) {
      const rest = b.dataPackets - h.dataPackets;
      if (rest <= 0) continue;
      if (this.heartbeatKeys.has(shapeKey((b.shape - h.shape) >>> 0, rest))) return true;
    }
    return false;
  }
}

/** Per-burst tolerance of a rough beat, in jitters (σ), and at least this many µs. */
export const BEAT_SIGMAS = 4;
export const BEAT_MIN_TOLERANCE_US = 50_000;
const MAX_BEATS_MISSED = 4;

/** A burst up to this many σ off its beat is a keep-alive when the next burst of its band is on the beat from it. */
export const OUTLIER_SIGMAS = 7;

/** True when `gapUs` is 1..4 periods within tolerance, false when not, null when longer than four periods. */
function onBeat(gapUs: number, periodUs: number, jitterUs: number, sigmas = BEAT_SIGMAS): boolean | null {
  const k = Math.round(gapUs / periodUs);
  if (k > MAX_BEATS_MISSED) return null;
  if (k < 1) return false;
  return Math.abs(gapUs - k * periodUs) <= Math.max(sigmas * jitterUs * Math.sqrt(k), BEAT_MIN_TOLERANCE_US);
}
