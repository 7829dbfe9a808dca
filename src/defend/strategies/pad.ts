/**
 * `pad`: packet-size padding. Every packet that carries data is made larger: to the next multiple of
 * `bucket` bytes of transport payload (`mode=bucket`), or to the most it may carry (`mode=mtu`: a
 * full TCP segment, a full datagram). What the observer still sees is when packets go and how many;
 * sizes say far less (a lock's 1,187-byte command and a keep-alive both become 1,280 bytes). In the
 * simulator it pads at the packet seam (TLS streams stay well-formed records; a datagram is followed
 * by zero bytes); on a written capture, frames/pad-frames.ts pads the same way.
 */
import type { PacketTransform } from '../../home/seams.js';
import { defence, type Defence, type Strategy } from '../strategy.js';
import { numberParam, wordParam, type ParamValues } from '../params.js';
import { padFrames } from '../frames/pad-frames.js';

/** The padded payload length of a packet with `bytes` of payload that may carry `max`; 0 stays 0. */
export function paddedLength(bytes: number, max: number, mode: string, bucket: number): number {
  if (bytes === 0 || bytes >= max) return bytes;
  if (mode === 'mtu') return max;
  return Math.min(max, Math.ceil(bytes / bucket) * bucket);
}

export const PAD: Strategy = {
  name: 'pad',
  family: 'shaping',
  summary: 'every data packet padded to the next multiple of `bucket` bytes (or to a full packet with mode=mtu)',
  params: [
    { name: 'mode', description: 'bucket: to the next multiple of bucket; mtu: to a full packet', unit: '', default: 'bucket', choices: ['bucket', 'mtu'] },
    { name: 'bucket', description: 'payload sizes are rounded up to a multiple of this', unit: 'bytes', default: 256, min: 16, max: 1448, integer: true },
  ],
  sweep: { param: 'bucket', values: [64, 128, 256, 512, 1024, 1448] },
  create(params: ParamValues): Defence {
    const mode = wordParam(params, 'mode');
    const bucket = numberParam(params, 'bucket');
    const packets: PacketTransform = {
      transformPacket(p) {
        if (p.kind === 'tcp-control' || p.kind === 'tls-handshake') return;
        p.payloadBytes = paddedLength(p.payloadBytes, p.maxPayloadBytes, mode, bucket);
      },
    };
    return defence('pad', params, { packets, packetsOnCapture: padFrames(mode, bucket) });
  },
};
