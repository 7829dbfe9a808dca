// The loopback recordings hold what the plan says, as tshark sees it: every DNS question over its
// transport and address family with the planned outcome, several DNS messages in one TCP segment, DNS
// messages split across segments, every TLS SNI with its version and ALPN, every device's DHCP lease
// with its host name and vendor class, the right link types, and the same frames in all three capture
// formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CAPTURE_FORMATS } from './support/capture-formats.js';
import { readCaptureHeader } from './support/capture-formats.js';
import { questionName } from './support/loopback/dns-wire.js';
import { DHCP_DEVICES, DHCP_LAN_PREFIX, DNS_EXCHANGES, DNS_TYPES, LINK_TYPE_NUMBERS, LONG_LABEL, RECORDINGS, TLS_HANDSHAKES } from './support/loopback/plan.js';
import type { DnsOutcome, DnsQuestion, RecordingPlan } from './support/loopback/plan.js';
import type { LoopbackManifest } from './support/loopback/manifest.js';
import { loopbackManifestOrSkip, recordingPath } from './support/loopback-recordings.js';
import { compareTables, formatMismatches, parseTsv, requireTshark, runTshark, tsharkFieldArgs, tsharkFields } from './support/oracle.js';

const PCAP = CAPTURE_FORMATS[0]!;
const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;
const TLS_1_3 = '0x0304';

/** One DNS message as tshark shows it; a frame can carry several (their values are joined by commas). */
interface SeenDnsMessage {
  readonly frame: number;
  readonly transport: 'udp' | 'tcp';
  readonly family: 4 | 6;
  readonly response: boolean;
  readonly name: string;
  readonly type: number;
  readonly rcode: number | null;
  readonly answers: number;
  readonly messagesInFrame: number;
  readonly tcpSegments: number;
}

function seenDnsMessages(file: string): SeenDnsMessage[] {
  const fields = ['frame.number', 'ipv6.src', 'udp.srcport', 'dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.count.answers', 'tcp.segment.count'];
  const table = parseTsv(runTshark(file, ['-Y', 'dns', ...tsharkFieldArgs(fields)]));
  const messages: SeenDnsMessage[] = [];
  for (const row of table.rows) {
    const [frame = '', ipv6Src = '', udpSrcPort = '', responses = '', names = '', types = '', rcodes = '', answers = '', segments = ''] = row;
    const responseList = responses.split(',');
    const rcodeList = rcodes.split(',');
    const answerList = answers.split(',');
    const typeList = types.split(',');
    names.split(',').forEach((name, index) => {
      const response = responseList[index] === '1';
      messages.push({
        frame: Number(frame),
        transport: udpSrcPort === '' ? 'tcp' : 'udp',
        family: ipv6Src === '' ? 4 : 6,
        response,
        name,
        type: Number(typeList[index]),
        // tshark shows rcode on responses only, so the list holds one value per response.
        rcode: response ? Number(rcodeList[responseList.slice(0, index).filter((r) => r === '1').length]) : null,
        answers: Number(answerList[index] ?? Number.NaN),
        messagesInFrame: responseList.length,
        tcpSegments: segments === '' ? 1 : Number(segments),
      });
    });
  }
  return messages;
}

function outcomeMatches(message: SeenDnsMessage, outcome: DnsOutcome): boolean {
  if (outcome === 'nxdomain') return message.rcode === RCODE_NXDOMAIN;
  return message.rcode === RCODE_NOERROR && (outcome === 'answer' ? message.answers > 0 : message.answers === 0);
}

function sameQuestion(message: SeenDnsMessage, question: DnsQuestion, transport: string, family: number): boolean {
  return (
    message.transport === transport &&
    message.family === family &&
    message.type === DNS_TYPES[question.type] &&
    message.name.toLowerCase() === questionName(question).toLowerCase()
  );
}

function withManifest(t: Parameters<typeof loopbackManifestOrSkip>[0], body: (manifest: LoopbackManifest) => void): void {
  if (!requireTshark(t)) return;
  const manifest = loopbackManifestOrSkip(t);
  if (manifest !== null) body(manifest);
}

test('the plan names a DNS label of 63 bytes, the longest RFC 1035 allows', () => {
  assert.equal(Buffer.byteLength(LONG_LABEL), 63);
});

