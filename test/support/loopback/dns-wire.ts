// The few DNS wire-format pieces the recording's own client needs (RFC 1035): a query message, the
// 2-byte length prefix of DNS over TCP (RFC 7766), reverse-lookup names, and the header of a response.
import { isIPv4, isIPv6 } from 'node:net';
import { DNS_TYPES } from './plan.js';
import type { DnsOutcome, DnsQuestion } from './plan.js';

const HEADER_BYTES = 12;
const FLAG_RECURSION_DESIRED = 0x0100;
const CLASS_IN = 1;
const RCODE_MASK = 0x000f;
const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;
const MAX_LABEL_BYTES = 63;

/** The name a PTR question asks about: `10.1.77.127.in-addr.arpa` or the nibbles under `ip6.arpa`. */
export function reverseName(address: string): string {
  if (isIPv4(address)) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  if (!isIPv6(address)) throw new Error(`not an IP address: ${address}`);
  const [head = '', tail = ''] = address.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = groups(tail);
  const zeros = new Array<string>(8 - left.length - right.length).fill('0');
  const nibbles = [...left, ...zeros, ...right].map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}

/** The name that goes on the wire for a question (PTR questions carry an address in the plan). */
export function questionName(question: DnsQuestion): string {
  return question.type === 'PTR' ? reverseName(question.name) : question.name;
}

/** A standard query with one question, recursion desired, no EDNS. */
export function encodeQuery(id: number, question: DnsQuestion): Buffer {
  const labels = questionName(question).split('.').filter((label) => label !== '');
  const nameBytes = labels.reduce((sum, label) => sum + 1 + Buffer.byteLength(label), 1);
  const message = Buffer.alloc(HEADER_BYTES + nameBytes + 4);
  message.writeUInt16BE(id, 0);
  message.writeUInt16BE(FLAG_RECURSION_DESIRED, 2);
  message.writeUInt16BE(1, 4);
  let at = HEADER_BYTES;
  for (const label of labels) {
    const length = Buffer.byteLength(label);
    if (length > MAX_LABEL_BYTES) throw new Error(`label longer than ${MAX_LABEL_BYTES} bytes: ${label}`);
    message[at] = length;
    message.write(label, at + 1, 'latin1');
    at += 1 + length;
  }
  message[at] = 0;
  message.writeUInt16BE(DNS_TYPES[question.type], at + 1);
  message.writeUInt16BE(CLASS_IN, at + 3);
  return message;
}

/** A message with its 2-byte big-endian length prefix, as sent over TCP. */
export function withLengthPrefix(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length, 0);
  return Buffer.concat([prefix, message]);
}

export interface ResponseHeader {
  readonly id: number;
  readonly rcode: number;
  readonly answerCount: number;
}

export function decodeResponseHeader(message: Buffer): ResponseHeader {
  if (message.length < HEADER_BYTES) throw new RangeError(`DNS response shorter than its header: ${message.length} bytes`);
  return { id: message.readUInt16BE(0), rcode: message.readUInt16BE(2) & RCODE_MASK, answerCount: message.readUInt16BE(6) };
}

/** What a response says, in the plan's terms (null for any other rcode). */
export function outcomeOf(header: ResponseHeader): DnsOutcome | null {
  if (header.rcode === RCODE_NXDOMAIN) return 'nxdomain';
  if (header.rcode !== RCODE_NOERROR) return null;
  return header.answerCount > 0 ? 'answer' : 'nodata';
}
