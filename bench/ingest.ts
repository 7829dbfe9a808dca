/**
 * `npm run bench:ingest [-- --mb N] [-- --days D] [-- --runs R] [-- --tshark-runs T] [-- --only mixed,dns-vlan,family]`:
 * how fast peephole reads captures, against tshark, on three files built once into bench/.data/
 * (git-ignored):
 *
 * - mixed: at least N MB (default 1100) of mixed traffic (DNS, TLS, bulk TCP/UDP; generate-mixed.ts);
 * - dns-vlan: as many MB of the DNS/VLAN-heavy mix (a quarter of the frames DNS responses of 4 to 18
 *   answers, a tenth in 802.1Q tags; mixed-traffic.ts DNS_VLAN_MIX);
 * - family: the simulator's own capture of D days (default 30) of the family home
 *   (`peephole simulate --home family --days D --seed 1`: DNS-heavy, 2.0 M packets for 30 days).
 *
 * On each file it runs, side by side: `cat FILE > /dev/null`, the floors (node reading the file as
 * peephole does, and readCapture() framing its records, nothing decoded: bench/floor.mjs),
 * `tshark -T fields` with the columns of `peephole packets`, `peephole packets`, `peephole inspect`,
 * `peephole devices` (not on the DNS/VLAN mix, see below), and on the family capture `peephole attack`
 * (with the bundled model, built by `peephole train --bundled` when absent). It prints seconds, MB/s, packets/s, peak RSS (GNU time's
 * maximum resident set size) and the ratios against tshark and cat, attack's time against devices'
 * (target: at most 1.3x); then inspect's ratio against tshark on every file. Each command's best of R runs (default 3) is kept; tshark runs T times
 * (default once: it is the slow one; on a machine shared with other work, a second run measured in
 * another moment keeps one busy minute from setting every ratio).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { timedRun as run, type Run } from './timed-run.js';
import { generateMixed, type Mix } from './generate-mixed.js';
import { readCapture } from '../src/capture/reader.js';
import { PACKET_COLUMNS } from '../src/report/packet-fields.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const FILE_KEYS = ['mixed', 'dns-vlan', 'family'] as const;
type FileKey = (typeof FILE_KEYS)[number];

const megabytes = arg('--mb', 1100);
const days = arg('--days', 30);
const runs = arg('--runs', 3);
const tsharkRuns = arg('--tshark-runs', 1);
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1].split(',') : [...FILE_KEYS];
for (const key of only) if (!(FILE_KEYS as readonly string[]).includes(key)) throw new Error(`--only: unknown file ${key} (${FILE_KEYS.join(', ')})`);
/** inspect must run at least this many times as fast as tshark on every file. */
const TARGET_VS_TSHARK = 50;
/** attack reads the capture as devices does, then finds the uses and decodes the day: at most this many times devices' time. */
const ATTACK_VS_DEVICES = 1.3;

const root = join(import.meta.dirname, '..');
const dir = join(import.meta.dirname, '.data');
mkdirSync(dir, { recursive: true });
const peephole = join(root, 'bin', 'peephole.js');
const floor = join(import.meta.dirname, 'floor.mjs');

/** Runs a peephole command to build something the bench needs; its output goes to stderr. */
function build(what: string, argv: string[]): void {
  process.stderr.write(`${what}...\n`);
  const r = spawnSync('node', [peephole, ...argv], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status})`);
}

function mixFile(mix: Mix): string {
  const file = join(dir, `${mix}-${megabytes}.pcap`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} (${megabytes} MB of the ${mix} mix)...\n`);
    generateMixed(file, megabytes, false, mix);
  }
  return file;
}

function familyFile(): string {
  const out = join(dir, `family-${days}d-seed1`);
  const file = join(out, 'capture.pcapng');
  if (!existsSync(file)) build(`simulating ${days} days of the family home into ${out}`, ['simulate', '--home', 'family', '--days', String(days), '--seed', '1', '--out', out]);
  return file;
}

function ensureBundledModel(): void {
  const model = process.env.PEEPHOLE_BUNDLED_MODEL || join(root, 'models', 'bundled');
  if (!existsSync(join(model, 'peephole-model.json'))) build(`building the bundled model (${model})`, ['train', '--bundled']);
}