test('the recording script keeps every recording as pcap, pcapng and nanosecond pcap with the planned link type', (t) => {
  withManifest(t, (manifest) => {
    for (const plan of RECORDINGS) {
      for (const format of CAPTURE_FORMATS) {
        const header = readCaptureHeader(readFileSync(recordingPath(manifest, plan, format)));
        assert.equal(header.format, format.name, `${plan.name}${format.suffix} format`);
        assert.equal(header.linkType, LINK_TYPE_NUMBERS[plan.linkType], `${plan.name}${format.suffix} link type`);
      }
    }
    assert.ok(['LINUX_SLL', 'LINUX_SLL2'].includes(manifest.anyDefaultLinkType), `tcpdump on any defaults to ${manifest.anyDefaultLinkType}`);
  });
});

test('tshark reads the same table from the three formats of each loopback recording', (t) => {
  withManifest(t, (manifest) => {
    for (const plan of RECORDINGS) {
      const reference = tsharkFields(recordingPath(manifest, plan, PCAP));
      const recorded = manifest.files.find((entry) => entry.recording === plan.name)?.packets;
      assert.equal(reference.rows.length, recorded, `${plan.name}.pcap: tshark frames vs tcpdump's count`);
      for (const format of CAPTURE_FORMATS.slice(1)) {
        const mismatches = compareTables(reference, tsharkFields(recordingPath(manifest, plan, format)));
        assert.equal(mismatches.length, 0, `${plan.name}${format.suffix} vs .pcap: ${formatMismatches(mismatches)}`);
      }
    }
  });
});

const dnsRecordings = RECORDINGS.filter((plan) => plan.carriesDns);
const tlsRecordings = RECORDINGS.filter((plan) => plan.carriesTls);
const dhcpRecordings = RECORDINGS.filter((plan) => plan.carriesDhcp);

function forEachRecording(plans: readonly RecordingPlan[], title: string, check: (plan: RecordingPlan, manifest: LoopbackManifest) => void): void {
  for (const plan of plans) {
    test(`${title} (${plan.name})`, (t) => withManifest(t, (manifest) => check(plan, manifest)));
  }
}

forEachRecording(dnsRecordings, 'tshark sees every planned DNS question and its planned answer over UDP and TCP, IPv4 and IPv6', (plan, manifest) => {
  const seen = seenDnsMessages(recordingPath(manifest, plan, PCAP));
  const missing: string[] = [];
  for (const exchange of DNS_EXCHANGES) {
    const questions = exchange.transport === 'udp' ? [exchange.question] : exchange.questions;
    for (const question of questions) {
      const what = `${exchange.transport}/IPv${exchange.family} ${questionName(question)} ${question.type}`;
      const matching = seen.filter((message) => sameQuestion(message, question, exchange.transport, exchange.family));
      if (!matching.some((message) => !message.response)) missing.push(`${what}: no query`);
      if (!matching.some((message) => message.response && outcomeMatches(message, question.outcome))) {
        missing.push(`${what}: no ${question.outcome} response`);
      }
    }
  }
  assert.deepEqual(missing, [], `${plan.name}: DNS traffic tshark does not show`);
  const mixedCase = seen.find((message) => !message.response && message.name === 'API.SimpliSafe.com');
  assert.ok(mixedCase !== undefined, `${plan.name}: the mixed-case query went out lowercased`);
});

forEachRecording(dnsRecordings, 'tshark finds several DNS messages in one TCP segment and messages split across segments', (plan, manifest) => {
  const seen = seenDnsMessages(recordingPath(manifest, plan, PCAP));
  for (const exchange of DNS_EXCHANGES) {
    if (exchange.transport !== 'tcp' || exchange.framing === 'one_per_write') continue;
    const queries = exchange.questions.map((question) =>
      seen.find((message) => !message.response && sameQuestion(message, question, 'tcp', exchange.family)),
    );
    const label = `${plan.name} TCP/IPv${exchange.family} ${exchange.framing}`;
    assert.ok(queries.every((query) => query !== undefined), `${label}: queries not seen`);
    if (exchange.framing === 'coalesced') {
      const frames = new Set(queries.map((query) => query?.frame));
      assert.equal(frames.size, 1, `${label}: the queries should share one frame`);
      assert.equal(queries[0]?.messagesInFrame, exchange.questions.length, `${label}: messages in the frame`);
    } else {
      for (const query of queries) assert.equal(query?.tcpSegments, 2, `${label}: ${query?.name} should be reassembled from 2 segments`);
    }
  }
});

