/**
 * `npm run eval:devices [-- --json] [-- --days N]`: how well peephole names real devices, measured.
 *
 * The labelled set:
 * - `../shared/captures/devices-truth.tsv` (beside the repository, read in place, never copied): real
 *   public captures of smart-home devices with the datasets' own labels (capture, MAC, vendor,
 *   category, and in `why` what on the wire names the device);
 * - every built-in simulated home (data/homes/), simulated for N days (default 1) at the LAN vantage:
 *   its truth is the simulator's own device list (vendor, kind) and the home's router (category
 *   router; its vendor the maker whose MAC block, in data/home-distributions.yaml `routers`, holds
 *   the router's MAC, else not labelled).
 *
 * Each capture is read by `observeDevices()` with the shipped knowledge base, as `peephole devices`
 * reads it. Printed, per capture and overall: vendor accuracy, category accuracy, both right, wrong
 * "router" calls, and a calibration (reliability) table: per confidence band, how many verdicts, their
 * mean confidence and how many were right — a verdict's claims: the vendor and the category it
 * names (a field it leaves unknown claims nothing, as its confidence is about what it names).
 *
 * Rules of the comparison, explicit:
 * - Vendors are compared through data/vendors.tsv: a name and its aliases are one vendor ("D-Link
 *   Corporation" is d-link), and a verdict that names the truth's brand owner, or a brand the truth's
 *   vendor owns, is right (Amazon for a Blink camera; Samsung SmartThings for a Samsung hub). Two
 *   brands of one owner are not the same vendor (Ring is not Blink).
 * - Categories are compared in the one taxonomy (src/observe/categories.ts); the truth's `other` for a
 *   device that is "not IoT" (a tablet) also accepts `computer` (phone/computer).
 * - Where the truth's `why` says only the dataset's label names a field, bench/devices-label-only.tsv
 *   lists it (capture, MAC, field, reason; the truth file has no machine-readable marker): that field
 *   is right when the verdict is right, or honest — no answer, or an answer with confidence below
 *   {@link HONEST_BELOW}; a wrong answer given with more confidence is wrong.
 * - A labelled device the capture does not yield (a capture `devices` refuses, a MAC never seen) has
 *   no answer: wrong, except for label-only fields.
 * - A simulated device's field is label-only, in the same way, when the traffic the simulator writes
 *   for it carries no evidence of it: derived from the simulator's own profile of the device
 *   (data/device-profiles.json: the names it looks up, their CNAMEs, the server names of its sessions,
 *   its NTP server), its DHCP host name in the home spec and its MAC, each read with the shipped
 *   knowledge base (see {@link simulatedClues}), never from the verdict. A Tuya light is one: Tuya's
 *   cloud names serve every kind of Tuya device (vendor-rules `generic`), its host name ESP_xxxxxx is
 *   the Wi-Fi module's and Tuya's MAC blocks are used for every kind, as in the real Tuya captures.
 * - "Carries the evidence": devices with no label-only field; the target is counted on them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { observeDevices } from '../src/observe/devices.js';
import { defaultVendorRules } from '../src/observe/vendor-rules.js';
import { registeredVendorLookup } from '../src/observe/oui.js';
import { defaultVendorDirectory, type VendorDirectory } from '../src/observe/vendors.js';
import { deviceCategory } from '../src/observe/categories.js';
import { simulateHome } from '../src/home/simulate.js';
import { BUILTIN_HOMES, loadHomeSpec } from '../src/home/spec.js';
import { loadHomeDistributions } from '../src/home/home-distributions.js';
import { loadDeviceProfiles, profileFor, type DeviceProfile } from '../src/home/traffic/device-profiles.js';
import type { DeviceSpec } from '../src/home/types.js';
import { defaultDevicePatterns } from '../src/observe/device-patterns.js';
import { parseMac } from '../src/core/bytes.js';
import { BadInputError } from '../src/core/bad-input-error.js';
import type { IdentifiedDevice } from '../src/observe/identify.js';

/** A wrong answer below this confidence is an honest "not sure" where only the label names the field. */
const HONEST_BELOW = 0.5;
/** Confidence bands of the calibration table: [from, to), the last one closed. */
const BANDS: readonly (readonly [number, number])[] = [
  [0, 0.2],
  [0.2, 0.4],
  [0.4, 0.6],
  [0.6, 0.8],
  [0.8, 0.9],
  [0.9, 1.0001],
];

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const SHARED_CAPTURES = path.resolve(REPO_ROOT, '..', 'shared', 'captures');
const TRUTH_FILE = path.join(SHARED_CAPTURES, 'devices-truth.tsv');
const LABEL_ONLY_FILE = path.join(import.meta.dirname, 'devices-label-only.tsv');

