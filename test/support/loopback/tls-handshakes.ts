// TLS handshakes from real clients to the local openssl s_server: `openssl s_client -servername` with a
// chosen version and ALPN list, and curl with `--resolve` (its own ClientHello, ALPN h2,http/1.1).
import { runCommand } from './child-processes.js';
import { LOOPBACK_V6, TLS_SERVER_V4 } from './plan.js';
import type { TlsHandshake } from './plan.js';

const CLIENT_TIMEOUT_MS = 5000;
const CURL_MAX_TIME_S = 3;

function serverAddress(family: 4 | 6): string {
  return family === 4 ? TLS_SERVER_V4 : `[${LOOPBACK_V6}]`;
}

function opensslArgs(handshake: TlsHandshake): string[] {
  const args = ['s_client', '-brief', '-connect', `${serverAddress(handshake.family)}:${handshake.port}`, '-servername', handshake.sni];
  if (handshake.version === '1.2') args.push('-tls1_2');
  if (handshake.version === '1.3') args.push('-tls1_3');
  if (handshake.alpn.length > 0) args.push('-alpn', handshake.alpn.join(','));
  return args;
}

function curlArgs(handshake: TlsHandshake): string[] {
  return [
    '-sSk',
    '--max-time',
    String(CURL_MAX_TIME_S),
    '-o',
    '/dev/null',
    '--resolve',
    `${handshake.sni}:${handshake.port}:${serverAddress(handshake.family)}`,
    `https://${handshake.sni}:${handshake.port}/`,
  ];
}

export interface TlsOptions {
  readonly curlAvailable: boolean;
}

/** Runs each handshake in order (s_server serves one connection at a time); returns those skipped. */
export async function runTlsHandshakes(handshakes: readonly TlsHandshake[], options: TlsOptions): Promise<TlsHandshake[]> {
  const skipped: TlsHandshake[] = [];
  for (const handshake of handshakes) {
    if (handshake.client === 'curl') {
      if (!options.curlAvailable) {
        skipped.push(handshake);
        continue;
      }
      const result = await runCommand('curl', curlArgs(handshake), CLIENT_TIMEOUT_MS);
      if (result.status !== '0') throw new Error(`curl to ${handshake.sni} failed (${result.status}): ${result.stderr}`);
      continue;
    }
    const result = await runCommand('openssl', opensslArgs(handshake), CLIENT_TIMEOUT_MS);
    const output = result.stdout + result.stderr;
    if (!output.includes('CONNECTION ESTABLISHED')) {
      throw new Error(`openssl ${opensslArgs(handshake).join(' ')} did not complete a handshake (${result.status}):\n${output}`);
    }
  }
  return skipped;
}
