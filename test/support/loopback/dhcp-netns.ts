// The DHCP recording: a home LAN made of network namespaces, where dnsmasq hands out leases to the
// plan's devices, each device then asks dnsmasq for its vendor's cloud and opens TLS to the answer, and
// tcpdump records it all on the LAN's bridge (Ethernet frames with the devices' own MACs, as an access
// point sees them).
//
//   server namespace: bridge DHCP_BRIDGE (DHCP_SERVER_V4/24 and each cloud address/32), dnsmasq (DHCP,
//                     and DNS with the clouds' names only), openssl s_server on each cloud address, tcpdump
//   one namespace per device: eth0 with the device's MAC, its veth peer a port of the bridge
//
// Needs root, `ip` (iproute2), dig and openssl. Takes about a second; every namespace is deleted when it
// ends (and, if the process dies first, by an exit hook). Namespace names carry the process id, so parallel runs and
// the machine's own network are never touched.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIpv4 } from '../../../src/core/bytes.js';
import { runCommand, sleep, startDaemon } from './child-processes.js';
import { cloudDnsArgs, startCloudTlsServers, visitCloud } from './netns-cloud.js';
import type { Daemon } from './child-processes.js';
import {
  DHCP_BRIDGE,
  DHCP_DEVICES,
  DHCP_DOMAIN,
  DHCP_LEASE_SECONDS,
  DHCP_POOL_FIRST,
  DHCP_POOL_LAST,
  DHCP_SERVER_V4,
} from './plan.js';
import type { RecordingPlan } from './plan.js';
import { startCapture, stopCapture } from './tcpdump.js';
import type { CaptureResult } from './tcpdump.js';

const CLIENT_SCRIPT = fileURLToPath(new URL('./dhcp-client.ts', import.meta.url));
const NAMESPACE_PREFIX = `peephole-dhcp-${process.pid}`;
const PREFIX_LENGTH = 24;
const DEVICE_LINK = 'eth0';
const READY_TIMEOUT_MS = 5000;
/** A client's whole run: node and tsx start-up (~0.3 s) and its exchange (a few ms). */
const CLIENT_TIMEOUT_MS = 10_000;
/** After the last ACK, time for it to reach the capture. */
const SETTLE_MS = 150;

const created: string[] = [];
let exitHookInstalled = false;

