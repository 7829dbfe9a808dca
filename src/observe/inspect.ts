/**
 * `inspectCapture()`: reads a capture once, decodes every packet and summarises it: the capture
 * format, link types, packets, bytes, time span, hosts, DNS names, TLS server names and anomalies.
 *
 * ```ts
 * const report = await inspectCapture('home.pcapng');
 * report.traffic.dnsNames.map((n) => n.name); // ['a3.tuyaeu.com', ...]
 * ```
 */
import { readCapture, type CaptureSource, type CaptureSummary, type ReadCaptureOptions } from '../capture/reader.js';
import { newCommonShape, PacketDecoder } from '../decode/packet.js';
import type { CaptureRecord } from '../capture/record.js';
import { TrafficSummaryBuilder, type SummaryLimits, type TrafficSummary } from './traffic-summary.js';

export interface InspectReport {
  capture: CaptureSummary;
  traffic: TrafficSummary;
}

export interface InspectOptions extends SummaryLimits {
  /** False decodes every packet into layers (the same report, slower; for tests). Default true. */
  commonShape?: boolean;
  onProgress?: ReadCaptureOptions['onProgress'];
  signal?: AbortSignal;
}

export async function inspectCapture(source: CaptureSource, options: InspectOptions = {}): Promise<InspectReport> {
  // Each packet is summarised before the next is decoded: the decoder may refill one packet object.
  // A packet of the commonest shape (bulk TCP or UDP over Ethernet, VLAN tags or not, and DNS over
  // UDP) is summarised from what commonShape() reads, without layers; the decoder says when that
  // gives what decode() would.
  const decoder = new PacketDecoder({ reuse: true });
  const builder = new TrafficSummaryBuilder(options);
  const shape = newCommonShape();
  const onRecord =
    options.commonShape === false
      ? (rec: CaptureRecord) => builder.add(decoder.decode(rec))
      : (rec: CaptureRecord) => (decoder.commonShape(rec, shape) ? builder.addCommon(rec, shape) : builder.add(decoder.decode(rec)));
  const capture = await readCapture(source, onRecord, {
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const anomalies = decoder.anomalies.entries().map((e) => ({
    kind: e.kind,
    count: e.count,
    examples: e.examples.map((a) => ({ frame: a.frame, offset: a.offset, message: a.message })),
  }));
  return { capture, traffic: builder.finish(anomalies) };
}
