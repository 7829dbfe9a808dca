/**
 * `npm run bench:defend [-- --home NAME] [-- --days N] [-- --runs R] [-- --only sweep|capture]`:
 *
 * 1. The full sweep for one home (`peephole defend evaluate --home family`: every strategy over its
 *    parameter, three observers each, the cost of each point written): wall time, simulated home-days
 *    processed per second (training, scoring and cost days of every point), peak RSS.
 * 2. Defending a written capture (`peephole defend CAPTURE --strategy pad`, N days of the home at the
 *    LAN vantage: every frame read, TCP streams rewritten, written back) against tshark reading and
 *    writing the same capture (`tshark -r capture -w copy`): the ratio is the reference.
 *
 * Best of R runs each (the sweep runs once: it takes minutes); peak RSS from GNU time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { timedRun as run, type Run } from './timed-run.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const home = arg('--home', 'family');
const days = Number(arg('--days', '7'));
const runs = Number(arg('--runs', '3'));
const only = arg('--only', 'all');
const dir = join(import.meta.dirname, '.data', 'defend');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const peephole = join(import.meta.dirname, '..', 'bin', 'peephole.js');
const rss = (r: Run): string => (r.peakRssMb === null ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`);
const lines: string[] = [];

if (only === 'all' || only === 'sweep') {
  const out = join(dir, 'sweep');
  const sweep = run(`defend evaluate --home ${home}`, ['node', peephole, 'defend', 'evaluate', '--home', home, '--out', out, '--json'], 1);
  const result = JSON.parse(readFileSync(join(out, 'frontier.json'), 'utf8')) as { points: unknown[]; homeDays: number; seconds: number };
  lines.push(
    `the full sweep on ${home}: ${result.points.length} points, ${result.homeDays.toLocaleString('en-US')} simulated home-days in ${sweep.seconds.toFixed(1)} s wall ` +
      `(${(result.homeDays / sweep.seconds).toFixed(1)} home-days/s), peak RSS ${rss(sweep)}`,
  );
}

if (only === 'all' || only === 'capture') {
  const sim = join(dir, 'home');
  const made = spawnSync('node', [peephole, 'simulate', '--home', home, '--days', String(days), '--seed', '1', '--vantage', 'lan', '--out', sim], { stdio: 'ignore' });
  if (made.status !== 0) throw new Error('simulate failed');
  const capture = join(sim, 'capture.pcapng');
  const mb = statSync(capture).size / 1e6;
  const defend = run('defend --strategy pad', ['node', peephole, 'defend', capture, '--strategy', 'pad', '--out', join(dir, 'padded.pcapng')], runs);
  const tshark = run('tshark -r capture -w copy', ['tshark', '-r', capture, '-w', join(dir, 'copy.pcapng')], runs);
  lines.push(
    `defending a written capture (${home}, ${days} days, ${mb.toFixed(1)} MB, LAN), best of ${runs}:`,
    `  ${defend.name.padEnd(28)} ${defend.seconds.toFixed(2).padStart(7)} s  ${(mb / defend.seconds).toFixed(1).padStart(6)} MB/s  peak RSS ${rss(defend)}`,
    `  ${tshark.name.padEnd(28)} ${tshark.seconds.toFixed(2).padStart(7)} s  ${(mb / tshark.seconds).toFixed(1).padStart(6)} MB/s  peak RSS ${rss(tshark)}`,
    `  defend --strategy pad runs at ${(tshark.seconds / defend.seconds).toFixed(2)}x the speed of tshark copying the capture (1.0x = as fast).`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
