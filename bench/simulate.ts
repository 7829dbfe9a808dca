/**
 * `npm run bench:simulate [-- --days N] [-- --home NAME] [-- --runs R]`: simulates a year (by default)
 * of the family home with `peephole simulate` (pcapng, LAN vantage), and prints simulated days per
 * second, capture MB/s and packets/s, peak RSS, and the writing speed as a ratio to `cat` copying
 * the same bytes to a file in the same directory (the reference for "writing this many bytes").
 * Also times the life alone (`--format none`: the CSV files only). Best of R runs each; peak RSS is
 * GNU time's maximum resident set size.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { timedRun as run, type Run } from './timed-run.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const days = Number(arg('--days', '365'));
const home = arg('--home', 'family');
const runs = Number(arg('--runs', '3'));
const dir = join(import.meta.dirname, '.data', 'simulate');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const peephole = join(import.meta.dirname, '..', 'bin', 'peephole.js');

const out = join(dir, 'out');
const common = ['simulate', '--home', home, '--days', String(days), '--seed', '1', '--vantage', 'lan'];
const life = run(`simulate --format none`, ['node', peephole, ...common, '--format', 'none', '--out', out], runs);
const sim = run(`simulate --format pcapng`, ['node', peephole, ...common, '--format', 'pcapng', '--out', out], runs);
const capture = join(out, 'capture.pcapng');
const bytes = statSync(capture).size;
const packets = Number(
  spawnSync('node', [peephole, 'inspect', '--json', capture], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.match(/"packets":\s*(\d+)/)?.[1] ?? NaN,
);
const cat = run('cat capture > copy (same bytes)', ['cat', capture], runs, join(dir, 'copy.pcapng'));
rmSync(join(dir, 'copy.pcapng'), { force: true });

const mb = bytes / 1e6;
const pad = (s: string, n: number): string => s.padStart(n);
const rss = (r: Run): string => (r.peakRssMb === null ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`);
process.stdout.write(
  [
    `home ${home}, ${days} days, seed 1, LAN vantage: capture ${mb.toFixed(1)} MB, ${packets.toLocaleString('en-US')} packets (best of ${runs} runs)`,
    `${'command'.padEnd(34)}${pad('seconds', 9)}${pad('days/s', 9)}${pad('MB/s', 9)}${pad('packets/s', 12)}${pad('peak RSS', 10)}${pad('vs cat', 9)}`,
    ...[life, sim, cat].map((r) => {
      const isCat = r === cat;
      const writesCapture = r !== life;
      return (
        `${r.name.padEnd(34)}${pad(r.seconds.toFixed(2), 9)}${pad(isCat ? '' : (days / r.seconds).toFixed(0), 9)}` +
        `${pad(writesCapture ? (mb / r.seconds).toFixed(1) : '', 9)}${pad(writesCapture ? Math.round(packets / r.seconds).toLocaleString('en-US') : '', 12)}` +
        `${pad(rss(r), 10)}${pad(writesCapture ? (cat.seconds / r.seconds).toFixed(3) + 'x' : '', 9)}`
      );
    }),
    `simulate writes its capture at ${(cat.seconds / sim.seconds).toFixed(3)}x the speed of cat writing the same bytes (1.0x = as fast as cat).`,
  ].join('\n') + '\n',
);
