/**
 * `npm run bench:homes [-- --homes N] [-- --days D] [-- --runs R]`: lives N random homes (default
 * 200) for D days each (default 30) with randomHomeLives() (events and activities only, no
 * traffic: what training reads), and prints homes per second, device uses per second and peak
 * RSS. The reference is as many lives of the built-in family home (simulateLife() on one loaded
 * spec, the cheapest way to a home's life today): the ratio says what drawing a new home each time
 * and the random homes' busier devices (chatty sensors) cost. Peak RSS at N and at 4N shows whether
 * memory grows with the number of homes. Best of R runs (default 1), each in its own process on the
 * built package (dist/); the rates are of the lives alone (timed inside the process, after the
 * package has loaded), the seconds column is the whole process.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { timedRun, type Run } from './timed-run.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const homes = Number(arg('--homes', '200'));
const days = Number(arg('--days', '30'));
const runs = Number(arg('--runs', '1'));
const dist = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href;
const dir = join(import.meta.dirname, '.data', 'random-homes');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

/** Lives `count` homes in a child process, which prints the number of device uses it saw. */
function lives(name: string, count: number, random: boolean): Run & { homes: number; uses: number; lifeSeconds: number } {
  const body = random
    ? `for (const h of p.randomHomeLives({ count: ${count}, days: ${days} })) uses += h.events.length;`
    : `const spec = p.loadHomeSpec('family'); for (let s = 0; s < ${count}; s++) for (const d of p.simulateLife(spec, { days: ${days}, seed: s })) uses += d.events.length;`;
  const code = `import(${JSON.stringify(dist)}).then((p) => { let uses = 0; const t0 = performance.now(); ${body} console.log(uses, (performance.now() - t0) / 1000); })`;
  const out = join(dir, 'uses.txt');
  const r = timedRun(name, ['node', '--input-type=module', '-e', code], runs, out);
  const [uses, lifeSeconds] = readFileSync(out, 'utf8').trim().split(' ').map(Number);
  return { ...r, homes: count, uses, lifeSeconds };
}

const random = lives(`randomHomeLives, ${homes} homes`, homes, true);
const random4 = lives(`randomHomeLives, ${4 * homes} homes`, 4 * homes, true);
const family = lives(`family home's life, ${homes} times`, homes, false);
rmSync(dir, { recursive: true, force: true });

const pad = (s: string, n: number): string => s.padStart(n);
const rss = (r: Run): string => (r.peakRssMb === null ? 'n/a' : `${r.peakRssMb.toFixed(0)} MB`);
process.stdout.write(
  [
    `${days} days of device uses and activities per home (no traffic), best of ${runs} run(s)`,
    `${'run'.padEnd(36)}${pad('seconds', 9)}${pad('lives s', 9)}${pad('homes/s', 9)}${pad('uses/home', 11)}${pad('uses/s', 11)}${pad('peak RSS', 10)}`,
    ...[random, random4, family].map(
      (r) =>
        `${r.name.padEnd(36)}${pad(r.seconds.toFixed(2), 9)}${pad(r.lifeSeconds.toFixed(2), 9)}${pad((r.homes / r.lifeSeconds).toFixed(1), 9)}` +
        `${pad(Math.round(r.uses / r.homes).toLocaleString('en-US'), 11)}${pad(Math.round(r.uses / r.lifeSeconds).toLocaleString('en-US'), 11)}${pad(rss(r), 10)}`,
    ),
    `random homes: ${(random4.homes / random4.lifeSeconds).toFixed(1)} homes/s (${4 * homes} homes), ${(random4.lifeSeconds / 4 / family.lifeSeconds).toFixed(1)}x the time of as many family-home lives ` +
      `(${(random4.uses / random4.lifeSeconds / (family.uses / family.lifeSeconds)).toFixed(2)}x its device uses per second); peak RSS ${rss(random)} for ${homes} homes, ${rss(random4)} for ${4 * homes}.`,
  ].join('\n') + '\n',
);
