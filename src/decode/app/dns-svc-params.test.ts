import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectingContext } from '../context.js';
import { decodeEchConfigList, decodeSvcParams, encodeSvcParams, svcParamsEncodingLength, type DnsSvcParam } from './dns-svc-params.js';
import { echConfig, echConfigListHex } from './dns-fixtures.js';
import { hexToBytes } from '../hex.js';

test('decodeSvcParams() reads back what encodeSvcParams() wrote', () => {
  const params: DnsSvcParam[] = [
    { key: 1, value: { kind: 'alpn', protocols: ['h3', 'h2'] } },
    { key: 3, value: { kind: 'port', port: 443 } },
    { key: 5, value: { kind: 'ech', configList: echConfigListHex('public.example'), configs: [echConfig('public.example')] } },
    { key: 65000, value: { kind: 'raw', hex: '0102' } },
  ];
  const out = new Uint8Array(svcParamsEncodingLength(params) + 4);
  const end = encodeSvcParams(params, out, 2);
  assert.equal(end, out.length - 2);
  const ctx = new CollectingContext();
  assert.deepEqual(decodeSvcParams(out, 2, end, ctx), params);
  assert.deepEqual(ctx.anomalies, []);
});

test('decodeSvcParams() keeps a value that does not fit its key as hex and reports it', () => {
  const bytes = Uint8Array.of(0, 3, 0, 3, 1, 2, 3, 0, 4, 0, 2, 9, 9);
  const ctx = new CollectingContext();
  assert.deepEqual(decodeSvcParams(bytes, 0, bytes.length, ctx), [
    { key: 3, value: { kind: 'raw', hex: '010203' } },
    { key: 4, value: { kind: 'raw', hex: '0909' } },
  ]);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dns_bad_svc_param', 'dns_bad_svc_param']);
});

test('decodeSvcParams() returns null for a parameter running past the record', () => {
  const ctx = new CollectingContext();
  assert.equal(decodeSvcParams(Uint8Array.of(0, 1, 0, 9, 2), 0, 5, ctx), null);
  assert.deepEqual(ctx.anomalies.map((a) => a.kind), ['dns_bad_svc_param']);
});

test('decodeEchConfigList() reads the public name and gives [] for a damaged list', () => {
  const list = hexToBytes(echConfigListHex('cloudflare-ech.com'));
  assert.deepEqual(decodeEchConfigList(list, 0, list.length), [echConfig('cloudflare-ech.com')]);
  assert.deepEqual(decodeEchConfigList(list, 0, list.length - 1), []);
  const other = Uint8Array.of(0, 6, 0xfe, 0x0a, 0, 2, 7, 7);
  assert.deepEqual(decodeEchConfigList(other, 0, other.length), [
    { version: 0xfe0a, configId: null, kemId: null, cipherSuites: [], maximumNameLength: null, publicName: null },
  ]);
});
