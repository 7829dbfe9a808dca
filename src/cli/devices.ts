/**
 * `peephole devices FILE|-`: the home's devices, what each one is and (with `--evidence`) why.
 */
import { observeDevices } from '../observe/devices.js';
import type { Vantage } from '../core/vantage.js';
import { vendorRulesOption } from './vendor-rules-option.js';
import { registeredVendorLookup } from '../observe/oui.js';
import { knownDevicesOption } from './known-devices-option.js';
import { renderDevicesText } from '../report/devices-text.js';
import { wireJson } from '../core/table-format.js';
import { TextSink } from './output.js';
import { byteProgress } from './progress.js';
import { reportReaderDamage } from './source.js';

export interface DevicesCommandOptions {
  json: boolean;
  evidence: boolean;
  vantage?: Vantage;
  rules?: string;
  known?: string;
  devices: string[];
}

export async function devicesCommand(file: string, options: DevicesCommandOptions): Promise<void> {
  const rules = vendorRulesOption(options.rules);
  const known = knownDevicesOption(options.known);
  const progress = byteProgress(file, 'devices');
  let report;
  try {
  const oui = registeredVendorLookup();
    report = await observeDevices(file, { rules, oui, known, vantage: options.vantage, onProgress: progress.update });
  } finally {
    progress.stop();
  }
  if (options.devices.length > 0) {
    const wanted = new Set(options.devices.map((d) => d.toLowerCase()));
    report = { ...report, devices: report.devices.filter((d) => wanted.has(d.id.toLowerCase()) || d.addresses.some((a) => wanted.has(a.toLowerCase()))) };
  }
  const sink = new TextSink();
  sink.write(options.json ? wireJson(report, 2) + '\n' : renderDevicesText(report, { evidence: options.evidence }));
  await sink.end();
  reportReaderDamage(report.capture);
}
