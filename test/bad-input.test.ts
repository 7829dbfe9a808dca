// Bad input at the command line, command by command, through the built `peephole`: every problem with
// a file or a value the user gave exits 1 (2 for a mistake in how the command was called) with exactly
// one line on stderr that names the file and the byte offset, line or field (or the option), and
// never a stack trace or an "internal error".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-bad-input-'));
const at = (name: string): string => path.join(dir, name);

function peephole(args: string[], stdout?: number): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 26, stdio: ['pipe', stdout ?? 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr.toString() };
}

const BAD_INPUT = 1;
const USAGE = 2;

/** Runs `args` and checks the exit code and the one line on stderr, which must match `names`. */
function refuses(args: string[], code: number, names: RegExp, stdout?: number): void {
  const r = peephole(args, stdout);
  const what = `peephole ${args.join(' ')}\n${r.stderr}`;
  assert.equal(r.status, code, what);
  assert.ok(r.stderr.endsWith('\n'), what);
  const lines = r.stderr.slice(0, -1).split('\n');
  assert.equal(lines.length, 1, `not one line: ${what}`);
  assert.match(lines[0], /^peephole: /, what);
  assert.match(lines[0], names, what);
  assert.doesNotMatch(lines[0], /internal error/, what);
  assert.doesNotMatch(r.stderr, /^\s+at /m, what);
}

// One simulated day of the paper home: a capture, its events.csv and activities.csv.
const sim = at('sim');
{
  const r = peephole(['simulate', '--home', 'paper', '--days', '1', '--seed', '3', '--out', sim]);
  assert.equal(r.status, 0, r.stderr);
}
const capture = path.join(sim, 'capture.pcapng');
const captureBytes = readFileSync(capture);
const emptyFile = at('empty.pcap');
writeFileSync(emptyFile, '');
const cutFile = at('cut.pcapng');
writeFileSync(cutFile, captureBytes.subarray(0, captureBytes.length - 7));
const textFile = at('notes.pcap');
writeFileSync(textFile, 'these are notes, not a capture\n');
const folder = at('folder');
mkdirSync(folder);
const missing = at('missing.pcap');

// A model folder of the rules preset (a manifest alone): quick to build, and enough to read data.
const rulesModel = at('rules-model');
{
  const r = peephole(['train', '--preset', 'rules', '--out', rulesModel]);
  assert.equal(r.status, 0, r.stderr);
}

for (const command of ['packets', 'inspect', 'timeline']) {
  const extra = command === 'timeline' ? ['--csv', at('timeline.csv')] : [];
  test(`peephole ${command}: a missing file, a folder, an empty file, a cut or foreign capture exit 1 naming the file and offset`, () => {
    refuses([command, missing, ...extra], BAD_INPUT, /missing\.pcap: .*no such file \(ENOENT\)/);
    refuses([command, folder, ...extra], BAD_INPUT, /folder: .*is a directory/);
    refuses([command, emptyFile, ...extra], BAD_INPUT, /empty\.pcap: Empty file: .*at offset 0/);
    refuses([command, cutFile, ...extra], BAD_INPUT, /cut\.pcapng: .*at offset \d+: 7 byte\(s\) missing/);
    refuses([command, textFile, ...extra], BAD_INPUT, /notes\.pcap: Not a pcap or pcapng capture: .*at offset 0/);
  });
}

test('peephole packets and inspect: a bad option value is a usage error naming the option', () => {
  refuses(['inspect', '--top', 'many', capture], USAGE, /--top needs a whole number, got "many"/);
  refuses(['inspect', '--top', '0', capture], USAGE, /--top needs a whole number above 0, got "0"/);
});

test('peephole packets and inspect: a full disk on stdout exits 1 naming stdout', { skip: !existsSync('/dev/full') && 'no /dev/full' }, () => {
  for (const command of ['packets', 'inspect']) {
    const full = openSync('/dev/full', 'w');
    try {
      refuses([command, capture], BAD_INPUT, /stdout: cannot be written: no space left on the device \(ENOSPC\)/, full);
    } finally {
      closeSync(full);
    }
  }
});

