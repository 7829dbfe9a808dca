// The devices' cloud visits in the DHCP recording (see dhcp-netns.ts): the server side (dnsmasq's local
// records for the clouds' names, one `openssl s_server` on each answered address of the LAN's bridge)
// and the device side (once leased: the address on eth0, `dig @DHCP_SERVER_V4 NAME A`, then
// `openssl s_client -connect ANSWER:443 -servername NAME`), every command run in its namespace.
import { spawnSync } from 'node:child_process';
import { runCommand, startDaemon } from './child-processes.js';
import type { Daemon } from './child-processes.js';
import { DHCP_SERVER_V4, DNS_PORT, TLS_PORT } from './plan.js';
import type { DhcpDevice } from './plan.js';
import { makeCertificate } from './certificate.js';

const READY_TIMEOUT_MS = 5000;
/** dig waits this long for its one try; dnsmasq on the same bridge answers in well under a millisecond. */
const DIG_TIMEOUT_S = 2;
const CLIENT_TIMEOUT_MS = 5000;
const PREFIX_LENGTH = 24;

/** The registrable domain of a name (its last two labels), for dnsmasq's `--local`. */
function domainOf(name: string): string {
  return name.split('.').slice(-2).join('.');
}

/**
 * dnsmasq arguments that serve each device's cloud name from local records only: no upstream servers, no
 * /etc/hosts, NXDOMAIN for other names in those domains, queries logged.
 */
export function cloudDnsArgs(devices: readonly DhcpDevice[]): string[] {
  const domains = [...new Set(devices.map((device) => domainOf(device.cloud.name)))];
  return [
    `--port=${DNS_PORT}`,
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--log-queries',
    ...devices.map((device) => `--host-record=${device.cloud.name},${device.cloud.ipv4}`),
    `--local=/${domains.join('/')}/`,
  ];
}


/** Starts one `openssl s_server` per cloud address in `netns` (all at once); the caller stops them. */
export async function startCloudTlsServers(devices: readonly DhcpDevice[], netns: string, dir: string): Promise<Daemon[]> {
  const { key, cert } = makeCertificate(dir, 'netns');
  const started = await Promise.allSettled(
    devices.map((device) =>
      startDaemon({
        name: `openssl s_server ${device.cloud.ipv4}:${TLS_PORT}`,
        command: 'ip',
        args: ['netns', 'exec', netns, 'openssl', 's_server', '-accept', `${device.cloud.ipv4}:${TLS_PORT}`, '-cert', cert, '-key', key, '-www'],
        readyPattern: /^ACCEPT$/m,
        readyTimeoutMs: READY_TIMEOUT_MS,
      }),
    ),
  );
  const daemons = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    for (const daemon of daemons) await daemon.stop();
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return daemons;
}

/**
 * In the device's namespace `netns`: puts the leased address on `link`, asks the LAN's dnsmasq for the
 * device's cloud name, checks the answer is the planned address, and completes a TLS handshake with it.
 */
export async function visitCloud(device: DhcpDevice, netns: string, link: string, leased: string): Promise<void> {
  const ip = spawnSync('ip', ['-n', netns, 'addr', 'add', `${leased}/${PREFIX_LENGTH}`, 'dev', link], { encoding: 'utf8' });
  if (ip.status !== 0) throw new Error(`cannot give ${device.mac} its address ${leased}: ${ip.stderr.trim()}`);
  const { name, ipv4 } = device.cloud;
  const dig = await runCommand(
    'ip',
    ['netns', 'exec', netns, 'dig', `@${DHCP_SERVER_V4}`, '-p', String(DNS_PORT), '+tries=1', `+time=${DIG_TIMEOUT_S}`, '+short', name, 'A'],
    CLIENT_TIMEOUT_MS,
  );
  const answer = dig.stdout.trim();
  if (dig.status !== '0' || answer !== ipv4) throw new Error(`dig from ${device.mac} for ${name} answered ${JSON.stringify(answer)} (${dig.status}), not ${ipv4}: ${dig.stderr.trim()}`);
  const tls = await runCommand(
    'ip',
    ['netns', 'exec', netns, 'openssl', 's_client', '-brief', '-connect', `${answer}:${TLS_PORT}`, '-servername', name],
    CLIENT_TIMEOUT_MS,
  );
  const output = tls.stdout + tls.stderr;
  if (!output.includes('CONNECTION ESTABLISHED')) throw new Error(`openssl s_client from ${device.mac} to ${name} (${answer}) did not complete a handshake (${tls.status}):\n${output}`);
}
