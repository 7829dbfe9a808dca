/**
 * Which layer follows which: one table, kept apart from the layers (after scapy's `bind_layers`).
 * A layer decoder never imports the next one; the packet decoder looks the next one up here.
 *
 * Each row says: after a layer of kind `from`, when its field `field` equals `value`, decode the
 * payload as `to`. A row without `field` always applies. `field: 'port'` is special: UDP and TCP try
 * the lower of the two ports first, then the higher one, as tshark does.
 * `from: 'link'` rows start the chain from the capture's link type.
 */
import { LINKTYPE } from '../core/link-type.js';
import { HTTP_TCP_PORTS } from './app/http.js';

/** Names of decoders the packet decoder knows: layer kinds plus a few entry points. */
export type DecoderName =
  | 'ethernet'
  | 'vlan'
  | 'pppoe'
  | 'sll'
  | 'sll2'
  | 'null'
  | 'loop'
  | 'radiotap'
  | 'ieee80211'
  | 'llc'
  | 'arp'
  | 'ip' // raw IP: version nibble picks ipv4 or ipv6
  | 'ipv4'
  | 'ipv6'
  | 'icmp'
  | 'icmpv6'
  | 'udp'
  | 'tcp'
  | 'dns' // one DNS message in a UDP datagram
  | 'dhcp' // one DHCP message in a UDP datagram
  | 'ssdp' // one SSDP (HTTP over UDP) message in a UDP datagram
  | 'ntp' // one NTP message in a UDP datagram
  | 'http' // an HTTP request head at the start of a TCP segment
  | 'dns-tcp' // length-prefixed DNS messages in a TCP stream
  | 'tls'; // TLS handshake records in a TCP stream (ClientHello)

/** The decoders of a UDP datagram's payload (see app-dispatch.ts). */
export type UdpAppName = 'dns' | 'dhcp' | 'ssdp' | 'ntp';

export interface Binding {
  readonly from: string;
  readonly field?: string;
  readonly value?: number | string | boolean;
  readonly to: DecoderName;
}

const ETHERTYPE_NEXT: [number, DecoderName][] = [
  [0x0800, 'ipv4'],
  [0x86dd, 'ipv6'],
  [0x0806, 'arp'],
  [0x8100, 'vlan'],
  [0x88a8, 'vlan'],
  [0x9100, 'vlan'],
  [0x9200, 'vlan'],
  [0x8864, 'pppoe'],
  [-1, 'llc'], // 802.3 length field: LLC follows (ETHERTYPE_8023_LLC)
];

const etherTypeRows = (from: string): Binding[] =>
  ETHERTYPE_NEXT.map(([value, to]) => ({ from, field: 'etherType', value, to }));

/** DNS ports (DNS 53, mDNS 5353, LLMNR 5355), as tshark registers them. */
export const DNS_UDP_PORTS = [53, 5353, 5355] as const;

/** DHCP ports (server 67, client 68, PXE 4011), as tshark 4.0 registers them (`tshark -G decodes`). */
export const DHCP_UDP_PORTS = [67, 68, 4011] as const;

/** The SSDP port, as tshark registers it. */
export const SSDP_UDP_PORT = 1900;

/** The NTP port, as tshark registers it (`udp.port 123 ntp`). */
export const NTP_UDP_PORT = 123;

/**
 * TCP ports bound to TLS by port, as tshark 4.0 binds them (its `tls.port` table, `tshark -G decodes`:
 * HTTPS 443, SMTPS 465, LDAPS 636, DNS over TLS 853, IMAPS 993, POP3S 995, SIPS 5061, AMQPS 5671,
 * MQTT over TLS 8883 ...): a ClientHello there may start with a segment of any length (measured with
 * first segments of 1 to 6 bytes). 3389 is in that table too, but TPKT takes its payloads first, so
 * there tshark finds a hello only by content. On every other port that no other protocol claims
 * (data/tshark-tls-ports.tsv) a ClientHello is found by its content, as tshark's TLS heuristic finds
 * it (see app-dispatch.ts).
 */
