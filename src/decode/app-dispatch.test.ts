import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppDispatch } from './app-dispatch.js';
import { BindingTable, DEFAULT_BINDINGS } from './bindings.js';
import { CollectingContext } from './context.js';
import type { Layer } from './layer.js';
import { parseIpv4 } from '../core/bytes.js';
import { makeIpv4, makeTcp, makeUdp } from './net/make-layer.js';
import { TCP_ACK, TCP_FIN, TCP_PSH } from './net/tcp.js';
import type { TcpLayer } from './net/tcp.js';
import { dnsMessage, rr } from './app/dns-fixtures.js';
import { encodeDnsMessage, type DnsLayer } from './app/dns.js';
import { dnsTcpEncodingLength, encodeDnsTcpMessage } from './app/dns-tcp.js';
import { encodeClientHello } from './app/tls-client-hello-encoder.js';
import type { TlsClientHelloLayer } from './app/tls-client-hello.js';
import { tlsRecord } from '../home/traffic/traffic-writer.js';
import { dhcpCodec, type DhcpLayer } from './app/dhcp.js';
import { makeDhcp } from './app/dhcp-message.js';
import { makeSsdp, ssdpCodec, type SsdpLayer } from './app/ssdp.js';

const CLIENT = parseIpv4('192.168.1.20');
const SERVER = parseIpv4('52.44.10.21');
const IP = makeIpv4({ src: CLIENT, dst: SERVER });
const HEADERS_BYTES = 54;
const bindings = new BindingTable();

const HELLO = encodeClientHello({ serverNames: ['api.example.com'], alpn: ['h2'], supportedVersions: [0x0304, 0x0303] });

/** `payload` in a buffer after room for the headers, as a packet holds it. */
function inPacket(payload: Uint8Array): { buf: Uint8Array; start: number; end: number } {
  const buf = new Uint8Array(HEADERS_BYTES + payload.length + 4).fill(0xcc);
  buf.set(payload, HEADERS_BYTES);
  return { buf, start: HEADERS_BYTES, end: HEADERS_BYTES + payload.length };
}

/** Feeds one TCP segment, bound as the bindings table binds its ports; returns the layers it gave. */
function tcpSegment(app: AppDispatch, tcp: TcpLayer, payload: Uint8Array, ctx = new CollectingContext()): Layer[] {
  const next = bindings.next(tcp);
  const bound = next === 'dns-tcp' || next === 'tls' ? next : undefined;
  const p = inPacket(payload);
  const layers: Layer[] = [];
  app.tcp(tcp, IP, bound, p.buf, p.start, p.end, ctx, layers);
  return layers;
}

const client = (dstPort: number, seq: number, flags = TCP_ACK | TCP_PSH): TcpLayer => makeTcp({ srcPort: 50123, dstPort, seq, flags });
const serverSide = (srcPort: number, seq: number): TcpLayer => makeTcp({ srcPort, dstPort: 50123, seq, flags: TCP_ACK | TCP_PSH });
const serverNames = (layers: Layer[]): string[][] => layers.filter((l): l is TlsClientHelloLayer => l.kind === 'tls').map((l) => [...l.serverNames]);

function dnsBytes(layer: DnsLayer): Uint8Array {
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0));
  encodeDnsMessage(layer, out, 0);
  return out;
}

const question = { name: 'living-room.local', type: 1, class: 1, unicastResponse: false };