forEachRecording(tlsRecordings, 'tshark sees the SNI of every planned ClientHello with its TLS version and ALPN', (plan, manifest) => {
  const fields = ['ipv6.src', 'tcp.dstport', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'tls.handshake.extensions.supported_version'];
  const hellos = parseTsv(runTshark(recordingPath(manifest, plan, PCAP), ['-Y', 'tls.handshake.type == 1', ...tsharkFieldArgs(fields)])).rows;
  const problems: string[] = [];
  for (const handshake of TLS_HANDSHAKES) {
    if (handshake.client === 'curl' && !manifest.curlUsed) continue;
    const row = hellos.find(
      ([ipv6Src = '', port, sni]) => sni === handshake.sni && Number(port) === handshake.port && (ipv6Src === '' ? 4 : 6) === handshake.family,
    );
    const what = `${handshake.client} IPv${handshake.family}:${handshake.port} ${handshake.sni}`;
    if (row === undefined) {
      problems.push(`${what}: no ClientHello with this SNI`);
      continue;
    }
    const [, , , alpn = '', versions = ''] = row;
    if (handshake.client === 'openssl' && alpn !== handshake.alpn.join(',')) problems.push(`${what}: ALPN ${JSON.stringify(alpn)}`);
    if (handshake.version === '1.3' && !versions.split(',').includes(TLS_1_3)) problems.push(`${what}: no TLS 1.3 in supported_versions`);
    if (handshake.version === '1.2' && versions !== '') problems.push(`${what}: supported_versions ${versions} in a TLS 1.2 hello`);
  }
  assert.deepEqual(problems, [], `${plan.name}: TLS handshakes tshark does not show as planned`);
});

const DHCP_DISCOVER_OFFER_REQUEST_ACK = '1,2,3,5';

forEachRecording(dhcpRecordings, 'tshark sees every planned device get a lease: DISCOVER, OFFER, REQUEST, ACK, with its MAC, host name and vendor class', (plan, manifest) => {
  const fields = ['eth.src', 'dhcp.id', 'dhcp.option.dhcp', 'dhcp.hw.mac_addr', 'dhcp.option.hostname', 'dhcp.option.vendor_class_id', 'dhcp.ip.your'];
  const rows = parseTsv(runTshark(recordingPath(manifest, plan, PCAP), ['-Y', 'dhcp', ...tsharkFieldArgs(fields)])).rows;
  const problems: string[] = [];
  for (const device of DHCP_DEVICES) {
    const xid = `0x${device.xid.toString(16).padStart(8, '0')}`;
    const exchange = rows.filter(([, id]) => id === xid);
    const types = exchange.map(([, , type]) => type).join(',');
    if (types !== DHCP_DISCOVER_OFFER_REQUEST_ACK) problems.push(`${device.mac}: message types ${types}`);
    for (const [src = '', , type = '', chaddr = '', hostName = '', vendorClass = '', yiaddr = ''] of exchange) {
      if (!chaddr.split(',').every((mac) => mac === device.mac)) problems.push(`${device.mac}: chaddr ${chaddr} in type ${type}`);
      const fromClient = type === '1' || type === '3';
      if (fromClient && src !== device.mac) problems.push(`${device.mac}: type ${type} sent from ${src}`);
      if (fromClient && hostName !== device.hostName) problems.push(`${device.mac}: host name ${JSON.stringify(hostName)}`);
      if (fromClient && vendorClass !== (device.vendorClass ?? '')) problems.push(`${device.mac}: vendor class ${JSON.stringify(vendorClass)}`);
      if (!fromClient && !yiaddr.startsWith(`${DHCP_LAN_PREFIX}.`)) problems.push(`${device.mac}: type ${type} offers ${yiaddr}`);
    }
  }
  assert.deepEqual(problems, [], `${plan.name}: DHCP exchanges tshark does not show as planned`);
  assert.equal(rows.length, DHCP_DEVICES.length * 4, `${plan.name}: DHCP messages`);
});
