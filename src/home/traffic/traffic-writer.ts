/**
 * Writes synthetic Ethernet traffic into a capture: UDP datagrams, TCP connections (handshake, data
 * cut to the MSS with sequence and acknowledgement numbers kept, teardown), DNS lookups and TLS
 * sessions whose ClientHello carries a server name. Every frame has correct lengths and checksums
 * (built by `decode/net/packet-builder.ts`), so tshark reads it without complaint.
 *
 * Times are microseconds since the epoch held in a number (exact to 2^53 µs, year 2255).
 */
import type { PacketToWrite } from '../../capture/capture-writer.js';
import { ethernetCodec, ETHERNET_HEADER_BYTES, type EthernetLayer } from '../../decode/link/ethernet.js';
import { buildPacket, type BuildableLayer } from '../../decode/net/packet-builder.js';
import { makeIpv4, makeIpv6, makeTcp, makeUdp } from '../../decode/net/make-layer.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../../decode/net/tcp.js';
import { encodeDnsMessage } from '../../decode/app/dns.js';
import { dnsMessage } from '../../decode/app/dns-fixtures.js';
import { encodeClientHello } from '../../decode/app/tls-client-hello-encoder.js';
import { Random } from '../../core/random.js';

/** An endpoint: its MAC (or the router's, for hosts beyond it) and its IP (v4 number or v6 text). */
export interface Endpoint {
  readonly mac: number;
  readonly ip: number | string;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const TCP_MSS = 1448;
const TLS_RECORD_HEADER_BYTES = 5;
const TLS_APPLICATION_DATA = 23;
/** The longest TLS record body (TLSCiphertext, RFC 8446 §5.2): 2^14 + 256 bytes. */
const TLS_MAX_CIPHERTEXT_BYTES = 2 ** 14 + 256;
const TLS_HANDSHAKE = 22;

/** Where frames go: a capture writer, or a {@link SortingSink} in front of one. */
export interface FrameSink {
  writePacket(packet: PacketToWrite): void;
}

export class TrafficWriter {
  readonly random: Random;
  private ipId = 1;

  constructor(
    private readonly writer: FrameSink,
    seed: number,
  ) {
    this.random = new Random(seed);
  }

  /** Writes one frame: Ethernet, IP, the transport layer and `payload`, at `timeUs`. */
  frame(timeUs: number, from: Endpoint, to: Endpoint, transport: BuildableLayer, payload: Uint8Array): void {
    const v4 = typeof from.ip === 'number';
    const ip = v4
      ? makeIpv4({ src: from.ip as number, dst: to.ip as number, identification: (this.ipId = (this.ipId + 1) & 0xffff), dontFragment: true })
      : makeIpv6({ src: from.ip as string, dst: to.ip as string });
    const packet = buildPacket([ip, transport], payload);
    const frame = new Uint8Array(ETHERNET_HEADER_BYTES + packet.length);
    const eth: EthernetLayer = {
      kind: 'ethernet',
      offset: 0,
      headerLength: ETHERNET_HEADER_BYTES,
      payloadLength: packet.length,
      dst: to.mac,
      src: from.mac,
      etherType: v4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6,
      length8023: null,
    };
    ethernetCodec.encode(eth, frame, 0);
    frame.set(packet, ETHERNET_HEADER_BYTES);
    const us = Math.round(timeUs);
    const tsSec = Math.floor(us / 1e6);
    this.writer.writePacket({ tsSec, tsNsec: (us - tsSec * 1e6) * 1000, data: frame });
  }

  udp(timeUs: number, from: Endpoint, to: Endpoint, srcPort: number, dstPort: number, payload: Uint8Array): void {
    this.frame(timeUs, from, to, makeUdp({ srcPort, dstPort }), payload);
  }

