// The DHCP and SSDP decoders, through the capture reader and the packet decoder, against tshark 4.0 on
// the real captures in ../shared/captures and on the DHCP exchanges recorded with dnsmasq in network
// namespaces (test/support/loopback/dhcp-netns.ts): the same frames are DHCP and SSDP, and the names a device
// gives itself there (DHCP host name and vendor class; SSDP SERVER, USER-AGENT, LOCATION, USN, NT, NTS
// and ST, and every header line where tshark lists them) read as tshark reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readCapture } from '../src/capture/reader.js';
import { formatMac } from '../src/core/bytes.js';
import { hexToBytes } from '../src/decode/hex.js';
import { formatAsciiField } from '../src/decode/app/display-text.js';
import type { DhcpLayer } from '../src/decode/app/dhcp.js';
import type { SsdpLayer } from '../src/decode/app/ssdp.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { CAPTURE_FORMATS } from './support/capture-formats.js';
import { DHCP_DEVICES, RECORDINGS } from './support/loopback/plan.js';
import { loopbackManifestOrSkip, recordingFileName, recordingPath } from './support/loopback-recordings.js';
import { requireTshark, runTshark } from './support/oracle.js';
import { SHARED_CAPTURES_DIR } from './support/paths.js';

/** Joins the occurrences of a field in tshark's output; no value in these captures holds it. */
const AGGREGATOR = '\u001f';
const DHCP_FIELDS = ['frame.number', 'dhcp.option.dhcp', 'dhcp.hw.mac_addr', 'dhcp.option.hostname', 'dhcp.option.vendor_class_id'];
/**
 * tshark lists every header line of an M-SEARCH or a response as `http.request.line` or
 * `http.response.line` (`NAME: value\r\n`); in a NOTIFY only the headers it has no field for, as
 * `http.unknown_header` (USN, NT and NTS among them).
 */
const SSDP_FIELDS = ['frame.number', 'http.request.method', 'http.response.code', 'http.server', 'http.user_agent', 'http.location', 'http.request.line', 'http.response.line', 'http.unknown_header'];
/** Headers tshark has no field of its own for, compared as the lines it lists. */
const LINE_HEADERS = ['USN', 'NT', 'NTS', 'ST'];

/** The captures with DHCP or SSDP in them, and what each must show (checked before comparing). */
const CAPTURES: { name: string; hostNames: string[]; ssdpFrames: number }[] = [
  { name: 'iot-tuya-plug-boot-anon.pcap', hostNames: ['ESP_E67CDE'], ssdpFrames: 0 },
  { name: 'iot-sentinel-dlink-cam-setup.pcap', hostNames: ['DCS-935L'], ssdpFrames: 104 },
  { name: 'iot-smartthings-hub-nsec.pcap', hostNames: ['hubv3-4021272243', 'smartthings-hub-v3'], ssdpFrames: 10 },
  { name: 'iot-blink-cam-week-truncated-vlan.pcap', hostNames: ['F4B85EFF2B1B-mysimplelink'], ssdpFrames: 0 },
  { name: 'iot-sentinel-wemo-switch-setup.pcap', hostNames: [], ssdpFrames: 16 },
];

