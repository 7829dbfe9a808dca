/**
 * Which DNS name each IP address was resolved from, over time. A DNS answer for `name` (through any
 * CNAME chain) that gives address `ip` with TTL `ttl` at time `t` makes `ip` stand for `name` from
 * `t` on; a flow is attributed to the name its remote address stood for when the flow began, so an
 * answer seen after a flow began never renames it. An answer is used within its TTL (and a grace
 * period, as devices reuse connections and resolvers shorten TTLs); past that the address names
 * nothing until it is resolved again.
 *
 * Memory stays bounded: at most `maxAddresses` addresses are remembered (the least recently
 * answered are forgotten first), each with its last few answers.
 */
import type { DnsLayer } from '../decode/app/dns.js';

export interface NameTableOptions {
  /** Most addresses remembered (default 100 000). */
  maxAddresses?: number;
  /** Seconds an answer is still used after its TTL ran out (default 1 hour). */
  graceSeconds?: number;
}

interface Answer {
  name: string;
  from: number;
  until: number;
}

const ANSWERS_PER_ADDRESS = 4;

export class NameTable {
  private readonly byAddress = new Map<string | number, Answer[]>();
  /** Bumped by every answer learnt: a cached lookup is still right while it has not changed. */
  version = 0;
  private readonly maxAddresses: number;
  private readonly graceSeconds: number;

  constructor(options: NameTableOptions = {}) {
    this.maxAddresses = options.maxAddresses ?? 100_000;
    this.graceSeconds = options.graceSeconds ?? 3600;
  }

  get size(): number {
    return this.byAddress.size;
  }

  /** Learns the addresses a DNS response gives, at `time` (epoch seconds). */
  learn(dns: DnsLayer, time: number): void {
    if (!dns.isResponse || dns.answers.length === 0) return;
    // Each address record's owner is reached from a question through CNAMEs: attribute it to the
    // question's name (what the device asked for), falling back to the owner.
    const askedFor = new Map<string, string>();
    for (const q of dns.questions) askedFor.set(q.name.toLowerCase(), q.name);
    for (let changed = true; changed; ) {
      changed = false;
      for (const rr of dns.answers) {
        if (rr.data.type !== 'CNAME') continue;
        const origin = askedFor.get(rr.name.toLowerCase());
        const target = rr.data.name.toLowerCase();
        if (origin !== undefined && !askedFor.has(target)) {
          askedFor.set(target, origin);
          changed = true;
        }
      }
    }
    for (const rr of dns.answers) {
      const d = rr.data;
      if (d.type !== 'A' && d.type !== 'AAAA') continue;
      const name = askedFor.get(rr.name.toLowerCase()) ?? rr.name;
      this.add(d.type === 'A' ? ipv4Key(d.address) : d.address, name, time, time + rr.ttl + this.graceSeconds);
    }
  }

  /** The name `address` (a uint32 IPv4 or IPv6 text) stood for at `time`, or null. */
  nameAt(address: number | string, time: number): string | null {
    const answers = this.byAddress.get(address);
    if (answers === undefined) return null;
    for (let i = answers.length - 1; i >= 0; i--) {
      const a = answers[i];
      if (a.from <= time && time <= a.until) return a.name;
    }
    return null;
  }

  private add(address: number | string, name: string, from: number, until: number): void {
    this.version++;
    let answers = this.byAddress.get(address);
    if (answers === undefined) {
      if (this.byAddress.size >= this.maxAddresses) this.byAddress.delete(this.byAddress.keys().next().value as number | string);
      answers = [];
    } else {
      this.byAddress.delete(address); // re-inserted below: the map's order is least recently answered first
    }
    const last = answers[answers.length - 1];
    if (last !== undefined && last.name === name && last.until >= from) last.until = Math.max(last.until, until);
    else {
      answers.push({ name, from, until });
      if (answers.length > ANSWERS_PER_ADDRESS) answers.shift();
    }
    this.byAddress.set(address, answers);
  }
}

/** The uint32 key of a dotted quad (as IPv4 layers hold addresses). */
function ipv4Key(text: string): number {
  const p = text.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}
