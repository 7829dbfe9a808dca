import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BindingTable, DEFAULT_BINDINGS, denseNext, densePortNext, DHCP_UDP_PORTS, DNS_UDP_PORTS, SSDP_UDP_PORT, TLS_TCP_PORTS, type Binding } from './bindings.js';
import { LINKTYPE } from '../core/link-type.js';
import { ETHERTYPE_8023_LLC } from './link/ethernet.js';

const table = new BindingTable();

/** A layer as the table sees it: its kind and the fields the rules read. */
type LayerFields = { readonly kind: string } & Record<string, unknown>;
const next = (t: BindingTable, layer: LayerFields): ReturnType<BindingTable['next']> => t.next(layer);

test('forLinkType() starts the chain from the capture link type', () => {
  assert.equal(table.forLinkType(LINKTYPE.ETHERNET), 'ethernet');
  assert.equal(table.forLinkType(LINKTYPE.RAW), 'ip');
  assert.equal(table.forLinkType(LINKTYPE.DLT_RAW_12), 'ip');
  assert.equal(table.forLinkType(LINKTYPE.DLT_RAW_14), 'ip');
  assert.equal(table.forLinkType(LINKTYPE.IPV4), 'ipv4');
  assert.equal(table.forLinkType(LINKTYPE.IPV6), 'ipv6');
  assert.equal(table.forLinkType(LINKTYPE.NULL), 'null');
  assert.equal(table.forLinkType(LINKTYPE.LOOP), 'loop');
  assert.equal(table.forLinkType(LINKTYPE.LINUX_SLL), 'sll');
  assert.equal(table.forLinkType(LINKTYPE.LINUX_SLL2), 'sll2');
  assert.equal(table.forLinkType(LINKTYPE.IEEE802_11), 'ieee80211');
  assert.equal(table.forLinkType(LINKTYPE.IEEE802_11_RADIOTAP), 'radiotap');
});

test('forLinkType() has no decoder for a link type nothing binds', () => {
  assert.equal(table.forLinkType(LINKTYPE.PPP), undefined);
  assert.equal(table.forLinkType(147), undefined);
});

test('next() follows the EtherType after Ethernet', () => {
  assert.equal(next(table, { kind: 'ethernet', etherType: 0x0800 }), 'ipv4');
  assert.equal(next(table, { kind: 'ethernet', etherType: 0x86dd }), 'ipv6');
  assert.equal(next(table, { kind: 'ethernet', etherType: 0x0806 }), 'arp');
  assert.equal(next(table, { kind: 'ethernet', etherType: 0x8864 }), 'pppoe');
  assert.equal(next(table, { kind: 'ethernet', etherType: 0x88cc }), undefined, 'LLDP has no decoder');
});

test('next() chains VLAN tags of every TPID and then the inner EtherType', () => {
  for (const tpid of [0x8100, 0x88a8, 0x9100, 0x9200]) assert.equal(next(table, { kind: 'ethernet', etherType: tpid }), 'vlan');
  assert.equal(next(table, { kind: 'vlan', etherType: 0x8100 }), 'vlan', 'QinQ: a tag inside a tag');
  assert.equal(next(table, { kind: 'vlan', etherType: 0x0800 }), 'ipv4');
  assert.equal(next(table, { kind: 'vlan', etherType: 0x86dd }), 'ipv6');
});

test('next() sends an 802.3 length frame to LLC, and LLC to its SNAP EtherType but never to LLC again', () => {
  assert.equal(next(table, { kind: 'ethernet', etherType: ETHERTYPE_8023_LLC }), 'llc');
  assert.equal(next(table, { kind: 'vlan', etherType: ETHERTYPE_8023_LLC }), 'llc');
  assert.equal(next(table, { kind: 'llc', etherType: 0x0800 }), 'ipv4');
  assert.equal(next(table, { kind: 'llc', etherType: 0x0806 }), 'arp');
  assert.equal(next(table, { kind: 'llc', etherType: ETHERTYPE_8023_LLC }), undefined);
});

test('next() follows the cooked-capture protocol and the monitor-mode ARPHRD type', () => {
  assert.equal(next(table, { kind: 'sll', protocol: 0x0800, arphrdType: 1 }), 'ipv4');
  assert.equal(next(table, { kind: 'sll2', protocol: 0x86dd, arphrdType: 1 }), 'ipv6');
  assert.equal(next(table, { kind: 'sll', protocol: 0x0003, arphrdType: 803 }), 'radiotap');
  assert.equal(next(table, { kind: 'sll2', protocol: 0x0003, arphrdType: 803 }), 'radiotap');
  assert.equal(next(table, { kind: 'sll', protocol: 0x0003, arphrdType: 1 }), undefined);
});

