/**
 * A use defence on a real capture: the capture's device uses are found (uses/, LAN captures), the
 * defence is run on them as on any uses (each device's "actions" are its own bursts, so a cover use
 * names the burst it copies), and the frames are edited to match:
 *
 * - a real use moved later: its burst's frames (the device's frames from its first to its last
 *   packet) are sent later by as much, and the frames of the same TCP connections that would now
 *   overtake them wait behind them (a queue keeps a stream in order);
 * - a cover use: the burst it names is sent again. When the burst is a whole connection of its own
 *   (its handshake and its close inside the burst, as devices that connect for each event do), the
 *   connection is sent again as it was, from another port of the device, with other initial sequence
 *   numbers. Otherwise its segments (directions, sizes, gaps, flags; fresh TLS records as payload)
 *   go on a connection of the device that is open and quiet at that time, a little later when the
 *   connection is busy then. A cover use that finds no open, quiet connection within
 *   {@link PLACE_WITHIN_US} is not made, and the notes say how many.
 */
import type { Random } from '../../core/random.js';
import { formatMac } from '../../core/bytes.js';
import type { DetectedUse } from '../../uses/detected-use.js';
import { defendUses, type DefendedUse } from '../defend-events.js';
import type { Defence, DefendedDevice } from '../strategy.js';
import type { FrameLedger } from './frame-defence.js';
import { putU16be } from '../../core/bytes.js';
import { capturedPayload, cutFrame, PROTO_TCP, rewriteFrame, TCP_ACK, TCP_PSH, TCP_SYN } from './frame-bytes.js';
import type { HeldFrame } from './held-capture.js';
import { TcpEditor, tlsRecordBytes, type AddedSegment, type Connection } from './tcp-edits.js';

/** How far past its time a cover use may go looking for a quiet connection. */
export const PLACE_WITHIN_US = 600e6;
/** Quiet needed on a connection before and after a cover burst. */
const QUIET_US = 1e6;
const MIN_RECORD_BYTES = 6;
/** How long before a burst a connection of its own may open, and after it close. */
const OWN_CONNECTION_SLACK_US = 10e6;
/** Ports a device's new connection is given (the IANA dynamic range). */
const EPHEMERAL_MIN = 49152;
const EPHEMERAL_MAX = 65535;

export interface CaptureUses {
  readonly frames: HeldFrame[];
  /** The uses as lived (found in the capture) and as made (moved and cover, as placed). */
  readonly lived: readonly DefendedUse[];
  readonly made: readonly DefendedUse[];
}

/** The id a detected use has as an "action" of its device: the burst a cover use copies. */
function burstId(i: number): string {
  return `burst-${i}`;
}

