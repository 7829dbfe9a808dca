import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_CSV_HEADER, eventCsvLine } from '../home/simulate.js';
import type { SimulatedUse } from '../home/types.js';
import { Random } from '../core/random.js';
import { EventsCsvError, eventsCsvUses, isoZuluTimeUs, parseEventsCsv, parseEventTime, parseEventTimeByPattern, readEventsCsv, scanEventsCsv } from './events-csv.js';

const T0_US = Date.UTC(2026, 10, 2, 7) * 1000;

function fails(text: string, pattern: RegExp, line: number): void {
  assert.throws(
    () => parseEventsCsv(text, 'events.csv'),
    (e: unknown) => e instanceof EventsCsvError && e.file === 'events.csv' && e.line === line && pattern.test(e.message),
  );
}

test('parseEventTime() reads ISO 8601 with Z or an offset, to the microsecond', () => {
  assert.deepEqual(parseEventTime('2026-11-02T07:00:00Z'), { ok: true, timeUs: T0_US });
  assert.deepEqual(parseEventTime('2026-11-02T08:00:00+01:00'), { ok: true, timeUs: T0_US });
  assert.deepEqual(parseEventTime('2026-11-02T02:30-0430'), { ok: true, timeUs: T0_US });
  assert.deepEqual(parseEventTime('2026-11-02 07:00:00.123456789Z'), { ok: true, timeUs: T0_US + 123_456 });
  assert.deepEqual(parseEventTime('2026-11-02T07:00:00,5z'), { ok: true, timeUs: T0_US + 500_000 });
});

test('parseEventTime() reads epoch seconds with decimals, cut to the microsecond', () => {
  const seconds = T0_US / 1e6;
  assert.deepEqual(parseEventTime(`${seconds}`), { ok: true, timeUs: T0_US });
  assert.deepEqual(parseEventTime(`${seconds}.25`), { ok: true, timeUs: T0_US + 250_000 });
  assert.deepEqual(parseEventTime(`${seconds}.0000019`), { ok: true, timeUs: T0_US + 1 });
  assert.deepEqual(parseEventTime(' 0 '), { ok: true, timeUs: 0 });
});

test('parseEventTime() refuses words, times without a zone, impossible dates and exponents', () => {
  const problem = (cell: string): string => {
    const r = parseEventTime(cell);
    assert.equal(r.ok, false, cell);
    return r.ok ? '' : r.problem;
  };
  assert.equal(problem('yesterday'), 'time "yesterday" is neither ISO 8601 nor epoch seconds');
  assert.match(problem('2026-11-02T07:00:00'), /has no time zone/);
  assert.match(problem('2026-02-29T07:00Z'), /not a valid date/);
  assert.match(problem('2026-11-02T24:00Z'), /not a valid date/);
  assert.match(problem('2026-11-02T07:00+25:00'), /not a valid date/);
  assert.match(problem('1.7e9'), /neither ISO 8601/);
  assert.match(problem('-5'), /neither ISO 8601/);
  assert.match(problem('99999999999'), /outside 1970 to 2255/);
  assert.match(problem('bad\u0007bell'), /"bad\\x07bell"/);
});

test('parseEventsCsv() reads columns in any order, ignores others and sorts uses by time, stably', () => {
  const text = 'kind,note,device,time\nlight,x,hall,2026-11-02T07:05:00Z\nlock,,front,1793602800\nlight,,kitchen,2026-11-02T08:00:00+01:00\n';
  const parsed = parseEventsCsv(text, 'events.csv');
  assert.equal(parsed.labelled, false);
  assert.deepEqual(parsed.events, [
    { timeUs: T0_US, device: 'front', kind: 'lock' },
    { timeUs: T0_US, device: 'kitchen', kind: 'light' },
    { timeUs: T0_US + 300e6, device: 'hall', kind: 'light' },
  ]);
  assert.equal(parsed.unknownKinds.size, 0);
});

test('parseEventsCsv() maps contact to door, hub to other and counts unknown kinds without failing', () => {
  const text = 'time,device,kind\n0,a,contact\n1,b,hub\n2,c,Television\n3,d,Television\n4,e,\n5,f,LIGHT\n';
  const parsed = parseEventsCsv(text, 'events.csv');
  assert.deepEqual(parsed.events.map((e) => e.kind), ['door', 'other', 'other', 'other', 'other', 'light']);
  assert.deepEqual([...parsed.unknownKinds], [['Television', 2], ['', 1]]);
});

