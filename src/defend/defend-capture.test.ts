// Defences on written captures (real ones from ../shared/captures when present, and a simulated
// one): tshark reads what was written without a warning the input did not have; the cost adds up
// to what tshark counts; the observer's own tools (device identification, use detection) see what each
// strategy promises: one device behind a tunnel's box, no DNS name with encrypted DNS (the TLS
// server names stay), cover bursts found as uses, padded TLS streams still TLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHomeSpec } from '../home/spec.js';
import { simulateHome } from '../home/simulate.js';
import { observeDevices } from '../observe/devices.js';
import { defaultVendorRules } from '../observe/vendor-rules.js';
import { registeredVendorLookup } from '../observe/oui.js';
import { detectUsage } from '../uses/detect-usage.js';
import { createDefence } from './registry.js';
import { defendCapture } from './defend-capture.js';
import { expertProblems, tshark, tsharkFields, tsharkTotals } from './test-support.js';
import { DOT_RESOLVER_NAME } from './strategies/encrypted-dns.js';
import { ECH_CONFIG_ID, ECH_PUBLIC_NAME } from './strategies/ech.js';
import { EXT_ENCRYPTED_CLIENT_HELLO } from './frames/ech.js';
import { SHARED_CAPTURES_DIR } from '../../test/support/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'peephole-defend-capture-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const SEED = 5;

const spec = loadHomeSpec('paper');
const lan = simulateHome({ spec, source: 'paper', days: 1, seed: SEED, vantage: 'lan', format: 'pcapng', out: path.join(dir, 'lan') }).files.capture!;
const wan = simulateHome({ spec, source: 'paper', days: 1, seed: SEED, vantage: 'wan', format: 'pcap', out: path.join(dir, 'wan') }).files.capture!;

/** Expert warnings by kind (count and frame numbers left out), as a set. */
function warningKinds(capture: string): Set<string> {
  return new Set(
    tshark(capture, ['-q', '-z', 'expert,warn'])
      .split('\n')
      .filter((l) => /^\s+\d+\s+\S+\s+\S+\s+/.test(l) && !/Frequency/.test(l))
      .map((l) => l.trim().replace(/^\d+\s+/, '').replace(/ in frame \d+/, '')),
  );
}

/** What tshark says of an input, asked once per input (each is defended several times). */
const inputWarnings = new Map<string, Set<string>>();
const inputTotals = new Map<string, { frames: number; bytes: number }>();

function assertNoNewWarnings(input: string, output: string): void {
  if (!inputWarnings.has(input)) inputWarnings.set(input, warningKinds(input));
  const before = inputWarnings.get(input)!;
  const added = [...warningKinds(output)].filter((w) => !before.has(w));
  assert.deepEqual(added, [], `${output}: warnings the input did not have`);
}

async function defend(input: string, strategy: string, params: Record<string, string | number> = {}, name = strategy) {
  const out = path.join(dir, `${name}-${path.basename(input)}`);
  const r = await defendCapture({ input, out, defence: createDefence(strategy, params), seed: SEED });
  if (!inputTotals.has(input)) inputTotals.set(input, tsharkTotals(input));
  const before = inputTotals.get(input)!;
  const after = tsharkTotals(out);
  assert.deepEqual({ frames: r.cost.traffic!.defended.frames, bytes: r.cost.traffic!.defended.bytes }, after, 'the cost counts what tshark reads');
  assert.equal(r.cost.traffic!.extraBytes, after.bytes - before.bytes);
  assert.equal(r.ledger.bytes, after.bytes - before.bytes, 'the ledger adds up to the bytes written');
  assert.equal(r.ledger.frames, after.frames - before.frames, 'the ledger adds up to the frames written');
  return { ...r, out };
}

test('pad on a simulated LAN capture: every TLS application-data segment a multiple of the bucket or a full one, the records still read by tshark', async () => {
  const r = await defend(lan, 'pad', { bucket: 512 });
  assertNoNewWarnings(lan, r.out);
  // Handshake records keep their size; everything else a stream carries is application data.
  const segments = tsharkFields(r.out, ['tcp.len', 'tls.record.content_type'], 'tcp.len > 0 && !(tls.record.content_type == 22)');
  assert.ok(segments.length > 1000, `${segments.length} application-data segments`);
  const odd = segments.filter(([len]) => Number(len) % 512 !== 0 && Number(len) !== 1448);
  assert.deepEqual(odd.slice(0, 5), [], `${odd.length} segments neither padded nor full`);
  const datagrams = tsharkFields(r.out, ['udp.length'], 'udp');
  assert.ok(datagrams.every(([len]) => (Number(len) - 8) % 512 === 0), 'every UDP payload padded to the bucket');
  // Same seed, same bytes.
  const again = await defend(lan, 'pad', { bucket: 512 }, 'pad-again');
  assert.ok(readFileSync(r.out).equals(readFileSync(again.out)));
});

