// The clues a device gives of itself, decoded by the packet decoder, against tshark 4.0 on every
// capture of ../shared/captures (its MANIFEST.tsv) and on packets written by the encoders: DHCP's
// parameter request list (option 55) and the hardware types of the header and of the client identifier (61); the mDNS/DNS answers that name
// services (PTR targets, SRV targets, TXT strings); SSDP's SERVER, USER-AGENT and LOCATION; plain
// HTTP's method, URI, Host and User-Agent; NTP's version, mode, stratum and reference id; the
// ClientHello's JA3 string and fingerprint. Each field of each frame must be what tshark prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCapture } from '../src/capture/reader.js';
import { PacketDecoder } from '../src/decode/packet.js';
import type { Layer } from '../src/decode/layer.js';
import { ja3, ja3Full } from '../src/decode/app/tls-fingerprint.js';
import { encodeClientHello } from '../src/decode/app/tls-client-hello-encoder.js';
import { encodeNtp, makeNtpRequest, NTP_HEADER_BYTES } from '../src/decode/app/ntp.js';
import { encodeHttp, makeHttp, httpCodec } from '../src/decode/app/http.js';
import { spawnSync } from 'node:child_process';
import { requireTshark } from './support/oracle.js';
import { SHARED_CAPTURES_DIR } from './support/paths.js';

/** Joins a field's occurrences in a frame; no value in these captures holds it. */
const AGG = '\u001f';
const FIELDS = [
  'dhcp.option.request_list_item',
  'dhcp.hw.type',
  'dns.ptr.domain_name',
  'dns.srv.target',
  'dns.txt',
  'http.server',
  'http.user_agent',
  'http.location',
  'http.request.method',
  'http.request.uri',
  'http.host',
  'http.response.code',
  'ntp.flags.vn',
  'ntp.flags.mode',
  'ntp.stratum',
  'ntp.refid',
  'tls.handshake.ja3_full',
  'tls.handshake.ja3',
] as const;

/**
 * A TXT string as tshark's fields output prints it: the decoder keeps tshark's display text, where a
 * control byte is `\ooo`; the fields output writes the byte itself and ends the string at a NUL.
 */
const fieldsTxt = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))).split('\0')[0];

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** One frame's cells, in FIELDS order, as peephole decodes it. */
function ourRow(layers: readonly Layer[]): string[] {
  const cells: string[][] = FIELDS.map(() => []);
  const put = (field: (typeof FIELDS)[number], v: string | number | null): void => {
    if (v !== null) cells[FIELDS.indexOf(field)].push(Buffer.from(String(v), 'utf8').toString('latin1'));
  };
  for (const l of layers) {
    switch (l.kind) {
      case 'dhcp':
        for (const code of l.parameterList ?? []) put('dhcp.option.request_list_item', code);
        // tshark's dhcp.hw.type: the fixed header's htype, then option 61's type byte when it names a hardware type.
        put('dhcp.hw.type', hex2(l.htype));
        if (l.clientId !== null && l.clientId.length >= 2 && l.clientId !== '00' && !l.clientId.startsWith('00') && l.clientId.length === 14) put('dhcp.hw.type', `0x${l.clientId.slice(0, 2)}`);
        break;
      case 'dns':
        for (const rr of [...l.answers, ...l.authorities, ...l.additionals]) {
          if (rr.data.type === 'PTR') put('dns.ptr.domain_name', rr.data.name);
          else if (rr.data.type === 'SRV') put('dns.srv.target', rr.data.target);
          else if (rr.data.type === 'TXT') for (const t of rr.data.strings) put('dns.txt', fieldsTxt(t));
        }
        break;
      case 'ssdp':
        put('http.server', l.server);
        put('http.user_agent', l.userAgent);
        put('http.location', l.location);
        if (l.statusCode !== null) put('http.response.code', l.statusCode);
        if (l.method !== null) put('http.request.method', l.method);
        if (l.uri !== null) put('http.request.uri', l.uri);
        for (const h of l.headers) if (h.name.toLowerCase() === 'host') put('http.host', h.value);
        break;
      case 'http':
        put('http.server', l.server);
        put('http.response.code', l.statusCode);
        put('http.user_agent', l.userAgent);
        put('http.request.method', l.method);
        put('http.request.uri', l.uri);
        put('http.host', l.host);
        break;
      case 'ntp':
        put('ntp.flags.vn', l.version);
        put('ntp.flags.mode', l.mode);
        put('ntp.stratum', l.stratum);
        put('ntp.refid', l.refId);
        break;
      case 'tls':
        put('tls.handshake.ja3_full', ja3Full(l));
        put('tls.handshake.ja3', ja3(l));
        break;
      default:
        break;
    }
  }
  return cells.map((c) => c.join(AGG));
}

