/**
 * What each observed device is: vendor, category, a confidence, and the evidence chain behind them —
 * which clue (a DHCP host name, an mDNS service, an SSDP type, a name it asked for or connected to,
 * its MAC's registered owner) matched which row of which knowledge-base table, and how much it
 * counted.
 *
 * Every clue is weighed, and the specific beats the generic:
 *
 * | evidence | vendor weight | category weight |
 * | --- | --- | --- |
 * | a product pattern (data/patterns/: DHCP host name, vendor class or option-55 fingerprint, mDNS service, name or TXT string, SSDP type, USN or server, HTTP user agent or server, JA3) | 3 | 3 |
 * | a maker's cloud name with a category (data/vendor-rules.tsv) | 2 | 2 |
 * | a maker's name without one (`generic`) | 1.5 | - |
 * | a MAC prefix a discovery table names (data/patterns/, `mac_prefix`) | 1.2 | 1 |
 * | the MAC's registered owner (IEEE registry, through data/vendors.tsv): a maker | 1 | 1 when it makes one kind |
 * | ... a maker data/vendors.tsv does not know | 0.7 | - |
 * | ... a device maker for other brands (`odm`) | 0.3 | - |
 * | a platform's name (Google, Apple, Amazon, Microsoft: names devices of every maker use) | 0.3, 0.5 with a category | 1.5 with a category |
 * | a chip or module maker (Espressif, Texas Instruments): its OUI, its SDK's default host name or DHCP fingerprint | 0 | - |
 *
 * A locally administered MAC (randomised, or set by software) has no registered owner: it is
 * flagged (`mac_local`) and neither its prefix nor its owner is looked up. Clues no row matches
 * (a DHCP fingerprint, a JA3, a user agent, TXT strings naming a model) are shown with weight 0.
 *
 * The names a device asked for are its DNS questions, the Host of its plain-HTTP requests and the
 * NTP servers it asked for the time (by the name the server's address stood for). A name the device
 * only reached (a flow's remote name, resolved for whoever asked) counts half of one it asked for or
 * sent as a TLS server name; one name seen as a question, a server name and a
 * flow counts once. Evidence is grouped by company (a brand and its owner agree: Blink and Amazon):
 * a company's support is the best weight of each kind of clue it has (the device's own names, the
 * names it used, its MAC) summed, plus a little for every further row, so a maker named by a product
 * pattern and its MAC outweighs another maker whose many general names the device queried. The
 * verdict's vendor is the best-supported company's most specific brand; its category the one its
 * evidence weighs most. Disagreement is kept: the other companies' support (and the other
 * categories' weight) lowers the confidence instead of being dropped.
 *
 * The confidence says how likely what the verdict names is right (a vendor and a category; a field
 * left unknown claims nothing), calibrated on the labelled set (`npm run eval:devices`): a base for
 * the strongest evidence of the vendor and of the category (see {@link VENDOR_BASE},
 * {@link CATEGORY_BASE}), lowered by the share of the support that disagrees, multiplied together
 * when both are named.
 *
 * The gateway is found by traffic, not by a count: the router is the device the most outside
 * addresses are reached through — frames from outside addresses it delivers and frames for outside
 * addresses inside hosts hand it, both ways, for inside hosts other than itself (device-table.ts,
 * `via`). A device that only talks to its own cloud has no such traffic and is never the router. A
 * router's names are its clients' (it forwards their DNS), so only its own names and MAC name it.
 *
 * On a Wi-Fi sniffer's capture (802.11 frames, their bodies encrypted) a device is a MAC address
 * that sent data frames: its frames' sizes and times, its MAC's owner, and the names its unencrypted
 * management frames gave (WPS device name, manufacturer and model, an access point's SSID:
 * wlan-names.ts); the access point is the MAC the data frames name as BSSID. On a capture without
 * link addresses (raw IP, Linux cooked, loopback) a device is a home IP address (address-keys.ts).
 *
 * On a WAN capture (one public address for the whole home, after NAT) the home's traffic is one
 * address's: it is split into device clusters by clustering its flows (see {@link clusterFlows}),
 * which is what an observer at the ISP can tell apart, and the report says they are clusters.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { formatMac } from '../core/bytes.js';
import type { Vantage } from '../core/vantage.js';
import { deviceCategory, type DeviceCategory } from './categories.js';
import { defaultDevicePatterns, type DevicePatterns, type PatternClue, type PatternContext, type PatternRow } from './device-patterns.js';
import { isAddressKey, type AddressKeys } from './address-keys.js';
import type { DeviceFlow, DeviceTable, ObservedDevice, SeenName, WlanStation } from './device-table.js';
import type { KnownDevice } from './known-devices.js';
import { defaultVendorDirectory, type VendorDirectory, type VendorRow } from './vendors.js';

/** A row of a knowledge-base table that a clue matched. */
export interface MatchedRule {
  /** The table's file name (`vendor-rules.tsv`, `home-assistant-dhcp.tsv`, `vendors.tsv`) and the row's line. */
  readonly table: string;
  readonly line: number;
  /** The row's pattern (a name suffix, a glob, an alias) as written. */
  readonly pattern: string;
  /** What the row says: '' when it names no vendor (or no category); `generic` or `cloud` for names. */
  readonly vendor: string;
  readonly category: string;
  readonly product: string;
  readonly source: string;
}

/** A rule as a vendor-rules matcher gives it (data/vendor-rules.tsv; `file` is the table's path). */
export interface NameRule {
  readonly pattern: string;
  readonly vendor: string;
  readonly category: string;
  readonly source: string;
  readonly line: number;
  readonly file?: string;
  readonly product?: string;
}

export interface VendorMatcher {
  match(name: string): NameRule | null;
}

export interface OuiMatcher {
  (mac: number): { vendor: string } | null;
}

/** The clues evidence is about, each matched against its table (see the module comment). */
export type EvidenceKind =
  | 'dhcp_host_name'
  | 'dhcp_vendor_class'
  | 'dhcp_fingerprint'
  | 'dhcp_client_id'
  | 'mdns_name'
  | 'mdns_service'
  | 'mdns_txt'
  | 'ssdp_server'
  | 'ssdp_type'
  | 'ssdp_usn'
  | 'ssdp_location'
  | 'http_user_agent'
  | 'http_server'
  | 'http_host'
  | 'ntp_server'
  | 'tls_ja3'
  | 'mac_local'
  | 'dns_query'
  | 'tls_server_name'
  | 'flow_name'
  | 'mac_prefix'
  | 'oui'
  | 'maker_line'
  | 'wlan_name'
  | 'gateway'
  | 'known';

