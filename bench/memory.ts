/**
 * `npm run bench:memory [-- --days D] [-- --rows N] [-- --runs R] [-- --against DIR] [-- --only attack]`:
 * the peak memory (resident set, GNU time's maximum) of each peephole command on long inputs, built
 * once into bench/.data/ (git-ignored):
 *
 * - a month: 30 days of the family home (`peephole simulate --home family --days 30 --seed 1`, the
 *   capture bench:ingest reads: 423 MB, 2.0 M packets);
 * - a year: D days of it (default 365: 5.1 GB, 24.7 M packets; built only with room left on the disk);
 * - N uses (default 1,000,000) in an events CSV: the first N of `peephole simulate --home sensor-rich
 *   --days <enough> --seed 1 --format none` (its events.csv as the simulator writes it, 91 MB).
 *
 * It runs `peephole attack` on the month (`--json`), the year and the events CSV, and `peephole
 * inspect`, `packets`, `devices` and `timeline` on the year, and `peephole defend --strategy pad` on the
 * month (its capture written into bench/.data/memory-out/), output thrown away, with the bundled
 * model (built by `peephole train --bundled` when absent). With `--against DIR`, the same commands of
 * another checkout (built) run beside them: two columns, this checkout's and DIR's. Each command's
 * best time of R runs (default 1) is printed with its peak memory; the attack's target is a peak under
 * {@link TARGET_MB} MB whatever the input's length.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { timedRun, type Run } from './timed-run.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** The attack's peak memory must stay under this, on any input. */
const TARGET_MB = 300;
/** Days of the sensor-rich home that hold a million uses (it has about 79 a day). */
const USES_PER_DAY = 79;
/** Room a year's capture needs on the disk, with some to spare. */
const YEAR_BYTES = 6e9;

const days = Number(arg('--days', '365'));
const rows = Number(arg('--rows', '1000000'));
const runs = Number(arg('--runs', '1'));
const against = process.argv.includes('--against') ? arg('--against', '') : null;
const only = arg('--only', '');

const root = join(import.meta.dirname, '..');
const dir = join(import.meta.dirname, '.data');
mkdirSync(dir, { recursive: true });
const peephole = join(root, 'bin', 'peephole.js');
if (against !== null && !existsSync(join(against, 'bin', 'peephole.js'))) throw new Error(`--against ${against}: no bin/peephole.js there`);

