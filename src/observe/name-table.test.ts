import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameTable } from './name-table.js';
import { dnsMessage, rr } from '../decode/app/dns-fixtures.js';

const response = (name: string, addresses: string[], cnames: string[] = [], ttl = 300) => {
  const chain = [name, ...cnames];
  return dnsMessage({
    flags: 0x8180,
    questions: [{ name, type: 1, class: 1, unicastResponse: false }],
    answers: [
      ...cnames.map((c, i) => rr(chain[i], 5, { type: 'CNAME', name: c }, ttl)),
      ...addresses.map((a) => rr(chain[chain.length - 1], 1, { type: 'A', address: a }, ttl)),
    ],
  });
};
const ip = (t: string): number => t.split('.').reduce((n, o) => n * 256 + Number(o), 0);

test('NameTable attributes an address to the name that was asked for, through a CNAME chain', () => {
  const names = new NameTable();
  names.learn(response('a2.tuyaus.com', ['18.215.3.77'], ['tuya-elb.amazonaws.com']), 1000);
  assert.equal(names.nameAt(ip('18.215.3.77'), 1000.5), 'a2.tuyaus.com');
});

test('NameTable gives no name before the answer was seen, so a later answer never renames earlier traffic', () => {
  const names = new NameTable();
  names.learn(response('api.august.com', ['52.44.10.21']), 2000);
  assert.equal(names.nameAt(ip('52.44.10.21'), 1999), null);
  names.learn(response('other.example.com', ['52.44.10.21']), 3000);
  assert.equal(names.nameAt(ip('52.44.10.21'), 2500), 'api.august.com');
  assert.equal(names.nameAt(ip('52.44.10.21'), 3001), 'other.example.com');
});

test('NameTable forgets an answer once its TTL and the grace period have run out', () => {
  const names = new NameTable({ graceSeconds: 60 });
  names.learn(response('api.simplisafe.com', ['54.203.77.9'], [], 100), 0);
  assert.equal(names.nameAt(ip('54.203.77.9'), 159), 'api.simplisafe.com');
  assert.equal(names.nameAt(ip('54.203.77.9'), 161), null);
});

test('NameTable keeps at most maxAddresses addresses, forgetting the least recently answered', () => {
  const names = new NameTable({ maxAddresses: 2 });
  names.learn(response('a.example', ['10.0.0.1']), 0);
  names.learn(response('b.example', ['10.0.0.2']), 1);
  names.learn(response('a.example', ['10.0.0.1']), 2);
  names.learn(response('c.example', ['10.0.0.3']), 3);
  assert.equal(names.size, 2);
  assert.equal(names.nameAt(ip('10.0.0.2'), 5), null);
  assert.equal(names.nameAt(ip('10.0.0.1'), 5), 'a.example');
});
