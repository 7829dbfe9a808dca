/**
 * `encrypted-dns`: the devices ask a public resolver over TLS (DNS over TLS, RFC 7858) instead of
 * asking the router in plain text (frames/encrypted-dns.ts). The names a device looks up are gone
 * from the capture, and with them the names an observer gives its flows; the names in its own TLS
 * ClientHellos (SNI) stay. The cost: the connections' handshakes, the padding of each question and
 * answer, and a first question that waits for its connection.
 */
import { encryptedDnsFrames } from '../frames/encrypted-dns.js';
import { defence, type Defence, type Strategy } from '../strategy.js';
import { numberParam, type ParamValues } from '../params.js';

/** Cloudflare's public resolver, as a DoT client names it. */
export const DOT_RESOLVER = '1.1.1.1';
export const DOT_RESOLVER_NAME = 'one.one.one.one';

export const ENCRYPTED_DNS: Strategy = {
  name: 'encrypted-dns',
  family: 'hiding',
  summary: 'each device asks a public resolver over TLS (port 853) instead of the router in plain text',
  params: [{ name: 'idle', description: 'a connection without questions for this long is closed', unit: 'seconds', default: 30, min: 1, max: 86_400 }],
  sweep: { param: 'idle', values: [10, 30, 120, 600, 3600] },
  create(params: ParamValues): Defence {
    return defence('encrypted-dns', params, { frames: encryptedDnsFrames({ resolver: DOT_RESOLVER, resolverName: DOT_RESOLVER_NAME, idleSeconds: numberParam(params, 'idle') }) });
  },
};