interface Truth {
  readonly source: string;
  readonly mac: string;
  /** '' when the vendor is not labelled (a simulated home's router). */
  readonly vendor: string;
  readonly category: string;
  readonly labelOnly: { vendor: boolean; category: boolean };
  /** For a simulated device with a label-only field: what its simulated traffic carries, and why that names no such field. */
  readonly labelOnlyWhy?: string;
}

interface Judged {
  readonly truth: Truth;
  readonly said: { vendor: string | null; category: string | null; confidence: number } | null;
  readonly vendorOk: boolean;
  readonly categoryOk: boolean;
  readonly wrongRouter: boolean;
  /** Both fields right with no leniency for label-only fields (an unknown is wrong). */
  readonly strictBoth: boolean;
  /** What the verdict claims (the fields it names) is right; null when it names neither. */
  readonly claimRight: boolean | null;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readTsv(file: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines[0].split('\t');
  return lines.slice(1).map((l, i) => {
    const cells = l.split('\t');
    if (cells.length !== header.length) throw new Error(`${file}: row ${i + 2}: expected ${header.length} columns, got ${cells.length}`);
    return Object.fromEntries(header.map((h, j) => [h, cells[j]]));
  });
}

function labelOnlyMarks(): Map<string, { vendor: boolean; category: boolean }> {
  const marks = new Map<string, { vendor: boolean; category: boolean }>();
  for (const r of readTsv(LABEL_ONLY_FILE)) {
    if (!['vendor', 'category', 'both'].includes(r.field)) throw new Error(`${LABEL_ONLY_FILE}: bad field '${r.field}'`);
    marks.set(`${r.capture}\t${r.mac.toLowerCase()}`, { vendor: r.field !== 'category', category: r.field !== 'vendor' });
  }
  return marks;
}

function vendorRight(dir: VendorDirectory, said: string, truth: string): boolean {
  const a = dir.canonical(said).toLowerCase();
  const b = dir.canonical(truth).toLowerCase();
  return a === b || dir.owns(said, truth) || dir.owns(truth, said);
}

function categoryRight(said: string, truth: string): boolean {
  const s = deviceCategory(said);
  const t = deviceCategory(truth);
  return s !== null && (s === t || (t === 'other' && s === 'computer'));
}

function judge(dir: VendorDirectory, truth: Truth, d: IdentifiedDevice | undefined): Judged {
  const said = d === undefined ? null : { vendor: d.vendor, category: d.category, confidence: d.confidence };
  const honest = said === null || said.confidence < HONEST_BELOW;
  const field = (value: string | null | undefined, expected: string, right: (s: string, t: string) => boolean, labelOnly: boolean): boolean => {
    if (expected === '') return true;
    if (value !== null && value !== undefined && right(value, expected)) return true;
    return labelOnly && (value === null || value === undefined || honest);
  };
  return {
    truth,
    said,
    vendorOk: field(said?.vendor, truth.vendor, (s, t) => vendorRight(dir, s, t), truth.labelOnly.vendor),
    categoryOk: field(said?.category, truth.category, categoryRight, truth.labelOnly.category),
    wrongRouter: truth.category !== 'router' && said?.category === 'router',
    strictBoth: field(said?.vendor, truth.vendor, (s, t) => vendorRight(dir, s, t), false) && field(said?.category, truth.category, categoryRight, false),
    claimRight:
      said === null || (said.vendor === null && said.category === null)
        ? null
        : (said.vendor === null || truth.vendor === '' || vendorRight(dir, said.vendor, truth.vendor)) && (said.category === null || categoryRight(said.category, truth.category)),
  };
}

async function identify(file: string): Promise<{ devices: IdentifiedDevice[]; refused: string | null }> {
  try {
    const report = await observeDevices(file, { rules: defaultVendorRules(), oui: registeredVendorLookup() });
    return { devices: report.devices, refused: null };
  } catch (e) {
    if (e instanceof BadInputError) return { devices: [], refused: e.message };
    throw e;
  }
}

async function realCaptures(dir: VendorDirectory): Promise<{ judged: Judged[]; notes: string[] }> {
  const marks = labelOnlyMarks();
  const rows = readTsv(TRUTH_FILE);
  const judged: Judged[] = [];
  const notes: string[] = [];
  for (const capture of [...new Set(rows.map((r) => r.capture))]) {
    const { devices, refused } = await identify(path.join(SHARED_CAPTURES, capture));
    if (refused !== null) notes.push(`${capture}: refused: ${path.basename(refused.replace(/^[^:]*\//, ''))}`);
    for (const r of rows.filter((x) => x.capture === capture)) {
      const mac = r.mac.toLowerCase();
      const truth: Truth = { source: capture, mac, vendor: r.vendor, category: r.category, labelOnly: marks.get(`${capture}\t${mac}`) ?? { vendor: false, category: false } };
      judged.push(judge(dir, truth, devices.find((d) => d.mac === mac)));
    }
    for (const d of devices) {
      if (d.category === 'router' && !rows.some((x) => x.capture === capture && x.mac.toLowerCase() === d.mac)) notes.push(`${capture}: router: ${d.id} (${d.vendor ?? '?'}, confidence ${d.confidence.toFixed(2)})`);
    }
  }
  return { judged, notes };
}

const KIND_CATEGORY: Readonly<Record<string, string>> = { lock: 'lock', light: 'light', alarm: 'alarm', camera: 'camera', plug: 'plug', speaker: 'speaker', thermostat: 'thermostat', hub: 'hub' };

/** One clue the simulator writes for a device, and what the shipped knowledge base reads in it. */
interface SimulatedClue {
  readonly clue: string;
  /** The vendor it names ('' none: a cloud or hosting name, a module maker's default name, no row). */
  readonly vendor: string;
  /** The category it names ('' none: a maker's `generic` name, a row without one). */
  readonly category: string;
}

/**
 * The clues the traffic of a simulated device carries, by the simulator's own profile of it, each
 * read with the shipped knowledge base as the identifier reads it: the names it looks up, their
 * CNAMEs, its sessions' server names and its NTP server (data/vendor-rules.tsv: a `cloud` name names
 * no vendor, a `generic` one no category); its DHCP host name (data/patterns/: a module maker's
 * default name names neither); its MAC (data/patterns/ `mac_prefix`, and the registered owner through
 * data/vendors.tsv, a module maker naming nothing); and, for every vendor named, the one kind it
 * makes (data/vendors.tsv `makes`). What the simulator writes is the profile's, so a field no clue
 * names is one the simulated wire does not carry.
 */
function simulatedClues(device: DeviceSpec, profile: DeviceProfile, dir: VendorDirectory): SimulatedClue[] {
  const rules = defaultVendorRules();
  const patterns = defaultDevicePatterns();
  const oui = registeredVendorLookup();
  const clues: SimulatedClue[] = [];
  const names = new Set<string>();
  for (const n of profile.dns) for (const x of [n.name, ...n.cnames]) names.add(x.toLowerCase());
  for (const x of profile.sessions) names.add(x.name.toLowerCase());
  if (profile.ntp !== null) names.add(profile.ntp.name.toLowerCase());
  for (const name of names) {
    const r = rules.match(name);
    clues.push({ clue: `name ${name}`, vendor: r === null || r.category === 'cloud' ? '' : r.vendor, category: r === null || r.category === 'cloud' || r.category === 'generic' ? '' : r.category });
  }
  const mac = device.mac === undefined ? null : parseMac(device.mac);
  const owner = mac === null ? null : (oui(mac)?.vendor ?? null);
  const ownerRow = owner === null ? null : dir.find(owner);
  const macHex = mac === null ? null : mac.toString(16).padStart(12, '0').toUpperCase();
  const ctx = { macHex, macOwnedBy: (v: string) => owner !== null && v !== '' && dir.sameCompany(v, ownerRow?.vendor ?? owner) };
  const isModule = (v: string): boolean => v !== '' && dir.find(v)?.role === 'module';
  if (device.hostname !== undefined) {
    const row = patterns.match('dhcp_host_name', device.hostname, ctx);
    const named = row === null || isModule(row.vendor) ? null : row;
    clues.push({ clue: `host name ${device.hostname}`, vendor: named?.vendor ?? '', category: named?.category ?? '' });
  }
  if (macHex !== null) {
    const row = patterns.match('mac_prefix', macHex, ctx);
    if (row !== null) clues.push({ clue: `MAC prefix ${device.mac!.slice(0, 8)}`, vendor: row.vendor, category: row.category ?? '' });
    if (owner !== null) clues.push({ clue: `MAC owner ${owner}`, vendor: ownerRow === null ? owner : ownerRow.role === 'module' ? '' : ownerRow.vendor, category: ownerRow?.role === 'module' ? '' : (ownerRow?.makes ?? '') });
  }
  for (const v of new Set(clues.map((c) => c.vendor).filter((x) => x !== ''))) {
    const makes = dir.find(v)?.makes ?? null;
    if (makes !== null) clues.push({ clue: `${v} makes ${makes}`, vendor: '', category: makes });
  }
  return clues;
}

/** A simulated device's label-only fields: those no clue its simulated traffic carries names; with what it carries. */
function simulatedLabelOnly(device: DeviceSpec, profile: DeviceProfile, dir: VendorDirectory): { labelOnly: { vendor: boolean; category: boolean }; why?: string } {
  const clues = simulatedClues(device, profile, dir);
  const labelOnly = { vendor: !clues.some((c) => c.vendor !== ''), category: !clues.some((c) => c.category !== '') };
  if (!labelOnly.vendor && !labelOnly.category) return { labelOnly };
  const said = clues.map((c) => `${c.clue} -> ${c.vendor || '-'}${c.category !== '' ? ` ${c.category}` : ''}`).join('; ');
  return { labelOnly, why: `profile ${profile.id}: ${said}` };
}

async function simulatedHomes(dir: VendorDirectory, days: number): Promise<Judged[]> {
  const judged: Judged[] = [];
  const profiles = loadDeviceProfiles();
  const routerMakers = loadHomeDistributions().routers;
  const work = mkdtempSync(path.join(tmpdir(), 'peephole-eval-devices-'));
  try {
    for (const home of BUILTIN_HOMES) {
      const spec = loadHomeSpec(home);
      const out = path.join(work, home);
      simulateHome({ spec, source: home, days, seed: 1, out, vantage: 'lan', format: 'pcap' });
      const { devices } = await identify(path.join(out, 'capture.pcap'));
      const none = { vendor: false, category: false };
      const routerMac = spec.network.routerMac.toLowerCase();
      const routerVendor = routerMakers.find((m) => m.ouis.some((o) => routerMac.startsWith(o.toLowerCase())))?.vendor ?? '';
      const truths: Truth[] = [
        ...spec.devices.flatMap((d, i) => {
          if (d.mac === undefined) return [];
          const { labelOnly, why } = simulatedLabelOnly(d, profileFor(profiles, home, i, d), dir);
          return [{ source: `sim:${home}`, mac: d.mac.toLowerCase(), vendor: d.vendor, category: KIND_CATEGORY[d.kind] ?? 'other', labelOnly, ...(why !== undefined ? { labelOnlyWhy: why } : {}) }];
        }),
        { source: `sim:${home}`, mac: routerMac, vendor: routerVendor, category: 'router', labelOnly: none },
      ];
      for (const t of truths) judged.push(judge(dir, t, devices.find((d) => d.mac === t.mac)));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return judged;
}

function pct(n: number, of: number): string {
  return of === 0 ? '   -' : `${((100 * n) / of).toFixed(0).padStart(3)}%`;
}

function summary(label: string, js: readonly Judged[]): string {
  const n = js.length;
  const v = js.filter((j) => j.vendorOk).length;
  const c = js.filter((j) => j.categoryOk).length;
  const b = js.filter((j) => j.vendorOk && j.categoryOk).length;
  const r = js.filter((j) => j.wrongRouter).length;
  const strict = js.filter((j) => j.strictBoth).length;
  return `${label.padEnd(44)} ${String(n).padStart(3)}  vendor ${String(v).padStart(3)} ${pct(v, n)}  category ${String(c).padStart(3)} ${pct(c, n)}  both ${String(b).padStart(3)} ${pct(b, n)}  wrong router ${r}  (both right, no label-only leniency: ${strict})`;
}

function calibration(js: readonly Judged[]): string[] {
  const out = [
    'calibration: per confidence band, how many verdicts, their mean confidence and the share whose claims are right',
    '(the vendor and the category they name; a field left unknown claims nothing; verdicts naming neither are left out):',
    '(a band whose verdicts are all right or all wrong shows a gap however good the confidence: the 95% Wilson interval',
    'of the share right says which confidences the verdicts are consistent with)',
    '  band        n   mean conf   right   gap       95% interval of right   mean conf inside',
  ];
  for (const [lo, hi] of BANDS) {
    const inBand = js.filter((j) => j.said !== null && j.claimRight !== null && j.said.confidence >= lo && j.said.confidence < hi);
    if (inBand.length === 0) {
      out.push(`  ${lo.toFixed(1)}-${Math.min(hi, 1).toFixed(1)}   ${'0'.padStart(3)}`);
      continue;
    }
    const mean = inBand.reduce((s, j) => s + j.said!.confidence, 0) / inBand.length;
    const right = inBand.filter((j) => j.claimRight === true).length / inBand.length;
    const [low, high] = wilson(inBand.filter((j) => j.claimRight === true).length, inBand.length);
    out.push(
      `  ${lo.toFixed(1)}-${Math.min(hi, 1).toFixed(1)}   ${String(inBand.length).padStart(3)}   ${mean.toFixed(2).padStart(9)}   ${(100 * right).toFixed(0).padStart(4)}%   ${((right - mean) * 100).toFixed(0).padStart(3)} pts   ${(100 * low).toFixed(0).padStart(3)}%-${(100 * high).toFixed(0)}%${' '.repeat(14)}${mean >= low && mean <= high ? 'yes' : 'NO'}`,
    );
  }
  return out;
}

/** The 95% Wilson score interval of a share `k` of `n`. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.96;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function row(j: Judged): string {
  const s = j.said;
  const said = s === null ? '(no device)' : `${s.vendor ?? '?'} / ${s.category ?? '?'} (${s.confidence.toFixed(2)})`;
  const lo = j.truth.labelOnly.vendor || j.truth.labelOnly.category ? ` [label-only: ${[j.truth.labelOnly.vendor ? 'vendor' : '', j.truth.labelOnly.category ? 'category' : ''].filter(Boolean).join('+')}]` : '';
  const mark = (ok: boolean): string => (ok ? 'ok' : 'NO');
  return `  ${j.truth.mac}  ${(j.truth.vendor || '-').padEnd(10)} ${j.truth.category.padEnd(10)} -> ${said.padEnd(52)} vendor ${mark(j.vendorOk)}  category ${mark(j.categoryOk)}${j.wrongRouter ? '  WRONG ROUTER' : ''}${lo}`;
}

async function main(): Promise<void> {
  const days = Number(arg('--days') ?? 1);
  const dir = defaultVendorDirectory();
  const real = await realCaptures(dir);
  const sim = await simulatedHomes(dir, days);
  const all = [...real.judged, ...sim];
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ real: real.judged, simulated: sim, notes: real.notes }, null, 2) + '\n');
    return;
  }
  const out: string[] = [`peephole eval:devices: ${real.judged.length} labelled devices in ${path.relative(REPO_ROOT, TRUTH_FILE)}, ${sim.length} in ${BUILTIN_HOMES.length} simulated homes (${days} day(s) each)`, ''];
  for (const source of [...new Set(all.map((j) => j.truth.source))]) {
    const js = all.filter((j) => j.truth.source === source);
    out.push(source);
    for (const j of js) out.push(row(j));
  }
  out.push('', ...real.notes.map((n) => `note: ${n}`), '');
  const simLabelOnly = sim.filter((j) => j.truth.labelOnlyWhy !== undefined);
  if (simLabelOnly.length > 0) {
    out.push('label-only in the simulated homes: fields the traffic the simulator writes for a device does not carry (its profile in');
    out.push('data/device-profiles.json, its host name and MAC, read with the shipped knowledge base), scored as label-only fields are:');
    for (const j of simLabelOnly) out.push(`  ${j.truth.source} ${j.truth.mac} ${j.truth.vendor} ${j.truth.category}: ${j.truth.labelOnlyWhy}`);
    out.push('');
  }
  const carries = (js: readonly Judged[]): Judged[] => js.filter((j) => !j.truth.labelOnly.vendor && !j.truth.labelOnly.category);
  out.push(
    summary('real captures, all labelled devices', real.judged),
    summary('real captures, devices the wire carries', carries(real.judged)),
    summary('simulated homes (devices and routers)', sim),
    summary('simulated homes, devices the wire carries', carries(sim)),
    summary('all', all),
    '',
    ...calibration(all),
  );
  process.stdout.write(out.join('\n') + '\n');
}

await main();
