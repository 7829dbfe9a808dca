/**
 * What kind of address an IP is, for telling the home's own devices from the hosts beyond the router.
 */

/** A private, link-local or loopback IPv4 address (RFC 1918, RFC 3927, 127/8): inside a home. */
export function isLocalIpv4(ip: number): boolean {
  const a = ip >>> 24;
  const b = (ip >>> 16) & 0xff;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 127;
}

/** Multicast (224/4), broadcast (255.255.255.255) or unspecified (0.0.0.0): not a host. */
export function isGroupIpv4(ip: number): boolean {
  return ip >>> 28 === 0xe || ip === 0xffff_ffff || ip === 0;
}

/** Link-local (fe80::/10), unique local (fc00::/7) or loopback (::1) IPv6 text: inside a home. */
export function isLocalIpv6(ip: string): boolean {
  // Text as RFC 5952 writes it: these ranges' first group always has 4 digits (fe80-febf, fc00-fdff).
  if (ip.length < 5 || ip.charCodeAt(4) !== COLON) return ip === '::1';
  const a = ip.charCodeAt(0);
  const b = ip.charCodeAt(1);
  const c = ip.charCodeAt(2);
  if (a !== LOWER_F) return false;
  if (b === LOWER_C || b === LOWER_D) return true;
  return b === LOWER_E && (c === DIGIT_8 || c === DIGIT_9 || c === LOWER_A || c === LOWER_B);
}

const COLON = 0x3a;
const DIGIT_8 = 0x38;
const DIGIT_9 = 0x39;
const LOWER_A = 0x61;
const LOWER_B = 0x62;
const LOWER_C = 0x63;
const LOWER_D = 0x64;
const LOWER_E = 0x65;
const LOWER_F = 0x66;

/** Multicast (ff00::/8) or unspecified (::): not a host. */
export function isGroupIpv6(ip: string): boolean {
  return ip.startsWith('ff') || ip === '::';
}

/** A MAC address that names a group (multicast, broadcast) rather than one interface. */
export function isGroupMac(mac: number): boolean {
  return (Math.floor(mac / 0x100_0000_0000) & 0x01) === 1;
}