export const TLS_TCP_PORTS = [
  324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017,
] as const;

export const DEFAULT_BINDINGS: readonly Binding[] = [
  { from: 'link', value: LINKTYPE.ETHERNET, to: 'ethernet' },
  { from: 'link', value: LINKTYPE.NULL, to: 'null' },
  { from: 'link', value: LINKTYPE.LOOP, to: 'loop' },
  { from: 'link', value: LINKTYPE.RAW, to: 'ip' },
  { from: 'link', value: LINKTYPE.DLT_RAW_12, to: 'ip' },
  { from: 'link', value: LINKTYPE.DLT_RAW_14, to: 'ip' },
  { from: 'link', value: LINKTYPE.IPV4, to: 'ipv4' },
  { from: 'link', value: LINKTYPE.IPV6, to: 'ipv6' },
  { from: 'link', value: LINKTYPE.LINUX_SLL, to: 'sll' },
  { from: 'link', value: LINKTYPE.LINUX_SLL2, to: 'sll2' },
  { from: 'link', value: LINKTYPE.IEEE802_11, to: 'ieee80211' },
  { from: 'link', value: LINKTYPE.IEEE802_11_RADIOTAP, to: 'radiotap' },
  ...etherTypeRows('ethernet'),
  ...etherTypeRows('vlan'),
  // LLC without SNAP has no EtherType (-1): nothing follows it, so LLC never binds to LLC again.
  ...etherTypeRows('llc').filter((b) => b.value !== -1),
  ...ETHERTYPE_NEXT.map(([value, to]): Binding => ({ from: 'sll', field: 'protocol', value, to })),
  ...ETHERTYPE_NEXT.map(([value, to]): Binding => ({ from: 'sll2', field: 'protocol', value, to })),
  // Linux monitor-mode interfaces (ARPHRD_IEEE80211_RADIOTAP) captured with -i any.
  { from: 'sll', field: 'arphrdType', value: 803, to: 'radiotap' },
  { from: 'sll2', field: 'arphrdType', value: 803, to: 'radiotap' },
  { from: 'pppoe', field: 'pppProtocol', value: 0x0021, to: 'ipv4' },
  { from: 'pppoe', field: 'pppProtocol', value: 0x0057, to: 'ipv6' },
  { from: 'loopback', field: 'network', value: 'ipv4', to: 'ipv4' },
  { from: 'loopback', field: 'network', value: 'ipv6', to: 'ipv6' },
  { from: 'radiotap', to: 'ieee80211' },
  { from: 'ieee80211', field: 'payloadKind', value: 'llc', to: 'llc' },
  { from: 'ipv4', field: 'protocol', value: 1, to: 'icmp' },
  { from: 'ipv4', field: 'protocol', value: 6, to: 'tcp' },
  { from: 'ipv4', field: 'protocol', value: 17, to: 'udp' },
  { from: 'ipv4', field: 'protocol', value: 4, to: 'ipv4' },
  { from: 'ipv4', field: 'protocol', value: 41, to: 'ipv6' },
  { from: 'ipv6', field: 'protocol', value: 58, to: 'icmpv6' },
  { from: 'ipv6', field: 'protocol', value: 6, to: 'tcp' },
  { from: 'ipv6', field: 'protocol', value: 17, to: 'udp' },
  { from: 'ipv6', field: 'protocol', value: 4, to: 'ipv4' },
  { from: 'ipv6', field: 'protocol', value: 41, to: 'ipv6' },
  { from: 'icmp', field: 'embedded', value: true, to: 'ipv4' },
  { from: 'icmpv6', field: 'embedded', value: true, to: 'ipv6' },
  ...DNS_UDP_PORTS.map((value): Binding => ({ from: 'udp', field: 'port', value, to: 'dns' })),
  ...DHCP_UDP_PORTS.map((value): Binding => ({ from: 'udp', field: 'port', value, to: 'dhcp' })),
  { from: 'udp', field: 'port', value: SSDP_UDP_PORT, to: 'ssdp' },
  { from: 'udp', field: 'port', value: NTP_UDP_PORT, to: 'ntp' },
  { from: 'tcp', field: 'port', value: 53, to: 'dns-tcp' },
  ...TLS_TCP_PORTS.map((value): Binding => ({ from: 'tcp', field: 'port', value, to: 'tls' })),
  ...HTTP_TCP_PORTS.map((value): Binding => ({ from: 'tcp', field: 'port', value, to: 'http' })),
];

