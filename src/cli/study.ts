/**
 * `peephole study`: the main job. For now it writes a few simulated days of the demo home (a lock,
 * a light and an alarm, one resident) as a pcapng capture with peephole's own writer, writes the
 * ground truth beside it, then studies the capture as an observer would: what is in it (`inspect`),
 * which devices the home has and what each one is (`devices`), and when each one talks (`timeline`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapngWriter } from '../capture/pcapng-writer.js';
import { LINKTYPE_ETHERNET } from '../capture/link-type.js';
import { writeDemoHome } from '../synth/demo-home.js';
import { inspectCapture } from '../observe/inspect.js';
import { renderInspectText } from '../report/inspect-text.js';
import { renderDevicesText } from '../report/devices-text.js';
import { timelineToCsv } from '../report/timeline-series.js';
import { deviceTimeline } from '../observe/timeline.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { registeredVendorLookup } from '../observe/oui.js';
import { TextSink } from './output.js';

export interface StudyCommandOptions {
  out: string;
  seed: number;
  days: number;
}

export async function studyCommand(options: StudyCommandOptions): Promise<void> {
  mkdirSync(options.out, { recursive: true });
  const capture = join(options.out, 'home.pcapng');
  const writer = new PcapngWriter({ to: capture, interfaces: [{ linkType: LINKTYPE_ETHERNET, name: 'home-router-lan' }] });
  const truth = writeDemoHome(writer, { seed: options.seed, days: options.days });
  writer.close();
  const activities = join(options.out, 'activities.csv');
  writeFileSync(
    activities,
    'time,activity\n' + truth.map((a) => `${new Date(a.timeUs / 1000).toISOString()},${a.activity}`).join('\n') + '\n',
  );
  const report = await inspectCapture(capture);
  writeFileSync(join(options.out, 'inspect.json'), JSON.stringify(report, null, 2) + '\n');
  const rules = defaultVendorRules();
  const oui = registeredVendorLookup();
  const timeline = await deviceTimeline(capture, { rules, oui });
  const devices = { ...timeline.report, capture: timeline.capture };
  writeFileSync(join(options.out, 'devices.json'), JSON.stringify(devices, null, 2) + '\n');
  const { renderTimeline } = await import('../report/timeline-plot.js');
  const plot = join(options.out, 'timeline.png');
  writeFileSync(plot, await renderTimeline(timeline.series, { format: 'png', title: 'The demo home: traffic of each device' }));
  writeFileSync(join(options.out, 'timeline.csv'), timelineToCsv(timeline.series));
  const sink = new TextSink();
  sink.write(
    `peephole study: ${options.days} simulated day(s) of the demo home (seed ${options.seed})\n` +
      `  capture     ${capture} (${writer.packetsWritten} packets)\n` +
      `  activities  ${activities} (${truth.length} activities: the ground truth)\n` +
      `  summary     ${join(options.out, 'inspect.json')}\n` +
      `  devices     ${join(options.out, 'devices.json')}\n` +
      `  timeline    ${plot} and timeline.csv\n\n` +
      renderInspectText(report) +
      '\n' +
      renderDevicesText(devices, { evidence: true }),
  );
  await sink.end();
}