test('next() follows PPP, loopback, radiotap and 802.11 rows', () => {
  assert.equal(next(table, { kind: 'pppoe', pppProtocol: 0x0021 }), 'ipv4');
  assert.equal(next(table, { kind: 'pppoe', pppProtocol: 0x0057 }), 'ipv6');
  assert.equal(next(table, { kind: 'pppoe', pppProtocol: 0xc021 }), undefined, 'LCP has no decoder');
  assert.equal(next(table, { kind: 'loopback', network: 'ipv4' }), 'ipv4');
  assert.equal(next(table, { kind: 'loopback', network: 'ipv6' }), 'ipv6');
  assert.equal(next(table, { kind: 'radiotap' }), 'ieee80211', 'a row without a field always applies');
  assert.equal(next(table, { kind: 'ieee80211', payloadKind: 'llc' }), 'llc');
  assert.equal(next(table, { kind: 'ieee80211', payloadKind: 'none' }), undefined);
});

test('next() follows the IP protocol, tunnels included, and an ICMP error to the datagram it quotes', () => {
  assert.equal(next(table, { kind: 'ipv4', protocol: 6 }), 'tcp');
  assert.equal(next(table, { kind: 'ipv4', protocol: 17 }), 'udp');
  assert.equal(next(table, { kind: 'ipv4', protocol: 1 }), 'icmp');
  assert.equal(next(table, { kind: 'ipv4', protocol: 4 }), 'ipv4');
  assert.equal(next(table, { kind: 'ipv4', protocol: 41 }), 'ipv6');
  assert.equal(next(table, { kind: 'ipv4', protocol: 58 }), undefined, 'ICMPv6 belongs after IPv6 only');
  assert.equal(next(table, { kind: 'ipv6', protocol: 58 }), 'icmpv6');
  assert.equal(next(table, { kind: 'ipv6', protocol: 1 }), undefined);
  assert.equal(next(table, { kind: 'icmp', embedded: true }), 'ipv4');
  assert.equal(next(table, { kind: 'icmp', embedded: false }), undefined);
  assert.equal(next(table, { kind: 'icmpv6', embedded: true }), 'ipv6');
});

test('next() binds UDP to DNS on the DNS ports and TCP to dns-tcp on 53 and to TLS on the TLS ports', () => {
  assert.deepEqual([...DNS_UDP_PORTS], [53, 5353, 5355]);
  for (const port of [443, 853, 993, 8883]) {
    assert.ok((TLS_TCP_PORTS as readonly number[]).includes(port), `${port} is a TLS port`);
    assert.equal(next(table, { kind: 'tcp', srcPort: 50000, dstPort: port }), 'tls');
  }
  for (const port of TLS_TCP_PORTS) assert.equal(next(table, { kind: 'tcp', srcPort: port, dstPort: 60000 }), 'tls');
  assert.equal(next(table, { kind: 'tcp', srcPort: 50000, dstPort: 3389 }), undefined, 'TPKT takes 3389 first');
  assert.equal(next(table, { kind: 'tcp', srcPort: 50000, dstPort: 12345 }), undefined);
  for (const port of DNS_UDP_PORTS) {
    assert.equal(next(table, { kind: 'udp', srcPort: 50000, dstPort: port }), 'dns');
    assert.equal(next(table, { kind: 'udp', srcPort: port, dstPort: 50000 }), 'dns');
  }
  assert.equal(next(table, { kind: 'tcp', srcPort: 50000, dstPort: 53 }), 'dns-tcp');
  assert.equal(next(table, { kind: 'tcp', srcPort: 443, dstPort: 50000 }), 'tls');
  assert.equal(next(table, { kind: 'udp', srcPort: 50000, dstPort: 443 }), undefined);
  assert.equal(next(table, { kind: 'tcp', srcPort: 50000, dstPort: 5353 }), undefined);
  assert.equal(next(table, { kind: 'udp', srcPort: 40000, dstPort: 50000 }), undefined);
});