type Selector = (layer: Record<string, unknown>) => unknown;

export interface CompiledRule {
  /** The layer field the rule looks at (undefined for a rule without a field). */
  readonly field: string | undefined;
  /** Reads the rule's field from a layer; undefined for a rule without a field. */
  readonly select: Selector | undefined;
  readonly ports: boolean;
  readonly map: Map<unknown, DecoderName>;
  /** For a port rule: its ports as a dense rule (see {@link densePortNext}), one indexed read instead of two map lookups. */
  readonly byPort: DenseRule;
  /** The last value looked up and its answer: consecutive packets mostly repeat them. */
  lastValue: unknown;
  lastHit: DecoderName | undefined;
}

/**
 * The bindings compiled for lookups: per `from`, the fields to look at and value → decoder maps.
 * Each rule reads its field through a function of its own, so that the property access stays
 * monomorphic per layer kind (a shared `layer[field]` would be megamorphic on the hot path).
 */
export class BindingTable {
  private readonly byFrom = new Map<string, CompiledRule[]>();
  private readonly links = new Map<unknown, DecoderName>();
  private lastLinkType = NaN;
  private lastLinkDecoder: DecoderName | undefined = undefined;

  constructor(bindings: readonly Binding[] = DEFAULT_BINDINGS) {
    const drafts = new Map<string, { field: string | undefined; map: Map<unknown, DecoderName> }[]>();
    for (const b of bindings) {
      if (b.from === 'link') {
        if (this.links.has(b.value)) throw new Error(`Binding defined twice: link=${String(b.value)}`);
        this.links.set(b.value, b.to);
        continue;
      }
      let rules = drafts.get(b.from);
      if (!rules) drafts.set(b.from, (rules = []));
      let rule = rules.find((r) => r.field === b.field);
      if (!rule) rules.push((rule = { field: b.field, map: new Map() }));
      if (rule.map.has(b.value)) throw new Error(`Binding defined twice: ${b.from}.${b.field ?? '*'}=${String(b.value)}`);
      rule.map.set(b.value, b.to);
    }
    for (const [from, rules] of drafts) {
      this.byFrom.set(
        from,
        rules.map(({ field, map }) => ({
          field,
          select: field === undefined || field === 'port' ? undefined : selector(field),
          ports: field === 'port',
          map,
          byPort: field === 'port' ? denseArray(map) : NO_PORTS,
          lastValue: NaN,
          lastHit: undefined,
        })),
      );
    }
  }

  /** The decoder for a capture's link type, or undefined when no decoder handles it. */
  forLinkType(linkType: number): DecoderName | undefined {
    // Every packet asks, and a capture mostly has one link type: the last answer is kept.
    if (linkType !== this.lastLinkType) {
      this.lastLinkType = linkType;
      this.lastLinkDecoder = this.links.get(linkType);
    }
    return this.lastLinkDecoder;
  }

  /**
   * The decoder for what follows `layer`, or undefined. Callers that know the layer's kind pass it,
   * which spares a read of `kind` that sees every layer shape.
   */
  next(layer: { readonly kind: string }, kind: string = layer.kind): DecoderName | undefined {
    const rules = this.byFrom.get(kind);
    return rules === undefined ? undefined : this.nextBy(rules, layer);
  }

  /** The compiled rules for layers of `kind`, for {@link nextBy} (empty when nothing follows it). */
  rulesFor(kind: string): readonly CompiledRule[] {
    return this.byFrom.get(kind) ?? [];
  }

