/**
 * Helpers for the simulator tests only: write generated frames to an in-memory pcap, and ask tshark
 * (the oracle) what it finds wrong with a capture and what it reads in it.
 */
import { writeFileSync } from 'node:fs';
import { PcapWriter } from '../../capture/pcap-writer.js';
import type { PacketToWrite } from '../../capture/capture-writer.js';
import { runTool, scratchDir } from '../../capture/test-support.js';
import type { FrameSink } from './traffic-writer.js';

/** The frames `write` sends to its sink, as they were written, and as a nanosecond pcap. */
export function capture(write: (sink: FrameSink) => void): { frames: PacketToWrite[]; pcap: Uint8Array } {
  const frames: PacketToWrite[] = [];
  const pcap = new PcapWriter({ precision: 'ns' });
  write({
    writePacket(p) {
      frames.push(p);
      pcap.writePacket(p);
    },
  });
  pcap.close();
  return { frames, pcap: pcap.toBytes() };
}

/** tshark's preferences that make every bad IPv4, UDP and TCP checksum an expert error. */
const CHECK_CHECKSUMS = ['-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'];

export interface TsharkReading {
  /** The Errors and Warns sections of `tshark -z expert` (empty when there are none). */
  problems: string;
  /** `tshark -T fields` rows for the fields asked for (all occurrences joined by commas). */
  rows: string[][];
  stderr: string;
}

/** Reads `pcap` with tshark, checksums checked: its expert errors and warnings, and `fields`. */
export function tsharkRead(pcap: Uint8Array, fields: readonly string[]): TsharkReading {
  const dir = scratchDir();
  try {
    const file = dir.path('capture.pcap');
    writeFileSync(file, pcap);
    const expert = runTool('tshark', ['-r', file, '-q', '-z', 'expert', ...CHECK_CHECKSUMS]);
    const sections = expert.stdout.split(/\n\s*\n/);
    const problems = sections.map((s) => s.trim()).filter((s) => /^(Errors|Warns|Warnings) \(\d+\)/.test(s)).join('\n\n');
    const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...CHECK_CHECKSUMS];
    for (const f of fields) args.push('-e', f);
    const r = runTool('tshark', args);
    const rows = r.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t'));
    return { problems, rows, stderr: expert.stderr + r.stderr };
  } finally {
    dir.remove();
  }
}
