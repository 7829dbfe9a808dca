/**
 * Encrypted DNS on a written capture: every plain DNS exchange of the home (UDP port 53) becomes one
 * over TLS (RFC 7858, port 853) to a public resolver, from the client that asked. Each client keeps a
 * connection open while it asks (closed after `idle` seconds without a question); opening one costs a
 * TCP handshake and a TLS handshake (a ClientHello naming the resolver, the server's flight, the
 * client's Finished) before its first question, which waits that long. Questions and answers are
 * padded as RFC 8467 recommends (to 128 and 468 bytes), each in one TLS record.
 *
 * On a LAN capture the clients are the devices (each asks itself, as a DoT client does); on a WAN
 * capture the home's one address. The DNS names are then gone from the capture; the names in the
 * devices' own TLS ClientHellos (SNI) are not: this is what encrypted DNS alone leaves.
 */
import { parseIpv4 } from '../../core/bytes.js';
import { TrafficWriter } from '../../home/traffic/traffic-writer.js';
import type { Random } from '../../core/random.js';
import type { FrameContext, FrameDefence } from './frame-defence.js';
import { buildFrame, capturedPayload, cutFrame, parseFrame, PROTO_TCP, PROTO_UDP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, type FrameInfo } from './frame-bytes.js';
import type { HeldFrame } from './held-capture.js';

export interface EncryptedDnsOptions {
  /** The resolver's IPv4 address and the name its certificate has (sent as SNI). */
  readonly resolver: string;
  readonly resolverName: string;
  readonly idleSeconds: number;
}

const DNS_PORT = 53;
const DOT_PORT = 853;
const TCP_MSS = 1448;
/** Round trip to the resolver for the handshakes (the answers keep the delay they had). */
const RESOLVER_RTT_US = 20_000;
const LAN_HOP_US = 1_000;
const DELAYED_ACK_US = 40_000;
const TTL = 64;
/** RFC 8467's block sizes: questions padded to a multiple of 128 bytes, answers of 468. */
const QUERY_BLOCK = 128;
const ANSWER_BLOCK = 468;
/** The EDNS(0) OPT record (11 bytes) and its padding option's header (4) the padding adds. */
const EDNS_PADDING_OVERHEAD = 15;
/** TLS 1.3 record: header (5), the inner content type (1) and the AEAD tag (16). */
const TLS13_RECORD_OVERHEAD = 5 + 1 + 16;
/** DNS over TCP's two-byte length before each message. */
const TCP_LENGTH_PREFIX = 2;

interface Exchange {
  readonly client: string;
  readonly queryUs: number;
  answerUs: number;
  readonly queryBytes: number;
  answerBytes: number;
  readonly clientMac: number;
  readonly clientIp: number;
  readonly farMac: number;
}

/** The TCP payload of one DNS message over TLS, padded (RFC 8467). */
export function dotRecordBytes(dnsBytes: number, block: number): number {
  return TLS13_RECORD_OVERHEAD + TCP_LENGTH_PREFIX + Math.ceil((dnsBytes + EDNS_PADDING_OVERHEAD) / block) * block;
}

export function encryptedDnsFrames(options: EncryptedDnsOptions): FrameDefence {
  return {
    apply(frames: readonly HeldFrame[], context: FrameContext): HeldFrame[] {
      const infos = frames.map((f) => parseFrame(f.data, f.origLen));
      const homeSide = (info: FrameInfo, src: boolean): boolean => (context.vantage === 'lan' ? (src ? info.srcLocal : info.dstLocal) : true);
      const out: HeldFrame[] = [];
      const exchanges: Exchange[] = [];
      const open = new Map<string, Exchange>();
      const plain = { frames: 0, bytes: 0 };
      frames.forEach((f, i) => {
        const info = infos[i];
        const query = info !== null && info.proto === PROTO_UDP && !info.ipv6 && info.dstPort === DNS_PORT && homeSide(info, true) && !info.dstGroup;
        const answer = info !== null && info.proto === PROTO_UDP && !info.ipv6 && info.srcPort === DNS_PORT && homeSide(info, false);
        if (!query && !answer) {
          out.push(f);
          return;
        }
        plain.frames++;
        plain.bytes += f.origLen;
        const dns = capturedPayload(f.data, info!);
        const id = dns.length >= 2 ? (dns[0] << 8) | dns[1] : 0;
        if (query) {
          const client = context.vantage === 'lan' ? `${info!.srcMac}` : info!.srcIp;
          const e: Exchange = { client, queryUs: f.timeUs, answerUs: NaN, queryBytes: info!.payloadLen, answerBytes: 0, clientMac: info!.srcMac, clientIp: parseIpv4(info!.srcIp), farMac: info!.dstMac };
          exchanges.push(e);
          open.set(`${info!.srcIp}#${info!.srcPort}#${id}`, e);
        } else {
          const e = open.get(`${info!.dstIp}#${info!.dstPort}#${id}`);
          if (e !== undefined && Number.isNaN(e.answerUs)) {
            e.answerUs = f.timeUs;
            e.answerBytes = info!.payloadLen;
          }
        }
      });
      let snap: number | null = null;
      for (const f of frames) if (f.data.length < f.origLen && (snap === null || f.data.length > snap)) snap = f.data.length;
      const added = writeSessions(exchanges, options, context.random, snap);
      let bytes = 0;
      for (const f of added) {
        out.push(f);
        bytes += f.origLen;
      }
      context.ledger.add('plain DNS', -plain.frames, -plain.bytes);
      context.ledger.add('DNS over TLS', added.length, bytes);
      return out;
    },
  };
}