  /**
   * A DNS lookup of `name` (type A, or AAAA when `answers` are IPv6 text) through `resolver`: the
   * query, then after `rttUs` the answer with a CNAME chain (when given) and the addresses.
   */
  dnsLookup(
    timeUs: number,
    client: Endpoint,
    resolver: Endpoint,
    name: string,
    answers: { addresses: readonly string[]; cnames?: readonly string[]; ttl?: number },
    rttUs = 15_000,
  ): number {
    const id = this.random.int(0, 0xffff);
    const port = this.random.int(32768, 60999);
    const aaaa = answers.addresses.some((a) => a.includes(':'));
    const type = aaaa ? 28 : 1;
    const question = { name, type, class: 1, unicastResponse: false };
    const query = dnsMessage({ id, flags: 0x0100, questions: [question] });
    this.udp(timeUs, client, resolver, port, 53, encodeDns(query));
    const ttl = answers.ttl ?? 300;
    const chain = [name, ...(answers.cnames ?? [])];
    const records = [
      ...chain.slice(1).map((target, i) => ({ name: chain[i], type: 5, class: 1, cacheFlush: false, ttl, data: { type: 'CNAME' as const, name: target } })),
      ...answers.addresses.map((address) => ({
        name: chain[chain.length - 1],
        type,
        class: 1,
        cacheFlush: false,
        ttl,
        data: aaaa ? { type: 'AAAA' as const, address } : { type: 'A' as const, address },
      })),
    ];
    const response = dnsMessage({ id, flags: 0x8180, questions: [question], answers: records }, 0, true);
    this.udp(timeUs + rttUs, resolver, client, 53, port, encodeDns(response, true));
    return timeUs + rttUs;
  }

  /** Opens a TCP connection from `client` to `server:port`; returns it after the three-way handshake. */
  connect(timeUs: number, client: Endpoint, server: Endpoint, port: number, rttUs = 30_000): TcpConnection {
    return new TcpConnection(this, timeUs, client, server, this.random.int(32768, 60999), port, rttUs);
  }

  /**
   * A TLS 1.3 session: connect, ClientHello with `serverName`, a ServerHello and the encrypted
   * server flight, then `exchanges` request/response pairs of application data, then close.
   * Returns the time the session ends.
   */
  tlsSession(
    timeUs: number,
    client: Endpoint,
    server: Endpoint,
    serverName: string,
    options: { port?: number; alpn?: readonly string[]; exchanges?: readonly [number, number][]; rttUs?: number; keepOpenUs?: number } = {},
  ): number {
    const rtt = options.rttUs ?? 30_000;
    const c = this.connect(timeUs, client, server, options.port ?? 443, rtt);
    c.send(true, this.clientHello(serverName, options.alpn));
    c.wait(rtt);
    c.send(false, this.serverFlight());
    c.send(true, this.appData(74));
    for (const [up, down] of options.exchanges ?? []) {
      c.wait(this.random.int(1_000, 5_000));
      c.send(true, this.appData(up));
      c.wait(rtt);
      c.send(false, this.appData(down));
    }
    c.wait(options.keepOpenUs ?? 0);
    c.close();
    return c.timeUs;
  }

  /** A TLS 1.3 ClientHello naming `serverName` (random and session id from this writer's seed). */
  clientHello(serverName: string, alpn: readonly string[] = []): Uint8Array {
    return encodeClientHello({
      serverNames: [serverName],
      alpn,
      supportedVersions: [0x0304, 0x0303],
      random: this.random.bytes(32),
      sessionId: this.random.bytes(32),
    });
  }

  /** The server's first flight: ServerHello, then the encrypted rest of the handshake. */
  serverFlight(): Uint8Array {
    return concat(serverHello(this.random), this.appData(this.random.int(2000, 4000)));
  }

  /** TLS application-data records holding `bytes` random bytes: one, or more past the longest record. */
  appData(bytes: number): Uint8Array {
    const body = this.random.bytes(bytes);
    const records = Math.max(1, Math.ceil(bytes / TLS_MAX_CIPHERTEXT_BYTES));
    const out = new Uint8Array(bytes + records * TLS_RECORD_HEADER_BYTES);
    for (let i = 0; i < records; i++) {
      const part = body.subarray(i * TLS_MAX_CIPHERTEXT_BYTES, (i + 1) * TLS_MAX_CIPHERTEXT_BYTES);
      out.set(tlsRecord(TLS_APPLICATION_DATA, part), i * (TLS_MAX_CIPHERTEXT_BYTES + TLS_RECORD_HEADER_BYTES));
    }
    return out;
  }
}

/** One TCP connection's state: sequence numbers each way and the current time. */
export class TcpConnection {
  private clientSeq: number;
  private serverSeq: number;

  constructor(
    private readonly w: TrafficWriter,
    public timeUs: number,
    readonly client: Endpoint,
    readonly server: Endpoint,
    readonly clientPort: number,
    readonly serverPort: number,
    private readonly rttUs: number,
  ) {
    this.clientSeq = w.random.int(0, 0xffffffff);
    this.serverSeq = w.random.int(0, 0xffffffff);
    this.segment(true, TCP_SYN, new Uint8Array(0));
    this.clientSeq = (this.clientSeq + 1) >>> 0;
    this.timeUs += rttUs / 2;
    this.segment(false, TCP_SYN | TCP_ACK, new Uint8Array(0));
    this.serverSeq = (this.serverSeq + 1) >>> 0;
    this.timeUs += rttUs / 2;
    this.segment(true, TCP_ACK, new Uint8Array(0));
  }

