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
import { PacketDecoder } from '../decode/packet.js';
import { TrafficSummaryBuilder, type SummaryLimits, type TrafficSummary } from './traffic-summary.js';

export interface InspectReport {
  capture: CaptureSummary;
  traffic: TrafficSummary;
}

export interface InspectOptions extends SummaryLimits {
  onProgress?: ReadCaptureOptions['onProgress'];
  signal?: AbortSignal;
}

export async function inspectCapture(source: CaptureSource, options: InspectOptions = {}): Promise<InspectReport> {
  // Each packet is summarised before the next is decoded: the decoder may refill one packet object.
  const decoder = new PacketDecoder({ reuse: true });
  const builder = new TrafficSummaryBuilder(options);
  const capture = await readCapture(source, (rec) => builder.add(decoder.decode(rec)), {
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
