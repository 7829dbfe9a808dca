/**
 * `npm run eval:ceiling [-- --homes sensor-rich,random:201] [-- --days N] [-- --seed S]`: how much of a
 * simulated home's residents' day any attack on its LAN capture could find, before asking how much
 * one does (bench/eval-homes.ts).
 *
 * Per home (simulated as eval-homes.ts simulates it, its capture's uses found as `attack` finds them):
 * - visible: the share of true activities (every resident's) with a use found within 30 min of them;
 * - uses/h by how many residents are at home and awake (0, 1, 2, 3+), from the truth's states: what a
 *   decoder of several residents has to go on;
 * - the timeline macro-F1 at 30 min of three oracles: `home` the truth's home-level transitions (the
 *   home's chain decoded perfectly: first up, last to bed, last out, first back), `home×R` each of
 *   them R times (every resident moving with the home), `visible` the true activities with a use
 *   found within 30 min (each resident's states known, seen only where the traffic shows something),
 *   `reacted` the true activities some device reacted to (the simulator's events.csv: a use caused
 *   by the activity within an hour of it, whatever the observer sees of it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIVITIES, activityId, type Activity } from '../src/core/activities.js';
import { firstUseAt, type DeviceUse } from '../src/core/device-use.js';
import { matchTimeline, type TimedActivity } from '../src/evaluate/timeline-match.js';
import { homeSegments } from '../src/attack/fit-structure.js';
import { readActivitiesCsv } from '../src/attack/evaluate-model.js';
import { ASLEEP, AWAKE, OUT_LONG, OUT_SHORT } from '../src/attack/structured-day.js';
import { detectUsage } from '../src/uses/index.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';
import { registeredVendorLookup } from '../src/observe/oui.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const REPO = path.resolve(import.meta.dirname, '..');
const CLI = path.join(REPO, 'bin', 'peephole.js');
const days = arg('--days', '14');
const seed = arg('--seed', '7');
const homes = arg('--homes', 'sensor-rich,random:201,random:202,family').split(',');
const TOLERANCE_US = 30 * 60e6;
const HOUR_US = 3600e6;

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

const f1 = (truth: readonly TimedActivity[], predicted: readonly TimedActivity[]): string => matchTimeline(truth, predicted, { toleranceUs: TOLERANCE_US }).macroF1.toFixed(3);

/** Per resident, the awake-at-home count over time from their activities: [timeUs, awake count] steps. */
function awakeSteps(truth: readonly TimedActivity[]): [number, number][] {
  const state = new Map<string, 'home' | 'asleep' | 'out'>();
  for (const a of truth) {
    const who = a.resident ?? '';
    if (state.has(who)) continue;
    const first = ACTIVITIES[a.activity] as Activity;
    state.set(who, first === 'wake_up' ? 'asleep' : first === 'return_home' ? 'out' : 'home');
  }
  const steps: [number, number][] = [];
  for (const a of truth) {
    const name = ACTIVITIES[a.activity] as Activity;
    state.set(a.resident ?? '', name === 'wake_up' || name === 'return_home' ? 'home' : name === 'go_to_bed' ? 'asleep' : 'out');
    steps.push([a.timeUs, [...state.values()].filter((s) => s === 'home').length]);
  }
  return steps;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'peephole-eval-ceiling-'));
