/**
 * Devices told apart by IP address where a capture has no link addresses (raw IP, Linux cooked SLL
 * and SLL2, loopback): each address gets a number that stands where a MAC address would, above every
 * 48-bit MAC, so that the device table and the use detector keep one kind of key (a number) for both.
 *
 * ```ts
 * const keys = new AddressKeys();
 * const k = keys.key(0xc0a80025); // 2^48 + 192.168.0.37
 * keys.text(k); // '192.168.0.37'
 * ```
 */
import { formatIpv4 } from '../core/bytes.js';

/** IPv4 address keys: this plus the address (a uint32). */
export const IPV4_KEY_BASE = 2 ** 48;
/** IPv6 address keys: this plus the order in which the address was first met. */
const IPV6_KEY_BASE = 2 ** 49;
/** IPv6 addresses given a key at most (each costs a map entry); further ones get none (-1). */
const MAX_IPV6_KEYS = 100_000;
/**
 * The key of a packet's far end when it is not a device of its own (an outside address seen from a
 * LAN capture without link addresses): a group MAC (01:00:00:00:00:00), which the device table never
 * makes a device of, so that the packet still counts for the device at the other end.
 */
export const OUTSIDE_KEY = 0x0100_0000_0000;

/** True when `key` stands for an IP address (not a MAC). */
export function isAddressKey(key: number): boolean {
  return key >= IPV4_KEY_BASE;
}

export class AddressKeys {
  private readonly v6 = new Map<string, number>();
  private readonly v6Text: string[] = [];

  /** The key of an address (IPv4 as a uint32, IPv6 as text); -1 once too many IPv6 addresses were met. */
  key(ip: number | string): number {
    if (typeof ip === 'number') return IPV4_KEY_BASE + ip;
    let k = this.v6.get(ip);
    if (k === undefined) {
      if (this.v6Text.length >= MAX_IPV6_KEYS) return -1;
      k = IPV6_KEY_BASE + this.v6Text.length;
      this.v6.set(ip, k);
      this.v6Text.push(ip);
    }
    return k;
  }

  /** The address a key stands for, as text; null for a MAC or a key never given. */
  text(key: number): string | null {
    if (key < IPV4_KEY_BASE) return null;
    if (key < IPV6_KEY_BASE) return formatIpv4(key - IPV4_KEY_BASE);
    return this.v6Text[key - IPV6_KEY_BASE] ?? null;
  }

  /** The key of an address given as text (as {@link text} writes it); undefined when it has none. */
  keyOfText(text: string): number | undefined {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
    if (m !== null) return IPV4_KEY_BASE + ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
    return this.v6.get(text);
  }
}