export interface Evidence {
  kind: EvidenceKind;
  /** The name, address or count the evidence is about (untrusted when it came off the wire). */
  value: string;
  /** First seen, epoch seconds. */
  first: number;
  /** The table row it matched, when it matched one. */
  rule: MatchedRule | null;
  /** How much it counted for the vendor (0: not at all, `note` says why). */
  weight: number;
  /** Why it weighs what it does, when that is not plain from the row (a few words), else ''. */
  note: string;
}

export interface IdentifiedDevice {
  id: string;
  mac: string | null;
  addresses: string[];
  /** The device's own names (DHCP host name first). */
  names: string[];
  vendor: string | null;
  category: string | null;
  /** 0..1: how likely the vendor and the category it names are right, a field left unknown claiming nothing (calibrated, see the module comment). */
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
  /**
   * Why that vantage, and what a device is there, where it is not a LAN capture of Ethernet frames
   * (devices by MAC address, the vantage told from the share of IP packets with a home address).
   */
  vantageWhy?: string;
  devices: IdentifiedDevice[];
  devicesNotKept: number;
}

export interface IdentifyOptions {
  rules: VendorMatcher;
  /** What the user says the devices are (MAC or address → name, vendor, category): overrides inference. */
  known?: readonly KnownDevice[];
  oui?: OuiMatcher;
  /** Product patterns (default: data/patterns/). */
  patterns?: DevicePatterns;
  /** Who is who among makers (default: data/vendors.tsv). */
  vendors?: VendorDirectory;
  /** Force the vantage instead of detecting it. */
  vantage?: Vantage;
  /** Read a capture detected as WAN as a LAN one: one device per link address, no clusters (the timeline's rows). */
  wanAsLan?: boolean;
}

/** Share of IP packets with a home address, past which the capture is a LAN capture. */
const LAN_LOCAL_SHARE = 0.5;

/** Weights of the evidence table above. */
const W = {
  product: 3,
  deviceCloud: 2,
  makerName: 1.5,
  macPrefix: 1.2,
  ouiMaker: 1,
  ouiUnknown: 0.7,
  ouiOdm: 0.3,
  platformName: 0.3,
  platformDeviceName: 0.5,
  platformCategory: 1.5,
  makerLine: 0.8,
  /** A name the device only reached counts this share of one it asked for. */
  reachedOnly: 0.5,
  /** Each further row of a company adds this much of its weight, up to {@link EXTRA_CAP}. */
  extra: 0.25,
} as const;
const EXTRA_CAP = 0.5;

/**
 * Vendor confidence by the strongest evidence of the chosen company, before disagreement: [weight
 * from, base]. Measured with `npm run eval:devices` (29 labelled real devices, 36 simulated; 63
 * verdicts name something): every verdict resting on a product pattern, a device cloud or a maker's
 * own MAC prefix was right; the two wrong ones named the company of a white-label cloud the device
 * used (Xiaomi's for a Xiaobai camera, Sciener's TTLock for a Sifely gateway). The set has too few
 * errors to place the lower tiers, so they stay below the top ones by what the kinds of evidence are
 * known to get wrong elsewhere: an organisation data/vendors.tsv does not know is as often an ODM or
 * a module maker as the brand (0.7), a platform's general names rarely name the maker (0.4). The
 * verdicts that multiply a lower tier by an independent category (a router: its MAC owner's 0.92 by
 * its traffic's 0.97; a speaker named by a platform's names, 0.9) fall in 0.8-0.9: 9 of 9 right at a
 * mean of 0.87, which these bases make likely (0.87^9 = 0.29; Wilson 95% interval 70-100%). Raising
 * the tiers on those rows alone would fit the confidence to them, so they stay as argued above.
 */
const VENDOR_BASE: readonly (readonly [number, number])[] = [
  [3, 0.97],
  [2, 0.96],
  [1.5, 0.94],
  [1.2, 0.93],
  [1, 0.92],
  [0.7, 0.7],
  [0.5, 0.6],
  [0, 0.4],
];
/** Category confidence by the strongest evidence of the chosen category, as {@link VENDOR_BASE}. */
const CATEGORY_BASE: readonly (readonly [number, number])[] = [
  [3, 0.97],
  [2, 0.95],
  [1.5, 0.9],
  [1, 0.9],
  [0, 0.8],
];
/** How much of the confidence disagreement can take away: confidence × (1 - DISAGREEMENT × other share). */
const DISAGREEMENT = 0.3;
/** A router's category confidence: one outside address and one inside host, or more of either. */
const ROUTER_CONFIDENCE_FEW = 0.8;
const ROUTER_CONFIDENCE = 0.97;

export function identifyDevices(table: DeviceTable, options: IdentifyOptions): DevicesReport {
  const ipDetected: Vantage = table.ipPackets === 0 || table.localPackets / table.ipPackets >= LAN_LOCAL_SHARE ? 'lan' : 'wan';
  const wifi = table.wlanDataFrames > 0 && table.wifiFrames * 2 >= table.frames;
  const detected: Vantage = wifi ? 'wifi' : ipDetected;
  const vantage = options.vantage ?? (detected === 'wan' && options.wanAsLan === true ? 'lan' : detected);
  const keys = table.addressKeys;
  let observed = table.list().filter((d) => d.packetsOut > 0);
  // Without link addresses, the devices are the home addresses (an outside one is only keyed where no home address is in sight: a WAN capture's).
  if (keys !== null && vantage !== 'wan') observed = observed.filter((d) => !isAddressKey(d.mac) || d.addresses.length > 0);
  const ctx: Context = {
    rules: options.rules,
    oui: options.oui,
    patterns: options.patterns ?? defaultDevicePatterns(),
    vendors: options.vendors ?? defaultVendorDirectory(),
    keys,
    wlan: table.wlan,
  };
  let devices: IdentifiedDevice[];
  if (vantage === 'wan') {
    devices = homeSides(observed).flatMap((d) => clusterFlows(d, ctx));
  } else if (vantage === 'wifi') {
    devices = observed.map((d) => {
      const w = table.wlan.get(d.mac);
      const ap = w !== undefined && w.bssid ? `the access point: the BSSID of data frames with ${w.peers.size} station(s)` : null;
      return identifyOne(d, ctx, null, ap);
    });
  } else {
    const routers = gateways(observed);
    devices = observed.map((d) => identifyOne(d, ctx, routers.get(d) ?? null));
  }
  if (options.known && options.known.length > 0) applyKnown(devices, options.known);
  devices.sort((a, b) => b.bytesOut + b.bytesIn - (a.bytesOut + a.bytesIn) || (a.id < b.id ? -1 : 1));
  const report: DevicesReport = { vantage, vantageDetected: detected, devices, devicesNotKept: table.devicesNotKept };
  const why = vantageWhy(table, vantage, detected, devices.length);
  if (why !== null) report.vantageWhy = why;
  return report;
}

