// DnsDigest against decodeDnsMessage(): whenever the digest accepts a message, the decoder must
// decode it with no anomaly, and the digest must hold exactly the decoder's question names and its
// answers of type A, AAAA and CNAME. Material: a response with every record type, generated lookups,
// names built to sit on each check's boundary (loops, forward pointers, the 255-byte limit reached
// through a name read before, the walk bound of large messages), every cut and every byte of a few
// messages set to boundary values, and seeded random changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv4, formatIpv6 } from '../../core/bytes.js';
import { Random } from '../../core/random.js';
import { CollectingContext } from '../context.js';
import { decodeDnsMessage, encodeDnsMessage, type DnsLayer } from './dns.js';
import { DNS_DIGEST_A, DNS_DIGEST_AAAA, DNS_DIGEST_NAME_IDS, DnsDigest } from './dns-digest.js';
import { dnsMessage, everyRecordTypeResponse, rr } from './dns-fixtures.js';
import { TrafficWriter } from '../../home/traffic/traffic-writer.js';
import { capture } from '../../home/traffic/test-frames.js';
import { parseIpv4 } from '../../core/bytes.js';

const JUNK = 0xee;

/** The message's bytes placed at `start` inside a larger buffer with junk around it. */
function place(body: ArrayLike<number>, start = 5): { bytes: Uint8Array; start: number; end: number } {
  const bytes = new Uint8Array(start + body.length + 3).fill(JUNK);
  bytes.set(body, start);
  return { bytes, start, end: start + body.length };
}

function encode(layer: DnsLayer, compress = true): Uint8Array {
  const out = new Uint8Array(encodeDnsMessage(layer, null, 0, { compress }));
  encodeDnsMessage(layer, out, 0, { compress });
  return out;
}

const label = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const name = (...labels: string[]): number[] => [...labels.flatMap(label), 0];
/** A header: id 0, the flags, and the four counts. */
const header = (flags: number, qd: number, an: number, ns = 0, ar = 0): number[] => [0, 0, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, ns, 0, ar];
/** A record's fixed part after its owner name: type, class 1, TTL 300, data length. */
const fixed = (type: number, length: number): number[] => [type >> 8, type & 0xff, 0, 1, 0, 0, 1, 0x2c, length >> 8, length & 0xff];

const digest = new DnsDigest();

/** Each answer's owner name and id, from the digest's owner runs. */
function owners(d: DnsDigest): { names: string[]; ids: number[] } {
  const names: string[] = [];
  const ids: number[] = [];
  for (let k = 0; k < d.ownerCount; k++) {
    assert.ok(d.ownerStarts[k] < d.ownerEnd(k), 'a run holds at least one answer');
    for (let i = d.ownerStarts[k]; i < d.ownerEnd(k); i++) {
      names.push(d.ownerNames[k]);
      ids.push(d.ownerIds[k]);
    }
  }
  assert.equal(names.length, d.answerCount);
  return { names, ids };
}

/**
 * Reads `bytes[start, end)` with the digest and the decoder; when the digest accepts, checks the
 * decoder saw no anomaly and gives the same names and answers. Returns whether the digest accepted.
 */
function check(bytes: Uint8Array, start: number, end: number, where: string): boolean {
  const accepted = digest.read(bytes, start, end);
  const ctx = new CollectingContext(start);
  const layer = decodeDnsMessage(bytes, start, end, ctx);
  if (!accepted) return false;
  assert.deepEqual(ctx.anomalies, [], `${where}: the digest accepted a message the decoder reports anomalies for`);
  assert.ok(layer !== null, where);
  assert.equal(digest.isResponse, layer.isResponse, where);
  assert.deepEqual(digest.questionNames.slice(0, digest.questionCount), layer.questions.map((q) => q.name), where);
  const expected: [string, string][] = [];
  for (const r of layer.answers) {
    if (r.data.type === 'A' || r.data.type === 'AAAA') expected.push([r.name, r.data.address]);
    else if (r.data.type === 'CNAME') expected.push([r.name, r.data.name]);
  }
  const got: [string, string][] = [];
  const owner = owners(digest);
  for (let i = 0; i < digest.answerCount; i++) {
    const type = digest.answerTypes[i];
    const value = type === DNS_DIGEST_A ? formatIpv4(digest.answerValues[i]) : type === DNS_DIGEST_AAAA ? formatIpv6(digest.bytes, digest.answerValues[i]) : digest.answerTargets[i];
    got.push([owner.names[i], value]);
  }
  assert.deepEqual(got, expected, where);
  // Within a message, an id names one text.
  const texts = new Map<number, string>();
  const ids = [...digest.questionIds.slice(0, digest.questionCount), ...owner.ids];
  const names = [...digest.questionNames.slice(0, digest.questionCount), ...owner.names];
  ids.forEach((id, i) => {
    assert.ok(id >= -1 && id < DNS_DIGEST_NAME_IDS, where);
    if (id < 0) return;
    if (texts.has(id)) assert.equal(texts.get(id), names[i], `${where}: id ${id}`);
    texts.set(id, names[i]);
  });
  return true;
}