try {
  process.stdout.write(`per home (${days} d, seed ${seed}, LAN capture): true activities, visible (a use found within 30 min), uses/h with 0/1/2/3+ residents awake at home, macro-F1 at 30 min of the oracles home, home×R, visible\n`);
  for (const home of homes) {
    const dir = path.join(tmp, home.replace(/[^a-z0-9-]/gi, '_'));
    execFileSync('node', [CLI, 'simulate', '--home', home, '--days', days, '--seed', seed, '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const truth = readActivitiesCsv(path.join(dir, 'activities.csv'));
    const residents = new Set(truth.map((r) => r.resident)).size;
    const detected = await detectUsage(path.join(dir, 'capture.pcapng'), { rules: defaultVendorRules(), oui: registeredVendorLookup(), task: 'attack' });
    const uses: DeviceUse[] = detected.events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
    const near = (us: number): boolean => {
      const i = firstUseAt(uses, us - TOLERANCE_US);
      return i < uses.length && uses[i].timeUs <= us + TOLERANCE_US;
    };
    const visible = truth.filter((a) => near(a.timeUs));
    // Activities the devices reacted to at all (events.csv: the simulator's own uses with their cause
    // and resident; a reaction comes at most an hour after its activity), wherever the observer stands.
    const causedUses = csvRows(path.join(dir, 'events.csv'))
      .filter((e) => e.cause !== 'noise' && e.cause !== 'cover')
      .map((e) => ({ timeUs: Math.round(Number(e.time_epoch) * 1e6), key: `${e.resident} ${e.cause}` }));
    const caused = truth.filter((a) => causedUses.some((u) => u.key === `${a.resident} ${ACTIVITIES[a.activity]}` && u.timeUs >= a.timeUs && u.timeUs <= a.timeUs + HOUR_US));
    const perClass = ACTIVITIES.map((name, k) => `${name} ${visible.filter((a) => a.activity === k).length}/${truth.filter((a) => a.activity === k).length}`).join(', ');
    // Uses per hour by residents awake at home.
    const steps = awakeSteps(truth);
    const hours = [0, 0, 0, 0];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i + 1 < steps.length; i++) hours[Math.min(3, steps[i][1])] += (steps[i + 1][0] - steps[i][0]) / HOUR_US;
    let j = 0;
    for (const u of uses) {
      if (u.timeUs < steps[0][0] || u.timeUs >= steps[steps.length - 1][0]) continue;
      while (j + 1 < steps.length && steps[j + 1][0] <= u.timeUs) j++;
      counts[Math.min(3, steps[j][1])]++;
    }
    const rates = hours.map((h, k) => (h > 0 ? (counts[k] / h).toFixed(1) : '-')).join('/');
    const segments = homeSegments(truth, 2 * HOUR_US);
    const homeDay: TimedActivity[] = [];
    for (let i = 1; i < segments.length; i++) {
      const prev = segments[i - 1].state;
      const cur = segments[i].state;
      const activity: Activity | null =
        prev === ASLEEP && cur === AWAKE ? 'wake_up' : prev === AWAKE && cur === ASLEEP ? 'go_to_bed' : prev === AWAKE && cur === OUT_SHORT ? 'leave_temporarily' : prev === AWAKE && cur === OUT_LONG ? 'leave_home' : prev === OUT_LONG && cur === AWAKE ? 'return_home' : null;
      if (activity !== null) homeDay.push({ timeUs: segments[i].startUs, activity: activityId(activity) });
    }
    const homeTimesR = homeDay.flatMap((a) => Array.from({ length: residents }, () => a));
    const anon = (xs: readonly TimedActivity[]): TimedActivity[] => xs.map((a) => ({ timeUs: a.timeUs, activity: a.activity }));
    const causedClass = ACTIVITIES.map((name, k) => `${name} ${caused.filter((a) => a.activity === k).length}`).join(', ');
    process.stdout.write(
      `${home.padEnd(12)} R=${residents} true ${String(truth.length).padStart(4)} visible ${((100 * visible.length) / truth.length).toFixed(0).padStart(3)}% (${perClass}) reacted to ${((100 * caused.length) / truth.length).toFixed(0).padStart(3)}% (${causedClass})  uses/h ${rates}  oracles home ${f1(anon(truth), homeDay)} home×R ${f1(anon(truth), homeTimesR)} visible ${f1(anon(truth), anon(visible))} reacted ${f1(anon(truth), anon(caused))}\n`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