/** Why the report assumes its vantage and what a device is there; null for a LAN capture of Ethernet frames (devices by MAC). */
function vantageWhy(table: DeviceTable, vantage: Vantage, detected: Vantage, devices: number): string | null {
  const keyed = table.addressKeyedFrames > 0 && table.addressKeyedFrames * 2 >= table.frames;
  if (vantage === 'lan' && !keyed) return null;
  const share = table.ipPackets === 0 ? 0 : Math.round((100 * table.localPackets) / table.ipPackets);
  const told = vantage === detected ? '' : ' (as set)';
  if (vantage === 'wifi') {
    const frames = `${table.wifiFrames} of ${table.frames} frame(s) are 802.11${told}`;
    return `${frames}: a Wi-Fi sniffer's capture; a device is a MAC address that sent data frames, known by its frames' sizes and times (their bodies encrypted), its MAC and its management frames' names`;
  }
  const link = keyed ? `no link addresses (raw IP, Linux cooked or loopback frames): a device is an IP address; ` : '';
  if (vantage === 'wan') {
    return `${link}${share} % of its IP packets have a home address${told}: a WAN capture after NAT, the home one public address, split into ${devices} device cluster(s) by clustering its flows (the names they resolve and connect to, where they connect, when they begin)`;
  }
  return `${link}${share} % of its IP packets have a home address${told}: a LAN capture, one device per home address`;
}

/**
 * A WAN capture's home side: the observed "device" (a MAC, or an address where there are no link
 * addresses) whose flows reach the most distinct outside addresses, and any other with at least half
 * as many (a second public address). The far side (the ISP's router) reaches only the home's.
 */
function homeSides(devices: readonly ObservedDevice[]): ObservedDevice[] {
  const reach = devices.map((d) => new Set(d.flows.map((f) => f.remoteAddress)).size);
  const top = Math.max(0, ...reach);
  if (top === 0) return [];
  return devices.filter((_, i) => reach[i] * 2 >= top);
}

interface Context {
  readonly rules: VendorMatcher;
  readonly oui: OuiMatcher | undefined;
  readonly patterns: DevicePatterns;
  readonly vendors: VendorDirectory;
  /** The keys of devices told apart by IP address, when the capture had no link addresses. */
  readonly keys: AddressKeys | null;
  /** What each MAC was on the Wi-Fi (a Wi-Fi sniffer's capture; empty otherwise). */
  readonly wlan: ReadonlyMap<number, WlanStation>;
}

/** A device's id: its MAC, or the IP address its key stands for. */
function deviceId(d: ObservedDevice, ctx: Context): string {
  return isAddressKey(d.mac) ? (ctx.keys?.text(d.mac) ?? String(d.mac)) : formatMac(d.mac);
}

interface GatewayTraffic {
  readonly peersIn: number;
  readonly peersOut: number;
  readonly hosts: number;
}

/**
 * The devices the home's outside traffic goes through: the one most outside addresses are reached
 * through (the fewer of its inbound and outbound distinct addresses, then its inside hosts), and any
 * other with at least half of its score (a second gateway, a mesh node that routes). A device needs
 * traffic both ways, for an inside host other than itself.
 */
function gateways(devices: readonly ObservedDevice[]): Map<ObservedDevice, GatewayTraffic> {
  const scored: [ObservedDevice, GatewayTraffic, number][] = [];
  for (const d of devices) {
    const v = d.via;
    if (v === null || v.peersIn.size === 0 || v.peersOut.size === 0) continue;
    const hosts = [...v.hosts].filter((h) => h !== d.mac).length;
    if (hosts === 0) continue;
    const traffic = { peersIn: v.peersIn.size, peersOut: v.peersOut.size, hosts };
    scored.push([d, traffic, Math.min(traffic.peersIn, traffic.peersOut) * hosts]);
  }
  const top = Math.max(0, ...scored.map((s) => s[2]));
  return new Map(scored.filter((s) => s[2] * 2 >= top).map((s) => [s[0], s[1]]));
}

/** The rule a vendor-rules match gives, as evidence cites it. */
function nameRule(r: NameRule): MatchedRule {
  return { table: r.file !== undefined ? basename(r.file) : 'rules', line: r.line, pattern: r.pattern, vendor: r.vendor, category: r.category, product: r.product ?? '', source: r.source };
}

function patternRule(r: PatternRow): MatchedRule {
  return { table: r.table, line: r.line, pattern: r.condition === '' ? r.pattern : `${r.pattern} (${r.condition})`, vendor: r.vendor, category: r.category ?? '', product: r.product, source: r.source };
}

function vendorRule(r: VendorRow, matched: string): MatchedRule {
  return { table: r.table, line: r.line, pattern: matched, vendor: r.vendor, category: r.makes ?? '', product: `role ${r.role}${r.owner !== '' ? `, owned by ${r.owner}` : ''}`, source: r.source };
}

/** One piece of evidence as the vote reads it. */
interface Scored {
  readonly evidence: Evidence;
  /** The family of the clue: the device's own names, the names it used, its hardware address. */
  readonly family: 'self' | 'names' | 'hw';
  readonly vendor: string;
  readonly category: DeviceCategory | null;
  readonly categoryWeight: number;
}