test('parseEventsCsv() keeps device ids as data, whatever they hold', () => {
  const text = 'time,device,kind\n0,"=cmd|\' /C calc\'!A0",plug\n1,__proto__,light\n2,"a,b ""c""",lock\n';
  const parsed = parseEventsCsv(text, 'events.csv');
  assert.deepEqual(parsed.events.map((e) => e.device), ["=cmd|' /C calc'!A0", '__proto__', 'a,b "c"']);
});

test("parseEventsCsv() reads the simulator's events.csv and keeps cause as the label", () => {
  const uses: SimulatedUse[] = [
    { timeUs: T0_US + 1, device: 'hall-light', kind: 'light', action: 'on', cause: 'wake_up', resident: 'ana' },
    { timeUs: T0_US + 90 * 60e6, device: 'front-door', kind: 'contact', action: 'open', cause: 'leave_home', resident: 'ana' },
    { timeUs: T0_US + 100 * 60e6, device: 'hub', kind: 'hub', action: 'motion', cause: 'noise', resident: '' },
    { timeUs: T0_US + 180 * 60e6, device: 'kettle', kind: 'plug', action: 'on', cause: 'cover', resident: '' },
  ];
  const text = [EVENTS_CSV_HEADER, ...uses.map(eventCsvLine)].join('\n') + '\n';
  const parsed = parseEventsCsv(text, 'events.csv');
  assert.equal(parsed.labelled, true);
  assert.deepEqual(parsed.events, [
    { timeUs: T0_US, device: 'hall-light', kind: 'light', cause: 'wake_up' },
    { timeUs: T0_US + 90 * 60e6, device: 'front-door', kind: 'door', cause: 'leave_home' },
    { timeUs: T0_US + 100 * 60e6, device: 'hub', kind: 'other', cause: 'noise' },
    { timeUs: T0_US + 180 * 60e6, device: 'kettle', kind: 'plug', cause: 'cover' },
  ]);
});

test('parseEventsCsv() names the file and line of a bad time, a bad cause, a short row or an empty device', () => {
  fails('time,device,kind\n0,a,light\n\nyesterday,b,lock\n', /^events\.csv:4: time "yesterday" is neither ISO 8601 nor epoch seconds$/, 4);
  fails('time,device,kind,cause\n0,a,light,wake_up\n1,b,light,dancing\n', /^events\.csv:3: cause "dancing" is none of wake_up, leave_home, return_home, leave_temporarily, go_to_bed, noise, cover$/, 3);
  fails('time,device,kind\n0,a\n', /^events\.csv:2: 2 cells, but the header has 3$/, 2);
  fails('time,device,kind\n0,,light\n', /^events\.csv:2: device is empty$/, 2);
  fails('time,device,kind\n"0,a,light\n', /^events\.csv:2: a quoted cell is never closed$/, 2);
});

test('parseEventsCsv() names a missing or doubled column and refuses an empty file', () => {
  fails('time,device\n0,a\n', /^events\.csv:1: no "kind" column: the header has "time", "device"; it needs time, device, kind$/, 1);
  fails('when,device,kind\n0,a,light\n', /no "time" column/, 1);
  fails('time,device,kind,Kind\n0,a,light,lock\n', /names the column "kind" twice/, 1);
  fails('', /^events\.csv:1: empty file: expected a header with the columns time, device, kind$/, 1);
  fails('\n\n', /empty file/, 1);
  assert.deepEqual(parseEventsCsv('time,device,kind\n', 'events.csv').events, []);
  // Blank lines between rows are skipped but still counted.
  assert.equal(parseEventsCsv(' Time , DEVICE ,kind\r\n\r\n0,a,lock\r\n', 'events.csv').events.length, 1);
});

test('readEventsCsv() reads a file and names it in errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peephole-events-'));
  const good = join(dir, 'good.csv');
  writeFileSync(good, 'time,device,kind\n1793602800.5,door,lock\n');
  assert.deepEqual(readEventsCsv(good).events, [{ timeUs: T0_US + 500_000, device: 'door', kind: 'lock' }]);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'time,device,kind\nnever,door,lock\n');
  assert.throws(() => readEventsCsv(bad), (e: unknown) => e instanceof EventsCsvError && e.message.startsWith(`${bad}:2: time "never"`));
});

