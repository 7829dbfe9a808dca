/**
 * What each observed device is: vendor, category, a confidence, and the evidence behind them — which
 * rule matched which name, first seen when. Names the device asked for (DNS) and connected to (TLS
 * server names, the names its flows' remote addresses were resolved from) vote for the vendor and
 * category of the rule they match; names that only say "a cloud" (amazonaws.com) do not vote; the MAC
 * address's registered vendor (IEEE OUI) is weak evidence, used when no name says more. A router is
 * told by the traffic it forwards for addresses outside the home.
 *
 * On a WAN capture (one public address for the whole home) the one observed "device" is the home's
 * router: its traffic is split into one device per vendor its names point to, which is what an
 * observer at the ISP can tell apart.
 */
import { formatMac } from '../core/bytes.js';
import type { DeviceFlow, DeviceTable, ObservedDevice, SeenName } from './device-table.js';
import type { KnownDevice } from './known-devices.js';
import type { Vantage } from '../core/vantage.js';

/** A vendor rule as the rules table gives it (data/vendor-rules.tsv). */
export interface MatchedRule {
  readonly pattern: string;
  readonly vendor: string;
  readonly category: string;
  readonly source: string;
  readonly line: number;
}

export interface VendorMatcher {
  match(name: string): MatchedRule | null;
}

export interface OuiMatcher {
  (mac: number): { vendor: string } | null;
}

export type EvidenceKind = 'dns_query' | 'tls_server_name' | 'flow_name' | 'dhcp_host_name' | 'dhcp_vendor_class' | 'mdns_name' | 'ssdp_server' | 'oui' | 'forwarding' | 'known';

export interface Evidence {
  kind: EvidenceKind;
  /** The name, address or count the evidence is about (untrusted when it came off the wire). */
  value: string;
  /** First seen, epoch seconds. */
  first: number;
  /** The rule it matched, when it matched one. */
  rule: MatchedRule | null;
}

export interface IdentifiedDevice {
  id: string;
  mac: string | null;
  addresses: string[];
  /** The device's own names (DHCP host name first). */
  names: string[];
  vendor: string | null;
  category: string | null;
  /** 0..1: how much of the evidence agrees, and how much there is. */
  confidence: number;
  /** True when a `--known` entry set what this device is. */
  known: boolean;
  evidence: Evidence[];
  packetsOut: number;
  packetsIn: number;
  bytesOut: number;
  bytesIn: number;
  first: number;
  last: number;
  flows: DeviceFlow[];
}

export interface DevicesReport {
  /** The vantage the report assumes, and the one the traffic suggested. */
  vantage: Vantage;
  vantageDetected: Vantage;
  devices: IdentifiedDevice[];
  devicesNotKept: number;
}

export interface IdentifyOptions {
  rules: VendorMatcher;
  /** What the user says the devices are (MAC or address → name, vendor, category): overrides inference. */
  known?: readonly KnownDevice[];
  oui?: OuiMatcher;
  /** Force the vantage instead of detecting it. */
  vantage?: Vantage;
}

/** Names of each sort and how much a matching one counts. */
const WEIGHT: Record<EvidenceKind, number> = {
  dns_query: 2,
  tls_server_name: 2,
  flow_name: 1,
  dhcp_host_name: 2,
  dhcp_vendor_class: 2,
  mdns_name: 1,
  ssdp_server: 1,
  oui: 0.5,
  forwarding: 0,
  known: 100,
};
/** Share of a device's sent packets that come from outside addresses, past which it is a router. */
const ROUTER_FORWARDED_SHARE = 0.2;
/** Share of IP packets with a home address, past which the capture is a LAN capture. */
const LAN_LOCAL_SHARE = 0.5;

export function identifyDevices(table: DeviceTable, options: IdentifyOptions): DevicesReport {
  const detected: Vantage = table.ipPackets === 0 || table.localPackets / table.ipPackets >= LAN_LOCAL_SHARE ? 'lan' : 'wan';
  const vantage = options.vantage ?? detected;
  const observed = table.list().filter((d) => d.packetsOut > 0);
  const devices =
    vantage === 'lan'
      ? observed.map((d) => identifyOne(d, options))
      : observed.flatMap((d) => splitByVendor(d, options));
  if (options.known && options.known.length > 0) applyKnown(devices, options.known);
  devices.sort((a, b) => b.bytesOut + b.bytesIn - (a.bytesOut + a.bytesIn) || (a.id < b.id ? -1 : 1));
  return { vantage, vantageDetected: detected, devices, devicesNotKept: table.devicesNotKept };
}

function evidenceOf(d: ObservedDevice, rules: VendorMatcher): Evidence[] {
  const out: Evidence[] = [];
  const add = (kind: EvidenceKind, names: readonly SeenName[]): void => {
    for (const n of names) out.push({ kind, value: n.name, first: n.first, rule: rules.match(n.name) });
  };
  add('dhcp_host_name', d.dhcpHostNames);
  add('dhcp_vendor_class', d.dhcpVendorClasses);
  add('dns_query', d.dnsQueries);
  add('tls_server_name', d.tlsServerNames);
  add('mdns_name', d.mdnsNames);
  add('ssdp_server', d.ssdpServers);
  const flowNames = new Map<string, number>();
  for (const f of d.flows) if (f.remoteName !== null && f.packetsOut > 0 && !flowNames.has(f.remoteName)) flowNames.set(f.remoteName, f.first);
  for (const [name, first] of flowNames) out.push({ kind: 'flow_name', value: name, first, rule: rules.match(name) });
  return out;
}