test('tunnel from a box: the router sees one device and the router; past NAT, one flow; a device tunnel leaves each device but no names', async () => {
  const r = await defend(lan, 'tunnel');
  assertNoNewWarnings(lan, r.out);
  const report = await observeDevices(r.out, { rules: defaultVendorRules() });
  const devices = report.devices.filter((d) => d.category !== 'router');
  assert.equal(devices.length, 1, JSON.stringify(report.devices.map((d) => d.id)));
  assert.equal(devices[0].vendor, null);
  const flows = new Set(tsharkFields(r.out, ['ip.src', 'ip.dst', 'udp.srcport', 'udp.dstport'], 'ip').map((row) => row.join(' ')));
  assert.equal(flows.size, 2, [...flows].join('; '));
  assert.match(tshark(r.out, ['-Y', 'wg.type == 4']), /WireGuard/);

  const w = await defend(wan, 'tunnel');
  assertNoNewWarnings(wan, w.out);
  const wanFlows = new Set(tsharkFields(w.out, ['ip.src', 'ip.dst'], 'ip').map((row) => row.join(' ')));
  assert.equal(wanFlows.size, 2, [...wanFlows].join('; '));
  // Past NAT the home is split into clusters by the vendors its names point to: inside the tunnel
  // there are none, so whatever clusters the tunnel's one flow makes name no vendor and no category,
  // and reach only the tunnel's two ends.
  const wanBefore = await observeDevices(wan, { rules: defaultVendorRules() });
  const wanAfter = await observeDevices(w.out, { rules: defaultVendorRules() });
  assert.ok(wanBefore.devices.filter((d) => d.vendor !== null).length >= 3, `${wanBefore.devices.length} vendors before`);
  assert.deepEqual(
    wanAfter.devices.filter((d) => d.vendor !== null || d.category !== null).map((d) => d.id),
    [],
    'vendors seen through the tunnel',
  );
  const ends = new Set([...wanFlows].flatMap((f) => f.split(' ')));
  assert.ok(wanAfter.devices.every((d) => d.flows.every((f) => ends.has(f.remoteAddress))), 'every cluster reaches only the tunnel ends');

  const each = await defend(lan, 'tunnel', { scope: 'device' });
  const perDevice = await observeDevices(each.out, { rules: defaultVendorRules() });
  const named = perDevice.devices.filter((d) => d.category !== 'router');
  assert.equal(named.length, spec.devices.length, 'each device still has its MAC on the LAN');
  for (const d of named) assert.ok(!d.evidence.some((e) => e.kind === 'dns_query' || e.kind === 'tls_server_name'), `${d.id}: names inside the tunnel`);
});

test('encrypted DNS: no DNS message left, each device talks TLS to the resolver, and its own TLS server names still give its vendor', async () => {
  const r = await defend(lan, 'encrypted-dns');
  assertNoNewWarnings(lan, r.out);
  assert.equal(tsharkFields(r.out, ['frame.number'], 'dns').length, 0, 'DNS messages left');
  const report = await observeDevices(r.out, { rules: defaultVendorRules() });
  for (const d of report.devices.filter((x) => x.category !== 'router')) {
    assert.ok(!d.evidence.some((e) => e.kind === 'dns_query'), `${d.id} asked a name in clear`);
    assert.ok(d.evidence.some((e) => e.kind === 'tls_server_name' && e.value === 'one.one.one.one'), `${d.id} has no DoT connection`);
    assert.notEqual(d.vendor, null, `${d.id}: the SNI of its own sessions names its vendor`);
  }
});

/** What `peephole devices` looks up: the vendor rules and the IEEE registry's MAC owners. */
const AS_DEVICES = { rules: defaultVendorRules(), oui: registeredVendorLookup() };