test('AppDispatch.udp() decodes DNS on 53, mDNS on 5353 and LLMNR on 5355', () => {
  const app = new AppDispatch();
  const bytes = dnsBytes(dnsMessage({ id: 7, questions: [question] }));
  for (const [port, protocol] of [
    [53, 'dns'],
    [5353, 'mdns'],
    [5355, 'llmnr'],
  ] as const) {
    for (const udp of [makeUdp({ srcPort: 50000, dstPort: port }), makeUdp({ srcPort: port, dstPort: 50000 })]) {
      const p = inPacket(bytes);
      const layers: Layer[] = [];
      app.udp(udp, p.buf, p.start, p.end, new CollectingContext(), layers);
      assert.equal(layers.length, 1, `port ${port}`);
      const dns = layers[0] as DnsLayer;
      assert.equal(dns.protocol, protocol);
      assert.equal(dns.transport, 'udp');
      assert.equal(dns.offset, HEADERS_BYTES);
      assert.equal(dns.questions[0].name, 'living-room.local');
    }
  }
});

test('AppDispatch.udp() picks the protocol of the lower port first', () => {
  const app = new AppDispatch();
  const p = inPacket(dnsBytes(dnsMessage({ questions: [question] })));
  const layers: Layer[] = [];
  app.udp(makeUdp({ srcPort: 5355, dstPort: 5353 }), p.buf, p.start, p.end, new CollectingContext(), layers);
  assert.equal((layers[0] as DnsLayer).protocol, 'mdns');
});

test('AppDispatch.udp() gives nothing off the DNS ports or for an empty datagram', () => {
  const app = new AppDispatch();
  const p = inPacket(dnsBytes(dnsMessage({ questions: [question] })));
  const layers: Layer[] = [];
  app.udp(makeUdp({ srcPort: 50000, dstPort: 5354 }), p.buf, p.start, p.end, new CollectingContext(), layers);
  app.udp(makeUdp({ srcPort: 50000, dstPort: 53 }), p.buf, p.start, p.start, new CollectingContext(), layers);
  assert.deepEqual(layers, []);
});

const DHCP_REQUEST = makeDhcp({ messageType: 3, chaddr: 0x68c63a4283f6, hostName: 'ESP_E67CDE' });
const SSDP_NOTIFY = makeSsdp({ method: 'NOTIFY', headers: [['NT', 'upnp:rootdevice'], ['NTS', 'ssdp:alive'], ['SERVER', 'Linux UPnP/1.0 Kasa/1.0']] });

function codecBytes<L extends Layer>(codec: { encodingLength(l: L): number; encode(l: L, out: Uint8Array, at: number): number }, layer: L): Uint8Array {
  const out = new Uint8Array(codec.encodingLength(layer));
  codec.encode(layer, out, 0);
  return out;
}

/** The layers `app.udp()` gives for `payload` in a datagram between the two ports. */
function udpDatagram(app: AppDispatch, srcPort: number, dstPort: number, payload: Uint8Array): Layer[] {
  const p = inPacket(payload);
  const layers: Layer[] = [];
  app.udp(makeUdp({ srcPort, dstPort }), p.buf, p.start, p.end, new CollectingContext(), layers);
  return layers;
}

test('AppDispatch.udp() decodes DHCP on 67, 68 and 4011 and SSDP on 1900, whichever port is the source', () => {
  const app = new AppDispatch();
  const dhcp = codecBytes(dhcpCodec, DHCP_REQUEST);
  for (const [src, dst] of [[68, 67], [67, 68], [50000, 4011], [4011, 50000]]) {
    const layers = udpDatagram(app, src, dst, dhcp);
    assert.equal(layers.length, 1, `${src} > ${dst}`);
    const l = layers[0] as DhcpLayer;
    assert.equal(l.kind, 'dhcp');
    assert.equal(l.hostName, 'ESP_E67CDE');
    assert.equal(l.offset, HEADERS_BYTES);
  }
  const ssdp = codecBytes(ssdpCodec, SSDP_NOTIFY);
  for (const [src, dst] of [[49152, 1900], [1900, 49152]]) {
    const l = udpDatagram(app, src, dst, ssdp)[0] as SsdpLayer;
    assert.equal(l.kind, 'ssdp');
    assert.equal(l.server, 'Linux UPnP/1.0 Kasa/1.0');
  }
});

