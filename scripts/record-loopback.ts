// Records real DNS and TLS traffic on loopback, and real DHCP exchanges (then each device's DNS and TLS)
// in network namespaces, for the tshark-oracle tests, and keeps each recording in three capture formats
// (pcap, pcapng, nanosecond pcap) under test/.cache/loopback/ with a manifest.json.
//
//   node --import tsx scripts/record-loopback.ts [--force]
//
// Needs root (port 53 and 443, capturing, network namespaces) and: dnsmasq tcpdump editcap (wireshark-common)
// openssl ip (iproute2) dig (bind9-dnsutils); uses curl when present. Idempotent: when the cache was
// made by the same sources with the same tools, it does nothing; --force records again. Runs under `flock` so that test files
// running in parallel record once. Every process it starts is stopped when it exits.
// What is recorded (names, records, exchanges, captures) is in test/support/loopback/plan.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAPTURE_FORMATS } from '../test/support/capture-formats.js';
import { sleep, startDaemon } from '../test/support/loopback/child-processes.js';
import type { Daemon } from '../test/support/loopback/child-processes.js';
import { EXIT_MISSING_PREREQUISITES } from '../test/support/loopback/exit-codes.js';
import { runDnsExchanges } from '../test/support/loopback/dns-exchanges.js';
import type { DnsClientName } from '../test/support/loopback/dns-exchanges.js';
import { udpQuery } from '../test/support/loopback/dns-raw-client.js';
import { recordDhcpExchanges } from '../test/support/loopback/dhcp-netns.js';
import { renderDnsmasqConfig } from '../test/support/loopback/dnsmasq-config.js';
import { makeCertificate } from '../test/support/loopback/certificate.js';
import { readManifest, writeManifest } from '../test/support/loopback/manifest.js';
import type { LoopbackManifest, RecordedFile } from '../test/support/loopback/manifest.js';
import {
  DNS_CLIENT_V4,
  DNS_EXCHANGES,
  DNS_PORT,
  DNS_SERVER_V4,
  HOSTS,
  LOOPBACK_V6,
  RECORDINGS,
  TLS_HANDSHAKES,
  TLS_SERVERS,
} from '../test/support/loopback/plan.js';
import type { RecordingPlan } from '../test/support/loopback/plan.js';
import { startCapture, stopCapture } from '../test/support/loopback/tcpdump.js';
import type { CaptureResult, RunningCapture } from '../test/support/loopback/tcpdump.js';
import { runTlsHandshakes } from '../test/support/loopback/tls-handshakes.js';
import { LOOPBACK_CACHE_DIR, REPO_ROOT, TEST_CACHE_DIR } from '../test/support/paths.js';

const INSTALL_HINT = 'apt-get install -y dnsmasq tcpdump tshark wireshark-common bind9-dnsutils openssl curl util-linux iproute2';
/** dig is also the DNS client of the devices in the DHCP recording's namespaces. */
const REQUIRED_TOOLS = ['dnsmasq', 'tcpdump', 'editcap', 'openssl', 'ip', 'dig'] as const;
const LOCKED_ENV = 'PEEPHOLE_LOOPBACK_LOCKED';
const LOCK_FILE = path.join(TEST_CACHE_DIR, 'loopback.lock');
const WORK_DIR = path.join(TEST_CACHE_DIR, 'loopback.tmp');
const FAILED_DIR = path.join(TEST_CACHE_DIR, 'loopback.failed');
const SCRIPT = fileURLToPath(import.meta.url);
const RECORDER_SOURCES_DIR = path.join(REPO_ROOT, 'test', 'support', 'loopback');
const SERVER_READY_TIMEOUT_MS = 5000;
const PROBE_TIMEOUT_MS = 2000;
/** After the last client ends, time for the last FIN/ACKs to reach the capture. */
const SETTLE_MS = 300;

function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** True when a UDP socket can bind ::1 (Docker, for one, disables IPv6 on lo unless asked). */
function ipv6LoopbackUsable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp6');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(0, LOOPBACK_V6, () => {
      socket.close();
      resolve(true);
    });
  });
}

async function checkPrerequisites(): Promise<void> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('must run as root (DNS on port 53, TLS on 443, packet capture)');
  const missing = REQUIRED_TOOLS.filter((tool) => !hasTool(tool));
  if (missing.length > 0) problems.push(`missing tools: ${missing.join(', ')}; install them with: ${INSTALL_HINT}`);
  if (!(await ipv6LoopbackUsable())) problems.push(`cannot bind ${LOOPBACK_V6}; enable IPv6 on lo: sysctl -w net.ipv6.conf.lo.disable_ipv6=0`);
  if (problems.length === 0) return;
  process.stderr.write(`record-loopback: cannot record:\n  ${problems.join('\n  ')}\n`);
  process.exit(EXIT_MISSING_PREREQUISITES);
}

