import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringCells, TsvBytes, type CellWriter } from './cell-writer.js';
import { RowFormatter, visibleControls } from '../core/table-format.js';
import { parseIpv4, parseMac } from '../core/bytes.js';

/** A TsvBytes whose output is collected; `text()` gives everything written so far (after a drain). */
function tsvBytes(bufferBytes?: number): { w: TsvBytes; chunks: Uint8Array[]; text: () => string } {
  const chunks: Uint8Array[] = [];
  const w = new TsvBytes((chunk) => chunks.push(chunk), bufferBytes);
  return {
    w,
    chunks,
    text: () => {
      w.drain();
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** Runs `write` on a StringCells and returns the TSV text of its rows (cells joined by tabs). */
function viaStringCells(write: (w: CellWriter) => void, rows = 1): string {
  const s = new StringCells();
  const lines: string[] = [];
  const rowsSeen = { n: 0 };
  const endRow = s.endRow.bind(s);
  s.endRow = (): void => {
    endRow();
    lines.push(s.cells.join('\t') + '\n');
    rowsSeen.n++;
  };
  write(s);
  assert.equal(rowsSeen.n, rows);
  return lines.join('');
}

function viaTsvBytes(write: (w: CellWriter) => void, bufferBytes?: number): string {
  const t = tsvBytes(bufferBytes);
  write(t.w);
  return t.text();
}

function same(write: (w: CellWriter) => void, expected: string, rows = 1): void {
  assert.equal(viaStringCells(write, rows), expected, 'StringCells');
  assert.equal(viaTsvBytes(write), expected, 'TsvBytes');
}

test('TsvBytes and StringCells write integers alike, past 32 bits included', () => {
  const ints = [0, 9, 10, 99, 100, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 5, 2 ** 53 - 1];
  same((w) => {
    for (const n of ints) (w.cell(), w.int(n));
    w.endRow();
  }, ints.map(String).join('\t') + '\n');
});

test('TsvBytes and StringCells write 16-bit hex as 0x and four lower-case digits', () => {
  same((w) => {
    for (const n of [0, 0xaf, 0xbeef, 0xffff]) (w.cell(), w.hex16(n));
    w.endRow();
  }, '0x0000\t0x00af\t0xbeef\t0xffff\n');
});

test('TsvBytes and StringCells write MAC addresses alike', () => {
  const macs = ['00:00:00:00:00:00', '00:1a:2b:3c:4d:5e', '02:00:5e:10:00:01', 'ff:ff:ff:ff:ff:ff', 'ff:00:ff:00:ff:00'];
  same((w) => {
    for (const m of macs) (w.cell(), w.mac(parseMac(m)));
    w.endRow();
  }, macs.join('\t') + '\n');
});

test('TsvBytes and StringCells write IPv4 addresses alike', () => {
  const ips = ['0.0.0.0', '255.255.255.255', '10.0.0.1', '192.168.100.9', '1.20.255.0'];
  same((w) => {
    for (const ip of ips) (w.cell(), w.ipv4(parseIpv4(ip)));
    w.endRow();
  }, ips.join('\t') + '\n');
});

test('TsvBytes and StringCells write epoch times with nine decimals, a negative second included', () => {
  same(
    (w) => {
      w.cell();
      w.epoch(1_700_000_000, 0);
      w.cell();
      w.epoch(1_700_000_000, 999_999_999);
      w.cell();
      w.epoch(1_700_000_001, 5);
      w.cell();
      w.epoch(0, 1);
      w.cell();
      w.epoch(-9, 250_000_000);
      w.cell();
      w.epoch(1_700_000_001, 120);
      w.endRow();
    },
    '1700000000.000000000\t1700000000.999999999\t1700000001.000000005\t0.000000001\t-9.250000000\t1700000001.000000120\n',
  );
});

test('TsvBytes and StringCells write text alike, UTF-8 included', () => {
  const texts = ['plain', '', 'café', 'naïve ☃ 日本', 'emoji 😀 end', 'x'];
  same((w) => {
    for (const s of texts) (w.cell(), w.text(s));
    w.endRow();
  }, texts.join('\t') + '\n');
});

test('TsvBytes and StringCells join several values of a cell with commas and empty cells stay empty', () => {
  same(
    (w) => {
      w.cell();
      w.ipv4(parseIpv4('10.0.0.1'));
      w.more();
      w.ipv4(parseIpv4('10.0.0.2'));
      w.cell();
      w.cell();
      w.int(5);
      w.more();
      w.text('x');
      w.cell();
      w.endRow();
      w.cell();
      w.int(1);
      w.endRow();
    },
    '10.0.0.1,10.0.0.2\t\t5,x\t\n1\n',
    2,
  );
});

test('TsvBytes makes control characters in wire text visible, as the TSV formatter does with StringCells cells', () => {
  const wire = ['a\tb', 'line\nbreak', 'bell\u0007', 'del\u007f', 'esc\u001b[31m', 'ok.example'];
  const cells = new StringCells();
  for (const s of wire) (cells.cell(), cells.wireText(s));
  cells.endRow();
  assert.deepEqual(cells.cells, wire, 'StringCells keeps wire text for the formatter to escape');
  const formatted = new RowFormatter('tsv', wire.map((_, i) => `c${i}`)).row(cells.cells);
  const written = viaTsvBytes((w) => {
    for (const s of wire) (w.cell(), w.wireText(s));
    w.endRow();
  });
  assert.equal(written, formatted);
  assert.equal(written, wire.map(visibleControls).join('\t') + '\n');
  assert.equal(written.split('\n').length, 2, 'one line');
  assert.equal(written.split('\t').length, wire.length, 'one cell per value');
});

test('TsvBytes grows its buffer for a row longer than the buffer', () => {
  const long = 'n'.repeat(3_000_000);
  const written = viaTsvBytes((w) => {
    w.cell();
    w.int(1);
    w.cell();
    w.text(long);
    w.cell();
    w.mac(parseMac('aa:bb:cc:dd:ee:ff'));
    w.more();
    w.text('é'.repeat(1_000_000));
    w.endRow();
  }, 1 << 16);
  assert.equal(written, `1\t${long}\taa:bb:cc:dd:ee:ff,${'é'.repeat(1_000_000)}\n`);
});

test('TsvBytes loses nothing with a buffer smaller than a row of numbers', () => {
  for (const bufferBytes of [1, 64, 1000]) {
    const rows: string[] = [];
    const written = viaTsvBytes((w) => {
      for (let r = 0; r < 50; r++) {
        const cells: string[] = [];
        for (let c = 0; c < 40; c++) {
          w.cell();
          w.int(65535 + r * c);
          cells.push(String(65535 + r * c));
        }
        w.endRow();
        rows.push(cells.join('\t') + '\n');
      }
    }, bufferBytes);
    assert.equal(written, rows.join(''), `buffer of ${bufferBytes} bytes`);
  }
});

test('TsvBytes drain hands exactly the bytes written, in order, and each chunk stays valid', () => {
  const t = tsvBytes(8192);
  const expected: string[] = [];
  for (let i = 0; i < 2000; i++) {
    t.w.cell();
    t.w.int(i);
    t.w.cell();
    t.w.ipv4(parseIpv4('10.0.0.1') + i);
    t.w.endRow();
    expected.push(`${i}\t${[10, 0, (1 + i) >> 8, (1 + i) & 255].join('.')}\n`);
  }
  assert.ok(t.chunks.length > 1, 'full buffers were handed on before the end');
  const before = t.chunks.length;
  t.w.drain();
  assert.equal(t.chunks.length, before + 1);
  t.w.drain();
  assert.equal(t.chunks.length, before + 1, 'nothing buffered: nothing handed');
  assert.equal(Buffer.concat(t.chunks).toString('utf8'), expected.join(''));
});

test('TsvBytes fills its buffer again when flush says it is done with the chunk, and a new one otherwise', () => {
  const rows = 3000;
  const write = (w: CellWriter): void => {
    for (let i = 0; i < rows; i++) {
      w.cell();
      w.int(i);
      w.cell();
      w.text(`row ${i} of a few bytes`);
      w.endRow();
    }
  };
  const expected = viaTsvBytes(write);
  for (const done of [true, false]) {
    const copies: Buffer[] = [];
    const seen = new Set<ArrayBufferLike>();
    const w = new TsvBytes((chunk) => {
      copies.push(Buffer.from(chunk));
      seen.add(chunk.buffer);
      return done;
    }, 8192);
    write(w);
    w.drain();
    assert.equal(Buffer.concat(copies).toString('utf8'), expected, `flush returns ${done}`);
    assert.ok(copies.length > 2, 'several chunks');
    assert.equal(seen.size, done ? 1 : copies.length, done ? 'one buffer, filled again' : 'a buffer per chunk');
  }
});