test('isoZuluTimeUs() reads the usual form of a time as the patterns do, and leaves every other cell to them', () => {
  const random = new Random(11);
  const pieces = ['2026', '1970', '1969', '0099', '2024', '-', '02', '13', '00', '29', '30', '31', 'T', 't', ' ', '07', '23', '24', ':', '59', '60', '.', ',', '5', '123456', '1234567891', '', 'Z', 'z', '+01:00', 'x'];
  const forms = ['2026-11-02T07:00:00Z', '2024-02-29T23:59:59.999999999z', '2026-11-02 07:00Z', '2026-11-02T07:00:00,5Z', '1970-01-01T00:00:00Z'];
  for (let i = 0; i < 50_000; i++) {
    let cell: string;
    if (i < forms.length) cell = forms[i];
    else {
      // A usual form with one to three characters or pieces changed.
      const chars = [...forms[random.int(0, forms.length - 1)]];
      for (let k = random.int(1, 3); k > 0; k--) chars.splice(random.int(0, chars.length), random.int(0, 2), random.pick(pieces));
      cell = chars.join('');
    }
    const quick = isoZuluTimeUs(cell);
    const slow = parseEventTimeByPattern(cell);
    if (quick >= 0) assert.deepEqual(slow, { ok: true, timeUs: quick }, cell);
    assert.deepEqual(parseEventTime(cell), slow, cell);
  }
  assert.equal(isoZuluTimeUs('2026-11-02T07:00:00.123456789Z'), T0_US + 123_456);
  assert.equal(isoZuluTimeUs('2026-11-02T08:00:00+01:00'), -1, 'an offset is left to the patterns');
});

function csvFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'peephole-events-')), 'events.csv');
  writeFileSync(path, text);
  return path;
}

test('scanEventsCsv() and eventsCsvUses() read a file twice, a piece at a time, to the uses readEventsCsv() reads', () => {
  const random = new Random(5);
  const kinds = ['light', 'lock', 'contact', 'hub', 'toaster'];
  for (const sorted of [true, false]) {
    const rows: string[] = [];
    // Tenths of a second: some uses at one instant.
    let tenths = 17936028000;
    for (let i = 0; i < 3000; i++) {
      tenths += sorted ? random.int(0, 3) : random.int(-20, 20);
      rows.push(`${(tenths / 10).toFixed(1)},dev-${random.int(0, 30)}-${'x'.repeat(random.int(0, 20))},${random.pick(kinds)},${random.pick(['', 'noise', 'wake_up'])}`);
    }
    const path = csvFile(`time,device,kind,cause\n${rows.join('\n')}\n`);
    const whole = readEventsCsv(path);
    const scan = scanEventsCsv(path);
    assert.deepEqual(
      { uses: scan.uses, labelled: scan.labelled, unknownKinds: scan.unknownKinds, sorted: scan.sorted },
      { uses: whole.events.length, labelled: true, unknownKinds: whole.unknownKinds, sorted },
    );
    // Unsorted, in runs of 7 uses merged back: the stable order of one sort.
    const runs: string[] = [];
    assert.deepEqual([...eventsCsvUses(scan, { runUses: 7, onRun: (f) => runs.push(f) })], whole.events);
    assert.equal(runs.length, sorted ? 0 : Math.ceil(3000 / 7));
    for (const f of runs) assert.equal(existsSync(f), false, `${f} is removed`);
  }
});

test('scanEventsCsv() refuses what readEventsCsv() refuses, with the same error: a CSV syntax error anywhere comes first', () => {
  const texts = [
    'time,device,kind\n0,a,light\nyesterday,b,lock\n1,c,"never closed\n',
    'time,device,kind\nyesterday,b,lock\n1,c,light\n',
    'time,device\n0,a\n',
    'time,device,kind\n0,a\n',
    '\n\n',
    'time,device,kind,cause\n0,a,light,dancing\n',
  ];
  for (const text of texts) {
    const path = csvFile(text);
    let expected: Error | null = null;
    try {
      readEventsCsv(path);
    } catch (err) {
      expected = err as Error;
    }
    assert.ok(expected instanceof EventsCsvError, text);
    assert.throws(() => scanEventsCsv(path), (e: unknown) => e instanceof EventsCsvError && e.message === expected!.message && e.line === (expected as EventsCsvError).line, text);
  }
  assert.throws(() => scanEventsCsv(join(tmpdir(), 'peephole-no-such-dir', 'x.csv')), { name: 'FileAccessError', message: /x\.csv: cannot be read: no such file \(ENOENT\)/ });
});

test('scanEventsCsv() reads a pipe once, whole: its uses are those of the file', () => {
  const path = csvFile('time,device,kind\n2026-11-02T07:05:00Z,hall,light\n1793602800,front,lock\n');
  const fifo = join(mkdtempSync(join(tmpdir(), 'peephole-events-')), 'pipe.csv');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', path, fifo], { stdio: 'ignore' });
  const scan = scanEventsCsv(fifo);
  assert.equal(scan.uses, 2);
  assert.deepEqual([...eventsCsvUses(scan)], readEventsCsv(path).events);
  writer.kill();
});