test('next() binds UDP to DHCP on 67, 68 and 4011 and to SSDP on 1900, as tshark does, the lower port first', () => {
  assert.deepEqual([...DHCP_UDP_PORTS], [67, 68, 4011]);
  for (const port of DHCP_UDP_PORTS) {
    assert.equal(next(table, { kind: 'udp', srcPort: 50000, dstPort: port }), 'dhcp');
    assert.equal(next(table, { kind: 'udp', srcPort: port, dstPort: 50000 }), 'dhcp');
  }
  assert.equal(next(table, { kind: 'udp', srcPort: 68, dstPort: 67 }), 'dhcp');
  assert.equal(next(table, { kind: 'udp', srcPort: 49152, dstPort: SSDP_UDP_PORT }), 'ssdp');
  assert.equal(next(table, { kind: 'udp', srcPort: SSDP_UDP_PORT, dstPort: 49152 }), 'ssdp');
  assert.equal(next(table, { kind: 'udp', srcPort: 1900, dstPort: 5353 }), 'ssdp', '1900 is below 5353');
  assert.equal(next(table, { kind: 'udp', srcPort: 53, dstPort: 1900 }), 'dns', '53 is below 1900');
  assert.equal(next(table, { kind: 'tcp', srcPort: 50000, dstPort: 1900 }), undefined, 'SSDP is bound on UDP only');
});

test('next() tries the lower port first, then the higher one, whichever is the source', () => {
  const bindings: Binding[] = [
    { from: 'udp', field: 'port', value: 53, to: 'dns' },
    { from: 'udp', field: 'port', value: 5353, to: 'tls' },
  ];
  const t = new BindingTable(bindings);
  assert.equal(next(t, { kind: 'udp', srcPort: 5353, dstPort: 53 }), 'dns');
  assert.equal(next(t, { kind: 'udp', srcPort: 53, dstPort: 5353 }), 'dns');
  assert.equal(next(t, { kind: 'udp', srcPort: 5353, dstPort: 60000 }), 'tls', 'the higher port when the lower one has no row');
  assert.equal(next(t, { kind: 'udp', srcPort: 60000, dstPort: 5353 }), 'tls');
  assert.equal(next(t, { kind: 'udp', srcPort: 53, dstPort: 53 }), 'dns');
  // With the default table: mDNS from 5353 to LLMNR's 5355 is decoded as the lower port says.
  assert.equal(next(table, { kind: 'udp', srcPort: 5355, dstPort: 5353 }), 'dns');
});

test('next() takes the kind from its argument over the layer field when given', () => {
  const unnamed: LayerFields = { kind: 'unused', protocol: 17 };
  const ipv4: LayerFields = { kind: 'ipv4', protocol: 17 };
  assert.equal(table.next(unnamed, 'ipv4'), 'udp');
  assert.equal(table.next(ipv4, 'nothing-binds-this'), undefined);
});

test('the constructor refuses a binding row defined twice', () => {
  assert.throws(
    () => new BindingTable([...DEFAULT_BINDINGS, { from: 'ipv4', field: 'protocol', value: 17, to: 'tcp' }]),
    /Binding defined twice: ipv4\.protocol=17/,
  );
  assert.throws(() => new BindingTable([...DEFAULT_BINDINGS, { from: 'link', value: LINKTYPE.ETHERNET, to: 'ip' }]), /Binding defined twice: link=1/);
  assert.throws(
    () => new BindingTable([{ from: 'radiotap', to: 'ieee80211' }, { from: 'radiotap', to: 'llc' }]),
    /Binding defined twice: radiotap\.\*/,
  );
});

test('the constructor accepts the same value under another field or another layer', () => {
  const t = new BindingTable([
    { from: 'sll', field: 'protocol', value: 803, to: 'ipv4' },
    { from: 'sll', field: 'arphrdType', value: 803, to: 'radiotap' },
    { from: 'sll2', field: 'protocol', value: 803, to: 'ipv6' },
  ]);
  assert.equal(next(t, { kind: 'sll', protocol: 803, arphrdType: 1 }), 'ipv4');
  assert.equal(next(t, { kind: 'sll', protocol: 1, arphrdType: 803 }), 'radiotap');
  assert.equal(next(t, { kind: 'sll2', protocol: 803 }), 'ipv6');
});

