/**
 * A ClientHello's JA3 fingerprint (Salesforce's JA3, as tshark 4.0 computes `tls.handshake.ja3_full`
 * and `tls.handshake.ja3`): the hello's version, cipher suites, extension types, supported groups and
 * EC point formats, in decimal, each list joined by `-` and the five fields by `,`, GREASE values
 * (RFC 8701: 0x0a0a, 0x1a1a ... 0xfafa) left out of every list; the fingerprint is the MD5 of that
 * string, as lower-case hex. A TLS library and its settings give one fingerprint, so one seen from a
 * device names the SDK or firmware that made the connection (a maker's, or a module's).
 *
 * ```ts
 * ja3Full(hello); // '771,49195-49199-...,0-23-65281-10-11-35-16-5-13-18-51-45-43-27,29-23-24,0'
 * ja3(hello);     // 'cd08e31494f9531f560d64c695473da9'
 * ```
 *
 * tshark 4.0 has no JA4 field (it came with Wireshark 4.2), so no oracle checks one here: JA4 is not
 * computed.
 */
import { createHash } from 'node:crypto';
import type { TlsClientHelloLayer } from './tls-client-hello.js';

/** True for a GREASE value (RFC 8701): both bytes equal, each of the form 0x?a. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

const decimalList = (xs: readonly number[]): string => {
  let s = '';
  for (const x of xs) {
    if (isGrease(x)) continue;
    s += s === '' ? String(x) : `-${x}`;
  }
  return s;
};

/** The JA3 string of a ClientHello (tshark's `tls.handshake.ja3_full`). */
export function ja3Full(hello: TlsClientHelloLayer): string {
  return [
    String(hello.handshakeVersion),
    decimalList(hello.cipherSuites),
    decimalList(hello.extensions.map((e) => e.type)),
    decimalList(hello.supportedGroups),
    hello.ecPointFormats.join('-'),
  ].join(',');
}

/** The JA3 fingerprint: the MD5 of {@link ja3Full}, lower-case hex (tshark's `tls.handshake.ja3`). */
export function ja3(hello: TlsClientHelloLayer): string {
  return createHash('md5').update(ja3Full(hello)).digest('hex');
}