/** Runs a peephole command to build something the bench needs; its output goes to stderr. */
function build(what: string, argv: string[]): void {
  process.stderr.write(`${what}...\n`);
  const r = spawnSync('node', [peephole, ...argv], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status})`);
}

function familyCapture(d: number): string | null {
  const out = join(dir, `family-${d}d-seed1`);
  const file = join(out, 'capture.pcapng');
  if (existsSync(file)) return file;
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  const needed = (YEAR_BYTES * d) / 365;
  if (free < needed) {
    process.stderr.write(`not building ${d} days of the family home: ${(needed / 1e9).toFixed(1)} GB needed, ${(free / 1e9).toFixed(1)} GB free\n`);
    return null;
  }
  build(`simulating ${d} days of the family home into ${out}`, ['simulate', '--home', 'family', '--days', String(d), '--seed', '1', '--out', out]);
  return file;
}

/** The first `n` uses of a long simulation of the sensor-rich home, as its events.csv has them. */
async function eventsCsv(n: number): Promise<string> {
  const file = join(dir, `sensor-rich-${n}-uses.csv`);
  if (existsSync(file)) return file;
  const sim = join(dir, `sensor-rich-uses-seed1`);
  const simDays = Math.ceil((n / USES_PER_DAY) * 1.01);
  build(`simulating ${simDays} days of the sensor-rich home's uses into ${sim}`, ['simulate', '--home', 'sensor-rich', '--days', String(simDays), '--seed', '1', '--format', 'none', '--out', sim]);
  const lines = createInterface({ input: createReadStream(join(sim, 'events.csv')), crlfDelay: Infinity });
  const partial = `${file}.part`;
  const out = createWriteStream(partial);
  let kept = -1;
  for await (const line of lines) {
    if (kept >= n) break;
    if (!out.write(line + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    kept++;
  }
  lines.close();
  await new Promise<void>((resolve) => out.end(() => resolve()));
  if (kept < n) throw new Error(`${simDays} days of the sensor-rich home hold ${kept} uses, not ${n}`);
  renameSync(partial, file);
  return file;
}

function ensureBundledModel(): void {
  const model = process.env.PEEPHOLE_BUNDLED_MODEL || join(root, 'models', 'bundled');
  if (!existsSync(join(model, 'peephole-model.json'))) build(`building the bundled model (${model})`, ['train', '--bundled']);
}

interface Row {
  readonly command: string;
  readonly input: string;
  readonly argv: (bin: string) => string[];
  readonly attack: boolean;
}

ensureBundledModel();
const month = familyCapture(30);
const year = familyCapture(days);
const csv = await eventsCsv(rows);
const scratch = join(dir, 'memory-out');
mkdirSync(scratch, { recursive: true });
const table: Row[] = [];
if (month !== null) table.push({ command: 'attack --json', input: 'family, 30 days', argv: (bin) => [bin, 'attack', '--json', month], attack: true });
if (year !== null) table.push({ command: 'attack', input: `family, ${days} days`, argv: (bin) => [bin, 'attack', year], attack: true });
table.push({ command: 'attack', input: `events CSV, ${rows.toLocaleString('en-US')} uses`, argv: (bin) => [bin, 'attack', csv], attack: true });
// The defence a frame at a time (defend/frames/pad-stream.ts): held, padding the month peaked at 3,953 MB, streamed at 207 MB.
if (month !== null && only !== 'attack') table.push({ command: 'defend pad', input: 'family, 30 days', argv: (bin) => [bin, 'defend', month, '--strategy', 'pad', '--out', join(scratch, 'defended.pcapng')], attack: false });
if (year !== null && only !== 'attack') {
  const label = `family, ${days} days`;
  table.push({ command: 'inspect', input: label, argv: (bin) => [bin, 'inspect', year], attack: false });
  table.push({ command: 'packets', input: label, argv: (bin) => [bin, 'packets', year], attack: false });
  table.push({ command: 'devices', input: label, argv: (bin) => [bin, 'devices', year], attack: false });
  table.push({ command: 'timeline', input: label, argv: (bin) => [bin, 'timeline', year, '--plot', join(scratch, 'timeline.svg'), '--csv', join(scratch, 'timeline.csv')], attack: false });
}

const mb = (r: Run): string => (r.peakRssMb === null ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`);
const lines = [
  '',
  `peak memory (resident set, GNU time), best time of ${runs} run${runs === 1 ? '' : 's'}; output thrown away`,
  `${'command'.padEnd(15)}${'input'.padEnd(28)}${'seconds'.padStart(9)}${'peak'.padStart(10)}${against === null ? '' : `${'seconds'.padStart(11)}${'peak'.padStart(10)}  (${against})`}`,
];
let met = true;
for (const row of table) {
  const here = timedRun(`${row.command} ${row.input}`, ['node', ...row.argv(peephole)], runs, '/dev/null');
  if (row.attack && (here.peakRssMb ?? 0) >= TARGET_MB) met = false;
  let line = `${row.command.padEnd(15)}${row.input.padEnd(28)}${here.seconds.toFixed(2).padStart(9)}${mb(here).padStart(10)}`;
  if (against !== null) {
    const there = timedRun(`${row.command} ${row.input} (${against})`, ['node', ...row.argv(join(against, 'bin', 'peephole.js'))], runs, '/dev/null');
    line += `${there.seconds.toFixed(2).padStart(11)}${mb(there).padStart(10)}`;
  }
  lines.push(line);
  process.stderr.write(line + '\n');
}
lines.push(`peephole attack under ${TARGET_MB} MB on every input: ${met ? 'yes' : 'NO'}`);
process.stdout.write(lines.join('\n') + '\n');
