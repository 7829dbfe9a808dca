/**
 * `observeDevices()`: reads a capture once and says which devices the home has, what each one is,
 * and how the observer knows (see device-table.ts and identify.ts). Each packet is decoded once and
 * read once into its facts (observed-packet.ts), which the device table takes and a caller may take
 * too (`onPacket`: the use detector does), so one pass serves them all.
 *
 * ```ts
 * const report = await observeDevices('home.pcap', { rules: defaultVendorRules() });
 * report.devices.map((d) => `${d.vendor} ${d.category}`); // ['Tuya light', 'August lock', ...]
 * ```
 *
 * Every vantage gives devices: a LAN capture one per MAC (or per home IP address where the frames
 * have no link addresses: raw IP, Linux cooked, loopback), a Wi-Fi sniffer's one per MAC that sent
 * data frames, a WAN capture clusters of the home's flows (identify.ts). A capture no device can be
 * told from (no frames, none decoded, none with a link or IP address, no device found) or seen from
 * a vantage the caller cannot use is refused with a {@link VantageError} naming the file, what it
 * is, and what the task needs.
 */
import { readCapture, type CaptureSource, type CaptureSummary, type ReadCaptureOptions } from '../capture/reader.js';
import type { CaptureRecord } from '../capture/record.js';
import { VANTAGES, type Vantage } from '../core/vantage.js';
import { PacketDecoder } from '../decode/packet.js';
import { DeviceTable, type DeviceTableOptions } from './device-table.js';
import { identifyDevices, type DevicesReport, type IdentifyOptions } from './identify.js';
import { ObservedPacket } from './observed-packet.js';
import { checkVantage } from './vantage-error.js';

export interface ObserveOptions extends IdentifyOptions, DeviceTableOptions {
  /**
   * Called with every packet's facts after the device table took them. The object is refilled for
   * the next packet: keep what it holds, not it.
   */
  onPacket?: (packet: ObservedPacket) => void;
  /** The vantages the caller can work from (default: all); another one is refused. */
  vantages?: readonly Vantage[];
  /** The task, as a refusal names it ("devices needs a LAN, WAN or Wi-Fi capture ..."; default 'devices'). */
  task?: string;
  onProgress?: ReadCaptureOptions['onProgress'];
  signal?: AbortSignal;
  /** The packet facts object to fill (default: a new one): a caller that keys devices by IP address reads its `addressKeys`. */
  observed?: ObservedPacket;
}

export async function observeDevices(source: CaptureSource, options: ObserveOptions): Promise<DevicesReport & { capture: CaptureSummary }> {
  // Each packet's facts are read before the next is decoded, and neither the packet nor its layers
  // are kept: the decoder may refill one packet object.
  const decoder = new PacketDecoder({ reuse: true });
  const table = new DeviceTable(options);
  const observed = options.observed ?? new ObservedPacket();
  const onPacket = options.onPacket;
  const onRecord =
    onPacket === undefined
      ? (rec: CaptureRecord) => {
          observed.read(decoder.decode(rec), rec);
          table.add(observed);
        }
      : (rec: CaptureRecord) => {
          observed.read(decoder.decode(rec), rec);
          table.add(observed);
          onPacket(observed);
        };
  const capture = await readCapture(source, onRecord, { onProgress: options.onProgress, signal: options.signal });
  const report = identifyDevices(table, options);
  checkVantage(table, capture, report.vantage, options.vantages ?? VANTAGES, options.task ?? 'devices', options.vantage !== undefined, report.devices.length);
  return { ...report, capture };
}