const checkBody = (body: ArrayLike<number>, where: string): boolean => {
  const m = place(body);
  return check(m.bytes, m.start, m.end, where);
};

/** everyRecordTypeResponse() without its SVCB and HTTPS records (which the digest leaves to the decoder). */
function everyCheckedTypeResponse(): DnsLayer {
  const full = everyRecordTypeResponse();
  const answers = full.answers.filter((r) => r.type !== 64 && r.type !== 65);
  return dnsMessage({ id: full.id, flags: full.flags, questions: full.questions, answers, authorities: full.authorities, additionals: full.additionals });
}

/** Every cut of the message, and every byte of it set to boundary values and its neighbours. */
function mutations(body: Uint8Array, where: string): { accepted: number; checked: number } {
  let accepted = 0;
  let checked = 0;
  const count = (ok: boolean): void => {
    checked++;
    if (ok) accepted++;
  };
  for (let cut = 0; cut < body.length; cut++) count(checkBody(body.subarray(0, cut), `${where} cut at ${cut}`));
  const values = [0, 1, 2, 3, 4, 5, 0x0c, 0x0d, 0x1f, 0x20, 0x2e, 0x3f, 0x40, 0x7e, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xff];
  for (let at = 0; at < body.length; at++) {
    const set = new Set(values);
    for (let d = -2; d <= 2; d++) set.add((body[at] + d) & 0xff);
    for (const v of set) {
      const copy = body.slice();
      copy[at] = v;
      count(checkBody(copy, `${where} byte ${at} = ${v}`));
    }
  }
  return { accepted, checked };
}

test('DnsDigest reads a response with every record type it checks, compressed or not, as the decoder does', () => {
  for (const compress of [false, true]) {
    const body = encode(everyCheckedTypeResponse(), compress);
    assert.ok(checkBody(body, `every checked type (compress ${compress})`), 'accepted');
    assert.equal(digest.questionCount, 1);
    assert.equal(digest.answerCount, 4, 'two CNAMEs, an A and an AAAA; PTR, TXT, SRV, MX and the raw NSEC left out');
  }
  // SVCB and HTTPS are left to the decoder.
  assert.equal(checkBody(encode(everyRecordTypeResponse(), true), 'with SVCB and HTTPS'), false);
});

test('DnsDigest reads generated lookups (CNAME chains, A and AAAA answers) as the decoder does', () => {
  const payloads: Uint8Array[] = [];
  const { frames } = capture((sink) => {
    const w = new TrafficWriter(sink, 5);
    const client = { mac: 1, ip: parseIpv4('192.168.1.2') };
    const resolver = { mac: 2, ip: parseIpv4('192.168.1.1') };
    let t = 0;
    for (let i = 0; i < 60; i++) {
      const v6 = i % 3 === 0;
      const addresses = Array.from({ length: 1 + (i % 17) }, (_, k) => (v6 ? `2600:1f18::${k.toString(16)}:${i}` : `10.${i}.${k}.1`));
      const cnames = Array.from({ length: i % 4 }, (_, k) => `edge-${i}.l${k}.cdn.example.net`);
      t = w.dnsLookup(t, client, resolver, `host${i % 7}.vendor${i % 5}.example.com`, { addresses, cnames });
    }
  });
  for (const f of frames) payloads.push(f.data.subarray(14 + 20 + 8));
  let accepted = 0;
  payloads.forEach((p, i) => {
    if (checkBody(p, `lookup frame ${i + 1}`)) accepted++;
  });
  assert.equal(accepted, payloads.length);
});

