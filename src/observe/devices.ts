/**
 * `observeDevices()`: reads a capture once and says which devices the home has, what each one is,
 * and how the observer knows (see device-table.ts and identify.ts).
 *
 * ```ts
 * const report = await observeDevices('home.pcap', { rules: defaultVendorRules() });
 * report.devices.map((d) => `${d.vendor} ${d.category}`); // ['Tuya light', 'August lock', ...]
 * ```
 */
import { readCapture, type CaptureSource, type CaptureSummary, type ReadCaptureOptions } from '../capture/reader.js';
import { PacketDecoder } from '../decode/packet.js';
import { DeviceTable, type DeviceTableOptions } from './device-table.js';
import { identifyDevices, type DevicesReport, type IdentifyOptions } from './identify.js';

export interface ObserveOptions extends IdentifyOptions, DeviceTableOptions {
  onProgress?: ReadCaptureOptions['onProgress'];
  signal?: AbortSignal;
}

export async function observeDevices(source: CaptureSource, options: ObserveOptions): Promise<DevicesReport & { capture: CaptureSummary }> {
  const decoder = new PacketDecoder();
  const table = new DeviceTable(options);
  const capture = await readCapture(source, (rec) => table.add(decoder.decode(rec)), { onProgress: options.onProgress, signal: options.signal });
  return { ...identifyDevices(table, options), capture };
}