const MDNS_SERVICE_RE = /^(?:(.*)\.)?(_[^.]+\._(?:tcp|udp))\.local\.?$/i;
/** TXT keys that name a maker, a model or a product, shown when no row matches their string. */
const TXT_SHOWN_RE = /^(md|model|mdl|fn|manufacturer|mf|mn|vn|ty|product|usb_mfg|usb_mdl|brand|type|deviceid|id)=/i;
const IP_LITERAL_RE = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)$/i;

/** True for a MAC whose first octet has the locally administered bit (0x02) set. */
export function isLocallyAdministered(mac: number): boolean {
  return Math.floor(mac / 2 ** 40) % 4 >= 2;
}

/** The host of an HTTP Host header: its port and brackets dropped; null for an address or nothing. */
function hostOf(value: string): string | null {
  let host = value.trim();
  if (host.startsWith('[')) return null;
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && /^\d*$/.test(host.slice(colon + 1))) host = host.slice(0, colon);
  if (host === '' || IP_LITERAL_RE.test(host) || !host.includes('.')) return null;
  return host;
}

/** The JA3 fingerprint of a JA3 string, hashed once per distinct string. */
const ja3Hashes = new Map<string, string>();
function ja3Hash(full: string): string {
  let h = ja3Hashes.get(full);
  if (h === undefined) {
    h = createHash('md5').update(full).digest('hex');
    if (ja3Hashes.size < 4096) ja3Hashes.set(full, h);
  }
  return h;
}

const MDNS_SKIP_RE = /(\.in-addr\.arpa|\.ip6\.arpa|^_services\._dns-sd\._udp\.local)\.?$/i;