test('DnsDigest at every cut and every byte of messages set to boundary values', () => {
  const bodies: [string, Uint8Array][] = [
    ['every checked type, compressed', encode(everyCheckedTypeResponse(), true)],
    [
      'CNAME chain with A and AAAA answers',
      encode(
        dnsMessage(
          {
            flags: 0x8180,
            questions: [{ name: 'api.example.com', type: 1, class: 1, unicastResponse: false }],
            answers: [
              rr('api.example.com', 5, { type: 'CNAME', name: 'edge.cdn.example.com' }),
              rr('edge.cdn.example.com', 5, { type: 'CNAME', name: 'e1.l1.example.com' }),
              rr('e1.l1.example.com', 1, { type: 'A', address: '192.0.2.1' }),
              rr('e1.l1.example.com', 1, { type: 'A', address: '192.0.2.2' }),
              rr('e1.l1.example.com', 28, { type: 'AAAA', address: '2001:db8::2' }),
            ],
          },
          0,
          true,
        ),
      ),
    ],
    ['a query', encode(dnsMessage({ flags: 0x0100, questions: [{ name: 'a.b', type: 28, class: 1, unicastResponse: false }] }))],
    [
      'a referral with glue (A and AAAA outside the answers)',
      encode(
        dnsMessage(
          {
            flags: 0x8100,
            questions: [{ name: 'www.example.org', type: 1, class: 1, unicastResponse: false }],
            authorities: [rr('example.org', 2, { type: 'NS', name: 'ns1.example.org' })],
            additionals: [rr('ns1.example.org', 1, { type: 'A', address: '192.0.2.53' }), rr('ns1.example.org', 28, { type: 'AAAA', address: '2001:db8::53' })],
          },
          0,
          true,
        ),
      ),
    ],
  ];
  let accepted = 0;
  let checked = 0;
  for (const [where, body] of bodies) {
    const r = mutations(body, where);
    accepted += r.accepted;
    checked += r.checked;
  }
  assert.ok(accepted > 500 && checked - accepted > 500, `${accepted} of ${checked} accepted: both outcomes are exercised`);
});

test('DnsDigest refuses what the decoder reports: loops, forward pointers, bad labels, cuts, bad data, trailing bytes', () => {
  const q = [...name('a', 'example'), 0, 1, 0, 1];
  const refused: [string, number[]][] = [
    ['pointer to itself', [...header(0x8180, 1, 0), 0xc0, 12, 0, 1, 0, 1]],
    ['two pointers at each other', [...header(0x8180, 1, 0), 0xc0, 14, 0xc0, 12, 0, 1, 0, 1]],
    ['label then a pointer back to it', [...header(0x8180, 1, 0), 1, 0x61, 0xc0, 12, 0, 1, 0, 1]],
    ['pointer 4 bytes past itself (tshark 4.0 loop)', [...header(0x8180, 1, 1), ...q, 0xc0, 30, ...fixed(1, 4), 1, 2, 3, 4]],
    ['forward pointer', [...header(0x8180, 1, 0), 0xc0, 16, 0, 1, 0, 1, ...name('x')]],
    ['pointer past the end', [...header(0x8180, 1, 0), 0xc0, 0x40, 0, 1, 0, 1]],
    ['extended label type', [...header(0x8180, 1, 0), 0x41, 0x61, 0, 0, 1, 0, 1]],
    ['reserved label type', [...header(0x8180, 1, 0), 0x81, 0x61, 0, 0, 1, 0, 1]],
    ['A of 5 bytes', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(1, 5), 1, 2, 3, 4, 5]],
    ['AAAA of 4 bytes', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(28, 4), 1, 2, 3, 4]],
    ['CNAME name shorter than its data', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(5, 3), 0xc0, 12, 0]],
    ['MX of 2 bytes', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(15, 2), 0, 10]],
    ['SRV of 6 bytes', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(33, 6), 0, 0, 0, 0, 0, 80]],
    ['SOA with 19 bytes of numbers', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(6, 4 + 19), 0xc0, 12, 0xc0, 12, ...new Array<number>(19).fill(0)]],
    ['TXT string past its data', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(16, 2), 5, 0x61]],
    ['OPT option past its data', [...header(0x8180, 1, 0, 0, 1), ...q, 0, ...fixed(41, 4), 0, 10, 0, 1]],
    ['trailing byte', [...header(0x8180, 1, 0), ...q, 0]],
    ['record data past the end', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(1, 4), 1, 2, 3]],
    ['question cut', [...header(0x8180, 1, 0), ...name('a'), 0, 1]],
    ['header cut', [0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0]],
  ];
  for (const [where, body] of refused) {
    const m = place(body);
    const ctx = new CollectingContext(m.start);
    decodeDnsMessage(m.bytes, m.start, m.end, ctx);
    assert.ok(ctx.anomalies.length > 0, `${where}: the decoder reports it`);
    assert.equal(digest.read(m.bytes, m.start, m.end), false, where);
  }
  // Text other than plain ASCII is left to the decoder too (it shows such bytes escaped, see display-text.ts).
  for (const byte of [0x01, 0x1f, 0x7f, 0xc3]) assert.equal(checkBody([...header(0x8180, 1, 0), 2, 0x61, byte, 0, 0, 1, 0, 1], `byte ${byte}`), false);
  // And the same messages made right are accepted.
  const accepted: [string, number[]][] = [
    ['A of 4 bytes', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(1, 4), 1, 2, 3, 4]],
    ['SOA with 20 bytes of numbers', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(6, 4 + 20), 0xc0, 12, 0xc0, 12, ...new Array<number>(20).fill(0)]],
    ['OPT option that fits', [...header(0x8180, 1, 0, 0, 1), ...q, 0, ...fixed(41, 5), 0, 10, 0, 1, 7]],
    ['root question and a pointer to the root', [...header(0x8180, 1, 1), 0, 0, 2, 0, 1, 0xc0, 12, ...fixed(2, 2), 0xc0, 12]],
    ['an unknown type, kept raw', [...header(0x8180, 1, 1), ...q, 0xc0, 12, ...fixed(99, 3), 0xff, 0, 0xc0]],
  ];
  for (const [where, body] of accepted) assert.ok(checkBody(body, where), where);
});