function identifyOne(d: ObservedDevice, options: IdentifyOptions): IdentifiedDevice {
  const evidence = evidenceOf(d, options.rules);
  let router = false;
  if (d.packetsOut > 0 && d.forwardedPackets / d.packetsOut >= ROUTER_FORWARDED_SHARE) {
    router = true;
    evidence.push({ kind: 'forwarding', value: `${d.forwardedPackets} of ${d.packetsOut} packets sent from outside addresses`, first: d.first, rule: null });
  }
  const oui = options.oui?.(d.mac) ?? null;
  if (oui) evidence.push({ kind: 'oui', value: oui.vendor, first: d.first, rule: null });
  const verdict = vote(evidence, oui?.vendor ?? null);
  return {
    id: formatMac(d.mac),
    mac: formatMac(d.mac),
    addresses: d.addresses.map((a) => a.address),
    names: [...d.dhcpHostNames, ...d.mdnsNames.filter((n) => /\.local\.?$/i.test(n.name))].map((n) => n.name),
    vendor: verdict.vendor,
    category: router ? 'router' : verdict.category,
    confidence: verdict.confidence,
    known: false,
    evidence,
    packetsOut: d.packetsOut,
    packetsIn: d.packetsIn,
    bytesOut: d.bytesOut,
    bytesIn: d.bytesIn,
    first: d.first,
    last: d.last,
    flows: router ? [] : d.flows,
  };
}

/** The vendor and category the evidence points to, and how sure that is. */
function vote(evidence: readonly Evidence[], ouiVendor: string | null): { vendor: string | null; category: string | null; confidence: number } {
  const vendors = new Map<string, number>();
  const categories = new Map<string, Map<string, number>>();
  let total = 0;
  for (const e of evidence) {
    const r = e.rule;
    if (r === null || r.category === 'cloud') continue;
    const w = WEIGHT[e.kind];
    total += w;
    vendors.set(r.vendor, (vendors.get(r.vendor) ?? 0) + w);
    if (r.category !== 'generic') {
      let c = categories.get(r.vendor);
      if (!c) categories.set(r.vendor, (c = new Map()));
      c.set(r.category, (c.get(r.category) ?? 0) + w);
    }
  }
  if (total === 0) {
    return { vendor: ouiVendor, category: null, confidence: ouiVendor ? round(WEIGHT.oui / (WEIGHT.oui + 1)) : 0 };
  }
  const [vendor, votes] = best(vendors);
  const byCategory = categories.get(vendor);
  const category = byCategory && byCategory.size > 0 ? best(byCategory)[0] : null;
  const agreement = votes / total;
  const amount = 1 - Math.exp(-votes / 4);
  return { vendor, category, confidence: round(agreement * amount) };
}

/** WAN: one device per vendor the home's names point to, with the flows under those names. */
function splitByVendor(d: ObservedDevice, options: IdentifyOptions): IdentifiedDevice[] {
  const evidence = evidenceOf(d, options.rules);
  const groups = new Map<string, Evidence[]>();
  for (const e of evidence) {
    if (e.rule === null || e.rule.category === 'cloud') continue;
    let g = groups.get(e.rule.vendor);
    if (!g) groups.set(e.rule.vendor, (g = []));
    g.push(e);
  }
  return [...groups].map(([vendor, ev]) => {
    const names = new Set(ev.map((e) => e.value.toLowerCase()));
    const flows = d.flows.filter((f) => f.remoteName !== null && names.has(f.remoteName.toLowerCase()));
    const verdict = vote(ev, null);
    const sum = (pick: (f: DeviceFlow) => number): number => flows.reduce((n, f) => n + pick(f), 0);
    return {
      id: `${vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@${d.addresses[0]?.address ?? formatMac(d.mac)}`,
      mac: null,
      addresses: d.addresses.map((a) => a.address),
      names: [],
      vendor,
      category: verdict.category,
      confidence: verdict.confidence,
      known: false,
      evidence: ev,
      packetsOut: sum((f) => f.packetsOut),
      packetsIn: sum((f) => f.packetsIn),
      bytesOut: sum((f) => f.bytesOut),
      bytesIn: sum((f) => f.bytesIn),
      first: flows.length ? Math.min(...flows.map((f) => f.first)) : d.first,
      last: flows.length ? Math.max(...flows.map((f) => f.last)) : d.last,
      flows,
    };
  });
}

/** Sets what the user told about a device (by MAC, or by any of its addresses), marked as known. */
function applyKnown(devices: IdentifiedDevice[], known: readonly KnownDevice[]): void {
  const byKey = new Map(known.map((k) => [k.key, k]));
  for (const d of devices) {
    const k = (d.mac !== null ? byKey.get(d.mac) : undefined) ?? d.addresses.map((a) => byKey.get(a)).find((x) => x !== undefined);
    if (k === undefined) continue;
    d.vendor = k.vendor;
    d.category = k.category;
    d.confidence = 1;
    d.known = true;
    d.names = [k.name, ...d.names.filter((n) => n !== k.name)];
    d.evidence.unshift({ kind: 'known', value: `${k.name}: ${k.vendor} ${k.category} (line ${k.line})`, first: d.first, rule: null });
  }
}

function best(m: Map<string, number>): [string, number] {
  let top: [string, number] = ['', -1];
  for (const [k, v] of m) if (v > top[1] || (v === top[1] && k < top[0])) top = [k, v];
  return top;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
