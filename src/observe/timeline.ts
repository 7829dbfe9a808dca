/**
 * `deviceTimeline()`: every device's traffic over time (bytes sent and received per bin), from one
 * pass over a capture, with each row labelled by what the device was identified as.
 */
import type { CaptureSource, CaptureSummary } from '../capture/reader.js';
import { formatMac } from '../core/bytes.js';
import { TimelineBinner, type TimelineSeries } from './timeline-series.js';
import type { DevicesReport } from './identify.js';
import { observeDevices, type ObserveOptions } from './devices.js';
import { isAddressKey } from './address-keys.js';
import { ObservedPacket } from './observed-packet.js';

export interface TimelineOptions extends ObserveOptions {
  /** Bin width in seconds (default: chosen from the span, 240-600 bins). */
  binSeconds?: number;
  /** Only these devices (MAC, address or id); all when empty. */
  devices?: readonly string[];
}

export async function deviceTimeline(
  source: CaptureSource,
  options: TimelineOptions,
): Promise<{ series: TimelineSeries; report: DevicesReport; capture: CaptureSummary }> {
  const binner = new TimelineBinner({ binSeconds: options.binSeconds, source: typeof source === 'string' ? source : source.name });
  // The timeline is per link address (or the IP address that stands for one: observed-packet.ts): on
  // a LAN or a Wi-Fi, one row per device; a WAN capture is read as a LAN one.
  const observed = new ObservedPacket();
  const keys = observed.addressKeys;
  const rowId = (mac: number): string => (isAddressKey(mac) ? (keys.text(mac) ?? String(mac)) : formatMac(mac));
  const { capture, ...report } = await observeDevices(source, {
    ...options,
    wanAsLan: true,
    observed,
    task: options.task ?? 'timeline',
    onDevicePacket: (mac, time, bytes) => {
      const id = rowId(mac);
      binner.add(id, id, time, bytes);
    },
  });
  const wanted = options.devices && options.devices.length > 0 ? new Set(options.devices.map((d) => d.toLowerCase())) : null;
  const byId = new Map(report.devices.map((d) => [d.id, d]));
  const series = binner.finish();
  const rows = series.rows
    .filter((r) => {
      const d = byId.get(r.id);
      return d !== undefined && (wanted === null || wanted.has(d.id.toLowerCase()) || d.addresses.some((a) => wanted.has(a.toLowerCase())));
    })
    .map((r) => {
      const d = byId.get(r.id)!;
      const what = [d.vendor, d.category].filter((x) => x !== null).join(' ') || 'unknown device';
      return { ...r, label: `${what} (${d.addresses[0] ?? d.id})` };
    });
  return { series: { ...series, rows }, report, capture };
}