  wait(us: number): void {
    this.timeUs += us;
  }

  /** Sends `data` one way, cut to the MSS, with an ACK back for every second segment. */
  send(fromClient: boolean, data: Uint8Array): void {
    for (let at = 0, n = 0; at < data.length; at += TCP_MSS, n++) {
      const part = data.subarray(at, Math.min(data.length, at + TCP_MSS));
      this.segment(fromClient, TCP_ACK | TCP_PSH, part);
      if (fromClient) this.clientSeq = (this.clientSeq + part.length) >>> 0;
      else this.serverSeq = (this.serverSeq + part.length) >>> 0;
      this.timeUs += 40 + part.length / 12.5; // ~100 Mbit/s on the wire
      if (n % 2 === 1 || at + TCP_MSS >= data.length) {
        this.timeUs += this.rttUs / 2;
        this.segment(!fromClient, TCP_ACK, new Uint8Array(0));
      }
    }
  }

  close(): void {
    this.segment(true, TCP_FIN | TCP_ACK, new Uint8Array(0));
    this.clientSeq = (this.clientSeq + 1) >>> 0;
    this.timeUs += this.rttUs / 2;
    this.segment(false, TCP_FIN | TCP_ACK, new Uint8Array(0));
    this.serverSeq = (this.serverSeq + 1) >>> 0;
    this.timeUs += this.rttUs / 2;
    this.segment(true, TCP_ACK, new Uint8Array(0));
  }

  private segment(fromClient: boolean, flags: number, payload: Uint8Array): void {
    const tcp = makeTcp({
      srcPort: fromClient ? this.clientPort : this.serverPort,
      dstPort: fromClient ? this.serverPort : this.clientPort,
      seq: fromClient ? this.clientSeq : this.serverSeq,
      ackNumber: flags & TCP_ACK ? (fromClient ? this.serverSeq : this.clientSeq) : 0,
      flags,
      window: 64240,
    });
    this.w.frame(this.timeUs, fromClient ? this.client : this.server, fromClient ? this.server : this.client, tcp, payload);
  }
}

function encodeDns(layer: ReturnType<typeof dnsMessage>, compress = false): Uint8Array {
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0, { compress }));
  encodeDnsMessage(layer, out, 0, { compress });
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A TLS record of `type` around `body`. */
export function tlsRecord(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(TLS_RECORD_HEADER_BYTES + body.length);
  out[0] = type;
  out[1] = 3;
  out[2] = 3;
  out[3] = body.length >>> 8;
  out[4] = body.length & 0xff;
  out.set(body, TLS_RECORD_HEADER_BYTES);
  return out;
}

/** A TLS 1.3 ServerHello (TLS_AES_128_GCM_SHA256, x25519 key share) in a handshake record. */
function serverHello(random: Random): Uint8Array {
  const keyShare = random.bytes(32);
  const extensions = [0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, ...keyShare];
  const sessionId = random.bytes(32);
  const body = [0x03, 0x03, ...random.bytes(32), 32, ...sessionId, 0x13, 0x01, 0x00, extensions.length >>> 8, extensions.length & 0xff, ...extensions];
  const handshake = [0x02, 0, body.length >>> 8, body.length & 0xff, ...body];
  return tlsRecord(TLS_HANDSHAKE, Uint8Array.from(handshake));
}

/**
 * Holds frames written out of time order (several devices talking at once) and passes them on in
 * time order when told that nothing earlier will come ({@link flushBefore}) or at the end.
 */
export class SortingSink implements FrameSink {
  private held: PacketToWrite[] = [];

  constructor(private readonly out: FrameSink) {}

  writePacket(packet: PacketToWrite): void {
    this.held.push(packet);
  }

  /** Passes on every held frame earlier than `tsSec` (in time order). */
  flushBefore(tsSec: number): void {
    this.held.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
    let n = 0;
    while (n < this.held.length && this.held[n].tsSec < tsSec) this.out.writePacket(this.held[n++]);
    this.held = this.held.slice(n);
  }

  flush(): void {
    this.flushBefore(Infinity);
  }
}