/** Every ClientHello of a capture: its stream, server name, TCP payload length and extension types. */
function hellos(capture: string): { stream: string; name: string; len: number; types: string[] }[] {
  return tsharkFields(capture, ['tcp.stream', 'tls.handshake.extensions_server_name', 'tcp.len', 'tls.handshake.extension.type'], 'tls.handshake.type == 1').map(([stream, name, len, types]) => ({ stream, name, len: Number(len), types: types.split(',') }));
}

/** The evidence that names a vendor (weighed), by kind. */
function namingKinds(d: { evidence: readonly { kind: string; weight: number }[] }): string[] {
  return [...new Set(d.evidence.filter((e) => e.weight > 0).map((e) => e.kind))].sort();
}

test('encrypted DNS with Encrypted ClientHello past NAT: every hello names the CDN, no device cluster is named; without ECH the server names still name the vendors', async () => {
  // Without ECH: the hellos' server names name the vendors (what the test below must not find).
  const dnsOnly = await defend(wan, 'encrypted-dns');
  const namedWithoutEch = (await observeDevices(dnsOnly.out, AS_DEVICES)).devices.filter((d) => d.vendor !== null);
  assert.ok(namedWithoutEch.length >= 3, `encrypted DNS alone: ${namedWithoutEch.map((d) => d.vendor).join(', ')}`);
  assert.ok(namedWithoutEch.every((d) => namingKinds(d).includes('tls_server_name')), 'named by their TLS server names');

  const r = await defend(wan, 'encrypted-dns+ech');
  assert.deepEqual(expertProblems(r.out), [], 'tshark warnings in the defended capture');
  assert.equal(tsharkFields(r.out, ['frame.number'], '_ws.malformed || dns').length, 0, 'malformed frames or DNS messages');
  const report = await observeDevices(r.out, AS_DEVICES);
  assert.ok(report.devices.length >= 1);
  assert.deepEqual(
    report.devices.filter((d) => d.vendor !== null || d.category !== null).map((d) => `${d.id}: ${d.vendor} ${d.category}`),
    [],
    'a cluster named past NAT',
  );
  for (const d of report.devices) assert.deepEqual(namingKinds(d), [], `${d.id} has weighed evidence`);

  // On the wire: the DoT hellos name the resolver; every other names the public name and carries an ECH extension.
  const before = hellos(wan);
  const after = hellos(r.out);
  const own = after.filter((h) => h.name !== DOT_RESOLVER_NAME);
  assert.equal(own.length, before.length, 'one outer hello for each hello');
  for (const h of own) {
    assert.equal(h.name, ECH_PUBLIC_NAME);
    assert.ok(h.types.includes(String(EXT_ENCRYPTED_CLIENT_HELLO)), `stream ${h.stream}: ${h.types.join(',')}`);
  }
  // ECHClientHello: outer (0), HKDF-SHA256 (0x0001), AES-128-GCM (0x0001), Cloudflare's config id, a 32-byte enc.
  for (const [hex] of tsharkFields(r.out, ['tcp.payload'], `tls.handshake.type == 1 && tls.handshake.extensions_server_name == "${ECH_PUBLIC_NAME}"`)) {
    const b = Buffer.from(hex.replace(/:/g, ''), 'hex');
    // Record header (5), handshake header (4), version and random (34), then the session id, cipher suites, compression.
    let p = 5 + 4 + 34;
    p += 1 + b[p];
    p += 2 + b.readUInt16BE(p);
    p += 1 + b[p];
    const end = p + 2 + b.readUInt16BE(p);
    assert.equal(end, b.length, 'the extensions end the hello and the hello its segment');
    let ech: Buffer | null = null;
    for (p += 2; p < end; p += 4 + b.readUInt16BE(p + 2)) if (b.readUInt16BE(p) === EXT_ENCRYPTED_CLIENT_HELLO) ech = b.subarray(p + 4, p + 4 + b.readUInt16BE(p + 2));
    assert.ok(ech !== null);
    assert.equal(ech.subarray(0, 8).toString('hex'), `0000010001${ECH_CONFIG_ID.toString(16)}0020`);
    const payload = ech.readUInt16BE(8 + 32);
    assert.equal(ech.length, 8 + 32 + 2 + payload);
    assert.equal((payload - 16) % 32, 0, 'the inner hello padded to 32 bytes, and the AEAD tag');
  }
  // The cost is the hellos' growth: what the ledger says the ECH step added is what the hellos grew by.
  const grown = own.reduce((s, h) => s + h.len, 0) - before.reduce((s, h) => s + h.len, 0);
  assert.equal(r.ledger.entries.get('encrypted ClientHello')?.bytes, grown);
  assert.ok(grown > 150 * own.length, `${grown} bytes over ${own.length} hellos`);

  // On the LAN the router's observer still names devices: by their MACs' registered owners (OUI) and
  // the host names they give the router over DHCP, which stay between device and router. No name
  // a device looks up or connects to names it any more.
  const l = await defend(lan, 'encrypted-dns+ech');
  assert.deepEqual(expertProblems(l.out), [], 'tshark warnings in the defended LAN capture');
  const lanReport = await observeDevices(l.out, AS_DEVICES);
  const lanDevices = lanReport.devices.filter((d) => d.category !== 'router');
  assert.equal(lanDevices.length, spec.devices.length);
  for (const d of lanDevices) {
    const kinds = namingKinds(d);
    assert.ok(kinds.includes('oui'), `${d.id}: ${kinds.join(', ')}`);
    assert.deepEqual(
      kinds.filter((k) => !['oui', 'mac_prefix', 'dhcp_host_name'].includes(k)),
      [],
      `${d.id} named by what it says beyond the home`,
    );
  }
});