function tsharkRows(file: string, filter: string, fields: readonly string[]): string[][] {
  const args = ['-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', `aggregator=${AGGREGATOR}`];
  for (const f of fields) args.push('-e', f);
  return runTshark(file, args)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

async function decodeApp(file: string): Promise<{ dhcp: Map<number, DhcpLayer>; ssdp: Map<number, SsdpLayer> }> {
  const decoder = new PacketDecoder();
  const dhcp = new Map<number, DhcpLayer>();
  const ssdp = new Map<number, SsdpLayer>();
  await readCapture(file, (rec) => {
    for (const l of decoder.decode(rec).layers) {
      if (l.kind === 'dhcp') dhcp.set(rec.frame, l);
      else if (l.kind === 'ssdp') ssdp.set(rec.frame, l);
    }
  });
  return { dhcp, ssdp };
}

/** Every copy of a text option, as tshark shows them. */
function textOptions(l: DhcpLayer, code: number): string {
  return l.options
    .filter((o) => o.code === code)
    .map((o) => {
      const data = hexToBytes(o.data);
      return formatAsciiField(data, 0, data.length);
    })
    .join(AGGREGATOR);
}

/** The DHCP row peephole gives for a frame, in DHCP_FIELDS order (the MAC from chaddr, and from option 61 as tshark adds it). */
function dhcpRow(frame: number, l: DhcpLayer): string[] {
  const macs = typeof l.chaddr === 'number' ? [formatMac(l.chaddr)] : [];
  if (l.clientId !== null && l.clientId.length === 14 && l.clientId.startsWith('01')) macs.push(formatMac(parseInt(l.clientId.slice(2), 16)));
  return [String(frame), l.messageType === null ? '' : String(l.messageType), macs.join(AGGREGATOR), textOptions(l, 12), textOptions(l, 60)];
}

/**
 * The SSDP row peephole gives for a frame: the SSDP_FIELDS before the lines, the USN, NT, NTS and ST
 * headers, and every header when `allLines` (as `name:value`).
 */
function ssdpRow(frame: number, l: SsdpLayer, allLines: boolean): string[] {
  const line = (h: { name: string; value: string }): string => `${h.name}:${h.value}`;
  const named = l.headers.filter((h) => LINE_HEADERS.includes(h.name.toUpperCase())).map(line);
  return [String(frame), l.method ?? '', l.statusCode === null ? '' : String(l.statusCode), l.server ?? '', l.userAgent ?? '', l.location ?? '', named.join(AGGREGATOR), allLines ? l.headers.map(line).join(AGGREGATOR) : ''];
}

/** tshark's header lines without line ends, each split at its first colon and trimmed. */
function headerLines(cells: readonly (string | undefined)[]): string[] {
  return cells
    .flatMap((cell) => (cell ?? '').split(AGGREGATOR))
    .filter((line) => line !== '')
    .map((line) => {
      const text = line.replace(/\\r\\n$/, '');
      const colon = text.indexOf(':');
      return `${text.slice(0, colon).trim()}:${text.slice(colon + 1).trim()}`;
    });
}

/** tshark's SSDP row in the shape of {@link ssdpRow}, and whether it lists every header line. */
function tsharkSsdpRow(row: string[]): { row: string[]; allLines: boolean } {
  const lines = headerLines([row[6], row[7]]);
  const named = headerLines([row[6], row[7], row[8]]).filter((h) => LINE_HEADERS.includes(h.slice(0, h.indexOf(':')).toUpperCase()));
  return { row: [...row.slice(0, 6), named.join(AGGREGATOR), lines.join(AGGREGATOR)], allLines: lines.length > 0 };
}

for (const c of CAPTURES) {
  const file = path.join(SHARED_CAPTURES_DIR, c.name);
  test(`the DHCP and SSDP layers of ${c.name} agree with tshark`, { skip: !existsSync(file) && `missing ${file}` }, async (t) => {
    if (!requireTshark(t)) return;
    const { dhcp, ssdp } = await decodeApp(file);
    const expectedDhcp = tsharkRows(file, 'dhcp', DHCP_FIELDS);
    assert.deepEqual([...dhcp].map(([frame, l]) => dhcpRow(frame, l)), expectedDhcp);
    const names = [...new Set([...dhcp.values()].map((l) => l.hostName).filter((n) => n !== null))];
    assert.deepEqual(names, c.hostNames);
    const expectedSsdp = tsharkRows(file, 'ssdp', SSDP_FIELDS).map(tsharkSsdpRow);
    assert.equal(expectedSsdp.length, c.ssdpFrames);
    const frames = [...ssdp];
    assert.deepEqual(
      frames.map(([frame, l], i) => ssdpRow(frame, l, expectedSsdp[i]?.allLines ?? false)),
      expectedSsdp.map((e) => e.row),
    );
    assert.ok(frames.every(([, l]) => l.usn !== null || l.st !== null), 'every SSDP message names its USN or its ST');
  });
}

for (const plan of RECORDINGS.filter((p) => p.carriesDhcp)) {
  for (const format of CAPTURE_FORMATS) {
    test(`the DHCP layers of the recording ${recordingFileName(plan, format)} agree with tshark and name every device`, async (t) => {
      if (!requireTshark(t)) return;
      const manifest = loopbackManifestOrSkip(t);
      if (manifest === null) return;
      const file = recordingPath(manifest, plan, format);
      const { dhcp, ssdp } = await decodeApp(file);
      assert.deepEqual([...dhcp].map(([frame, l]) => dhcpRow(frame, l)), tsharkRows(file, 'dhcp', DHCP_FIELDS));
      assert.equal(ssdp.size, 0);
      const clients = [...dhcp.values()].filter((l) => l.op === 1);
      assert.deepEqual(
        clients.map((l) => [l.chaddr, l.hostName, l.vendorClass]),
        DHCP_DEVICES.flatMap((d) => [0, 1].map(() => [parseInt(d.mac.replace(/:/g, ''), 16), d.hostName, d.vendorClass])),
        'each device sends its names in its DISCOVER and its REQUEST, control characters kept as they came',
      );
    });
  }
}