test('peephole timeline: bad option values and a bad --rules file', () => {
  refuses(['timeline', capture, '--csv', '-', '--bin', '0'], USAGE, /--bin needs a whole number above 0/);
  refuses(['timeline', capture, '--plot', at('plot.txt')], USAGE, /--plot writes \.png or \.svg, not ".*plot\.txt"/);
  refuses(['timeline', capture, '--plot', at('plot.svg'), '--width', '100'], USAGE, /--width must be a whole number from 400 to 10000, got 100/);
  // Two days of traffic in 1 s bins are more bins than a plot holds: the option does not fit this file.
  const twoDays = at('two-days');
  assert.equal(peephole(['simulate', '--home', 'paper', '--days', '2', '--seed', '3', '--out', twoDays]).status, 0);
  refuses(['timeline', path.join(twoDays, 'capture.pcapng'), '--csv', '-', '--bin', '1'], USAGE, /--bin 1: .*two-days\/capture\.pcapng: Cannot bin a timeline: 1 s bins over this span make \d+ bins, more than 100000/);
  refuses(['timeline', capture, '--csv', '-', '--rules', at('no-rules.tsv')], BAD_INPUT, /no-rules\.tsv: cannot be read: no such file \(ENOENT\)/);
});

test('peephole devices: a bad line in --rules or --known, or a file that cannot be read, names the file and line', () => {
  const rules = at('rules.tsv');
  writeFileSync(rules, 'pattern\tvendor\tcategory\tproduct\tsource\tdate\nexample.com\tExample\tlight\t\t\t\nbad..name\tExample\tlight\t\t\t\n');
  refuses(['devices', capture, '--rules', rules], BAD_INPUT, /rules\.tsv:3: bad pattern 'bad\.\.name'/);
  refuses(['devices', capture, '--rules', folder], BAD_INPUT, /folder: cannot be read: is a directory, not a file \(EISDIR\)/);
  const known = at('known.tsv');
  writeFileSync(known, '# what I know\n192.168.1.21\thall light\tTuya\tlamp\n');
  refuses(['devices', capture, '--known', known], BAD_INPUT, /known\.tsv:2: unknown category "lamp"/);
  refuses(['devices', capture, '--known', folder], BAD_INPUT, /folder: cannot be read: is a directory/);
  refuses(['devices', textFile], BAD_INPUT, /notes\.pcap: .*at offset 0/);
});

test('peephole simulate: a bad spec field, an unknown home, a start no capture holds, an output it cannot write', () => {
  const spec = parseDocument(readFileSync(path.join(REPO_ROOT, 'data', 'homes', 'family.yaml'), 'utf8')).toJS() as { devices: { mac?: string }[]; start?: string };
  spec.devices[1].mac = 'zz:zz';
  writeFileSync(at('home.json'), JSON.stringify(spec));
  refuses(['simulate', '--home', at('home.json'), '--days', '1', '--out', at('sim-bad')], BAD_INPUT, /home\.json: devices\[1\]\.mac: /);
  refuses(['simulate', '--home', 'atlantis', '--days', '1', '--out', at('sim-bad')], BAD_INPUT, /atlantis: no such file, and not a built-in home/);
  const early = parseDocument(readFileSync(path.join(REPO_ROOT, 'data', 'homes', 'family.yaml'), 'utf8')).toJS() as { start?: string };
  early.start = '1960-01-01';
  writeFileSync(at('early.json'), JSON.stringify(early));
  refuses(['simulate', '--home', at('early.json'), '--days', '1', '--out', at('sim-bad')], BAD_INPUT, /early\.json: start: expected a year from 1970/);
  const blocked = at('sim-blocked');
  mkdirSync(path.join(blocked, 'capture.pcap'), { recursive: true });
  refuses(['simulate', '--home', 'family', '--days', '1', '--format', 'pcap', '--out', blocked], BAD_INPUT, /capture\.pcap: cannot be written: is a directory/);
  refuses(['simulate', '--days', '0', '--out', at('sim-bad')], USAGE, /--days needs a whole number above 0/);
});

const PAPER_HEADER = 'time,device_light,device_lock,device_alarm,used_before_5h,used_after_5h,lock_30min,lock_1h,lock_2h,lock_3h,user_activity';