test('AppDispatch.udp() gives no layer for bytes on the DHCP and SSDP ports that are not those protocols, only anomalies', () => {
  const app = new AppDispatch();
  const junk = new Uint8Array(40).fill(0x41);
  assert.deepEqual(udpDatagram(app, 68, 67, junk), []);
  assert.deepEqual(udpDatagram(app, 50000, 1900, junk), []);
});

test('AppDispatch.udp() follows the bindings it is given: a port bound to DNS reads plain DNS, one not bound reads nothing', () => {
  const bindings = [...DEFAULT_BINDINGS.filter((b) => !(b.from === 'udp' && b.value === 1900)), { from: 'udp', field: 'port', value: 5300, to: 'dns' } as const];
  const app = new AppDispatch({ bindings });
  const dns = udpDatagram(app, 50000, 5300, dnsBytes(dnsMessage({ questions: [question] })));
  assert.equal((dns[0] as DnsLayer).protocol, 'dns');
  assert.deepEqual(udpDatagram(app, 50000, 1900, codecBytes(ssdpCodec, SSDP_NOTIFY)), []);
});

test('AppDispatch.tcp() finds a ClientHello on 443 by its port', () => {
  const app = new AppDispatch();
  const layers = tcpSegment(app, client(443, 1000), HELLO);
  assert.deepEqual(serverNames(layers), [['api.example.com']]);
  const hello = layers[0] as TlsClientHelloLayer;
  assert.deepEqual(hello.alpn, ['h2']);
  assert.equal(hello.offset, HEADERS_BYTES);
  assert.equal(hello.reassembled, false);
});

test('AppDispatch.tcp() finds a ClientHello on 8883, bound to TLS, from a one-byte first segment', () => {
  const app = new AppDispatch();
  assert.deepEqual(tcpSegment(app, client(8883, 1000), HELLO.subarray(0, 1)), []);
  assert.deepEqual(serverNames(tcpSegment(app, client(8883, 1001), HELLO.subarray(1))), [['api.example.com']]);
});

test('AppDispatch.tcp() finds a ClientHello on 12345 by its content', () => {
  const app = new AppDispatch();
  assert.deepEqual(serverNames(tcpSegment(app, client(12345, 1000), HELLO)), [['api.example.com']]);
});

test('AppDispatch.tcp() finds no ClientHello on 80, which HTTP claims, nor on 22, 1883', () => {
  const app = new AppDispatch();
  for (const port of [80, 22, 1883]) assert.deepEqual(tcpSegment(app, client(port, 1000), HELLO), [], `port ${port}`);
});

test('AppDispatch.tcp() completes a hello split over two segments on 12345, on the second', () => {
  const app = new AppDispatch();
  assert.deepEqual(tcpSegment(app, client(12345, 1000), HELLO.subarray(0, 100)), []);
  const layers = tcpSegment(app, client(12345, 1100), HELLO.subarray(100));
  assert.deepEqual(serverNames(layers), [['api.example.com']]);
  assert.equal((layers[0] as TlsClientHelloLayer).reassembled, true);
});

test('AppDispatch.tcp() by content takes a first segment of exactly the record header but not a shorter one, as tshark does', () => {
  // tshark 4.0 on port 12345, the hello split after 1, 4, 5 and 6 bytes: the SNI shows from 5 on.
  for (const [cut, found] of [
    [1, false],
    [4, false],
    [5, true],
    [6, true],
  ] as const) {
    const app = new AppDispatch();
    tcpSegment(app, client(12345, 1000), HELLO.subarray(0, cut));
    const names = serverNames(tcpSegment(app, client(12345, 1000 + cut), HELLO.subarray(cut)));
    assert.deepEqual(names, found ? [['api.example.com']] : [], `first segment of ${cut} bytes`);
  }
});