function evidenceOf(d: ObservedDevice, ctx: Context, router: boolean): { scored: Scored[]; evidence: Evidence[] } {
  const evidence: Evidence[] = [];
  const scored: Scored[] = [];
  const v = ctx.vendors;
  // A locally administered MAC (a randomised one, or one software chose) has no registered owner;
  // an IP address's key (address-keys.ts) is no MAC at all.
  const byMac = !isAddressKey(d.mac);
  const localMac = d.mac >= 0 && byMac && isLocallyAdministered(d.mac);
  const oui = localMac || !byMac ? null : (ctx.oui?.(d.mac) ?? null);
  const ouiRow = oui !== null ? v.find(oui.vendor) : null;
  const macHex = d.mac >= 0 && byMac ? d.mac.toString(16).padStart(12, '0').toUpperCase() : null;
  const instances: string[] = [];
  for (const n of d.mdnsNames) {
    const m = MDNS_SERVICE_RE.exec(n.name);
    if (m !== null && m[1] !== undefined) instances.push(m[1]);
  }
  const txt = new Map<string, string>();
  for (const t of d.mdnsTxt) {
    const eq = t.name.indexOf('=');
    const key = (eq < 0 ? t.name : t.name.slice(0, eq)).toLowerCase();
    if (!txt.has(key)) txt.set(key, eq < 0 ? '' : t.name.slice(eq + 1));
  }
  const pctx: PatternContext = {
    macHex,
    macOwnedBy: (vendor) => oui !== null && vendor !== '' && v.sameCompany(vendor, ouiRow?.vendor ?? oui.vendor),
    mdnsInstances: instances,
    txt,
  };
  const push = (e: Evidence, family: Scored['family'], vendor: string, category: DeviceCategory | null, categoryWeight: number): void => {
    evidence.push(e);
    scored.push({ evidence: e, family, vendor, category, categoryWeight });
  };
  /** A product-pattern row as evidence: a module maker's default name counts for nothing. */
  const product = (kind: EvidenceKind, value: string, first: number, row: PatternRow, family: Scored['family'] = 'self', weight: number = W.product): void => {
    const role = row.vendor === '' ? null : (v.find(row.vendor)?.role ?? 'maker');
    const moduleName = role === 'module';
    const w = moduleName || row.vendor === '' ? 0 : role === 'odm' ? W.ouiOdm : weight;
    const note = moduleName
      ? `${v.canonical(row.vendor)} makes chips, modules or firmware: its default name names no brand`
      : role === 'odm'
        ? `${v.canonical(row.vendor)} builds devices for other brands`
        : '';
    push({ kind, value, first, rule: patternRule(row), weight: w, note }, family, row.vendor, row.category, moduleName ? 0 : row.category !== null ? weight : 0);
  };
  const match = (clue: PatternClue, value: string): PatternRow | null => ctx.patterns.match(clue, value, pctx);
  /** A clue no row weighs, shown as what the device said of itself. */
  const shown = (kind: EvidenceKind, value: string, first: number, note = ''): void => {
    evidence.push({ kind, value, first, rule: null, weight: 0, note });
  };
  /** A clue matched against the `clue` table: a product row where one matches, shown weighing nothing where none does. */
  const productOrShown = (clue: PatternClue, kind: EvidenceKind, value: string, first: number): void => {
    const row = match(clue, value);
    if (row !== null) product(kind, value, first, row);
    else shown(kind, value, first);
  };

  for (const n of d.dhcpHostNames) {
    productOrShown('dhcp_host_name', 'dhcp_host_name', n.name, n.first);
  }
  for (const n of d.dhcpVendorClasses) {
    // Shown as a host name no row matches is: what the device said of itself, weighing nothing.
    productOrShown('dhcp_vendor_class', 'dhcp_vendor_class', n.name, n.first);
  }
  // The options a DHCP client asks for are its DHCP stack's: they name a firmware or OS family.
  for (const n of d.dhcpFingerprints) {
    productOrShown('dhcp_fingerprint', 'dhcp_fingerprint', n.name, n.first);
  }
  for (const n of d.dhcpClientIds) shown('dhcp_client_id', n.name, n.first);
  // Wi-Fi management frames: WPS device and model names read as host names, its manufacturer as a maker's own word.
  const wlan = ctx.wlan.get(d.mac);
  if (wlan !== undefined) {
    for (const n of wlan.names) {
      const tab = n.name.indexOf('\t');
      const what = n.name.slice(0, tab);
      const value = n.name.slice(tab + 1);
      const label = `${what.replace(/_/g, ' ')}: ${value}`;
      const maker = what === 'wps_manufacturer' ? v.find(value) : null;
      const row = what === 'wps_manufacturer' ? null : match('dhcp_host_name', value);
      if (maker !== null) push({ kind: 'wlan_name', value: label, first: n.first, rule: vendorRule(maker, value), weight: W.makerName, note: '' }, 'self', maker.vendor, maker.makes, maker.makes !== null ? W.ouiMaker : 0);
      else if (row !== null) product('wlan_name', label, n.first, row);
      else shown('wlan_name', label, n.first);
    }
  }
  // mDNS: service types from SRV/TXT owner names, instance and host labels matched as names.
  const services = new Map<string, number>();
  const labels = new Map<string, number>();
  for (const n of d.mdnsNames) {
    if (MDNS_SKIP_RE.test(n.name)) continue;
    const m = MDNS_SERVICE_RE.exec(n.name);
    if (m !== null) {
      if (!services.has(m[2].toLowerCase())) services.set(m[2].toLowerCase(), n.first);
      if (m[1] !== undefined && !labels.has(m[1])) labels.set(m[1], n.first);
    } else {
      const host = n.name.replace(/\.local\.?$/i, '');
      if (host !== n.name && !host.includes('.') && !labels.has(host)) labels.set(host, n.first);
    }
  }
  for (const [service, first] of services) {
    const row = match('mdns_service', service);
    if (row !== null) product('mdns_service', service, first, row);
  }
  for (const [label, first] of labels) {
    const row = match('mdns_name', label) ?? match('dhcp_host_name', label);
    if (row !== null) product('mdns_name', label, first, row);
  }
  // TXT strings: a row's `key=value` (HomeKit's md=, a printer's usb_MDL= ...); the keys that name a
  // maker or model are shown when no row matches them.
  for (const n of d.mdnsTxt) {
    const row = match('mdns_txt', n.name);
    if (row !== null) product('mdns_txt', n.name, n.first, row);
    else if (TXT_SHOWN_RE.test(n.name)) shown('mdns_txt', n.name, n.first);
  }
  for (const n of d.ssdpServers) {
    productOrShown('ssdp_server', 'ssdp_server', n.name, n.first);
  }
  for (const n of d.ssdpTypes) {
    const row = match('ssdp_type', n.name);
    if (row !== null) product('ssdp_type', n.name, n.first, row);
  }
  // A USN is `uuid:...` and the type: the UDN part names the product where a maker fixed its form
  // (`uuid:Socket-1_0-...`), matched as a UPnP type is.
  const udns = new Map<string, number>();
  for (const n of d.ssdpUsns) {
    const udn = n.name.split('::')[0];
    if (!udns.has(udn)) udns.set(udn, n.first);
  }
  for (const [udn, first] of udns) {
    productOrShown('ssdp_type', 'ssdp_usn', udn, first);
  }
  for (const n of d.ssdpLocations) shown('ssdp_location', n.name, n.first);
  // Plain HTTP: a user agent names the client software (a firmware's, an SDK's, a phone app's); a
  // Server header its own web server, matched as an SSDP SERVER is.
  for (const n of d.httpUserAgents) {
    productOrShown('http_user_agent', 'http_user_agent', n.name, n.first);
  }
  for (const n of d.httpServers) {
    productOrShown('ssdp_server', 'http_server', n.name, n.first);
  }
  // The TLS library and settings of a connection: a known fingerprint names an SDK or firmware.
  for (const n of d.tlsFingerprints) {
    const hash = ja3Hash(n.name);
    productOrShown('tls_ja3', 'tls_ja3', hash, n.first);
  }
  // Names it asked for or connected to: one name counts once, at the strongest of its clues. A
  // router's names are its clients' (it forwards their DNS): shown, not counted. An HTTP Host is a
  // name asked for (its port and a literal address dropped); an NTP server counts by the name its
  // address stood for, a bare address being shown only.
  const httpHosts = d.httpHosts.flatMap((n) => {
    const host = hostOf(n.name);
    return host === null ? [] : [{ name: host, first: n.first }];
  });
  const ntpNames = d.ntpServers.filter((n) => !IP_LITERAL_RE.test(n.name));
  for (const n of d.ntpServers) if (IP_LITERAL_RE.test(n.name)) shown('ntp_server', n.name, n.first, 'an address no DNS answer named');
  const names = new Map<string, { kind: EvidenceKind; name: string; first: number; asked: boolean }>();
  const addName = (kind: EvidenceKind, list: readonly SeenName[] | readonly { name: string; first: number }[]): void => {
    for (const n of list) {
      const key = n.name.toLowerCase().replace(/\.$/, '');
      const had = names.get(key);
      const asked = kind !== 'flow_name';
      if (had === undefined) names.set(key, { kind, name: n.name, first: n.first, asked });
      else if (asked && !had.asked) names.set(key, { kind, name: n.name, first: Math.min(n.first, had.first), asked });
    }
  };
  addName('dns_query', d.dnsQueries);
  addName('tls_server_name', d.tlsServerNames);
  addName('http_host', httpHosts);
  addName('ntp_server', ntpNames);
  const reached: { name: string; first: number }[] = [];
  const seenFlow = new Set<string>();
  for (const f of d.flows) {
    if (f.remoteName !== null && f.packetsOut > 0 && !seenFlow.has(f.remoteName)) {
      seenFlow.add(f.remoteName);
      reached.push({ name: f.remoteName, first: f.first });
    }
  }
  addName('flow_name', reached);
  // Every clue is listed (DNS questions, server names, flows), each name's rule counted once.
  const counted = new Set<string>();
  const listName = (kind: EvidenceKind, name: string, first: number): void => {
    const key = name.toLowerCase().replace(/\.$/, '');
    const best = names.get(key)!;
    const r = ctx.rules.match(name);
    if (r === null) {
      shown(kind, name, first);
      return;
    }
    const rule = nameRule(r);
    if (r.category === 'cloud') {
      evidence.push({ kind, value: name, first, rule, weight: 0, note: 'a hosting or content network: says nothing of the maker' });
      return;
    }
    if (counted.has(key) || best.kind !== kind) {
      evidence.push({ kind, value: name, first, rule, weight: 0, note: 'the same name is counted once' });
      return;
    }
    counted.add(key);
    if (router) {
      evidence.push({ kind, value: name, first, rule, weight: 0, note: "a router's names are its clients'" });
      return;
    }
    const role = v.find(r.vendor)?.role ?? 'maker';
    const category = r.category === 'generic' ? null : deviceCategory(r.category);
    let weight: number;
    let categoryWeight: number;
    let note = '';
    if (role === 'platform') {
      weight = category !== null ? W.platformDeviceName : W.platformName;
      categoryWeight = category !== null ? W.platformCategory : 0;
      note = `${v.canonical(r.vendor)}'s names are used by devices of many makers`;
    } else {
      weight = category !== null ? W.deviceCloud : W.makerName;
      categoryWeight = category !== null ? W.deviceCloud : 0;
    }
    if (!best.asked) {
      weight *= W.reachedOnly;
      categoryWeight *= W.reachedOnly;
      note = note === '' ? 'only reached (not asked for)' : `${note}; only reached`;
    }
    push({ kind, value: name, first, rule, weight: round(weight), note }, 'names', r.vendor, category, categoryWeight);
  };
  for (const n of d.dnsQueries) listName('dns_query', n.name, n.first);
  for (const n of d.tlsServerNames) listName('tls_server_name', n.name, n.first);
  for (const n of httpHosts) listName('http_host', n.name, n.first);
  for (const n of ntpNames) listName('ntp_server', n.name, n.first);
  for (const n of reached) listName('flow_name', n.name, n.first);
  // The hardware address: a discovery table's MAC prefix, the registry's owner; neither for a
  // locally administered one.
  if (localMac) {
    shown('mac_local', formatMac(d.mac), d.first, 'locally administered (randomised or set by software): no registered owner, not looked up');
  } else if (macHex !== null) {
    const row = match('mac_prefix', macHex);
    if (row !== null) product('mac_prefix', formatMac(d.mac).slice(0, 8), d.first, row, 'hw', W.macPrefix);
  }
  if (oui !== null) {
    if (ouiRow === null) {
      push({ kind: 'oui', value: oui.vendor, first: d.first, rule: null, weight: W.ouiUnknown, note: 'an organisation data/vendors.tsv does not know' }, 'hw', oui.vendor, null, 0);
    } else {
      const weight = ouiRow.role === 'module' ? 0 : ouiRow.role === 'odm' ? W.ouiOdm : W.ouiMaker;
      const note = ouiRow.role === 'module' ? `${ouiRow.vendor} makes chips or modules: its OUI names no brand` : ouiRow.role === 'odm' ? `${ouiRow.vendor} builds devices for other brands` : '';
      push({ kind: 'oui', value: oui.vendor, first: d.first, rule: vendorRule(ouiRow, oui.vendor), weight, note }, 'hw', ouiRow.vendor, ouiRow.makes, ouiRow.makes !== null ? W.ouiMaker : 0);
    }
  }
  return { scored, evidence };
}

