// Every knowledge-base table is validated when `peephole devices` loads it: a copy of the built
// command beside a copy of data/ with one bad row appended to one table stops with one line naming
// that table's file and line (exit 1), never a stack trace and never an answer from a damaged table.
// The copy lives under test/.cache/ (git-ignored) so that the command still finds its node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SHARED_CAPTURES_DIR, TEST_CACHE_DIR } from './support/paths.js';

const CAPTURE = path.join(SHARED_CAPTURES_DIR, 'iot-tplink-hs110-plug-setup.pcap');

/** A bad row for each table, and what the one-line error must say of it. */
const BAD_ROWS: { table: string; row: string; problem: RegExp }[] = [
  { table: 'vendor-rules.tsv', row: 'acme.example\tAcme\tlamp\tAcme lamps\thttps://acme.example\t2026-12-07', problem: /unknown category 'lamp'/ },
  { table: 'vendors.tsv', row: 'Acme\tNobody\tmaker\t\t\thttps://acme.example\t2026-12-07', problem: /owner 'Nobody' is not a vendor/ },
  { table: 'patterns/dhcp.tsv', row: 'dhcp_host_name\tacme[\t\tAcme\tplug\tAcme plug\thttps://acme.example\t2026-12-07', problem: /bad pattern 'acme\[': unclosed '\['/ },
  { table: 'patterns/home-assistant-mdns.tsv', row: 'mdns_service\tacme.local\t\tAcme\thub\tAcme hub\thttps://acme.example\t2026-12-07', problem: /not a service type like _hue\._tcp/ },
];

for (const bad of BAD_ROWS) {
  test(`a bad row in data/${bad.table} stops devices with one line naming its file and line`, { skip: !existsSync(CAPTURE) }, () => {
    assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'peephole.mjs')), 'the command is built (npm run build)');
    mkdirSync(TEST_CACHE_DIR, { recursive: true });
    const root = mkdtempSync(path.join(TEST_CACHE_DIR, 'kb-'));
    try {
      cpSync(path.join(REPO_ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
      cpSync(path.join(REPO_ROOT, 'data'), path.join(root, 'data'), { recursive: true });
      const table = path.join(root, 'data', bad.table);
      const line = readFileSync(table, 'utf8').replace(/\n$/, '').split('\n').length + 1;
      appendFileSync(table, `${readFileSync(table, 'utf8').endsWith('\n') ? '' : '\n'}${bad.row}\n`);
      const r = spawnSync(process.execPath, [path.join(root, 'dist', 'peephole.mjs'), 'devices', CAPTURE], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '', 'no answer from a damaged table');
      assert.equal(r.stderr.split('\n').filter((l) => l !== '').length, 1, r.stderr);
      assert.ok(r.stderr.startsWith(`peephole: ${table}:${line}: `), r.stderr);
      assert.match(r.stderr, bad.problem);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
