// `peephole devices` on the network-namespace recording (test/support/loopback/dhcp-netns.ts): after its
// DHCP lease each device asked dnsmasq for a name of its vendor's cloud and opened TLS to the answer, from
// its own MAC. Each device must be named with the vendor and category that data/vendor-rules.tsv gives
// that name, read here from the table's rows themselves, with the DNS question and the TLS server name
// cited as evidence under the row's line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CAPTURE_FORMATS } from './support/capture-formats.js';
import { loopbackManifestOrSkip, recordingPath } from './support/loopback-recordings.js';
import { DHCP_DEVICES, RECORDINGS } from './support/loopback/plan.js';
import { PEEPHOLE_BIN, REPO_ROOT } from './support/paths.js';

const RULES_FILE = path.join(REPO_ROOT, 'data', 'vendor-rules.tsv');
const SUBDOMAINS_ONLY = '*.';
/** The table's category for a vendor whose products span several kinds: peephole reports no category. */
const GENERIC = 'generic';
const MIN_CONFIDENCE = 0.5;

interface TableRow {
  readonly line: number;
  readonly pattern: string;
  readonly vendor: string;
  readonly category: string;
}

/** The rows of the rules table, each with its 1-based line number (comments and the header skipped). */
function tableRows(): TableRow[] {
  const rows: TableRow[] = [];
  readFileSync(RULES_FILE, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '' || text.startsWith('#') || text.startsWith('pattern\t')) return;
      const [pattern = '', vendor = '', category = ''] = text.split('\t');
      rows.push({ line: index + 1, pattern, vendor, category });
    });
  return rows;
}

/** The row the table's header says applies to `name`: the longest pattern it matches. */
function rowFor(rows: readonly TableRow[], name: string): TableRow | undefined {
  const matches = rows.filter((row) => {
    const subdomainsOnly = row.pattern.startsWith(SUBDOMAINS_ONLY);
    const suffix = subdomainsOnly ? row.pattern.slice(SUBDOMAINS_ONLY.length) : row.pattern;
    return name.endsWith(`.${suffix}`) || (!subdomainsOnly && name === suffix);
  });
  return matches.sort((a, b) => b.pattern.length - a.pattern.length)[0];
}

interface ReportedDevice {
  mac: string;
  vendor: string | null;
  category: string | null;
  confidence: number;
  evidence: { kind: string; value: string; rule: { pattern: string; line: number } | null }[];
}

test('peephole devices names each device of the namespace recording by the vendor and category the rules table gives the cloud name it asked DNS for and sent in TLS', (t) => {
  const manifest = loopbackManifestOrSkip(t);
  if (manifest === null) return;
  const plan = RECORDINGS.find((r) => r.name === 'netns-dhcp');
  assert.ok(plan, 'the namespace recording is planned');
  const file = recordingPath(manifest, plan, CAPTURE_FORMATS[0]!);
  const run = spawnSync(process.execPath, [PEEPHOLE_BIN, 'devices', file, '--json'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, run.stderr);
  const reported = new Map((JSON.parse(run.stdout) as { devices: ReportedDevice[] }).devices.map((d) => [d.mac, d]));
  const rows = tableRows();
  for (const device of DHCP_DEVICES) {
    const { name } = device.cloud;
    const row = rowFor(rows, name);
    assert.ok(row, `the rules table has a row for ${name}`);
    const d = reported.get(device.mac);
    assert.ok(d, `no device ${device.mac}`);
    assert.equal(d.vendor, row.vendor, `${device.mac} (${name}, line ${row.line}) vendor`);
    assert.equal(d.category, row.category === GENERIC ? null : row.category, `${device.mac} (${name}, line ${row.line}) category`);
    assert.ok(d.confidence >= MIN_CONFIDENCE, `${device.mac} confidence ${d.confidence}`);
    for (const kind of ['dns_query', 'tls_server_name']) {
      const cited: ReportedDevice['evidence'][number] | undefined = d.evidence.find((e) => e.kind === kind && e.value === name);
      assert.ok(cited, `${device.mac}: no ${kind} evidence for ${name}`);
      assert.deepEqual(cited.rule && { pattern: cited.rule.pattern, line: cited.rule.line }, { pattern: row.pattern, line: row.line }, `${device.mac}: ${kind} cites its row`);
    }
  }
  const others = [...reported.values()].filter((d) => !DHCP_DEVICES.some((device) => device.mac === d.mac));
  for (const other of others) {
    assert.equal(other.vendor, null, `${other.mac} (the server's bridge) is named by nothing it asked for`);
  }
});