/** Runs this script again under `flock` (util-linux) unless already locked; returns only when locked. */
function holdLock(): void {
  if (process.env[LOCKED_ENV] === '1' || !hasTool('flock')) return;
  mkdirSync(TEST_CACHE_DIR, { recursive: true });
  const child = spawnSync('flock', [LOCK_FILE, process.execPath, ...process.execArgv, SCRIPT, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [LOCKED_ENV]: '1' },
  });
  process.exit(child.status ?? 1);
}

function computeStamp(dnsClient: DnsClientName, curlUsed: boolean, tcpdumpVersion: string): string {
  const hash = createHash('sha256');
  const sources = [
    SCRIPT,
    path.join(REPO_ROOT, 'test', 'support', 'capture-formats.ts'),
    ...readdirSync(RECORDER_SOURCES_DIR)
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => path.join(RECORDER_SOURCES_DIR, name)),
  ];
  for (const source of sources) hash.update(source).update(readFileSync(source));
  hash.update(`${dnsClient} ${curlUsed} ${tcpdumpVersion}`);
  return hash.digest('hex');
}

async function startServers(dir: string): Promise<Daemon[]> {
  const { key, cert } = makeCertificate(dir, 'loopback');
  const config = path.join(dir, 'dnsmasq.conf');
  writeFileSync(config, renderDnsmasqConfig());
  const daemons: Daemon[] = [];
  daemons.push(
    await startDaemon({
      name: 'dnsmasq',
      command: 'dnsmasq',
      args: ['--keep-in-foreground', `--conf-file=${config}`, '--pid-file='],
      readyPattern: /started, version/,
      readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
    }),
  );
  for (const server of TLS_SERVERS) {
    const host = server.host.includes(':') ? `[${server.host}]` : server.host;
    daemons.push(
      await startDaemon({
        name: `openssl s_server ${host}:${server.port}`,
        command: 'openssl',
        args: ['s_server', '-accept', `${host}:${server.port}`, '-cert', cert, '-key', key, '-www'],
        readyPattern: /^ACCEPT$/m,
        readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
      }),
    );
  }
  return daemons;
}

/** Asks dnsmasq once on each address before any capture starts, so the recordings hold no probes. */
async function probeDns(): Promise<void> {
  const question = { name: HOSTS[0]?.name ?? 'lock.august.com', type: 'A', outcome: 'answer' } as const;
  for (const [family, server, localAddress] of [
    [4, DNS_SERVER_V4, DNS_CLIENT_V4],
    [6, LOOPBACK_V6, LOOPBACK_V6],
  ] as const) {
    const outcome = await udpQuery({ server, port: DNS_PORT, family, localAddress, timeoutMs: PROBE_TIMEOUT_MS }, 1, question);
    if (outcome !== 'answer') throw new Error(`dnsmasq on ${server} does not answer ${question.name} A (got ${outcome})`);
  }
}

interface PlannedCapture {
  readonly plan: RecordingPlan;
  readonly running: RunningCapture;
}

/** Starts one capture per recording; on `any`, the one tcpdump picks by default and the other forced with -y. */
async function startCaptures(dir: string): Promise<{ captures: PlannedCapture[]; anyDefaultLinkType: string }> {
  const captures: PlannedCapture[] = [];
  const fileOf = (plan: RecordingPlan): string => path.join(dir, `${plan.name}.pcap`);
  for (const plan of RECORDINGS.filter((p) => p.iface === 'lo')) captures.push({ plan, running: await startCapture(plan, fileOf(plan), null) });
  const anyPlans = RECORDINGS.filter((p) => p.iface === 'any');
  const [firstAny] = anyPlans;
  if (firstAny === undefined) return { captures, anyDefaultLinkType: 'none' };
  const defaultRun = await startCapture({ ...firstAny, name: 'any-default' }, path.join(dir, 'any-default.pcap'), null);
  const defaultPlan = anyPlans.find((plan) => plan.linkType === defaultRun.linkType);
  if (defaultPlan === undefined) await stopCapture(defaultRun);
  else captures.push({ plan: defaultPlan, running: defaultRun });
  for (const plan of anyPlans) {
    if (plan !== defaultPlan) captures.push({ plan, running: await startCapture(plan, fileOf(plan), plan.linkType) });
  }
  return { captures, anyDefaultLinkType: defaultRun.linkType };
}

function convert(from: string, to: string, editcapFormat: string): void {
  const run = spawnSync('editcap', ['-F', editcapFormat, from, to], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`editcap -F ${editcapFormat} ${from} failed: ${run.stderr}`);
}