test('the last-value cache gives the right answer when values alternate, hits and misses mixed', () => {
  const t = new BindingTable();
  const protocols = [17, 6, 17, 17, 99, 6, 99, 99, 1, 17, 4, 41, 41, 58, 6];
  const expected: Record<number, string | undefined> = { 17: 'udp', 6: 'tcp', 99: undefined, 1: 'icmp', 4: 'ipv4', 41: 'ipv6', 58: undefined };
  for (let round = 0; round < 3; round++) {
    for (const protocol of protocols) assert.equal(next(t, { kind: 'ipv4', protocol }), expected[protocol], `protocol ${protocol}`);
  }
  // Two layer kinds interleaved keep their own caches.
  for (let i = 0; i < 20; i++) {
    assert.equal(next(t, { kind: 'ipv4', protocol: i % 2 === 0 ? 17 : 6 }), i % 2 === 0 ? 'udp' : 'tcp');
    assert.equal(next(t, { kind: 'ipv6', protocol: i % 3 === 0 ? 58 : 17 }), i % 3 === 0 ? 'icmpv6' : 'udp');
    assert.equal(next(t, { kind: 'ethernet', etherType: i % 2 === 0 ? 0x86dd : 0x0806 }), i % 2 === 0 ? 'ipv6' : 'arp');
  }
});

test('a miss of one rule falls through to the next rule of the same layer', () => {
  const t = new BindingTable();
  // sll: the protocol rule misses, the ARPHRD rule hits; then the protocol rule hits again.
  assert.equal(next(t, { kind: 'sll', protocol: 0x0004, arphrdType: 803 }), 'radiotap');
  assert.equal(next(t, { kind: 'sll', protocol: 0x0800, arphrdType: 803 }), 'ipv4');
  assert.equal(next(t, { kind: 'sll', protocol: 0x0004, arphrdType: 803 }), 'radiotap');
  assert.equal(next(t, { kind: 'sll', protocol: 0x0004, arphrdType: 1 }), undefined);
});

test('nextBy() with the rules from rulesFor() answers as next() does', () => {
  const t = new BindingTable();
  const layers = [
    { kind: 'ethernet', etherType: 0x0800 },
    { kind: 'ethernet', etherType: 0x1234 },
    { kind: 'ipv4', protocol: 6 },
    { kind: 'ipv6', protocol: 17 },
    { kind: 'udp', srcPort: 5353, dstPort: 5353 },
    { kind: 'tcp', srcPort: 443, dstPort: 50000 },
    { kind: 'tcp', srcPort: 80, dstPort: 50000 },
    { kind: 'radiotap' },
  ];
  for (const layer of layers) assert.equal(t.nextBy(t.rulesFor(layer.kind), layer), next(table, layer), JSON.stringify(layer));
  assert.deepEqual(t.rulesFor('dns'), []);
  assert.equal(t.nextBy(t.rulesFor('dns'), { kind: 'dns' }), undefined);
});

test('denseRule() answers as next() does for every value of the hot kinds (default bindings)', () => {
  const fresh = new BindingTable();
  const cases: [kind: string, field: string, values: number][] = [
    ['ethernet', 'etherType', 65536],
    ['ipv4', 'protocol', 256],
    ['ipv6', 'protocol', 256],
  ];
  for (const [kind, field, count] of cases) {
    const dense = fresh.denseRule(kind, field);
    assert.ok(dense, `${kind} has one rule on ${field}`);
    for (let v = -1; v < count; v++) {
      assert.equal(denseNext(dense, v), next(fresh, { kind, [field]: v }), `${kind}.${field} = ${v}`);
    }
    assert.equal(denseNext(dense, 70000), undefined);
  }
  for (const kind of ['udp', 'tcp']) {
    const dense = fresh.denseRule(kind, 'port');
    assert.ok(dense, `${kind} has one port rule`);
    const ports = [0, 1, 53, 67, 68, 443, 1900, 4011, 5353, 5355, 8443, 8883, 40000, 65535];
    for (const a of ports) for (const b of ports) {
      assert.equal(densePortNext(dense, a, b), next(fresh, { kind, srcPort: a, dstPort: b }), `${kind} ${a} → ${b}`);
    }
  }
});

test('denseRule() is null when the bindings of a kind are not one numeric rule on that field', () => {
  const twoFields = new BindingTable([
    { from: 'ipv4', field: 'protocol', value: 6, to: 'tcp' },
    { from: 'ipv4', field: 'ttl', value: 1, to: 'icmp' },
  ]);
  assert.equal(twoFields.denseRule('ipv4', 'protocol'), null, 'two rules');
  const named = new BindingTable([{ from: 'loopback', field: 'network', value: 'ipv4', to: 'ipv4' }]);
  assert.equal(named.denseRule('loopback', 'network'), null, 'a string value');
  const huge = new BindingTable([{ from: 'udp', field: 'port', value: 70000, to: 'dns' }]);
  assert.equal(huge.denseRule('udp', 'port'), null, 'a value above 65535');
  assert.equal(table.denseRule('ipv4', 'etherType'), null, 'another field');
  assert.equal(table.denseRule('arp', 'etherType'), null, 'no rules');
});
