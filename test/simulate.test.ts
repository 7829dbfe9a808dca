// End-to-end tests of `peephole simulate` as a user runs it: the files it writes, byte-identical for a
// seed; every vantage's capture read by tshark without an expert warning; the DNS names and TLS
// server names on the wire are the spec's; `peephole devices` finds exactly the spec's devices with
// their vendors; a bad spec is refused naming its field; the published data regenerated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILTIN_HOMES, loadHomeSpec } from '../src/home/spec.js';
import { loadDeviceProfiles, profileFor } from '../src/home/traffic/index.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-simulate-'));

function peephole(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [PEEPHOLE_BIN, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString();
}

const simulated = new Set<string>();

/** Runs `peephole simulate` once per set of arguments (its outputs are reused by later tests). */
function simulate(home: string, vantage: string, seed: number, days: number, format = 'pcapng'): string {
  const out = path.join(dir, `${home}-${vantage}-${seed}-${days}-${format}`);
  if (simulated.has(out)) return out;
  simulated.add(out);
  const r = peephole(['simulate', '--home', home, '--days', String(days), '--seed', String(seed), '--vantage', vantage, '--format', format, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

/** The expert-info entries tshark reports at warning or error severity (malformed packets and the like). */
function expertProblems(capture: string): string[] {
  const text = tshark(['-r', capture, '-q', '-z', 'expert,warn']);
  return text.split('\n').filter((l) => /^\s+\d+\s+\S+\s+\S+\s+/.test(l) && !/Frequency/.test(l));
}

function distinctField(capture: string, field: string): Set<string> {
  const text = tshark(['-r', capture, '-T', 'fields', '-e', field, '-E', 'occurrence=a', '-E', 'aggregator=,']);
  return new Set(text.split(/[\n,]/).filter((s) => s !== ''));
}

test('the expert check used below finds a malformed packet', () => {
  // A DNS answer cut short inside its question: tshark marks it malformed.
  const bad = path.join(dir, 'malformed.pcap');
  const dns = Buffer.from('abcd81800001000100000000076578616d706c6503636f', 'hex');
  const udp = Buffer.alloc(8 + dns.length);
  udp.writeUInt16BE(53, 0);
  udp.writeUInt16BE(40000, 2);
  udp.writeUInt16BE(udp.length, 4);
  dns.copy(udp, 8);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + udp.length, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9);
  Buffer.from([192, 168, 1, 1, 192, 168, 1, 2]).copy(ip, 12);
  const frame = Buffer.concat([Buffer.alloc(12, 2), Buffer.from([0x08, 0x00]), ip, udp]);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const record = Buffer.alloc(16);
  record.writeUInt32LE(1_700_000_000, 0);
  record.writeUInt32LE(frame.length, 8);
  record.writeUInt32LE(frame.length, 12);
  writeFileSync(bad, Buffer.concat([header, record, frame]));
  assert.ok(expertProblems(bad).length > 0, tshark(['-r', bad, '-q', '-z', 'expert,warn']));
});

test('peephole simulate writes the same bytes for the same seed, and other bytes for another seed', () => {
  const files = ['activities.csv', 'events.csv', 'capture.pcapng'];
  const a = simulate('family', 'lan', 7, 2);
  // Another run with the same arguments, into another folder: the outputs are compared byte for byte.
  const c = path.join(dir, 'family-again');
  assert.equal(peephole(['simulate', '--home', 'family', '--days', '2', '--seed', '7', '--out', c]).status, 0);
  for (const f of files) {
    assert.ok(readFileSync(path.join(a, f)).equals(readFileSync(path.join(c, f))), `${f} differs between two runs`);
  }
  const other = simulate('family', 'lan', 8, 2);
  for (const f of files) assert.ok(!readFileSync(path.join(a, f)).equals(readFileSync(path.join(other, f))), `${f} is the same for seeds 7 and 8`);
});

test('peephole simulate writes activities.csv with the published class ids and events.csv with causes', () => {
  const out = simulate('couple-shifts', 'lan', 3, 3, 'none');
  const activities = readFileSync(path.join(out, 'activities.csv'), 'utf8').trim().split('\n');
  assert.equal(activities[0], 'time,time_epoch,resident,activity,activity_id');
  const ids: Record<string, string> = { wake_up: '0', leave_home: '1', return_home: '2', leave_temporarily: '3', go_to_bed: '4' };
  assert.ok(activities.length > 10);
  for (const line of activities.slice(1)) {
    const [time, epoch, , activity, id] = line.split(',');
    assert.equal(ids[activity], id, line);
    assert.equal(Math.floor(Date.parse(time) / 1000), Math.floor(Number(epoch)), line);
  }
  const events = readFileSync(path.join(out, 'events.csv'), 'utf8').trim().split('\n');
  assert.equal(events[0], 'time,time_epoch,device,kind,action,cause,resident');
  const causes = new Set(events.slice(1).map((l) => l.split(',')[5]));
  assert.ok(causes.has('noise') && causes.has('wake_up') && causes.has('go_to_bed'), [...causes].join(' '));
  assert.deepEqual(readdirSync(out).sort(), ['activities.csv', 'events.csv'], '--format none writes no capture');
});

for (const vantage of ['lan', 'wan', 'wifi'] as const) {
  test(`every built-in home's ${vantage} capture opens in tshark with no warning or error`, () => {
    for (const home of BUILTIN_HOMES) {
      const out = simulate(home, vantage, 5, 1);
      assert.deepEqual(expertProblems(path.join(out, 'capture.pcapng')), [], `${home} ${vantage}`);
    }
    // pcap holds the same frames: one home is enough to show the format itself raises nothing.
    const pcap = simulate('sensor-rich', vantage, 5, 1, 'pcap');
    assert.deepEqual(expertProblems(path.join(pcap, 'capture.pcap')), [], `sensor-rich ${vantage} pcap`);
  });
}

test('peephole simulate --home random:SEED writes the home it drew as home.yaml, which lives the same bytes again, and tshark reads its captures without a warning', () => {
  // random:3 is a sensor home (an alarm relaying motion sensors, door, cupboard and appliance contacts and a bed mat).
  const out = simulate('random:3', 'lan', 5, 1);
  const spec = readFileSync(path.join(out, 'home.yaml'), 'utf8');
  assert.match(spec, /^# A random home, drawn by peephole from seed 3/);
  assert.ok(/kind: interior/.test(spec) && /kind: pressure/.test(spec), 'a sensor home');
  const again = path.join(dir, 'random-3-again');
  const r = peephole(['simulate', '--home', path.join(out, 'home.yaml'), '--days', '1', '--seed', '5', '--out', again]);
  assert.equal(r.status, 0, r.stderr);
  for (const file of ['activities.csv', 'events.csv', 'capture.pcapng']) assert.ok(readFileSync(path.join(out, file)).equals(readFileSync(path.join(again, file))), file);
  assert.match(peephole(['simulate', '--home', 'random:3', '--days', '1', '--seed', '5', '--format', 'none', '--out', path.join(dir, 'random-3-text')]).stdout, /^ {2}home {8}\S+home\.yaml \(A random home \(seed 3\)/m);
  for (const vantage of ['lan', 'wan', 'wifi'] as const) {
    assert.deepEqual(expertProblems(path.join(simulate('random:3', vantage, 5, 1), 'capture.pcapng')), [], `random:3 ${vantage}`);
  }
  const bad = peephole(['simulate', '--home', 'random:12x', '--out', path.join(dir, 'bad-random')]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'peephole: random:12x: expected random:SEED with a seed from 0 to 4294967295\n');
});

test("the DNS names and TLS server names on the LAN and WAN are the ones the spec's devices use; Wi-Fi shows none", () => {
  const profiles = loadDeviceProfiles();
  for (const home of BUILTIN_HOMES) {
    const spec = loadHomeSpec(home);
    const expected = new Set<string>();
    const sni = new Set<string>();
    spec.devices.forEach((d, i) => {
      if (d.via !== undefined) return;
      const p = profileFor(profiles, home, i, d);
      for (const n of p.dns) expected.add(n.name);
      for (const s of p.sessions) sni.add(s.name);
    });
    for (const vantage of ['lan', 'wan']) {
      const capture = path.join(simulate(home, vantage, 5, 1), 'capture.pcapng');
      assert.deepEqual([...distinctField(capture, 'dns.qry.name')].sort(), [...expected].sort(), `${home} ${vantage}: DNS names`);
      assert.deepEqual([...distinctField(capture, 'tls.handshake.extensions_server_name')].sort(), [...sni].sort(), `${home} ${vantage}: SNIs`);
    }
    const wifi = path.join(simulate(home, 'wifi', 5, 1), 'capture.pcapng');
    assert.equal(distinctField(wifi, 'dns.qry.name').size, 0, `${home} wifi shows DNS in clear`);
    assert.equal(distinctField(wifi, 'wlan.fc.protected').size, 1, `${home} wifi frames are all protected`);
  }
});

test("peephole devices on a simulated LAN capture finds exactly the spec's devices, each with the spec's vendor", () => {
  for (const home of BUILTIN_HOMES) {
    const spec = loadHomeSpec(home);
    const capture = path.join(simulate(home, 'lan', 2, 1), 'capture.pcapng');
    const r = peephole(['devices', '--json', capture]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { devices: { mac: string; vendor: string | null; category: string }[] };
    const found = report.devices.filter((d) => d.category !== 'router');
    const want = spec.devices.filter((d) => d.via === undefined);
    assert.deepEqual(found.map((d) => d.mac).sort(), want.map((d) => d.mac!.toLowerCase()).sort(), home);
    for (const d of want) {
      const f = found.find((x) => x.mac === d.mac!.toLowerCase())!;
      assert.equal(f.vendor, d.vendor, `${home} ${d.id}`);
    }
  }
});

test('peephole simulate refuses a bad spec with exit 1, naming the file and the field', () => {
  const spec = path.join(dir, 'bad-home.yaml');
  const text = readFileSync(path.join(REPO_ROOT, 'data', 'homes', 'paper.yaml'), 'utf8').replace(/(\n\s+- \{[^\n]*\bmac: )"?[0-9a-f:]{17}"?/i, '$1"zz:zz"');
  assert.notEqual(text, readFileSync(path.join(REPO_ROOT, 'data', 'homes', 'paper.yaml'), 'utf8'), 'the fixture edit found a device MAC');
  writeFileSync(spec, text);
  const r = peephole(['simulate', '--home', spec, '--days', '1', '--out', path.join(dir, 'bad')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^peephole: .*bad-home\.yaml: devices\[\d\]\.mac: .+\n$/);
  const missing = peephole(['simulate', '--home', 'no-such-home', '--days', '1', '--out', path.join(dir, 'bad')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no-such-home/);
  const usage = peephole(['simulate', '--vantage', 'moon', '--out', path.join(dir, 'bad')]);
  assert.equal(usage.status, 2);
});

test('peephole simulate --preset paper writes exactly 135,668 training records and the 8 published scenarios', () => {
  const out = path.join(dir, 'paper');
  const r = peephole(['simulate', '--preset', 'paper', '--seed', '1', '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(path.join(out, 'training.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'time,device_light,device_lock,device_alarm,used_before_5h,used_after_5h,lock_30min,lock_1h,lock_2h,lock_3h,user_activity');
  assert.equal(lines.length - 1, 135_668);
  const labels = new Map<string, number>();
  for (const l of lines.slice(1)) {
    const cells = l.split(',');
    assert.equal(cells.length, 11);
    labels.set(cells[10], (labels.get(cells[10]) ?? 0) + 1);
  }
  assert.deepEqual([...labels.keys()].sort(), ['0', '1', '2', '3', '4']);
  const scenarios = readFileSync(path.join(out, 'scenarios.csv'), 'utf8').trim().split('\n').slice(1);
  assert.deepEqual(
    scenarios.map((l) => l.split(',')[4]),
    ['wake_up', 'wake_up', 'leave_home', 'leave_home', 'leave_temporarily', 'leave_temporarily', 'return_home', 'go_to_bed'],
  );
  for (const line of scenarios) {
    const cells = line.split(',');
    const sdir = path.join(out, cells[7]);
    const rows = readFileSync(path.join(sdir, 'rows.csv'), 'utf8').trim().split('\n').slice(1);
    assert.equal(rows.length, Number(cells[6]));
    assert.ok(rows.length > 0 && rows.every((row) => row.endsWith(`,${cells[5]}`)), `${cells[0]}: every row carries the scenario's class`);
    assert.deepEqual(expertProblems(path.join(sdir, 'capture.pcapng')), [], cells[0]);
  }
  // The same seed gives the same training set.
  const again = path.join(dir, 'paper-again');
  assert.equal(peephole(['simulate', '--preset', 'paper', '--seed', '1', '--out', again]).status, 0);
  assert.ok(readFileSync(path.join(out, 'training.csv')).equals(readFileSync(path.join(again, 'training.csv'))));
});