export function applyUsesToCapture(frames: readonly HeldFrame[], detected: readonly DetectedUse[], defence: Defence, seed: number, random: Random, ledger: FrameLedger): CaptureUses {
  const editor = new TcpEditor(frames);
  // Frames of each device (by MAC text), in time order.
  const byDevice = new Map<string, number[]>();
  editor.infos.forEach((info, i) => {
    if (info === null) return;
    for (const mac of new Set([formatMac(info.srcMac), formatMac(info.dstMac)])) {
      let list = byDevice.get(mac);
      if (list === undefined) byDevice.set(mac, (list = []));
      list.push(i);
    }
  });
  const burstFrames = (u: DetectedUse): number[] => (byDevice.get(u.device) ?? []).filter((i) => frames[i].timeUs >= u.timeUs && frames[i].timeUs <= u.endUs);
  const devices: DefendedDevice[] = [];
  const seen = new Map<string, string[]>();
  detected.forEach((u, i) => {
    let actions = seen.get(u.device);
    if (actions === undefined) {
      seen.set(u.device, (actions = []));
      devices.push({ id: u.device, kind: u.kind, actions });
    }
    actions.push(burstId(i));
  });
  const result = defendUses(detected, defence, seed, { devices, actionOf: (_u, i) => burstId(i) });
  const lived = detected.map((u, i): DefendedUse => ({ timeUs: u.timeUs, device: u.device, kind: u.kind, livedUs: u.timeUs, action: burstId(i) }));
  const index = new Map(detected.map((_, i) => [burstId(i), i]));

  // Real uses moved later: their bursts' frames, then whatever of their connections would overtake them.
  const touched = new Set<Connection>();
  for (const u of result.uses) {
    if (u.livedUs === null || u.timeUs === u.livedUs) continue;
    const delay = u.timeUs - u.livedUs;
    for (const i of burstFrames(detected[index.get(u.action)!])) {
      editor.movedUs.set(i, frames[i].timeUs + delay);
      const seg = editor.segmentOf[i];
      if (seg !== null) touched.add(seg.conn);
    }
  }
  for (const conn of touched) {
    let last = -Infinity;
    for (const i of conn.frames) {
      const t = Math.max(editor.timeOf(i), last);
      if (t !== frames[i].timeUs) editor.movedUs.set(i, t);
      last = t;
    }
  }

  // Cover uses: a copy of the burst they name, on an open and quiet connection of the device.
  const made: DefendedUse[] = [];
  let unplaced = 0;
  let added = 0;
  for (const u of result.uses) {
    if (u.livedUs !== null) {
      made.push(u);
      continue;
    }
    const template = detected[index.get(u.action)!];
    const placed = placeCover(editor, burstFrames(template), template.device, u.timeUs, random);
    if (placed === null) {
      unplaced++;
      continue;
    }
    added += placed.segments;
    made.push({ ...u, timeUs: placed.timeUs });
  }
  if (unplaced > 0) ledger.notes.push(`${unplaced} cover use(s) not made: no open, quiet connection of the device within ${PLACE_WITHIN_US / 60e6} minutes`);
  const out = editor.emit();
  let bytes = 0;
  for (const f of out) bytes += f.origLen;
  for (const f of frames) bytes -= f.origLen;
  ledger.add('cover bursts', added, bytes);
  made.sort((a, b) => a.timeUs - b.timeUs);
  return { frames: out, lived, made };
}

/** The TCP connection of a burst carrying the most payload bytes, or null. */
function mainConnection(editor: TcpEditor, burst: readonly number[]): Connection | null {
  const bytes = new Map<Connection, number>();
  for (const i of burst) {
    const seg = editor.segmentOf[i];
    if (seg !== null) bytes.set(seg.conn, (bytes.get(seg.conn) ?? 0) + editor.infos[i]!.payloadLen);
  }
  let best: Connection | null = null;
  let most = 0;
  for (const [c, b] of bytes) if (b > most) ((best = c), (most = b));
  return best;
}

/**
 * True when a connection is the burst's own: it opens (SYN) at most {@link OWN_CONNECTION_SLACK_US}
 * before the burst's first frame (a use's time is its first application data, after the handshake)
 * and is closed (FIN or RST) at most as long after its last.
 */
function wholeConnection(editor: TcpEditor, conn: Connection, burst: readonly number[]): boolean {
  const first = editor.frames[burst[0]].timeUs;
  const last = editor.frames[burst[burst.length - 1]].timeUs;
  return (
    (editor.infos[conn.frames[0]]!.flags & TCP_SYN) !== 0 &&
    Number.isFinite(conn.closedAtUs) &&
    conn.firstUs >= first - OWN_CONNECTION_SLACK_US &&
    conn.lastUs <= last + OWN_CONNECTION_SLACK_US
  );
}

/**
 * Sends a whole connection again, `shiftUs` later, from a port of the device no frame of the capture
 * uses, with fresh initial sequence numbers; returns the frames added.
 */
function copyConnection(editor: TcpEditor, conn: Connection, deviceSide: 0 | 1, shiftUs: number, random: Random): number {
  const used = new Set<number>();
  for (const info of editor.infos) if (info !== null) used.add(info.srcPort).add(info.dstPort);
  let port = random.int(EPHEMERAL_MIN, EPHEMERAL_MAX);
  while (used.has(port)) port = port === EPHEMERAL_MAX ? EPHEMERAL_MIN : port + 1;
  const isnShift = [random.int(0, 0xffff_ffff), random.int(0, 0xffff_ffff)];
  for (const i of conn.frames) {
    const info = editor.infos[i]!;
    const dir = editor.segmentOf[i]!.dir;
    const header = editor.frames[i].data.slice(0, info.payload);
    putU16be(header, dir === deviceSide ? info.l4 : info.l4 + 2, port);
    const seq = (info.seq + isnShift[dir]) % 2 ** 32;
    const ack = (info.flags & TCP_ACK) !== 0 ? (info.ack + isnShift[1 - dir]) % 2 ** 32 : info.ack;
    const payload = capturedPayload(editor.frames[i].data, info);
    const whole = new Uint8Array(info.payloadLen);
    whole.set(payload);
    editor.addedFrames.push({ timeUs: Math.round(editor.timeOf(i) + shiftUs), subUsNs: 0, ...cutFrame(rewriteFrame(header, info, { payload: whole, seq, ack }), editor.snap) });
  }
  return conn.frames.length;
}

