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
  const first = parseInt(ip.split(':', 1)[0] || '0', 16);
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00 || ip === '::1';
}

/** Multicast (ff00::/8) or unspecified (::): not a host. */
export function isGroupIpv6(ip: string): boolean {
  return ip.startsWith('ff') || ip === '::';
}

/** A MAC address that names a group (multicast, broadcast) rather than one interface. */
export function isGroupMac(mac: number): boolean {
  return (Math.floor(mac / 0x100_0000_0000) & 0x01) === 1;
}