interface Verdict {
  vendor: string | null;
  category: DeviceCategory | null;
  vendorConfidence: number;
  categoryConfidence: number;
}

function base(table: readonly (readonly [number, number])[], weight: number): number {
  for (const [from, b] of table) if (weight >= from) return b;
  return 0;
}

/** The vendor and category the scored evidence points to, and how sure each is. */
function vote(scored: readonly Scored[], ctx: Context, evidence: Evidence[], first: number): Verdict {
  const v = ctx.vendors;
  // Support per company: the best weight in each family, plus a little for every further row.
  const companies = new Map<string, { families: Map<string, number>; extra: number; brands: Map<string, number>; best: number }>();
  for (const s of scored) {
    const w = s.evidence.weight;
    if (w <= 0 || s.vendor === '') continue;
    const key = v.company(s.vendor);
    let c = companies.get(key);
    if (!c) companies.set(key, (c = { families: new Map(), extra: 0, brands: new Map(), best: 0 }));
    const had = c.families.get(s.family) ?? 0;
    if (w > had) {
      c.extra += had * W.extra;
      c.families.set(s.family, w);
    } else c.extra += w * W.extra;
    const brand = v.canonical(s.vendor);
    c.brands.set(brand, (c.brands.get(brand) ?? 0) + w);
    c.best = Math.max(c.best, w);
  }
  const support = new Map([...companies].map(([k, c]) => [k, [...c.families.values()].reduce((a, b) => a + b, 0) + Math.min(EXTRA_CAP, c.extra)]));
  const total = [...support.values()].reduce((a, b) => a + b, 0);
  let vendor: string | null = null;
  let company: string | null = null;
  let vendorConfidence = 0;
  if (total > 0) {
    company = bestKey(support);
    const c = companies.get(company)!;
    vendor = mostSpecificBrand(c.brands, v);
    const corroborated = c.families.size >= 2 ? 0.03 : 0;
    // A device maker for other brands (`odm`) that the evidence also names does not disagree with
    // the brand it built the device for: its support is left out of the disagreement.
    const odm = [...support].reduce((n, [k, w]) => (k !== company && v.find(k)?.role === 'odm' ? n + w : n), 0);
    vendorConfidence = Math.min(0.98, base(VENDOR_BASE, c.best) + corroborated) * (1 - DISAGREEMENT * (1 - support.get(company)! / (total - odm)));
  }
  // Category: the chosen company's evidence (and rows that name a category but no maker) decide;
  // other companies' categories count half against it when they name another category.
  const categories = new Map<DeviceCategory, { weight: number; best: number }>();
  const others = new Map<DeviceCategory, number>();
  for (const s of scored) {
    if (s.category === null || s.categoryWeight <= 0) continue;
    const mine = company === null || s.vendor === '' || v.company(s.vendor) === company;
    if (!mine) {
      others.set(s.category, (others.get(s.category) ?? 0) + s.categoryWeight / 2);
      continue;
    }
    const c = categories.get(s.category) ?? { weight: 0, best: 0 };
    c.weight += s.categoryWeight;
    c.best = Math.max(c.best, s.categoryWeight);
    categories.set(s.category, c);
  }
  if (categories.size === 0 && vendor !== null) {
    // What the brand makes, when it makes one kind of networked device (data/vendors.tsv `makes`).
    const row = v.find(vendor);
    if (row !== null && row.makes !== null) {
      evidence.push({ kind: 'maker_line', value: `${row.vendor} makes ${row.makes}`, first, rule: vendorRule(row, row.vendor), weight: 0, note: 'category only' });
      categories.set(row.makes, { weight: W.makerLine, best: W.makerLine });
    }
  }
  let category: DeviceCategory | null = null;
  let categoryConfidence = 0;
  if (categories.size > 0) {
    const weights = new Map([...categories].map(([k, c]) => [k, c.weight]));
    category = bestKey(weights) as DeviceCategory;
    const against = [...others].reduce((n, [k, w]) => (k !== category ? n + w : n), 0);
    const all = [...weights.values()].reduce((a, b) => a + b, 0) + against;
    categoryConfidence = base(CATEGORY_BASE, categories.get(category)!.best) * (1 - DISAGREEMENT * (1 - categories.get(category)!.weight / all));
  }
  return { vendor, category, vendorConfidence, categoryConfidence };
}

