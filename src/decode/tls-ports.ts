/**
 * Which TCP ports keep tshark 4.0 from finding a TLS ClientHello: the ports another dissector takes
 * (HTTP on 80, SSH on 22, MQTT on 1883, X11 on 6000-6063...), measured and kept as data in
 * `data/tshark-tls-ports.tsv`. On every other port tshark's TLS heuristic finds a hello by its
 * content, and so does peephole (see `app-dispatch.ts`).
 *
 * The table is read once, when first needed; a damaged row names its line.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../core/data-file.js';

const TABLE_FILE = 'tshark-tls-ports.tsv';

let claimed: Set<number> | null = null;

/** Parses the table's text: the ports whose row says `tls` is `no`. */
export function parseTlsPortTable(text: string, file = 'tshark-tls-ports.tsv'): Set<number> {
  const ports = new Set<number>();
  let header = false;
  text.split('\n').forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split('\t');
    if (!header) {
      if (cells[0] !== 'port' || cells[1] !== 'tls') throw new Error(`${file}:${i + 1}: expected the header "port<TAB>tls<TAB>protocols"`);
      header = true;
      return;
    }
    const port = Number(cells[0]);
    if (!/^\d+$/.test(cells[0]) || port > 65535 || (cells[1] !== 'yes' && cells[1] !== 'no')) {
      throw new Error(`${file}:${i + 1}: expected a port (0-65535) and yes or no, got ${JSON.stringify(line)}`);
    }
    if (cells[1] === 'no') ports.add(port);
  });
  return ports;
}

/** Ports taken by a dissector other than TLS (loaded from data/ on first use). */
export function portsClaimedFromTls(): ReadonlySet<number> {
  if (claimed === null) {
    const file = dataFile(TABLE_FILE);
    claimed = parseTlsPortTable(readFileSync(file, 'utf8'), file);
  }
  return claimed;
}
