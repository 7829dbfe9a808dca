/**
 * A simulated home (peephole simulate) and its capture's uses, found as `attack` finds them, kept
 * with its truth as JSON in a cache folder (bench/eval-residents.ts), so decoders compare in-process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readActivitiesCsv } from '../src/attack/evaluate-model.js';
import type { DeviceUse } from '../src/core/device-use.js';
import type { TimedActivity } from '../src/evaluate/timeline-match.js';
import { detectUsage } from '../src/uses/index.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';
import { registeredVendorLookup } from '../src/observe/oui.js';

const REPO = path.resolve(import.meta.dirname, '..');
const CLI = path.join(REPO, 'bin', 'peephole.js');

export interface CachedHome {
  readonly home: string;
  readonly residents: number;
  readonly uses: DeviceUse[];
  readonly truth: TimedActivity[];
}

export async function cachedHome(cacheDir: string, home: string, days: number, seed: number): Promise<CachedHome> {
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `${home.replace(/[^a-z0-9-]/gi, '_')}-${days}d-${seed}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CachedHome;
  const dir = `${file}.sim`;
  execFileSync('node', [CLI, 'simulate', '--home', home, '--days', String(days), '--seed', String(seed), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const truth = readActivitiesCsv(path.join(dir, 'activities.csv'));
  const residents = new Set(truth.map((r) => r.resident)).size;
  const detected = await detectUsage(path.join(dir, 'capture.pcapng'), { rules: defaultVendorRules(), oui: registeredVendorLookup(), task: 'attack' });
  const uses = detected.events.map((e) => ({ timeUs: e.timeUs, device: e.device, kind: e.kind }));
  const out: CachedHome = { home, residents, uses, truth };
  writeFileSync(file, JSON.stringify(out));
  rmSync(dir, { recursive: true, force: true });
  return out;
}