/** Each client's DoT connections, carrying its questions and answers at their times (the first of a connection after its handshakes). */
function writeSessions(exchanges: readonly Exchange[], options: EncryptedDnsOptions, random: Random, snap: number | null): HeldFrame[] {
  const resolver = parseIpv4(options.resolver);
  const tls = new TrafficWriter({ writePacket: () => undefined }, random.int(0, 0xffff_ffff));
  const idleUs = options.idleSeconds * 1e6;
  const out: HeldFrame[] = [];
  const byClient = new Map<string, Exchange[]>();
  for (const e of exchanges) {
    const list = byClient.get(e.client) ?? [];
    list.push(e);
    byClient.set(e.client, list);
  }
  let ipId = 0;
  for (const list of byClient.values()) {
    list.sort((a, b) => a.queryUs - b.queryUs);
    let session: Session | null = null;
    for (const e of list) {
      if (session !== null && e.queryUs - session.lastUs > idleUs) {
        session.close(session.lastUs + idleUs);
        session = null;
      }
      let askUs = e.queryUs;
      if (session === null) {
        session = new Session(e, resolver, random, out, snap, () => ipId++);
        askUs = session.handshake(e.queryUs, tls, options.resolverName);
      }
      const asked = session.send(Math.max(askUs, session.lastUs), true, dotRecordBytes(e.queryBytes, QUERY_BLOCK), random);
      if (!Number.isNaN(e.answerUs)) {
        const answered = session.send(Math.max(asked + (e.answerUs - e.queryUs), session.lastUs), false, dotRecordBytes(e.answerBytes, ANSWER_BLOCK), random);
        session.ack(answered + DELAYED_ACK_US, true);
      }
    }
    session?.close(session.lastUs + idleUs);
  }
  return out;
}

/** One DoT connection: its ends, sequence numbers, and the frames it wrote. */
class Session {
  private seq: [number, number];
  private readonly port: number;
  lastUs = 0;

  constructor(
    private readonly e: Exchange,
    private readonly resolver: number,
    random: Random,
    private readonly out: HeldFrame[],
    private readonly snap: number | null,
    private readonly nextId: () => number,
  ) {
    this.seq = [random.int(0, 0xffff_ffff), random.int(0, 0xffff_ffff)];
    this.port = random.int(49152, 65535);
  }

  private frame(timeUs: number, up: boolean, flags: number, payload: Uint8Array): void {
    const e = this.e;
    const dir = up ? 0 : 1;
    const f = buildFrame({
      srcMac: up ? e.clientMac : e.farMac,
      dstMac: up ? e.farMac : e.clientMac,
      srcIp: up ? e.clientIp : this.resolver,
      dstIp: up ? this.resolver : e.clientIp,
      ttl: TTL,
      ipId: this.nextId(),
      proto: PROTO_TCP,
      srcPort: up ? this.port : DOT_PORT,
      dstPort: up ? DOT_PORT : this.port,
      seq: this.seq[dir],
      ack: (flags & TCP_ACK) !== 0 ? this.seq[1 - dir] : 0,
      flags,
      payload,
    });
    const consumed = payload.length + ((flags & (TCP_SYN | TCP_FIN)) !== 0 ? 1 : 0);
    this.seq[dir] = (this.seq[dir] + consumed) % 2 ** 32;
    this.out.push({ timeUs: Math.round(timeUs), subUsNs: 0, ...cutFrame(f, this.snap) });
    this.lastUs = Math.max(this.lastUs, timeUs);
  }

  /** TCP's and TLS's handshakes from `t`; returns when the first question can go. */
  handshake(t: number, tls: TrafficWriter, name: string): number {
    this.frame(t, true, TCP_SYN, new Uint8Array(0));
    this.frame(t + RESOLVER_RTT_US, false, TCP_SYN | TCP_ACK, new Uint8Array(0));
    let at = t + RESOLVER_RTT_US + LAN_HOP_US;
    this.frame(at, true, TCP_ACK, new Uint8Array(0));
    at = this.bytes(at, true, tls.clientHello(name, ['dot']));
    at = this.bytes(at + RESOLVER_RTT_US, false, tls.serverFlight());
    this.ack(at + LAN_HOP_US, true);
    return this.bytes(at + 2 * LAN_HOP_US, true, tls.appData(64 - 5)) + LAN_HOP_US;
  }

  /** One DNS message in one TLS record of `recordBytes`; returns when it was sent. */
  send(t: number, up: boolean, recordBytes: number, random: Random): number {
    const record = random.bytes(recordBytes);
    record[0] = 23;
    record[1] = 3;
    record[2] = 3;
    record[3] = ((recordBytes - 5) >> 8) & 0xff;
    record[4] = (recordBytes - 5) & 0xff;
    return this.bytes(t, up, record);
  }

  /** `data` cut to the MSS, from `t`; returns the time of its last segment. */
  private bytes(t: number, up: boolean, data: Uint8Array): number {
    let at = t;
    for (let o = 0; o < data.length; o += TCP_MSS) {
      if (o > 0) at += LAN_HOP_US;
      this.frame(at, up, TCP_ACK | TCP_PSH, data.subarray(o, Math.min(data.length, o + TCP_MSS)));
    }
    return at;
  }

  ack(t: number, up: boolean): void {
    this.frame(t, up, TCP_ACK, new Uint8Array(0));
  }

  close(t: number): void {
    this.frame(t, true, TCP_FIN | TCP_ACK, new Uint8Array(0));
    this.frame(t + RESOLVER_RTT_US, false, TCP_FIN | TCP_ACK, new Uint8Array(0));
    this.frame(t + RESOLVER_RTT_US + LAN_HOP_US, true, TCP_ACK, new Uint8Array(0));
  }
}