async function record(dir: string, dnsClient: DnsClientName, curlUsed: boolean): Promise<Omit<LoopbackManifest, 'stamp' | 'tcpdumpVersion'>> {
  const log: string[] = [];
  const servers = await startServers(dir);
  let results: { plan: RecordingPlan; result: CaptureResult }[] = [];
  let anyDefaultLinkType = 'none';
  try {
    await probeDns();
    const started = await startCaptures(dir);
    anyDefaultLinkType = started.anyDefaultLinkType;
    try {
      await runDnsExchanges(DNS_EXCHANGES, { client: dnsClient });
      await runTlsHandshakes(TLS_HANDSHAKES, { curlAvailable: curlUsed });
      await sleep(SETTLE_MS);
    } finally {
      for (const { plan, running } of started.captures) results.push({ plan, result: await stopCapture(running) });
    }
  } finally {
    for (const server of servers) {
      await server.stop();
      log.push(`== ${server.name}\n${server.output()}`);
    }
    writeFileSync(path.join(dir, 'record.log'), `${log.join('\n')}\n${results.map((r) => `== ${r.result.plan.name}\n${r.result.log}`).join('\n')}`);
  }
  // The DHCP exchanges, in network namespaces of their own (see test/support/loopback/dhcp-netns.ts).
  for (const plan of RECORDINGS.filter((p) => p.carriesDhcp)) {
    const { result, serverLog } = await recordDhcpExchanges(plan, path.join(dir, `${plan.name}.pcap`), dir);
    results.push({ plan, result });
    writeFileSync(path.join(dir, `${plan.name}.log`), `== dnsmasq (DHCP)\n${serverLog}\n== ${plan.name}\n${result.log}`);
  }
  const files: RecordedFile[] = [];
  results = results.sort((a, b) => RECORDINGS.indexOf(a.plan) - RECORDINGS.indexOf(b.plan));
  for (const { plan, result } of results) {
    if (result.linkType !== plan.linkType) throw new Error(`${plan.name}: tcpdump used ${result.linkType}, the plan says ${plan.linkType}`);
    if (result.packets === 0) throw new Error(`${plan.name}: tcpdump captured no packets`);
    const original = path.join(dir, `${plan.name}.pcap`);
    if (result.file !== original) renameSync(result.file, original);
    for (const format of CAPTURE_FORMATS) {
      const file = `${plan.name}${format.suffix}`;
      if (path.join(dir, file) !== original) convert(original, path.join(dir, file), format.editcapName);
      files.push({ recording: plan.name, format: format.name, file, linkType: result.linkType, packets: result.packets });
    }
  }
  return { recordedAt: new Date().toISOString(), dnsClient, curlUsed, anyDefaultLinkType, files };
}

async function main(): Promise<void> {
  // dnsmasq lives in /usr/sbin, which a non-login shell may leave out of PATH.
  const searchPath = (process.env['PATH'] ?? '').split(':');
  for (const dir of ['/usr/sbin', '/sbin']) if (!searchPath.includes(dir)) searchPath.push(dir);
  process.env['PATH'] = searchPath.join(':');
  const force = process.argv.includes('--force');
  const dnsClient: DnsClientName = 'dig';
  const curlUsed = hasTool('curl');
  const tcpdumpVersion = (spawnSync('tcpdump', ['--version'], { encoding: 'utf8' }).stdout ?? '').split('\n')[0] || 'none';
  const stamp = computeStamp(dnsClient, curlUsed, tcpdumpVersion);
  const upToDate = (): boolean => !force && readManifest(LOOPBACK_CACHE_DIR)?.stamp === stamp;
  // A current cache serves anyone (no root needed); checked again under the lock, where another run may have just recorded.
  if (upToDate()) {
    process.stdout.write(`record-loopback: recordings up to date in ${path.relative(REPO_ROOT, LOOPBACK_CACHE_DIR)}\n`);
    return;
  }
  await checkPrerequisites();
  holdLock();
  if (upToDate()) {
    process.stdout.write(`record-loopback: recorded meanwhile by another run, in ${path.relative(REPO_ROOT, LOOPBACK_CACHE_DIR)}\n`);
    return;
  }
  const startedMs = Date.now();
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  try {
    const recorded = await record(WORK_DIR, dnsClient, curlUsed);
    writeManifest(WORK_DIR, { stamp, tcpdumpVersion, ...recorded });
  } catch (error) {
    rmSync(FAILED_DIR, { recursive: true, force: true });
    if (existsSync(WORK_DIR)) renameSync(WORK_DIR, FAILED_DIR);
    throw new Error(`${(error as Error).message}\n(logs and partial captures kept in ${path.relative(REPO_ROOT, FAILED_DIR)})`);
  }
  rmSync(LOOPBACK_CACHE_DIR, { recursive: true, force: true });
  renameSync(WORK_DIR, LOOPBACK_CACHE_DIR);
  const manifest = readManifest(LOOPBACK_CACHE_DIR);
  const summary = (manifest?.files ?? []).map((f) => `  ${f.file}\t${f.linkType}\t${f.packets} packets`).join('\n');
  process.stdout.write(
    `record-loopback: recorded in ${Date.now() - startedMs} ms (DNS client ${dnsClient}, curl ${curlUsed ? 'yes' : 'no'}, ` +
      `tcpdump default on any: ${manifest?.anyDefaultLinkType})\n${summary}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`record-loopback: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