const tsharkAvailable = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!tsharkAvailable) process.stderr.write('tshark is not installed: its rows and the ratios against it are left out\n');
const fields = PACKET_COLUMNS.flatMap((f) => ['-e', f]);

interface FileResult {
  key: FileKey;
  inspectVsTshark: number | null;
}

async function bench(key: FileKey): Promise<FileResult> {
  const file = key === 'family' ? familyFile() : mixFile(key);
  if (key === 'family') ensureBundledModel();
  const fileBytes = statSync(file).size;
  let packets = 0;
  await readCapture(file, () => void packets++);
  const results: Run[] = [];
  run('warm page cache', ['cat', file], 1);
  results.push(run('cat FILE > /dev/null', ['cat', file], runs));
  if (tsharkAvailable) {
    results.push(run('tshark -T fields (same columns)', ['tshark', '-r', file, '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields], tsharkRuns));
  }
  // The floor under peephole on this machine: the same reads with nothing parsed, then record framing
  // with nothing decoded (bench/floor.mjs).
  results.push(run('floor: node reads, no parsing', ['node', floor, 'read', file], runs));
  results.push(run('floor: readCapture, no decoding', ['node', floor, 'frame', file], runs));
  results.push(run('peephole packets', ['node', peephole, 'packets', file], runs));
  results.push(run('peephole inspect', ['node', peephole, 'inspect', '--json', file], runs));
  // devices on the DNS/VLAN mix (thousands of hosts and names) ran over 6 minutes before the mix
  // joined the bench: left out there.
  if (key !== 'dns-vlan') results.push(run('peephole devices', ['node', peephole, 'devices', '--json', file], runs));
  if (key === 'family') results.push(run('peephole attack', ['node', peephole, 'attack', '--json', file], runs));

  const tshark = results.find((r) => r.name.startsWith('tshark'));
  const cat = results[0];
  const mb = fileBytes / 1e6;
  const pad = (s: string, n: number): string => s.padStart(n);
  const lines = [
    '',
    `${key}: ${file}: ${mb.toFixed(0)} MB, ${packets.toLocaleString('en-US')} packets (best of ${runs} runs; tshark ${tsharkRuns === 1 ? 'once' : `best of ${tsharkRuns}`})`,
    `${'command'.padEnd(34)}${pad('seconds', 9)}${pad('MB/s', 9)}${pad('packets/s', 12)}${pad('peak RSS', 10)}${pad('vs tshark', 11)}${pad('vs cat', 8)}`,
    ...results.map(
      (r) =>
        `${r.name.padEnd(34)}${pad(r.seconds.toFixed(2), 9)}${pad((mb / r.seconds).toFixed(0), 9)}${pad(Math.round(packets / r.seconds).toLocaleString('en-US'), 12)}` +
        `${pad(r.peakRssMb === null ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`, 10)}` +
        `${pad(tshark ? `${(tshark.seconds / r.seconds).toFixed(1)}x` : '-', 11)}${pad(`${(cat.seconds / r.seconds).toFixed(2)}x`, 8)}`,
    ),
  ];
  const inspect = results.find((r) => r.name === 'peephole inspect')!;
  const devices = results.find((r) => r.name === 'peephole devices');
  if (devices) lines.push(`peephole devices runs at ${(inspect.seconds / devices.seconds).toFixed(2)}x the speed of peephole inspect`);
  const attack = results.find((r) => r.name === 'peephole attack');
  if (devices && attack) {
    const ratio = attack.seconds / devices.seconds;
    lines.push(`peephole attack takes ${ratio.toFixed(2)}x the time of peephole devices (at most ${ATTACK_VS_DEVICES}x: ${ratio <= ATTACK_VS_DEVICES ? 'yes' : 'NO'})`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return { key, inspectVsTshark: tshark ? tshark.seconds / inspect.seconds : null };
}

const done: FileResult[] = [];
for (const key of FILE_KEYS) if (only.includes(key)) done.push(await bench(key));
if (tsharkAvailable) {
  const ratios = done.map((r) => `${r.key} ${r.inspectVsTshark!.toFixed(1)}x`).join(', ');
  const met = done.every((r) => r.inspectVsTshark! >= TARGET_VS_TSHARK);
  process.stdout.write(`\npeephole inspect vs tshark: ${ratios} (at least ${TARGET_VS_TSHARK}x on every file: ${met ? 'yes' : 'NO'})\n`);
}
