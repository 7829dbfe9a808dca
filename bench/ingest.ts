/**
 * `npm run bench:ingest [-- --mb N] [-- --runs R]`: generates (once, cached in bench/.data/) a capture
 * of at least 1 GB of mixed traffic (DNS, TLS, bulk TCP/UDP), then runs on that same file, side by
 * side: `cat FILE > /dev/null`, `tshark -T fields` with the columns of `peephole packets`,
 * `peephole packets`, `peephole inspect`, `peephole devices`, and prints MB/s, packets/s, peak RSS
 * (two floor rows too: node reading the file and readCapture() framing its records, nothing decoded)
 * and the ratios peephole/tshark and peephole/cat, and devices/inspect. Each command's best of R runs is kept (tshark runs once: it is
 * the slow one); peak RSS is GNU time's maximum resident set size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { timedRun as run, type Run } from './timed-run.js';
import { generateMixed } from './generate-mixed.js';
import { readCapture } from '../src/capture/reader.js';
import { PACKET_COLUMNS } from '../src/report/packet-fields.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const megabytes = arg('--mb', 1100);
const runs = arg('--runs', 3);
const dir = join(import.meta.dirname, '.data');
mkdirSync(dir, { recursive: true });
const file = join(dir, `mixed-${megabytes}.pcap`);
if (!existsSync(file)) {
  process.stderr.write(`generating ${file} (${megabytes} MB of mixed traffic)...\n`);
  generateMixed(file, megabytes);
}
const fileBytes = statSync(file).size;
let packets = 0;
await readCapture(file, () => void packets++);

const peephole = join(import.meta.dirname, '..', 'bin', 'peephole.js');

const fields = PACKET_COLUMNS.flatMap((f) => ['-e', f]);
const results: Run[] = [];
run('warm page cache', ['cat', file], 1);
results.push(run('cat FILE > /dev/null', ['cat', file], runs));
if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0) {
  results.push(run('tshark -T fields (same columns)', ['tshark', '-r', file, '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields], 1));
} else {
  process.stderr.write('tshark is not installed: its row and the ratios against it are left out\n');
}
// The floor under peephole on this machine: the same reads with nothing parsed, then record framing
// with nothing decoded (bench/floor.mjs).
const floor = join(import.meta.dirname, 'floor.mjs');
results.push(run('floor: node reads, no parsing', ['node', floor, 'read', file], runs));
results.push(run('floor: readCapture, no decoding', ['node', floor, 'frame', file], runs));
results.push(run('peephole packets', ['node', peephole, 'packets', file], runs));
results.push(run('peephole inspect', ['node', peephole, 'inspect', '--json', file], runs));
results.push(run('peephole devices', ['node', peephole, 'devices', '--json', file], runs));

const tshark = results.find((r) => r.name.startsWith('tshark'));
const cat = results[0];
const mb = fileBytes / 1e6;
const pad = (s: string, n: number): string => s.padStart(n);
const lines = [
  `file: ${file}: ${mb.toFixed(0)} MB, ${packets.toLocaleString('en-US')} packets (best of ${runs} runs; tshark once)`,
  `${'command'.padEnd(34)}${pad('seconds', 9)}${pad('MB/s', 9)}${pad('packets/s', 12)}${pad('peak RSS', 10)}${pad('vs tshark', 11)}${pad('vs cat', 8)}`,
  ...results.map(
    (r) =>
      `${r.name.padEnd(34)}${pad(r.seconds.toFixed(2), 9)}${pad((mb / r.seconds).toFixed(0), 9)}${pad(Math.round(packets / r.seconds).toLocaleString('en-US'), 12)}` +
      `${pad(r.peakRssMb === null ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`, 10)}` +
      `${pad(tshark ? `${(tshark.seconds / r.seconds).toFixed(1)}x` : '-', 11)}${pad(`${(cat.seconds / r.seconds).toFixed(2)}x`, 8)}`,
  ),
];
const inspect = results.find((r) => r.name === 'peephole inspect');
const devices = results.find((r) => r.name === 'peephole devices');
if (inspect && devices) lines.push(`peephole devices runs at ${(inspect.seconds / devices.seconds).toFixed(2)}x the speed of peephole inspect`);
process.stdout.write(lines.join('\n') + '\n');
