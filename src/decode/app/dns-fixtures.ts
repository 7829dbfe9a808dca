/**
 * DNS layer values for tests and the simulator: a query, and a response holding every record type
 * the decoder knows. Built by code, so that no capture bytes are copied into the repository.
 */
import type { DnsLayer, DnsProtocol, DnsQuestion, DnsResourceRecord, DnsTransport } from './dns.js';
import { encodeDnsMessage } from './dns.js';
import type { EchConfigSummary } from './dns-svc-params.js';
import { bytesToHex } from '../hex.js';

export interface DnsMessageSpec {
  readonly id?: number;
  readonly flags?: number;
  readonly protocol?: DnsProtocol;
  readonly transport?: DnsTransport;
  readonly questions?: readonly DnsQuestion[];
  readonly answers?: readonly DnsResourceRecord[];
  readonly authorities?: readonly DnsResourceRecord[];
  readonly additionals?: readonly DnsResourceRecord[];
}

const FLAG_BITS = {
  isResponse: 0x8000,
  authoritative: 0x0400,
  truncated: 0x0200,
  recursionDesired: 0x0100,
  recursionAvailable: 0x0080,
  authenticData: 0x0020,
  checkingDisabled: 0x0010,
} as const;

/**
 * The layer a decoder gives for this message when it starts at `offset` (relative to the packet)
 * and nothing follows it: counts match the sections, flags are split into their fields.
 */
export function dnsMessage(spec: DnsMessageSpec, offset = 0, compress = false): DnsLayer {
  const flags = spec.flags ?? 0;
  const draft: DnsLayer = {
    kind: 'dns',
    offset,
    headerLength: 0,
    payloadLength: 0,
    transport: spec.transport ?? 'udp',
    protocol: spec.protocol ?? 'dns',
    reassembled: false,
    id: spec.id ?? 0x1234,
    flags,
    isResponse: (flags & FLAG_BITS.isResponse) !== 0,
    opcode: (flags >> 11) & 0xf,
    authoritative: (flags & FLAG_BITS.authoritative) !== 0,
    truncated: (flags & FLAG_BITS.truncated) !== 0,
    recursionDesired: (flags & FLAG_BITS.recursionDesired) !== 0,
    recursionAvailable: (flags & FLAG_BITS.recursionAvailable) !== 0,
    authenticData: (flags & FLAG_BITS.authenticData) !== 0,
    checkingDisabled: (flags & FLAG_BITS.checkingDisabled) !== 0,
    rcode: flags & 0xf,
    questionCount: spec.questions?.length ?? 0,
    answerCount: spec.answers?.length ?? 0,
    authorityCount: spec.authorities?.length ?? 0,
    additionalCount: spec.additionals?.length ?? 0,
    questions: spec.questions ?? [],
    answers: spec.answers ?? [],
    authorities: spec.authorities ?? [],
    additionals: spec.additionals ?? [],
  };
  return { ...draft, headerLength: encodeDnsMessage(draft, null, 0, { compress }) };
}

const ECH_VERSION = 0xfe0d;
const ECH_CONFIG_ID = 7;
const KEM_X25519 = 0x0020;
const X25519_PUBLIC_KEY_BYTES = 32;

/** What `decodeEchConfigList` gives for {@link echConfigListHex}. */
export function echConfig(publicName: string): EchConfigSummary {
  return {
    version: ECH_VERSION,
    configId: ECH_CONFIG_ID,
    kemId: KEM_X25519,
    cipherSuites: [{ kdfId: 1, aeadId: 1 }],
    maximumNameLength: 0,
    publicName,
  };
}

/** An ECHConfigList with one draft-13 config for `publicName` (X25519, HKDF-SHA256, AES-128-GCM). */
export function echConfigListHex(publicName: string): string {
  const name = Array.from(new TextEncoder().encode(publicName));
  const contents = [
    ECH_CONFIG_ID,
    KEM_X25519 >> 8,
    KEM_X25519 & 0xff,
    0,
    X25519_PUBLIC_KEY_BYTES,
    ...new Array<number>(X25519_PUBLIC_KEY_BYTES).fill(0x42),
    0,
    4,
    0,
    1,
    0,
    1,
    0,
    name.length,
    ...name,
    0,
    0,
  ];
  const config = [ECH_VERSION >> 8, ECH_VERSION & 0xff, contents.length >> 8, contents.length & 0xff, ...contents];
  return bytesToHex(Uint8Array.from([config.length >> 8, config.length & 0xff, ...config]));
}

