import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventsCsv, readEventsCsv } from '../attack/events-csv.js';
import { formatUsageCsv, isoTimeUs, USAGE_CSV_HEADER, writeUsageCsv } from './usage-csv.js';
import type { DetectedUse } from './detected-use.js';

const EVENTS: DetectedUse[] = [
  { timeUs: 1793603341235509, endUs: 1793603341900000, device: '78:9c:85:12:34:01', kind: 'lock', packets: 8, bytes: 1870, direction: 'both', confidence: 0.93 },
  { timeUs: 1793603400000000, endUs: 1793603400100000, device: '24:fd:5b:02:7c:31', kind: 'other', packets: 4, bytes: 400, direction: 'up', confidence: 0.7 },
  { timeUs: 1793603401000001, endUs: 1793603401100000, device: 'ec:b5:fa:19:70:03', kind: 'door', packets: 3, bytes: 300, direction: 'up', confidence: 0.6 },
];

test('isoTimeUs() writes UTC ISO 8601 with six decimals', () => {
  assert.equal(isoTimeUs(1793603341235509), '2026-11-02T07:09:01.235509Z');
  assert.equal(isoTimeUs(1793603400000000), '2026-11-02T07:10:00.000000Z');
  assert.equal(isoTimeUs(999), '1970-01-01T00:00:00.000999Z');
});

test('formatUsageCsv() writes the header and one line per use: time, device, kind, packets, bytes', () => {
  const lines = formatUsageCsv(EVENTS).split('\n');
  assert.equal(lines[0], USAGE_CSV_HEADER);
  assert.equal(lines[1], '2026-11-02T07:09:01.235509Z,78:9c:85:12:34:01,lock,8,1870');
  assert.equal(lines.length, EVENTS.length + 2);
  assert.equal(lines.at(-1), '');
});

test('A usage CSV reads back through the attack reader exactly: times to the microsecond, devices, kinds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'usage-csv-'));
  try {
    const file = join(dir, 'uses.csv');
    writeUsageCsv(file, EVENTS);
    const back = readEventsCsv(file);
    assert.equal(back.labelled, false);
    assert.equal(back.unknownKinds.size, 0);
    assert.deepEqual(
      back.events.map((e) => [e.timeUs, e.device, e.kind]),
      EVENTS.map((e) => [e.timeUs, e.device, e.kind]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('An empty list of uses is a header the attack reader accepts', () => {
  assert.deepEqual(parseEventsCsv(formatUsageCsv([]), 'none.csv').events, []);
});
