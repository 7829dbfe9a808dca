/**
 * Runs a command the benchmarks time: wall seconds, and peak RSS from GNU time (`/usr/bin/time -f %M`,
 * Debian package `time`; null without it). Keeps the best (fastest) of `times` runs; a failed run stops
 * the benchmark with the command's last words. `stdout` sends the command's output to a file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Run {
  name: string;
  seconds: number;
  peakRssMb: number | null;
}

const timeAvailable = existsSync('/usr/bin/time');

export function timedRun(name: string, argv: string[], times: number, stdout?: string): Run {
  let best: Run | null = null;
  for (let i = 0; i < times; i++) {
    const cmd = timeAvailable ? ['/usr/bin/time', '-f', '%M', ...argv] : argv;
    const t0 = process.hrtime.bigint();
    const r = stdout
      ? spawnSync('bash', ['-c', `"$@" > ${JSON.stringify(stdout)}`, 'run', ...cmd], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
      : spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr.toString().slice(-800)}`);
    const lines = r.stderr.toString().trim().split('\n');
    const rss = timeAvailable ? Number(lines[lines.length - 1]) / 1024 : null;
    if (best === null || seconds < best.seconds) best = { name, seconds, peakRssMb: rss };
  }
  return best!;
}
