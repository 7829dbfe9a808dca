/**
 * What `peephole inspect` reports about the packets of a capture. {@link TrafficSummaryBuilder} takes decoded
 * packets one at a time in bounded memory (every table has a cap; past it, new keys are counted as
 * "more" instead of stored) and {@link TrafficSummaryBuilder.finish} gives a plain, JSON-ready object.
 */
import { formatIpv4, formatMac } from '../core/bytes.js';
import type { CommonShape, Packet } from '../decode/packet.js';
import { DNS_DIGEST_A, DNS_DIGEST_AAAA, DNS_DIGEST_NAME_IDS, type DnsDigest } from '../decode/app/dns-digest.js';
import { addressText as ipv6Text } from '../decode/net/ipv6.js';
import type { CaptureRecord } from '../capture/record.js';
import type { Layer } from '../decode/layer.js';
import { formatTimeEpoch } from '../capture/record.js';

export interface HostStats {
  address: string;
  mac: string | null;
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
}

export interface NameStats {
  name: string;
  queries: number;
  responses: number;
  /** Addresses and CNAME targets the answers gave for the name (first 16). */
  answers: string[];
}

export interface ServerNameStats {
  name: string;
  clientHellos: number;
  alpn: string[];
}

export interface TrafficSummary {
  packets: number;
  /** Sum of frame.len (bytes on the wire). */
  wireBytes: number;
  /** Sum of captured bytes. */
  capturedBytes: number;
  firstTime: string | null;
  lastTime: string | null;
  durationSeconds: number;
  linkTypes: { linkType: number; packets: number }[];
  protocols: Record<string, number>;
  hosts: HostStats[];
  /** Host sightings (a packet's source or destination) not counted because the host table was full. */
  hostsNotShown: number;
  dnsNames: NameStats[];
  /** DNS name sightings not counted because the name table was full. */
  dnsNamesNotShown: number;
  tlsServerNames: ServerNameStats[];
  /** Server name sightings not counted because the table was full. */
  tlsServerNamesNotShown: number;
  anomalies: { kind: string; count: number; examples: { frame: number; offset: number; message: string }[] }[];
}

export interface SummaryLimits {
  /** Most distinct hosts kept (default 100 000). */
  maxHosts?: number;
  /** Most distinct DNS names / server names kept (default 100 000). */
  maxNames?: number;
}

interface MutableHost {
  mac: number;
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
}

const newHost = (): MutableHost => ({ mac: -1, packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0 });
const MAX_ANSWERS_PER_NAME = 16;
/**
 * IPv4 answers' text, cached by address in a direct-mapped table: a home's lookups give the same few
 * addresses again and again, each formatted to be compared with the ones kept (in-memory passes
 * over the bench's 30 days of the family home: 126 ns a packet formatting each, 110 with the cache).
 */
const ADDRESS_TEXT_SLOTS = 4096;
/** What TrafficSummaryBuilder keeps per DNS name id (see idCounts). */
const ID_SERIAL = 0;
const ID_QUERIES = 1;
const ID_RESPONSES = 2;
const ID_FULL = 3;
const ID_FIELDS = 4;

export class TrafficSummaryBuilder {
  private packets = 0;
  private wireBytes = 0;
  private capturedBytes = 0;
  private firstSec = Infinity;
  private firstNsec = 0;
  private lastSec = -Infinity;
  private lastNsec = 0;
  private readonly linkTypes = new Map<number, { n: number }>();
  private lastLinkType = -1;
  private lastLinkCounter = { n: 0 };
  private readonly protocols = new Map<string, { n: number }>();
  /** The protocol counters addCommon() uses, looked up once. */
  private commonEthernet: { n: number } | undefined = undefined;
  private commonIpv4: { n: number } | undefined = undefined;
  private commonIpv6: { n: number } | undefined = undefined;
  private commonTcp: { n: number } | undefined = undefined;
  private commonUdp: { n: number } | undefined = undefined;
  private commonVlan: { n: number } | undefined = undefined;
  private commonDns: { n: number } | undefined = undefined;
  private readonly lastKinds: string[] = [];
  private readonly lastKindCounters: { n: number }[] = [];
  /** The two hosts met last (a conversation's two ends), to skip map lookups. */
  private cacheKeyA: unknown = undefined;
  private cacheHostA: MutableHost | undefined = undefined;
  private cacheKeyB: unknown = undefined;
  private cacheHostB: MutableHost | undefined = undefined;
  /**
   * IPv4 hosts by address as a signed 32-bit integer (`address | 0`): a small integer to V8, where
   * an address above 2^31 as such would be a heap number, allocated at every pass to a shared field
   * or argument (measured: 13 young-generation collections in `peephole inspect` of 1 GB, 8 after).
   */
  private readonly hosts4 = new Map<number, MutableHost>();
  private readonly hosts6 = new Map<string, MutableHost>();
  private hostsDropped = 0;
  private readonly names = new Map<string, NameStats>();
  private namesDropped = 0;
  /**
   * What is counted for a DNS name by the digest's name id (see DNS_DIGEST_NAME_IDS): the name's
   * serial number (which name the id stands for now), queries, responses, and whether the entry's
   * answers are full (then its answers are skipped without reading it); and the entry. Counts are
   * added to the entries when an id comes to stand for another name and at finish(). A name met
   * before costs no map look-up and no read of its entry (each at a random place in memory: the
   * DNS/VLAN bench capture asks for 3,800 names); one 32-byte run is read. In-memory passes over the
   * first 400 MB of that capture (best of 16): 296 to 307 ns a packet with a map look-up per name,
   * 258 with this, together with the digest's 4-way name table keyed by the bytes on the wire.
   */
  private readonly idCounts = new Float64Array(DNS_DIGEST_NAME_IDS * ID_FIELDS);
  private readonly idEntries: (NameStats | undefined)[] = new Array<NameStats | undefined>(DNS_DIGEST_NAME_IDS).fill(undefined);
  private readonly addressTexts: (string | undefined)[] = new Array<string | undefined>(ADDRESS_TEXT_SLOTS).fill(undefined);
  private readonly addressKeys = new Int32Array(ADDRESS_TEXT_SLOTS);
  private readonly sni = new Map<string, ServerNameStats>();
  private sniDropped = 0;
  private readonly maxHosts: number;
  private readonly maxNames: number;

