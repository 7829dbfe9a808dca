// A throwaway self-signed key and certificate for the TLS servers of a recording, made for that run
// only (EC P-256, valid for two days).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CERT_VALID_DAYS = 2;

/** Writes `<name>-server-key.pem` and `<name>-server-cert.pem` into `dir`, for CN `peephole-<name>`. */
export function makeCertificate(dir: string, name: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}-server-key.pem`);
  const cert = path.join(dir, `${name}-server-cert.pem`);
  const req = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=peephole-${name}`,
      '-days', String(CERT_VALID_DAYS), '-keyout', key, '-out', cert],
    { encoding: 'utf8' },
  );
  if (req.status !== 0) throw new Error(`openssl req failed: ${req.stderr}`);
  return { key, cert };
}
