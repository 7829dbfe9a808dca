/**
 * Packet-size padding on a written capture (the `pad` strategy's frame side): every TCP segment of a
 * TLS stream is made larger, the record that holds its last byte growing by as much (its header's
 * length follows, wherever that header was sent), so the stream stays well-formed TLS; every UDP
 * datagram is followed by zero bytes. Sizes are those of strategies/pad.ts's `paddedLength`, up to the
 * stream's MSS (from the SYN when seen, else 1448 or the largest segment seen) or a full datagram.
 *
 * Handshake records keep their size (as at the simulator's packet seam). A stream is padded only where it can be walked as TLS records from its start: one whose handshake
 * the capture missed, or that is not TLS (plain HTTP, MQTT), is left as it is and counted in the notes.
 */
import type { Random } from '../../core/random.js';
import { paddedLength } from '../strategies/pad.js';
import type { FrameContext, FrameDefence } from './frame-defence.js';
import { capturedPayload, PROTO_TCP, PROTO_UDP, rewriteFrame, synMss, TCP_SYN } from './frame-bytes.js';
import type { HeldFrame } from './held-capture.js';
import { DEFAULT_MSS, MAX_UDP_PAYLOAD_V4, MAX_UDP_PAYLOAD_V6, padCaptureStreamed, TLS_APPLICATION_DATA } from './pad-stream.js';
import { TcpEditor, TLS_MAX_RECORD_BODY, TLS_RECORD_HEADER_BYTES, type Direction, type TlsRecord } from './tcp-edits.js';

/** The record holding offset `x` (records sorted by start), or null past the last one. */
function recordAt(records: readonly TlsRecord[], x: number): TlsRecord | null {
  let lo = 0;
  let hi = records.length - 1;
  if (hi < 0 || x < records[0].start) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (records[mid].start <= x) lo = mid;
    else hi = mid - 1;
  }
  const r = records[lo];
  return x < r.start + TLS_RECORD_HEADER_BYTES + r.bodyLength ? r : null;
}

function randomFill(random: Random, n: number): Uint8Array {
  return random.bytes(n);
}

export function padFrames(mode: string, bucket: number): FrameDefence {
  return {
    streamed: {
      async defendFile(input, out, options) {
        const r = await padCaptureStreamed(input, out, { mode, bucket, ...options });
        if (r === null) return null;
        if (r.unpadded > 0) options.ledger.notes.push(unpaddedNote(r.unpadded));
        options.ledger.add('padding', 0, r.written.bytes - r.read.bytes);
        return r;
      },
    },
    apply(frames: readonly HeldFrame[], context: FrameContext): HeldFrame[] {
      const editor = new TcpEditor(frames);
      let unpadded = 0;
      for (const conn of editor.connections.values()) {
        for (const dir of [0, 1] as const) {
          const d = conn.dirs[dir];
          if (d.maxPayload === 0) continue;
          const records = d.tlsRecords(frames, editor.infos);
          if (records === null) {
            unpadded++;
            continue;
          }
          // The peer's SYN says how large a segment this direction may send.
          let mss: number | null = null;
          for (const i of conn.dirs[1 - dir].frames) {
            const info = editor.infos[i]!;
            if ((info.flags & TCP_SYN) !== 0) mss = synMss(frames[i].data, info.l4, info.l4Header);
            break;
          }
          padDirection(d, records, mss ?? Math.max(DEFAULT_MSS, d.maxPayload), mode, bucket, editor, context.random);
        }
      }
      if (unpadded > 0) context.ledger.notes.push(unpaddedNote(unpadded));
      // UDP datagrams: zero bytes after the message.
      editor.infos.forEach((info, i) => {
        if (info === null || info.proto !== PROTO_UDP || info.payloadLen === 0) return;
        const max = info.ipv6 ? MAX_UDP_PAYLOAD_V6 : MAX_UDP_PAYLOAD_V4;
        const to = paddedLength(info.payloadLen, max, mode, bucket);
        if (to === info.payloadLen) return;
        const payload = new Uint8Array(to);
        payload.set(capturedPayload(frames[i].data, info));
        editor.replaced.set(i, rewriteFrame(frames[i].data, info, { payload }));
      });
      const out = editor.emit();
      let bytes = 0;
      for (const f of out) bytes += f.origLen;
      for (const f of frames) bytes -= f.origLen;
      context.ledger.add('padding', 0, bytes);
      return out;
    },
  };
}

function unpaddedNote(n: number): string {
  return `${n} TCP stream direction(s) not padded: not TLS, or begun before the capture`;
}

function padDirection(d: Direction, records: TlsRecord[], max: number, mode: string, bucket: number, editor: TcpEditor, random: Random): void {
  const last = records[records.length - 1];
  const walked = last.start + TLS_RECORD_HEADER_BYTES + last.bodyLength;
  for (const i of d.frames) {
    const info = editor.infos[i]!;
    const len = info.payloadLen;
    if (len === 0 || info.proto !== PROTO_TCP) continue;
    const x = d.rel(info.seq);
    const end = x + len;
    if (x < 0 || end > walked || d.hasGrowth(end)) continue;
    const r = recordAt(records, end - 1);
    // Application data only: a handshake keeps its size (its messages fill their records exactly).
    if (r === null || r.type !== TLS_APPLICATION_DATA || end - 1 < r.start + TLS_RECORD_HEADER_BYTES) continue;
    const room = TLS_MAX_RECORD_BODY - (r.bodyLength + r.growth);
    const k = Math.min(paddedLength(len, Math.max(max, len), mode, bucket) - len, room);
    if (k <= 0) continue;
    d.addGrowth(end, randomFill(random, k));
    r.growth += k;
  }
  for (const r of records) {
    if (r.growth === 0) continue;
    const length = r.bodyLength + r.growth;
    d.patches.set(r.start + 3, (length >> 8) & 0xff);
    d.patches.set(r.start + 4, length & 0xff);
  }
}