test('peephole train: a bad --data line, a file of no rows, a folder, a zero option', () => {
  const rows = at('rows.csv');
  writeFileSync(rows, `${PAPER_HEADER}\n420,1,0,0,0,1,0,0,1,1,0\n510,0,one,0,1,0,1,1,1,1,1\n`);
  refuses(['train', '--data', rows, '--out', at('model-bad')], BAD_INPUT, /rows\.csv:3: device_lock "one" is not a number/);
  writeFileSync(at('header.csv'), `${PAPER_HEADER}\n`);
  refuses(['train', '--data', at('header.csv'), '--out', at('model-bad')], BAD_INPUT, /header\.csv:2: no rows after the header/);
  refuses(['train', '--data', folder, '--out', at('model-bad')], BAD_INPUT, /folder: cannot be read: is a directory/);
  refuses(['train', '--home', 'family', '--batch-size', '0', '--out', at('model-bad')], USAGE, /--batch-size needs a whole number above 0/);
  // One row leaves Keras' 80/20 split nothing to learn from.
  writeFileSync(at('one-row.csv'), `${PAPER_HEADER}\n420,0,1,0,0,0,0,0,0,0,0\n`);
  refuses(['train', '--data', at('one-row.csv'), '--out', at('model-bad')], BAD_INPUT, /one-row\.csv: 1 labelled row\(s\): training needs at least 2/);
});

test('peephole train --backend native where the addon cannot load is a usage error saying why', () => {
  writeFileSync(at('rows-native.csv'), `${PAPER_HEADER}\n420,0,1,0,0,0,0,0,0,0,0\n430,1,0,0,0,0,0,0,0,0,4\n`);
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, 'train', '--data', at('rows-native.csv'), '--backend', 'native', '--out', at('model-native')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PEEPHOLE_NATIVE: 'off' },
    encoding: 'utf8',
  });
  assert.equal(r.status, USAGE, r.stderr);
  assert.equal(r.stderr, 'peephole: --backend native: the OpenBLAS addon is not available here (native addon disabled by PEEPHOLE_NATIVE=off); use --backend auto\n');
});

/** A copy of the rules model whose manifest is `text`. */
function brokenModel(name: string, text: string): string {
  const out = at(name);
  cpSync(rulesModel, out, { recursive: true });
  writeFileSync(path.join(out, 'peephole-model.json'), text);
  return out;
}

test('peephole evaluate: a bad model folder, and bad data in a simulate folder or a scenarios folder', () => {
  const broken = brokenModel('model-broken', '{"format": "peephole-model", "version": 1,');
  refuses(['evaluate', '--model', broken, '--sim', sim], BAD_INPUT, /model-broken\/peephole-model\.json: not valid JSON/);
  refuses(['evaluate', '--model', at('no-model'), '--sim', sim], BAD_INPUT, /no-model\/peephole-model\.json: no such file/);

  const events = readFileSync(path.join(sim, 'events.csv'), 'utf8').split('\n');
  const badEvents = at('sim-events');
  mkdirSync(badEvents);
  writeFileSync(path.join(badEvents, 'events.csv'), [events[0], events[1], events[2].replace(/^[^,]*/, 'yesterday'), ...events.slice(3)].join('\n'));
  cpSync(path.join(sim, 'activities.csv'), path.join(badEvents, 'activities.csv'));
  refuses(['evaluate', '--model', rulesModel, '--sim', badEvents], BAD_INPUT, /sim-events\/events\.csv:3: time "yesterday" is neither ISO 8601 nor epoch seconds/);

  const badActivities = at('sim-activities');
  mkdirSync(badActivities);
  cpSync(path.join(sim, 'events.csv'), path.join(badActivities, 'events.csv'));
  writeFileSync(path.join(badActivities, 'activities.csv'), 'time,time_epoch,resident,activity,activity_id\n"2026-11-02,1,r,wake_up,0\n');
  refuses(['evaluate', '--model', rulesModel, '--sim', badActivities], BAD_INPUT, /sim-activities\/activities\.csv:2: a quoted cell is never closed/);

  const scenarios = at('scenarios');
  mkdirSync(path.join(scenarios, 'a'), { recursive: true });
  writeFileSync(path.join(scenarios, 'a', 'events.csv'), 'time,device,kind,cause,in_scenario\n2026-11-02T07:00:00Z,lock,lock,wake_up,1\n');
  writeFileSync(path.join(scenarios, 'scenarios.csv'), 'scenario,activity_id,dir\ns1,0,a\ns1,0,a\n');
  refuses(['evaluate', '--model', rulesModel, '--scenarios', scenarios], BAD_INPUT, /scenarios\.csv:3: scenario "s1" is listed twice \(first on line 2\)/);
  writeFileSync(path.join(scenarios, 'scenarios.csv'), 'scenario,activity_id,dir\ns1,9,a\n');
  refuses(['evaluate', '--model', rulesModel, '--scenarios', scenarios], BAD_INPUT, /scenarios\.csv:2: activity_id "9" is not a class id/);
});

