/**
 * `peephole study`: the main job. For now it writes a few simulated days of the demo home (a lock,
 * a light and an alarm, one resident) as a pcapng capture with peephole's own writer, then reads it
 * back with `inspect`, and writes the ground truth beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapngWriter } from '../capture/pcapng-writer.js';
import { LINKTYPE_ETHERNET } from '../capture/link-type.js';
import { writeDemoHome } from '../synth/demo-home.js';
import { inspectCapture } from '../observe/inspect.js';
import { renderInspectText } from '../report/inspect-text.js';
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
  const sink = new TextSink();
  sink.write(
    `peephole study: ${options.days} simulated day(s) of the demo home (seed ${options.seed})\n` +
      `  capture     ${capture} (${writer.packetsWritten} packets)\n` +
      `  activities  ${activities} (${truth.length} activities: the ground truth)\n` +
      `  summary     ${join(options.out, 'inspect.json')}\n\n` +
      renderInspectText(report),
  );
  await sink.end();
}