test('DnsDigest at the 255-byte limit, reached through a name read before in the message', () => {
  // A 250-byte name (plain), then names that point into it with one more label of each length
  // around the limit: the known-name path adds the pointed-to name's bytes.
  const long = Array.from({ length: 4 }, (_, i) => String.fromCharCode(0x61 + i).repeat(61));
  const base = name(...long); // 4 * 62 + 1 = 249 bytes on the wire
  let accepted = 0;
  for (let extra = 1; extra <= 8; extra++) {
    const owner = [...label('b'.repeat(extra)), 0xc0, 12];
    const body = [...header(0x8180, 1, 2), ...base, 0, 1, 0, 1, ...owner, ...fixed(1, 4), 1, 2, 3, 4, 0xc0, 12 + base.length + 4, ...fixed(1, 4), 5, 6, 7, 8];
    if (checkBody(body, `name of ${249 + extra + 1} bytes`)) accepted++;
  }
  // 249 + (1 + extra) <= 255: extra up to 5.
  assert.equal(accepted, 5);
});

test('DnsDigest accepts a plain name of 255 bytes and refuses one of 256', () => {
  for (let wire = 250; wire <= 258; wire++) {
    // Labels of 63 bytes and one shorter: 1 + sum(1 + length) bytes.
    const lengths: number[] = [];
    for (let left = wire - 1; left > 0; ) {
      const l = Math.min(63, left - 1);
      lengths.push(l);
      left -= l + 1;
    }
    const q = name(...lengths.map((l, i) => String.fromCharCode(0x61 + i).repeat(l)));
    assert.equal(q.length, wire);
    assert.equal(checkBody([...header(0x0100, 1, 0), ...q, 0, 1, 0, 1], `name of ${wire} bytes`), wire <= 255, `name of ${wire} bytes`);
  }
});

test('DnsDigest bounds the walk after a pointer in a large message as the decoder does', () => {
  // Record 1 (a raw type) holds a chain of K lone pointers, each to the one before, the first to the
  // question name. Record 2's owner is a label and a pointer to the chain's end: after its first
  // pointer its walk reads 2 + 2K bytes, a loop to the decoder from 4096 on. Record 3 is an SOA
  // whose first name points to record 2's owner (alone, then after a label): the decoder reads SOA
  // names without its cache, so that walk is 2 (or 4) bytes longer, and a loop from 4096 on.
  let accepted = 0;
  for (let k = 2040; k <= 2050; k++) {
    for (const soaLabel of [false, true, null]) {
      const q = name('q');
      const body = [...header(0x8180, 1, 3), ...q, 0, 1, 0, 1, 0xc0, 12, ...fixed(99, 2 * k)];
      const chain = body.length;
      for (let i = 0; i < k; i++) {
        const target = i === 0 ? 12 : chain + 2 * (i - 1);
        body.push(0xc0 | (target >> 8), target & 0xff);
      }
      const owner2 = body.length;
      const last = chain + 2 * (k - 1);
      body.push(...label('a'), 0xc0 | (last >> 8), last & 0xff, ...fixed(1, 4), 1, 2, 3, 4);
      if (soaLabel === null) {
        // Without record 3: record 2's own walk is what is bounded.
        body[7] = 2;
      } else {
        const mname = soaLabel ? [...label('x'), 0xc0 | (owner2 >> 8), owner2 & 0xff] : [0xc0 | (owner2 >> 8), owner2 & 0xff];
        body.push(0xc0, 12, ...fixed(6, mname.length + 2 + 20), ...mname, 0xc0, 12, ...new Array<number>(20).fill(0));
      }
      if (checkBody(body, `chain of ${k}${soaLabel === null ? ', no SOA' : soaLabel ? ', SOA name with a label' : ''}`)) accepted++;
    }
  }
  assert.ok(accepted > 0 && accepted < 33, `${accepted} of 33 accepted: both sides of the bound`);
});