/** Whether each frame (in order) carried SSDP, read by {@link ourRows}. */
let ssdp: boolean[] = [];

async function ourRows(file: string): Promise<string[][]> {
  const decoder = new PacketDecoder();
  const rows: string[][] = [];
  ssdp = [];
  await readCapture(file, (rec) => {
    const layers = decoder.decode(rec).layers;
    rows.push(ourRow(layers));
    ssdp.push(layers.some((l) => l.kind === 'ssdp'));
  });
  return rows;
}

/** tshark's rows: every frame, the fields of {@link FIELDS}, its output read byte for byte (as latin1, as are ours). */
function tsharkRows(file: string): string[][] {
  const args = ['-T', 'fields', '-E', 'occurrence=a', '-E', `aggregator=${AGG}`, '-E', 'separator=/t'];
  for (const f of FIELDS) args.push('-e', f);
  const run = spawnSync('tshark', ['-r', file, ...args], { encoding: 'latin1', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`tshark -r ${file} failed: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const cells = l.split('\t');
      return FIELDS.map((_, i) => {
        const c = cells[i] ?? '';
        // ntp.flags.mode and ntp.stratum print as numbers; dhcp.client_id.type as a number too.
        return c;
      });
    });
}

const HTTP = FIELDS.flatMap((f, i) => (f.startsWith('http.') ? [i] : []));

/**
 * A TXT string's invalid UTF-8 as U+FFFD: tshark writes one per byte of an incomplete sequence, the
 * decoder (WHATWG's rule) one per maximal subpart; runs are compared as one. Only binary TXT values
 * (HomeKit/Thread keys) differ; the key=value clues are ASCII.
 */
const collapse = (s: string): string => s.replace(/(\xef\xbf\xbd)+/g, '\xef\xbf\xbd');
const TXT = FIELDS.indexOf('dns.txt');

/** Differences of two row lists, the first few, each naming its frame and field. */
function differences(ours: string[][], theirs: string[][]): { frame: number; field: string; ours: string; tshark: string }[] {
  const out: { frame: number; field: string; ours: string; tshark: string }[] = [];
  for (let i = 0; i < Math.max(ours.length, theirs.length) && out.length < 8; i++) {
    for (let j = 0; j < FIELDS.length; j++) {
      let a = ours[i]?.[j] ?? '';
      let b = theirs[i]?.[j] ?? '';
      if (j === TXT) {
        a = collapse(a);
        b = collapse(b);
      }
      if (a !== b) out.push({ frame: i + 1, field: FIELDS[j], ours: a, tshark: b });
    }
  }
  return out;
}

const manifest = path.join(SHARED_CAPTURES_DIR, 'MANIFEST.tsv');
const captures = existsSync(manifest)
  ? readFileSync(manifest, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split('\t')[0])
  : [];

for (const name of captures) {
  test(`${name}: DHCP 55/61, mDNS answers, SSDP, HTTP, NTP and JA3 agree with tshark on every frame`, async (t) => {
    if (!requireTshark(t)) return;
    const file = path.join(SHARED_CAPTURES_DIR, name);
    const ours = await ourRows(file);
    const theirs = tsharkRows(file);
    assert.equal(ours.length, theirs.length, 'frames');
    // HTTP over TCP (not SSDP, on UDP): tshark shows a message with a body on the segment that ends
    // the body (it reassembles by Content-Length); peephole reads heads only, on the segment that
    // ends the head. So those fields are compared per capture: the same heads.
    const heads = (rows: string[][]): string[] => rows.flatMap((r, i) => (ssdp[i] ? [] : [HTTP.map((j) => r[j]).join('|')].filter((h) => h.replace(/\|/g, '') !== ''))).sort();
    assert.deepEqual(heads(ours), heads(theirs));
    const blank = (rows: string[][]): string[][] => rows.map((r, i) => (ssdp[i] ? r : r.map((c, j) => (HTTP.includes(j) ? '' : c))));
    assert.deepEqual(differences(blank(ours), blank(theirs)), []);
  });
}

test('the shared captures hold every kind of clue compared here', { skip: captures.length === 0 && 'no shared captures' }, async () => {
  const seen = new Set<string>();
  for (const name of captures) {
    for (const row of await ourRows(path.join(SHARED_CAPTURES_DIR, name))) row.forEach((c, i) => c !== '' && seen.add(FIELDS[i]));
  }
  const missing = FIELDS.filter((f) => !seen.has(f) && f !== 'http.location');
  assert.deepEqual(missing, []);
});

// ---- Packets written by the encoders, read by tshark and by the packet decoder. ----

function checksum16(b: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Ethernet/IPv4/UDP-or-TCP frames, one per payload, in a pcap file. */
function writeCapture(dir: string, packets: readonly { proto: 'udp' | 'tcp'; sport: number; dport: number; payload: Uint8Array }[]): string {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  parts.push(header);
  packets.forEach((p, i) => {
    const l4 = p.proto === 'udp' ? 8 : 20;
    const frame = Buffer.alloc(14 + 20 + l4 + p.payload.length);
    Buffer.from('020000000002020000000001' + '0800', 'hex').copy(frame, 0);
    frame[14] = 0x45;
    frame.writeUInt16BE(20 + l4 + p.payload.length, 16);
    frame[22] = 64;
    frame[23] = p.proto === 'udp' ? 17 : 6;
    frame.set([192, 168, 1, 20, 93, 184, 216, 34], 26);
    frame.writeUInt16BE(checksum16(frame, 14, 34), 24);
    frame.writeUInt16BE(p.sport, 34);
    frame.writeUInt16BE(p.dport, 36);
    if (p.proto === 'udp') frame.writeUInt16BE(8 + p.payload.length, 38);
    else {
      frame.writeUInt32BE(1, 38);
      frame[46] = 0x50;
      frame[47] = 0x18;
      frame.writeUInt16BE(65535, 48);
    }
    frame.set(p.payload, 34 + l4);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  });
  const file = path.join(dir, 'clues.pcap');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

test('HTTP requests, NTP requests and ClientHellos written by the encoders read as tshark reads them', async (t) => {
  if (!requireTshark(t)) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'peephole-clues-'));
  try {
    const http = (init: Parameters<typeof makeHttp>[0]): Uint8Array => {
      const layer = makeHttp(init);
      const out = new Uint8Array(httpCodec.encodingLength(layer));
      encodeHttp(layer, out, 0);
      return out;
    };
    const ntp = (version: number): Uint8Array => {
      const out = new Uint8Array(NTP_HEADER_BYTES);
      encodeNtp(makeNtpRequest('e9a1b2c3d4e5f607', version), out, 0);
      return out;
    };
    const file = writeCapture(dir, [
      { proto: 'tcp', sport: 50000, dport: 80, payload: http({ uri: '/api/v1/status?x=1', headers: [['Host', 'devs.example.com'], ['User-Agent', 'Withings UserAgent'], ['Accept', '*/*']] }) },
      { proto: 'tcp', sport: 50001, dport: 8080, payload: http({ method: 'POST', uri: '/upload', headers: [['user-agent', '  Roku/DVP-9.10 (519.10E04111A)  '], ['HOST', 'scalews.example.net:8080']] }) },
      { proto: 'udp', sport: 50002, dport: 123, payload: ntp(4) },
      { proto: 'udp', sport: 123, dport: 123, payload: ntp(3) },
      {
        proto: 'tcp',
        sport: 50003,
        dport: 443,
        payload: encodeClientHello({
          serverNames: ['api.example.com'],
          cipherSuites: [0x0a0a, 0xc02b, 0xc02f, 0x009c],
          supportedGroups: [0x2a2a, 29, 23, 24],
          ecPointFormats: [0],
          alpn: ['http/1.1'],
          extraExtensions: [{ type: 0xfafa, data: new Uint8Array(1) }],
        }),
      },
      { proto: 'tcp', sport: 50004, dport: 443, payload: encodeClientHello({ cipherSuites: [0x002f] }) },
    ]);
    const ours = await ourRows(file);
    const theirs = tsharkRows(file);
    assert.deepEqual(differences(ours, theirs), []);
    assert.equal(ours[0][FIELDS.indexOf('http.host')], 'devs.example.com');
    assert.equal(ours[1][FIELDS.indexOf('http.user_agent')], 'Roku/DVP-9.10 (519.10E04111A)  ');
    assert.equal(ours[2][FIELDS.indexOf('ntp.flags.mode')], '3');
    assert.match(ours[4][FIELDS.indexOf('tls.handshake.ja3_full')], /^771,49195-49199-156,0-16-10-11,29-23-24,0$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