export const rr = (name: string, type: number, data: DnsResourceRecord['data'], ttl = 300): DnsResourceRecord => ({
  name,
  type,
  class: 1,
  cacheFlush: false,
  ttl,
  data,
});

/** A response with one record of every type the decoder knows, and one it does not (NSEC). */
export function everyRecordTypeResponse(offset = 0, compress = false): DnsLayer {
  return dnsMessage(
    {
      id: 0xa72f,
      flags: 0x8180,
      questions: [{ name: 'captive.apple.com', type: 1, class: 1, unicastResponse: false }],
      answers: [
        rr('captive.apple.com', 5, { type: 'CNAME', name: 'captive.apple.com.edgekey.net' }),
        rr('captive.apple.com.edgekey.net', 5, { type: 'CNAME', name: 'e7279.e9.akamaiedge.net' }),
        rr('e7279.e9.akamaiedge.net', 1, { type: 'A', address: '23.196.236.203' }),
        rr('e7279.e9.akamaiedge.net', 28, { type: 'AAAA', address: '2001:db8::1' }),
        rr('80.156.17.172.in-addr.arpa', 12, { type: 'PTR', name: 'Art-Teachers-iPad.local' }),
        rr('device._hap._tcp.local', 16, {
          type: 'TXT',
          strings: ['c#=2', 'id=AA:BB', ''],
          raw: [new TextEncoder().encode('c#=2'), new TextEncoder().encode('id=AA:BB'), new Uint8Array(0)],
        }),
        rr('device._hap._tcp.local', 33, { type: 'SRV', priority: 0, weight: 5, port: 8080, target: 'device.local' }),
        rr('example.com', 15, { type: 'MX', preference: 10, exchange: 'mail.example.com' }),
        rr('example.com', 65, {
          type: 'HTTPS',
          priority: 1,
          target: '<Root>',
          params: [
            { key: 0, value: { kind: 'mandatory', keys: [1, 3] } },
            { key: 1, value: { kind: 'alpn', protocols: ['h2', 'h3'] } },
            { key: 2, value: { kind: 'no-default-alpn' } },
            { key: 3, value: { kind: 'port', port: 8443 } },
            { key: 4, value: { kind: 'ipv4hint', addresses: ['104.16.1.2', '104.16.1.3'] } },
            { key: 5, value: { kind: 'ech', configList: echConfigListHex('cloudflare-ech.com'), configs: [echConfig('cloudflare-ech.com')] } },
            { key: 6, value: { kind: 'ipv6hint', addresses: ['2606:4700::6810:102'] } },
            { key: 9999, value: { kind: 'raw', hex: 'beef' } },
          ],
        }),
        rr('_dns.resolver.arpa', 64, { type: 'SVCB', priority: 1, target: 'dns.google', params: [{ key: 1, value: { kind: 'alpn', protocols: ['dot'] } }] }),
        rr('local', 47, { type: 'raw', rrType: 47, hex: '0005400000080003' }),
      ],
      authorities: [
        rr('example.com', 2, { type: 'NS', name: 'a.iana-servers.net' }),
        rr('example.com', 6, {
          type: 'SOA',
          mname: 'ns.icann.org',
          rname: 'noc.dns.icann.org',
          serial: 2024081462,
          refresh: 7200,
          retry: 3600,
          expire: 1209600,
          minimum: 3600,
        }),
      ],
      additionals: [
        {
          name: '<Root>',
          type: 41,
          class: 1232,
          cacheFlush: false,
          ttl: 0x00008000,
          data: { type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, version: 0, dnssecOk: true, options: [{ code: 10, data: '0011223344556677' }] },
        },
      ],
    },
    offset,
    compress,
  );
}