test('DnsDigest on seeded random changes to generated messages', () => {
  const random = new Random(20261207);
  const bodies = [encode(everyCheckedTypeResponse(), true), encode(everyCheckedTypeResponse(), false)];
  let accepted = 0;
  for (let round = 0; round < 4000; round++) {
    const body = bodies[round % 2].slice();
    for (let f = random.int(1, 3); f > 0; f--) body[random.int(0, body.length - 1)] = random.int(0, 255);
    if (checkBody(body, `random round ${round}`)) accepted++;
  }
  assert.ok(accepted > 100, `${accepted} accepted`);
});

test('DnsDigest gives a name met again the same id, and the right text when names outnumber its slots', () => {
  const lookup = (host: string): Uint8Array =>
    encode(dnsMessage({ flags: 0x8180, questions: [{ name: host, type: 1, class: 1, unicastResponse: false }], answers: [rr(host, 1, { type: 'A', address: '192.0.2.7' })] }, 0, true));
  assert.ok(checkBody(lookup('a.example.com'), 'first'));
  const id = digest.questionIds[0];
  assert.ok(id >= 0);
  assert.ok(checkBody(lookup('a.example.com'), 'again'));
  assert.equal(digest.questionIds[0], id);
  assert.equal(digest.ownerIds[0], id);
  for (let i = 0; i < 3 * DNS_DIGEST_NAME_IDS; i++) {
    const host = `h${i}.example.com`;
    const m = place(lookup(host));
    assert.ok(digest.read(m.bytes, m.start, m.end));
    assert.equal(digest.questionNames[0], host);
    assert.equal(digest.ownerNames[0], host);
  }
});

test('DnsDigest with one set of names: ids stay the same names within a message, and the text stays right', () => {
  const small = new DnsDigest({ internSets: 1 });
  const hosts = Array.from({ length: 9 }, (_, i) => `h${i}.example.com`);
  for (let round = 0; round < 4; round++) {
    // Nine names in one message (a CNAME chain), more than the four a set holds.
    const chain = hosts.map((h, i) => rr(h, 5, { type: 'CNAME' as const, name: hosts[(i + 1 + round) % hosts.length] }));
    const body = encode(dnsMessage({ flags: 0x8180, questions: [{ name: hosts[round], type: 1, class: 1, unicastResponse: false }], answers: chain }, 0, true));
    const m = place(body);
    assert.ok(small.read(m.bytes, m.start, m.end));
    const layer = decodeDnsMessage(m.bytes, m.start, m.end, new CollectingContext(m.start))!;
    const owner = owners(small);
    assert.deepEqual(owner.names, layer.answers.map((r) => r.name));
    assert.deepEqual(small.answerTargets.slice(0, small.answerCount), layer.answers.map((r) => (r.data.type === 'CNAME' ? r.data.name : '')));
    const texts = new Map<number, string>();
    for (let i = 0; i < small.answerCount; i++) {
      const id = owner.ids[i];
      assert.ok(id < 4, 'one set: ids 0 to 3');
      if (id < 0) continue;
      if (texts.has(id)) assert.equal(texts.get(id), owner.names[i], `round ${round}: id ${id} stood for two names`);
      texts.set(id, owner.names[i]);
    }
    assert.ok(texts.size > 0 && texts.size <= 4);
  }
  assert.throws(() => new DnsDigest({ internSets: 3 }), RangeError);
});

test('DnsDigest tells apart names that differ only in their last bytes, whatever their length', () => {
  for (let length = 1; length <= 70; length++) {
    for (const last of ['a', 'b', 'z', '0']) {
      // Labels of up to 63 bytes: a long name is two labels.
      const first = 'x'.repeat(Math.min(length - 1, 40));
      const host = `${first}${length > 41 ? `.${'y'.repeat(length - 41)}` : ''}${last}.io`;
      const body = encode(dnsMessage({ flags: 0x0100, questions: [{ name: host, type: 1, class: 1, unicastResponse: false }] }));
      assert.ok(checkBody(body, host));
      assert.equal(digest.questionNames[0], host);
    }
  }
});
