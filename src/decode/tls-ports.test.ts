import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTlsPortTable, portsClaimedFromTls } from './tls-ports.js';

const HEADER = 'port\ttls\tprotocols';

test('parseTlsPortTable() gives the ports whose row says no, skipping comments and blank lines', () => {
  const text = ['# measured with tshark', '', HEADER, '22\tno\tssh', '443\tyes\ttls', '80\tno\t', '# a note', '65535\tno\tx', ''].join('\n');
  assert.deepEqual([...parseTlsPortTable(text)].sort((a, b) => a - b), [22, 80, 65535]);
});

test('parseTlsPortTable() gives an empty set for a table with only its header', () => {
  assert.equal(parseTlsPortTable(HEADER + '\n').size, 0);
});

test('parseTlsPortTable() refuses a table without its header, naming the file and line', () => {
  assert.throws(() => parseTlsPortTable('# comment\n22\tno\tssh\n', 'ports.tsv'), /^Error: ports\.tsv:2: expected the header "port<TAB>tls<TAB>protocols"/);
  assert.throws(() => parseTlsPortTable('port\tsni\tprotocols\n'), /tshark-tls-ports\.tsv:1: expected the header/);
});

test('parseTlsPortTable() names the line of a bad row', () => {
  const bad = ['22\tmaybe\tssh', '65536\tno\tx', '-1\tno\tx', '8o\tno\tx', '\tno\tx', '80', ' 80\tno\tx', '1.5\tno\tx'];
  for (const row of bad) {
    const text = `# c\n${HEADER}\n22\tno\tssh\n${row}\n443\tyes\ttls\n`;
    assert.throws(
      () => parseTlsPortTable(text, 'ports.tsv'),
      (e: Error) => e.message.startsWith('ports.tsv:4: expected a port (0-65535) and yes or no, got ') && e.message.endsWith(JSON.stringify(row)),
      JSON.stringify(row),
    );
  }
});

test('portsClaimedFromTls() loads data/tshark-tls-ports.tsv: the ports other protocols take', () => {
  const claimed = portsClaimedFromTls();
  for (const port of [80, 22, 53, 1883]) assert.ok(claimed.has(port), `${port} is claimed`);
  for (const port of [443, 8883, 12345]) assert.ok(!claimed.has(port), `${port} is not claimed`);
  assert.ok(claimed.size > 100, `${claimed.size} ports`);
});

test('portsClaimedFromTls() reads the table once', () => {
  assert.equal(portsClaimedFromTls(), portsClaimedFromTls());
});