/** Among a company's brands, the one with the most weight; a tie goes to the brand another one owns. */
function mostSpecificBrand(brands: ReadonlyMap<string, number>, v: VendorDirectory): string {
  let top: string | null = null;
  let topWeight = -1;
  for (const [brand, w] of brands) {
    if (top === null || w > topWeight + 1e-9 || (Math.abs(w - topWeight) <= 1e-9 && (v.owns(brand, top) ? false : v.owns(top, brand) || brand < top))) {
      top = brand;
      topWeight = w;
    }
  }
  // A brand the winner owns and that has evidence of its own is the more specific name (Blink, not Amazon).
  for (const [brand, w] of brands) if (brand !== top && w >= topWeight / 2 && v.owns(top!, brand)) return brand;
  return top!;
}

/** How likely every field the verdict names is right: a field left unknown claims nothing. */
function confidenceOf(v: Verdict): number {
  if (v.vendor !== null && v.category !== null) return round(v.vendorConfidence * v.categoryConfidence);
  if (v.vendor !== null) return round(v.vendorConfidence);
  if (v.category !== null) return round(v.categoryConfidence);
  return 0;
}

function identifyOne(d: ObservedDevice, ctx: Context, gateway: GatewayTraffic | null, accessPoint: string | null = null): IdentifiedDevice {
  const router = gateway !== null || accessPoint !== null;
  const { scored, evidence } = evidenceOf(d, ctx, router);
  const verdict = vote(scored, ctx, evidence, d.first);
  if (gateway !== null) {
    evidence.push({
      kind: 'gateway',
      value: `${gateway.peersIn} outside address(es) reached in, ${gateway.peersOut} out, through it for ${gateway.hosts} inside host(s)`,
      first: d.first,
      rule: null,
      weight: 0,
      note: 'the home’s outside traffic goes through it',
    });
    verdict.category = 'router';
    verdict.categoryConfidence = Math.min(gateway.peersIn, gateway.peersOut) >= 2 || gateway.hosts >= 2 ? ROUTER_CONFIDENCE : ROUTER_CONFIDENCE_FEW;
  } else if (accessPoint !== null) {
    evidence.push({ kind: 'gateway', value: accessPoint, first: d.first, rule: null, weight: 0, note: 'the Wi-Fi’s traffic goes through it' });
    verdict.category = 'router';
    verdict.categoryConfidence = ROUTER_CONFIDENCE;
  }
  const id = deviceId(d, ctx);
  const wlanNames = (ctx.wlan.get(d.mac)?.names ?? []).filter((n) => /^wps_(device|model)_name\t/.test(n.name)).map((n) => n.name.slice(n.name.indexOf('\t') + 1));
  return {
    id,
    mac: isAddressKey(d.mac) ? null : id,
    addresses: d.addresses.map((a) => a.address),
    names: [...d.dhcpHostNames, ...d.mdnsNames.filter((n) => /\.local\.?$/i.test(n.name))].map((n) => n.name).concat(wlanNames),
    vendor: verdict.vendor,
    category: verdict.category,
    confidence: confidenceOf(verdict),
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

/** Remote ports of the resolver the home's router forwards DNS to (and DNS over TLS): the router's, no device's. */
const RESOLVER_PORTS: ReadonlySet<number> = new Set([53, 853]);

/**
 * WAN: the home side's flows clustered into devices. A flow belongs with the flows whose remote names
 * (the name the address was resolved from, or the ClientHello's server name) the vendor rules give to
 * one company, else with those under the same registered domain; a flow without a name joins the
 * cluster its remote address had under a name, else its address is a cluster of its own; a cluster
 * no maker names then joins the one its flows began together with (see {@link joinByTiming}). Each
 * cluster is identified from its own names as a device is. Two devices of one maker that reach the
 * same services stay one cluster.
 */
function clusterFlows(d: ObservedDevice, ctx: Context): IdentifiedDevice[] {
  const keyOf = new Map<DeviceFlow, string>();
  const byAddress = new Map<string, string>();
  for (const f of d.flows) {
    if (RESOLVER_PORTS.has(f.remotePort) || f.remoteName === null) continue;
    const r = ctx.rules.match(f.remoteName);
    const key = r !== null && r.category !== 'cloud' && r.vendor !== '' ? `vendor ${ctx.vendors.company(r.vendor)}` : `domain ${registeredDomain(f.remoteName)}`;
    keyOf.set(f, key);
    if (!byAddress.has(f.remoteAddress)) byAddress.set(f.remoteAddress, key);
  }
  const clusters = new Map<string, DeviceFlow[]>();
  for (const f of d.flows) {
    if (RESOLVER_PORTS.has(f.remotePort)) continue;
    const key = keyOf.get(f) ?? byAddress.get(f.remoteAddress) ?? `address ${f.remoteAddress}`;
    let c = clusters.get(key);
    if (c === undefined) clusters.set(key, (c = []));
    c.push(f);
  }
  joinByTiming(clusters, d.first);
  const home = d.addresses[0]?.address ?? deviceId(d, ctx);
  const ids = new Set<string>();
  const partCtx: Context = { ...ctx, oui: undefined, wlan: new Map() };
  return [...clusters].map(([key, flows]) => {
    const names = new Set(flows.filter((f) => f.remoteName !== null).map((f) => nameKey(f.remoteName!)));
    const inCluster = (n: SeenName): boolean => names.has(nameKey(n.name));
    const part: ObservedDevice = {
      ...d,
      mac: -1,
      flows,
      dnsQueries: d.dnsQueries.filter(inCluster),
      tlsServerNames: d.tlsServerNames.filter(inCluster),
      httpHosts: d.httpHosts.filter(inCluster),
      ntpServers: d.ntpServers.filter(inCluster),
      // The home's own names (its router's), and clues no flow ties to a cluster, say nothing of it.
      dhcpHostNames: [],
      dhcpVendorClasses: [],
      dhcpFingerprints: [],
      dhcpClientIds: [],
      mdnsNames: [],
      mdnsTxt: [],
      ssdpServers: [],
      ssdpTypes: [],
      ssdpUsns: [],
      ssdpLocations: [],
      httpUserAgents: [],
      httpServers: [],
      tlsFingerprints: [],
    };
    const first = Math.min(...flows.map((f) => f.first));
    const { scored, evidence } = evidenceOf(part, partCtx, false);
    const verdict = vote(scored, ctx, evidence, first);
    const what = verdict.vendor ?? key.slice(key.indexOf(' ') + 1);
    let id = `${what.toLowerCase().replace(/[^a-z0-9.:]+/g, '-')}@${home}`;
    for (let n = 2; ids.has(id); n++) id = `${what.toLowerCase().replace(/[^a-z0-9.:]+/g, '-')}-${n}@${home}`;
    ids.add(id);
    const sum = (pick: (f: DeviceFlow) => number): number => flows.reduce((n, f) => n + pick(f), 0);
    return {
      id,
      mac: null,
      addresses: d.addresses.map((a) => a.address),
      names: [],
      vendor: verdict.vendor,
      category: verdict.category,
      confidence: confidenceOf(verdict),
      known: false,
      evidence,
      packetsOut: sum((f) => f.packetsOut),
      packetsIn: sum((f) => f.packetsIn),
      bytesOut: sum((f) => f.bytesOut),
      bytesIn: sum((f) => f.bytesIn),
      first,
      last: Math.max(...flows.map((f) => f.last)),
      flows,
    };
  });
}

/** Flows that begin within this long of each other began together (one device opening its connections at once). */
const TOGETHER_SECONDS = 1;
/** Flows seen this soon after the capture began may have begun before it: when they start says nothing. */
const CAPTURE_START_SECONDS = 60;

/**
 * Timing: a cluster no maker names (a domain or an address) joins the cluster whose flows began
 * together with at least half of its own (within {@link TOGETHER_SECONDS}), the one with most such
 * flows: a device opens its connections at once (a page and its content networks, an app and its
 * services), and those of two devices seldom begin in the same second time after time. A cluster a
 * maker names keeps its own. Clusters are taken in the order their first flows began; a cluster that
 * joined another brings its flows along.
 */
function joinByTiming(clusters: Map<string, DeviceFlow[]>, captureStart: number): void {
  // Every flow's start, in time order, with its cluster: the flows that began within a second of one
  // are found by a binary search, so a home of thousands of clusters is joined in O(F log F).
  const starts: { time: number; key: string }[] = [];
  for (const [key, flows] of clusters) for (const f of flows) if (f.first - captureStart >= CAPTURE_START_SECONDS) starts.push({ time: f.first, key });
  starts.sort((a, b) => a.time - b.time);
  const firstAt = (time: number): number => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid].time < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Where each cluster went (its own key while it stands alone). */
  const joined = new Map<string, string>();
  const rootOf = (key: string): string => {
    let k = key;
    while (joined.get(k) !== undefined && joined.get(k) !== k) k = joined.get(k)!;
    return k;
  };
  const order = [...clusters.keys()].sort((a, b) => Math.min(...clusters.get(a)!.map((f) => f.first)) - Math.min(...clusters.get(b)!.map((f) => f.first)) || (a < b ? -1 : 1));
  for (const key of order) {
    if (key.startsWith('vendor ')) continue;
    const own = clusters.get(key)!.map((f) => f.first).filter((t) => t - captureStart >= CAPTURE_START_SECONDS);
    if (own.length === 0) continue;
    const together = new Map<string, number>();
    for (const t of own) {
      const seen = new Set<string>();
      for (let i = firstAt(t - TOGETHER_SECONDS); i < starts.length && starts[i].time <= t + TOGETHER_SECONDS; i++) {
        const other = rootOf(starts[i].key);
        if (other === rootOf(key) || seen.has(other)) continue;
        seen.add(other);
        together.set(other, (together.get(other) ?? 0) + 1);
      }
    }
    let best: string | null = null;
    let bestCount = 0;
    for (const [other, n] of together) {
      if (n * 2 >= own.length && (n > bestCount || (n === bestCount && best !== null && other < best))) {
        best = other;
        bestCount = n;
      }
    }
    if (best !== null) joined.set(rootOf(key), best);
  }
  for (const key of order) {
    const root = rootOf(key);
    if (root === key) continue;
    clusters.get(root)!.push(...clusters.get(key)!);
    clusters.delete(key);
  }
}

function nameKey(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Second-level labels under which names are registered below a country code (co.uk, com.au). */
const SECOND_LEVEL = /^(?:co|com|net|org|ac|gov|edu|ne|or)$/;

/** The registered domain of a name: its last two labels, three under a country's second level (example.co.uk). */
export function registeredDomain(name: string): string {
  const labels = nameKey(name).split('.');
  const n = labels.length >= 3 && labels[labels.length - 1].length === 2 && SECOND_LEVEL.test(labels[labels.length - 2]) ? 3 : 2;
  return labels.slice(-n).join('.');
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
    d.evidence.unshift({ kind: 'known', value: `${k.name}: ${k.vendor} ${k.category} (line ${k.line})`, first: d.first, rule: null, weight: 0, note: '' });
  }
}

function bestKey<K extends string>(m: ReadonlyMap<K, number>): K {
  let top: [K, number] | null = null;
  for (const [k, v] of m) if (top === null || v > top[1] + 1e-9 || (Math.abs(v - top[1]) <= 1e-9 && k < top[0])) top = [k, v];
  return top![0];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