function ip(args: readonly string[]): void {
  const run = spawnSync('ip', [...args], { encoding: 'utf8' });
  if (run.error !== undefined) throw new Error(`cannot run ip: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`ip ${args.join(' ')} failed (exit ${run.status}): ${run.stderr.trim()}`);
}

function addNamespace(name: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', deleteNamespaces);
  }
  ip(['netns', 'add', name]);
  created.push(name);
  ip(['-n', name, 'link', 'set', 'lo', 'up']);
}

function deleteNamespaces(): void {
  while (created.length > 0) spawnSync('ip', ['netns', 'delete', created.pop()!], { stdio: 'ignore' });
}

/** Builds the LAN; returns the server namespace and each device's namespace, in plan order. */
function buildLan(): { server: string; devices: string[] } {
  const server = `${NAMESPACE_PREFIX}-server`;
  addNamespace(server);
  ip(['-n', server, 'link', 'add', DHCP_BRIDGE, 'type', 'bridge']);
  ip(['-n', server, 'addr', 'add', `${DHCP_SERVER_V4}/${PREFIX_LENGTH}`, 'dev', DHCP_BRIDGE]);
  for (const device of DHCP_DEVICES) ip(['-n', server, 'addr', 'add', `${device.cloud.ipv4}/32`, 'dev', DHCP_BRIDGE]);
  ip(['-n', server, 'link', 'set', DHCP_BRIDGE, 'up']);
  const devices = DHCP_DEVICES.map((device, i) => {
    const ns = `${NAMESPACE_PREFIX}-device${i}`;
    const port = `port${i}`;
    addNamespace(ns);
    ip(['link', 'add', port, 'netns', server, 'type', 'veth', 'peer', 'name', DEVICE_LINK, 'netns', ns]);
    ip(['-n', server, 'link', 'set', port, 'master', DHCP_BRIDGE, 'up']);
    ip(['-n', ns, 'link', 'set', DEVICE_LINK, 'address', device.mac, 'up']);
    // Without an address the device has no route for its broadcasts: give it one, as a client's raw socket would.
    ip(['-n', ns, 'route', 'add', '255.255.255.255', 'dev', DEVICE_LINK]);
    return ns;
  });
  return { server, devices };
}

/** dnsmasq serving DHCP and the clouds' names on the bridge; `no-ping` skips its 3-second check that an address is free. */
function startDhcpServer(server: string, dir: string): Promise<Daemon> {
  const args = [
    'netns', 'exec', server, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', ...cloudDnsArgs(DHCP_DEVICES), '--pid-file=',
    `--interface=${DHCP_BRIDGE}`, '--bind-interfaces', '--dhcp-authoritative', '--no-ping', '--log-dhcp', '--log-facility=-',
    '--user=root', `--dhcp-range=${DHCP_POOL_FIRST},${DHCP_POOL_LAST},255.255.255.0,${DHCP_LEASE_SECONDS}`,
    `--domain=${DHCP_DOMAIN}`, `--dhcp-leasefile=${path.join(dir, 'dhcp.leases')}`,
  ];
  return startDaemon({ name: 'dnsmasq (DHCP)', command: 'ip', args, readyPattern: /DHCP, sockets bound exclusively/, readyTimeoutMs: READY_TIMEOUT_MS });
}

/** What dhcp-client.ts prints: the address leased, as a 32-bit number. */
interface Lease {
  readonly mac: string;
  readonly yiaddr: number;
}

/** Records the plan's DHCP exchanges and cloud visits into `file` (in `dir`, with dnsmasq's lease file); returns what tcpdump captured and the server's log. */
export async function recordDhcpExchanges(plan: RecordingPlan, file: string, dir: string): Promise<{ result: CaptureResult; serverLog: string }> {
  if (plan.iface !== DHCP_BRIDGE) throw new Error(`${plan.name} is not a DHCP recording`);
  if (!existsSync(CLIENT_SCRIPT)) throw new Error(`missing ${CLIENT_SCRIPT}`);
  try {
    const lan = buildLan();
    const dnsmasq = await startDhcpServer(lan.server, dir);
    const tlsServers = await startCloudTlsServers(DHCP_DEVICES, lan.server, dir).catch(async (error: unknown) => {
      await dnsmasq.stop();
      throw error;
    });
    try {
      const capture = await startCapture(plan, file, null, lan.server);
      try {
        for (const [i, device] of DHCP_DEVICES.entries()) {
          // The recorder runs under `node --import tsx`: the client runs the same way.
          const run = await runCommand('ip', ['netns', 'exec', lan.devices[i]!, process.execPath, ...process.execArgv, CLIENT_SCRIPT, JSON.stringify(device)], CLIENT_TIMEOUT_MS);
          if (run.status !== '0') throw new Error(`the DHCP client of ${device.mac} failed (${run.status}): ${run.stderr.trim()}\n${dnsmasq.output()}`);
          const lease = JSON.parse(run.stdout) as Lease;
          await visitCloud(device, lan.devices[i]!, DEVICE_LINK, formatIpv4(lease.yiaddr));
        }
        await sleep(SETTLE_MS);
      } catch (error) {
        await stopCapture(capture).catch(() => undefined);
        throw error;
      }
      return { result: await stopCapture(capture), serverLog: dnsmasq.output() };
    } finally {
      for (const server of tlsServers) await server.stop();
      await dnsmasq.stop();
    }
  } finally {
    deleteNamespaces();
  }
}