/** Which direction of `conn` the device sends in (by its MAC). */
function deviceDir(editor: TcpEditor, conn: Connection, device: string): 0 | 1 {
  const i = conn.template[0] >= 0 ? conn.template[0] : conn.template[1];
  const info = editor.infos[i]!;
  const fromDevice = formatMac(info.srcMac) === device;
  return (conn.template[0] === i) === fromDevice ? 0 : 1;
}

/** Adds a copy of `burst` at `timeUs` or a little later; returns where and how many segments, or null. */
function placeCover(editor: TcpEditor, burst: readonly number[], device: string, timeUs: number, random: Random): { timeUs: number; segments: number } | null {
  const source = mainConnection(editor, burst);
  if (source === null) return null;
  const frames = editor.frames;
  const copied = burst.filter((i) => editor.segmentOf[i]?.conn === source && editor.infos[i]!.proto === PROTO_TCP);
  if (copied.length === 0) return null;
  const startUs = frames[copied[0]].timeUs;
  const durationUs = frames[copied[copied.length - 1]].timeUs - startUs;
  const fromDevice = deviceDir(editor, source, device);
  if (wholeConnection(editor, source, copied)) return { timeUs: Math.round(timeUs), segments: copyConnection(editor, source, fromDevice, timeUs - startUs, random) };
  // Candidate connections: the burst's own first, then the device's others, open around the time.
  const candidates = [source, ...[...editor.connections.values()].filter((c) => c !== source && c.frames.some((i) => frames[i].data.length > 0 && editor.infos[i] !== null && [formatMac(editor.infos[i]!.srcMac), formatMac(editor.infos[i]!.dstMac)].includes(device)))];
  for (const conn of candidates) {
    if (conn.dirs[0].frames.length === 0 || conn.dirs[1].frames.length === 0) continue;
    let at = timeUs;
    for (let tries = 0; tries < 20 && at <= timeUs + PLACE_WITHIN_US; tries++) {
      const endUs = at + durationUs;
      if (at <= conn.firstUs || endUs + QUIET_US >= Math.min(conn.closedAtUs, conn.lastUs)) break;
      const busy = conn.frames.filter((i) => {
        const t = editor.timeOf(i);
        return t >= at - QUIET_US && t <= endUs + QUIET_US;
      });
      const addedBusy = conn.added.filter((s) => s.timeUs >= at - QUIET_US && s.timeUs <= endUs + QUIET_US);
      if (busy.length === 0 && addedBusy.length === 0) {
        const targetDevice = deviceDir(editor, conn, device);
        const segments: AddedSegment[] = copied.map((i) => {
          const info = editor.infos[i]!;
          const dirFromDevice = editor.segmentOf[i]!.dir === fromDevice;
          const dir = (dirFromDevice ? targetDevice : 1 - targetDevice) as 0 | 1;
          const len = info.payloadLen === 0 ? 0 : Math.max(MIN_RECORD_BYTES, info.payloadLen);
          const payload = len === 0 ? new Uint8Array(0) : tlsRecordBytes(len, (out) => out.set(random.bytes(len)));
          return { timeUs: Math.round(at + (frames[i].timeUs - startUs)), dir, flags: len === 0 ? TCP_ACK : TCP_ACK | TCP_PSH, payload };
        });
        editor.addSegments(conn, segments);
        return { timeUs: Math.round(at), segments: segments.length };
      }
      const lastBusy = Math.max(...busy.map((i) => editor.timeOf(i)), ...addedBusy.map((s) => s.timeUs));
      at = lastBusy + QUIET_US + 1;
    }
  }
  return null;
}