test('AppDispatch.tcp() completes a hello split over three segments on 443 while other traffic passes', () => {
  const app = new AppDispatch();
  assert.deepEqual(tcpSegment(app, client(443, 5000), HELLO.subarray(0, 40)), []);
  assert.deepEqual(tcpSegment(app, serverSide(443, 900), tlsRecord(23, new Uint8Array(100))), []);
  assert.deepEqual(tcpSegment(app, makeTcp({ srcPort: 50999, dstPort: 12345, seq: 1 }), new Uint8Array(300)), []);
  assert.deepEqual(tcpSegment(app, client(443, 5040), HELLO.subarray(40, 80)), []);
  assert.deepEqual(serverNames(tcpSegment(app, client(443, 5080), HELLO.subarray(80))), [['api.example.com']]);
});

test('AppDispatch.tcp() ignores a segment on 443 that is not a ClientHello', () => {
  const app = new AppDispatch();
  const ctx = new CollectingContext();
  assert.deepEqual(tcpSegment(app, client(443, 1000), tlsRecord(23, new Uint8Array(200).fill(0x16)), ctx), [], 'application data');
  const serverHello = tlsRecord(22, Uint8Array.from([2, 0, 0, 4, 3, 3, 0, 0]));
  assert.deepEqual(tcpSegment(app, serverSide(443, 7000), serverHello, ctx), [], 'a ServerHello');
  assert.deepEqual(tcpSegment(app, client(443, 2000), new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), ctx), []);
  assert.deepEqual(ctx.anomalies, []);
  // A hello on the same connection afterwards is still found.
  assert.deepEqual(serverNames(tcpSegment(app, client(443, 3000), HELLO)), [['api.example.com']]);
});

test('AppDispatch.tcp() reports a retransmitted ClientHello once', () => {
  const app = new AppDispatch();
  assert.equal(serverNames(tcpSegment(app, client(443, 1000), HELLO)).length, 1);
  assert.deepEqual(tcpSegment(app, client(443, 1000), HELLO), []);
});

test('AppDispatch.tcp() forgets a hello in progress when its direction closes', () => {
  const app = new AppDispatch();
  assert.deepEqual(tcpSegment(app, client(12345, 1000), HELLO.subarray(0, 100)), []);
  assert.deepEqual(tcpSegment(app, client(12345, 1100, TCP_ACK | TCP_FIN), new Uint8Array(0)), []);
  assert.deepEqual(tcpSegment(app, client(12345, 1100), HELLO.subarray(100)), []);
});

test('AppDispatch.tcp() decodes DNS over TCP on 53, also a message split across segments', () => {
  const app = new AppDispatch();
  const answer = dnsMessage({
    id: 0x2b2b,
    flags: 0x8180,
    transport: 'tcp',
    questions: [{ name: 'big.example', type: 1, class: 1, unicastResponse: false }],
    answers: Array.from({ length: 20 }, (_, i) => rr('big.example', 1, { type: 'A', address: `192.0.2.${i + 1}` })),
  });
  const bytes = new Uint8Array(dnsTcpEncodingLength(answer));
  encodeDnsTcpMessage(answer, bytes, 0);
  const whole = tcpSegment(app, serverSide(53, 100), bytes);
  assert.equal(whole.length, 1);
  assert.equal((whole[0] as DnsLayer).transport, 'tcp');
  assert.equal((whole[0] as DnsLayer).answers.length, 20);
  assert.deepEqual(tcpSegment(app, serverSide(53, 100 + bytes.length), bytes.subarray(0, 150)), []);
  const second = tcpSegment(app, serverSide(53, 100 + bytes.length + 150), bytes.subarray(150));
  assert.equal(second.length, 1);
  assert.equal((second[0] as DnsLayer).id, 0x2b2b);
  assert.equal((second[0] as DnsLayer).reassembled, true);
});

test('AppDispatch.tcp() looks for no ClientHello in DNS over TCP', () => {
  const app = new AppDispatch();
  assert.deepEqual(tcpSegment(app, client(53, 1000), HELLO), []);
});
