import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DNS_VLAN_MIX, writeMixedTraffic, type MixedTrafficResult } from '../bench/mixed-traffic.js';
import { capture } from '../src/home/traffic/test-frames.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { createRecord } from '../src/capture/record.js';
import { LINKTYPE_ETHERNET } from '../src/core/link-type.js';
import type { PacketToWrite } from '../src/capture/capture-writer.js';

const TWO_MB = 2e6;

function run(targetBytes: number, seed?: number): { result: MixedTrafficResult; frames: PacketToWrite[]; pcap: Uint8Array } {
  let result: MixedTrafficResult | undefined;
  const { frames, pcap } = capture((sink) => {
    result = writeMixedTraffic(sink, { targetBytes, seed });
  });
  return { result: result!, frames, pcap };
}

/** Layer kinds → how many frames hold one, as peephole decodes the frames. */
function layerCounts(frames: readonly PacketToWrite[]): Map<string, number> {
  const d = new PacketDecoder();
  const counts = new Map<string, number>();
  frames.forEach((f, i) => {
    const p = d.decode({ ...createRecord(), frame: i + 1, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: LINKTYPE_ETHERNET, buf: f.data, capLen: f.data.length, origLen: f.data.length });
    for (const kind of new Set(p.layers.map((l) => l.kind))) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    assert.deepEqual(p.anomalies, [], `frame ${i + 1}`);
  });
  return counts;
}

const defaultRun = run(TWO_MB);

test('writeMixedTraffic() writes at least the bytes asked for and says what it wrote', () => {
  const { result, frames } = defaultRun;
  assert.ok(result.frameBytes >= TWO_MB, `${result.frameBytes} bytes`);
  assert.equal(result.frames, frames.length);
  assert.equal(result.frameBytes, frames.reduce((n, f) => n + f.data.length, 0));
  assert.equal(result.endSec, frames[frames.length - 1].tsSec);
});

test('writeMixedTraffic() holds DNS, TLS ClientHellos, UDP and TCP in a 2 MB run, whatever the seed', () => {
  for (const seed of [undefined, 1, 2, 3, 4, 5]) {
    const frames = seed === undefined ? defaultRun.frames : run(TWO_MB, seed).frames;
    const counts = layerCounts(frames);
    for (const kind of ['dns', 'tls', 'udp', 'tcp', 'ipv4']) assert.ok((counts.get(kind) ?? 0) > 0, `seed ${seed ?? 'default'}: no ${kind}`);
    const bulkUdp = (counts.get('udp') ?? 0) - (counts.get('dns') ?? 0);
    assert.ok(bulkUdp > 0, `seed ${seed ?? 'default'}: no UDP stream`);
  }
});

test('writeMixedTraffic() writes its frames in time order from the start time', () => {
  const { frames } = run(500_000, 11);
  const startSec = Date.UTC(2026, 10, 2) / 1000;
  assert.ok(frames[0].tsSec >= startSec && frames[0].tsSec < startSec + 1);
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1];
    const b = frames[i];
    assert.ok(a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec <= b.tsNsec), `frame ${i + 1}`);
  }
  const later = run(10_000, 11);
  assert.ok(later.result.frames > 0);
  assert.equal(run(10_000, 11).frames[0].tsSec, frames[0].tsSec);
  assert.equal(capture((sink) => void writeMixedTraffic(sink, { targetBytes: 10_000, startSec: 1e9 })).frames[0].tsSec, 1e9);
});

test('writeMixedTraffic() writes the same bytes for the same seed', () => {
  assert.deepEqual(run(TWO_MB).pcap, defaultRun.pcap);
  assert.notDeepEqual(run(300_000, 8).pcap, run(300_000, 9).pcap);
});

test('writeMixedTraffic() with DNS_VLAN_MIX: a quarter of the frames DNS responses of many answers, a tenth VLAN-tagged', () => {
  const { result, frames } = (() => {
    let r: MixedTrafficResult | undefined;
    const c = capture((sink) => {
      // Large enough for the shares to settle: they are kept between conversations, and a download is up to 3 MB.
      r = writeMixedTraffic(sink, { targetBytes: 5 * TWO_MB, seed: 3, ...DNS_VLAN_MIX });
    });
    return { result: r!, frames: c.frames };
  })();
  const d = new PacketDecoder();
  let responses = 0;
  let tagged = 0;
  let fewestAnswers = Infinity;
  frames.forEach((f, i) => {
    const p = d.decode({ ...createRecord(), frame: i + 1, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: LINKTYPE_ETHERNET, buf: f.data, capLen: f.data.length, origLen: f.data.length });
    assert.deepEqual(p.anomalies, [], `frame ${i + 1}`);
    if (p.layers[1]?.kind === 'vlan') tagged++;
    const dns = p.layers.find((l) => l.kind === 'dns');
    if (dns?.kind === 'dns' && dns.isResponse) {
      responses++;
      fewestAnswers = Math.min(fewestAnswers, dns.answers.length);
    }
  });
  assert.equal(responses, result.dnsResponses);
  assert.equal(tagged, result.vlanFrames);
  assert.ok(Math.abs(responses / frames.length - 0.25) < 0.03, `${responses} DNS responses in ${frames.length} frames`);
  // Whole conversations are tagged, a download of up to 3,000 frames among them: the share settles over longer runs.
  assert.ok(Math.abs(tagged / frames.length - 0.1) < 0.06, `${tagged} tagged frames in ${frames.length}`);
  assert.ok(fewestAnswers >= 4, `every response has at least 4 answers (fewest ${fewestAnswers})`);
  assert.deepEqual(capture((sink) => void writeMixedTraffic(sink, { targetBytes: 300_000, seed: 3, ...DNS_VLAN_MIX })).pcap, capture((sink) => void writeMixedTraffic(sink, { targetBytes: 300_000, seed: 3, ...DNS_VLAN_MIX })).pcap);
});