test('peephole attack: a bad events CSV line, a model folder with a broken manifest', () => {
  const events = at('events.csv');
  writeFileSync(events, 'time,device,kind\n2026-11-02T07:00:00Z,lock,lock\n2026-11-02T07:01:00Z,,light\n');
  refuses(['attack', events, '--model', rulesModel], BAD_INPUT, /events\.csv:3: device is empty/);
  writeFileSync(events, 'time,device,kind\n"2026-11-02T07:00:00Z,lock,lock\n');
  refuses(['attack', events, '--model', rulesModel], BAD_INPUT, /events\.csv:2: a quoted cell is never closed/);
  const manifest = JSON.parse(readFileSync(path.join(rulesModel, 'peephole-model.json'), 'utf8')) as Record<string, unknown>;
  const broken = brokenModel('model-columns', JSON.stringify({ ...manifest, columns: 5 }));
  refuses(['attack', capture, '--model', broken], BAD_INPUT, /model-columns\/peephole-model\.json: columns: expected a list of column names/);
  refuses(['attack', capture, '--model', brokenModel('model-cut', '{')], BAD_INPUT, /model-cut\/peephole-model\.json: not valid JSON/);
  refuses(['attack', textFile, '--model', rulesModel], BAD_INPUT, /notes\.pcap: Not a pcap or pcapng capture: .*at offset 0/);
  // A capture cut short: the day from what was read is printed, then the damage (it exited 0 silently).
  const cut = peephole(['attack', cutFile, '--model', rulesModel]);
  assert.match(cut.stdout, /^peephole attack: \d+ uses found in .*cut\.pcapng/);
  refuses(['attack', cutFile, '--model', rulesModel], BAD_INPUT, /cut\.pcapng: .*at offset \d+: 7 byte\(s\) missing/);
});

test('peephole attack: a packet dated past 2112 is left out of the uses and reported with its offset (it exited 70)', () => {
  // The 10th enhanced packet block gets a timestamp's high word of 2^30: past 2^52 µs at the
  // simulator's resolution, too far for the µs differences a burst log keeps exactly.
  const bytes = Buffer.from(captureBytes);
  let at10 = -1;
  for (let off = 0, epbs = 0; off + 8 <= bytes.length; off += bytes.readUInt32LE(off + 4)) {
    if (bytes.readUInt32LE(off) === 6 && ++epbs === 10) {
      at10 = off;
      break;
    }
  }
  assert.ok(at10 > 0, 'the simulated capture has 10 packets');
  bytes.writeUInt32LE(2 ** 30, at10 + 12);
  const future = at('future.pcapng');
  writeFileSync(future, bytes);
  const r = peephole(['attack', future, '--model', rulesModel]);
  assert.match(r.stdout, /^peephole attack: \d+ uses found in .*future\.pcapng/);
  refuses(['attack', future, '--model', rulesModel], BAD_INPUT, new RegExp(`future\\.pcapng: 1 packet\\(s\\) with a time the attack cannot place .*packet 10 at offset ${at10},`));
});

test('peephole study: a bad --days is a usage error naming the option', () => {
  refuses(['study', '--days', '0', '--out', at('study')], USAGE, /--days needs a whole number above 0, got "0"/);
  refuses(['study', '--days', 'two', '--out', at('study')], USAGE, /--days needs a whole number, got "two"/);
});