test('cover on a simulated capture: the observer finds the cover bursts as uses; slot-delay moves bursts without new warnings', async () => {
  const r = await defend(lan, 'random-cover', { perDay: 6 });
  assertNoNewWarnings(lan, r.out);
  const cover = r.uses!.made.filter((u) => u.livedUs === null).length;
  assert.ok(cover >= 10, `${cover} cover uses made`);
  const before = await detectUsage(lan, { rules: defaultVendorRules() });
  const after = await detectUsage(r.out, { rules: defaultVendorRules() });
  assert.ok(after.events.length >= before.events.length + cover * 0.8, `${before.events.length} uses before, ${after.events.length} after ${cover} cover`);

  const d = await defend(lan, 'slot-delay', { 'budget.light': 30, 'budget.lock': 30, 'budget.alarm': 30, 'budget.other': 30 });
  assertNoNewWarnings(lan, d.out);
  assert.ok(d.cost.uses!.moved > 0 && d.cost.uses!.delayMaxS <= 30 * 60);
  const moved = await detectUsage(d.out, { rules: defaultVendorRules() });
  assert.equal(moved.events.length, before.events.length, 'moved, not lost');
});

test('constant rate: the same number of messages every second each way, real packets delayed', async () => {
  const r = await defend(lan, 'constant-rate', { rate: 0.2, size: 256 });
  assertNoNewWarnings(lan, r.out);
  const up = tsharkFields(r.out, ['frame.time_epoch', 'udp.length'], 'wg.type == 4 && ip.dst == 198.51.100.200');
  assert.ok(up.every(([, len]) => Number(len) === 8 + 256), 'every message one size');
  const gaps = up.slice(1).map(([t], i) => Number(t) - Number(up[i][0]));
  assert.ok(gaps.every((g) => Math.abs(g - 5) < 1e-3), 'one message every 5 s');
  assert.ok(r.cost.packets !== null && r.cost.packets.delayMeanS > 0);
});

// VLAN tags and the snap length (lockly), nanoseconds (smartthings); the blink camera's own per-event connections were checked by hand.
const REAL = ['iot-lockly-lock-hub-first39k-truncated-vlan.pcap', 'iot-smartthings-hub-nsec.pcap'].map((f) => path.join(SHARED_CAPTURES_DIR, f));

test('real captures (VLAN tags, cut by the snap length, nanoseconds): padding and cover write what tshark reads as the input', { skip: !REAL.every(existsSync) && 'the shared captures are not here' }, async () => {
  for (const input of REAL) {
    const p = await defend(input, 'pad');
    assertNoNewWarnings(input, p.out);
    const c = await defend(input, 'random-cover', { perDay: 8 });
    assertNoNewWarnings(input, c.out);
    const made = c.uses!.made.filter((u) => u.livedUs === null).length;
    if (!input.includes('smartthings')) assert.ok(made > 0, `${path.basename(input)}: no cover placed (${c.ledger.notes.join('; ')})`);
  }
});