  /**
   * For a layer kind whose bindings are exactly one rule on `field` with integer values from -1 to
   * 65535 (EtherTypes, IP protocols, ports: every default row of the hot kinds): that rule as an
   * array indexed by value + 1, for {@link denseNext}; null when the bindings are not of that form.
   * The packet decoder reads the field itself (one object shape per call site) and indexes the array:
   * no selector call, which {@link nextBy} makes through a call site that sees every kind's selector.
   */
  denseRule(kind: string, field: string): DenseRule | null {
    const rules = this.byFrom.get(kind);
    if (rules === undefined || rules.length !== 1) return null;
    const rule = rules[0];
    if (rule.field !== field) return null;
    for (const value of rule.map.keys()) if (!isDenseValue(value)) return null;
    return denseArray(rule.map);
  }

  /** {@link next} with the rules of the layer's kind looked up once beforehand (the hot path). */
  nextBy(rules: readonly CompiledRule[], layer: object): DecoderName | undefined {
    const fields = layer as unknown as Record<string, unknown>;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.ports) {
        const hit = densePortNext(rule.byPort, fields.srcPort as number, fields.dstPort as number);
        if (hit !== undefined) return hit;
      } else if (rule.select === undefined) {
        return rule.map.get(undefined);
      } else {
        const value = rule.select(fields);
        if (value !== rule.lastValue) {
          rule.lastValue = value;
          rule.lastHit = rule.map.get(value);
        }
        if (rule.lastHit !== undefined) return rule.lastHit;
      }
    }
    return undefined;
  }
}

/**
 * Reads `field`. The fields of the default bindings each get a function literal of their own: closures
 * made by one literal share their type feedback, and a shared `layer[field]` over every layer kind and
 * field name is a megamorphic keyed read on the hot path.
 */
function selector(field: string): Selector {
  switch (field) {
    case 'etherType':
      return (layer) => layer.etherType;
    case 'protocol':
      return (layer) => layer.protocol;
    case 'pppProtocol':
      return (layer) => layer.pppProtocol;
    case 'arphrdType':
      return (layer) => layer.arphrdType;
    case 'network':
      return (layer) => layer.network;
    case 'payloadKind':
      return (layer) => layer.payloadKind;
    case 'embedded':
      return (layer) => layer.embedded;
    default:
      return (layer) => layer[field];
  }
}

const PORT_COUNT = 65536;
/** Dense rules hold values -1 (802.3 LLC, for EtherType rules) to 65535, at index value + 1. */
const MAX_DENSE_VALUE = PORT_COUNT - 1;

const isDenseValue = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= -1 && value <= MAX_DENSE_VALUE;

/**
 * The entries of `map` whose keys are dense values (others never match a field that holds one) as an
 * array indexed by value + 1, as long as the largest value needs: a full 65537-entry array per rule
 * measured ~1 ms of every start-up, in allocation and collection.
 */
function denseArray(map: ReadonlyMap<unknown, DecoderName>): DenseRule {
  let largest = -1;
  for (const value of map.keys()) if (isDenseValue(value)) largest = Math.max(largest, value);
  const dense = new Array<DecoderName | undefined>(largest + 2).fill(undefined);
  for (const [value, to] of map) if (isDenseValue(value)) dense[value + 1] = to;
  return dense;
}

/** A one-field rule as an array indexed by value + 1 (see {@link BindingTable.denseRule}). */
export type DenseRule = readonly (DecoderName | undefined)[];

/** The decoder a dense rule binds `value` to (any value the rule does not list gives undefined). */
export function denseNext(rule: DenseRule, value: number): DecoderName | undefined {
  return value >= -1 && value < rule.length - 1 ? rule[value + 1] : undefined;
}

/** The decoder a dense port rule binds a segment's ports to: the lower port first, as tshark tries them. */
export function densePortNext(rule: DenseRule, a: number, b: number): DecoderName | undefined {
  return a < b ? (denseNext(rule, a) ?? denseNext(rule, b)) : (denseNext(rule, b) ?? denseNext(rule, a));
}

const NO_PORTS: DenseRule = [];