  constructor(limits: SummaryLimits = {}) {
    this.maxHosts = limits.maxHosts ?? 100_000;
    this.maxNames = limits.maxNames ?? 100_000;
  }

  add(p: Packet): void {
    this.countFrame(p);
    let mac = -1;
    let seenIp = false;
    const layers: readonly Layer[] = p.layers;
    const kinds = this.lastKinds;
    const counters = this.lastKindCounters;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      // One read of `kind` (it sees every layer shape). Consecutive packets mostly have the same
      // stack of layers: compare kinds before a lookup.
      const kind = l.kind;
      if (kinds[i] !== kind) {
        kinds[i] = kind;
        let c = this.protocols.get(kind);
        if (c === undefined) this.protocols.set(kind, (c = { n: 0 }));
        counters[i] = c;
      }
      counters[i].n++;
      switch (kind) {
        case 'ethernet':
          if (mac < 0) mac = l.src;
          break;
        case 'ipv4':
          if (!seenIp) {
            seenIp = true;
            this.countHost(this.hosts4, l.src | 0, true, p.origLen, mac);
            this.countHost(this.hosts4, l.dst | 0, false, p.origLen, -1);
          }
          break;
        case 'ipv6':
          if (!seenIp) {
            seenIp = true;
            this.countHost(this.hosts6, l.src, true, p.origLen, mac);
            this.countHost(this.hosts6, l.dst, false, p.origLen, -1);
          }
          break;
        case 'dns':
          this.addDns(l);
          break;
        case 'tls':
          for (const name of l.serverNames) {
            const s = this.nameEntry(this.sni, name, () => ({ name, clientHellos: 0, alpn: [] }), 'sni');
            if (!s) continue;
            s.clientHellos++;
            for (const proto of l.alpn) if (!s.alpn.includes(proto) && s.alpn.length < 8) s.alpn.push(proto);
          }
          break;
        default:
          break;
      }
    }
  }

  /**
   * What {@link add} does for the packet `decoder.decode(rec)` would give when
   * `decoder.commonShape(rec, shape)` said true: the same counts, from the shape instead of layers.
   */
  addCommon(rec: CaptureRecord, shape: CommonShape): void {
    this.countFrame(rec);
    // The three layers' counters, in the order add() would first meet them.
    (this.commonEthernet ??= this.protocolCounter('ethernet')).n++;
    if (shape.vlanTags > 0) (this.commonVlan ??= this.protocolCounter('vlan')).n += shape.vlanTags;
    if (shape.network === 'ipv4') {
      (this.commonIpv4 ??= this.protocolCounter('ipv4')).n++;
      this.countHost(this.hosts4, shape.src4 | 0, true, rec.origLen, shape.mac);
      this.countHost(this.hosts4, shape.dst4 | 0, false, rec.origLen, -1);
    } else {
      (this.commonIpv6 ??= this.protocolCounter('ipv6')).n++;
      this.countHost(this.hosts6, shape.src6, true, rec.origLen, shape.mac);
      this.countHost(this.hosts6, shape.dst6, false, rec.origLen, -1);
    }
    if (shape.transport === 'tcp') (this.commonTcp ??= this.protocolCounter('tcp')).n++;
    else (this.commonUdp ??= this.protocolCounter('udp')).n++;
    if (shape.dns !== null) {
      (this.commonDns ??= this.protocolCounter('dns')).n++;
      this.addDnsDigest(shape.dns);
    }
  }

  /** What every packet counts for: itself, its bytes, its time, its link type. */
  private countFrame(f: Pick<Packet, 'origLen' | 'capLen' | 'tsSec' | 'tsNsec' | 'linkType'>): void {
    this.packets++;
    this.wireBytes += f.origLen;
    this.capturedBytes += f.capLen;
    if (f.tsSec < this.firstSec || (f.tsSec === this.firstSec && f.tsNsec < this.firstNsec)) {
      this.firstSec = f.tsSec;
      this.firstNsec = f.tsNsec;
    }
    if (f.tsSec > this.lastSec || (f.tsSec === this.lastSec && f.tsNsec > this.lastNsec)) {
      this.lastSec = f.tsSec;
      this.lastNsec = f.tsNsec;
    }
    if (f.linkType !== this.lastLinkType) {
      this.lastLinkType = f.linkType;
      this.lastLinkCounter = this.linkTypes.get(f.linkType) ?? { n: 0 };
      this.linkTypes.set(f.linkType, this.lastLinkCounter);
    }
    this.lastLinkCounter.n++;
  }

  private protocolCounter(kind: string): { n: number } {
    let c = this.protocols.get(kind);
    if (c === undefined) this.protocols.set(kind, (c = { n: 0 }));
    return c;
  }

  private countHost<K>(map: Map<K, MutableHost>, key: K, sent: boolean, bytes: number, mac: number): void {
    let h: MutableHost | undefined;
    if (key === this.cacheKeyA) h = this.cacheHostA;
    else if (key === this.cacheKeyB) h = this.cacheHostB;
    else {
      h = map.get(key);
      if (h === undefined) {
        if (this.hosts4.size + this.hosts6.size >= this.maxHosts) {
          this.hostsDropped++;
          return;
        }
        map.set(key, (h = newHost()));
      }
      this.cacheKeyB = this.cacheKeyA;
      this.cacheHostB = this.cacheHostA;
      this.cacheKeyA = key;
      this.cacheHostA = h;
    }
    if (h === undefined) return;
    if (sent) {
      h.packetsSent++;
      h.bytesSent += bytes;
      if (h.mac < 0 && mac >= 0) h.mac = mac;
    } else {
      h.packetsReceived++;
      h.bytesReceived += bytes;
    }
  }

  private nameEntry<T>(map: Map<string, T>, name: string, make: () => T, which: 'dns' | 'sni'): T | undefined {
    let e = map.get(name);
    if (e === undefined) {
      if (map.size >= this.maxNames) {
        if (which === 'dns') this.namesDropped++;
        else this.sniDropped++;
        return undefined;
      }
      map.set(name, (e = make()));
    }
    return e;
  }

  /** The entry of a DNS name, made when new; undefined (and counted) when the table is full. */
  private dnsName(name: string): NameStats | undefined {
    let e = this.names.get(name);
    if (e === undefined) {
      if (this.names.size >= this.maxNames) {
        this.namesDropped++;
        return undefined;
      }
      this.names.set(name, (e = { name, queries: 0, responses: 0, answers: [] }));
    }
    return e;
  }

  private addDns(l: Extract<Layer, { kind: 'dns' }>): void {
    for (const q of l.questions) {
      const e = this.dnsName(q.name);
      if (!e) continue;
      if (l.isResponse) e.responses++;
      else e.queries++;
    }
    for (const rr of l.answers) {
      const d = rr.data;
      const value = d.type === 'A' || d.type === 'AAAA' ? d.address : d.type === 'CNAME' ? d.name : null;
      if (value === null) continue;
      const e = this.dnsName(rr.name);
      if (e && e.answers.length < MAX_ANSWERS_PER_NAME && !e.answers.includes(value)) e.answers.push(value);
    }
  }

  /** What {@link addDns} does for the layer of a message the digest read: an answer's text is made only when it may be kept. */
  private addDnsDigest(d: DnsDigest): void {
    const counts = this.idCounts;
    const field = d.isResponse ? ID_RESPONSES : ID_QUERIES;
    for (let i = 0; i < d.questionCount; i++) {
      const name = d.questionNames[i];
      const id = d.questionIds[i];
      if (id >= 0) {
        if (this.bind(d, name, id)) counts[id * ID_FIELDS + field]++;
        continue;
      }
      const e = this.dnsName(name);
      if (!e) continue;
      if (d.isResponse) e.responses++;
      else e.queries++;
    }
    // The answers come in runs of one owner (the addresses of one name): a full entry's run is
    // skipped. (For a name the table has no room for, each answer is a sighting not shown.)
    for (let k = 0; k < d.ownerCount; k++) {
      const id = d.ownerIds[k];
      const e = id >= 0 ? (this.bind(d, d.ownerNames[k], id) ? this.idEntries[id]! : undefined) : this.dnsName(d.ownerNames[k]);
      if (e === undefined) {
        this.namesDropped += d.ownerEnd(k) - d.ownerStarts[k] - 1;
        continue;
      }
      if (id >= 0 && counts[id * ID_FIELDS + ID_FULL] === 1) continue;
      for (let i = d.ownerStarts[k], end = d.ownerEnd(k); i < end; i++) {
        if (e.answers.length >= MAX_ANSWERS_PER_NAME) break;
        const type = d.answerTypes[i];
        const value = type === DNS_DIGEST_A ? this.addressText(d.answerValues[i]) : type === DNS_DIGEST_AAAA ? ipv6Text(d.bytes, d.answerValues[i]) : d.answerTargets[i];
        if (!e.answers.includes(value)) e.answers.push(value);
      }
      if (id >= 0 && e.answers.length >= MAX_ANSWERS_PER_NAME) counts[id * ID_FIELDS + ID_FULL] = 1;
    }
  }

  /**
   * Makes `id` stand for `name` (the entry made when new): false when the name table has no room for
   * it (the sighting counted as not shown).
   */
  private bind(d: DnsDigest, name: string, id: number): boolean {
    const at = id * ID_FIELDS;
    const serial = d.nameSerial(id);
    if (this.idCounts[at + ID_SERIAL] === serial) return true;
    const e = this.dnsName(name);
    if (e === undefined) return false;
    this.flushId(id);
    this.idCounts[at + ID_SERIAL] = serial;
    this.idEntries[id] = e;
    this.idCounts[at + ID_FULL] = e.answers.length >= MAX_ANSWERS_PER_NAME ? 1 : 0;
    return true;
  }

  /** Adds what was counted for an id to its entry. */
  private flushId(id: number): void {
    const e = this.idEntries[id];
    if (e === undefined) return;
    const at = id * ID_FIELDS;
    e.queries += this.idCounts[at + ID_QUERIES];
    e.responses += this.idCounts[at + ID_RESPONSES];
    this.idCounts[at + ID_QUERIES] = 0;
    this.idCounts[at + ID_RESPONSES] = 0;
  }

  /** formatIpv4(address), from the cache when it was made before. */
  private addressText(address: number): string {
    const slot = (address ^ (address >>> 12)) & (ADDRESS_TEXT_SLOTS - 1);
    const known = this.addressTexts[slot];
    if (known !== undefined && this.addressKeys[slot] === (address | 0)) return known;
    const text = formatIpv4(address);
    this.addressTexts[slot] = text;
    this.addressKeys[slot] = address | 0;
    return text;
  }

  finish(anomalies: TrafficSummary['anomalies'] = []): TrafficSummary {
    for (let id = 0; id < DNS_DIGEST_NAME_IDS; id++) this.flushId(id);
    const hosts: HostStats[] = [];
    const push = (address: string, h: MutableHost): void => {
      hosts.push({
        address,
        mac: h.mac >= 0 ? formatMac(h.mac) : null,
        packetsSent: h.packetsSent,
        packetsReceived: h.packetsReceived,
        bytesSent: h.bytesSent,
        bytesReceived: h.bytesReceived,
      });
    };
    for (const [ip, h] of this.hosts4) push(formatIpv4(ip >>> 0), h);
    for (const [ip, h] of this.hosts6) push(ip, h);
    hosts.sort((a, b) => b.bytesSent + b.bytesReceived - (a.bytesSent + a.bytesReceived) || (a.address < b.address ? -1 : 1));
    const byName = <T extends { name: string }>(m: Map<string, T>): T[] => [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const seen = this.packets > 0;
    const duration = seen ? this.lastSec - this.firstSec + (this.lastNsec - this.firstNsec) / 1e9 : 0;
    return {
      packets: this.packets,
      wireBytes: this.wireBytes,
      capturedBytes: this.capturedBytes,
      firstTime: seen ? formatTimeEpoch(this.firstSec, this.firstNsec) : null,
      lastTime: seen ? formatTimeEpoch(this.lastSec, this.lastNsec) : null,
      durationSeconds: duration,
      linkTypes: [...this.linkTypes].map(([linkType, c]) => ({ linkType, packets: c.n })),
      protocols: Object.fromEntries([...this.protocols].map(([k, c]): [string, number] => [k, c.n]).sort((a, b) => b[1] - a[1])),
      hosts,
      hostsNotShown: this.hostsDropped,
      dnsNames: byName(this.names),
      dnsNamesNotShown: this.namesDropped,
      tlsServerNames: byName(this.sni),
      tlsServerNamesNotShown: this.sniDropped,
      anomalies,
    };
  }
}
